"""Pupil-group indicators, pure functions of frames: a group's rate, its comparison group's
rate, the gap in percentage points, the same gap for England, and the change in the gap.

Input is the *group-counts* layout (``COUNT_COLUMNS``), made by ``bands.validate_bands`` (LA
band file) or ``characteristic_counts`` (a characteristics file already read as absence rows).
Every rate is a ratio of sums in float64, never rounded here; a missing count makes everything
built on it missing with the same status. Groups and their comparison groups are listed in
``group_labels.GROUPS``.

Measures (``MEASURES``): overall absence rate (sessions missed / possible; characteristics
files only), persistent absence rate (10 %+ absentees / enrolments) and severe absence rate
(50 %+ absentees / enrolments).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.sources.group_labels import GROUP_BY_ID, GROUPS, GRT_PARTS, classify
from attendance_reports.symbols import OK

KEYS = ("time_period", "period", "geographic_level", "code")
#: a group is compared only with figures from the same file
SOURCE_KEYS = (*KEYS, "source")
COUNTS = ("enrolments", "persistent", "severe", "sess_possible", "sess_overall")
#: the group-counts layout: one row per period, area, topic and group
COUNT_COLUMNS = (*KEYS, "name", "topic", "group", "label", "source", *COUNTS)

#: measure id -> (numerator, denominator, label)
MEASURES: dict[str, tuple[str, str, str]] = {
    "overall_absence_rate": ("sess_overall", "sess_possible", "Overall absence rate"),
    "persistent_absence_rate": ("persistent", "enrolments", "Persistent absence rate (10%+)"),
    "severe_absence_rate": ("severe", "enrolments", "Severe absence rate (50%+)"),
}

#: the indicator ids of the group table (a public contract, listed in the README)
GROUP_INDICATORS = (
    "group_rate",
    "comparison_rate",
    "gap_pp",
    "national_gap_pp",
    "gap_change_pp",
)

#: absence-frame column -> group-counts column
_FROM_ABSENCE = {
    "enrolments": "enrolments",
    "enrolments_pa_10_exact": "persistent",
    "enrolments_pa_50_exact": "severe",
    "sess_possible": "sess_possible",
    "sess_overall": "sess_overall",
}


def _status(frame: pd.DataFrame, column: str) -> np.ndarray:
    name = f"{column}__status"
    if name in frame.columns:
        return frame[name].astype(object).to_numpy(dtype=object)
    values = frame[column].to_numpy(dtype="float64")
    return np.where(np.isnan(values), "not-available", OK).astype(object)


def characteristic_counts(absence: pd.DataFrame) -> pd.DataFrame:
    """The pupil-group rows of a tidy absence frame (a characteristics file, either layout:
    ``characteristic_breakdown`` or ``breakdown_topic``/``breakdown``), all phases together,
    in the group-counts layout. Rows whose label is not a group the pages show are left out."""
    if not len(absence) or "breakdown" not in absence.columns:
        return empty_counts()
    total_phase = (absence["phase"] == "total").to_numpy()
    grouped = (absence["breakdown"] != "total").to_numpy() & total_phase
    if not grouped.any():
        return empty_counts()
    # the all-pupil rows of the same files (a characteristics file's Total row), as topic 'all'
    sources = set(absence["source"][grouped].astype(str))
    totals = (
        (absence["breakdown"] == "total").to_numpy()
        & total_phase
        & absence["source"].astype(str).isin(sources).to_numpy()
    )
    rows = absence[grouped | totals]
    labels = np.where(
        rows["breakdown"] == "total", "Total", rows["breakdown_label"].astype(str)
    ).astype(object)
    found = {label: classify(label) for label in pd.unique(labels)}
    found["Total"] = ("all", "all")
    keep = np.array([found[label] is not None for label in labels], dtype=bool)
    rows, labels = rows[keep], labels[keep]
    out = pd.DataFrame(
        {
            **{k: rows[k].astype(str).to_numpy(dtype=object) for k in (*KEYS, "name", "source")},
            "topic": [found[label][0] for label in labels],
            "group": [found[label][1] for label in labels],
            "label": labels,
        }
    )
    from attendance_reports.sources.absence_frame import measure

    for source, column in _FROM_ABSENCE.items():
        values, codes = measure(rows, source)
        out[column] = values
        if codes is not None:
            from attendance_reports.symbols import tokens_of

            out[f"{column}__status"] = tokens_of(codes)
        else:
            out[f"{column}__status"] = OK
    return out


def empty_counts() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COUNT_COLUMNS})


def combine_counts(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Group counts from several files as one frame; a (period, area, topic, group) given by
    two files keeps the first (the band file, which is read first, covers LAs)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_counts()
    out = pd.concat(frames, ignore_index=True)
    out = out.drop_duplicates([*SOURCE_KEYS, "topic", "group"], keep="first")
    return add_grt(out)


def add_grt(counts: pd.DataFrame) -> pd.DataFrame:
    """Add the combined Gypsy, Roma and Traveller group wherever both parts are present:
    each count is the sum of the parts' counts (a ratio of sums, never a mean of rates)."""
    parts = counts[(counts["topic"] == "ethnicity") & counts["group"].isin(GRT_PARTS)]
    if not len(parts) or ((counts["topic"] == "ethnicity") & (counts["group"] == "grt")).any():
        return counts
    keys = list(SOURCE_KEYS)
    size = parts.groupby(keys, observed=True)["group"].transform("size")
    parts = parts[size.to_numpy() == len(GRT_PARTS)]
    if not len(parts):
        return counts
    agg: dict[str, str | object] = {"name": "last"}
    for column in COUNTS:
        agg[column] = "sum"
        agg[f"{column}__status"] = _first_missing
    grt = parts.groupby(keys, sort=True, observed=True).agg(agg).reset_index()
    for column in COUNTS:
        missing = grt[f"{column}__status"].to_numpy(dtype=object) != OK
        grt.loc[missing, column] = np.nan
    grt["topic"], grt["group"], grt["label"] = "ethnicity", "grt", "Gypsy, Roma and Traveller"
    return pd.concat([counts, grt.reindex(columns=counts.columns)], ignore_index=True)


