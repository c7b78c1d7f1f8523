"""Charts as small, deterministic, responsive SVG, drawn with plotnine.

``chart_svg(chart)`` renders a :class:`~attendance_reports.model.report_model.Chart`:

- ``kind="line"``: a trend over academic years. One line (with points) per series, labelled
  directly at its last point (no legend, never colour alone). NaN is a gap: lines are never
  joined across a missing value, a missing year or a series break. ``chart.breaks`` are drawn
  as dashed grey vertical lines labelled "series break".
- ``kind="bar"``: one horizontal bar per series (area), top = first, the value printed at the
  end of each bar through :func:`formatting.percent` (:func:`formatting.signed` when
  ``y_label`` is 'percentage points').

Title, subtitle and source are not drawn: the page shows them in HTML around the image.
Every number drawn as text goes through :mod:`attendance_reports.render.formatting`.

The SVG keeps real text (``svg.fonttype: none``; the page's ``<img alt>`` and data table carry
the meaning), has a ``viewBox`` and no fixed width or height so it scales to its container,
and is byte-identical for the same Chart: the hash salt is fixed (per chart id, so clip-path
ids stay unique when two charts are inlined in one page), there is no date metadata and ids
nobody refers to are removed.

plotnine is imported lazily, so importing this module is cheap.
"""

from __future__ import annotations

import functools
import io
import math
import re
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
class _Line:
    """One drawable series of a line chart, on category positions 0..n-1."""

    label: str
    positions: tuple[int, ...]
    values: tuple[float, ...]
    highlight: bool
    colour: str


# ---------------------------------------------------------------- pure helpers (tested alone)


