"""Line charts written directly as SVG text, for the page types there are thousands of (school
and trust pages): about a millisecond a chart where plotnine takes a fifth of a second.

``line_svg(chart)`` draws a ``Chart`` of kind ``"line-fast"`` like charts.py draws ``"line"``:
the same palette, font and size (640 x 360 px), lines with points, NaN and series breaks as
gaps, each line labelled directly at its last point (labels pushed apart, never colour alone),
``chart.breaks`` as dashed grey lines labelled with ``chart.break_labels`` (default "series
break"). Real text, a viewBox and no fixed size; the same Chart gives the same bytes. Every
number drawn as text goes through formatting.py.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from attendance_reports.model.report_model import Chart
from attendance_reports.render.chart_layout import (
    AXIS,
    BREAK_LABEL,
    BREAK_LINE,
    FONT_FAMILY,
    FONT_SIZE,
    GRID,
    LABEL_GAP,
    LINE_HEIGHT_PT,
    LINE_WIDTH_PT,
    MAX_LABELLED_YEARS,
    SECONDARY_TEXT,
    TEXT,
    break_positions,
    chart_lines,
    dodge,
    empty_svg,
    end_label,
    has_data,
    isnan,
    measure,
    segments,
    tick_labels,
)

FAMILY = ", ".join([*(f"'{f}'" for f in FONT_FAMILY), "sans-serif"])


def nice_ticks(low: float, high: float, wanted: int = 5) -> list[float]:
    """About ``wanted`` round tick values from at most ``low`` to at least ``high``."""
    span = max(high - low, 1e-9)
    raw = span / max(wanted - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _n(value: float) -> str:
    """A coordinate to 1/100 pt."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(
    x: float,
    y: float,
    text: str,
    anchor: str = "start",
    bold: bool = False,
    colour: str = TEXT,
    baseline: str = "central",
) -> str:
    lines = text.split("\n")
    weight = "font-weight: bold; " if bold else ""
    style = f"font: {FONT_SIZE}px {FAMILY}; {weight}fill: {colour}"
    if len(lines) == 1:
        return (
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" dominant-baseline="{baseline}" '
            f'style="{style}">{escape(text)}</text>'
        )
    step = FONT_SIZE * 1.25
    top = y - step * (len(lines) - 1) / 2
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(top + i * step)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text text-anchor="{anchor}" dominant-baseline="{baseline}" style="{style}">'
        f"{spans}</text>"
    )


