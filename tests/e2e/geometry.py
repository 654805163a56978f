"""The geometry guard: what a figure's SVG must never show, measured by a browser.

``problems(page, svg)`` loads an SVG (a chart as kaleido exports it, or as the page
draws it) into a Chromium page, so every text box is measured by the same engine that
draws it, and returns one line per problem:

- a text box overlapping another text box;
- a text box overlapping a data mark: a bar, an incident marker (the scatter traces
  whose uid starts with "incidents"), or a heatmap's cells (a cell's own number, drawn
  by a text-only scatter trace, must lie inside that cell; no other text may touch the
  cells);
- a line (a shape: a milestone's) across a data mark, drawn over it or behind it;
- a label cut with an ellipsis ("…" or "...");
- a text box outside the figure;
- a plot area (the subplots' clip rectangles, overlapping rows counted once) under
  ``MIN_PLOT_FRACTION`` of the figure's height.

``GEOMETRY_JS`` takes the root element: an exported ``svg``, or a chart's
``.svg-container`` in the app's page (where plotly draws two stacked SVGs), so the same
check runs on the page's charts (``test_figure_geometry.py``; there the map's markers are
WebGL, not SVG, and only its text is checked).
"""

from __future__ import annotations

MIN_PLOT_FRACTION = 0.6

GEOMETRY_JS = r"""(svg) => {
    const out = [];
    const box = svg.getBoundingClientRect();
    const height = parseFloat(svg.getAttribute('height')) || box.height;
    const meets = (p, q, slack) => p.left < q.right - slack && q.left < p.right - slack
        && p.top < q.bottom - slack && q.top < p.bottom - slack;
    const shown = e => {
        for (let n = e; n && n !== svg.parentNode; n = n.parentNode) {
            if (!n.getAttribute) continue;
            const s = window.getComputedStyle(n);
            if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
        }
        const r = e.getBoundingClientRect();
        return r.width > 0.5 && r.height > 0.5;
    };
    const texts = Array.from(svg.querySelectorAll('text'))
        .filter(t => (t.textContent || '').trim() && shown(t))
        .map(t => ({text: t.textContent.trim().slice(0, 60), r: t.getBoundingClientRect(),
                    cell: !!t.closest('g.scatterlayer g.textpoint')}));
    const name = t => `"${t.text}" [${t.r.left|0},${t.r.top|0},${t.r.right|0},${t.r.bottom|0}]`;
    // cut labels and text outside the figure
    for (const t of texts) {
        if (t.text.includes('…') || t.text.endsWith('...')) out.push(`ellipsis: ${name(t)}`);
        if (t.r.left < box.left - 1 || t.r.right > box.right + 1 || t.r.top < box.top - 1
            || t.r.bottom > box.bottom + 1) out.push(`outside the figure: ${name(t)}`);
    }
    // text over text
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
        if (meets(texts[i].r, texts[j].r, 1)) out.push(`text over text: ${name(texts[i])} / ${name(texts[j])}`);
    }
    // data marks: bars, incident markers, heatmap cells
    const marks = [];
    svg.querySelectorAll('g.barlayer g.point path').forEach(p => marks.push(['bar', p.getBoundingClientRect()]));
    svg.querySelectorAll('g.scatterlayer g.trace').forEach(g => {
        if (!Array.from(g.classList).some(c => c.startsWith('traceincidents'))) return;
        g.querySelectorAll('path.point').forEach(p => marks.push(['point', p.getBoundingClientRect()]));
    });
    const marked = marks.filter(([_, r]) => r.width > 0.5 && r.height > 0.5);
    for (const t of texts) {
        for (const [kind, r] of marked) {
            if (meets(t.r, r, 1)) { out.push(`text over a ${kind}: ${name(t)}`); break; }
        }
    }
    // a line drawn in the plot across a data mark (a milestone's line), even behind it;
    // shaded spans (rectangles) are not lines
    svg.querySelectorAll('g.shapelayer path').forEach(p => {
        const r = p.getBoundingClientRect();
        if (Math.min(r.width, r.height) > 3 || r.width + r.height < 1) return;
        for (const [kind, m] of marked) {
            if (meets(r, m, 0.5)) {
                out.push(`a line across a ${kind} [${r.left|0},${r.top|0},${r.right|0},${r.bottom|0}]`);
                break;
            }
        }
    });
    svg.querySelectorAll('g.heatmaplayer image').forEach(img => {
        const r = img.getBoundingClientRect();
        const sub = img.closest('g.subplot') || svg;
        const columns = Math.max(1, sub.parentNode.querySelectorAll('g.xtick').length);
        const rows = Math.max(1, sub.parentNode.querySelectorAll('g.ytick').length);
        const w = r.width / columns, h = r.height / rows;
        for (const t of texts) {
            if (!meets(t.r, r, 1)) continue;
            if (!t.cell) { out.push(`text over the cells: ${name(t)}`); continue; }
            const cx = Math.floor(((t.r.left + t.r.right) / 2 - r.left) / w);
            const cy = Math.floor(((t.r.top + t.r.bottom) / 2 - r.top) / h);
            const cell = {left: r.left + cx * w, right: r.left + (cx + 1) * w,
                          top: r.top + cy * h, bottom: r.top + (cy + 1) * h};
            if (t.r.left < cell.left - 0.5 || t.r.right > cell.right + 0.5
                || t.r.top < cell.top - 0.5 || t.r.bottom > cell.bottom + 0.5)
                out.push(`cell number wider than its cell: ${name(t)} (cell ${w|0}x${h|0})`);
        }
    });
    // the plot area's share of the height
    // each subplot: its clip rectangle, placed by the group that it clips
    const spans = Array.from(svg.querySelectorAll('clipPath[id$="plot"]')).map(c => {
        const r = c.querySelector('rect');
        const g = svg.querySelector(`[clip-path="url(#${c.id})"]`);
        const m = g && g.transform.baseVal.consolidate();
        const top = (m ? m.matrix.f : 0) + r.y.baseVal.value;
        return [top, top + r.height.baseVal.value];
    }).sort((a, b) => a[0] - b[0]);
    let covered = 0, end = -Infinity;
    for (const [a, b] of spans) {
        if (b <= end) continue;
        covered += b - Math.max(a, end);
        end = b;
    }
    const fraction = covered / height;
    return {problems: out, plot_fraction: fraction, texts: texts.length, marks: marked.length,
            cell_font_px: Array.from(svg.querySelectorAll('g.scatterlayer g.textpoint text'))
                .map(t => parseFloat(window.getComputedStyle(t).fontSize))};
}"""


def measure(page, svg: str) -> dict:
    """Load ``svg`` into ``page`` and measure it (``GEOMETRY_JS``'s result)."""
    page.set_content(
        "<!doctype html><html><body style='margin:0'>" + svg + "</body></html>",
        wait_until="load",
    )
    return page.evaluate(f"() => ({GEOMETRY_JS})(document.querySelector('svg'))")


def problems(page, svg: str, min_fraction: float = MIN_PLOT_FRACTION) -> list[str]:
    """Every problem ``measure`` finds, with the plot area's share of the height."""
    found = measure(page, svg)
    out = list(found["problems"])
    if found["plot_fraction"] < min_fraction:
        out.append(f"plot area {found['plot_fraction']:.0%} of the height (< {min_fraction:.0%})")
    return out
