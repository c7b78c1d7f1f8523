"""Rank and quartile band among local authorities (1 = lowest absence = best)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.compute import Result
from attendance_reports.symbols import OK_CODE

BANDS = ("A", "B", "C", "D")
GROUP = ("time_period", "period", "phase", "breakdown")


def rank_among_las(frame: pd.DataFrame, result: Result) -> tuple[Result, Result]:
    """Rank (ties share the best rank) and quartile band 1–4 (A–D) of each LA row.

    Lower absence is better, so rank 1 and band A are the lowest rates. Only LA rows get a
    rank (``Result.rows`` says which); LAs with no value keep their status. ``denominator``
    holds the number of LAs ranked, so a page can say "12th of 152".
    """
    rows = np.flatnonzero((frame["geographic_level"] == "la").to_numpy())
    la = frame.iloc[rows]
    status = result.status[rows]
    ok = status == OK_CODE
    values = pd.Series(np.where(ok, result.value[rows], np.nan))
    keys = [la[c].astype("string").reset_index(drop=True) for c in GROUP]
    rank = values.groupby(keys, dropna=False).rank(method="min").to_numpy()
    counts = values.groupby(keys, dropna=False).transform("count").to_numpy(dtype="float64")
    band = np.where(ok, np.ceil(4 * rank / counts), np.nan)
    rank = np.where(ok, rank, np.nan)
    counts = np.where(ok, counts, np.nan)
    nan = np.full(len(rows), np.nan)
    return (
        Result(rank, nan, counts, status, rows),
        Result(band, nan.copy(), counts.copy(), status.copy(), rows),
    )


def band_letter(value: float) -> str:
    """1.0 -> 'A'."""
    return BANDS[int(value) - 1]
