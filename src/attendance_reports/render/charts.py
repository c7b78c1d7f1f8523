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
Every number drawn as text goes through :mod:`attendance_reports.render.formatting`; the
palette, sizes and the pure geometry (segments, breaks, colours, label dodging, ticks) are in
:mod:`attendance_reports.render.chart_layout`, shared with svg_lines.py.

The SVG keeps real text (``svg.fonttype: none``; the page's ``<img alt>`` and data table carry
the meaning), has a ``viewBox`` and no fixed width or height so it scales to its container,
and is byte-identical for the same Chart: the hash salt is fixed (per chart id, so clip-path
ids stay unique when two charts are inlined in one page), there is no date metadata and ids
nobody refers to are removed.

plotnine is imported lazily, so importing this module is cheap.
"""

from __future__ import annotations

import io
import re

from attendance_reports.model.report_model import Chart
from attendance_reports.render import formatting
from attendance_reports.render.chart_layout import (
    AXIS,
    AXIS_LABEL_WRAP,
    BAR_EXTRA_PX,
    BAR_ROW_PX,
    BAR_WIDTH_PT,
    BREAK_LABEL,
    BREAK_LINE,
    FONT_FAMILY,
    FONT_SIZE,
    GREY_BAR,
    GREY_LINE,
    GRID,
    HIGHLIGHT,
    LABEL_GAP,
    LEADER_GAP,
    LINE_HEIGHT_PT,
    LINE_WIDTH_PT,
    MAX_LABELLED_YEARS,
    PX,
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
    wrap,
)

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
        return empty_svg(LINE_WIDTH_PT, LINE_HEIGHT_PT)

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

    cats, lines = chart_lines(chart, drawn)
    cuts = break_positions(chart.breaks, cats, lines)

    # Y scale: from 0 (or below, for negative values) to a round number above the data.
    values = [v for line in lines for v in line.values if not isnan(v)]
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
    left = max(measure(t)[0] for t in ylabels) + FONT_SIZE * 1.4 + 14
    panel_w = LINE_WIDTH_PT * (1 - 2 * 0.015) - left - 4
    panel_h = LINE_HEIGHT_PT * (1 - 2 * 0.015) - FONT_SIZE * 1.3 - 10

    # Direct labels go right of each line's last point: the x range grows until the widest
    # fits (leaving room for a leader line, in case a label has to move away from its point).
    labels = [end_label(line) for line in lines]
    xmin, xmax = -0.5, len(cats) - 0.5
    for _line, pos, _y, _t, w, _h in labels:
        # (pos - xmin) / (xmax - xmin) * panel_w + LEADER_GAP + w <= panel_w
        need = xmin + (pos - xmin) * panel_w / max(panel_w - LEADER_GAP - w - 2, panel_w * 0.2)
        xmax = max(xmax, need)
    unit = panel_w / (xmax - xmin)  # points per category

    # Break labels sit in a band above the data, staggered when they would overlap.
    break_w = measure(BREAK_LABEL)[0] + 4
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
        return empty_svg(BAR_WIDTH_PT, max(height, 60))

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
    values = [next(float(v) for v in s.y if not isnan(v)) for s in drawn]
    names = [wrap(s.label, AXIS_LABEL_WRAP) for s in drawn]
    if chart.y_label == "percentage points":  # gaps and changes: '+24.1', unit on the axis
        texts = [formatting.signed(v, 1) for v in values]
    else:
        texts = [formatting.percent(v, 1) for v in values]

    left = max(measure(t)[0] for t in names) + 12
    panel_w = BAR_WIDTH_PT * (1 - 2 * 0.015) - left - 4
    label_w = max(measure(t)[0] for t in texts) + 6
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
