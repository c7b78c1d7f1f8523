"""Enrolments by one-point absence-rate band -> indicator rows (pure: frames in, frames out).

From DfE's ``absence_rate_percent_bands`` (``sources/absence_rate_bands.py``), for each year,
area, phase and band (``breakdown`` = ``band/<band as published, without spaces>``:
``band/0``, ``band/0.01-0.99``, ``band/10.00-10.99``, ``band/99.00+``):

- ``<measure>_band_enrolments``: enrolments whose overall (authorised, unauthorised) absence rate
  is in the band, as published (``method`` ``published``);
- ``<measure>_band_share``: the band's percentage of all enrolments, **as published** (1 d.p.;
  numerator the band's enrolments, denominator the ``Total`` band's), never recomputed.

and one computed figure (``breakdown`` ``total``):

- ``persistent_absence_rate_from_bands``: enrolments in the bands from ``10.00 - 10.99`` up
  (an absence rate of 10 % or more: DfE's persistent absence) ÷ the ``Total`` band's
  enrolments × 100 (``published`` False). Each band's count is rounded to the nearest 5, so the
  sum can differ from the census count by a few enrolments (England 2016/17: 744,270 from the
  bands, 744,276 in the census file; both 10.8 %).

Symbols are carried: a band that is ``x`` makes its rows unavailable, and a sum over it too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.registry import FileIndicator
from attendance_reports.indicators.table import OUTPUT_COLUMNS

#: the rows' columns: the public table's, then how each value was made
COLUMNS = (*OUTPUT_COLUMNS, "method", "published", "period", "source")
MEASURES = {"overall": "Overall", "authorised": "Authorised", "unauthorised": "Unauthorised"}
PERSISTENT_FROM = 10.0  # a band whose lower bound is 10 % or more holds persistent absentees
PERSISTENT_METHOD = (
    "enrolments in the one-point overall absence bands from 10.00 - 10.99 up, divided by the "
    "Total band's enrolments, x 100"
)


def _registry() -> dict[str, FileIndicator]:
    out = {}
    for key, word in MEASURES.items():
        out[f"{key}_band_enrolments"] = FileIndicator(
            f"{key}_band_enrolments",
            f"Enrolments by {key} absence rate band",
            f"Enrolments whose {key} absence rate is in the one-point band (breakdown), as "
            "published.",
            "enrolments",
            0,
            True,
        )
        out[f"{key}_band_share"] = FileIndicator(
            f"{key}_band_share",
            f"{word} absence rate band: share of enrolments",
            f"Enrolments whose {key} absence rate is in the band, as a percentage of all "
            "enrolments, as published (1 d.p.).",
            "%",
            1,
            True,
        )
    out["persistent_absence_rate_from_bands"] = FileIndicator(
        "persistent_absence_rate_from_bands",
        "Persistent absence rate (10% or more), summed from the one-point bands",
        f"Computed: {PERSISTENT_METHOD}.",
        "%",
        1,
        False,
    )
    return out


REGISTRY: dict[str, FileIndicator] = _registry()


def band_breakdown(band: pd.Series) -> np.ndarray:
    """'10.00 - 10.99' -> 'band/10.00-10.99' (the band as published, spaces removed)."""
    return ("band/" + band.astype(str).str.replace(" ", "", regex=False)).to_numpy(dtype=object)


def base_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The id columns of a file subject's indicator rows, one per row of ``frame``."""
    return pd.DataFrame(
        {
            "time_period": frame["time_period"].astype(str).to_numpy(),
            "time_identifier": "Academic year",
            "geographic_level": frame["geographic_level"].astype(str).to_numpy(),
            "code": frame["code"].astype(str).to_numpy(),
            "name": frame["name"].astype(str).to_numpy(),
            "phase": frame["phase"].astype(str).to_numpy(),
            "period": frame["period"].astype(str).to_numpy(),
            "source": frame["source"].astype(str).to_numpy(),
        }
    )


def band_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The band file's tidy rows -> indicator rows (``COLUMNS``), every value unrounded."""
    if not len(frame):
        return pd.DataFrame(columns=list(COLUMNS))
    keys = ["time_period", "geographic_level", "code", "phase"]
    is_total = (frame["band"].astype(str).str.lower() == "total").to_numpy()
    totals = frame[is_total].set_index(keys)
    bands = frame[~is_total].reset_index(drop=True)
    at = pd.MultiIndex.from_frame(bands[keys])
    parts = []
    for key in MEASURES:
        count, share = f"enrolments_{key}", f"enrolments_{key}_percent"
        total = totals[count].reindex(at).to_numpy(dtype="float64")
        for indicator, column, denominator in (
            (f"{key}_band_enrolments", count, np.full(len(bands), np.nan)),
            (f"{key}_band_share", share, total),
        ):
            part = base_rows(bands)
            part["breakdown"] = band_breakdown(bands["band"])
            part["indicator"] = indicator
            part["value"] = bands[column].to_numpy(dtype="float64")
            part["numerator"] = bands[count].to_numpy(dtype="float64")
            part["denominator"] = denominator
            part["status"] = bands[f"{column}__status"].astype(str).to_numpy()
            part["method"] = "published"
            part["published"] = True
            parts.append(part)
    parts.append(_persistent(frame, totals, keys))
    out = pd.concat(parts, ignore_index=True)
    return out[list(COLUMNS)]


def _persistent(frame: pd.DataFrame, totals: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Persistent absence (10 %+) summed from the one-point bands, per year, area and phase."""
    high = frame[(frame["band_from"] >= PERSISTENT_FROM).to_numpy()]
    unknown = (high["enrolments_overall__status"].astype(str) != "ok").to_numpy()
    sums = (
        high.assign(_unknown=unknown)
        .groupby(keys, sort=True, observed=True)
        .agg(count=("enrolments_overall", "sum"), unknown=("_unknown", "any"))
    )
    total = totals.reindex(sums.index)
    rows = base_rows(
        total.reset_index().assign(period="full-year", source=total["source"].to_numpy())
    )
    numerator = np.where(sums["unknown"], np.nan, sums["count"].to_numpy(dtype="float64"))
    denominator = total["enrolments_overall"].to_numpy(dtype="float64")
    status = np.where(
        sums["unknown"].to_numpy(),
        "not-available",
        np.where(
            total["enrolments_overall__status"].astype(str).to_numpy() != "ok",
            total["enrolments_overall__status"].astype(str).to_numpy(),
            np.where(denominator == 0, "zero-denominator", "ok"),
        ),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(status == "ok", numerator / denominator * 100, np.nan)
    rows["breakdown"] = "total"
    rows["indicator"] = "persistent_absence_rate_from_bands"
    rows["value"] = value
    rows["numerator"] = numerator
    rows["denominator"] = denominator
    rows["status"] = status
    rows["method"] = PERSISTENT_METHOD
    rows["published"] = False
    return rows
