"""The sections every overview has, for an LA, a school or a trust: which indicator each named
figure is, one area's values for one period (``Values``: picked from SiteData, never computed),
and the overall, persistent, severe and by-phase sections with their sentences
(narrative.py), tables and the phase chart. overview.py adds an LA's benchmarks and notices;
overview_schools.py a school's or a trust's comparisons.
"""

from __future__ import annotations

import math

from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.model import narrative, overview_sentences
from attendance_reports.model.area import BREAK_NOTES, chart_alt
from attendance_reports.model.report_model import (
    Chart,
    Column,
    Figure,
    NamedFigure,
    OverviewSection,
    Series,
    Table,
)
from attendance_reports.model.site_data import SiteData
from attendance_reports.render.formatting import period_label

NAN = float("nan")


# ---------------------------------------------------------------------------------------------
# Which indicator each named figure is. (name, indicator id, label); a label reads as the
# subject of a sentence ("The number of enrolments is not published for this period").

OVERALL = (
    ("enrolments", "enrolments", "Number of enrolments"),
    ("sessions_missed", "sessions_missed", "Number of sessions missed"),
    ("sessions_possible", "sessions_possible", "Number of sessions possible"),
    ("rate", "overall_absence_rate", "Overall absence rate"),
    (
        "sessions_per_enrolment",
        "sessions_missed_per_enrolment",
        "Average number of sessions missed per enrolment",
    ),
    (
        "change_pp",
        "overall_absence_rate_change",
        "Change in the overall absence rate since the previous year",
    ),
    (
        "three_year_average",
        "overall_absence_rate_3yr_average",
        "Overall absence rate over three years",
    ),
)


def cohort_figures(kind: str) -> tuple[tuple[str, str, str], ...]:
    """Persistent ('persistent', PA 10%+) or severe ('severe', 50%+) absence."""
    adjective = narrative.COHORTS[kind]["adjective"]  # 'persistently absent'
    absentee = {"persistent": "persistent_absentee", "severe": "severe_absentee"}[kind]
    title = "Persistent" if kind == "persistent" else "Severe"
    return (
        ("rate", f"{kind}_absence_rate", f"{title} absence rate"),
        ("count", f"{kind}_absentees", f"Number of {adjective} enrolments"),
        (
            "mean_sessions_missed",
            f"sessions_missed_per_{absentee}",
            f"Average number of sessions missed per {adjective} enrolment",
        ),
        (
            "extra_sessions_per_absentee",
            f"extra_sessions_missed_per_{absentee}",
            f"Number of extra sessions missed on average by a {adjective} enrolment",
        ),
        (
            "rate_excluding_cohort",
            f"overall_absence_rate_excluding_{kind}",
            f"Overall absence rate without the {adjective} enrolments",
        ),
        (
            "change_pp",
            f"{kind}_absence_rate_change",
            f"Change in the {kind} absence rate since the previous year",
        ),
        (
            "change_count",
            f"{kind}_absentees_change",
            f"Change in the number of {adjective} enrolments since the previous year",
        ),
        (
            "three_year_average",
            f"{kind}_absence_rate_3yr_average",
            f"{title} absence rate over three years",
        ),
    )


def cohort_counts(kind: str) -> tuple[tuple[str, str, str, str], ...]:
    """Session counts of a cohort: (name, indicator id, 'numerator' or 'denominator', label).
    They are the summed counts the cohort's rates were computed from, as the table holds them."""
    adjective = narrative.COHORTS[kind]["adjective"]
    return (
        (
            "cohort_authorised_sessions",
            f"{kind}_cohort_authorised_absence_rate",
            "numerator",
            f"Number of authorised sessions missed by {adjective} enrolments",
        ),
        (
            "cohort_unauthorised_sessions",
            f"{kind}_cohort_unauthorised_absence_rate",
            "numerator",
            f"Number of unauthorised sessions missed by {adjective} enrolments",
        ),
        (
            "cohort_possible_sessions",
            f"{kind}_cohort_overall_absence_rate",
            "denominator",
            f"Number of possible sessions of {adjective} enrolments",
        ),
    )


PHASES = (("primary", "State-funded primary"), ("secondary", "State-funded secondary"))
PHASES += (("special", "Special"),)
PHASE_MEASURES = (
    ("overall_rate", "overall_absence_rate", "overall absence rate"),
    ("persistent_rate", "persistent_absence_rate", "persistent absence rate"),
)
BENCHMARK_MEASURES = (
    ("overall", "overall_absence_rate", "Overall absence rate"),
    ("persistent", "persistent_absence_rate", "Persistent absence rate"),
    ("severe", "severe_absence_rate", "Severe absence rate"),
)
TABLE_YEARS = 5  # years shown in the overall, persistent and severe tables


