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

The helpers ``required``, ``levels_of``, ``phases_of``, ``areas_of`` and ``counts_of`` are
shared with ``sessions_missed_by_reason.py`` (the same release's layout).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from attendance_reports.errors import DataError
from attendance_reports.sources.bands import time_periods
from attendance_reports.sources.contract import Recognised, Source, stamped
from attendance_reports.sources.layouts import LEVELS, PHASES
from attendance_reports.sources.read import RawTable, normalise_name
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


def required(table: RawTable, names: tuple[str, ...], hint: str) -> None:
    """Each of ``names`` is a column of the file; otherwise a DataError naming the first missing."""
    for name in names:
        if name not in table.frame.columns:
            raise DataError(table.where(None, None), f"required column '{name}' is missing", hint)


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[column].astype("string").str.strip().fillna("").to_numpy(dtype=object)


def levels_of(table: RawTable, hint: str) -> np.ndarray:
    """Each row's level: 'national', 'regional', 'la' or 'school'; anything else is an error."""
    raw = _text(table.frame, "geographic_level")
    codes, uniques = pd.factorize(raw)
    named = np.array([LEVELS.get(normalise_name(v), "") for v in uniques] + [""], dtype=object)
    level = named[codes]
    bad = np.flatnonzero(level == "")
    if len(bad):
        row = int(bad[0])
        raise DataError(
            table.where(row, "geographic_level"),
            f"geographic_level '{raw[row]}' is not National, Regional, Local authority or School",
            hint,
        )
    return level


def phases_of(table: RawTable, hint: str) -> tuple[np.ndarray, np.ndarray]:
    """Each row's phase id (total, primary, secondary, special) and its label as published;
    a school type outside state-funded primary, secondary and special schools is an error
    (the files' population)."""
    label = _text(table.frame, "school_type")
    codes, uniques = pd.factorize(label)
    named = np.array([PHASES.get(normalise_name(v), "") for v in uniques] + [""], dtype=object)
    phase = named[codes]
    bad = np.flatnonzero(~np.isin(phase, STATE_FUNDED))
    if len(bad):
        row = int(bad[0])
        raise DataError(
            table.where(row, "school_type"),
            f"school_type '{label[row]}' is not Total, State-funded primary, State-funded "
            "secondary or Special",
            hint,
        )
    return phase, label


def areas_of(table: RawTable, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's area code (England E92000001, the region code, the 3-digit LA code, the
    school's URN) and name; an empty code is an error at its cell."""
    frame = table.frame
    code = np.select(
        [level == "school", level == "la", level == "regional"],
        [_text(frame, "urn"), _text(frame, "old_la_code"), _text(frame, "region_code")],
        "E92000001",
    ).astype(object)
    name = np.select(
        [level == "school", level == "la", level == "regional"],
        [_text(frame, "laestab"), _text(frame, "la_name"), _text(frame, "region_name")],
        "England",
    ).astype(object)
    missing = np.flatnonzero(code == "")
    if len(missing):
        row = int(missing[0])
        column = {"school": "urn", "la": "old_la_code", "regional": "region_code"}[level[row]]
        raise DataError(table.where(row, column), f"{column} is empty", "every area needs a code")
    return code, name


def counts_of(table: RawTable, column: str, what: str) -> tuple[np.ndarray, np.ndarray]:
    """A count column: whole numbers of 0 or more, symbols kept as statuses (never 0)."""
    values, status = column_numbers(
        table, column, "use a whole number of enrolments or an EES symbol (x, .)", counts=True
    )
    ok = ~np.isnan(values)
    fractional = np.flatnonzero(ok & (np.floor(values) != values))
    if len(fractional):
        row = int(fractional[0])
        raise DataError(
            table.where(row, column),
            f"{table.labels[column]} is not a whole number ({table.frame[column].iloc[row]})",
            f"{what} are whole numbers, 0 or more",
        )
    codes = status if status is not None else np.zeros(len(values), dtype="int8")
    return values, tokens_of(codes)


def _bands(table: RawTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's band as published and its lower and upper bound (NaN: Total / open)."""
    label = _text(table.frame, "percent_bands")
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
    level = levels_of(table, HINT)
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
    key = ["time_period", "geographic_level", "code", "phase", "band"]
    twice = np.flatnonzero(out.duplicated(key).to_numpy())
    if len(twice):
        row = int(twice[0])
        raise DataError(
            table.where(row, "percent_bands"),
            f"band '{band[row]}' of {phase_label[row]}, {name[row]}, {periods.iloc[row]} is "
            "given twice",
            "pass the file as published (one row per year, area, school type and band)",
        )
    for column in COUNTS:
        out[column], out[f"{column}__status"] = counts_of(table, column, "band counts")
    for column in PERCENTS:
        if column not in table.frame.columns:
            out[column], out[f"{column}__status"] = np.nan, "not-published"
            continue
        values, status = column_numbers(table, column, "use a percentage or an EES symbol (x)")
        out[column] = values
        out[f"{column}__status"] = tokens_of(
            status if status is not None else np.zeros(len(values), dtype="int8")
        )
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
