"""Indicator table -> report models, one function per page type. No arithmetic on statistics:
every number comes from the indicator table (SiteData); this module only picks and arranges.
"""

from __future__ import annotations

import math

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.ranks import band_letter
from attendance_reports.indicators.registry import REASONS, REGISTRY
from attendance_reports.model.area import (
    ENGLAND,
    NAN,
    REORGANISATIONS,
    _Area,
    _benchmark_areas,
    _comparison,
    _missing_areas_notice,
    _sources_line,
    break_notes,
)
from attendance_reports.model.area_neighbours import (
    geographic_mean,
    geographic_neighbourhood,
    neighbour_mean,
    neighbourhood,
    neighbours_table,
    rank_sentence,
)
from attendance_reports.model.area_trends import (
    _recent,
    _trends,
    _unpublished_notice,
    without_unpublished,
)
from attendance_reports.model.assemble_file_subjects import (
    file_only,
    missed_by_reason_section,
    rate_bands_section,
)
from attendance_reports.model.periods import with_periods
from attendance_reports.model.report_model import (
    AreaReport,
    Chart,
    Column,
    Figure,
    Headline,
    Link,
    Series,
    Table,
    la_breadcrumbs,
)
from attendance_reports.model.site_data import CENSUS, LAIT, SiteData
from attendance_reports.render.formatting import percent, period_label
from attendance_reports.sources.contract import SCHOOLS
from attendance_reports.sources.reference import normalise_region

HEADLINES = (
    "overall_absence_rate",
    "authorised_absence_rate",
    "unauthorised_absence_rate",
    "persistent_absence_rate",
    "severe_absence_rate",
)
PHASES = (
    ("primary", "State-funded primary"),
    ("secondary", "State-funded secondary"),
    ("special", "Special"),
    ("total", "All schools (total)"),
)


def _figure(area: _Area, year: str, indicator: str, phase: str = "total") -> Figure:
    value, status, source = area.get(year, indicator, phase)
    spec = REGISTRY[indicator]
    return Figure(spec.label, value, status, spec.unit, spec.decimals, source)


def _headlines(area: _Area, name: str) -> tuple[Headline, ...]:
    out = []
    near = geographic = None
    if area.level == "la":
        near = neighbourhood(area.site, area.code)
        near = near[near["indicator"].isin(list(HEADLINES)).to_numpy()]
        geographic = geographic_neighbourhood(area.site, area.code)
        if geographic is not None:
            geographic = geographic[geographic["indicator"].isin(list(HEADLINES)).to_numpy()]
    for indicator in HEADLINES:
        year = area.latest(indicator)
        if year is None:
            continue
        comparisons = [
            _comparison(label, *other.get(year, indicator)[:2])
            for label, other in _benchmark_areas(area.site, area.level, area.code)
        ]
        if area.level == "la":
            comparisons.append(neighbour_mean(area.site, area.code, year, indicator, rows=near))
            if geographic is not None:
                comparisons.append(
                    geographic_mean(area.site, area.code, year, indicator, geographic)
                )
        rank, rank_status, _ = area.get(year, f"{indicator}_rank")
        band, _, _ = area.get(year, f"{indicator}_quartile")
        rows = area.site.rows(area.level, area.code)
        match = rows[
            (rows["time_period"] == year)
            & (rows["phase"] == "total")
            & (rows["indicator"] == f"{indicator}_rank")
        ]
        ranked = (
            int(match["denominator"].iloc[0])
            if len(match) and not math.isnan(match["denominator"].iloc[0])
            else 0
        )
        out.append(
            Headline(
                indicator,
                _figure(area, year, indicator),
                period_label(year),
                tuple(comparisons),
                rank,
                ranked,
                band_letter(band) if not math.isnan(band) else "",
                "not-ranked" if rank_status == "not-ranked" else "ok",
            )
        )
    return tuple(out)


