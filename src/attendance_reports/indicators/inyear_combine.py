"""An area's all-schools in-year figure: DfE's published total, or the phases combined the way
the same release (file) combines them.

The rule: a published Total row is DfE's figure and is used as published (its rate columns,
``overall_absence_perc`` …), never recomputed. Where an area has no Total row (LAs in most
releases), its primary, secondary and special figures are combined by the method that
reproduces *that file's own* published national and regional Totals. Two methods are tested:

- ``enrolment-weighted``: the phase rates weighted by ``total_enrolments`` (DfE's in-year
  releases 2022/23–2024/25 do this: England 2023/24 7.2108 % published, 7.1851 % by sessions);
- ``sessions-ratio``: the phases' sessions ÷ their possible sessions (a ratio of sums).

A method *reproduces* a file when it gives every published Total cell of the file (every
national and regional area, period and session-rate indicator) at the cell's published
precision (its decimals as written). Persistent absence counts pupils, not sessions, so only
enrolment weighting is tested for it, against the file's own persistent-absence totals. When
no method reproduces the totals (or both do, so the file cannot tell them apart, or the file
has no totals or no counts to combine), no all-schools figure is published for areas without
a Total row: the row says ``none`` and the reason is in ``ReleaseMethod.reason``.

Pure functions of the in-year rate rows (``indicators.inyear``).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass

import numpy as np
import pandas as pd

from attendance_reports.symbols import CODE, OK_CODE

#: phases combined into an area's "all schools" figure (never a published Total row as well)
COMBINED_PHASES = ("primary", "secondary", "special")
KEY = ["kind", "academic_year", "period", "week", "date", "geographic_level", "code"]
CANDIDATES = ("enrolment-weighted", "sessions-ratio")

#: method id -> what a page, CSV or JSON says about a figure made that way
METHOD_TEXT: dict[str, str] = {
    "counts": "DfE's figure for the phase",
    "published": "DfE's published figure",
    "published-total": "DfE's published total",
    "enrolment-weighted": "phases combined as DfE's release does: weighted by total enrolments",
    "sessions-ratio": "phases combined as DfE's release does: sessions ratio",
    "counts-summed": "phases' counts summed",
    "none": "no all-schools figure",
}
PARTIAL = "-partial"  # suffix: a phase's figure is suppressed and left out

NO_TOTALS = "the file publishes no all-schools totals to test a method of combining phases against"
NEITHER = (
    "neither enrolment weighting nor the sessions ratio reproduces the file's own published "
    "all-schools totals"
)
BOTH = (
    "the file's published totals do not tell enrolment weighting and the sessions ratio apart "
    "at their published precision"
)
RATES_ONLY = (
    "the file gives rates only, with no pupil or session counts to combine the phases by "
    "DfE's method"
)
#: a method in a reason ("… does not reproduce …") and what a file must give for it
CANDIDATE_WORDS = {
    "enrolment-weighted": "enrolment weighting",
    "sessions-ratio": "the sessions ratio",
}
NEEDS = {"enrolment-weighted": "total enrolments", "sessions-ratio": "session counts"}
PUPILS_NO_COUNTS = (
    "the file gives no pupil counts or total enrolments to combine the phases' persistent "
    "absence by"
)
PUPILS_NOT_WEIGHTED = (
    "enrolment weighting does not reproduce the file's own persistent-absence totals, and "
    "the file gives no pupil counts to combine the phases otherwise"
)


def method_text(method: str) -> str:
    """The words for a method id (``…-partial``: a suppressed phase was left out)."""
    if method.endswith(PARTIAL):
        base = method.removesuffix(PARTIAL)
        return f"{METHOD_TEXT[base]}, of the phases with a published figure"
    return METHOD_TEXT.get(method, method)


@dataclass(frozen=True)
class ReleaseMethod:
    """How one file's (release's) phases are combined where it has no Total row."""

    source: str
    sessions: str  # for session rates: 'enrolment-weighted', 'sessions-ratio' or 'none'
    pupils: str  # for persistent absence: 'enrolment-weighted' or 'none'
    tested: int = 0  # published Total cells compared
    reason: str = ""  # why sessions is 'none'
    pupils_reason: str = ""  # why pupils is 'none'

    def for_indicator(self, pupils: bool) -> tuple[str, str]:
        """(method, reason) for a session-rate indicator or persistent absence."""
        return (self.pupils, self.pupils_reason) if pupils else (self.sessions, self.reason)


def published_decimals(values: np.ndarray) -> np.ndarray:
    """The decimals each published value was written with (from the shortest repr of the
    float read, trailing zeros dropped: '94.80615945' -> 8, '4.20E-05' -> 6, '18.70' -> 1,
    '7' -> 0)."""
    out = np.zeros(len(values), dtype="int64")
    for i, v in enumerate(values):
        if np.isfinite(v):
            exponent = decimal.Decimal(repr(float(v))).normalize().as_tuple().exponent
            out[i] = max(0, -int(exponent))
    return out


def agrees(candidate: np.ndarray, published: np.ndarray) -> np.ndarray:
    """Whether each candidate equals the published value at its published precision."""
    tolerance = 0.5 * 10.0 ** (-published_decimals(published).astype("float64"))
    with np.errstate(invalid="ignore"):
        return np.abs(candidate - published) <= tolerance * (1 + 1e-9) + 1e-12


def candidates(rates: pd.DataFrame, key: list[str] = KEY) -> pd.DataFrame:
    """Every area's phases combined both ways, per (KEY, indicator): ``enrolment-weighted``,
    ``sessions-ratio`` (NaN for persistent absence, and where counts are missing), with the
    numerators and denominators, ``n_ok`` (phases with a usable figure), ``n`` (phases) and
    ``first_bad`` (the status of an unusable phase)."""
    phases = rates[rates["phase"].isin(COMBINED_PHASES).to_numpy()]
    value = phases["value"].to_numpy(dtype="float64")
    weight = phases["weight"].to_numpy(dtype="float64")
    num = phases["numerator"].to_numpy(dtype="float64")
    den = phases["denominator"].to_numpy(dtype="float64")
    ok = phases["status"].to_numpy() == OK_CODE
    weighted = ok & np.isfinite(weight) & (phases["weight_status"].to_numpy() == OK_CODE)
    counted = ok & np.isfinite(num) & np.isfinite(den)
    frame = phases[[*key, "source", "name", "indicator"]].copy()
    frame["wx"] = np.where(weighted, value * weight, 0.0)
    frame["w"] = np.where(weighted, weight, 0.0)
    frame["sx"] = np.where(counted, num, 0.0)
    frame["s"] = np.where(counted, den, 0.0)
    frame["n_w"] = weighted.astype("int64")
    frame["n_s"] = counted.astype("int64")
    frame["n_ok"] = ok.astype("int64")
    frame["first_bad"] = np.where(ok, 0, phases["status"].to_numpy()).astype("int64")
    frame["n_unpublished"] = (phases["status"].to_numpy() == CODE["not-published"]).astype("int64")
    grouped = (
        frame.groupby([*key, "indicator"], sort=False, observed=True, dropna=False)
        .agg(
            source=("source", "first"),
            name=("name", "first"),
            wx=("wx", "sum"),
            w=("w", "sum"),
            sx=("sx", "sum"),
            s=("s", "sum"),
            n_w=("n_w", "sum"),
            n_s=("n_s", "sum"),
            n_ok=("n_ok", "sum"),
            n=("n_ok", "size"),
            first_bad=("first_bad", "max"),
            n_unpublished=("n_unpublished", "sum"),
        )
        .reset_index()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        grouped["enrolment-weighted"] = np.where(
            (grouped["n_w"] > 0) & (grouped["n_w"] == grouped["n_ok"]),
            grouped["wx"] / grouped["w"],
            np.nan,
        )
        grouped["sessions-ratio"] = np.where(
            (grouped["n_s"] > 0) & (grouped["n_s"] == grouped["n_ok"]),
            grouped["sx"] / grouped["s"] * 100,
            np.nan,
        )
    return grouped


def release_methods(
    rates: pd.DataFrame, combined: pd.DataFrame, pupil_ids: frozenset[str], key: list[str] = KEY
) -> dict[str, ReleaseMethod]:
    """Each file's method: the candidate that reproduces every published national and regional
    Total cell of the file at its published precision (``rates``: the rate rows, published
    Totals with method 'published-total'; ``combined``: ``candidates(rates)``)."""
    totals = rates[
        (rates["method"] == "published-total").to_numpy()
        & rates["geographic_level"].isin(["national", "regional"]).to_numpy()
        & (rates["status"].to_numpy() == OK_CODE)
    ]
    full = combined[(combined["n_ok"] == combined["n"]).to_numpy()]
    merged = totals[[*key, "indicator", "value", "source"]].merge(
        full.drop(columns=["source", "name"]), on=[*key, "indicator"], how="inner"
    )
    pupils = merged["indicator"].isin(list(pupil_ids)).to_numpy()
    published = merged["value"].to_numpy(dtype="float64")
    match = {m: agrees(merged[m].to_numpy(dtype="float64"), published) for m in CANDIDATES}
    out: dict[str, ReleaseMethod] = {}
    usable = {m: np.isfinite(merged[m].to_numpy(dtype="float64")) for m in CANDIDATES}
    counted = _counted_sources(rates)
    for source in pd.unique(rates["source"]):
        mine = (merged["source"] == source).to_numpy()
        sessions, reason = _pick(match, usable, mine & ~pupils, CANDIDATES)
        people, people_reason = _pick(match, usable, mine & pupils, ("enrolment-weighted",))
        if people == "none" and people_reason == NEITHER:
            people_reason = PUPILS_NOT_WEIGHTED
        if people == "none" and people_reason == RATES_ONLY:
            people_reason = PUPILS_NO_COUNTS
        if people == "none" and people_reason == NO_TOTALS and sessions == "enrolment-weighted":
            people, people_reason = sessions, ""  # no PA totals: the release's method
        tested = int(mine.sum())
        if str(source) not in counted:
            sessions = people = "none"
            reason = people_reason = RATES_ONLY
            tested = 0
        out[str(source)] = ReleaseMethod(
            str(source), sessions, people, tested, reason, people_reason
        )
    return out


def _counted_sources(rates: pd.DataFrame) -> set[str]:
    """The files that give a count or weight to combine phases by (the others: rates only)."""
    counted = np.isfinite(rates["weight"].to_numpy(dtype="float64")) | np.isfinite(
        rates["denominator"].to_numpy(dtype="float64")
    )
    return {str(s) for s in pd.unique(rates["source"].to_numpy()[counted])}


def _pick(
    match: dict[str, np.ndarray],
    usable: dict[str, np.ndarray],
    cells: np.ndarray,
    methods: tuple[str, ...],
) -> tuple[str, str]:
    """(method, reason) from the cells a file has: the one method matching all of them (a
    method the file gives nothing to compute by is not a candidate)."""
    if not cells.any():
        return "none", NO_TOTALS
    possible = [m for m in methods if usable[m][cells].all()]
    good = [m for m in possible if match[m][cells].all()]
    if len(good) == 1:
        return good[0], ""
    if good:
        return "none", BOTH
    if not possible:
        return "none", RATES_ONLY
    missing = [m for m in methods if m not in possible]
    return "none", (
        NEITHER
        if not missing
        else f"{CANDIDATE_WORDS[possible[0]]} does not reproduce the file's own published "
        f"all-schools totals, and the file gives no {NEEDS[missing[0]]} for "
        f"{CANDIDATE_WORDS[missing[0]]}"
    )


def combine(
    rates: pd.DataFrame,
    methods: dict[str, ReleaseMethod],
    pupil_ids: frozenset[str],
    key: list[str] = KEY,
    combined: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The all-schools rows of areas without a published Total row for an indicator: the
    phases combined by their file's method (``none``: no value, status 'not-available').
    ``combined``: ``candidates(rates, key)`` when already made."""
    combined = candidates(rates, key) if combined is None else combined
    have = rates[(rates["phase"] == "total").to_numpy()][[*key, "indicator"]]
    combined = combined.merge(have.assign(_published=True), on=[*key, "indicator"], how="left")
    combined = combined[combined["_published"].isna().to_numpy()].drop(columns="_published")
    # a measure the file does not publish for any phase: nothing to combine, no row
    combined = combined[(combined["n_unpublished"] < combined["n"]).to_numpy()]
    if not len(combined):
        return combined
    pupils = combined["indicator"].isin(list(pupil_ids)).to_numpy()
    chosen = np.array(
        [
            methods[str(s)].for_indicator(bool(p))[0]
            for s, p in zip(combined["source"].to_numpy(), pupils, strict=True)
        ],
        dtype=object,
    )
    value = np.full(len(combined), np.nan)
    num = np.full(len(combined), np.nan)
    den = np.full(len(combined), np.nan)
    for m, (n_col, d_col) in (("enrolment-weighted", ("wx", "w")), ("sessions-ratio", ("sx", "s"))):
        pick = chosen == m
        value[pick] = combined[m].to_numpy(dtype="float64")[pick]
        num[pick] = combined[n_col].to_numpy(dtype="float64")[pick]
        den[pick] = combined[d_col].to_numpy(dtype="float64")[pick]
    n_ok, n = combined["n_ok"].to_numpy(), combined["n"].to_numpy()
    ok = np.isfinite(value) & (n_ok > 0)
    status = np.where(ok, OK_CODE, combined["first_bad"].to_numpy()).astype("int8")
    status = np.where(~ok & (status == OK_CODE), CODE["not-available"], status)
    status = np.where(chosen == "none", CODE["not-available"], status).astype("int8")
    method = np.where(ok & (n_ok < n), np.char.add(chosen.astype(str), PARTIAL), chosen)
    out = combined[[*key, "name", "indicator", "source"]].copy()
    out["phase"] = "total"
    out["value"] = np.where(ok, value, np.nan)
    out["numerator"] = np.where(ok, num, np.nan)
    out["denominator"] = np.where(ok, den, np.nan)
    out["status"] = status
    out["method"] = method.astype(object)
    out["published"] = False
    return out
