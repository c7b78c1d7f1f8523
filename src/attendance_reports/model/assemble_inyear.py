"""In-year ("This year") report models, from SiteData's in-year indicator table. Picks and
arranges values; the one piece of arithmetic, a benchmark group's mean, is the indicator
layer's (``indicators.inyear.group_mean``).

In-year figures come from DfE's "Pupil attendance in schools" statistics, a different source
from the school census: these pages show no census figure, and census pages no in-year one.
"""

from __future__ import annotations

import math

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.inyear import PUPIL_IDS, REGISTRY
from attendance_reports.indicators.inyear_combine import PARTIAL
from attendance_reports.model.area_trends import without_unpublished
from attendance_reports.model.inyear_benchmarks import (
    benchmark_table,
    comparisons_of,
    maps,
    neighbours_table,
    regions_table,
)
from attendance_reports.model.inyear_common import (
    COMBINED_WORDS,
    ENGLAND,
    HEADLINES,
    MEASURE_WORDS,
    PHASE_FIGURES,
    PHASES,
    SEPARATE,
    SEPARATE_ALONE,
    YTD,
    InYearArea,
    cumulative,
    data_date,
    is_combined,
    method_column,
    periods_of,
    row_method,
    words_list,
)
from attendance_reports.model.inyear_pupil_groups import group_summary, group_tables
from attendance_reports.model.inyear_weeks import persistent_series, weekly_chart
from attendance_reports.model.report_model import (
    Column,
    Figure,
    Headline,
    InYearReport,
    Link,
    Table,
    la_breadcrumbs,
)
from attendance_reports.model.site_data import INYEAR, SiteData
from attendance_reports.render.formatting import counted, percent, period_label
from attendance_reports.sources.inyear_columns import PREDECESSORS


def _headlines(site: SiteData, area: InYearArea, year: str) -> tuple[Headline, ...]:
    kind, period, label = cumulative(InYearArea(site, "national", ENGLAND), year)
    out = []
    for indicator in HEADLINES:
        value, status, _ = area.get(kind, year, period, indicator)
        if status == "not-available" and math.isnan(value):
            continue
        spec = REGISTRY[indicator]
        out.append(
            Headline(
                indicator,
                Figure(
                    spec.label,
                    value,
                    status,
                    "%",
                    1,
                    INYEAR,
                    area.how(kind, year, period, indicator),
                ),
                f"{period_label(year)}, {label.lower()}",
                comparisons_of(site, area, year, kind, period, indicator),
            )
        )
    return tuple(out)


def _period_table(area: InYearArea, england: InYearArea, year: str, name: str) -> Table | None:
    measures = HEADLINES
    rows = []
    for kind, period, label in periods_of(england, year):
        for phase, phase_label in PHASES:
            row = {"period": label, "phase": phase_label}
            for m in measures:
                row[m], row[f"{m}__status"] = area.get(kind, year, period, m, phase)[:2]
            row["method"] = (
                row_method(
                    [(MEASURE_WORDS[m], area.how(kind, year, period, m, phase)) for m in measures]
                )
                if phase == "total"
                else PHASE_FIGURES
            )
            rows.append(row)
    if not rows:
        return None
    method, how = method_column(rows, "How the figures are made", "the all-schools figures are")
    columns = (
        Column("period", "Period"),
        Column("phase", "Phase"),
        *(Column(m, REGISTRY[m].label, "%") for m in measures),
        method,
    )
    return without_unpublished(
        Table(
            "periods",
            f"Attendance and absence by term and phase, {name}, {period_label(year)}",
            columns,
            tuple(rows),
            notes=(
                "Persistent absence: pupils who missed 10% or more of their possible sessions in "
                "the period (to date for the year to date).",
                *how,
            ),
            source=f"Source: {INYEAR}.",
        )
    )


