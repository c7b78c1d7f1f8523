"""Enrolments missing at least one session, by reason -> indicator rows (pure).

From DfE's ``absence_number_missing_at_least_one_session_by_reason``
(``sources/sessions_missed_by_reason.py``), for each year, area, phase and reason
(``breakdown`` = ``reason/<id>``: ``reason/overall`` any reason, ``reason/authorised``,
``reason/unauthorised``, ``reason/illness`` … ``reason/no_reason_yet``):

- ``enrolments_missing_a_session``: enrolments that missed at least one session for the reason,
  as published (``method`` ``published``);
- ``enrolments_missing_a_session_rate``: the same as a percentage of the area's enrolments,
  **computed** here (``published`` False, ``method`` says ``enrol_<reason> / enrolments x 100``):
  the file publishes counts only.

London (E12000007), which the file does not have, is Inner plus Outer London, counts added
(``published`` False, ``method`` says so), so a London borough is compared with London as every
other page compares it. Symbols are carried: ``x`` and ``.`` stay statuses, never 0, and a
rate on one of them is unavailable with its status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.rate_bands import COLUMNS, base_rows
from attendance_reports.indicators.registry import FileIndicator
from attendance_reports.sources.reference import INNER_OUTER_LONDON, LONDON
from attendance_reports.sources.sessions_missed_by_reason import COUNTS, REASONS

REGISTRY: dict[str, FileIndicator] = {
    "enrolments_missing_a_session": FileIndicator(
        "enrolments_missing_a_session",
        "Enrolments missing at least one session",
        "Enrolments that missed at least one session for the reason (breakdown), as published.",
        "enrolments",
        0,
        True,
    ),
    "enrolments_missing_a_session_rate": FileIndicator(
        "enrolments_missing_a_session_rate",
        "Enrolments missing at least one session, % of enrolments",
        "Computed: enrolments that missed at least one session for the reason (breakdown), "
        "divided by enrolments, x 100.",
        "%",
        1,
        False,
    ),
}
LONDON_METHOD = "Inner London + Outer London"


def with_london(frame: pd.DataFrame) -> pd.DataFrame:
    """The tidy rows plus London (Inner + Outer London, counts added; a symbol in either makes
    the sum unavailable) wherever the file has both and no London row."""
    regional = frame[(frame["geographic_level"] == "regional").to_numpy()]
    if (regional["code"] == LONDON).any():
        return frame
    parts = regional[regional["code"].isin(list(INNER_OUTER_LONDON)).to_numpy()]
    keys = ["time_period", "period", "phase"]
    complete = parts.groupby(keys)["code"].transform("nunique") == len(INNER_OUTER_LONDON)
    parts = parts[complete.to_numpy()]
    if not len(parts):
        return frame
    grouped = parts.groupby(keys, sort=True)
    london = grouped.agg(
        phase_label=("phase_label", "first"), source=("source", "first"), line=("line", "min")
    ).reset_index()
    for column in COUNTS:
        status = parts[f"{column}__status"].astype(str)
        unknown = (status != "ok").groupby([parts[k] for k in keys], sort=True).any().to_numpy()
        first = status.where(status != "ok").groupby([parts[k] for k in keys], sort=True).first()
        london[column] = np.where(unknown, np.nan, grouped[column].sum().to_numpy())
        london[f"{column}__status"] = np.where(unknown, first.fillna("ok").to_numpy(), "ok")
    london["geographic_level"] = "regional"
    london["code"] = LONDON
    london["name"] = "London"
    london["region_code"] = LONDON
    london["old_la_code"] = ""
    london["method"] = LONDON_METHOD
    for column in ("population", "period_type"):
        if column in frame.columns:
            london[column] = str(frame[column].iloc[0])
    london["published"] = False
    out = pd.concat([frame.assign(method="published"), london], ignore_index=True)
    return out


def reason_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The by-reason file's tidy rows -> indicator rows (``rate_bands.COLUMNS``), unrounded."""
    if not len(frame):
        return pd.DataFrame(columns=list(COLUMNS))
    frame = with_london(frame)
    method = (
        frame["method"].astype(str).to_numpy()
        if "method" in frame.columns
        else np.full(len(frame), "published", dtype=object)
    )
    added = method != "published"
    enrolments = frame["enrolments"].to_numpy(dtype="float64")
    enrolments_status = frame["enrolments__status"].astype(str).to_numpy()
    base = base_rows(frame)
    parts = []
    for reason, (column, _) in REASONS.items():
        count = frame[column].to_numpy(dtype="float64")
        status = frame[f"{column}__status"].astype(str).to_numpy()
        published = base.copy()
        published["breakdown"] = f"reason/{reason}"
        published["indicator"] = "enrolments_missing_a_session"
        published["value"] = count
        published["numerator"] = count
        published["denominator"] = np.nan
        published["status"] = status
        published["method"] = np.where(added, method, "published")
        published["published"] = ~added
        rate_status = np.where(
            status != "ok",
            status,
            np.where(
                enrolments_status != "ok",
                enrolments_status,
                np.where(enrolments == 0, "zero-denominator", "ok"),
            ),
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(rate_status == "ok", count / enrolments * 100, np.nan)
        rate = base.copy()
        rate["breakdown"] = f"reason/{reason}"
        rate["indicator"] = "enrolments_missing_a_session_rate"
        rate["value"] = value
        rate["numerator"] = count
        rate["denominator"] = enrolments
        rate["status"] = rate_status
        computed = f"{column} / enrolments x 100"
        rate["method"] = np.where(added, f"{computed} ({LONDON_METHOD})", computed)
        rate["published"] = False
        parts += [published, rate]
    return pd.concat(parts, ignore_index=True)[list(COLUMNS)]
