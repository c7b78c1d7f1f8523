"""In-year ("This year") report models, from SiteData's in-year indicator table. Picks and
arranges values; the one piece of arithmetic, a benchmark group's mean, is the indicator
layer's (``indicators.inyear.group_mean``).

In-year figures come from DfE's "Pupil attendance in schools" statistics, a different source
from the school census: these pages show no census figure, and census pages no in-year one.
"""

from __future__ import annotations

import datetime as dt
import math

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.inyear import REGISTRY, group_mean
from attendance_reports.model.report_model import (
    Chart,
    Column,
    Comparison,
    Figure,
    Headline,
    InYearReport,
    Link,
    Map,
    MapClass,
    Series,
    Table,
    la_breadcrumbs,
)
from attendance_reports.model.site_data import INYEAR, SiteData
from attendance_reports.render.formatting import percent, period_label
from attendance_reports.sources.geography import CLASS_COLOURS, classify
from attendance_reports.sources.inyear import PREDECESSORS
from attendance_reports.sources.reference import normalise_region

NAN = float("nan")
ENGLAND = "E92000001"
YTD = ("ytd", "Academic year")
TERMS = ("Autumn term", "Spring term", "Summer term")
HEADLINES = (
    "inyear_attendance_rate",
    "inyear_overall_absence_rate",
    "inyear_authorised_absence_rate",
    "inyear_unauthorised_absence_rate",
    "inyear_persistent_absence_rate",
)
PHASES = (
    ("primary", "Primary"),
    ("secondary", "Secondary"),
    ("special", "Special"),
    ("total", "All schools"),
)
MAPPED = ("inyear_overall_absence_rate", "inyear_persistent_absence_rate")
ALT_LIMIT = 220
SEPARATE = (
    "These figures come from schools' daily registers (DfE's \"Pupil attendance in schools\" "
    "statistics), a different source from the school census figures on the other pages: the "
    "two are never joined into one series."
)


class _In:
    """One area's in-year values, with lookups that never compute."""

    def __init__(self, site: SiteData, level: str, code: str, name: str = ""):
        self.site, self.level, self.code = site, level, code
        self.name = name or (site.name_of(level, code) if level != "national" else "England")
        self.values = site.inyear_values(level, code)

    def get(
        self, kind: str, year: str, period: str, indicator: str, phase: str = "total", week: int = 0
    ) -> tuple[float, str, str]:
        return self.values.get(
            (kind, year, period, week, phase, indicator), (NAN, "not-available", "")
        )

    def weeks(self, year: str) -> dict[int, tuple[float, str, str]]:
        """ISO week -> the all-schools overall absence of that week (weeks with a row)."""
        return {
            w: v
            for (k, y, _, w, p, i), v in self.values.items()
            if k == "week" and y == year and p == "total" and i == "inyear_overall_absence_rate"
        }


def _periods(england: _In, year: str) -> list[tuple[str, str, str]]:
    """(kind, period, label) of the terms and the year to date England has figures for."""
    have = {(k, p) for (k, y, p, _, _, _) in england.values if y == year}
    out = [("term", t, t) for t in TERMS if ("term", t) in have]
    if YTD in have:
        out.append((*YTD, "Year to date"))
    return out


def _cumulative(england: _In, year: str) -> tuple[str, str, str]:
    """The period the headlines show: the year to date, else the latest term."""
    periods = _periods(england, year)
    return periods[-1] if periods else (*YTD, "Year to date")


def _week_start(year: str, week: int) -> dt.date | None:
    """The Monday of an ISO week of an academic year ('202425', 37 -> 9 September 2024)."""
    start = int(year[:4])
    try:
        return dt.date.fromisocalendar(start if week >= 30 else start + 1, week, 1)
    except ValueError:
        return None