def _persistent_table(site: SiteData, area: InYearArea, year: str) -> Table | None:
    england = InYearArea(site, "national", ENGLAND)
    indicator = "inyear_persistent_absence_rate"
    rows, labels = [], None
    for kind, period, label in periods_of(england, year):
        value, status, _ = area.get(kind, year, period, indicator)
        comparisons = comparisons_of(site, area, year, kind, period, indicator)
        labels = [c.label for c in comparisons]
        row = {"period": label, "area": value, "area__status": status}
        row["method"] = area.how(kind, year, period, indicator)
        for i, c in enumerate(comparisons):
            row[f"b{i}"], row[f"b{i}__status"] = c.value, c.status
        rows.append(row)
    if not rows:
        return None
    method, how = method_column(
        rows, f"How {area.name}'s figure is made", f"{area.name}'s figures are"
    )
    columns = [Column("period", "Period"), Column("area", area.name, "%")]
    columns += [Column(f"b{i}", label, "%") for i, label in enumerate(labels or [])]
    return Table(
        "persistent",
        f"Persistent absence (10% or more of possible sessions missed) in each term and the "
        f"year to date, {area.name}, {period_label(year)}",
        (*columns, method),
        tuple(rows),
        notes=how,
        source=f"Source: {INYEAR} (pa_perc as published).",
    )


def _reasons(site: SiteData, area: InYearArea, year: str) -> Table | None:
    england = InYearArea(site, "national", ENGLAND)
    kind, period, label = cumulative(england, year)
    columns = [Column("reason", "Reason (register code)"), Column("area", area.name, "%")]
    if area.code != ENGLAND:
        columns.append(Column("england", "England", "%"))
    rows = []
    for spec in REGISTRY.values():
        if not spec.reason or england.get(kind, year, period, spec.id)[1] == "not-available":
            continue
        code = spec.definition.split("code ", 1)[1].split(" ", 1)[0]
        row = {"reason": f"{spec.label} ({code})"}
        row["area"], row["area__status"] = area.get(kind, year, period, spec.id)[:2]
        row["method"] = area.how(kind, year, period, spec.id)
        if area.code != ENGLAND:
            row["england"], row["england__status"] = england.get(kind, year, period, spec.id)[:2]
        rows.append(row)
    if not rows:
        return None
    method, how = method_column(
        rows, f"How {area.name}'s figure is made", f"{area.name}'s figures are"
    )
    return Table(
        "reasons",
        f"Sessions missed by reason as a percentage of possible sessions, {area.name}, "
        f"{period_label(year)}, {label.lower()}",
        (*columns, method),
        tuple(rows),
        notes=(
            "Register codes changed in August 2024: code T meant Gypsy, Roma and Traveller "
            "absence before then and a parent travelling for work after; C1, J1 and C2 are new.",
            *how,
        ),
        source=f"Source: {INYEAR}.",
    )


def _method_notices(site: SiteData, area: InYearArea, year: str) -> list[str]:
    """How the page's all-schools figures are made: DfE's published totals, or the phases
    combined the way each file's own totals are (and which way), or why none is shown."""
    figures = [
        (method, str(source), indicator)
        for (_, y, _, _, p, indicator), (_, _, method, source) in area.values.items()
        if y == year and p == "total"
    ]
    methods = {m.removesuffix(PARTIAL) for m, _, _ in figures}
    out = []
    whose = "England's and the regions'" if area.level == "national" else f"{area.name}'s"
    if "published-total" in methods:
        out.append(
            f"{whose} all-schools figures are DfE's published totals, used as published"
            + (" where a file has one." if len(methods) > 1 else ".")
        )
    combined = {(i in PUPIL_IDS, m.removesuffix(PARTIAL)) for m, _, i in figures if is_combined(m)}
    if combined:
        files = sorted({s for m, s, _ in figures if is_combined(m)})
        tested = sum(site.inyear_methods[f].tested for f in files if f in site.inyear_methods)
        which = ""
        if "published-total" in methods:  # only some figures are combined: name them
            labels = sorted({REGISTRY[i].label.lower() for m, _, i in figures if is_combined(m)})
            which = f" ({words_list(labels)})"
        out.append(
            f"Where DfE's files publish no all-schools figure for {area.name}{which}, its primary, "
            "secondary and special figures are combined by the method that reproduces the "
            "same file's own published totals for England and the regions (all "
            f"{tested:,} published totals of {counted(len(files), 'file')}"
            f" reproduced): {_combined_words(combined)}. Each table says how each figure is made."
        )
    if area.level == "national" and site.boundaries is not None:
        kind, period, _ = cumulative(area, year)
        las = site.inyear_las(kind, year, period, "inyear_overall_absence_rate").values()
        used = sorted({m.removesuffix(PARTIAL) for _, _, m, _ in las} & set(COMBINED_WORDS))
        if used:
            out.append(
                "DfE's files give no all-schools row for local authorities: on the maps, each "
                "local authority's primary, secondary and special figures are combined by the "
                "method that reproduces the file's own published totals for England and the "
                "regions: " + " or ".join(COMBINED_WORDS[m] for m in used) + "."
            )
    if any(m.endswith(PARTIAL) for m, _, _ in figures):
        out.append(
            "Where a phase's figure is suppressed, the all-schools figure combines the "
            "phases that are published."
        )
    if "none" in methods:
        for source in sorted({s for m, s, _ in figures if m == "none"}):
            release = site.inyear_methods.get(source)
            reasons = ({release.reason, release.pupils_reason} - {""} if release else set()) or {
                "DfE's method of combining phases cannot be found"
            }
            out.append(
                f"No all-schools figure is shown for {area.name} from {source}: "
                + "; ".join(sorted(reasons))
                + "."
            )
    return out


