"""An LA among the other LAs: its rank and quartile band among every LA of England in words,
its statistical and geographic neighbours' rows and means (as LAIT computes them), and the table
of its statistical neighbours. Picks values from the indicator table, never computes them."""

from __future__ import annotations

import math

import pandas as pd

from attendance_reports.model.area import NAN, _Area, _sources_line
from attendance_reports.model.report_model import Column, Comparison, Table
from attendance_reports.model.site_data import CENSUS, LAIT, SiteData
from attendance_reports.render.formatting import period_label


def ordinal(n: float) -> str:
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k:,}{suffix}"


BAND_WORDS = {
    "A": "the quarter of local authorities with the lowest absence",
    "B": "the second-lowest quarter",
    "C": "the second-highest quarter",
    "D": "the quarter with the highest absence",
}


def rank_sentence(
    name: str, label: str, year: str, rank: float, ranked: int, band: str, status: str = "ok"
) -> str:
    """'Cambridgeshire ranks 61st of 153 local authorities …' (rank 1 = lowest absence)."""
    if status == "not-ranked":
        return (
            f"{name} is not ranked for {label.lower()} in {year}: ranks and quartile bands are "
            "given only among every local authority of England, and the files given do not "
            "hold them all."
        )
    if not ranked or math.isnan(rank):
        return ""
    return (
        f"{name} ranks {ordinal(rank)} of {ranked:,} local authorities for "
        f"{label.lower()} in {year} (1st is the lowest absence, which is best), in quartile "
        f"band {band}: {BAND_WORDS[band]}."
    )


def neighbourhood(site: SiteData, la_code: str) -> pd.DataFrame:
    """The indicator rows of an LA's statistical neighbours (a small table to look things up in)."""
    codes = site.reference.neighbours_of(la_code)["neighbour_code"]
    return pd.concat([site.rows("la", c) for c in codes] or [site.table.iloc[0:0]])


def neighbour_mean(
    site: SiteData,
    la_code: str,
    year: str,
    indicator: str,
    phase: str = "total",
    rows: pd.DataFrame | None = None,
) -> Comparison:
    """Mean of the neighbours' values as LAIT computes it (the indicator layer's benchmark)."""
    from attendance_reports.indicators.benchmarks import neighbour_mean

    rows = neighbourhood(site, la_code) if rows is None else rows
    b = neighbour_mean(rows, site.reference, la_code, year, phase, indicator)
    if not b.of:
        return Comparison("Statistical neighbours", NAN, "not-available")
    return Comparison(
        "Statistical neighbours", b.value, b.status, f"mean of {b.members} of {b.of} neighbours"
    )


def geographic_neighbourhood(site: SiteData, la_code: str) -> pd.DataFrame | None:
    """The indicator rows of the LAs sharing a boundary with an LA; None when the LA is not in
    the boundary file (or no boundary file is among the data)."""
    if la_code not in site.geographic:
        return None
    codes = site.geographic_neighbours(la_code)
    return pd.concat([site.rows("la", c) for c in codes] or [site.table.iloc[0:0]])


def geographic_mean(
    site: SiteData, la_code: str, year: str, indicator: str, rows: pd.DataFrame
) -> Comparison:
    """The mean of the geographic neighbours' values (as the statistical neighbours' mean)."""
    from attendance_reports.indicators.benchmarks import group_mean

    codes = site.geographic_neighbours(la_code)
    b = group_mean(rows, codes, year, "total", indicator)
    if not codes:
        return Comparison(b.label, NAN, b.status, "no local authority shares a boundary")
    return Comparison(b.label, b.value, b.status, f"mean of {b.members} of {b.of} neighbours")


def neighbours_table(site: SiteData, la_code: str, name: str) -> Table | None:
    from attendance_reports.indicators.benchmarks import neighbour_values

    year = _Area(site, "la", la_code).latest("overall_absence_rate")
    if year is None:
        return None
    near = neighbourhood(site, la_code)
    overall = neighbour_values(near, site.reference, la_code, year, "total", "overall_absence_rate")
    if overall.empty:
        return None
    persistent = neighbour_values(
        near, site.reference, la_code, year, "total", "persistent_absence_rate"
    )
    rows = []
    for o, p in zip(overall.to_dict("records"), persistent.to_dict("records"), strict=True):
        rows.append(
            {
                "name": o["name"],
                "rank": float(o["rank"]),
                "band": o["band"],
                "overall": o["value"],
                "overall__status": o["status"],
                "persistent": p["value"],
                "persistent__status": p["status"],
            }
        )
    return Table(
        "neighbours",
        f"Statistical neighbours of {name}, {period_label(year)}",
        (
            Column("name", "Local authority"),
            Column("rank", "Nearness (1 = most similar)", "count"),
            Column("band", "Closeness"),
            Column("overall", "Overall absence rate", "%"),
            Column("persistent", "Persistent absence rate", "%"),
        ),
        tuple(rows),
        notes=("DfE children's services statistical neighbours, 2025 model.",),
        source=_sources_line([LAIT if year > site.latest_census_year else CENSUS]),
    )
