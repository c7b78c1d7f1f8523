"""The overview's sentences: grammar rules, missing data and breaks, on hand-made figures.

The figures here are made up on purpose (a change of exactly 1.0, of -1 enrolment, …): the
rules are about words, and the figures of real data are checked in tests/test_overview.py.
"""

from __future__ import annotations

import pytest

from attendance_reports.model import narrative, overview_sentences
from attendance_reports.model.narrative import Context
from attendance_reports.model.report_model import Figure

NAN = float("nan")
CTX = Context(name="Cambridgeshire", year="201819")
TWO_TERM = Context(name="Cambridgeshire", year="202223", period="autumn-spring")


def pp(value: float, status: str = "ok") -> Figure:
    return Figure("Change in the overall absence rate", value, status, "percentage points", 1)


def enrolments(value: float, status: str = "ok") -> Figure:
    return Figure("Change in the number of enrolments", value, status, "enrolments", 0)


def rate(value: float, status: str = "ok", label: str = "Overall absence rate") -> Figure:
    return Figure(label, value, status, "%", 1)


def change(value: float, ctx: Context = CTX, status: str = "ok") -> str:
    return narrative.change_sentence(ctx, "overall absence rate", pp(value, status))


def count_change(value: float, ctx: Context = CTX, status: str = "ok") -> str:
    return narrative.count_change_sentence(
        ctx,
        "persistently absent enrolment",
        "persistently absent enrolments",
        enrolments(value, status),
    )


# ---------------------------------------------------------------- increased / decreased / none


def test_an_increase_and_a_decrease():
    assert change(0.24) == (
        "The overall absence rate increased by 0.2 percentage points since 2017/18."
    )
    assert change(-0.158) == (
        "The overall absence rate decreased by 0.2 percentage points since 2017/18."
    )


@pytest.mark.parametrize("value", [0.0, 0.04, -0.04, 0.0499999, -0.0499999])
def test_a_change_that_rounds_to_zero_did_not_change(value):
    assert change(value) == "The overall absence rate did not change since 2017/18."


def test_a_change_of_exactly_half_a_step_rounds_half_up():
    assert "increased by 0.1 percentage points" in change(0.05 + 1e-12)
    assert "decreased by 0.1 percentage points" in change(-0.05 - 1e-12)


@pytest.mark.parametrize("value", [1.0, 0.96, -1.04])
def test_a_change_shown_as_1_0_takes_the_plural(value):
    """'1.0' is a figure with a decimal, like '0.2' or '1.1': the plural, as '1.0 sessions'."""
    sentence = change(value)
    assert "by 1.0 percentage points since" in sentence


def test_counts_more_fewer_and_singular():
    assert count_change(-572) == (
        "There were 572 fewer persistently absent enrolments than in 2017/18."
    )
    assert count_change(1) == "There was 1 more persistently absent enrolment than in 2017/18."
    assert count_change(-1) == "There was 1 fewer persistently absent enrolment than in 2017/18."
    assert count_change(0) == (
        "The number of persistently absent enrolments did not change since 2017/18."
    )


def test_one_enrolment():
    figures = {
        "enrolments": Figure("Number of enrolments", 1.0, "ok", "enrolments", 0),
        "sessions_missed": Figure("Number of sessions missed", 2.0, "ok", "sessions", 0),
        "sessions_possible": Figure("Number of sessions possible", 300.0, "ok", "sessions", 0),
        "rate": rate(2 / 300 * 100),
        "sessions_per_enrolment": Figure("Sessions per enrolment", 1.0, "ok", "sessions", 1),
        "change_pp": pp(NAN, "no-previous-year"),
        "three_year_average": rate(NAN, "no-previous-year"),
    }
    sentences = overview_sentences.overall(CTX, figures)
    assert sentences[0] == (
        "In 2018/19, there was 1 enrolment in Cambridgeshire's state-funded primary, "
        "secondary and special schools."
    )
    assert "missed 2 of 300 possible sessions: an overall absence rate of 0.7%." in sentences[1]
    assert sentences[2] == "On average, an enrolment missed 1.0 sessions."


