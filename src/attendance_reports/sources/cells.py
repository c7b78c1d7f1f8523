"""The column and cell checks of DfE's count files, shared by their readers.

The absence-band file (``bands.py``), the children-in-need file (``social_care.py``), the
one-point rate bands (``absence_rate_bands.py``) and the sessions-missed-by-reason file
(``sessions_missed_by_reason.py``) have the same EES columns for the year, level and area and
the same kind of figures (whole counts with EES symbols). Each check here stops at the first
bad cell with one DataError naming its file, line and column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from attendance_reports.errors import DataError
from attendance_reports.sources.layouts import LEVELS
from attendance_reports.sources.read import RawTable, normalise_name
from attendance_reports.sources.validate import column_numbers

#: level -> the columns that hold its area code and name (England: E92000001, "England")
AREA_COLUMNS = {
    "school": ("urn", "laestab"),
    "la": ("old_la_code", "la_name"),
    "regional": ("region_code", "region_name"),
}
LEVEL_WORDS = {
    False: "National, Regional or Local authority",
    True: "National, Regional, Local authority or School",
}


def required(table: RawTable, names: tuple[str, ...], hint: str) -> None:
    """Each of ``names`` is a column of the file; otherwise a DataError naming the first missing."""
    for name in names:
        if name not in table.frame.columns:
            raise DataError(table.where(None, None), f"required column '{name}' is missing", hint)


def texts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column's trimmed text ("" where the file has no such column or the cell is empty)."""
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[column].astype("string").str.strip().fillna("").to_numpy(dtype=object)


def time_periods(table: RawTable) -> pd.Series:
    """The file's time_period cells, each six digits (201819); otherwise a DataError."""
    periods = table.frame["time_period"].astype("string").str.strip().fillna("")
    shape = periods.str.fullmatch(r"\d{6}").to_numpy(dtype=bool)
    if not shape.all():
        row = int(np.flatnonzero(~shape)[0])
        raise DataError(
            table.where(row, "time_period"),
            f"time_period '{periods.iloc[row]}' is not six digits",
            "write academic years as 201819 for 2018/19",
        )
    return periods


def named(
    table: RawTable,
    column: str,
    names: Mapping[str, str],
    allowed: tuple[str, ...],
    words: str,
    hint: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's id for the value of ``column`` (``names`` of its normalised text, each
    distinct value looked up once) and the text as published; a value whose id is not one of
    ``allowed`` stops at its cell ("… is not {words}")."""
    raw = texts(table.frame, column)
    codes, uniques = pd.factorize(raw)
    ids = np.array([names.get(normalise_name(v), "") for v in uniques] + [""], dtype=object)
    found = ids[codes]
    bad = np.flatnonzero(~np.isin(found, allowed))
    if len(bad):
        row = int(bad[0])
        raise DataError(table.where(row, column), f"{column} '{raw[row]}' is not {words}", hint)
    return found, raw


def levels_of(table: RawTable, hint: str, schools: bool = False) -> np.ndarray:
    """Each row's level: 'national', 'regional', 'la' (and 'school' where the file may have
    school rows); anything else stops with one line naming the first such row."""
    allowed = ("national", "regional", "la", *(("school",) if schools else ()))
    level, _ = named(table, "geographic_level", LEVELS, allowed, LEVEL_WORDS[schools], hint)
    return level


def areas_of(table: RawTable, level: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's area code (England E92000001, the region code, the 3-digit LA code, the
    school's URN) and name; an empty code stops at its cell."""
    frame = table.frame
    conditions = [level == lv for lv in AREA_COLUMNS]
    code = np.select(conditions, [texts(frame, c) for c, _ in AREA_COLUMNS.values()], "E92000001")
    name = np.select(conditions, [texts(frame, n) for _, n in AREA_COLUMNS.values()], "England")
    missing = np.flatnonzero(code == "")
    if len(missing):
        row = int(missing[0])
        column = AREA_COLUMNS[level[row]][0]
        raise DataError(table.where(row, column), f"{column} is empty", "every area needs a code")
    return code.astype(object), name.astype(object)


def whole_counts(
    table: RawTable, column: str, what: str, symbols: str = "x, ."
) -> tuple[np.ndarray, np.ndarray | None]:
    """A count column's numbers and status codes (``symbols.parse_numbers``): whole numbers of
    0 or more; symbols kept as statuses, never 0."""
    values, status = column_numbers(
        table, column, f"use a whole number or an EES symbol ({symbols})", counts=True
    )
    fractional = np.flatnonzero(~np.isnan(values) & (np.floor(values) != values))
    if len(fractional):
        row = int(fractional[0])
        raise DataError(
            table.where(row, column),
            f"{table.labels[column]} is not a whole number ({table.frame[column].iloc[row]})",
            f"{what} are whole numbers, 0 or more",
        )
    return values, status


def once_each(
    table: RawTable,
    frame: pd.DataFrame,
    key: list[str],
    column: str,
    described: Callable[[int], str],
    rows: str,
) -> None:
    """No two rows of ``frame`` share ``key``; the first repeat stops at its ``column`` cell,
    "{described(row)} is given twice" — pass the file as published (one row per {rows})."""
    twice = np.flatnonzero(frame.duplicated(key).to_numpy())
    if len(twice):
        row = int(twice[0])
        raise DataError(
            table.where(row, column),
            f"{described(row)} is given twice",
            f"pass the file as published (one row per {rows})",
        )
