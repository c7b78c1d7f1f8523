"""What the parts of the site's data share: the publications' names and the small helpers that
turn indicator rows into plain lookups (no pandas in the pages' inner loops)."""

from __future__ import annotations

import pandas as pd

CENSUS = "DfE, Pupil absence in schools in England (school census)"
LAIT = "DfE, Local Authority Interactive Tool (LAIT)"


def row_keys(rows: pd.DataFrame):
    """(time_period, phase, indicator) of each row, as plain Python objects."""
    return zip(
        rows["time_period"].to_numpy(dtype=object),
        rows["phase"].to_numpy(dtype=object),
        rows["indicator"].to_numpy(dtype=object),
        strict=True,
    )


def lookup(rows: pd.DataFrame, keys: tuple[str, ...], extra: tuple[str, ...]) -> dict:
    """(key columns) -> (value, status, *extra columns) of each row, as plain Python objects."""
    key_values = zip(*(rows[c].to_numpy(dtype=object) for c in keys), strict=True)
    values = zip(
        rows["value"].to_numpy(),
        *(rows[c].to_numpy(dtype=object) for c in ("status", *extra)),
        strict=True,
    )
    return dict(zip(key_values, values, strict=True))


def total_rows(rows: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """The rows for all pupils (breakdown 'total'), of one period when ``period`` is given."""
    keep = (rows["breakdown"] == "total").to_numpy()
    if period is not None:
        keep = keep & (rows["period"] == period).to_numpy()
    return rows if keep.all() else rows[keep]


def file_name(source: str) -> str:
    """A source path's file name (the pages name files, never paths)."""
    return str(source).replace("\\", "/").rsplit("/", 1)[-1]
