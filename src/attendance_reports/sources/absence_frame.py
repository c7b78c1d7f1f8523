"""The tidy census absence frame: its id columns (some kept as categoricals), each measure's
companion status column, and how a measure's values and status codes are read back."""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.symbols import CODE, OK_CODE

#: columns of every tidy absence frame, before the measures
ID_COLUMNS = (
    "source",
    "line",
    "time_period",
    "time_identifier",
    "period",
    "geographic_level",
    "code",
    "name",
    "country_code",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "urn",
    "laestab",
    "phase",
    "phase_label",
    "breakdown",
    "breakdown_label",
)


#: id columns kept as pandas categoricals (few distinct values, many rows)
CATEGORY_COLUMNS = tuple(
    c for c in ID_COLUMNS if c not in ("line", "code", "name", "urn", "laestab")
)


def empty_absence() -> pd.DataFrame:
    """The tidy absence frame of data without a census absence file: the id columns and the
    contract's (population, period type, published flag), no rows."""
    columns = {c: pd.Series(dtype="category") for c in CATEGORY_COLUMNS}
    columns |= {c: pd.Series(dtype="string") for c in ("code", "name", "urn", "laestab")}
    columns["line"] = pd.Series(dtype="int64")
    frame = pd.DataFrame({c: columns[c] for c in ID_COLUMNS})
    frame["population"] = pd.Series(dtype="category")
    frame["period_type"] = pd.Series(dtype="category")
    frame["published"] = pd.Series(dtype="bool")
    return frame


def with_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Make the id columns categorical again after a concat mixed their categories."""
    for column in CATEGORY_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].astype("category")
    return frame


def status_column(name: str) -> str:
    """The companion column that holds the status of measure ``name``."""
    return f"{name}__status"


def measure(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray | None]:
    """A measure's values and int8 status codes; a column the file lacks is all 'not-published'."""
    if column not in frame.columns:
        n = len(frame)
        return np.full(n, np.nan), np.full(n, CODE["not-published"], dtype="int8")
    values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    status_name = status_column(column)
    if status_name in frame.columns:
        return values, frame[status_name].cat.codes.to_numpy().astype("int8")
    missing = np.isnan(values)
    if missing.any():
        return values, np.where(missing, CODE["blank"], OK_CODE).astype("int8")
    return values, None
