"""The 'latest data overview' of one LA, year and period: SiteData -> OverviewReport.

Like assemble.py it only picks values from the indicator table (SiteData) and arranges them;
it never computes a statistic. Each section names its figures (NamedFigure: 'rate', 'count',
'change_pp', …); narrative.py turns exactly those figures into sentences, and the section's
table shows the same indicator values. The web page (reports/overview.qmd), the PDF and the
`attendance-reports overview` command all start from this model.
"""

from __future__ import annotations

import math
import re

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.model import narrative
from attendance_reports.model.assemble import (
    BREAK_NOTES,
    ENGLAND,
    REORGANISATIONS,
    chart_alt,
    geographic_neighbourhood,
    neighbourhood,
)
from attendance_reports.model.report_model import (
    Chart,
    Column,
    Figure,
    Link,
    NamedFigure,
    OverviewReport,
    OverviewSection,
    Series,
    Table,
    la_breadcrumbs,
)
from attendance_reports.model.site_data import CENSUS, LAIT, SiteData
from attendance_reports.render.formatting import counted, period_code, period_label
from attendance_reports.sources.contract import SCHOOLS
from attendance_reports.sources.reference import normalise_region

NAN = float("nan")
PERIODS = tuple(narrative.PERIOD_WORDS)  # 'full-year', 'autumn-spring'
TWO_TERM_NOTICE = (
    "These figures cover the autumn and spring terms only. They are indicative, and they are "
    "compared only with the autumn and spring terms of other years, never with full-year figures."
)
LAIT_NOTICE = (
    "The figures for {year} are the rates DfE publishes in LAIT: the school census counts "
    "behind them (enrolments, sessions) are not in the data, so this overview gives rates only."
)
#: COVID-era years (compare with care) and the gap year with no figures
COVID_YEARS = ("202021", "202122")

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


def _cohort_figures(kind: str) -> tuple[tuple[str, str, str], ...]:
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


def _cohort_counts(kind: str) -> tuple[tuple[str, str, str, str], ...]:
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


class _Values:
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


def _named(values: _Values, year: str, spec) -> tuple[NamedFigure, ...]:
    return tuple(NamedFigure(name, values.figure(year, i, label)) for name, i, label in spec)


def _as_dict(figures: tuple[NamedFigure, ...]) -> dict[str, Figure]:
    return {f.name: f.figure for f in figures}


def _sources_line(sources) -> str:
    names = sorted({s for s in sources if s})
    return "Source: " + "; ".join(names) + "." if names else ""


def _row(values: _Values, year: str, columns: tuple[Column, ...], ids: dict[str, str]) -> dict:
    row = {"year": period_label(year)}
    for column in columns[1:]:
        row[column.key], row[f"{column.key}__status"] = values.get(year, ids[column.key])[:2]
    return row


def _years_table(
    values: _Values, year: str, table_id: str, caption: str, columns, ids: dict[str, str], main
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
        source=_sources_line(sources),
    )


# ---------------------------------------------------------------------------------------------
# Sections


def _overall(values: _Values, ctx: narrative.Context, year: str) -> OverviewSection:
    figures = _named(values, year, OVERALL)
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
    table = _years_table(
        values,
        year,
        "overall",
        f"Overall absence, {ctx.name}: {_period_words(ctx.period)}, by year",
        columns,
        ids,
        "overall_absence_rate",
    )
    return OverviewSection(
        "overall", "Overall absence", narrative.overall(ctx, _as_dict(figures)), figures, table
    )


def _cohort(values: _Values, ctx: narrative.Context, year: str, kind: str) -> OverviewSection:
    spec = _cohort_figures(kind)
    figures = _named(values, year, spec) + tuple(
        NamedFigure(name, values.count(year, indicator, part, label))
        for name, indicator, part, label in _cohort_counts(kind)
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
    table = _years_table(
        values,
        year,
        kind,
        f"{words['title']}, {ctx.name}: {_period_words(ctx.period)}, by year",
        columns,
        ids,
        f"{kind}_absence_rate",
    )
    return OverviewSection(
        kind,
        words["title"],
        narrative.cohort(ctx, kind, _as_dict(figures)),
        figures,
        table,
    )


def _phases(values: _Values, ctx: narrative.Context, year: str) -> OverviewSection:
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
            f"{_period_words(ctx.period)}, {span}",
            columns,
            tuple(rows),
            notes=tuple(
                note
                for note in (
                    "Years with no figures for this period (such as 2019/20) are left out.",
                    *(BREAK_NOTES[1:] if ctx.period == "full-year" else ()),
                )
            ),
            source=_sources_line(sources),
        )
        chart = _phase_chart(values, ctx, year, have, table)
    return OverviewSection(
        "phases",
        "By phase of education",
        narrative.phases(ctx, _as_dict(figures)),
        figures,
        table,
        chart,
    )