# ---------------------------------------------------------------------------------------------
# Picking values


class Values:
    """One area's values (and the counts behind them) for one period. Never computes."""

    def __init__(self, site: SiteData, level: str, code: str, period: str):
        self.site, self.level, self.code, self.period = site, level, code, period
        self.values = site.values(level, code, period)
        self._counts: dict | None = None

    def get(self, year: str, indicator: str, phase: str = "total") -> tuple[float, str, str]:
        return self.values.get((year, phase, indicator), (NAN, "not-available", ""))

    def figure(self, year: str, indicator: str, label: str, phase: str = "total") -> Figure:
        value, status, source = self.get(year, indicator, phase)
        spec = REGISTRY[indicator]
        return Figure(label, float(value), str(status), spec.unit, spec.decimals, str(source))

    def count(self, year: str, indicator: str, part: str, label: str) -> Figure:
        """The numerator or denominator a value of ``indicator`` was computed from."""
        if self._counts is None:
            self._counts = self.site.counts(self.level, self.code, self.period)
        _, status, source = self.get(year, indicator)
        numerator, denominator = self._counts.get((year, "total", indicator), (NAN, NAN))
        value = numerator if part == "numerator" else denominator
        if status == "ok" and math.isnan(value):  # a LAIT rate: published without its counts
            status = "not-available"
        return Figure(label, float(value), str(status), "sessions", 0, str(source))

    def years_with(self, indicator: str, phase: str = "total", source: str | None = None):
        """Years with a value of ``indicator`` (from ``source`` only, when given), in order."""
        return sorted(
            y
            for (y, p, i), (_, s, src) in self.values.items()
            if i == indicator and p == phase and s == "ok" and (source is None or src == source)
        )


def named(values: Values, year: str, spec) -> tuple[NamedFigure, ...]:
    return tuple(NamedFigure(name, values.figure(year, i, label)) for name, i, label in spec)


def as_dict(figures: tuple[NamedFigure, ...]) -> dict[str, Figure]:
    return {f.name: f.figure for f in figures}


def sources_line(sources) -> str:
    names = sorted({s for s in sources if s})
    return "Source: " + "; ".join(names) + "." if names else ""


def _row(values: Values, year: str, columns: tuple[Column, ...], ids: dict[str, str]) -> dict:
    row = {"year": period_label(year)}
    for column in columns[1:]:
        row[column.key], row[f"{column.key}__status"] = values.get(year, ids[column.key])[:2]
    return row


def years_table(
    values: Values, year: str, table_id: str, caption: str, columns, ids: dict[str, str], main
) -> Table | None:
    """The section's measures for the last few years (this period) up to ``year``."""
    years = [y for y in values.years_with(main) if y <= year][-TABLE_YEARS:]
    if not years:
        return None
    rows = tuple(_row(values, y, columns, ids) for y in years)
    sources = [values.get(y, main)[2] for y in years]
    return Table(
        table_id,
        caption,
        columns,
        rows,
        notes=("Years with no figures for this period (such as 2019/20) are left out.",),
        source=sources_line(sources),
    )


# ---------------------------------------------------------------------------------------------
# Sections


def overall_section(values: Values, ctx: narrative.Context, year: str) -> OverviewSection:
    figures = named(values, year, OVERALL)
    columns = (
        Column("year", "Academic year"),
        Column("enrolments", "Enrolments", "count"),
        Column("sessions_missed", "Sessions missed", "count"),
        Column("rate", "Overall absence rate", "%"),
        Column(
            "change_pp", "Change since the previous year (percentage points)", "percentage points"
        ),
        Column("three_year_average", "Three-year average", "%"),
    )
    ids = {name: indicator for name, indicator, _ in OVERALL}
    table = years_table(
        values,
        year,
        "overall",
        f"Overall absence, {ctx.name}: {period_words(ctx.period)}, by year",
        columns,
        ids,
        "overall_absence_rate",
    )
    return OverviewSection(
        "overall",
        "Overall absence",
        overview_sentences.overall(ctx, as_dict(figures)),
        figures,
        table,
    )


