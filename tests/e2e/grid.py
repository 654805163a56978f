"""Reading Streamlit's data grid (``st.dataframe``) in a test: it draws on a canvas, so
its columns' widths and its cells' text are read from the grid component's own props
(React's fiber on the canvas element), as the grid itself lays them out. The first
column of a grid with row selection is its checkboxes' (no title)."""

from __future__ import annotations

#: Per grid on the page: its width on screen, header height, row height, and per column
#: its title, width and the display text of its first ``rows`` cells.
GRIDS_JS = """(rows) => Array.from(document.querySelectorAll('canvas[data-testid="data-grid-canvas"]'))
  .map(canvas => {
    const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber'));
    let fiber = canvas[key];
    while (fiber && !(fiber.memoizedProps && fiber.memoizedProps.getCellContent
                      && fiber.memoizedProps.columns)) fiber = fiber.return;
    if (!fiber) return null;
    const props = fiber.memoizedProps;
    const n = Math.min(rows, props.rows || 0);
    const grid = canvas.closest('[data-testid="stDataFrame"]');
    const box = canvas.getBoundingClientRect();
    return {
      // the st-key-* classes of the grid's containers (the page's keys for it)
      key: (() => { const keys = []; for (let e = grid; e; e = e.parentElement)
        keys.push(...Array.from(e.classList || []).filter(c => c.startsWith('st-key-')));
        return keys.join(' '); })(),
      width: box.width, left: box.left, top: box.top,
      header_height: props.headerHeight, row_height: typeof props.rowHeight === 'number'
        ? props.rowHeight : 35,
      columns: props.columns.map((column, c) => ({
        title: column.title || '',
        width: column.width,
        cells: Array.from({length: n}, (_, r) => {
          const cell = props.getCellContent([c, r]) || {};
          // a placeholder across the columns (an empty grid's "empty") is no cell's text
          if (cell.span && cell.span[1] > cell.span[0]) return '';
          for (const text of [cell.displayData, cell.copyData, (cell.data || {}).displayDate,
                              cell.data]) if (typeof text === 'string') return text;
          return '';
        }),
      })),
    };
  }).filter(g => g)"""


def grids(page, rows: int = 60) -> list[dict]:
    """Every data grid on the page (``GRIDS_JS``)."""
    return page.evaluate(GRIDS_JS, rows)
