"""EES "enrolments by absence-rate band" (``absence_rate_percent_bands``) -> a tidy band frame.

The 2016/17 pupil-absence release counts, for England and each school type (Total,
State-funded primary, State-funded secondary, Special), how many enrolments had an overall
(``enrolments_overall``), authorised (``enrolments_authorised``) and unauthorised
(``enrolments_unauthorised``) absence rate in each one-point band: ``0``, ``0.01 - 0.99``,
``1.00 - 1.99`` … ``98.00 - 98.99``, ``99.00+``, with a ``Total`` band (all enrolments) and
each band's share of enrolments as published (``*_percent``, 1 d.p.).

One row per year, area, phase and band: the band as published (``band``), its lower and upper
bound (``band_from``, ``band_to``: 10.00 and 10.99; NaN for the Total band; ``band_to`` NaN for
``99.00+``), each count and percentage with its ``__status`` (``x`` and ``.`` kept, never 0).
The EES ``.meta.csv`` beside it in the zip is read with it (``read.py``), never reported as a
file of its own; its label of ``enrolments_overall`` is the recognition's reason. No figure is
computed here.

The column and cell checks are ``cells.py``'s; ``phases_of`` and ``statuses`` are shared with
``sessions_missed_by_reason.py`` (the same release's layout).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from attendance_reports.errors import DataError
from attendance_reports.sources.cells import (
    areas_of,
    levels_of,
    named,
    once_each,
    required,
    texts,
    time_periods,
    whole_counts,
)
from attendance_reports.sources.contract import Recognised, Source, stamped
from attendance_reports.sources.layouts import PHASES
from attendance_reports.sources.read import RawTable
from attendance_reports.sources.validate import column_numbers
from attendance_reports.symbols import tokens_of

COUNTS = ("enrolments_overall", "enrolments_authorised", "enrolments_unauthorised")
PERCENTS = tuple(f"{c}_percent" for c in COUNTS)
REQUIRED = ("time_period", "geographic_level", "school_type", "percent_bands", *COUNTS)
HINT = "pass DfE's 'absence_rate_percent_bands' file (EES) with its header row"
#: the phases these files cover: state-funded primary, secondary and special, and their Total
STATE_FUNDED = ("total", "primary", "secondary", "special")
_BAND = re.compile(r"^(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)$")
_OPEN = re.compile(r"^(\d+(?:\.\d+)?)\s*\+$")


def phases_of(table: RawTable, hint: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's phase id (total, primary, secondary, special) and its label as published;
    a school type outside state-funded primary, secondary and special schools is an error
    (the files' population)."""
    words = "Total, State-funded primary, State-funded secondary or Special"
    return named(table, "school_type", PHASES, STATE_FUNDED, words, hint)


def statuses(codes: np.ndarray | None, rows: int) -> np.ndarray:
    """Status tokens of parsed status codes (None: every value a number)."""
    return tokens_of(codes if codes is not None else np.zeros(rows, dtype="int8"))


def _bands(table: RawTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's band as published and its lower and upper bound (NaN: Total / open)."""
    label = texts(table.frame, "percent_bands")
    uniques, codes = np.unique(label, return_inverse=True)
    low = np.full(len(uniques), np.nan)
    high = np.full(len(uniques), np.nan)
    for i, text in enumerate(uniques):
        if text.lower() == "total":
            continue
        closed, open_ = _BAND.match(text), _OPEN.match(text)
        if text in ("0", "0.0", "0.00"):
            low[i] = high[i] = 0.0
        elif closed:
            low[i], high[i] = float(closed.group(1)), float(closed.group(2))
        elif open_:
            low[i] = float(open_.group(1))
        else:
            row = int(np.flatnonzero(label == text)[0])
            raise DataError(
                table.where(row, "percent_bands"),
                f"percent_bands '{text}' is not a band (Total, 0, 0.01 - 0.99, …, 99.00+)",
                HINT,
            )
    return label, low[codes], high[codes]


def validate_rate_bands(table: RawTable) -> pd.DataFrame:
    """The one-point absence-rate band file -> one row per year, area, phase and band."""
    required(table, REQUIRED, HINT)
    periods = time_periods(table)
    level = levels_of(table, HINT, schools=True)
    code, name = areas_of(table, level)
    phase, phase_label = phases_of(table, HINT)
    band, low, high = _bands(table)
    out = pd.DataFrame(
        {
            "time_period": periods.to_numpy(dtype=object),
            "period": "full-year",
            "geographic_level": level,
            "code": code,
            "name": name,
            "phase": phase,
            "phase_label": phase_label,
            "band": band,
            "band_from": low,
            "band_to": high,
            "source": table.name,
            "line": np.arange(len(table.frame)) + 2,
        }
    )
    once_each(
        table,
        out,
        ["time_period", "geographic_level", "code", "phase", "band"],
        "percent_bands",
        lambda row: f"band '{band[row]}' of {phase_label[row]}, {name[row]}, {periods.iloc[row]}",
        "year, area, school type and band",
    )
    for column in COUNTS:
        values, codes = whole_counts(table, column, "band counts")
        out[column], out[f"{column}__status"] = values, statuses(codes, len(out))
    for column in PERCENTS:
        if column not in table.frame.columns:
            out[column], out[f"{column}__status"] = np.nan, "not-published"
            continue
        values, codes = column_numbers(table, column, "use a percentage or an EES symbol (x)")
        out[column], out[f"{column}__status"] = values, statuses(codes, len(out))
    return out


def _recognise(table: RawTable) -> Recognised | None:
    present = set(table.frame.columns) | set(table.file_columns)
    if "time_period" not in present or "sess_possible" in present:
        return None
    if not {"percent_bands", "enrolments_overall"} <= present:
        return None
    meta = table.meta.get("enrolments_overall", {}).get("label", "")
    return Recognised(
        "absence-rate-bands",
        "state-funded",
        "full-year",
        reason="enrolments by absence rate in one-point bands"
        + (f" ({meta.strip()})" if meta else ""),
    )


SOURCE = Source(
    family="absence-rate-bands",
    title="Pupil absence in schools in England: enrolments by absence rate, one-point bands",
    target="rate-bands",
    recognise=_recognise,
    read=stamped(validate_rate_bands),
)
