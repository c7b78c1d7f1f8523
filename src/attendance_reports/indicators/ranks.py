"""Rank and quartile band among local authorities (1 = lowest absence = best).

Ranks are given only among every LA of England for that year, period, phase and measure:
from counts, when the LA rows' denominators add up to England's (so no LA is missing); from
LAIT's rates, when the file holds a row (value or symbol) for at least ``ENGLAND_LAS`` LAs.
Otherwise the rank and band have status ``not-ranked`` and no value."""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.compute import Result, combined_codes
from attendance_reports.symbols import CODE, OK_CODE

BANDS = ("A", "B", "C", "D")
#: the fewest LAs England has had since 2006/07 (150; 152 from 2009, 153 from 2023)
ENGLAND_LAS = 150
GROUP = ("time_period", "period", "phase", "breakdown")


class LaGroups:
    """The LA rows of a frame and their groups (year, period, phase, breakdown), and the
    national rows with the same groups: found once for every indicator ranked."""

    def __init__(self, frame: pd.DataFrame) -> None:
        group = combined_codes([frame[c] for c in GROUP])
        self.rows = np.flatnonzero((frame["geographic_level"] == "la").to_numpy())
        self.national = np.flatnonzero((frame["geographic_level"] == "national").to_numpy())
        self.keys = pd.Series(group[self.rows])
        self.national_keys = pd.Index(group[self.national])


def rank_among_las(
    frame: pd.DataFrame, result: Result, groups: LaGroups | None = None
) -> tuple[Result, Result]:
    """Rank (ties share the best rank) and quartile band 1–4 (A–D) of each LA row.

    Lower absence is better, so rank 1 and band A are the lowest rates. Only LA rows get a
    rank (``Result.rows`` says which); LAs with no value keep their status. ``denominator``
    holds the number of LAs ranked, so a page can say "12th of 152".
    """
    groups = groups or LaGroups(frame)
    rows, keys = groups.rows, groups.keys
    status = result.status[rows]
    ok = status == OK_CODE
    values = pd.Series(np.where(ok, result.value[rows], np.nan))
    rank = values.groupby(keys, dropna=False).rank(method="min").to_numpy()
    counts = values.groupby(keys, dropna=False).transform("count").to_numpy(dtype="float64")
    complete = _complete(result, groups)
    ok = ok & complete
    status = np.where(complete | (status != OK_CODE), status, CODE["not-ranked"]).astype("int8")
    band = np.where(ok, np.ceil(4 * rank / counts), np.nan)
    rank = np.where(ok, rank, np.nan)
    counts = np.where(ok, counts, np.nan)
    nan = np.full(len(rows), np.nan)
    return (
        Result(rank, nan, counts, status, rows),
        Result(band, nan.copy(), counts.copy(), status.copy(), rows),
    )


def _complete(result: Result, groups: LaGroups) -> np.ndarray:
    """Per LA row: do the LA rows of its group hold all of England (their denominators add up
    to the national row's)?"""
    rows, national = groups.rows, groups.national
    if not len(national) or result.rows is not None:
        return np.zeros(len(rows), dtype=bool)
    england = pd.Series(result.denominator[national], index=groups.national_keys)
    england = england[~england.index.duplicated()]
    la_den = pd.Series(np.nan_to_num(result.denominator[rows]))
    summed = la_den.groupby(groups.keys, dropna=False).transform("sum").to_numpy()
    wanted = england.reindex(groups.keys.to_numpy()).to_numpy(dtype="float64")
    return ~np.isnan(wanted) & (np.abs(summed - wanted) <= 0.5)


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
    # every LA row of the file (any status) for the group: are all of England's LAs there?
    every = table[(table["geographic_level"] == "la") & table["indicator"].isin(list(indicators))]
    columns = ("time_period", "period", "phase", "breakdown", "indicator")
    present = every.groupby([every[c].astype("string") for c in columns]).size()
    here = pd.MultiIndex.from_arrays([k.to_numpy() for k in keys])
    complete = present.reindex(here).fillna(0).to_numpy() >= ENGLAND_LAS
    out = []
    for suffix, values in (("_rank", rank), ("_quartile", np.ceil(4 * rank / counts))):
        part = la.copy()
        part["indicator"] = part["indicator"].astype("string") + suffix
        part["value"] = np.where(complete, values.to_numpy(), np.nan)
        part["numerator"] = np.nan
        part["denominator"] = np.where(complete, counts.to_numpy(), np.nan)
        part["status"] = np.where(complete, part["status"].astype("string"), "not-ranked")
        out.append(part)
    return pd.concat(out, ignore_index=True)