def _phase_chart(
    values: _Values, ctx: narrative.Context, year: str, have: list[str], table: Table
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
        f"Overall absence rate, {ctx.schools}, {ctx.name}, {_period_words(ctx.period)}, "
        f"{first} to {last}",
        alt,
        tuple(series),
        "%",
        table.source,
        tuple(b for b in ("2012/13", "2019/20") if first <= b <= last),
        table,  # the chart's data: shown with it on the web, once in the PDF
    )


def _benchmarks(
    site: SiteData, values: _Values, ctx: narrative.Context, year: str, la_code: str
) -> OverviewSection:
    others: list[tuple[str, str, _Values]] = [
        ("england", "England", _Values(site, "national", ENGLAND, ctx.period))
    ]
    region = site.reference.region_of(la_code)
    if region:
        region = normalise_region(region)
        region_name = site.reference.regions.get(region, region)
        others.append(("region", region_name, _Values(site, "regional", region, ctx.period)))
    near = neighbourhood(site, la_code)
    near = near[(near["period"] == ctx.period).to_numpy()]
    has_neighbours = len(site.reference.neighbours_of(la_code)) > 0
    geographic = site.geographic_neighbours(la_code)
    geo_rows = geographic_neighbourhood(site, la_code) if geographic else None
    if geo_rows is not None:
        geo_rows = geo_rows[(geo_rows["period"] == ctx.period).to_numpy()]

    from attendance_reports.indicators.benchmarks import group_mean, neighbour_mean

    figures: list[NamedFigure] = []
    rows, sources = [], []
    notes = []
    for key, indicator, label in BENCHMARK_MEASURES:
        area = values.figure(year, indicator, f"{label} in {ctx.name}")
        figures.append(NamedFigure(f"{key}_rate", area))
        row = {"measure": label, "area": area.value, "area__status": area.status}
        sources.append(area.source)
        for who, name, other in others:
            figure = other.figure(year, indicator, f"{label} in {name}")
            figures.append(NamedFigure(f"{key}_{who}", figure))
            row[who], row[f"{who}__status"] = figure.value, figure.status
            sources.append(figure.source if figure.status == "ok" else "")
        means = []  # (column, kind of neighbours, their mean)
        if has_neighbours:
            mean = neighbour_mean(near, site.reference, la_code, year, "total", indicator)
            means.append(("neighbours", "statistical", mean))
        if geo_rows is not None:
            means.append(
                (
                    "geographic",
                    "geographic",
                    group_mean(geo_rows, geographic, year, "total", indicator),
                )
            )
        spec = REGISTRY[indicator]
        for who, kind, mean in means:
            figure = Figure(
                f"{label}: mean of the {kind} neighbours",
                mean.value,
                mean.status,
                spec.unit,
                spec.decimals,
                "",
            )
            figures.append(NamedFigure(f"{key}_{who}", figure))
            row[who], row[f"{who}__status"] = figure.value, figure.status
            if mean.status == "ok":
                notes.append(
                    f"{label}: {kind} neighbours' mean of {mean.members} of {counted(mean.of, 'neighbour')}."
                )
        rows.append(row)
    columns = [Column("measure", "Measure"), Column("area", ctx.name, "%")]
    columns += [Column(who, name, "%") for who, name, _ in others]
    comparators = {"england": "England"}
    if region:
        comparators["region"] = f"the {region_name} region"
    if has_neighbours:
        columns.append(Column("neighbours", "Statistical neighbours (mean)", "%"))
        comparators["neighbours"] = "the mean of its statistical neighbours"
        notes.insert(
            0,
            "Statistical neighbours: the mean of the 10 most similar local authorities' rates "
            "(DfE children's services model, 2025), as LAIT computes it.",
        )
    if geo_rows is not None:
        columns.append(Column("geographic", "Geographic neighbours (mean)", "%"))
        comparators["geographic"] = "the mean of its geographic neighbours"
        notes.insert(
            1 if has_neighbours else 0,
            "Geographic neighbours: the mean of the local authorities sharing a boundary "
            "(ONS boundaries, May 2023) that have a figure.",
        )
    table = Table(
        "benchmarks",
        f"{ctx.name} compared with England, its region and its statistical "
        + ("and geographic neighbours" if geo_rows is not None else "neighbours")
        + ": "
        f"{_period_words(ctx.period)} {period_label(year)}",
        tuple(columns),
        tuple(rows),
        notes=tuple(notes),
        source=_sources_line(sources),
    )
    named = tuple(figures)
    return OverviewSection(
        "benchmarks",
        "Compared with England, the region and neighbours",
        narrative.benchmarks(ctx, _as_dict(named), comparators),
        named,
        table,
    )


# ---------------------------------------------------------------------------------------------
# The report


def _period_words(period: str) -> str:
    return narrative.PERIOD_WORDS[period]


def _la_code(site: SiteData, la_code: str) -> str:
    """A 3-digit LA code (an E-code such as E10000003 is looked up)."""
    code = str(la_code).strip()
    if code.upper().startswith("E"):
        las = site.reference.las
        match = las.loc[las["new_la_code"] == code.upper(), "old_la_code"]
        if len(match):
            return str(match.iloc[0])
    return code


