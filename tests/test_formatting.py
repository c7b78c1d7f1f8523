"""Half-up rounding and the text forms of figures."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from attendance_reports.render.formatting import (
    count,
    counted,
    noun,
    percent,
    period_label,
    points,
    round_half_up,
    round_half_up_array,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(finite, st.integers(min_value=0, max_value=5))
def test_array_rounding_equals_exact_decimal(value, places):
    exact = Decimal(value).scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert round_half_up_array(np.array([value]), places)[0] == int(exact)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=4))
def test_exact_ties_round_up_not_to_even(units, places):
    tie = (Decimal(units) + Decimal("0.5")).scaleb(-places)
    if float(tie) == tie:  # only ties a float represents exactly
        assert round_half_up(float(tie), places) == (Decimal(units) + 1).scaleb(-places)


def test_known_values():
    assert str(round_half_up(0.125, 2)) == "0.13"  # round() would give 0.12
    assert str(round_half_up(2.5, 0)) == "3"
    # a tie in decimal that is below the tie in binary rounds down, as DfE's figures do
    assert str(round_half_up(7297 / 160000 * 100, 5)) == "4.56062"


def test_text_forms():
    assert percent(4.40248) == "4.4%"
    assert percent(float("nan"), status="suppressed") == "[c]"
    assert count(7105958.0) == "7,105,958"
    assert points(-0.15798) == "-0.2 percentage points"
    assert points(0.04) == "0.0 percentage points"
    assert points(1.0) == "+1.0 percentage points"
    assert period_label("201819") == "2018/19"


def test_percentage_points_take_the_singular_only_for_a_figure_shown_as_1():
    """One rule for every figure as shown (formatting.noun): '1.0' and '-1.0' take the plural,
    as '0.2' and '1.1' do; only a whole '1' (0 decimals) is singular."""
    assert points(1.0) == "+1.0 percentage points"
    assert points(-0.96) == "-1.0 percentage points"
    assert points(1.04, 2) == "+1.04 percentage points"
    assert points(1.0, 0) == "+1 percentage point"
    assert points(-1.4, 0) == "-1 percentage point"
    assert points(2.0, 0) == "+2 percentage points"
    assert points(0.0, 0) == "0 percentage points"


def test_counts_take_the_singular_only_for_exactly_one():
    """One helper says every count with its noun: no '(1 rows)', no '1 schools'."""
    assert counted(1, "row") == "1 row"
    assert counted(0, "row") == "0 rows"
    assert counted(6949, "enrolment") == "6,949 enrolments"
    assert counted(1, "data-quality warning") == "1 data-quality warning"
    assert counted(3, "child", "children") == "3 children"
    assert counted("1.0", "session") == "1.0 sessions"  # a figure as shown: not exactly one
    assert counted("1", "session") == "1 session"
    assert noun(1, "school") == "school" and noun(2, "school") == "schools"


def test_a_download_link_counts_its_rows_in_words():
    from attendance_reports.model.report_model import Column, Table
    from attendance_reports.render.page_output import PageOutput

    one = Table("trusts", "Academy trusts", (Column("trust", "Trust"),), ({"trust": "A"},))
    two = Table("trusts", "Academy trusts", one.columns, one.rows * 2)
    link = PageOutput("trusts", "").download(one)
    assert "Download Academy trusts (CSV, 1 row)</a>" in link
    assert "Download Academy trusts (CSV, 2 rows)</a>" in PageOutput("trusts", "").download(two)
