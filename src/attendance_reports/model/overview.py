"""The 'latest data overview' of one LA, year and period: SiteData -> OverviewReport.

Like assemble.py it only picks values from the indicator table (SiteData) and arranges them;
it never computes a statistic. Each section names its figures (NamedFigure: 'rate', 'count',
'change_pp', …); narrative.py turns exactly those figures into sentences, and the section's
table shows the same indicator values. The web page (reports/overview.qmd), the PDF and the
`attendance-reports overview` command all start from this model. The sections every overview
has (overall, persistent, severe, phases) are in overview_sections.py; this module adds the
LA's benchmarks, its notices and the choice of LA, year and period.
"""

from __future__ import annotations

import re

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.model import narrative, overview_sentences
from attendance_reports.model.area import BREAK_NOTES, ENGLAND, REORGANISATIONS
from attendance_reports.model.area_neighbours import geographic_neighbourhood, neighbourhood
from attendance_reports.model.overview_sections import (
    BENCHMARK_MEASURES,
    Values,
    as_dict,
    cohort_section,
    overall_section,
    period_words,
    phases_section,
    sources_line,
)
from attendance_reports.model.report_model import (
    Column,
    Figure,
    Link,
    NamedFigure,
    OverviewReport,
    OverviewSection,
    Table,
    la_breadcrumbs,
)
from attendance_reports.model.site_data import CENSUS, LAIT, SiteData
from attendance_reports.render.formatting import counted, period_code, period_label
from attendance_reports.sources.contract import SCHOOLS
from attendance_reports.sources.reference import normalise_region

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


def _benchmarks(
    site: SiteData, values: Values, ctx: narrative.Context, year: str, la_code: str
) -> OverviewSection:
    others: list[tuple[str, str, Values]] = [
        ("england", "England", Values(site, "national", ENGLAND, ctx.period))
    ]
    region = site.reference.region_of(la_code)
    if region:
        region = normalise_region(region)
        region_name = site.reference.regions.get(region, region)
        others.append(("region", region_name, Values(site, "regional", region, ctx.period)))
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
        f"{period_words(ctx.period)} {period_label(year)}",
        tuple(columns),
        tuple(rows),
        notes=tuple(notes),
        source=sources_line(sources),
    )
    named = tuple(figures)
    return OverviewSection(
        "benchmarks",
        "Compared with England, the region and neighbours",
        overview_sentences.benchmarks(ctx, as_dict(named), comparators),
        named,
        table,
    )


# ---------------------------------------------------------------------------------------------
# The report


def _la_code(site: SiteData, la_code: str) -> str:
    """A 3-digit LA code (an E-code such as E10000003 is looked up)."""
    code = str(la_code).strip()
    if code.upper().startswith("E"):
        las = site.reference.las
        match = las.loc[las["new_la_code"] == code.upper(), "old_la_code"]
        if len(match):
            return str(match.iloc[0])
    return code


def _year(values: Values, la_code: str, year: str | None, period: str) -> str:
    """The year asked for, or the latest with school census counts for this LA and period (an
    LA with published rates only, such as one created after the census files, gets its latest
    rates)."""
    words = period_words(period)
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


def _notices(ctx: narrative.Context, la_code: str, year: str, values: Values) -> tuple[str, ...]:
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
    values = Values(site, "la", la_code, period)
    if not values.values:
        other = next(p for p in PERIODS if p != period)
        raise ConfigError(
            f"no {period_words(period)} figures for LA {la_code} in the data — try --period {other}"
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
        overall_section(values, ctx, year),
        cohort_section(values, ctx, year, "persistent"),
        cohort_section(values, ctx, year, "severe"),
        phases_section(values, ctx, year),
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
        period_label=period_words(period),
        sections=sections,
    )