# ---------------------------------------------------------------- missing data and breaks


def test_no_previous_year():
    assert change(NAN, status="no-previous-year") == (
        "There is no figure for the previous year (2017/18) to compare with."
    )
    # the count change says the same, and a section says it once (tests/test_overview.py)
    assert count_change(NAN, status="no-previous-year") == change(NAN, status="no-previous-year")


def test_2020_21_is_not_compared_across_2019_20():
    ctx = Context(name="Cambridgeshire", year="202021")
    sentence = change(NAN, ctx, status="not-available")
    assert sentence.startswith("There is no figure for the previous year to compare with")
    assert "2019/20" in sentence and "COVID-19" in sentence
    average = narrative.average_sentence(ctx, "overall absence rate", rate(NAN, "not-available"))
    assert "it would include 2019/20" in average


def test_a_reorganised_la_says_why_there_is_no_previous_year():
    note = "North Northamptonshire was created in April 2021 from Northamptonshire (928)."
    ctx = Context(name="North Northamptonshire", year="202122", reorganisation=note)
    assert change(NAN, ctx, status="no-previous-year") == (
        f"There is no figure for the previous year to compare with. {note}"
    )


def test_two_terms_are_compared_with_two_terms_only():
    assert change(-0.3, TWO_TERM) == (
        "The overall absence rate decreased by 0.3 percentage points since the autumn and "
        "spring terms of 2021/22."
    )
    ctx = Context(
        name="Cambridgeshire",
        year="202223",
        period="autumn-spring",
        previous_in_other_period="full-year",
    )
    assert change(NAN, ctx, status="no-previous-year") == (
        "There is no figure for the previous year (the autumn and spring terms of 2021/22) to "
        "compare with; full-year figures are not compared with autumn and spring term figures."
    )


def test_a_missing_figure_says_why_never_zero():
    assert narrative.missing(rate(NAN, "suppressed", "Persistent absence rate")) == [
        "The persistent absence rate is suppressed to protect pupils' identities."
    ]
    two = narrative.missing(
        Figure("Number of enrolments", NAN, "not-published", "enrolments", 0),
        Figure("Number of sessions missed", NAN, "not-published", "sessions", 0),
        rate(4.4),
    )
    assert two == [
        "The number of enrolments and the number of sessions missed are not published for "
        "this period."
    ]


def test_severe_absence_not_published_in_the_release():
    figures = {"rate": rate(NAN, "not-published"), "count": enrolments(NAN, "not-published")}
    assert overview_sentences.cohort(CTX, "severe", figures) == (
        "Severe absence (50% or more) is not published in this release.",
    )


def test_three_year_average():
    assert narrative.average_sentence(CTX, "overall absence rate", rate(4.4503)) == (
        "Taking the three years 2016/17 to 2018/19 together, the overall absence rate was 4.5%."
    )
    assert narrative.average_sentence(
        CTX, "overall absence rate", rate(NAN, "no-previous-year")
    ) == ("There is no three-year average for 2018/19: it needs figures for the two years before.")


def test_benchmarks_compare_the_values_as_shown():
    figures = {
        "overall_rate": rate(4.44),
        "overall_england": rate(4.36),  # both 4.4%: "the same as", never "higher than"
        "overall_region": rate(4.66),
        "overall_neighbours": rate(NAN, "not-available"),
    }
    comparators = {
        "england": "England",
        "region": "the East of England region",
        "neighbours": "the mean of its statistical neighbours",
    }
    assert overview_sentences.benchmarks(CTX, figures, comparators) == (
        "In 2018/19, Cambridgeshire's overall absence rate was 4.4%: the same as England "
        "(4.4%), and lower than the East of England region (4.7%).",
        "There is no figure for the mean of its statistical neighbours for 2018/19.",
    )


def test_every_template_is_a_sentence():
    for key, template in narrative.TEMPLATES.items():
        assert template.rstrip().endswith((".", "}")), key
