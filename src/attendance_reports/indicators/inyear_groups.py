"""In-year attendance by pupil group: each group's overall and persistent absence, its gap to
the comparison group and England's gap. Pure functions of the in-year group frame
(``sources/inyear_characteristics.py``); a different source from the census pupil groups
(``indicators/groups.py``), never joined to them.

Rates are made as for all pupils (``indicators/inyear.py``): a phase row's overall absence from
its counts, persistent absence as published (``pa_perc``: no pupil counts are published), a
Total row (national and regional only) as published. An LA has no Total row; its phases are
combined only by a method that reproduces the same file's own Totals
(``indicators/inyear_combine.py``). DfE's 2022/23 files give no ``total_enrolments`` and their
Totals are not the sessions ratio (they include DfE's estimates for schools not sharing data),
so no method does: an LA's groups are shown by phase, and the rows say why (method ``none``).

Comparisons (``PAIRS``): FSM eligible vs not eligible, EHC plan and SEN support vs no
identified SEN, female vs male. A gap is group rate minus comparison rate in percentage
points, from unrounded values; a gap built on a suppressed (``c``) or missing figure is missing
with the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attendance_reports.indicators.inyear import PUPIL_IDS, row_rates
from attendance_reports.indicators.inyear_combine import (
    KEY,
    ReleaseMethod,
    candidates,
    combine,
    release_methods,
)
from attendance_reports.symbols import CODE, STATUSES

MEASURES = ("inyear_persistent_absence_rate", "inyear_overall_absence_rate")
GROUP_KEY = [*KEY, "topic", "group"]
ENGLAND = "E92000001"


@dataclass(frozen=True)
class Pair:
    """A group and the group it is compared with, as the pages name them."""

    topic: str
    group: str
    label: str
    comparison: str
    comparison_label: str


PAIRS: tuple[Pair, ...] = (
    Pair("fsm", "eligible", "FSM eligible", "not_eligible", "FSM not eligible"),
    Pair("sen", "ehcp", "EHC plan", "no_sen", "No SEN"),
    Pair("sen", "sen_support", "SEN support", "no_sen", "No SEN"),
    Pair("sex", "female", "Female", "male", "Male"),
)

GAP_COLUMNS = (
    "academic_year",
    "period",
    "geographic_level",
    "code",
    "name",
    "phase",
    "topic",
    "group",
    "comparison",
    "indicator",
    "group_value",
    "group_status",
    "group_method",
    "comparison_value",
    "comparison_status",
    "gap",
    "gap_status",
    "national_gap",
    "national_gap_status",
)


def group_rates(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, ReleaseMethod]]:
    """Every group row's overall and persistent absence (``indicators.inyear.COLUMNS`` plus
    ``topic`` and ``group``), and each file's method of combining phases (none, for 2022/23)."""
    columns = [*GROUP_KEY, "name", "phase", "indicator", "value", "numerator", "denominator"]
    columns += ["status", "method", "published", "source"]
    if frame is None or not len(frame):
        return pd.DataFrame(columns=columns), {}
    shown = frame[(frame["group"] != "").to_numpy()].copy()
    shown["week"] = shown["week"].astype("int64")
    parts = [p for p in row_rates(shown, ("topic", "group")) if p["indicator"].iloc[0] in MEASURES]
    rates = pd.concat(parts, ignore_index=True)
    both = candidates(rates, GROUP_KEY)
    methods = release_methods(rates, both, PUPIL_IDS, GROUP_KEY)
    combined = combine(rates, methods, PUPIL_IDS, GROUP_KEY, combined=both)
    table = pd.concat([rates, combined], ignore_index=True)
    table = table[table["status"].to_numpy() != CODE["not-published"]]
    table["status"] = np.asarray(STATUSES, dtype=object)[table["status"].to_numpy(dtype="int64")]
    table["published"] = table["published"].astype(bool)
    order = ["academic_year", "period", "geographic_level", "code", "phase", "topic", "group"]
    return table.sort_values([*order, "indicator"], kind="stable").reset_index(drop=True)[
        columns
    ], methods


def group_gaps(rates: pd.DataFrame) -> pd.DataFrame:
    """One row per area, period, phase, compared group and measure (GAP_COLUMNS): the group's
    rate, the comparison group's, the gap (pp) and England's gap, each with its status."""
    if not len(rates):
        return pd.DataFrame(columns=list(GAP_COLUMNS))
    on = ["academic_year", "period", "geographic_level", "code", "phase", "indicator"]
    keep = [*on, "name", "value", "status", "method"]
    parts = []
    for pair in PAIRS:
        group = rates[((rates["topic"] == pair.topic) & (rates["group"] == pair.group)).to_numpy()]
        other = rates[
            ((rates["topic"] == pair.topic) & (rates["group"] == pair.comparison)).to_numpy()
        ]
        merged = group[keep].merge(
            other[[*on, "value", "status"]], on=on, how="left", suffixes=("", "_c")
        )
        merged["status_c"] = merged["status_c"].fillna("not-available")
        out = merged[[*on, "name"]].copy()
        out["topic"], out["group"], out["comparison"] = pair.topic, pair.group, pair.comparison
        out["group_value"], out["group_status"] = merged["value"], merged["status"]
        out["group_method"] = merged["method"]
        out["comparison_value"], out["comparison_status"] = merged["value_c"], merged["status_c"]
        out["gap"], out["gap_status"] = _gap(merged)
        parts.append(out)
    gaps = pd.concat(parts, ignore_index=True)
    england = gaps[(gaps["code"] == ENGLAND).to_numpy()]
    match = ["academic_year", "period", "phase", "indicator", "topic", "group"]
    england = england[[*match, "gap", "gap_status"]].rename(
        columns={"gap": "national_gap", "gap_status": "national_gap_status"}
    )
    gaps = gaps.merge(england, on=match, how="left")
    gaps["national_gap_status"] = gaps["national_gap_status"].fillna("not-available")
    return gaps[list(GAP_COLUMNS)]


def _gap(merged: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Group minus comparison (pp); missing with the first input's reason when either is."""
    a, b = merged["status"].to_numpy(dtype=object), merged["status_c"].to_numpy(dtype=object)
    status = np.where(a != "ok", a, np.where(b != "ok", b, "ok"))
    value = merged["value"].to_numpy(dtype="float64") - merged["value_c"].to_numpy(dtype="float64")
    return np.where(status == "ok", value, np.nan), status