def _date_text(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _academic_order(week: int) -> tuple[int, int]:
    return (0 if week >= 30 else 1, week)


def data_date(site: SiteData, year: str) -> str:
    """What the latest in-year figures cover, in words."""
    england = _In(site, "national", ENGLAND)
    periods = [label.lower() for _, _, label in _periods(england, year) if label in TERMS]
    parts = []
    if periods:
        terms = ", ".join(periods[:-1]) + (" and " if len(periods) > 1 else "") + periods[-1]
        parts.append(f"term and year-to-date figures cover the {terms} of {period_label(year)}")
    weeks = sorted(england.weeks(year), key=_academic_order)
    if weeks:
        parts.append(
            f"the latest weekly figures are for the week starting "
            f"{_date_text(_week_start(year, weeks[-1]))} (ISO week {weeks[-1]})"
        )
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else ""


# ---- benchmark groups ------------------------------------------------------------------------


def _group(site: SiteData, codes: tuple[str, ...], key: tuple) -> tuple[float, int, int]:
    """(mean, LAs with a value, LAs in the group) of one figure over a group of LAs."""
    kind, year, period, _, phase, indicator = key
    return group_mean(site.inyear_las(kind, year, period, indicator, phase), list(codes))


def _benchmark_groups(site: SiteData, la_code: str) -> list[tuple[str, tuple[str, ...]]]:
    statistical = tuple(str(c) for c in site.reference.neighbours_of(la_code)["neighbour_code"])
    return [
        ("Statistical neighbours", statistical),
        ("Geographic neighbours", site.geographic_neighbours(la_code)),
    ]


def _comparisons(
    site: SiteData, area: _In, year: str, kind: str, period: str, indicator: str
) -> tuple[Comparison, ...]:
    """England, the region and (for an LA) its statistical and geographic neighbours."""
    out = []
    if area.code != ENGLAND:
        out.append(
            Comparison(
                "England", *_In(site, "national", ENGLAND).get(kind, year, period, indicator)[:2]
            )
        )
    if area.level == "la":
        region = site.reference.region_of(area.code)
        if region:
            region = normalise_region(region)
            label = site.reference.regions.get(region, region)
            out.append(
                Comparison(
                    label,
                    *_In(site, "regional", region, label).get(kind, year, period, indicator)[:2],
                )
            )
        key = (kind, year, period, 0, "total", indicator)
        for label, codes in _benchmark_groups(site, area.code):
            if not codes:
                out.append(
                    Comparison(label, NAN, "not-applicable", "no local authority shares a boundary")
                )
                continue
            value, have, of = _group(site, codes, key)
            status = "ok" if have else "not-available"
            out.append(Comparison(label, value, status, f"mean of {have} of {of}"))
    return tuple(out)


def _headlines(site: SiteData, area: _In, year: str) -> tuple[Headline, ...]:
    kind, period, label = _cumulative(_In(site, "national", ENGLAND), year)
    out = []
    for indicator in HEADLINES:
        value, status, _ = area.get(kind, year, period, indicator)
        if status == "not-available" and math.isnan(value):
            continue
        spec = REGISTRY[indicator]
        out.append(
            Headline(
                indicator,
                Figure(spec.label, value, status, "%", 1, INYEAR),
                f"{period_label(year)}, {label.lower()}",
                _comparisons(site, area, year, kind, period, indicator),
            )
        )
    return tuple(out)


def _benchmark_table(headlines: tuple[Headline, ...], name: str) -> Table | None:
    if not headlines:
        return None
    labels = [c.label for c in headlines[0].comparisons]
    columns = [Column("measure", "Measure"), Column("area", name, "%")]
    columns += [Column(f"b{i}", label, "%") for i, label in enumerate(labels)]
    rows = []
    for h in headlines:
        row = {"measure": h.figure.label, "area": h.figure.value, "area__status": h.figure.status}
        for i, c in enumerate(h.comparisons):
            row[f"b{i}"], row[f"b{i}__status"] = c.value, c.status
        rows.append(row)
    notes = (
        "Statistical neighbours: the mean of the 10 most similar local authorities' rates "
        "(DfE children's services model, 2025), as LAIT computes it. Geographic neighbours: the "
        "mean of the local authorities that share a boundary (ONS boundaries, May 2023).",
    )
    return Table(
        "benchmarks",
        f"{name} compared with England, its region, its statistical neighbours and its "
        f"geographic neighbours, {headlines[0].year}",
        tuple(columns),
        tuple(rows),
        notes=notes if len(labels) > 1 else (),
        source=f"Source: {INYEAR}.",
    )


def _period_table(area: _In, england: _In, year: str, name: str) -> Table | None:
    measures = HEADLINES
    columns = (
        Column("period", "Period"),
        Column("phase", "Phase"),
        *(Column(m, REGISTRY[m].label, "%") for m in measures),
    )
    rows = []
    for kind, period, label in _periods(england, year):
        for phase, phase_label in PHASES:
            row = {"period": label, "phase": phase_label}
            for m in measures:
                row[m], row[f"{m}__status"] = area.get(kind, year, period, m, phase)[:2]
            rows.append(row)
    if not rows:
        return None
    return Table(
        "periods",
        f"Attendance and absence by term and phase, {name}, {period_label(year)}",
        columns,
        tuple(rows),
        notes=(
            "Persistent absence: pupils who missed 10% or more of their possible sessions in "
            "the period (to date for the year to date).",
        ),
        source=f"Source: {INYEAR}.",
    )


def _persistent_table(site: SiteData, area: _In, year: str) -> Table | None:
    england = _In(site, "national", ENGLAND)
    indicator = "inyear_persistent_absence_rate"
    rows, labels = [], None
    for kind, period, label in _periods(england, year):
        value, status, _ = area.get(kind, year, period, indicator)
        comparisons = _comparisons(site, area, year, kind, period, indicator)
        labels = [c.label for c in comparisons]
        row = {"period": label, "area": value, "area__status": status}
        for i, c in enumerate(comparisons):
            row[f"b{i}"], row[f"b{i}__status"] = c.value, c.status
        rows.append(row)
    if not rows:
        return None
    columns = [Column("period", "Period"), Column("area", area.name, "%")]
    columns += [Column(f"b{i}", label, "%") for i, label in enumerate(labels or [])]
    return Table(
        "persistent",
        f"Persistent absence (10% or more of possible sessions missed) in each term and the "
        f"year to date, {area.name}, {period_label(year)}",
        tuple(columns),
        tuple(rows),
        source=f"Source: {INYEAR} (pa_perc as published).",
    )


def _reasons(site: SiteData, area: _In, year: str) -> Table | None:
    england = _In(site, "national", ENGLAND)
    kind, period, label = _cumulative(england, year)
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
        if area.code != ENGLAND:
            row["england"], row["england__status"] = england.get(kind, year, period, spec.id)[:2]
        rows.append(row)
    if not rows:
        return None
    return Table(
        "reasons",
        f"Sessions missed by reason as a percentage of possible sessions, {area.name}, "
        f"{period_label(year)}, {label.lower()}",
        tuple(columns),
        tuple(rows),
        notes=(
            "Register codes changed in August 2024: code T meant Gypsy, Roma and Traveller "
            "absence before then and a parent travelling for work after; C1, J1 and C2 are new.",
        ),
        source=f"Source: {INYEAR}.",
    )


def _weekly(site: SiteData, area: _In, year: str) -> Chart | None:
    """Overall absence week by week this year against the same ISO weeks of the year before;
    half-term and holiday weeks are gaps, never zero."""
    previous = f"{int(year[:4]) - 1}{int(year[4:]) - 1:02d}"
    england = _In(site, "national", ENGLAND)
    lines = [(f"{area.name} {period_label(year)}", area, year, True)]
    if area.weeks(previous) or england.weeks(previous):
        lines.append((f"{area.name} {period_label(previous)}", area, previous, False))
    if area.code != ENGLAND:
        lines.append((f"England {period_label(year)}", england, year, False))
    weeks = sorted(
        {w for _, a, y, _ in lines for w in a.weeks(y)} | set(england.weeks(year)),
        key=_academic_order,
    )
    if not weeks or not area.weeks(year):
        return None
    # the weeks each year's files cover: a week inside that range without a row is a holiday
    covered = {}
    for y in {y for _, _, y, _ in lines}:
        have = sorted(set(england.weeks(y)) | set(area.weeks(y)), key=_academic_order)
        covered[y] = (_academic_order(have[0]), _academic_order(have[-1])) if have else None
    x = tuple(f"{d.day} {d:%b}" if (d := _week_start(year, w)) else f"Week {w}" for w in weeks)
    series, table_rows = [], []
    for label, a, y, highlight in lines:
        got = a.weeks(y)
        ys = tuple(got[w][0] if w in got and got[w][1] == "ok" else NAN for w in weeks)
        series.append(Series(label, x, ys, highlight))
    for w in weeks:
        row = {"week": f"Week {w}", "starting": _date_text(_week_start(year, w))}
        for j, (_, a, y, _) in enumerate(lines):
            got = a.weeks(y)
            if w in got:
                row[f"s{j}"], row[f"s{j}__status"] = got[w][:2]
            else:
                span = covered[y]
                inside = span is not None and span[0] <= _academic_order(w) <= span[1]
                row[f"s{j}"] = NAN
                row[f"s{j}__status"] = "not-applicable" if inside else "not-available"
        table_rows.append(row)
    columns = (
        Column("week", "ISO week"),
        Column("starting", f"Week starting ({period_label(year)})"),
        *(Column(f"s{j}", s.label, "%") for j, s in enumerate(series)),
    )
    table = Table(
        "weekly-data",
        f"Overall absence by week, {area.name}",
        columns,
        tuple(table_rows),
        notes=(
            "Weeks are matched by ISO week number. [z]: half-term or holiday week (no sessions "
            "in the area's schools, or too few to publish); [x]: not yet published.",
        ),
        source=f"Source: {INYEAR}.",
    )
    last = area.weeks(year)
    latest = max(last, key=_academic_order)
    title = (
        f"Overall absence in {area.name}, week starting "
        f"{_date_text(_week_start(year, latest))}: {percent(last[latest][0], status=last[latest][1])}"
    )
    others = " and ".join(s.label for s in series[1:])
    alt = f"Line chart of weekly overall absence: {series[0].label}" + (
        f", compared with {others}" if others else ""
    )
    alt += ". Half-term and holiday weeks are gaps. The data table follows the chart."
    if len(alt) > ALT_LIMIT:
        alt = f"Line chart of weekly overall absence in {area.name}. The data table follows."
    return Chart(
        "weekly",
        "line",
        title,
        f"Overall absence rate by week, state-funded primary, secondary and special schools, "
        f"{area.name}, {period_label(year)}"
        + (f" and {period_label(previous)}" if len(lines) > 1 else ""),
        alt,
        tuple(series),
        "%",
        f"Source: {INYEAR}.",
        (),
        table,
    )


def _neighbours_table(site: SiteData, area: _In, year: str) -> Table | None:
    kind, period, label = _cumulative(_In(site, "national", ENGLAND), year)
    statistical = {
        str(r["neighbour_code"]): int(r["rank"])
        for r in site.reference.neighbours_of(area.code).to_dict("records")
    }
    geographic = site.geographic_neighbours(area.code)
    codes = list(statistical) + [c for c in geographic if c not in statistical]
    if not codes:
        return None
    rows = []
    names = site.reference.las.drop_duplicates("old_la_code").set_index("old_la_code")["la_name"]
    for code in codes:
        groups = []
        if code in statistical:
            groups.append(f"Statistical (rank {statistical[code]})")
        if code in geographic:
            groups.append("Geographic (shares a boundary)")
        row = {"name": str(names.get(code, code)), "group": "; ".join(groups)}
        for m in ("inyear_overall_absence_rate", "inyear_persistent_absence_rate"):
            value = site.inyear_las(kind, year, period, m).get(code, (NAN, "not-available"))
            row[m], row[f"{m}__status"] = value
        rows.append(row)
    return Table(
        "neighbours",
        f"Statistical and geographic neighbours of {area.name}, {period_label(year)}, "
        f"{label.lower()}",
        (
            Column("name", "Local authority"),
            Column("group", "Neighbour group"),
            Column("inyear_overall_absence_rate", "Overall absence rate", "%"),
            Column("inyear_persistent_absence_rate", "Persistent absence rate", "%"),
        ),
        tuple(rows),
        notes=(
            "Statistical neighbours: DfE children's services model, 2025 (rank 1 = most "
            "similar). Geographic neighbours: local authorities sharing a boundary in ONS's "
            "county and unitary authority boundaries (May 2023), within 30 metres.",
        ),
        source=f"Source: {INYEAR}.",
    )


def _notices(site: SiteData, area: _In, year: str) -> tuple[str, ...]:
    notices = [SEPARATE]
    if area.level == "la":
        methods = {
            m for (k, y, _, _, p, _), (_, _, m) in area.values.items() if y == year and p == "total"
        }
        if methods & {"phase-weighted", "phase-weighted-partial"}:
            notices.append(
                f"DfE's files give no all-schools row for local authorities in {period_label(year)}: "
                f"{area.name}'s all-schools figures combine its primary, secondary and special "
                "rates weighted by their total enrolments, the way DfE combines phases for "
                "England and the regions."
                if not site.inyear_la_totals
                else f"{area.name}'s all-schools figures combine its primary, secondary and "
                "special rates weighted by their total enrolments, as DfE does; the published "
                "all-schools row is not added to them."
            )
        if "phase-weighted-partial" in methods:
            notices.append(
                "Where a phase's figure is suppressed, the all-schools figure combines the "
                "phases that are published."
            )
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
    files = [f for f in site.inyear_files if year in f or (previous in f and "weekly" in f.lower())]
    return (f"Source: {INYEAR}; files " + ", ".join(files) + "." if files else f"{INYEAR}.",)


def inyear_la_report(site: SiteData, la_code: str) -> InYearReport:
    """An LA's "This year" page."""
    la_code = str(la_code).strip()
    year = site.inyear_year
    if year is None or not site.has_inyear(la_code):
        raise ConfigError(f"no in-year attendance figures for LA {la_code} — add DfE's files")
    name = site.name_of("la", la_code)
    if name == la_code:
        rows = site.inyear_rows("la", la_code)
        name = str(rows["name"].iloc[-1])
    area = _In(site, "la", la_code, name)
    headlines = _headlines(site, area, year)
    summary = [
        f"{name} this year: pupil attendance and absence in {period_label(year)} from "
        "schools' daily registers, week by week and term by term."
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
            name, la_code, Link("This year", f"la/{la_code}-this-year.html")
        ),
        summary=tuple(summary),
        notices=_notices(site, area, year),
        sources=_sources(site, year),
        code=la_code,
        name=name,
        year=period_label(year),
        data_date=data_date(site, year),
        headlines=headlines,
        weekly=_weekly(site, area, year),
        periods=_period_table(area, _In(site, "national", ENGLAND), year, name),
        persistent=_persistent_table(site, area, year),
        reasons=_reasons(site, area, year),
        benchmarks=_benchmark_table(headlines, name),
        neighbours=_neighbours_table(site, area, year),
        links=(
            Link(f"{name}: full-year figures from the school census", f"la/{la_code}.html"),
            Link(
                "England this year, with the regions and a map of local authorities",
                "this-year.html",
            ),
        ),
    )


