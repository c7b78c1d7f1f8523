"""The in-year rows of ``attendance-reports indicators``: the in-year indicator table
(``indicators/inyear.py``) and the in-year pupil-group rates (``indicators/inyear_groups.py``)
in the one documented table (``indicators/table.OUTPUT_COLUMNS``), then ``method`` and
``published``.

``time_period`` is the academic year (``202425``); ``time_identifier`` says which part of it:
the ISO week of a weekly file ("Week 37"), the term ("Autumn term"), the year to date as the
file labels it ("Academic year"), the date of a daily file ("2024-09-09"), a point of the
persistent-absence series ("Week 30, year to date") or an export ("Year to date"). ``breakdown``
is ``total``, or a pupil group (``fsm/eligible``, ``sen/ehcp``, ``sex/female`` …).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.inyear import inyear_table
from attendance_reports.indicators.inyear_groups import group_rates
from attendance_reports.indicators.table import OUTPUT_COLUMNS
from attendance_reports.render.formatting import period_code
from attendance_reports.sources.inyear_columns import FIRST_WEEK

#: columns the in-year rows add after the public ones
EXTRA_COLUMNS = ("method", "published")
#: rows of a year in this order: terms, the year to date, its series, weeks, days, exports
KIND_ORDER = {"term": 0, "ytd": 1, "pa-series": 2, "week": 3, "day": 4, "pa-export": 5}
TERM_ORDER = {"autumn term": 0, "spring term": 1, "summer term": 2}


def _time_identifier(table: pd.DataFrame) -> np.ndarray:
    kind = table["kind"].astype(str).to_numpy()
    period = table["period"].astype(str).to_numpy()
    date = table["date"].astype(str).to_numpy()
    out = period.astype(object).copy()
    out[kind == "day"] = date[kind == "day"]
    series = kind == "pa-series"
    out[series] = np.char.add(period[series].astype(str), ", year to date")
    return out


def _output(table: pd.DataFrame, breakdown: np.ndarray | str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "time_period": table["academic_year"].astype(str).to_numpy(),
            "time_identifier": _time_identifier(table),
            "geographic_level": table["geographic_level"].astype(str).to_numpy(),
            "code": table["code"].astype(str).to_numpy(),
            "name": table["name"].astype(str).to_numpy(),
            "phase": table["phase"].astype(str).to_numpy(),
            "breakdown": breakdown,
            "indicator": table["indicator"].astype(str).to_numpy(),
            "value": table["value"].to_numpy(dtype="float64"),
            "numerator": table["numerator"].to_numpy(dtype="float64"),
            "denominator": table["denominator"].to_numpy(dtype="float64"),
            "status": table["status"].astype(str).to_numpy(),
            "method": table["method"].astype(str).to_numpy(),
            "published": table["published"].astype(bool).to_numpy(),
        }
    )
    week = table["week"].to_numpy(dtype="int64")
    out["_kind"] = [KIND_ORDER.get(k, 9) for k in table["kind"].astype(str)]
    out["_term"] = [TERM_ORDER.get(p.lower(), 0) for p in table["period"].astype(str)]
    out["_week"] = np.where(week >= FIRST_WEEK, week, week + 100)
    out["_date"] = table["date"].astype(str).to_numpy()
    return out


def inyear_rows(
    inyear: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    wanted: set[str],
    levels: set[str],
    las: set[str],
    years: tuple[str, ...],
    phases: set[str],
) -> pd.DataFrame:
    """The in-year rows a selection asks for, in the output layout (empty when none)."""
    parts = []
    if years:  # a whole academic year of a file, or none of it: methods are found per file
        codes = [period_code(y) for y in years]
        if len(inyear):
            inyear = inyear[inyear["academic_year"].isin(codes).to_numpy()]
        if len(groups):
            groups = groups[groups["academic_year"].isin(codes).to_numpy()]
    if len(inyear):
        parts.append(_output(inyear_table(inyear), "total"))
    if len(groups):
        rates, _ = group_rates(groups)
        parts.append(_output(rates, (rates["topic"] + "/" + rates["group"]).to_numpy()))
    if not parts:
        return pd.DataFrame(columns=[*OUTPUT_COLUMNS, *EXTRA_COLUMNS])
    out = pd.concat(parts, ignore_index=True)
    order = ["time_period", "_kind", "_term", "_week", "_date", "geographic_level", "code"]
    order.append("phase")
    out = out.sort_values([*order, "breakdown", "indicator"], kind="stable")
    out = out[[*OUTPUT_COLUMNS, *EXTRA_COLUMNS]].reset_index(drop=True)
    keep = out["indicator"].isin(list(wanted)).to_numpy().copy()
    if levels:
        keep &= out["geographic_level"].isin(list(levels)).to_numpy()
    if las:
        keep &= out["code"].isin(list(las)).to_numpy()
    if years:
        keep &= out["time_period"].isin([period_code(y) for y in years]).to_numpy()
    if phases:
        keep &= out["phase"].isin(list(phases)).to_numpy()
    return out[keep].reset_index(drop=True)
