"""The guard against cut and raw text (issue 21): what a page must never show a reader.

``problems(page, column_names)`` reads the page as the browser laid it out and returns
one line per problem:

- **cut text**: a button, tab, select, label, link, table cell or any other text whose
  box reaches past an ancestor that clips it (``overflow`` other than ``visible``:
  text cut off, or ended with an ellipsis by CSS, or scrolled out of sight to the
  right of a table), an input whose value is wider than its field, text with a
  literal ellipsis, and in a chart a label with an ellipsis;
- **cut grid cells**: in a data grid (``st.dataframe``, drawn on a canvas, read with
  ``grid.py``) a column title or one of the first rows' cells wider than its column
  (a grid wider than the window scrolls sideways: its columns are there to scroll to,
  so that is no cut), or a cell with a raw value or ending in an ellipsis;
- **raw headers**: a visible column header (a table's ``th``, a grid's column title)
  that is a column name of the store (``column_names``) or looks like a field name
  (``snake_case``);
- **raw values**: a table cell or metric that is ``nan``, ``None``, ``NaT``, ``<NA>``,
  ``null``, or a timestamp with a midnight time (``2023-06-02 00:00:00``).

Text widths are the browser's own (layout boxes; for the canvas grid, the canvas's
``measureText`` in the grid's fonts), so nothing here estimates a font.
"""

from __future__ import annotations

import re

from .conftest import ARTIFACTS
from .grid import grids
from .waiting import wait_settled

#: A raw value (as ``DOM_JS``'s): what a missing value or a midnight timestamp prints as.
RAW = re.compile(r"^(nan|NaN|None|NaT|<NA>|null|undefined)$|\d{4}-\d\d-\d\d[ T]00:00:00")

#: The DOM checks: cut text and raw headers/values outside the canvas grids.
DOM_JS = r"""(columnNames) => {
    const out = [];
    const names = new Set(columnNames);
    const fieldName = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;
    const raw = /^(nan|NaN|None|NaT|<NA>|null|undefined)$|\d{4}-\d\d-\d\d[ T]00:00:00/;
    const clean = t => (t || '').replace(/\s+/g, ' ').trim();
    const shown = e => {
        const r = e.getBoundingClientRect();
        if (r.width < 1 || r.height < 1) return false;
        const s = getComputedStyle(e);
        return s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0';
    };
    const part = e => {  // where on the page: the nearest keyed container or test id
        for (let n = e; n; n = n.parentElement) {
            const key = Array.from(n.classList || []).find(c => c.startsWith('st-key-'));
            if (key) return key.slice(7);
            if (n.dataset && n.dataset.testid && n.dataset.testid !== 'stMarkdownContainer')
                return n.dataset.testid;
        }
        return '';
    };
    const roots = Array.from(document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stSidebar"]'));
    const seen = new Set();
    for (const root of roots) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = clean(node.textContent);
            const el = node.parentElement;
            if (!text || !el || seen.has(el) || !shown(el)) continue;
            if (el.closest('svg, script, style, [data-testid="stCode"], [hidden]')) continue;
            seen.add(el);
            const whole = clean(el.innerText);
            // a literal ellipsis where a label or value was shortened (a button that
            // opens a dialog may end in one: "Remove demo data…")
            if (/…|\.\.\.$/.test(text) && el.closest(
                    'td, th, label, [role="tab"], [data-baseweb="tag"], [data-baseweb="select"]'))
                out.push(`ellipsis: "${whole.slice(0, 60)}" (${part(el)})`);
            // the text's own box against every ancestor that clips (up to the root)
            const range = document.createRange();
            range.selectNodeContents(node);
            const t = range.getBoundingClientRect();
            if (t.width < 1) continue;
            for (let a = el; a && a !== root.parentElement; a = a.parentElement) {
                const s = getComputedStyle(a);
                const clipsX = s.overflowX !== 'visible', clipsY = s.overflowY !== 'visible';
                if (!clipsX && !clipsY) continue;
                const r = a.getBoundingClientRect();
                const left = r.left + a.clientLeft, top = r.top + a.clientTop;
                const right = left + a.clientWidth, bottom = top + a.clientHeight;
                const cutX = clipsX && (t.left < left - 1 || t.right > right + 1);
                const cutY = clipsY && (t.top < top - 1 || t.bottom > bottom + 1)
                    && a.scrollHeight <= a.clientHeight + 1;  // a scrolling list is no cut
                if (cutX || cutY) {
                    out.push(`cut: "${whole.slice(0, 60)}" (${part(el)}; text ${t.width | 0}`
                             + ` px in ${a.clientWidth} px)`);
                    break;
                }
            }
        }
        // a field's value against its field (the browser's own measure of the text)
        const ctx = document.createElement('canvas').getContext('2d');
        for (const input of root.querySelectorAll(
                'input[type="text"], input[type="number"], input:not([type])')) {
            if (!shown(input) || !input.value) continue;
            const s = getComputedStyle(input);
            ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
            const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
            const width = ctx.measureText(input.value).width;
            if (width > room + 0.5)
                out.push(`cut input: "${input.value.slice(0, 60)}" (${part(input)}; `
                         + `${width | 0} px in ${room | 0} px)`);
        }
        for (const th of root.querySelectorAll('th')) {
            const text = clean(th.innerText);
            if (shown(th) && (names.has(text) || fieldName.test(text)))
                out.push(`field name as a header: "${text}" (${part(th)})`);
        }
        for (const cell of root.querySelectorAll(
                'td, th, [data-testid="stMetricValue"], [data-testid="stMetricLabel"]')) {
            const text = clean(cell.innerText);
            if (shown(cell) && raw.test(text))
                out.push(`raw value: "${text}" (${part(cell)})`);
        }
        for (const label of root.querySelectorAll('.js-plotly-plot text')) {
            const text = clean(label.textContent);
            if (/…|\.\.\.$/.test(text)) out.push(`ellipsis in a chart: "${text}" (${part(label)})`);
        }
    }
    return out;
}"""