def _regions_table(site: SiteData, year: str) -> Table:
    kind, period, label = _cumulative(_In(site, "national", ENGLAND), year)
    rows = []
    for code, name in sorted(site.reference.regions.items(), key=lambda kv: kv[1]):
        if not code.startswith("E12"):
            continue
        region = _In(site, "regional", code, name)
        row = {"region": name}
        for m in HEADLINES:
            row[m], row[f"{m}__status"] = region.get(kind, year, period, m)[:2]
        rows.append(row)
    return Table(
        "regions",
        f"Attendance and absence by region, {period_label(year)}, {label.lower()}",
        (Column("region", "Region"), *(Column(m, REGISTRY[m].label, "%") for m in HEADLINES)),
        tuple(rows),
        source=f"Source: {INYEAR}.",
    )


def _years_table(site: SiteData) -> Table | None:
    """England's full years in this source (the year to date at each year's end)."""
    england = _In(site, "national", ENGLAND)
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
        rows.append(row)
    return Table(
        "years",
        "England, each year in this source (year to date as published)",
        (Column("year", "Academic year"), *(Column(m, REGISTRY[m].label, "%") for m in measures)),
        tuple(rows),
        notes=(
            "A year still in progress is shown to date. These figures are not comparable with "
            "the school census figures on the England page.",
        ),
        source=f"Source: {INYEAR}.",
    )


