"""Charts: deterministic, responsive SVG with real text; NaN is a gap; labels are direct."""

from __future__ import annotations

import itertools
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from attendance_reports.model.report_model import Chart, Series
from attendance_reports.render.chart_layout import (
    GREY_LINE,
    HIGHLIGHT,
    NO_DATA,
    PALETTE,
    Line,
    break_positions,
    categories,
    dodge,
    line_colours,
    segments,
    tick_labels,
)
from attendance_reports.render.charts import chart_svg

NAN = math.nan
YEARS = tuple(f"{y}/{(y + 1) % 100:02d}" for y in range(2006, 2019))  # 2006/07 … 2018/19
SVG = "{http://www.w3.org/2000/svg}"


def trend(i: int, base: float) -> float:
    return base - 0.1 * i


def line_chart(*series: Series, breaks: tuple[str, ...] = (), chart_id: str = "trend") -> Chart:
    return Chart(
        chart_id, "line", "t", "s", "alt", series, y_label="Overall absence rate (%)", breaks=breaks
    )


def bar_chart(*bars: tuple[str, float, bool], chart_id: str = "compare") -> Chart:
    series = tuple(Series(name, ("2018/19",), (value,), hl) for name, value, hl in bars)
    return Chart(chart_id, "bar", "t", "s", "alt", series)


FOUR_LINES = line_chart(
    Series("Leeds", YEARS, tuple(trend(i, 6.0) for i in range(13)), highlight=True),
    Series("Yorkshire", YEARS, tuple(trend(i, 5.5) for i in range(13))),
    Series("Neighbours", YEARS, tuple(trend(i, 5.0) for i in range(13))),
    Series("England", YEARS, tuple(trend(i, 4.5) for i in range(13))),
    breaks=("2012/13", "2019/20"),
)


def texts(svg: str) -> list[str]:
    """The content of every <text> element (real text: svg.fonttype is 'none')."""
    root = ET.fromstring(svg.encode())
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def root_attributes(svg: str) -> dict[str, str]:
    return ET.fromstring(svg.encode()).attrib


@pytest.fixture(scope="module")
def four_lines_svg() -> str:
    return chart_svg(FOUR_LINES)


# ---------------------------------------------------------------- determinism

RENDER = """
import math, sys
from attendance_reports.render.charts import chart_svg
from attendance_reports.model.report_model import Chart, Series
years = tuple(f"{y}/{(y + 1) % 100:02d}" for y in range(2006, 2019))
line = Chart("trend", "line", "t", "s", "alt", (
    Series("Leeds", years, tuple(6 - 0.1 * i if i != 4 else math.nan for i in range(13)), True),
    Series("England", years, tuple(5 - 0.1 * i for i in range(13))),
), breaks=("2012/13",))
bar = Chart("bars", "bar", "t", "s", "alt", (
    Series("Leeds", ("2018/19",), (4.45,), True), Series("England", ("2018/19",), (4.7,)),
))
sys.stdout.buffer.write(chart_svg(line).encode() + b"\\0" + chart_svg(bar).encode())
"""


def test_same_chart_gives_the_same_bytes_in_two_fresh_processes():
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", RENDER],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in ("1", "2")
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode()
    first, second = (out for out, _err in outputs)
    assert first == second
    assert first.count(b"<svg") == 2
    assert b"dc:date" not in first and b"<metadata" not in first


def test_same_chart_gives_the_same_text_in_one_process(four_lines_svg):
    assert chart_svg(FOUR_LINES) == four_lines_svg


def test_clip_path_ids_differ_between_charts_so_two_can_be_inlined_in_one_page():
    a = chart_svg(bar_chart(("Leeds", 4.0, True), chart_id="a"))
    b = chart_svg(bar_chart(("Leeds", 4.0, True), chart_id="b"))
    ids_a = set(re.findall(r'id="([^"]+)"', a))
    ids_b = set(re.findall(r'id="([^"]+)"', b))
    assert ids_a and not ids_a & ids_b


# ---------------------------------------------------------------- responsive, real text


@pytest.mark.parametrize("kind", ["line", "bar", "empty"])
def test_root_has_a_viewbox_and_no_fixed_size(kind, four_lines_svg):
    svg = {
        "line": four_lines_svg,
        "bar": chart_svg(bar_chart(("Leeds", 4.0, True))),
        "empty": chart_svg(line_chart()),
    }[kind]
    attrs = root_attributes(svg)
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", attrs["viewBox"])
    assert "width" not in attrs and "height" not in attrs


def test_line_chart_is_about_640_by_360_css_pixels(four_lines_svg):
    _, _, width, height = map(float, root_attributes(four_lines_svg)["viewBox"].split())
    assert (width / 0.75, height / 0.75) == pytest.approx((640, 360))


def test_bar_chart_height_grows_with_the_number_of_bars():
    def height(n: int) -> float:
        chart = bar_chart(*((f"Area {i}", 4.0 + i, i == 0) for i in range(n)))
        return float(root_attributes(chart_svg(chart))["viewBox"].split()[3])

    assert height(2) < height(6) < height(12)