def line_svg(chart: Chart) -> str:
    """The chart as SVG text (see the module docstring)."""
    drawn = [s for s in chart.series if has_data(s)]
    width, height = LINE_WIDTH_PT, LINE_HEIGHT_PT
    if not drawn:
        return empty_svg(width, height)
    cats, lines = chart_lines(chart, drawn)
    cuts = break_positions(chart.breaks, cats, lines)
    labels_for_cuts = _break_labels(chart, cats, cuts, lines)
    # a labelled break other than 'series break' (a school's new URN) marks where one series
    # ends and the next begins: it is drawn, but cuts no line (the LA's does not break there)
    cutting = [p for p, text in zip(cuts, labels_for_cuts, strict=True) if text == BREAK_LABEL]

    values = [v for line in lines for v in line.values if not isnan(v)]
    low = min(0.0, min(values))
    ticks = nice_ticks(low, max(values) if max(values) > low else low + 1)
    low, top = ticks[0], ticks[-1]
    tick_text = tick_labels(ticks)

    left = max(measure(t)[0] for t in tick_text) + FONT_SIZE * 1.4 + 10
    right_edge = width - 6
    bottom = height - FONT_SIZE * 1.6 - 8
    band = 0.0
    break_rows: list[int] = []
    if cuts:
        rows_end: list[float] = []
        # break labels sit in rows above the data, staggered when they would overlap
        unit_guess = (right_edge - left) / max(len(cats), 1)
        for pos, text in zip(cuts, labels_for_cuts, strict=True):
            start = pos * unit_guess
            row = next((r for r, end in enumerate(rows_end) if end < start), len(rows_end))
            if row == len(rows_end):
                rows_end.append(0.0)
            rows_end[row] = start + measure(text)[0] + 8
            break_rows.append(row)
        band = len(rows_end) * FONT_SIZE * 1.25 + 4
    panel_top = 8 + band

    labels, early = [], []  # labels right of the last category; above a line that ends early
    end = max(
        p
        for line in lines
        for p, v in zip(line.positions, line.values, strict=True)
        if not isnan(v)
    )
    for line in lines:
        item = end_label(line)
        (labels if item[1] == end else early).append(item)
    label_room = max(w for *_, w, _h in labels) + LABEL_GAP + 4
    panel_right = right_edge - label_room
    xmin, xmax = -0.5, len(cats) - 0.5
    unit = (panel_right - left) / (xmax - xmin)

    def x_of(pos: float) -> float:
        return left + (pos - xmin) * unit

    def y_of(value: float) -> float:
        return bottom - (value - low) / (top - low) * (bottom - panel_top)

    out = [
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        'version="1.1">',
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
    ]
    for tick, text in zip(ticks, tick_text, strict=True):
        y = y_of(tick)
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(panel_right)}" y2="{_n(y)}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
        )
        out.append(_text(left - 5, y, text, "end"))
    out.append(
        _text(FONT_SIZE * 0.7, (panel_top + bottom) / 2, chart.y_label, "middle").replace(
            "<text ",
            f'<text transform="rotate(-90 {_n(FONT_SIZE * 0.7)} {_n((panel_top + bottom) / 2)})" ',
            1,
        )
    )
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(panel_right)}" y2="{_n(bottom)}" '
        f'stroke="{AXIS}" stroke-width="0.8"/>'
    )
    shown = list(cats)
    if len(cats) > MAX_LABELLED_YEARS:
        last, step = len(cats) - 1, -(-len(cats) // MAX_LABELLED_YEARS)
        shown = [c if (last - i) % step == 0 else "" for i, c in enumerate(cats)]
    for i, text in enumerate(shown):
        if text:
            x = x_of(i)
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" y2="{_n(bottom + 4)}" '
                f'stroke="{AXIS}" stroke-width="0.8"/>'
            )
            out.append(_text(x, bottom + 6 + FONT_SIZE * 0.6, text, "middle"))
    for pos, text, row in zip(cuts, labels_for_cuts, break_rows, strict=True):
        x = x_of(pos)
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(panel_top - band + 2)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            f'stroke="{BREAK_LINE}" stroke-width="0.5" stroke-dasharray="3 2"/>'
        )
        y = 8 + row * FONT_SIZE * 1.25 + FONT_SIZE * 0.6
        out.append(_text(x + 3, y, text, colour=SECONDARY_TEXT))
    order = sorted(range(len(lines)), key=lambda k: lines[k].highlight)
    for k in order:
        line = lines[k]
        stroke = 2.1 if line.highlight else 1.2
        for run in segments(line.positions, line.values, cutting):
            points = " ".join(
                f"{_n(x_of(line.positions[i]))},{_n(y_of(line.values[i]))}" for i in run
            )
            if len(run) > 1:
                out.append(
                    f'<polyline points="{points}" fill="none" stroke="{line.colour}" '
                    f'stroke-width="{stroke}" stroke-linejoin="round"/>'
                )
            for i in run:
                out.append(
                    f'<circle cx="{_n(x_of(line.positions[i]))}" cy="{_n(y_of(line.values[i]))}" '
                    f'r="2.6" fill="{line.colour}"/>'
                )
    per_pt = (top - low) / (bottom - panel_top)
    ys = dodge([lab[2] for lab in labels], [lab[5] * per_pt for lab in labels], low, top)
    for (line, pos, _y, text, _w, _h), label_y in zip(labels, ys, strict=True):
        out.append(_text(x_of(pos) + LABEL_GAP, y_of(label_y), text, bold=line.highlight))
    for line, pos, _value, text, w, h in early:
        # above every point under the label (it reads leftwards from the line's last point),
        # or below them all when there is no room above
        right = x_of(pos)
        under = [
            v
            for other in lines
            for p, v in zip(other.positions, other.values, strict=True)
            if not isnan(v) and right - w - 4 <= x_of(p) <= right + 4
        ]
        y = y_of(max(under)) - h / 2 - 6
        if y < panel_top + h / 2:
            y = y_of(min(under)) + h / 2 + 6
        out.append(_text(right, y, text, "end", bold=line.highlight))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _break_labels(chart: Chart, cats: list[str], cuts: list[float], lines: list) -> list[str]:
    """The label of each drawn break: ``chart.break_labels`` matched by position, in the order
    of ``cuts`` (break_positions sorts and merges them)."""
    given = dict(zip(chart.breaks, chart.break_labels, strict=False))
    where = {b: break_positions([b], cats, lines) for b in chart.breaks}
    out = []
    for pos in cuts:
        found = [given.get(b, BREAK_LABEL) for b in chart.breaks if where[b] == [pos]]
        out.append("; ".join(dict.fromkeys(found)) or BREAK_LABEL)
    return out
