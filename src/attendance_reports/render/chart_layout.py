"""What both line-chart drawers share (charts.py draws with plotnine, svg_lines.py writes SVG
text directly): the Analysis Function palette, fonts and sizes, and the pure geometry of a
chart, each tested on its own: which points a line joins (``segments``), where series breaks
go (``break_positions``), the colour of each line, label dodging, axis tick text, text width,
and the SVG of a chart with no data.

Every number drawn as text goes through :mod:`attendance_reports.render.formatting`.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from attendance_reports.model.report_model import Chart, Series
from attendance_reports.render import formatting

# Analysis Function palette. Lines and their markers need 3:1 against white (WCAG 1.4.11):
# #12436D 10.3, #28A197 3.2, #801650 9.8, #F46A25 3.0. #BFBFBF (1.8:1) is only used for
# de-emphasised bars, whose values are printed in dark text beside them.
HIGHLIGHT = "#12436D"
PALETTE = ("#28A197", "#801650", "#F46A25")
#: lines beyond the fourth colour: a grey with 4.6:1 against white (GOV.UK dark grey)
GREY_LINE = "#6F777B"
GREY_BAR = "#BFBFBF"
TEXT = "#0B0C0C"  # 19.6:1
SECONDARY_TEXT = "#505A5F"  # 7.1:1
AXIS = "#505A5F"
GRID = "#E5E5E5"  # decorative only
BREAK_LINE = "#6F777B"

FONT_FAMILY = ("DejaVu Sans", "Arial")  # then the generic sans-serif
FONT_SIZE = 11  # pt, for every piece of text
NO_DATA = "No data to chart"
BREAK_LABEL = "series break"

# Sizes. An SVG user unit is a point; 0.75 pt = 1 CSS px, so 480 x 270 is 640 x 360 px.
PX = 0.75
LINE_WIDTH_PT = 640 * PX
LINE_HEIGHT_PT = 360 * PX
BAR_WIDTH_PT = 640 * PX
BAR_ROW_PX = 36
BAR_EXTRA_PX = 24
MAX_LABELLED_YEARS = 7  # at most this many year labels fit under a line chart (latest always)
LABEL_WRAP = 18  # characters per line of a direct label
AXIS_LABEL_WRAP = 28  # characters per line of a bar's area label
LABEL_GAP = 6  # pt between a line's last point and its label
LEADER_GAP = 14  # pt, when labels have leader lines


@dataclass(frozen=True)
class Line:
    """One drawable series of a line chart, on category positions 0..n-1."""

    label: str
    positions: tuple[int, ...]
    values: tuple[float, ...]
    highlight: bool
    colour: str


# ---------------------------------------------------------------- pure helpers (tested alone)


def isnan(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def has_data(series: Series) -> bool:
    """True when at least one y value is a number (an all-NaN series is not drawn)."""
    return any(not isnan(v) for v in series.y)


def segments(
    positions: Sequence[float], values: Sequence[float], cuts: Sequence[float] = ()
) -> list[list[int]]:
    """Split a series into runs that may be joined by a line: indices into ``values``.

    A run ends at a NaN, at a missing category (positions not adjacent) and at a cut (a
    series break lying between two points). A run of one index is an isolated point.
    ``segments([0, 1, 2, 3, 4], [1, 2, nan, 4, 5]) -> [[0, 1], [3, 4]]``.
    """
    runs: list[list[int]] = []
    current: list[int] = []
    previous: float | None = None
    order = sorted(range(len(values)), key=lambda i: positions[i])
    for i in order:
        if isnan(values[i]):
            if current:
                runs.append(current)
            current, previous = [], None
            continue
        here = positions[i]
        joined = (
            previous is not None
            and here - previous <= 1
            and not any(previous < cut < here for cut in cuts)
        )
        if current and not joined:
            runs.append(current)
            current = []
        current.append(i)
        previous = here
    if current:
        runs.append(current)
    return runs


def categories(series: Sequence[Series]) -> list[str]:
    """The x categories in the order given: the first series' order, then any new ones."""
    seen: dict[str, None] = {}
    for s in series:
        for x in s.x:
            seen.setdefault(x, None)
    return list(seen)


def chart_lines(chart: Chart, drawn: Sequence[Series]) -> tuple[list[str], list[Line]]:
    """A line chart's categories (x labels, in order) and one Line per drawn series, on the
    category positions 0..n-1, in its colour (``line_colours``)."""
    cats = categories(chart.series)
    index = {c: i for i, c in enumerate(cats)}
    lines = [
        Line(s.label, tuple(index[x] for x in s.x), tuple(float(v) for v in s.y), s.highlight, c)
        for s, c in zip(drawn, line_colours(drawn), strict=True)
    ]
    return cats, lines


def end_label(line: Line) -> tuple[Line, int, float, str, float, float]:
    """A line's direct label at its last point: (line, position, value, wrapped text, width,
    height in points)."""
    last = max(
        (i for i, v in enumerate(line.values) if not isnan(v)), key=lambda i: line.positions[i]
    )
    text = wrap(line.label, LABEL_WRAP)
    width, height = measure(text, bold=line.highlight)
    return line, line.positions[last], line.values[last], text, width, height