#: Text widths in a grid's fonts (the canvas's own measure), per [font, text].
MEASURE_JS = """(items) => {
    const ctx = document.createElement('canvas').getContext('2d');
    return items.map(([font, text]) => { ctx.font = font; return ctx.measureText(text).width; });
}"""
#: The grid's fonts and cell padding (Glide Data Grid's theme, as Streamlit sets it).
GRID_THEME_JS = """() => Array.from(document.querySelectorAll('canvas[data-testid="data-grid-canvas"]'))
  .map(canvas => {
    const key = Object.keys(canvas).find(k => k.startsWith('__reactFiber'));
    for (let f = canvas[key]; f; f = f.return) {
        const t = f.memoizedProps && f.memoizedProps.theme;
        if (t && t.baseFontStyle) return {
            cell: `${t.baseFontStyle} ${t.fontFamily}`,
            header: `${t.headerFontStyle} ${t.fontFamily}`,
            padding: t.cellHorizontalPadding || 8};
    }
    return null;
  })"""
#: Room a grid's header keeps beside its title (the sort and menu icons).
HEADER_ICONS_PX = 0


def grid_problems(page, column_names: set[str]) -> list[str]:
    """Cut cells, cut titles, columns out of sight and raw headers in the data grids."""
    out: list[str] = []
    found = grids(page, rows=30)
    themes = page.evaluate(GRID_THEME_JS)
    for grid, theme in zip(found, themes, strict=False):
        theme = theme or {"cell": "14px sans-serif", "header": "600 14px sans-serif", "padding": 8}
        where = grid["key"].split(" ")[0].removeprefix("st-key-") or "a grid"
        columns = [c for c in grid["columns"] if c["title"] or any(c["cells"])]
        items = [(theme["header"], c["title"]) for c in columns]
        items += [(theme["cell"], text) for c in columns for text in c["cells"]]
        widths = iter(page.evaluate(MEASURE_JS, items))
        titles = [next(widths) for _ in columns]
        cells = [[next(widths) for _ in c["cells"]] for c in columns]
        for column, title_px, cell_px in zip(columns, titles, cells, strict=True):
            room = column["width"] - 2 * theme["padding"]
            title = column["title"]
            if title in column_names or (title and title.islower() and "_" in title):
                out.append(f'field name as a header: "{title}" ({where})')
            if title_px > room - HEADER_ICONS_PX + 1:
                out.append(f'cut title: "{title}" ({where}; {title_px:.0f} px in {room:.0f})')
            for text, text_px in zip(column["cells"], cell_px, strict=True):
                if RAW.search(text) or text.endswith(("…", "...")):
                    out.append(f'raw or shortened value: "{text[:60]}" ({where}, "{title}")')
                    break
                if text_px > room + 1:
                    out.append(
                        f'cut cell: "{text[:60]}" ({where}, column "{title}"; '
                        f"{text_px:.0f} px in {room:.0f})"
                    )
                    break  # one per column
    return out


def problems(page, column_names: set[str]) -> list[str]:
    """Every cut or raw text on the page as it is laid out now (DOM and grids)."""
    return page.evaluate(DOM_JS, sorted(column_names)) + grid_problems(page, column_names)


def store_column_names(store_path) -> set[str]:
    """Every column name of the store's tables and views (DuckDB's catalogue)."""
    from ceasefire import store

    con = store.reader(store_path)
    try:
        rows = con.execute("SELECT DISTINCT column_name FROM information_schema.columns").fetchall()
    finally:
        con.close()
    return {name for (name,) in rows}


def slug(address: str) -> str:
    """A file name part for an address: /incidents?incident=1 -> incidents-incident-1."""
    return re.sub(r"[^a-z0-9]+", "-", address.lower()).strip("-") or "overview"


def screenshot(page, name: str) -> None:
    """The whole page (the app scrolls inside its main block, so the window is made as
    tall as the page for the picture, then put back)."""
    size = page.viewport_size
    tall = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll("
        '\'[data-testid="stMain"], [data-testid="stSidebarContent"]\'), e => e.scrollHeight))'
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(tall, 600), 12_000)})
    wait_settled(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(size)


def walk_check(page, role: str, address: str, width: int, column_names: set[str]) -> list[str]:
    """At this width (the window set, the page settled): the guard's problems on the
    page, and its screenshot saved."""
    page.set_viewport_size({"width": width, "height": 1000})
    wait_settled(page)  # the charts redrawn at the new width
    found = problems(page, column_names)
    screenshot(page, f"readable-{role}-{slug(address)}-{width}")
    return found