def _benchmark_table(area: _Area, name: str, headlines: tuple[Headline, ...]) -> Table:
    others = [c.label for c in headlines[0].comparisons] if headlines else []
    columns = [Column("measure", "Measure"), Column("year", "Year"), Column("area", name, "%")]
    columns += [Column(f"b{i}", label, "%") for i, label in enumerate(others)]
    if area.level == "la":
        columns += [Column("rank", "Rank (1 = lowest)", "count"), Column("band", "Quartile band")]
    rows = []
    for h in headlines:
        row = {
            "measure": h.figure.label,
            "year": h.year,
            "area": h.figure.value,
            "area__status": h.figure.status,
        }
        for i, c in enumerate(h.comparisons):
            row[f"b{i}"], row[f"b{i}__status"] = c.value, c.status
        if area.level == "la":
            missing = "not-ranked" if h.rank_status == "not-ranked" else "not-available"
            row["rank"] = h.rank
            row["rank__status"] = "ok" if not math.isnan(h.rank) else missing
            row["band"] = h.band or float("nan")
            row["band__status"] = "ok" if h.band else missing
        rows.append(row)
    geographic = "Geographic neighbours" in others
    return Table(
        "benchmarks",
        f"{name} compared with England, its region and its statistical "
        + ("and geographic neighbours" if geographic else "neighbours")
        + ": latest year of each measure",
        tuple(columns),
        tuple(rows),
        notes=(
            "Statistical neighbours: the mean of the 10 most similar local "
            "authorities' rates (DfE children's services model, 2025), as LAIT "
            "computes it."
            + (
                " Geographic neighbours: the mean of the local authorities sharing a "
                "boundary (ONS boundaries, May 2023) that have a figure for the year."
                if geographic
                else ""
            ),
        )
        if area.level == "la"
        else (),
        source=_sources_line(h.figure.source for h in headlines),
    )


def _phase_table(area: _Area, name: str) -> Table | None:
    year = area.latest("overall_absence_rate", "primary")
    if year is None:
        return None
    measures = (
        "overall_absence_rate",
        "authorised_absence_rate",
        "unauthorised_absence_rate",
        "persistent_absence_rate",
        "severe_absence_rate",
    )
    columns = (Column("phase", "Phase"), *(Column(m, REGISTRY[m].label, "%") for m in measures))
    rows, sources = [], []
    for phase, label in PHASES:
        row = {"phase": label}
        for m in measures:
            value, status, source = area.get(year, m, phase)
            row[m], row[f"{m}__status"] = value, status
            sources.append(source)
        rows.append(row)
    return without_unpublished(
        Table(
            "phases",
            f"Absence by phase of education, {name}, {period_label(year)}",
            columns,
            tuple(rows),
            source=_sources_line(sources),
        )
    )


def _reasons(area: _Area, name: str) -> Table | None:
    year = area.latest("reason_illness_rate")
    if year is None:
        return None
    england = _Area(area.site, "national", ENGLAND) if area.code != ENGLAND else None
    columns = [Column("reason", "Reason"), Column("area", name, "%")]
    if england:
        columns.append(Column("england", "England", "%"))
    rows = []
    for key, _, label in REASONS:
        indicator = f"reason_{key}_rate"
        value, status, _ = area.get(year, indicator)
        if status == "not-available" and key == "extended_holiday":
            continue  # extended holiday was not a separate code after 2012/13
        row = {"reason": label, "area": value, "area__status": status}
        if england:
            row["england"], row["england__status"] = england.get(year, indicator)[:2]
        rows.append(row)
    return Table(
        "reasons",
        f"Sessions missed by reason as a percentage of possible sessions, "
        f"{name}, {period_label(year)}",
        tuple(columns),
        tuple(rows),
        notes=(
            "Reasons are recorded for most but not all absence sessions, so they can "
            "add up to slightly less than the overall rate.",
        ),
        source=_sources_line([CENSUS]),
    )