def _maps(site: SiteData, year: str) -> tuple[Map, ...]:
    if site.boundaries is None:
        return ()
    kind, period, label = _cumulative(_In(site, "national", ENGLAND), year)
    to_la = site.gss_to_la
    out = []
    for indicator in MAPPED:
        spec = REGISTRY[indicator]
        values, statuses, names = {}, {}, {}
        for gss, name in zip(site.boundaries.codes, site.boundaries.names, strict=True):
            value, status = site.inyear_las(kind, year, period, indicator).get(
                to_la.get(gss, ""), (NAN, "not-available")
            )
            values[gss] = value if status == "ok" else NAN
            statuses[gss], names[gss] = status, name
        classes, ranges = classify(values)
        legend = tuple(
            MapClass(
                f"{percent(lo / 10)} to {percent(hi / 10)} ({n} local authorities)",
                CLASS_COLOURS[i],
                n,
            )
            for i, (lo, hi, n) in enumerate(ranges)
        )
        missing = sorted(names[g] for g in values if g not in classes)
        shade = (
            ["lightest", "light", "dark", "darkest"]
            if len(legend) == 4
            else [f"shade {i + 1}" for i in range(len(legend))]
        )
        description = [
            f"Each local authority is shaded by its {spec.label.lower()} in {period_label(year)} "
            f"({label.lower()}), in {len(legend)} groups of about equal size: "
            + "; ".join(f"{shade[i]}, {c.label}" for i, c in enumerate(legend))
            + ". Darker means higher absence."
        ]
        if missing:
            description.append("White, no figure: " + ", ".join(missing) + ".")
        order = sorted(values, key=lambda g: names[g])
        table = Table(
            f"map-{indicator.removeprefix('inyear_').removesuffix('_rate').replace('_', '-')}-data",
            f"{spec.label} by local authority, {period_label(year)}, {label.lower()}",
            (
                Column("name", "Local authority"),
                Column("value", spec.label, "%"),
                Column("group", "Map shading"),
            ),
            tuple(
                {
                    "name": names[g],
                    "value": values[g],
                    "value__status": statuses[g],
                    "group": shade[classes[g]] if g in classes else "white (no figure)",
                }
                for g in order
            ),
            source=f"Source: {INYEAR}; boundaries: Office for National Statistics (OGL v3.0), "
            "contains OS data © Crown copyright and database right 2023.",
        )
        id_ = f"map-{indicator.removeprefix('inyear_').removesuffix('_rate').replace('_', '-')}"
        out.append(
            Map(
                id_,
                f"{spec.label} by local authority, {period_label(year)}",
                f"{spec.label}, state-funded primary, secondary and special schools, local "
                f"authorities in England, {period_label(year)}, {label.lower()}",
                f"Map of England's local authorities shaded by {spec.label.lower()} in "
                f"{period_label(year)}, in {len(legend)} groups. The groups are described "
                "below and every value is in the table that follows.",
                legend,
                tuple((g, classes.get(g, -1)) for g in site.boundaries.codes),
                tuple(description),
                table.source,
                table,
            )
        )
    return tuple(out)


def inyear_national_report(site: SiteData) -> InYearReport:
    """England's "This year" page, with the regions and maps of the LAs."""
    year = site.inyear_year
    if year is None:
        raise ConfigError("no in-year attendance figures — add DfE's 'Pupil attendance' files")
    area = _In(site, "national", ENGLAND, "England")
    headlines = _headlines(site, area, year)
    summary = [
        f"England this year: pupil attendance and absence in {period_label(year)} from "
        "schools' daily registers, week by week and term by term, with the regions."
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
        weekly=_weekly(site, area, year),
        periods=_period_table(area, area, year, "England"),
        persistent=_persistent_table(site, area, year),
        reasons=_reasons(site, area, year),
        areas=_regions_table(site, year),
        years=_years_table(site),
        maps=_maps(site, year),
        links=(Link("England: full-year figures from the school census", "national.html"),),
    )