def test_text_is_real_text_in_a_generic_font_stack(four_lines_svg):
    assert "font-family: 'DejaVu Sans', 'Arial', sans-serif" in four_lines_svg
    assert "Helvetica" not in four_lines_svg
    assert not re.search(r'id="DejaVu', four_lines_svg)  # no glyphs drawn as paths
    assert re.findall(r"font-size: ([\d.]+)px", four_lines_svg)
    assert all(float(s) >= 11 for s in re.findall(r"font-size: ([\d.]+)px", four_lines_svg))


def test_no_title_subtitle_or_source_in_the_svg():
    chart = Chart(
        "x",
        "line",
        "Absence fell",
        "Overall absence rate, Leeds",
        "alt",
        (Series("Leeds", YEARS[:3], (5.0, 4.9, 4.8), True),),
        source="Source: DfE",
    )
    words = " ".join(texts(chart_svg(chart)))
    assert "Absence fell" not in words and "Source" not in words and "Overall absence" not in words


# ---------------------------------------------------------------- line charts


def test_direct_labels_are_text_once_each_and_there_is_no_legend(four_lines_svg):
    found = texts(four_lines_svg)
    for label in ("Leeds", "Yorkshire", "Neighbours", "England"):
        assert found.count(label) == 1, label


def test_years_are_labelled_every_other_one_ending_with_the_latest(four_lines_svg):
    found = texts(four_lines_svg)
    assert "2018/19" in found and "2016/17" in found and "2006/07" in found
    assert "2017/18" not in found and "2007/08" not in found


def test_few_years_are_all_labelled():
    chart = line_chart(Series("Leeds", YEARS[:5], (5.0, 4.9, 4.8, 4.7, 4.6), True))
    assert set(YEARS[:5]) <= set(texts(chart_svg(chart)))


def test_series_break_is_drawn_and_labelled(four_lines_svg):
    assert texts(four_lines_svg).count("series break") == 1  # 2019/20 is after the last year
    assert "stroke-dasharray" in four_lines_svg


def test_y_axis_starts_at_zero_and_has_its_label(four_lines_svg):
    found = texts(four_lines_svg)
    assert "0" in found
    assert "Overall absence rate (%)" in found


def test_segments_split_at_nan():
    assert segments([0, 1, 2, 3, 4], [1.0, 2.0, NAN, 4.0, 5.0]) == [[0, 1], [3, 4]]


def test_segments_split_at_missing_years_and_at_breaks_and_keep_lone_points():
    assert segments([0, 1, 3, 4], [1.0, 2.0, 3.0, 4.0]) == [[0, 1], [2, 3]]
    assert segments([0, 1, 2, 3], [1.0, 2.0, 3.0, 4.0], cuts=[1.5]) == [[0, 1], [2, 3]]
    assert segments([0, 1, 2], [NAN, 2.0, NAN]) == [[1]]
    assert segments([0, 1], [NAN, NAN]) == []


def test_nan_in_the_middle_is_a_gap_in_the_svg_not_a_zero():
    values = (5.0, 4.9, NAN, 4.7, 4.6)
    svg = chart_svg(line_chart(Series("Leeds", YEARS[:5], values, highlight=True)))
    stroke = HIGHLIGHT.lower()
    lines = re.findall(rf'<path d="([^"]*)"[^>]*style="fill: none; stroke: {stroke};', svg)
    assert len(lines) == 2  # two runs, never joined across the NaN
    assert all(d.count("L") == 1 for d in lines)  # each joins two points
    markers = re.findall(rf'<use [^>]*style="fill: {stroke}', svg)
    assert len(markers) == 4  # one point per value, none for the NaN (so none at 0)


def test_series_break_splits_the_line():
    svg = chart_svg(
        line_chart(
            Series("Leeds", YEARS[4:9], (5.0, 4.9, 4.8, 4.7, 4.6), True), breaks=("2012/13",)
        )
    )
    stroke = HIGHLIGHT.lower()
    assert len(re.findall(rf'style="fill: none; stroke: {stroke};', svg)) == 2
    assert "series break" in texts(svg)


def test_break_positions():
    cats = [*YEARS[10:], "2020/21", "2021/22"]  # 2016/17 … 2018/19, 2020/21, 2021/22
    data = [Line("a", tuple(range(5)), (1.0, 1.0, 1.0, 1.0, 1.0), False, "#000")]
    assert break_positions(["2017/18"], cats, data) == [0.5]  # before its first year
    assert break_positions(["2019/20"], cats, data) == [2.5]  # between 2018/19 and 2020/21
    assert break_positions(["2019/20", "2020/21"], cats, data) == [2.5]  # same place, once
    assert break_positions(["2023/24", "2005/06", "2016/17"], cats, data) == []
    gap_year = [Line("a", tuple(range(5)), (1.0, 1.0, NAN, 1.0, 1.0), False, "#000")]
    assert break_positions(["2018/19"], cats, gap_year) == [2.0]  # an empty year: on it