def _combined_words(combined: set[tuple[bool, str]]) -> str:
    """The combining methods used, said per kind of figure when they differ."""
    sessions = sorted(m for pupils, m in combined if not pupils)
    pupils = sorted(m for is_pupils, m in combined if is_pupils)
    if not pupils or sessions == pupils:
        return " or ".join(COMBINED_WORDS[m] for m in sessions or pupils)
    parts = []
    if sessions:
        parts.append(
            "attendance and absence rates by " + " or ".join(COMBINED_WORDS[m] for m in sessions)
        )
    parts.append("persistent absence by " + " or ".join(COMBINED_WORDS[m] for m in pupils))
    return "; ".join(parts)


def _notices(site: SiteData, area: InYearArea, year: str) -> tuple[str, ...]:
    notices = [
        SEPARATE if site.census_years else SEPARATE_ALONE,
        *_method_notices(site, area, year),
    ]
    if area.level == "la":
        # the 2022/23 weekly and daily files use pre-April-2023 codes (inyear.PREDECESSORS):
        # say so where a 2022/23 figure is on the page (this year or the comparison year)
        previous = f"{int(year[:4]) - 1}{int(year[4:]) - 1:02d}"
        breaks = {old: note for _, old, note in PREDECESSORS.values()}
        if area.code in breaks and "202223" in (year, previous):
            notices.append(breaks[area.code])
    return tuple(notices)


def _sources(site: SiteData, year: str) -> tuple[str, ...]:
    """The source and the files the page's figures come from: the year's files, and the
    previous year's weekly file (the comparison line)."""
    previous = f"{int(year[:4]) - 1}{int(year[4:]) - 1:02d}"
    files = [
        f
        for f in site.inyear_files
        if (year, f) in site.inyear_year_files or (previous, f, "week") in site.inyear_year_files
    ]
    return (f"Source: {INYEAR}; files " + ", ".join(files) + "." if files else f"{INYEAR}.",)


def inyear_la_report(site: SiteData, la_code: str) -> InYearReport:
    """An LA's "This year" page."""
    la_code = str(la_code).strip()
    year = site.inyear_year
    if year is None or not site.has_inyear(la_code):
        raise ConfigError(f"no in-year attendance figures for LA {la_code} — add DfE's files")
    name = site.name_of("la", la_code)
    area = InYearArea(site, "la", la_code, name)
    headlines = _headlines(site, area, year)
    summary = [
        f"{name} this year: pupil attendance and absence in {period_label(year)} from "
        "state-funded schools' daily registers, week by week and term by term."
    ]
    overall = next((h for h in headlines if h.id == "inyear_overall_absence_rate"), None)
    if overall:
        england = next((c for c in overall.comparisons if c.label == "England"), None)
        summary.append(
            f"In {overall.year}, pupils in {name}'s state-funded schools missed "
            f"{percent(overall.figure.value, status=overall.figure.status)} of their possible "
            "sessions"
            + (
                f", compared with {percent(england.value, status=england.status)} across England."
                if england
                else "."
            )
        )
    return InYearReport(
        slug=f"la/{la_code}-this-year",
        title=f"{name}: attendance this year",
        description=f"In-year attendance in {name}, {period_label(year)}: weekly absence, "
        "terms, reasons and persistent absence to date, with benchmarks.",
        breadcrumbs=la_breadcrumbs(
            name,
            la_code,
            Link("This year", f"la/{la_code}-this-year.html"),
            home=site.area_home("la", la_code),
        ),
        summary=tuple(summary),
        notices=_notices(site, area, year),
        sources=_sources(site, year),
        code=la_code,
        name=name,
        year=period_label(year),
        data_date=data_date(site, year),
        headlines=headlines,
        weekly=weekly_chart(site, area, year),
        periods=_period_table(area, InYearArea(site, "national", ENGLAND), year, name),
        persistent=_persistent_table(site, area, year),
        persistent_series=persistent_series(site, area, year),
        reasons=_reasons(site, area, year),
        groups=group_tables(site, area, year),
        groups_summary=group_summary(site, area)
        or ("DfE's in-year figures by pupil group are not among the files read.",),
        benchmarks=benchmark_table(headlines, name),
        neighbours=neighbours_table(site, area, year),
        links=(
            *(
                [Link(f"{name}: full-year figures from the school census", f"la/{la_code}.html")]
                if site.has_area("la", la_code)
                else []
            ),
            Link(
                "England this year, with the regions and a map of local authorities",
                "this-year.html",
            ),
        ),
    )