def _isnan(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def has_data(series: Series) -> bool:
    """True when at least one y value is a number (an all-NaN series is not drawn)."""
    return any(not _isnan(v) for v in series.y)


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
        if _isnan(values[i]):
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


def break_positions(
    breaks: Sequence[str], cats: Sequence[str], lines: Sequence[_Line]
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
        if not _isnan(v)
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


def _wrap(label: str, width: int) -> str:
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


@functools.cache
def _measure(text: str, bold: bool = False) -> tuple[float, float]:
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


# ---------------------------------------------------------------- SVG output


_GEOMETRY = re.compile(r'(\s(?:d|x|y|transform|style)=")([^"]*)(")')
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")


def _finish(svg: str) -> str:
    """Make the SVG responsive and lean: no fixed size, no ids nobody refers to, no
    indentation, and coordinates cut to 1/100 pt (geometry only: text content is untouched).
    """
    svg = re.sub(r'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r"\1", svg, count=1)
    used = set(re.findall(r"url\(#([^)]+)\)", svg)) | set(re.findall(r'href="#([^"]+)"', svg))
    svg = re.sub(r'\s+id="([^"]+)"', lambda m: m.group(0) if m.group(1) in used else "", svg)
    svg = _GEOMETRY.sub(
        lambda m: m.group(1) + _LONG_DECIMAL.sub(r"\1", m.group(2)) + m.group(3), svg
    )
    return re.sub(r"\n[ \t]+", "\n", svg)


def _empty_svg(width: float, height: float) -> str:
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


def _theme(chart: Chart, width_pt: float, height_pt: float):
    """A minimal theme whose rcParams also fix fonts, real-text SVG and the hash salt."""
    from plotnine import element_blank, element_line, element_text, theme, theme_minimal

    base = theme_minimal(base_size=FONT_SIZE)
    base._rcParams.update(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": f"attendance-reports:{chart.id}",
            "font.family": ["sans-serif"],
            "font.sans-serif": list(FONT_FAMILY),
            "text.parse_math": False,
            "axes.unicode_minus": False,
        }
    )
    return base + theme(
        figure_size=(width_pt / 72, height_pt / 72),
        dpi=96,
        text=element_text(color=TEXT, size=FONT_SIZE),
        axis_text=element_text(color=TEXT, size=FONT_SIZE),
        axis_title=element_text(color=TEXT, size=FONT_SIZE),
        panel_grid_minor=element_blank(),
        panel_grid_major_x=element_blank(),
        panel_grid_major_y=element_line(color=GRID, size=0.6),
        legend_position="none",
        plot_margin=0.015,
    )


def _save(plot) -> str:
    """Draw and save as SVG text, in the theme's rcParams (fonts, fonttype, hash salt)."""
    import matplotlib as mpl
    from matplotlib.collections import PathCollection

    figure = plot.draw()  # closed by plotnine afterwards; it can still be saved
    # plotnine gives every point its own size, so matplotlib writes each marker out as a
    # full circle path (~600 bytes). One size for the collection lets it write one <defs>
    # path and a short <use> per point.
    for ax in figure.axes:
        for collection in ax.collections:
            if isinstance(collection, PathCollection):
                sizes = collection.get_sizes()
                if len(sizes) > 1 and (sizes == sizes[0]).all():
                    collection.set_sizes(sizes[:1])
    buffer = io.StringIO()
    with mpl.rc_context(plot.theme.rcParams):
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    return buffer.getvalue()


def chart_svg(chart: Chart) -> str:
    """Render a Chart to SVG text with plotnine. Deterministic: same Chart -> same bytes."""
    for s in chart.series:
        if len(s.x) != len(s.y):
            raise ValueError(
                f"chart {chart.id!r}, series {s.label!r}: {len(s.x)} x values but {len(s.y)} y values"
            )
    if chart.kind == "line":
        return _line_svg(chart)
    if chart.kind == "bar":
        return _bar_svg(chart)
    if chart.kind == "line-fast":
        from attendance_reports.render.svg_lines import line_svg

        return line_svg(chart)
    raise ValueError(
        f"chart {chart.id!r}: unknown kind {chart.kind!r} (expected 'line', 'line-fast' or 'bar')"
    )


# ---------------------------------------------------------------- line charts


def _line_svg(chart: Chart) -> str:
    drawn = [s for s in chart.series if has_data(s)]
    if not drawn:
        return _empty_svg(LINE_WIDTH_PT, LINE_HEIGHT_PT)

    import pandas as pd
    from mizani.breaks import breaks_extended
    from plotnine import (
        aes,
        annotate,
        element_line,
        geom_line,
        geom_point,
        geom_segment,
        geom_text,
        geom_vline,
        ggplot,
        labs,
        scale_color_identity,
        scale_fill_identity,
        scale_size_identity,
        scale_x_continuous,
        scale_y_continuous,
        theme,
    )

    cats = categories(chart.series)
    index = {c: i for i, c in enumerate(cats)}
    lines = [
        _Line(s.label, tuple(index[x] for x in s.x), tuple(float(v) for v in s.y), s.highlight, c)
        for s, c in zip(drawn, line_colours(drawn), strict=True)
    ]
    cuts = break_positions(chart.breaks, cats, lines)

    # Y scale: from 0 (or below, for negative values) to a round number above the data.
    values = [v for line in lines for v in line.values if not _isnan(v)]
    low = min(0.0, min(values))
    top = max(values) if max(values) > low else low + 1
    span = top - low
    ybreaks = [float(b) for b in breaks_extended(n=5)((low, top))]
    data_top = max([top + 0.04 * span, *[b for b in ybreaks if b >= top][:1]])
    if low < 0:  # negative values (changes): down to a round number below them
        low = min([low - 0.04 * span, *[b for b in ybreaks if b <= low][-1:]])
    ybreaks = [b for b in ybreaks if low <= b <= data_top]

    # Plot area in points (estimated; the layout engine finds the exact one).
    ylabels = tick_labels(ybreaks)
    left = max(_measure(t)[0] for t in ylabels) + FONT_SIZE * 1.4 + 14
    panel_w = LINE_WIDTH_PT * (1 - 2 * 0.015) - left - 4
    panel_h = LINE_HEIGHT_PT * (1 - 2 * 0.015) - FONT_SIZE * 1.3 - 10

    # Direct labels go right of each line's last point: the x range grows until the widest
    # fits (leaving room for a leader line, in case a label has to move away from its point).
    labels = []
    for line in lines:
        last = max(
            (i for i, v in enumerate(line.values) if not _isnan(v)), key=lambda i: line.positions[i]
        )
        text = _wrap(line.label, LABEL_WRAP)
        w, h = _measure(text, bold=line.highlight)
        labels.append((line, line.positions[last], line.values[last], text, w, h))
    xmin, xmax = -0.5, len(cats) - 0.5
    for _line, pos, _y, _t, w, _h in labels:
        # (pos - xmin) / (xmax - xmin) * panel_w + LEADER_GAP + w <= panel_w
        need = xmin + (pos - xmin) * panel_w / max(panel_w - LEADER_GAP - w - 2, panel_w * 0.2)
        xmax = max(xmax, need)
    unit = panel_w / (xmax - xmin)  # points per category

    # Break labels sit in a band above the data, staggered when they would overlap.
    break_w = _measure(BREAK_LABEL)[0] + 4
    rows: list[float] = []  # right edge (category units) of the last label in each row
    break_rows = []
    for pos in cuts:
        start = pos + 3 / unit
        row = next((r for r, end in enumerate(rows) if end < start), len(rows))
        if row == len(rows):
            rows.append(0.0)
        rows[row] = start + break_w / unit
        break_rows.append(row)
    band = len(rows) * FONT_SIZE * 1.25 + (4 if rows else 0)
    upper = data_top + (data_top - low) * band / max(panel_h - band, 1)
    per_pt = (upper - low) / panel_h

    # Labels pushed apart vertically; one moved away from its point gets a leader line.
    ys = dodge([lab[2] for lab in labels], [lab[5] * per_pt for lab in labels], low, data_top)
    leaders = [
        (pos, y, label_y)
        for (_l, pos, y, _t, _w, _h), label_y in zip(labels, ys, strict=True)
        if abs(label_y - y) > FONT_SIZE * 0.6 * per_pt
    ]
    gap_pt = LEADER_GAP if leaders else LABEL_GAP

    # One row per drawn point; group = series and run, ordered so the highlight is drawn last.
    order = sorted(range(len(lines)), key=lambda k: lines[k].highlight)
    rows_data = []
    for rank, k in enumerate(order):
        line = lines[k]
        for n, run in enumerate(segments(line.positions, line.values, cuts)):
            for i in run:
                rows_data.append(
                    {
                        "x": line.positions[i],
                        "y": line.values[i],
                        "group": f"{rank:03d}-{n:03d}",
                        "colour": line.colour,
                        "width": 1.6 if line.highlight else 0.9,
                        "highlight": line.highlight,
                    }
                )
    frame = pd.DataFrame(rows_data)
    label_frame = pd.DataFrame(
        {
            "x": [pos + gap_pt / unit for _l, pos, *_ in labels],
            "y": ys,
            "label": [lab[3] for lab in labels],
            "highlight": [lab[0].highlight for lab in labels],
        }
    )

    cat_labels = list(cats)
    if len(cats) > MAX_LABELLED_YEARS:
        last, step = len(cats) - 1, -(-len(cats) // MAX_LABELLED_YEARS)  # ceiling division
        cat_labels = [c if (last - i) % step == 0 else "" for i, c in enumerate(cats)]

    plot = ggplot(frame, aes("x", "y", group="group", color="colour"))
    if cuts:
        plot += geom_vline(xintercept=cuts, color=BREAK_LINE, linetype="dashed", size=0.5)
        plot += annotate(
            "text",
            x=[pos + 3 / unit for pos in cuts],
            y=[upper - row * FONT_SIZE * 1.25 * per_pt for row in break_rows],
            label=BREAK_LABEL,
            ha="left",
            va="top",
            color=SECONDARY_TEXT,
            size=FONT_SIZE,
        )
    if leaders:
        plot += geom_segment(
            aes(x="x", y="y", xend="xend", yend="yend"),
            data=pd.DataFrame(
                {
                    "x": [pos + 3 / unit for pos, _y, _ly in leaders],
                    "y": [y for _p, y, _ly in leaders],
                    "xend": [pos + (gap_pt - 2) / unit for pos, _y, _ly in leaders],
                    "yend": [label_y for _p, _y, label_y in leaders],
                }
            ),
            inherit_aes=False,
            color=GREY_LINE,
            size=0.4,
        )
    plot += geom_line(aes(size="width"))
    plot += geom_point(aes(fill="colour"), size=2.1, stroke=0)
    for highlight in (False, True):
        labelled = label_frame[label_frame["highlight"] == highlight]
        if not labelled.empty:
            plot += geom_text(
                aes("x", "y", label="label"),
                data=labelled,
                inherit_aes=False,
                ha="left",
                va="center",
                color=TEXT,
                size=FONT_SIZE,
                fontweight="bold" if highlight else "normal",
            )
    plot += scale_color_identity()
    plot += scale_fill_identity()
    plot += scale_size_identity()
    labelled = [i for i, label in enumerate(cat_labels) if label]  # fewer ticks: faster
    plot += scale_x_continuous(
        breaks=labelled,
        labels=[cat_labels[i] for i in labelled],
        limits=(xmin, xmax),
        expand=(0, 0),
    )
    plot += scale_y_continuous(breaks=ybreaks, labels=ylabels, limits=(low, upper), expand=(0, 0))
    plot += labs(x="", y=chart.y_label)
    plot += _theme(chart, LINE_WIDTH_PT, LINE_HEIGHT_PT)
    plot += theme(
        axis_line_x=element_line(color=AXIS, size=0.8),
        axis_ticks_major_x=element_line(color=AXIS, size=0.8),
        axis_ticks_length_major_x=4,
    )
    return _finish(_save(plot))


# ---------------------------------------------------------------- bar charts


def _bar_svg(chart: Chart) -> str:
    drawn = [s for s in chart.series if has_data(s)]
    height = (BAR_EXTRA_PX + BAR_ROW_PX * max(len(drawn), 1)) * PX
    if not drawn:
        return _empty_svg(BAR_WIDTH_PT, max(height, 60))

    import pandas as pd
    from plotnine import (
        aes,
        element_blank,
        geom_rect,
        geom_text,
        geom_vline,
        ggplot,
        labs,
        scale_fill_identity,
        scale_x_continuous,
        scale_y_continuous,
        theme,
    )

    n = len(drawn)
    values = [next(float(v) for v in s.y if not _isnan(v)) for s in drawn]
    names = [_wrap(s.label, AXIS_LABEL_WRAP) for s in drawn]
    if chart.y_label == "percentage points":  # gaps and changes: '+24.1', unit on the axis
        texts = [formatting.signed(v, 1) for v in values]
    else:
        texts = [formatting.percent(v, 1) for v in values]

    left = max(_measure(t)[0] for t in names) + 12
    panel_w = BAR_WIDTH_PT * (1 - 2 * 0.015) - left - 4
    label_w = max(_measure(t)[0] for t in texts) + 6
    low = min(0.0, *values)
    high = max(0.0, *values)
    span = (high - low) or 1.0
    # the bar plus its label fit: (high - low) / (xmax - xmin) * panel_w + label_w <= panel_w
    share = max(panel_w - label_w * (2 if low < 0 else 1) - 2, panel_w * 0.3) / panel_w
    extra = span / share - span
    xmin = low - (extra / 2 if low < 0 else 0)
    xmax = high + (extra / 2 if low < 0 else extra)
    unit = panel_w / (xmax - xmin)

    ypos = [n - 1 - i for i in range(n)]
    bars = pd.DataFrame(
        {
            "xmin": [min(0.0, v) for v in values],
            "xmax": [max(0.0, v) for v in values],
            "ymin": [p - 0.36 for p in ypos],
            "ymax": [p + 0.36 for p in ypos],
            "fill": [HIGHLIGHT if s.highlight else GREY_BAR for s in drawn],
        }
    )
    labels = pd.DataFrame(
        {
            "x": [v + (4 if v >= 0 else -4) / unit for v in values],
            "y": ypos,
            "label": texts,
            "ha": ["left" if v >= 0 else "right" for v in values],
            "bold": [s.highlight for s in drawn],
        }
    )
    plot = ggplot(bars)
    plot += geom_vline(xintercept=0, color=AXIS, size=0.5)
    plot += geom_rect(
        aes(xmin="xmin", xmax="xmax", ymin="ymin", ymax="ymax", fill="fill"), color=None
    )
    plot += scale_fill_identity()
    for (ha, bold), sub in labels.groupby(["ha", "bold"], sort=True):
        plot += geom_text(
            aes("x", "y", label="label"),
            data=sub,
            ha=ha,
            va="center",
            color=TEXT,
            size=FONT_SIZE,
            fontweight="bold" if bold else "normal",
        )
    plot += scale_y_continuous(breaks=ypos, labels=names, limits=(-0.5, n - 0.5), expand=(0, 0))
    plot += scale_x_continuous(limits=(xmin, xmax), expand=(0, 0))
    plot += labs(x="", y="")
    plot += _theme(chart, BAR_WIDTH_PT, height)
    plot += theme(
        axis_text_x=element_blank(),
        axis_title=element_blank(),
        panel_grid_major_y=element_blank(),
        panel_grid_major_x=element_blank(),
    )
    return _finish(_save(plot))