def test_categories_keep_the_given_order():
    a = Series("a", ("2017/18", "2018/19"), (1.0, 2.0))
    b = Series("b", ("2016/17", "2017/18", "2018/19"), (1.0, 2.0, 3.0))
    assert categories([a, b]) == ["2017/18", "2018/19", "2016/17"]


def test_line_colours_highlight_then_palette_then_grey():
    series = [Series(str(i), YEARS, (1.0,) * 13, highlight=i == 2) for i in range(6)]
    assert line_colours(series) == [*PALETTE[:2], HIGHLIGHT, PALETTE[2], GREY_LINE, GREY_LINE]
    plain = [Series(str(i), YEARS, (1.0,) * 13) for i in range(5)]
    assert line_colours(plain) == [HIGHLIGHT, *PALETTE, GREY_LINE]


def test_labels_are_pushed_apart_but_keep_their_order():
    ys = dodge([5.0, 5.0, 5.1, 2.0], [0.3, 0.3, 0.3, 0.3], 0.0, 10.0)
    assert ys[3] == pytest.approx(2.0)
    ordered = sorted(ys[:3])
    assert all(b - a >= 0.3 - 1e-9 for a, b in itertools.pairwise(ordered))
    assert sum(ys[:3]) / 3 == pytest.approx((5.0 + 5.0 + 5.1) / 3)  # centred where they wanted
    assert max(dodge([9.9, 9.9], [1.0, 1.0], 0.0, 10.0)) <= 9.5 + 1e-9  # within the panel


def test_all_nan_series_is_left_out_of_a_line_chart():
    chart = line_chart(
        Series("Leeds", YEARS[:3], (5.0, 4.9, 4.8), True),
        Series("Nowhere", YEARS[:3], (NAN, NAN, NAN)),
    )
    found = texts(chart_svg(chart))
    assert "Leeds" in found and "Nowhere" not in found


def test_negative_values_and_labels_with_markup_characters():
    chart = line_chart(
        Series("Bath & North East Somerset <x>", YEARS[:2], (-0.3, 0.4), True),
        Series("$England$", YEARS[:2], (0.1, -0.2)),
    )
    found = " ".join(texts(chart_svg(chart)))  # parses as XML
    assert "Bath & North East" in found and "$England$" in found and "-0.4" in found


# ---------------------------------------------------------------- bar charts


def test_bar_values_are_rounded_half_up_by_formatting():
    svg = chart_svg(
        bar_chart(("Leeds", 4.45, True), ("Bradford", 4.449999, False), ("Kirklees", 4.25, False))
    )
    found = texts(svg)
    assert "4.5%" in found  # 4.45
    assert "4.4%" in found  # 4.449999
    assert "4.3%" in found  # 4.25 is an exact tie: round() and "%.1f" would give 4.2


def test_bars_keep_the_given_order_top_first_with_highlight_colour():
    svg = chart_svg(bar_chart(("Leeds", 4.0, True), ("York", 6.0, False), ("Hull", 5.0, False)))
    root = ET.fromstring(svg.encode())
    y = {t.text: float(t.attrib["y"]) for t in root.iter(f"{SVG}text") if t.text}
    assert y["Leeds"] < y["York"] < y["Hull"]
    assert y["4.0%"] < y["6.0%"] < y["5.0%"]
    assert HIGHLIGHT.lower() in svg and "#bfbfbf" in svg


def test_all_nan_bar_is_left_out():
    found = texts(chart_svg(bar_chart(("Leeds", 4.0, True), ("Nowhere", NAN, False))))
    assert "Leeds" in found and "Nowhere" not in found and "[x]" not in found


# ---------------------------------------------------------------- nothing to draw


@pytest.mark.parametrize(
    "chart",
    [
        line_chart(),
        line_chart(Series("Leeds", YEARS[:3], (NAN, NAN, NAN), True)),
        bar_chart(),
        bar_chart(("Leeds", NAN, True)),
    ],
    ids=["line-no-series", "line-all-nan", "bar-no-series", "bar-all-nan"],
)
def test_no_drawable_data_says_so(chart):
    svg = chart_svg(chart)
    assert texts(svg) == [NO_DATA]
    assert "viewBox" in root_attributes(svg)


# ---------------------------------------------------------------- bad input and helpers


def test_unknown_kind_and_mismatched_lengths_are_errors():
    with pytest.raises(ValueError, match="unknown kind"):
        chart_svg(Chart("x", "pie", "t", "s", "alt", ()))
    with pytest.raises(ValueError, match="2 x values but 1 y values"):
        chart_svg(line_chart(Series("Leeds", YEARS[:2], (1.0,))))


def test_tick_labels_use_as_few_decimals_as_needed():
    assert tick_labels([0.0, 2.0, 4.0]) == ["0", "2", "4"]
    assert tick_labels([0.0, 2.5, 5.0]) == ["0.0", "2.5", "5.0"]
    assert tick_labels([-0.2, 0.0, 0.2]) == ["-0.2", "0.0", "0.2"]