def _year(values: _Values, la_code: str, year: str | None, period: str) -> str:
    """The year asked for, or the latest with school census counts for this LA and period (an
    LA with published rates only, such as one created after the census files, gets its latest
    rates)."""
    words = _period_words(period)
    if year is None:
        census = values.years_with("enrolments", source=CENSUS)
        if census:
            return census[-1]
        rates = values.years_with("overall_absence_rate")
        if rates:
            return rates[-1]
        raise ConfigError(
            f"LA {la_code} has no {words} absence rates in the data — add the school census "
            "files or LAIT rates for it"
        )
    code = period_code(str(year))
    if not re.fullmatch(r"\d{6}", code) or int(code[4:]) != (int(code[2:4]) + 1) % 100:
        raise ConfigError(f"year {year!r} is not an academic year — write it as 2018/19")
    if not any(y == code and s == "ok" for (y, _, _), (_, s, _) in values.values.items()):
        have = values.years_with("overall_absence_rate")
        listed = ", ".join(period_label(y) for y in have[-6:]) or "none"
        raise ConfigError(
            f"no {words} figures for LA {la_code} in {period_label(code)} — years with "
            f"figures: {listed}"
        )
    return code


def _other_period_previous(site: SiteData, la_code: str, period: str, year: str) -> str:
    """The other period, when only it has figures for the year before (else '')."""
    previous = narrative.shift_year(year, -1)
    for other in PERIODS:
        if other != period:
            values = site.values("la", la_code, other)
            if any(y == previous and s == "ok" for (y, _, _), (_, s, _) in values.items()):
                return other
    return ""


def _notices(ctx: narrative.Context, la_code: str, year: str, values: _Values) -> tuple[str, ...]:
    notices = []
    if values.get(year, "overall_absence_rate")[2] == LAIT:
        notices.append(LAIT_NOTICE.format(year=period_label(year)))
    if la_code in REORGANISATIONS:
        notices.append(REORGANISATIONS[la_code])
    if ctx.period == "autumn-spring":
        notices.append(TWO_TERM_NOTICE)
    window = {narrative.shift_year(year, -k) for k in range(3)}
    if ctx.period == "full-year" and "201920" in window:
        notices.append(BREAK_NOTES[0])
    if window & set(COVID_YEARS):
        notices.append(BREAK_NOTES[1])
    return tuple(notices)


def overview_report(
    site: SiteData, la_code: str, year: str | None = None, period: str = "full-year"
) -> OverviewReport:
    """The latest data overview of one LA for ``year`` (default: the latest year with school
    census counts for the LA and period) and ``period`` ('full-year' or 'autumn-spring')."""
    if period not in PERIODS:
        raise ConfigError(f"period {period!r} is unknown — use one of: {', '.join(PERIODS)}")
    la_code = _la_code(site, la_code)
    if not site.values("la", la_code):
        raise ConfigError(f"no data for LA {la_code} — check the code or the data paths")
    values = _Values(site, "la", la_code, period)
    if not values.values:
        other = next(p for p in PERIODS if p != period)
        raise ConfigError(
            f"no {_period_words(period)} figures for LA {la_code} in the data — "
            f"try --period {other}"
        )
    year = _year(values, la_code, year, period)
    name = site.name_of("la", la_code)
    ctx = narrative.Context(
        name=name,
        year=year,
        period=period,
        reorganisation=REORGANISATIONS.get(la_code, ""),
        schools=SCHOOLS[site.population],
        previous_in_other_period=_other_period_previous(site, la_code, period, year),
        has_previous=any(
            y == narrative.shift_year(year, -1) and s == "ok"
            for (y, _, _), (_, s, _) in values.values.items()
        ),
    )
    sections = (
        _overall(values, ctx, year),
        _cohort(values, ctx, year, "persistent"),
        _cohort(values, ctx, year, "severe"),
        _phases(values, ctx, year),
        _benchmarks(site, values, ctx, year, la_code),
    )
    used = {nf.figure.source for s in sections for nf in s.figures if nf.figure.status == "ok"} & {
        CENSUS,
        LAIT,
    }
    when = ctx.when()
    heading_period = "" if period == "full-year" else " (autumn and spring terms)"
    return OverviewReport(
        slug=f"la/{la_code}-overview",
        title=f"{name}: latest data overview, {period_label(year)}{heading_period}",
        description=f"Pupil absence in {name} {when}: overall, persistent and severe absence, "
        "by phase of education and compared with England, the region and statistical "
        "neighbours, each figure in a sentence.",
        breadcrumbs=la_breadcrumbs(
            name, la_code, Link("Latest data overview", f"la/{la_code}-overview.html")
        ),
        summary=(
            f"Pupil absence in {name}'s {SCHOOLS[site.population]} "
            f"{when}, from the Department for Education's published statistics.",
        ),
        notices=_notices(ctx, la_code, year, values),
        sources=tuple(s for s in (CENSUS, LAIT) if s in used) or (CENSUS,),
        code=la_code,
        name=name,
        year=period_label(year),
        period=period,
        period_label=_period_words(period),
        sections=sections,
    )
