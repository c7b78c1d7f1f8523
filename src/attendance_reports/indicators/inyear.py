"""In-year attendance indicators: pure functions of the tidy in-year frame (inyear.py).

Every rate is ``sessions ÷ possible_sessions × 100`` of one row, in float64, unrounded. An
area's "all schools" figure is combined from its phase rows the way DfE combines them in these
statistics: the phase rates weighted by ``total_enrolments`` (all pupils in the area), which
reproduces every published national and regional Total row exactly; a Total row the file
publishes is never added to its phases. Persistent absence to date is DfE's published
``pa_perc`` (no counts are published with it); the persistent-absence exports give counts,
``pa_flag ÷ enrolments × 100``.

The ids all start ``inyear_``: this is a different source from the school census, and its
figures are never put in one series with census figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attendance_reports.symbols import CODE, OK_CODE, STATUSES


@dataclass(frozen=True)
class InYearIndicator:
    id: str
    label: str
    columns: tuple[str, ...]  # numerator: the first of these columns the file has
    definition: str
    reason: bool = False  # a reason (register code) rate


def _reason(id_: str, label: str, columns: tuple[str, ...], code: str) -> InYearIndicator:
    return InYearIndicator(
        f"inyear_reason_{id_}_rate",
        label,
        columns,
        f"Sessions recorded with code {code} ÷ possible sessions × 100.",
        True,
    )


INDICATORS: tuple[InYearIndicator, ...] = (
    InYearIndicator(
        "inyear_attendance_rate",
        "Attendance rate",
        ("overall_attendance",),
        "Sessions attended (present or approved educational activity) ÷ possible sessions × 100.",
    ),
    InYearIndicator(
        "inyear_overall_absence_rate",
        "Overall absence rate",
        ("overall_absence",),
        "Sessions missed ÷ possible sessions × 100.",
    ),
    InYearIndicator(
        "inyear_authorised_absence_rate",
        "Authorised absence rate",
        ("authorised_absence",),
        "Authorised absence sessions ÷ possible sessions × 100.",
    ),
    InYearIndicator(
        "inyear_unauthorised_absence_rate",
        "Unauthorised absence rate",
        ("unauthorised_absence",),
        "Unauthorised absence sessions ÷ possible sessions × 100.",
    ),
    _reason("illness", "Illness", ("reason_i_authorised_illness",), "I"),
    _reason(
        "medical_appointments",
        "Medical or dental appointments",
        ("reason_m_authorised_medical_dental",),
        "M",
    ),
    _reason(
        "religious_observance",
        "Religious observance",
        ("reason_r_authorised_religious_observance",),
        "R",
    ),
    _reason("study_leave", "Study leave", ("reason_s_authorised_study_leave",), "S"),
    _reason(
        "traveller",
        "Traveller absence (code T before August 2024)",
        ("reason_t_authorised_grt_absence",),
        "T (2022/23–2023/24)",
    ),
    _reason(
        "mobile_child",
        "Parent travelling for work (code T from August 2024)",
        ("reason_t_authorised_mobile_child",),
        "T (from 2024/25)",
    ),
    _reason("authorised_holiday", "Authorised holiday", ("reason_h_authorised_holiday",), "H"),
    _reason(
        "excluded", "Excluded, no alternative provision", ("reason_e_authorised_excluded",), "E"
    ),
    _reason(
        "regulated_performance",
        "Regulated performance or employment abroad",
        ("reason_c1_authorised_regulated_performance",),
        "C1",
    ),
    _reason("interview", "Interview", ("reason_j1_authorised_interview",), "J1"),
    _reason(
        "reduced_timetable",
        "Temporarily reduced timetable",
        ("reason_c2_authorised_temp_reduced_timetable",),
        "C2",
    ),
    _reason("authorised_other", "Other authorised", ("reason_c_authorised_other",), "C"),
    _reason(
        "unauthorised_holiday", "Unauthorised holiday", ("reason_g_unauthorised_holiday",), "G"
    ),
    _reason(
        "late",
        "Late after registers closed",
        ("reason_u_unauthorised_late_after_registers_closed",),
        "U",
    ),
    _reason("unauthorised_other", "Other unauthorised", ("reason_o_other_unauthorised",), "O"),
    _reason("no_reason_yet", "No reason yet", ("reason_n_no_reason_yet",), "N"),
)
PERSISTENT = InYearIndicator(
    "inyear_persistent_absence_rate",
    "Persistent absence rate to date (10% or more)",
    ("pa_perc",),
    "Pupils who missed 10% or more of their possible sessions so far this year ÷ pupils × 100 "
    "(DfE's published pa_perc; from a persistent-absence export, pa_flag ÷ enrolments × 100).",
)
REGISTRY: dict[str, InYearIndicator] = {i.id: i for i in (*INDICATORS, PERSISTENT)}

#: phases combined into an area's "all schools" figure (never a published Total row as well)
COMBINED_PHASES = ("primary", "secondary", "special")
KEY = ["kind", "academic_year", "period", "week", "date", "geographic_level", "code"]
COLUMNS = (
    *KEY,
    "name",
    "phase",
    "indicator",
    "value",
    "numerator",
    "denominator",
    "status",
    "method",
)
#: how a value was made
METHODS = ("counts", "published", "phase-weighted", "phase-weighted-partial")


def _status(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Status codes of a measure; rows from a file without the column are 'not-published'."""
    name = f"{column}__status"
    if name not in frame.columns:
        return np.full(len(frame), CODE["not-published"], dtype="int8")
    codes = frame[name].to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(codes), CODE["not-published"], codes).astype("int8")


