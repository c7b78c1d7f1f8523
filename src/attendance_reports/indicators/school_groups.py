"""Groups of schools: academy trusts and the schools a school is compared with. Pure functions,
ratios of sums of the schools' counts (never averages of their rates).

- ``trust_rows``: the tidy school rows of each trust's member schools summed to one row per
  trust, year and phase (and all phases): ``indicators.table`` then computes every indicator
  from them as for any area (geographic level ``trust``).
- ``at_or_better``: how many of a trust's schools had an overall (or persistent) absence rate
  at or below England's rate for the school's phase, each year. Rates are compared unrounded.
- ``local_groups``: each school's local comparison group: the schools of the same phase in its
  district, or in its LA where the district has fewer than ``min_size`` such schools.
- ``similar_schools``: each school's ``k`` most similar schools of the same phase in England:
  the nearest by FSM % and size (number of enrolments, on a log scale), each measured in
  standard deviations across the schools of that phase (Euclidean distance; ties by URN).
- ``group_sums`` / ``position``: a group's summed counts, and how many members had higher or
  lower absence than a school.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.aggregate import aggregate
from attendance_reports.sources.absence_frame import with_categories

#: the keys a trust row is summed over (besides the trust)
TRUST_KEYS = [
    "time_period",
    "time_identifier",
    "period",
    "phase",
    "phase_label",
    "breakdown",
    "breakdown_label",
]


def trust_rows(schools: pd.DataFrame, membership: pd.Series, names: pd.Series) -> pd.DataFrame:
    """Tidy school rows -> one row per trust, year and phase, and one for all its phases
    (``phase`` 'total'). ``membership``: URN -> trust id; ``names``: trust id -> name. Only the
    rows of member URNs are summed: a school counts in every year it has rows under that URN."""
    rows = schools[schools["code"].astype(str).isin(membership.index)]
    if rows.empty:
        return rows.iloc[0:0]
    rows = rows.assign(trust=membership.reindex(rows["code"].astype(str)).to_numpy())
    by_phase = aggregate(rows, ["trust", *TRUST_KEYS], geographic_level="trust")
    total_keys = [k for k in TRUST_KEYS if k not in ("phase", "phase_label")]
    total = aggregate(
        rows, ["trust", *total_keys], geographic_level="trust", phase="total", phase_label="Total"
    )
    out = pd.concat([by_phase, total], ignore_index=True)  # num_schools is summed too
    out["code"] = out["trust"].astype(str)
    out["name"] = names.reindex(out["code"]).fillna("").to_numpy()
    for column in ("urn", "laestab", "old_la_code", "new_la_code", "la_name", "region_code"):
        out[column] = ""
    out["source"] = "sum of the trust's schools"
    out["line"] = 0
    return with_categories(out.drop(columns="trust"))


def at_or_better(
    school_rates: pd.DataFrame, england: dict[tuple[str, str], float], membership: pd.Series
) -> pd.DataFrame:
    """For each trust, year and phase (and 'total'): member schools with a rate, and how many
    were at or below England's rate for their phase (lower absence is better).

    ``school_rates``: code, time_period, phase, value, status (one indicator); ``england``:
    (time_period, phase) -> England's unrounded rate."""
    rows = school_rates[school_rates["code"].astype(str).isin(membership.index)]
    rows = rows[(rows["status"].astype(str) == "ok").to_numpy()]
    if rows.empty:
        return pd.DataFrame(columns=["trust", "time_period", "phase", "schools", "at_or_better"])
    benchmark = np.array(
        [
            england.get((y, p), np.nan)
            for y, p in zip(rows["time_period"].astype(str), rows["phase"].astype(str), strict=True)
        ]
    )
    frame = pd.DataFrame(
        {
            "trust": membership.reindex(rows["code"].astype(str)).to_numpy(),
            "time_period": rows["time_period"].astype(str).to_numpy(),
            "phase": rows["phase"].astype(str).to_numpy(),
            "schools": 1,
            "at_or_better": (rows["value"].to_numpy() <= benchmark).astype(int),
            "compared": (~np.isnan(benchmark)).astype(int),
        }
    )
    by_phase = frame.groupby(["trust", "time_period", "phase"], as_index=False)[
        ["schools", "at_or_better", "compared"]
    ].sum()
    total = frame.groupby(["trust", "time_period"], as_index=False)[
        ["schools", "at_or_better", "compared"]
    ].sum()
    total["phase"] = "total"
    return pd.concat([by_phase, total], ignore_index=True)