def _years_table(site: SiteData) -> Table | None:
    """England's full years in this source (the year to date at each year's end)."""
    england = InYearArea(site, "national", ENGLAND)
    years = sorted({y for (k, y, *_rest) in england.values if k == "ytd"})
    if not years:
        return None
    measures = (
        "inyear_overall_absence_rate",
        "inyear_persistent_absence_rate",
        "inyear_attendance_rate",
    )
    rows = []
    for y in years:
        row = {"year": period_label(y)}
        for m in measures:
            row[m], row[f"{m}__status"] = england.get(YTD[0], y, YTD[1], m)[:2]
        row["method"] = row_method(
            [(MEASURE_WORDS[m], england.how(YTD[0], y, YTD[1], m)) for m in measures]
        )
        rows.append(row)
    method, how = method_column(rows, "How the figures are made", "England's figures are")
    return Table(
        "years",
        "England, each year in this source (year to date as published)",
        (
            Column("year", "Academic year"),
            *(Column(m, REGISTRY[m].label, "%") for m in measures),
            method,
        ),
        tuple(rows),
        notes=(
            "A year still in progress is shown to date. These figures are not comparable with "
            "the school census figures on the England page."
            if site.has_area("national", ENGLAND)
            else "A year still in progress is shown to date. These figures are not comparable "
            "with DfE's school census absence figures.",
            *how,
        ),
        source=f"Source: {INYEAR}.",
    )


def inyear_national_report(site: SiteData) -> InYearReport:
    """England's "This year" page, with the regions and maps of the LAs."""
    year = site.inyear_year
    if year is None:
        raise ConfigError("no in-year attendance figures — add DfE's 'Pupil attendance' files")
    area = InYearArea(site, "national", ENGLAND, "England")
    headlines = _headlines(site, area, year)
    summary = [
        f"England this year: pupil attendance and absence in {period_label(year)} from "
        "state-funded schools' daily registers, week by week and term by term, with the regions."
    ]
    overall = next((h for h in headlines if h.id == "inyear_overall_absence_rate"), None)
    if overall:
        summary.append(
            f"In {overall.year}, pupils in England's state-funded schools missed "
            f"{percent(overall.figure.value, status=overall.figure.status)} of their possible "
            "sessions."
        )
    return InYearReport(
        slug="this-year",
        title="England: attendance this year",
        description=f"In-year attendance in England, {period_label(year)}: weekly absence, "
        "terms, reasons, persistent absence to date, regions and a map of local authorities.",
        breadcrumbs=(Link("Home", "index.html"), Link("This year", "this-year.html")),
        summary=tuple(summary),
        notices=_notices(site, area, year),
        sources=_sources(site, year),
        code=ENGLAND,
        name="England",
        year=period_label(year),
        data_date=data_date(site, year),
        headlines=headlines,
        weekly=weekly_chart(site, area, year),
        periods=_period_table(area, area, year, "England"),
        persistent=_persistent_table(site, area, year),
        persistent_series=persistent_series(site, area, year),
        reasons=_reasons(site, area, year),
        groups=group_tables(site, area, year),
        groups_summary=group_summary(site, area)
        or ("DfE's in-year figures by pupil group are not among the files read.",),
        areas=regions_table(site, year),
        years=_years_table(site),
        maps=maps(site, year),
        links=(Link("England: full-year figures from the school census", "national.html"),)
        if site.has_area("national", ENGLAND)
        else (),
    )