def _rates(frame: pd.DataFrame) -> list[pd.DataFrame]:
    """Each phase row's rates (counts ÷ possible sessions), and the published PA rate."""
    out = []
    base = frame[[*KEY, "name", "phase"]].reset_index(drop=True)
    rows = frame.reset_index(drop=True)
    den = rows["possible_sessions"].to_numpy(dtype="float64")
    den_status = _status(rows, "possible_sessions")
    for spec in INDICATORS:
        column = next((c for c in spec.columns if c in rows.columns), None)
        if column is None:
            continue  # the release does not have this code: no rows, the page says so
        num = rows[column].to_numpy(dtype="float64")
        status = np.where(den_status != OK_CODE, den_status, _status(rows, column))
        with np.errstate(divide="ignore", invalid="ignore"):
            value = num / den * 100
        status = np.where((status == OK_CODE) & (den == 0), CODE["zero-denominator"], status)
        value = np.where(status == OK_CODE, value, np.nan)
        part = base.copy()
        part["indicator"] = spec.id
        part["value"], part["numerator"], part["denominator"] = value, num, den
        part["status"], part["method"] = status, "counts"
        out.append(part)
    if "pa_perc" in rows.columns:
        part = base.copy()
        part["indicator"] = PERSISTENT.id
        part["value"] = rows["pa_perc"].to_numpy(dtype="float64")
        part["numerator"] = part["denominator"] = np.nan
        part["status"], part["method"] = _status(rows, "pa_perc"), "published"
        out.append(part)
    return out


def _weighted(rates: pd.DataFrame, weights: pd.DataFrame) -> pd.DataFrame:
    """An area's all-schools figure: phase rates weighted by total_enrolments (DfE's way)."""
    phases = rates[rates["phase"].isin(COMBINED_PHASES).to_numpy()]
    merged = phases.merge(weights, on=[*KEY, "phase"], how="left")
    w = merged["weight"].to_numpy(dtype="float64")
    usable = (merged["status"].to_numpy() == OK_CODE) & np.isfinite(w) & (merged["ws"] == OK_CODE)
    merged["wx"] = np.where(usable, merged["value"].to_numpy() * w, 0.0)
    merged["w"] = np.where(usable, w, 0.0)
    merged["n_ok"] = usable.astype("int64")
    merged["first_bad"] = np.where(usable, 0, merged["status"].to_numpy())
    grouped = merged.groupby([*KEY, "indicator"], sort=False, observed=True, dropna=False).agg(
        name=("name", "first"),
        wx=("wx", "sum"),
        w=("w", "sum"),
        n_ok=("n_ok", "sum"),
        n=("n_ok", "size"),
        first_bad=("first_bad", "max"),
    )
    grouped = grouped.reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        value = grouped["wx"].to_numpy() / grouped["w"].to_numpy()
    ok = grouped["n_ok"].to_numpy() > 0
    status = np.where(ok, OK_CODE, grouped["first_bad"].to_numpy()).astype("int8")
    status = np.where(~ok & (status == OK_CODE), CODE["not-available"], status)
    out = grouped[[*KEY, "name", "indicator"]].copy()
    out["phase"] = "total"
    out["value"] = np.where(ok, value, np.nan)
    out["numerator"] = np.where(ok, grouped["wx"].to_numpy(), np.nan)
    out["denominator"] = np.where(ok, grouped["w"].to_numpy(), np.nan)
    out["status"] = status
    partial = grouped["n_ok"].to_numpy() < grouped["n"].to_numpy()
    out["method"] = np.where(partial & ok, "phase-weighted-partial", "phase-weighted")
    return out


