"""The words of the latest data overview: templated sentences with grammar rules.

Every sentence is made from named figures (report_model.Figure, unrounded) with the wording and
grammar here; numbers become text only through formatting.py. The sentences of each overview
section are in overview_sentences.py, those of a pupil-group page in group_sentences.py.
Nothing is computed: a change, an average or a gap is a figure the indicator layer made. The
wording of all of them lives in ``TEMPLATES`` below: edit it freely, keeping the
``{placeholders}``.

Grammar rules:

- a change is described from its value *rounded as shown*: "increased" / "decreased", or
  "did not change" when it rounds to 0.0 (0 for counts);
- "0.2 percentage points" / "1.0 percentage points" (singular only for a figure shown as
  exactly "1"), "1 enrolment" / "2 enrolments",
  "1 more" / "400 fewer";
- a missing figure says why ("… is not published for this period"), never shows 0;
- breaks: a period is compared only with the same period of the previous year (never autumn
  and spring terms with a full year); 2019/20 has no figures, so 2020/21 is not compared with
  it; an LA created by a reorganisation has no earlier figure, and the sentence says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from attendance_reports.model.report_model import Figure
from attendance_reports.render.formatting import (
    noun,
    number,
    percent,
    period_label,
    points,
)
from attendance_reports.render.formatting import round_half_up as _round
from attendance_reports.symbols import OK

# ---------------------------------------------------------------------------------------------
# The sentences. {when} is "in 2018/19" or "in the autumn and spring terms of 2022/23";
# {previous} names the same period of the year before.

TEMPLATES: dict[str, str] = {
    # overall absence
    "enrolments": "{When}, there {were} {enrolments} in {name}'s {schools}.",
    "enrolments_at": "{When}, there {were} {enrolments} {where}.",
    "sessions": "Between them they missed {sessions_missed} of {sessions_possible} possible "
    "sessions: an overall absence rate of {rate}.",
    "rate_only": "{When}, the overall absence rate in {name} was {rate}.",
    "per_enrolment": "On average, an enrolment missed {sessions_per_enrolment}.",
    # persistent and severe absence ({adjective}: "persistently absent", {threshold}: "10%")
    "cohort": "{When}, {count} {were} {adjective} (missing {threshold} or more of their "
    "possible sessions): {rate} of all enrolments.",
    "cohort_rate_only": "{When}, {rate} of enrolments were {adjective} (missing {threshold} "
    "or more of their possible sessions).",
    "cohort_sessions": "Between them they missed {cohort_authorised_sessions} authorised and "
    "{cohort_unauthorised_sessions} unauthorised sessions, out of {cohort_possible_sessions} "
    "possible sessions.",
    "cohort_mean": "On average, {a_adjective} enrolment missed {mean_sessions_missed}: "
    "{extra_sessions_per_absentee} {more_fewer} than an enrolment that was not {adjective}.",
    "cohort_excluded": "Leaving out the {adjective} enrolments, the overall absence rate was "
    "{rate_excluding_cohort}.",
    "not_published": "{title} is not published in this release.",
    # changes since the previous year
    "change_up": "The {measure} increased by {amount} since {previous}.",
    "change_down": "The {measure} decreased by {amount} since {previous}.",
    "change_none": "The {measure} did not change since {previous}.",
    "count_change": "There {were} {amount} {more_fewer} {noun} than in {previous}.",
    "count_change_none": "The number of {noun_plural} did not change since {previous}.",
    "no_previous": "There is no figure for the previous year ({previous}) to compare with.",
    "no_previous_covid": "There is no figure for the previous year to compare with: absence "
    "was not collected in full in 2019/20 because of COVID-19, so there are no figures for "
    "2019/20.",
    "no_previous_other_period": "There is no figure for the previous year ({previous}) to "
    "compare with; {other_period} figures are not compared with {this_period} figures.",
    "no_previous_reorganised": "There is no figure for the previous year to compare with. {note}",
    # three-year averages
    "average": "Taking {span} together, the {measure} was {three_year_average}.",
    "no_average_covid": "There is no three-year average {for_when}: it would include 2019/20, "
    "which has no figures.",
    "no_average": "There is no three-year average {for_when}: it needs figures for the two "
    "years before.",
    # phases of education
    "phases": "{When}, the {measure} was {list}.",
    # benchmarks
    "benchmark": "{When}, {name}'s {measure} was {rate}: {list}.",
    "benchmark_missing": "There is no figure for {list} {for_when}.",
    # pupil groups ({group}: "pupils eligible for free school meals")
    "group_widest": "{When}, the widest gap in persistent absence in {name} was for {group}: "
    "their rate was {gap} higher than that of {comparison}.",
    "group_care_widest": "{When}, among children in need and children looked after in {name}, "
    "the widest gap in persistent absence was for {group}: their rate was {gap} higher than "
    "that of {comparison}.",
    "group_next": "The next widest was for {group}: {gap} higher than {comparison}.",
    "group_no_gap": "{When}, no pupil group shown here had a higher persistent absence rate "
    "in {name} than its comparison group.",
    "group_vs_england": "The gap for {group} was {wider} the gap across England ({england}).",
    "group_suppressed": "Figures for {list} are not shown: they concern very few pupils, or "
    "could be used to work out figures that do.",
    # figures without a value
    "rates_only": "{For_when}, the data has only the rates DfE publishes in LAIT: the counts, "
    "averages and changes behind them are not available.",
    "missing": "{Labels} {are} {reason}.",
}

#: why a figure has no value, in words (symbols.py lists the statuses)
REASONS: dict[str, str] = {
    "not-published": "not published for this period",
    "not-available": "not available for this period",
    "suppressed": "suppressed to protect pupils' identities",
    "low": "too small to show (it rounds to 0 but is not 0)",
    "low-reliability": "not shown because of its low reliability",
    "blank": "not given in the data for this period",
    "not-applicable": "not applicable for this period",
    "zero-denominator": "not applicable (there is nothing to divide by)",
    "no-previous-year": "not available: there is no figure for the previous year",
    "series-break": "not comparable across a break in the series",
}

PERIOD_WORDS: dict[str, str] = {
    "full-year": "full academic year",
    "autumn-spring": "autumn and spring terms",
}
#: the same, before a noun ("full-year figures")
PERIOD_ADJECTIVES: dict[str, str] = {
    "full-year": "full-year",
    "autumn-spring": "autumn and spring term",
}

COHORTS: dict[str, dict[str, str]] = {
    "persistent": {
        "title": "Persistent absence (10% or more)",
        "adjective": "persistently absent",
        "a_adjective": "a persistently absent",
        "threshold": "10%",
        "measure": "persistent absence rate",
    },
    "severe": {
        "title": "Severe absence (50% or more)",
        "adjective": "severely absent",
        "a_adjective": "a severely absent",
        "threshold": "50%",
        "measure": "severe absence rate",
    },
}

#: the first year after the 2019/20 gap, and the years a three-year average would span it
AFTER_GAP = "202021"
GAP_YEAR = "201920"


# ---------------------------------------------------------------------------------------------
# Where and when


def shift_year(time_period: str, years: int) -> str:
    """'201819' shifted by -1 -> '201718' (an academic-year label, not a statistic)."""
    start = int(str(time_period)[:4]) + years
    return f"{start}{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class Context:
    """What every sentence of one overview needs to know: the area, year and period."""

    name: str
    year: str  # '201819'
    period: str = "full-year"  # or 'autumn-spring'
    reorganisation: str = ""  # the note when the LA's series starts or ends at a reorganisation
    previous_in_other_period: str = ""  # the other period when only it has last year's figures
    has_previous: bool = True  # whether the area has any figure for the previous year
    #: the schools the figures cover (sources/contract.SCHOOLS), e.g. pupil referral units
    schools: str = "state-funded primary, secondary and special schools"
    #: where the enrolments are, when not an LA's schools: 'at Townley Primary School',
    #: 'in the schools of The Cam Academy Trust'
    where: str = ""

    def when(self, year: str | None = None) -> str:
        """'in 2018/19' or 'in the autumn and spring terms of 2022/23'."""
        label = period_label(year or self.year)
        if self.period == "autumn-spring":
            return f"in the autumn and spring terms of {label}"
        return f"in {label}"

    def previous(self) -> str:
        """The same period of the year before: '2017/18', 'the autumn and spring terms of …'."""
        return self.when(shift_year(self.year, -1)).removeprefix("in ")

    def span(self) -> str:
        """The three years ending with this one."""
        first, last = period_label(shift_year(self.year, -2)), period_label(self.year)
        if self.period == "autumn-spring":
            return f"the autumn and spring terms of the three years {first} to {last}"
        return f"the three years {first} to {last}"

    def for_when(self) -> str:
        return "for " + self.when().removeprefix("in ")


# ---------------------------------------------------------------------------------------------
# Small grammar helpers


def say(key: str, **words: str) -> str:
    text = TEMPLATES[key].format(**words)
    return text[0].upper() + text[1:]


def has(figure: Figure | None) -> bool:
    """Whether a figure has a value to show."""
    return (
        figure is not None
        and figure.status == OK
        and figure.value is not None
        and not math.isnan(figure.value)
    )


def were(text: str) -> str:
    return "was" if text == "1" else "were"


def display(figure: Figure) -> str:
    """A figure as text, the way tables and the JSON show it: '4.4%', '77,145',
    '-0.2 percentage points', '[x]' when missing."""
    if figure.unit == "%":
        return percent(figure.value, figure.decimals, figure.status)
    if figure.unit == "percentage points":
        return points(figure.value, figure.decimals, figure.status)
    return number(figure.value, figure.decimals, figure.status)


def magnitude(figure: Figure) -> str:
    """The size of a figure without its sign, as in a sentence: '0.2', '400', '4.4%'."""
    text = number(abs(figure.value), figure.decimals)
    return f"{text}%" if figure.unit == "%" else text


def direction(figure: Figure) -> int:
    """+1, -1 or 0: the sign of the change *as shown* (0.04 at 1 decimal place is 0)."""
    rounded = _round(float(figure.value), figure.decimals)
    return (rounded > 0) - (rounded < 0)


def missing(*figures: Figure | None) -> list[str]:
    """Why figures have no value, one sentence per reason: 'The number of enrolments and the
    number of sessions missed are not available for this period.' (figures with a value and
    None are skipped)."""
    by_reason: dict[str, list[str]] = {}
    for figure in figures:
        if figure is None or has(figure):
            continue
        reason = REASONS.get(figure.status, REASONS["not-available"])
        by_reason.setdefault(reason, []).append("the " + figure.label[0].lower() + figure.label[1:])
    return [
        say(
            "missing",
            Labels=join_words(labels),
            are="is" if len(labels) == 1 else "are",
            reason=reason,
        )
        for reason, labels in by_reason.items()
    ]


def join_words(parts: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]


# ---------------------------------------------------------------------------------------------
# Changes and averages. Each returns None when the figure is simply missing: the section then
# says so with the other missing figures.


def no_previous(ctx: Context) -> str:
    """Why there is no comparison with the previous year (the breaks rule)."""
    if ctx.year == AFTER_GAP:
        return say("no_previous_covid")
    if ctx.reorganisation:
        return say("no_previous_reorganised", note=ctx.reorganisation)
    if ctx.previous_in_other_period:
        return say(
            "no_previous_other_period",
            previous=ctx.previous(),
            other_period=PERIOD_ADJECTIVES[ctx.previous_in_other_period],
            this_period=PERIOD_ADJECTIVES[ctx.period],
        )
    return say("no_previous", previous=ctx.previous())


def _without_previous(ctx: Context, change: Figure) -> bool:
    """Whether a change is missing because there is nothing to compare with."""
    return change.status == "no-previous-year" or not ctx.has_previous or ctx.year == AFTER_GAP


def change_sentence(ctx: Context, measure: str, change: Figure) -> str | None:
    """'The overall absence rate decreased by 0.2 percentage points since 2017/18.'"""
    if not has(change):
        return no_previous(ctx) if _without_previous(ctx, change) else None
    step = direction(change)
    if step == 0:
        return say("change_none", measure=measure, previous=ctx.previous())
    # '1.0 percentage points', '0.2 percentage points' (the unit's grammar is formatting.py's)
    amount = points(abs(change.value), change.decimals).removeprefix("+")
    key = "change_up" if step > 0 else "change_down"
    return say(key, measure=measure, amount=amount, previous=ctx.previous())


def count_change_sentence(ctx: Context, singular: str, plural: str, change: Figure) -> str | None:
    """'There were 400 fewer persistently absent enrolments than in 2017/18.'"""
    if not has(change):
        return no_previous(ctx) if _without_previous(ctx, change) else None
    step = direction(change)
    if step == 0:
        return say("count_change_none", noun_plural=plural, previous=ctx.previous())
    amount = magnitude(change)
    return say(
        "count_change",
        were=were(amount),
        amount=amount,
        more_fewer="more" if step > 0 else "fewer",
        noun=noun(amount, singular, plural),
        previous=ctx.previous(),
    )


def average_sentence(ctx: Context, measure: str, average: Figure) -> str | None:
    """'Taking the three years 2016/17 to 2018/19 together, the … rate was 4.5%.'"""
    if has(average):
        return say("average", span=ctx.span(), measure=measure, three_year_average=display(average))
    if GAP_YEAR in (shift_year(ctx.year, -1), shift_year(ctx.year, -2)):
        return say("no_average_covid", for_when=ctx.for_when())
    if average.status == "no-previous-year":
        return say("no_average", for_when=ctx.for_when())
    return None


class Sentences:
    """A section's sentences, with its missing figures said once at the end, by reason (or in
    one sentence when the section's rate is a LAIT rate, published without its counts)."""

    def __init__(self, ctx: Context, rate: Figure | None = None) -> None:
        self.ctx = ctx
        self.rates_only = rate is not None and "LAIT" in rate.source
        self.sentences: list[str] = []
        self.lacking: list[Figure] = []

    def add(self, sentence: str | None, *figures: Figure) -> None:
        """Add a sentence; when it is None, its figures are missing."""
        if sentence is None:
            self.lacking += figures
        elif sentence not in self.sentences:  # e.g. one 'no previous year' for two changes
            self.sentences.append(sentence)

    def lack(self, *figures: Figure | None) -> None:
        self.lacking += [f for f in figures if f is not None and not has(f)]

    def done(self) -> tuple[str, ...]:
        if self.rates_only and self.lacking:
            return (*self.sentences, say("rates_only", For_when=self.ctx.for_when()))
        return (*self.sentences, *missing(*self.lacking))