def la_report(site: SiteData, la_code: str) -> AreaReport:
    """Everything an LA page shows. ``la_code`` may arrive as a number (Quarto's -P la_code:873)."""
    la_code = str(la_code).strip()
    area = _Area(site, "la", la_code)
    if not site.has_area_page("la", la_code):
        raise ConfigError(f"no data for LA {la_code} — check the code or the data paths")
    name = site.name_of("la", la_code)
    region = site.reference.region_of(la_code)
    region_name = site.reference.regions.get(normalise_region(region), "") if region else ""
    headlines = _headlines(area, name)
    summary = []
    if headlines:
        h = headlines[0]
        england = next((c for c in h.comparisons if c.label == "England"), None)
        summary.append(
            f"In {h.year}, pupils in {name}'s {SCHOOLS[site.population]} missed "
            f"{percent(h.figure.value, status=h.figure.status)} of their possible "
            "sessions"
            + (
                ". England's figure is not in the files given."
                if england and england.status == "not-in-data"
                else f", compared with {percent(england.value, status=england.status)} across "
                "England."
                if england
                else "."
            )
        )
        sentence = rank_sentence(
            name, h.figure.label, h.year, h.rank, h.ranked, h.band, h.rank_status
        )
        if sentence:
            summary.append(sentence)
    schools = site.schools_of(la_code)
    facts = site.schools
    links = tuple(
        sorted(
            (
                Link(
                    f"{facts.label(r['code'])}, {r['phase_label'].lower()}",
                    f"school/{facts.page_of(r['code'])}.html",
                )
                for r in schools.to_dict("records")
            ),
            key=lambda link: (link.text.casefold(), link.href),
        )
    )
    report = AreaReport(
        slug=f"la/{la_code}",
        title=f"{name}: pupil absence",
        description=f"School absence in {name} ({region_name}): overall, authorised, "
        "unauthorised, persistent and severe absence, benchmarks and trends.",
        breadcrumbs=la_breadcrumbs(name, la_code),
        summary=tuple(summary),
        notices=tuple(n for n in (REORGANISATIONS.get(la_code),) if n)
        + (_missing_areas_notice(site, la_code) if area.values else ())
        + break_notes(site.years, slice(0, 2))
        + _unpublished_notice(area, name),
        sources=(CENSUS, LAIT),
        code=la_code,
        name=name,
        headlines=headlines,
        benchmarks=_benchmark_table(area, name, headlines) if headlines else None,
        phases=_phase_table(area, name),
        recent=_recent(area, name),
        overview=(
            (
                Link(
                    f"Latest data overview for {name}: every figure in words",
                    f"la/{la_code}-overview.html",
                ),
                Link(
                    f"Latest data overview for {name} as a PDF for committee papers",
                    f"la/{la_code}-overview.pdf",
                ),
            )
            if site.has_full_year(la_code)
            else ()
        )
        + (
            (
                Link(
                    f"Absence by pupil group in {name}: free school meals, SEN, sex, year "
                    "groups and children in need against their comparison groups",
                    f"la/{la_code}-groups.html",
                ),
            )
            if site.has_groups("la", la_code)
            else ()
        ),
        this_year=(
            Link(
                f"{name} this year: in-year attendance, {period_label(site.inyear_year)}, "
                "week by week",
                f"la/{la_code}-this-year.html",
            ),
        )
        if site.has_inyear(la_code)
        else (),
        trends=_trends(area, name),
        reasons=_reasons(area, name),
        missed_by_reason=missed_by_reason_section(site, "la", la_code, name, "state-funded"),
        neighbours=neighbours_table(site, la_code, name),
        schools=links,
        schools_table=_schools_table(site, la_code, name, schools),
    )
    return with_periods(file_only(report, site, "la", la_code), site, "la", la_code)


def _schools_table(site: SiteData, la_code: str, name: str, schools) -> Table | None:
    if schools.empty:
        return None
    year = site.latest_census_year
    shown = ("enrolments", "overall_absence_rate", "persistent_absence_rate")
    values = site.pick("school", list(schools["code"]), year, shown)
    missing = (NAN, "not-available")
    rows = []
    facts = site.schools
    for r in schools.to_dict("records"):
        row = {
            "school": facts.label(r["code"]),
            "school__href": f"school/{facts.page_of(r['code'])}.html",
            "urn": r["urn"] or r["laestab"],
            "laestab": r["laestab"],
            "phase": r["phase_label"],
        }
        for key in shown:
            row[key], row[f"{key}__status"] = values.get((r["code"], r["phase"], key), missing)
        rows.append(row)
    rows.sort(key=lambda row: (row["school"].casefold(), row["urn"]))
    return Table(
        "schools",
        f"Schools in {name}, {period_label(year)}",
        (
            Column("school", "School"),
            Column("urn", "URN"),
            Column("laestab", "LAESTAB"),
            Column("phase", "Phase"),
            Column("enrolments", "Enrolments", "count"),
            Column("overall_absence_rate", "Overall absence rate", "%"),
            Column("persistent_absence_rate", "Persistent absence rate", "%"),
        ),
        tuple(rows),
        source=_sources_line([CENSUS]),
    )