def _pa_export(frame: pd.DataFrame) -> pd.DataFrame:
    """Persistent absence from an export's counts: pa_flag ÷ enrolments × 100 (phases summed
    for an area's all-schools figure: primary, secondary and special, as DfE publishes)."""
    rows = frame.reset_index(drop=True)
    parts = []
    for phase_rows, phase in ((rows, None), (rows[rows["phase"].isin(COMBINED_PHASES)], "total")):
        if phase is None:
            g = phase_rows[[*KEY, "name", "phase", "pa_flag", "enrolments"]]
        else:
            g = (
                phase_rows.groupby(KEY, sort=False, observed=True, dropna=False)
                .agg(
                    name=("name", "first"),
                    pa_flag=("pa_flag", "sum"),
                    enrolments=("enrolments", "sum"),
                )
                .reset_index()
            )
            g["phase"] = "total"
        num, den = g["pa_flag"].to_numpy(dtype="float64"), g["enrolments"].to_numpy(dtype="float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            value = num / den * 100
        part = g[[*KEY, "name", "phase"]].copy()
        part["indicator"] = PERSISTENT.id
        part["value"], part["numerator"], part["denominator"] = value, num, den
        part["status"] = np.where(den > 0, OK_CODE, CODE["zero-denominator"]).astype("int8")
        part["method"] = "counts"
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def inyear_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The in-year indicator table (COLUMNS): every row's rates, and each area's all-schools
    figure combined from its phases. ``status`` is the token ('ok', 'suppressed', …)."""
    if frame is None or not len(frame):
        return pd.DataFrame(columns=list(COLUMNS))
    frame = frame.copy()
    frame["week"] = frame["week"].astype("int64")
    parts = []
    export = frame[(frame["kind"] == "pa-export").to_numpy()]
    files = frame[(frame["kind"] != "pa-export").to_numpy()]
    if len(files):
        rates = pd.concat(_rates(files), ignore_index=True)
        weights = files[[*KEY, "phase"]].copy()
        weights["weight"] = files["total_enrolments"].to_numpy(dtype="float64")
        weights["ws"] = _status(files, "total_enrolments")
        combined = _weighted(rates, weights)
        # areas with phase rows get the combined figure; a published Total row is used only
        # where the file has no phases for that area (never both: no double counting)
        phase_rows = rates[rates["phase"] != "total"]
        totals = rates[rates["phase"] == "total"]
        have = combined[[*KEY]].drop_duplicates()
        totals = totals.merge(have, on=KEY, how="left", indicator=True)
        totals = totals[totals["_merge"] == "left_only"].drop(columns="_merge")
        parts += [phase_rows, combined, totals]
    if len(export):
        parts.append(_pa_export(export))
    table = pd.concat(parts, ignore_index=True)
    # a register code the file does not have gives no row (pages say "not published")
    table = table[table["status"].to_numpy() != CODE["not-published"]]
    table["status"] = np.asarray(STATUSES, dtype=object)[table["status"].to_numpy(dtype="int64")]
    table = table.sort_values([*KEY, "phase", "indicator"], kind="stable").reset_index(drop=True)
    return table[list(COLUMNS)]


def group_mean(values: dict[str, tuple[float, str]], codes: list[str]) -> tuple[float, int, int]:
    """Mean of some areas' unrounded values (as LAIT averages statistical neighbours):
    (mean, areas with a value, areas in the group). NaN when none has a value."""
    present = [values[c][0] for c in codes if c in values and values[c][1] == "ok"]
    if not present:
        return float("nan"), 0, len(codes)
    return float(np.mean(present)), len(present), len(codes)