def cohort_section(values: Values, ctx: narrative.Context, year: str, kind: str) -> OverviewSection:
    spec = cohort_figures(kind)
    figures = named(values, year, spec) + tuple(
        NamedFigure(name, values.count(year, indicator, part, label))
        for name, indicator, part, label in cohort_counts(kind)
    )
    words = narrative.COHORTS[kind]
    title = "Persistent" if kind == "persistent" else "Severe"
    columns = (
        Column("year", "Academic year"),
        Column("count", f"{title} absentees (enrolments)", "count"),
        Column("rate", f"{title} absence rate", "%"),
        Column(
            "change_pp", "Change since the previous year (percentage points)", "percentage points"
        ),
        Column(
            "rate_excluding_cohort", f"Overall absence rate without {title.lower()} absentees", "%"
        ),
        Column("three_year_average", "Three-year average", "%"),
    )
    ids = {name: indicator for name, indicator, _ in spec}
    table = years_table(
        values,
        year,
        kind,
        f"{words['title']}, {ctx.name}: {period_words(ctx.period)}, by year",
        columns,
        ids,
        f"{kind}_absence_rate",
    )
    return OverviewSection(
        kind,
        words["title"],
        overview_sentences.cohort(ctx, kind, as_dict(figures)),
        figures,
        table,
    )


def phases_section(values: Values, ctx: narrative.Context, year: str) -> OverviewSection:
    figures = tuple(
        NamedFigure(
            f"{phase}_{key}",
            values.figure(
                year, indicator, f"{words.capitalize()} of {label.lower()} schools", phase
            ),
        )
        for phase, label in PHASES
        for key, indicator, words in PHASE_MEASURES
    )
    columns = (
        Column("year", "Academic year"),
        *(
            Column(f"{phase}_{key}", f"{words.capitalize()}: {label.lower()}", "%")
            for key, _, words in PHASE_MEASURES
            for phase, label in PHASES
        ),
    )
    have = sorted(
        {
            y
            for phase, _ in PHASES
            for _, indicator, _ in PHASE_MEASURES
            for y in values.years_with(indicator, phase)
            if y <= year
        }
    )
    rows, sources = [], []
    for y in have:
        row = {"year": period_label(y)}
        for phase, _ in PHASES:
            for key, indicator, _ in PHASE_MEASURES:
                value, status, source = values.get(y, indicator, phase)
                row[f"{phase}_{key}"], row[f"{phase}_{key}__status"] = value, status
                sources.append(source)
        rows.append(row)
    table = chart = None
    if rows:
        span = f"{period_label(have[0])} to {period_label(have[-1])}"
        table = Table(
            "phases",
            f"Overall and persistent absence rates by phase of education, {ctx.name}: "
            f"{period_words(ctx.period)}, {span}",
            columns,
            tuple(rows),
            notes=tuple(
                note
                for note in (
                    "Years with no figures for this period (such as 2019/20) are left out.",
                    *(BREAK_NOTES[1:] if ctx.period == "full-year" else ()),
                )
            ),
            source=sources_line(sources),
        )
        chart = _phase_chart(values, ctx, year, have, table)
    return OverviewSection(
        "phases",
        "By phase of education",
        overview_sentences.phases(ctx, as_dict(figures)),
        figures,
        table,
        chart,
    )


def _phase_chart(
    values: Values, ctx: narrative.Context, year: str, have: list[str], table: Table
) -> Chart:
    """The overall absence rate of each phase by year (gaps where a year has no figures)."""
    years = [y for y in values.site.years if have[0] <= y <= year]
    series = []
    for phase, label in PHASES:
        ys = []
        for y in years:
            value, status, _ = values.get(y, "overall_absence_rate", phase)
            ys.append(float(value) if status == "ok" else NAN)
        series.append(Series(label, tuple(period_label(y) for y in years), tuple(ys)))
    first, last = period_label(years[0]), period_label(years[-1])
    alt = chart_alt("overall absence rate by phase of education", ctx.name, "", first, last, "")
    return Chart(
        "phases-trend",
        "line",
        f"Overall absence by phase of education in {ctx.name}",
        f"Overall absence rate, {ctx.schools}, {ctx.name}, {period_words(ctx.period)}, "
        f"{first} to {last}",
        alt,
        tuple(series),
        "%",
        table.source,
        tuple(b for b in ("2012/13", "2019/20") if first <= b <= last),
        table,  # the chart's data: shown with it on the web, once in the PDF
    )


def period_words(period: str) -> str:
    return narrative.PERIOD_WORDS[period]