def national_report(site: SiteData) -> AreaReport:
    """England: headlines, phases, regions compared, long trend."""
    area = _Area(site, "national", ENGLAND)
    headlines = _headlines(area, "England")
    year = area.latest("overall_absence_rate")
    areas, comparison = _regions(site, year) if year is not None else (None, None)
    report = AreaReport(
        overview=(
            Link(
                "Absence by pupil group in England: free school meals, SEN, sex, year groups "
                "and children in need against their comparison groups",
                "groups.html",
            ),
        )
        if site.has_groups("national", ENGLAND)
        else (),
        slug="national",
        title="England: pupil absence",
        description="School absence in England: headline figures, phases, regions and the "
        "long-term trend.",
        breadcrumbs=(Link("Home", "index.html"), Link("England", "national.html")),
        summary=(
            f"In {headlines[0].year}, pupils in England's {SCHOOLS[site.population]} missed "
            f"{percent(headlines[0].figure.value)} of their possible sessions.",
        )
        if headlines
        else (),
        notices=break_notes(site.years) + _unpublished_notice(area, "England"),
        sources=(CENSUS, LAIT),
        code=ENGLAND,
        name="England",
        headlines=headlines,
        benchmarks=None,
        phases=_phase_table(area, "England"),
        trends=_trends(area, "England"),
        comparison=comparison,
        reasons=_reasons(area, "England"),
        missed_by_reason=missed_by_reason_section(
            site, "national", ENGLAND, "England", "state-funded"
        ),
        rate_bands=rate_bands_section(site, "state-funded"),
        areas=areas,
        this_year=(
            Link(
                f"England this year: in-year attendance, {period_label(site.inyear_year)}, "
                "with the regions and a map of local authorities",
                "this-year.html",
            ),
        )
        if site.inyear_year
        else (),
    )
    return with_periods(file_only(report, site, "national", ENGLAND), site, "national", ENGLAND)


def _regions(site: SiteData, year: str) -> tuple[Table, Chart]:
    """England's regions in a year: their table and bar chart."""
    regions = []
    for code, label in sorted(site.reference.regions.items()):
        if code.startswith("E12"):
            value, status, _ = _Area(site, "regional", code).get(year, "overall_absence_rate")
            pa, pa_status, _ = _Area(site, "regional", code).get(year, "persistent_absence_rate")
            regions.append(
                {
                    "region": label,
                    "overall": value,
                    "overall__status": status,
                    "persistent": pa,
                    "persistent__status": pa_status,
                }
            )
    areas = without_unpublished(
        Table(
            "regions",
            f"Absence by region, {period_label(year)}",
            (
                Column("region", "Region"),
                Column("overall", "Overall absence rate", "%"),
                Column("persistent", "Persistent absence rate", "%"),
            ),
            tuple(regions),
            source=_sources_line([LAIT if year > site.latest_census_year else CENSUS]),
        )
    )
    comparison = Chart(
        "regions",
        "bar",
        f"Overall absence by region, {period_label(year)}",
        f"Overall absence rate, {SCHOOLS[site.population]}, English regions, {period_label(year)}",
        f"Bar chart of the overall absence rate in each of the 9 English regions in "
        f"{period_label(year)}. The data table follows the chart.",
        tuple(Series(r["region"], (period_label(year),), (r["overall"],), True) for r in regions),
        "%",
        areas.source,
        (),
        areas,
    )
    return areas, comparison
