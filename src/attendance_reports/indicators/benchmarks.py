"""Benchmarks for an LA: England, its region (London for Inner/Outer London LAs) and its
10 statistical neighbours. Pure functions over the indicator table and the reference lookups.

The statistical-neighbour benchmark is the mean of the neighbours' unrounded values, as DfE's
LAIT computes its "statistical neighbours average"; pages show how many of the 10 had data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attendance_reports.sources.reference import Reference, normalise_region


@dataclass(frozen=True)
class Benchmark:
    kind: str  # "national", "region", "neighbours"
    label: str  # "England", "East of England", "Statistical neighbours"
    value: float
    status: str
    members: int = 1  # areas with a value (neighbours: how many of 10)
    of: int = 1  # areas in the group


def _lookup(
    table: pd.DataFrame,
    level: str,
    codes: list[str],
    time_period: str,
    phase: str,
    indicator: str,
    breakdown: str = "total",
) -> pd.DataFrame:
    rows = table[
        (table["geographic_level"] == level)
        & table["code"].isin(codes)
        & (table["time_period"] == time_period)
        & (table["phase"] == phase)
        & (table["indicator"] == indicator)
        & (table["breakdown"] == breakdown)
    ]
    return rows


def neighbour_values(
    table: pd.DataFrame,
    reference: Reference,
    la_code: str,
    time_period: str,
    phase: str,
    indicator: str,
    model: str = "2025",
) -> pd.DataFrame:
    """Each statistical neighbour with its closeness band and value (NaN when absent)."""
    neighbours = reference.neighbours_of(la_code, model)
    rows = _lookup(table, "la", list(neighbours["neighbour_code"]), time_period, phase, indicator)
    values = rows.drop_duplicates("code").set_index("code")
    names = reference.las.drop_duplicates("old_la_code").set_index("old_la_code")["la_name"]
    return pd.DataFrame(
        {
            "rank": neighbours["rank"],
            "code": neighbours["neighbour_code"],
            "name": [values["name"].get(c, names.get(c, c)) for c in neighbours["neighbour_code"]],
            "band": neighbours["band"],
            "value": [values["value"].get(c, np.nan) for c in neighbours["neighbour_code"]],
            "status": [
                values["status"].get(c, "not-available") for c in neighbours["neighbour_code"]
            ],
        }
    )


def neighbour_mean(
    table: pd.DataFrame,
    reference: Reference,
    la_code: str,
    time_period: str,
    phase: str,
    indicator: str,
    model: str = "2025",
) -> Benchmark:
    """The statistical-neighbour benchmark: the mean of the neighbours' unrounded values."""
    neighbours = neighbour_values(table, reference, la_code, time_period, phase, indicator, model)
    ok = neighbours[neighbours["status"] == "ok"]
    value = float(ok["value"].mean()) if len(ok) else np.nan
    return Benchmark(
        "neighbours",
        "Statistical neighbours",
        value,
        "ok" if len(ok) else "not-available",
        len(ok),
        len(neighbours),
    )


def group_mean(
    table: pd.DataFrame,
    codes: tuple[str, ...] | list[str],
    time_period: str,
    phase: str,
    indicator: str,
    label: str = "Geographic neighbours",
) -> Benchmark:
    """A group of LAs' benchmark (e.g. the geographic neighbours): the mean of their unrounded
    values, computed as the statistical-neighbour mean is."""
    rows = _lookup(table, "la", list(codes), time_period, phase, indicator)
    rows = rows.drop_duplicates("code")
    ok = rows[(rows["status"] == "ok").to_numpy()]
    value = float(ok["value"].mean()) if len(ok) else np.nan
    status = "ok" if len(ok) else ("not-available" if len(codes) else "not-applicable")
    return Benchmark("group", label, value, status, len(ok), len(codes))


def benchmarks(
    table: pd.DataFrame,
    reference: Reference,
    la_code: str,
    time_period: str,
    phase: str,
    indicator: str,
    model: str = "2025",
) -> list[Benchmark]:
    """England, region and statistical-neighbour values of one indicator for one LA."""
    out = []
    national = _lookup(table, "national", ["E92000001"], time_period, phase, indicator)
    out.append(_single("national", "England", national))
    region = reference.region_of(la_code)
    if region:
        region = normalise_region(region)
        rows = _lookup(table, "regional", [region], time_period, phase, indicator)
        out.append(_single("region", reference.regions.get(region, region), rows))
    if len(reference.neighbours_of(la_code, model)):
        out.append(neighbour_mean(table, reference, la_code, time_period, phase, indicator, model))
    return out


def _single(kind: str, label: str, rows: pd.DataFrame) -> Benchmark:
    if rows.empty:
        return Benchmark(kind, label, np.nan, "not-available", 0)
    row = rows.iloc[0]
    return Benchmark(kind, label, float(row["value"]), str(row["status"]))