def break_positions(
    breaks: Sequence[str], cats: Sequence[str], lines: Sequence[Line]
) -> list[float]:
    """Where to draw each series break, in category positions.

    - a break year with no data in any series (e.g. 2019/20 kept as an empty year): on it;
    - a break year with data (e.g. 2012/13, first year of a new series): between it and the
      year before;
    - a break year absent from x (e.g. 2019/20 between 2018/19 and 2020/21): between its
      neighbours; nothing when it falls before the first or after the last category.
    """
    with_data = {
        p
        for line in lines
        for p, v in zip(line.positions, line.values, strict=True)
        if not isnan(v)
    }
    keys = [formatting.period_code(c) for c in cats]
    out: list[float] = []
    for b in breaks:
        if b in cats:
            i = cats.index(b)
            if i not in with_data:
                out.append(float(i))
            elif i > 0:
                out.append(i - 0.5)
            continue
        key = formatting.period_code(b)
        for i in range(len(cats) - 1):
            if keys[i] < key < keys[i + 1]:
                out.append(i + 0.5)
                break
    return sorted(set(out))


def line_colours(series: Sequence[Series]) -> list[str]:
    """Highlighted series dark blue; the others the palette's next colours, then grey.

    With nothing highlighted the palette starts at dark blue (still at most four colours).
    """
    others = (HIGHLIGHT, *PALETTE) if not any(s.highlight for s in series) else PALETTE
    colours, k = [], 0
    for s in series:
        if s.highlight:
            colours.append(HIGHLIGHT)
        else:
            colours.append(others[k] if k < len(others) else GREY_LINE)
            k += 1
    return colours


def dodge(
    wanted: Sequence[float], heights: Sequence[float], low: float, high: float
) -> list[float]:
    """Move label centres apart so labels of the given heights don't overlap.

    Labels keep their order and move as little as possible (overlapping labels are stacked
    around their mean position), staying within [low, high] where there is room.
    """
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    clusters: list[list[int]] = []  # indices into order

    def place(cluster: list[int]) -> list[float]:
        offsets, total = [], 0.0
        for n, k in enumerate(cluster):
            if n:
                total += (heights[order[cluster[n - 1]]] + heights[order[k]]) / 2
            offsets.append(total)
        base = sum(wanted[order[k]] - o for k, o in zip(cluster, offsets, strict=True)) / len(
            cluster
        )
        bottom = low + heights[order[cluster[0]]] / 2
        top = high - heights[order[cluster[-1]]] / 2 - offsets[-1]
        base = max(min(base, top), bottom) if top >= bottom else bottom
        return [base + o for o in offsets]

    placed: list[list[float]] = []
    for k in range(len(order)):
        clusters.append([k])
        placed.append(place([k]))
        while len(clusters) > 1:
            a, b = clusters[-2], clusters[-1]
            gap = (heights[order[a[-1]]] + heights[order[b[0]]]) / 2
            if placed[-1][0] - placed[-2][-1] >= gap - 1e-12:
                break
            merged = a + b
            clusters[-2:] = [merged]
            placed[-2:] = [place(merged)]
    result = [0.0] * len(wanted)
    for cluster, ys in zip(clusters, placed, strict=True):
        for k, y in zip(cluster, ys, strict=True):
            result[order[k]] = y
    return result


def tick_labels(values: Sequence[float]) -> list[str]:
    """Axis numbers through formatting.number, with as few decimals as the ticks need."""
    places = 0
    while places < 3 and any(
        formatting.round_half_up(v, places) != formatting.round_half_up(v, places + 3)
        for v in values
    ):
        places += 1
    return [formatting.number(v, places) for v in values]


def wrap(label: str, width: int) -> str:
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


@functools.cache
def measure(text: str, bold: bool = False) -> tuple[float, float]:
    """Width and height in points of text at FONT_SIZE in the first font family."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    # DejaVu Sans ships with matplotlib (and is wider than Arial, so widths are generous)
    prop = FontProperties(
        family=FONT_FAMILY[0], size=FONT_SIZE, weight="bold" if bold else "normal"
    )
    lines = text.split("\n")
    width = max(TextToPath().get_text_width_height_descent(t, prop, ismath=False)[0] for t in lines)
    return width, FONT_SIZE * 1.25 * len(lines)


def empty_svg(width: float, height: float) -> str:
    family = ", ".join([*(f"'{f}'" for f in FONT_FAMILY), "sans-serif"])
    w, h = (
        formatting.number(width, 0).replace(",", ""),
        formatting.number(height, 0).replace(",", ""),
    )
    x, y = formatting.number(width / 2, 1), formatting.number(height / 2, 1)
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" version="1.1">\n'
        f'<rect width="{w}" height="{h}" fill="#ffffff"/>\n'
        f'<text x="{x}" y="{y}" text-anchor="middle" dominant-baseline="middle" '
        f'style="font-size: {FONT_SIZE + 3}px; font-family: {family}; fill: {TEXT}">'
        f"{escape(NO_DATA)}</text>\n</svg>\n"
    )
