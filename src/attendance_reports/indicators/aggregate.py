"""Aggregate tidy rows to any grouping as a ratio of sums: sum the counts, never average rates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.sources.absence_frame import status_column, with_categories
from attendance_reports.sources.layouts import is_count
from attendance_reports.sources.reference import INNER_OUTER_LONDON, LONDON
from attendance_reports.symbols import OK, STATUS_DTYPE


def aggregate(frame: pd.DataFrame, by: list[str], **labels: str) -> pd.DataFrame:
    """Sum every count column of ``frame`` within groups of ``by``.

    A group containing a missing count (a symbol) gets no sum for that column, and the first
    member's status: anything derived from a missing value is missing too. Rates are then
    computed from the sums by indicators.compute. ``labels`` set constant id columns on the
    result (e.g. ``geographic_level="regional", code="E12000007"``).
    """
    counts = [c for c in frame.columns if is_count(c) and not c.endswith("__status")]
    grouped = frame.groupby(by, observed=True, sort=True, dropna=False)
    out = grouped[counts].sum(min_count=1).reset_index()
    for column in counts:
        status_name = status_column(column)
        if status_name not in frame.columns:
            continue
        bad = frame[frame[status_name] != OK]
        if bad.empty:
            continue
        first_bad = bad.groupby(by, observed=True, sort=False, dropna=False)[status_name].first()
        status = pd.Series(
            OK,
            index=pd.MultiIndex.from_frame(out[by]) if len(by) > 1 else pd.Index(out[by[0]]),
            dtype="object",
        )
        status.loc[first_bad.index] = first_bad.astype("string").to_numpy()
        out[status_name] = pd.Categorical(status.to_numpy(), dtype=STATUS_DTYPE)
        out.loc[out[status_name] != OK, column] = np.nan
    for key, value in labels.items():
        out[key] = value
    return out


def add_london(frame: pd.DataFrame) -> pd.DataFrame:
    """Add a London (E12000007) regional row, summed from Inner and Outer London, where a file
    has only those two (the 2006/07–2018/19 file does). Regional benchmarks use London."""
    regional = frame[frame["geographic_level"] == "regional"]
    inner_outer = regional[regional["code"].isin(list(INNER_OUTER_LONDON))]
    if inner_outer.empty:
        return frame
    keys = [
        "time_period",
        "time_identifier",
        "period",
        "phase",
        "phase_label",
        "breakdown",
        "breakdown_label",
    ]
    have = regional[regional["code"] == LONDON][keys].astype("string").drop_duplicates()
    london = aggregate(
        inner_outer,
        keys,
        geographic_level="regional",
        code=LONDON,
        name="London",
        region_code=LONDON,
        region_name="London",
        country_code="E92000001",
        source="sum of Inner and Outer London",
    )
    if len(have):
        known = pd.MultiIndex.from_frame(have)
        london = london[~pd.MultiIndex.from_frame(london[keys].astype("string")).isin(known)]
    return with_categories(pd.concat([frame, london], ignore_index=True))