def local_groups(
    schools: pd.DataFrame, min_size: int = 6
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each school's local group (``schools``: urn index, phase, district_code, district,
    la_code, la_name): (group key, kind 'district' or 'la', place name), indexed by URN. A
    district with fewer than ``min_size`` schools of the phase (this school included) gives way
    to the LA."""
    district = schools["district_code"].astype(str)
    size = schools.groupby([district, schools["phase"]]).transform("size")
    size = size.iloc[:, 0] if isinstance(size, pd.DataFrame) else size
    use_district = (district != "") & (size >= min_size)
    key = np.where(
        use_district,
        "district:" + district + ":" + schools["phase"].astype(str),
        "la:" + schools["la_code"].astype(str) + ":" + schools["phase"].astype(str),
    )
    kind = np.where(use_district, "district", "la")
    place = np.where(use_district, schools["district"].astype(str), schools["la_name"].astype(str))
    index = schools.index
    return pd.Series(key, index), pd.Series(kind, index), pd.Series(place, index)


def similar_schools(schools: pd.DataFrame, k: int = 10) -> dict[str, tuple[str, ...]]:
    """Each school's ``k`` most similar schools of the same phase (``schools``: urn index,
    phase, fsm_percent, enrolments): nearest by FSM % and log enrolments, each in standard
    deviations across the phase's schools. Schools without an FSM % or enrolments have none."""
    out: dict[str, tuple[str, ...]] = {}
    usable = schools[schools["fsm_percent"].notna() & (schools["enrolments"] > 0)]
    for _, group in usable.groupby("phase", sort=True):
        if len(group) < 2:
            continue
        group = group.sort_index()
        fsm = group["fsm_percent"].to_numpy(dtype="float64")
        size = np.log(group["enrolments"].to_numpy(dtype="float64"))
        points = np.column_stack(
            [(x - x.mean()) / (x.std() if x.std() > 0 else 1.0) for x in (fsm, size)]
        )
        urns = np.array([str(u) for u in group.index], dtype=object)
        take = min(k, len(group) - 1)
        from scipy.spatial import cKDTree  # scipy comes with plotnine

        # the take nearest besides the school itself, and one more to see ties at the edge
        distance, nearest = cKDTree(points).query(points, k=min(take + 2, len(group)))
        for row in range(len(group)):
            keep = nearest[row] != row
            mine, edge = nearest[row][keep][:take], distance[row][keep]
            if len(edge) > take and edge[take] <= edge[take - 1] * (1 + 1e-9):
                # an equal distance at the edge: the lower URNs, exactly
                every = ((points - points[row]) ** 2).sum(axis=1)
                every[row] = np.inf
                mine = np.argsort(every, kind="stable")[:take]
            else:
                mine = mine[np.lexsort((mine, np.round(edge[:take], 12)))]
            out[str(urns[row])] = tuple(urns[mine].tolist())
    return out


#: the counts a comparison group sums, in this order
SUMMED = ("sess_overall", "sess_possible", "enrolments_pa_10_exact", "enrolments")


def group_sums(
    counts: list[np.ndarray], members: np.ndarray
) -> tuple[float, float, float, float, int]:
    """(overall absence sessions, possible sessions, persistent absentees, enrolments, schools)
    summed over the ``members`` (positions into the arrays of ``SUMMED`` counts). A missing
    count makes its sum missing (NaN)."""
    sums = [float(c[members].sum()) if len(members) else float("nan") for c in counts]
    return (*sums, len(members))


def position(rate: float, others: np.ndarray) -> tuple[int, int, int]:
    """(others with higher absence, with the same, with lower) than ``rate`` (unrounded;
    missing rates are left out)."""
    others = others[~np.isnan(others)]
    return (
        int((others > rate).sum()),
        int((others == rate).sum()),
        int((others < rate).sum()),
    )
