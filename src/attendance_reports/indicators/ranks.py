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


def rank_table(table: pd.DataFrame, indicators: tuple[str, ...]) -> pd.DataFrame:
    """Rank and quartile rows for LA rows of a long indicator table that have none yet
    (e.g. LAIT years), in the same layout: ``<id>_rank`` / ``<id>_quartile``, denominator = LAs."""
    la = table[
        (table["geographic_level"] == "la")
        & table["indicator"].isin(list(indicators))
        & (table["status"] == "ok")
    ]
    rank_ids = [str(c) for c in pd.unique(table["indicator"]) if str(c).endswith("_rank")]
    have = table[table["indicator"].isin(rank_ids)]
    if len(have):
        done = pd.MultiIndex.from_frame(
            pd.DataFrame(
                {
                    "t": have["time_period"].astype("string"),
                    "p": have["phase"].astype("string"),
                    "i": have["indicator"].astype("string").str.removesuffix("_rank"),
                }
            ).drop_duplicates()
        )
        key = pd.MultiIndex.from_frame(
            pd.DataFrame(
                {
                    "t": la["time_period"].astype("string"),
                    "p": la["phase"].astype("string"),
                    "i": la["indicator"].astype("string"),
                }
            )
        )
        la = la[~key.isin(done)]
    if la.empty:
        return la.iloc[0:0]
    keys = [
        la[c].astype("string") for c in ("time_period", "period", "phase", "breakdown", "indicator")
    ]
    rank = la["value"].groupby(keys).rank(method="min")
    counts = la["value"].groupby(keys).transform("count").astype("float64")
    out = []
    for suffix, values in (("_rank", rank), ("_quartile", np.ceil(4 * rank / counts))):
        part = la.copy()
        part["indicator"] = part["indicator"].astype("string") + suffix
        part["value"] = values.to_numpy()
        part["numerator"] = np.nan
        part["denominator"] = counts.to_numpy()
        out.append(part)
    return pd.concat(out, ignore_index=True)