def _first_missing(statuses: pd.Series) -> str:
    for status in statuses:
        if status != OK:
            return status
    return OK


def group_rates(counts: pd.DataFrame) -> pd.DataFrame:
    """One row per period, area, topic, group and measure: value (unrounded %), numerator,
    denominator, status. A missing count or a zero denominator gives no value, with why."""
    out = []
    base = {k: counts[k].to_numpy(dtype=object) for k in (*SOURCE_KEYS, "name", "topic", "group")}
    for measure, (num, den, _) in MEASURES.items():
        n = counts[num].to_numpy(dtype="float64")
        d = counts[den].to_numpy(dtype="float64")
        status = _status(counts, num)
        den_status = _status(counts, den)
        status = np.where(status == OK, den_status, status)
        zero = (status == OK) & (d == 0)
        status = np.where(zero, "zero-denominator", status)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(status == OK, n / d * 100, np.nan)
        frame = pd.DataFrame(base)
        frame["measure"] = measure
        frame["value"], frame["numerator"], frame["denominator"] = value, n, d
        frame["status"] = status
        out.append(frame[~np.isnan(d) | (status != "not-published")])
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def add_all_pupils(rates: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Comparison rows for a file that counts a cohort but not all pupils (children in need):
    for each of its periods and areas, topic 'all' rows holding the all-pupil rate of the
    indicator table (school census, or LAIT's published rate where the census has none),
    with the table's numerator, denominator and status. Files with their own 'all' rows are
    left alone; nothing is recomputed."""
    if not len(rates) or not len(table):
        return rates
    own = set(rates.loc[rates["topic"] == "all", "source"].astype(str))
    cohort = rates[~rates["source"].astype(str).isin(own)]
    if not len(cohort):
        return rates
    keys = ["time_period", "period", "geographic_level", "code", "source", "measure"]
    wanted = cohort[[*keys, "name"]].drop_duplicates(keys)
    source = table[
        (table["phase"] == "total").to_numpy()
        & (table["breakdown"] == "total").to_numpy()
        & table["indicator"].isin(list(MEASURES)).to_numpy()
    ]
    source = pd.DataFrame(
        {
            "time_period": source["time_period"].astype(str).to_numpy(dtype=object),
            "period": source["period"].astype(str).to_numpy(dtype=object),
            "geographic_level": source["geographic_level"].astype(str).to_numpy(dtype=object),
            "code": source["code"].astype(str).to_numpy(dtype=object),
            "measure": source["indicator"].astype(str).to_numpy(dtype=object),
            "value": source["value"].to_numpy(dtype="float64"),
            "numerator": source["numerator"].to_numpy(dtype="float64"),
            "denominator": source["denominator"].to_numpy(dtype="float64"),
            "status": source["status"].astype(str).to_numpy(dtype=object),
        }
    ).drop_duplicates(["time_period", "period", "geographic_level", "code", "measure"])
    rows = wanted.merge(
        source, on=["time_period", "period", "geographic_level", "code", "measure"], how="inner"
    )
    if not len(rows):
        return rates
    rows["topic"], rows["group"] = "all", "all"
    return pd.concat([rates, rows.reindex(columns=rates.columns)], ignore_index=True)


def gaps(rates: pd.DataFrame) -> pd.DataFrame:
    """Each shown group (``GROUPS``) beside its comparison group: ``group_*`` and
    ``comparison_*`` value, numerator, denominator and status; ``gap`` = group rate minus
    comparison rate, in percentage points (missing when either rate is); ``national_gap`` the
    same gap for England in the same period; ``gap_change`` the change in the gap since the
    previous academic year (missing, 'no-previous-year', when that year has no gap: 2020/21
    is never compared with 2018/19)."""
    cols = [*SOURCE_KEYS, "name", "topic", "group", "measure", "value", "numerator", "denominator"]
    cols.append("status")
    if not len(rates):
        return pd.DataFrame()
    shown = pd.DataFrame(
        [(g.topic, g.group, g.comparison) for g in GROUPS], columns=["topic", "group", "versus"]
    )
    left = rates[cols].merge(shown, on=["topic", "group"], how="inner")
    left = left.rename(columns={c: f"group_{c}" for c in ("value", "numerator", "denominator")})
    left = left.rename(columns={"status": "group_status"})
    everyone = rates[rates["topic"] == "all"][
        [*SOURCE_KEYS, "measure", "value", "numerator", "denominator", "status"]
    ]
    same_topic = rates[
        [*SOURCE_KEYS, "topic", "group", "measure", "value", "numerator", "denominator"]
    ]
    same_topic = same_topic.assign(status=rates["status"]).rename(columns={"group": "versus"})
    right_topic = same_topic.rename(
        columns={c: f"comparison_{c}" for c in ("value", "numerator", "denominator", "status")}
    )
    right_all = everyone.rename(
        columns={c: f"comparison_{c}" for c in ("value", "numerator", "denominator", "status")}
    )
    versus_all = left["versus"] == "all"
    a = left[~versus_all].merge(
        right_topic, on=[*SOURCE_KEYS, "topic", "versus", "measure"], how="left"
    )
    b = left[versus_all].merge(right_all, on=[*SOURCE_KEYS, "measure"], how="left")
    out = pd.concat([a, b], ignore_index=True)
    out["comparison_status"] = out["comparison_status"].fillna("not-available")
    gs, cs = out["group_status"].to_numpy(dtype=object), out["comparison_status"].to_numpy(object)
    out["gap_status"] = np.where(gs != OK, gs, cs)
    out["gap"] = np.where(
        out["gap_status"] == OK,
        out["group_value"].to_numpy(dtype="float64")
        - out["comparison_value"].to_numpy(dtype="float64"),
        np.nan,
    )
    same = ["time_period", "period", "source", "topic", "group", "measure"]
    national = out[out["geographic_level"] == "national"][[*same, "gap", "gap_status"]].rename(
        columns={"gap": "national_gap", "gap_status": "national_gap_status"}
    )
    out = out.merge(national, on=same, how="left")
    out["national_gap_status"] = out["national_gap_status"].fillna("not-available")
    out["national_gap"] = out["national_gap"].astype("float64")
    out = _gap_change(out)
    out = _preferred(out)
    order = {(g.topic, g.group): i for i, g in enumerate(GROUPS)}
    out["order"] = [order[(t, g)] for t, g in zip(out["topic"], out["group"], strict=True)]
    out = out.sort_values([*KEYS, "order", "measure"], kind="stable").reset_index(drop=True)
    return out.drop(columns=["order"])


def _previous_year(time_period: str) -> str:
    start = int(time_period[:4]) - 1
    return f"{start}{(start + 1) % 100:02d}"


def _gap_change(out: pd.DataFrame) -> pd.DataFrame:
    keys = ["time_period", "period", "geographic_level", "code", "source", "topic", "group"]
    before = out[keys].copy()
    before["measure"] = out["measure"]
    before["previous_gap"] = out["gap"]
    before["previous_status"] = out["gap_status"]
    before["time_period"] = [
        f"{int(t[:4]) + 1}{(int(t[:4]) + 2) % 100:02d}" for t in before["time_period"]
    ]
    out = out.merge(
        before,
        on=[*keys, "measure"],
        how="left",
    )
    previous = out["previous_status"].fillna("no-previous-year").to_numpy(dtype=object)
    status = np.where(out["gap_status"] != OK, out["gap_status"], previous)
    out["gap_change_status"] = status
    out["gap_change"] = np.where(
        status == OK, out["gap"] - out["previous_gap"].astype("float64"), np.nan
    )
    return out.drop(columns=["previous_gap", "previous_status"])


def _preferred(out: pd.DataFrame) -> pd.DataFrame:
    """One row per period, area, group and measure when two files give it (the 2016/17
    characteristics file and the band file both give England's FSM persistent absence): the
    row with a gap wins, then the file read first."""
    rank = (out["gap_status"] != OK).to_numpy().astype("int8")
    out = out.assign(_rank=rank).sort_values("_rank", kind="stable")
    out = out.drop_duplicates([*KEYS, "topic", "group", "measure"], keep="first")
    return out.drop(columns=["_rank"])


def group_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts -> the group gap table (``gaps(group_rates(counts))``)."""
    if not len(counts):
        return pd.DataFrame()
    return gaps(group_rates(counts))


def group_definition(topic: str, group: str):
    return GROUP_BY_ID[(topic, group)]
