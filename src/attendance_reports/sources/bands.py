"""The absence-band distribution file -> validated pupil-group counts.

DfE's "Pupil absence distributions" data (``absence_bands_la_characteristics_…csv``) counts
enrolments in 5-point overall-absence bands (``pct5_OARate`` = 0 to under 5 %, …,
``pct50plus_OARate`` = 50 % or more) for every cross of phase x FSM x SEN x sex x NC year, for
England, regions and LAs. Summed over the other filters, each filter value gives a pupil group:

- enrolments = the sum of all 11 bands;
- persistent absentees (10 % or more) = the bands from ``pct15`` (10 to under 15 %) up;
- severe absentees (50 % or more) = ``pct50plus``.

The output is the group-counts layout of ``indicators/groups.py`` (``COUNT_COLUMNS``): one row
per year, area, topic and group, with the totals as topic ``all``. No rate is computed here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.groups import COUNT_COLUMNS
from attendance_reports.sources.cells import (
    areas_of,
    levels_of,
    required,
    time_periods,
    whole_counts,
)
from attendance_reports.sources.contract import Recognised, Source, stamped
from attendance_reports.sources.group_labels import classify
from attendance_reports.sources.layouts import kind_of
from attendance_reports.sources.read import RawTable
from attendance_reports.symbols import CODE, OK_CODE, STATUSES

BANDS = (
    "pct5_oarate",
    "pct10_oarate",
    "pct15_oarate",
    "pct20_oarate",
    "pct25_oarate",
    "pct30_oarate",
    "pct35_oarate",
    "pct40_oarate",
    "pct45_oarate",
    "pct50_oarate",
    "pct50plus_oarate",
)
PERSISTENT_FROM = 2  # pct15 (10 to under 15 %) and above
#: filter column -> how its values are read (a topic word prefixed to the value for classify)
FILTERS = {
    "fsm_eligible": "fsm",
    "sen_status": "sen",
    "gender": "gender",
    "ncyearactual": "ncyearactual",
}
REQUIRED = ("time_period", "geographic_level", *BANDS)
COUNTS = ("enrolments", "persistent", "severe")
HINT = "pass DfE's absence-bands file with its header row"


def _band_counts(table: RawTable) -> tuple[np.ndarray, np.ndarray]:
    """(rows x bands) counts as float64 and the row's status code (first non-ok band)."""
    frame = table.frame
    values = np.empty((len(frame), len(BANDS)), dtype="float64")
    status = np.zeros(len(frame), dtype="int8")
    for i, column in enumerate(BANDS):
        parsed, codes = whole_counts(table, column, "band counts", symbols="c, x, z")
        values[:, i] = parsed
        if codes is not None:
            status = np.where((status == OK_CODE) & (codes != OK_CODE), codes, status)
    return values, status


def validate_bands(table: RawTable) -> pd.DataFrame:
    """The absence-bands file -> group counts (``indicators.groups.COUNT_COLUMNS``)."""
    required(table, REQUIRED, HINT)
    frame = table.frame
    periods = time_periods(table)
    bands, status = _band_counts(table)
    level = levels_of(table, HINT)
    code, name = areas_of(table, level)
    base = pd.DataFrame(
        {
            "time_period": periods.to_numpy(dtype=object),
            "geographic_level": level,
            "code": code,
            "name": name,
            "enrolments": bands.sum(axis=1),
            "persistent": bands[:, PERSISTENT_FROM:].sum(axis=1),
            "severe": bands[:, -1],
            "status": status,
            "line": np.arange(len(frame)) + 2,
        }
    )
    keys = ["time_period", "geographic_level", "code"]
    parts = []
    total = _sum(base, keys)
    total["topic"], total["group"], total["label"] = "all", "all", "All pupils"
    parts.append(total)
    for column, word in FILTERS.items():
        if column not in frame.columns:
            continue
        values = frame[column].astype("string").str.strip().fillna("")
        uniques = pd.unique(values)
        found = {v: classify(f"{word} {v}") or ("", "") for v in uniques}
        base["topic"] = values.map({v: t for v, (t, _) in found.items()}).to_numpy(dtype=object)
        base["group"] = values.map({v: g for v, (_, g) in found.items()}).to_numpy(dtype=object)
        base["label"] = values.to_numpy(dtype=object)
        known = base[base["topic"] != ""]
        parts.append(_sum(known, [*keys, "topic", "group"], label=True))
    out = pd.concat(parts, ignore_index=True)
    out["period"] = "full-year"
    out["source"] = table.name
    out["sess_possible"] = np.nan
    out["sess_overall"] = np.nan
    codes = out.pop("status").to_numpy(dtype="int8")
    tokens = np.asarray(STATUSES, dtype=object)[codes]
    for column in COUNTS:
        out[f"{column}__status"] = tokens
    for column in ("sess_possible", "sess_overall"):
        out[f"{column}__status"] = "not-published"
    statuses = [f"{c}__status" for c in (*COUNTS, "sess_possible", "sess_overall")]
    return out[[*COUNT_COLUMNS, *statuses]]


def _sum(base: pd.DataFrame, keys: list[str], label: bool = False) -> pd.DataFrame:
    """Counts summed by ``keys`` (ratio-of-sums inputs); the status of a group is the first
    non-ok status of its rows (a symbol anywhere makes the sum unknown)."""
    agg = {
        "name": "last",
        "enrolments": "sum",
        "persistent": "sum",
        "severe": "sum",
        "status": "max",
        "line": "min",
    }
    if label:
        agg["label"] = "first"
    out = base.groupby(keys, sort=True, observed=True).agg(agg).reset_index()
    unknown = out["status"].to_numpy() != OK_CODE
    for column in COUNTS:
        out.loc[unknown, column] = np.nan
    out["status"] = np.where(unknown, out["status"], CODE["ok"]).astype("int8")
    return out


def _recognise(table: RawTable) -> Recognised | None:
    if kind_of(list(table.frame.columns)) != "absence-bands":
        return None
    return Recognised(
        "absence-bands", "state-funded", "full-year", reason="pct5_OARate … pct50plus_OARate"
    )


SOURCE = Source(
    family="absence-bands",
    title="Pupil absence distributions: enrolments by 5-point absence band (LA × group)",
    target="groups",
    recognise=_recognise,
    read=stamped(validate_bands),
)
