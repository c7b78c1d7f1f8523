"""An area's trends: the trend charts of the measures the files give (never an empty chart),
the last five years' table, and `without_unpublished` (a table drops a rate column the files
give no figure of, e.g. four-year-olds' persistent absence, and says so)."""

from __future__ import annotations

import math
from dataclasses import replace

from attendance_reports.indicators.registry import HEADLINE_IDS, REGISTRY
from attendance_reports.model.area import (
    ENGLAND,
    NAN,
    _Area,
    _benchmark_areas,
    _sources_line,
    break_notes,
    chart_alt,
)
from attendance_reports.model.report_model import (
    Chart,
    Column,
    Series,
    Table,
)
from attendance_reports.model.site_data import LAIT
from attendance_reports.render.formatting import percent, period_label
from attendance_reports.sources.contract import SCHOOLS

#: the trend charts of an area's page: (indicator, chart id)
TRENDS = (
    ("overall_absence_rate", "trend-overall"),
    ("persistent_absence_rate", "trend-persistent"),
)


def _published(area: _Area, indicator: str) -> bool:
    """Whether the files give the area any figure of ``indicator`` (some, e.g. DfE's file of
    four-year-olds, publish overall absence only)."""
    return any(area.get(y, indicator)[1] == "ok" for y in area.site.years)


def _trends(area: _Area, name: str) -> tuple[Chart, ...]:
    """The trend charts of the measures the files give for the area (never an empty chart)."""
    return tuple(
        _trend(area, name, indicator, chart_id)
        for indicator, chart_id in TRENDS
        if _published(area, indicator)
    )


def without_unpublished(table: Table) -> Table:
    """The table without the rate columns that have no figure in any row (a measure the files
    do not publish for these pupils, e.g. persistent absence of four-year-olds), saying so."""
    empty = [
        c
        for c in table.columns[1:]
        if c.unit == "%" and all(r.get(f"{c.key}__status", "ok") != "ok" for r in table.rows)
    ]
    if not empty or len(empty) == len([c for c in table.columns if c.unit == "%"]):
        return table
    keys = {c.key for c in empty}
    return replace(
        table,
        columns=tuple(c for c in table.columns if c.key not in keys),
        notes=(*table.notes, f"Not in the files: {', '.join(c.label for c in empty)}."),
    )


def _unpublished_notice(area: _Area, name: str) -> tuple[str, ...]:
    """One notice naming the headline measures the files give no figure of for the area."""
    missing = [
        REGISTRY[i].label.split(" (")[0].lower().removesuffix(" rate")
        for i in HEADLINE_IDS
        if not _published(area, i) and _published(area, "overall_absence_rate")
    ]
    if not missing:
        return ()
    listed = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
    return (
        f"The files give no {listed} figures for {name}'s {SCHOOLS[area.site.population]}: "
        "this page does not show them.",
    )


def _trend(area: _Area, name: str, indicator: str, chart_id: str) -> Chart:
    site = area.site
    years = site.years
    lines = [
        (name, area, True),
        *((label, other, False) for label, other in _benchmark_areas(site, area.level, area.code)),
    ]
    series, rows, sources = [], [], set()
    for label, other, highlight in lines:
        ys = []
        for y in years:
            value, status, source = other.get(y, indicator)
            ys.append(value if status == "ok" else NAN)
            if status == "ok":
                sources.add(source)
        series.append(Series(label, tuple(period_label(y) for y in years), tuple(ys), highlight))
    spec = REGISTRY[indicator]
    columns = (
        Column("year", "Academic year"),
        *(Column(f"s{i}", s.label, "%") for i, s in enumerate(series)),
        Column("source", "Source"),
    )
    for y in years:
        row = {"year": period_label(y)}
        row_sources = set()
        for i, (_, other, _) in enumerate(lines):
            value, status, source = other.get(y, indicator)
            row[f"s{i}"], row[f"s{i}__status"] = value, status
            if source:
                row_sources.add("LAIT" if source == LAIT else "School census")
        row["source"] = " and ".join(sorted(row_sources)) or "No data"
        rows.append(row)
    first = next((v for v in series[0].y if not math.isnan(v)), NAN)
    last_year = area.latest(indicator)
    last, _, _ = area.get(last_year, indicator) if last_year else (NAN, "", "")
    direction = ""
    if not math.isnan(first) and not math.isnan(last):
        direction = "higher" if last > first else "lower" if last < first else "the same"
    first_year = next(
        (period_label(y) for y, v in zip(years, series[0].y, strict=True) if not math.isnan(v)), ""
    )
    title = (
        f"{spec.label} in {name}: {percent(last)} in {period_label(last_year)}"
        if last_year
        else f"{spec.label} in {name}"
    )
    others = [s.label for s in series[1:]]
    comparison = " and ".join([", ".join(others[:-1]), others[-1]] if len(others) > 1 else others)
    alt = chart_alt(
        spec.label,
        name,
        comparison,
        first_year,
        period_label(last_year) if last_year else "",
        direction,
    )
    table = Table(
        f"{chart_id}-data",
        f"{spec.label} by year: {name}" + (f" and {comparison}" if comparison else ""),
        columns,
        tuple(rows),
        notes=break_notes([str(r["year"]).replace("/", "") for r in rows], slice(0, 2)),
        source=_sources_line(sources),
    )
    return Chart(
        chart_id,
        "line",
        title,
        f"{spec.label}, {SCHOOLS[area.site.population]}, {name}, "
        f"{first_year} to {period_label(last_year) if last_year else ''}",
        alt,
        tuple(series),
        "%",
        _sources_line(sources),
        ("2012/13", "2019/20"),
        table,
    )


def _recent(area: _Area, name: str, years: int = 5) -> Table | None:
    """The last five years with an overall absence rate, against England, with the source."""
    have = sorted(y for y in area.site.years if area.get(y, "overall_absence_rate")[1] == "ok")[
        -years:
    ]
    if not have:
        return None
    england = _Area(area.site, "national", ENGLAND) if area.code != ENGLAND else None
    measures = ("overall_absence_rate", "persistent_absence_rate", "severe_absence_rate")
    columns = [Column("year", "Academic year")]
    for m in measures:
        columns.append(Column(m, f"{REGISTRY[m].label}: {name}", "%"))
        if england:
            columns.append(Column(f"{m}_england", f"{REGISTRY[m].label}: England", "%"))
    columns.append(Column("source", "Source"))
    rows, sources = [], []
    for y in have:
        row = {"year": period_label(y)}
        for m in measures:
            value, status, source = area.get(y, m)
            row[m], row[f"{m}__status"] = value, status
            if england:
                row[f"{m}_england"], row[f"{m}_england__status"] = england.get(y, m)[:2]
            sources.append(source)
        row["source"] = (
            "LAIT" if area.get(y, "overall_absence_rate")[2] == LAIT else "School census"
        )
        rows.append(row)
    return without_unpublished(
        Table(
            "recent",
            f"{name}: the last {len(have)} years with data",
            tuple(columns),
            tuple(rows),
            notes=(
                "Years with no data (such as 2019/20) are left out; see the notes on breaks above.",
            )
            if break_notes(area.site.years, slice(0, 1))
            else (),
            source=_sources_line(sources),
        )
    )
