"""In-year attendance indicators: pure functions of the tidy in-year frame (inyear.py).

Every phase rate is ``sessions ÷ possible_sessions × 100`` of one row, in float64, unrounded.
An area's "all schools" figure is DfE's published Total row where the file has one (its rate
columns, as published); elsewhere the phases are combined by the method that reproduces the
same file's own published Totals (``indicators/inyear_combine.py``: enrolment weighting or the
sessions ratio, or none). Persistent absence to date is DfE's published ``pa_perc`` (no counts
are published with it); the persistent-absence exports give counts,
``pa_flag ÷ enrolments × 100``. Each row says how it was made (``method``) and whether it is
DfE's own figure (``published``).

The ids all start ``inyear_``: this is a different source from the school census, and its
figures are never put in one series with census figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attendance_reports.indicators.inyear_combine import (
    COMBINED_PHASES,
    KEY,
    METHOD_TEXT,
    ReleaseMethod,
    candidates,
    combine,
    release_methods,
)
from attendance_reports.symbols import CODE, OK_CODE, STATUSES


@dataclass(frozen=True)
class InYearIndicator:
    id: str
    label: str
    columns: tuple[str, ...]  # numerator: the first of these columns the file has
    definition: str
    reason: bool = False  # a reason (register code) rate
    published: tuple[str, ...] = ()  # the rate column a Total row publishes it in


def _reason(
    id_: str, label: str, columns: tuple[str, ...], code: str, published: str
) -> InYearIndicator:
    return InYearIndicator(
        f"inyear_reason_{id_}_rate",
        label,
        columns,
        f"Sessions recorded with code {code} ÷ possible sessions × 100.",
        True,
        (published,),
    )


INDICATORS: tuple[InYearIndicator, ...] = (
    InYearIndicator(
        "inyear_attendance_rate",
        "Attendance rate",
        ("overall_attendance",),
        "Sessions attended (present or approved educational activity) ÷ possible sessions × 100.",
        published=("attendance_perc",),
    ),
    InYearIndicator(
        "inyear_overall_absence_rate",
        "Overall absence rate",
        ("overall_absence",),
        "Sessions missed ÷ possible sessions × 100.",
        published=("overall_absence_perc",),
    ),
    InYearIndicator(
        "inyear_authorised_absence_rate",
        "Authorised absence rate",
        ("authorised_absence",),
        "Authorised absence sessions ÷ possible sessions × 100.",
        published=("authorised_absence_perc",),
    ),
    InYearIndicator(
        "inyear_unauthorised_absence_rate",
        "Unauthorised absence rate",
        ("unauthorised_absence",),
        "Unauthorised absence sessions ÷ possible sessions × 100.",
        published=("unauthorised_absence_perc",),
    ),
    _reason("illness", "Illness", ("reason_i_authorised_illness",), "I", "illness_perc"),
    _reason(
        "medical_appointments",
        "Medical or dental appointments",
        ("reason_m_authorised_medical_dental",),
        "M",
        "appointments_perc",
    ),
    _reason(
        "religious_observance",
        "Religious observance",
        ("reason_r_authorised_religious_observance",),
        "R",
        "auth_religious_perc",
    ),
    _reason(
        "study_leave", "Study leave", ("reason_s_authorised_study_leave",), "S", "auth_study_perc"
    ),
    _reason(
        "traveller",
        "Traveller absence (code T before August 2024)",
        ("reason_t_authorised_grt_absence",),
        "T (2022/23–2023/24)",
        "auth_grt_perc",
    ),
    _reason(
        "mobile_child",
        "Parent travelling for work (code T from August 2024)",
        ("reason_t_authorised_mobile_child",),
        "T (from 2024/25)",
        "auth_mob_perc",
    ),
    _reason(
        "authorised_holiday",
        "Authorised holiday",
        ("reason_h_authorised_holiday",),
        "H",
        "auth_holiday_perc",
    ),
    _reason(
        "excluded",
        "Excluded, no alternative provision",
        ("reason_e_authorised_excluded",),
        "E",
        "auth_excluded_perc",
    ),
    _reason(
        "regulated_performance",
        "Regulated performance or employment abroad",
        ("reason_c1_authorised_regulated_performance",),
        "C1",
        "auth_performance_perc",
    ),
    _reason(
        "interview", "Interview", ("reason_j1_authorised_interview",), "J1", "auth_interview_perc"
    ),
    _reason(
        "reduced_timetable",
        "Temporarily reduced timetable",
        ("reason_c2_authorised_temp_reduced_timetable",),
        "C2",
        "auth_part_time_perc",
    ),
    _reason(
        "authorised_other",
        "Other authorised",
        ("reason_c_authorised_other",),
        "C",
        "auth_other_perc",
    ),
    _reason(
        "unauthorised_holiday",
        "Unauthorised holiday",
        ("reason_g_unauthorised_holiday",),
        "G",
        "unauth_hol_perc",
    ),
    _reason(
        "late",
        "Late after registers closed",
        ("reason_u_unauthorised_late_after_registers_closed",),
        "U",
        "unauth_late_registers_closed_perc",
    ),
    _reason(
        "unauthorised_other",
        "Other unauthorised",
        ("reason_o_other_unauthorised",),
        "O",
        "unauth_oth_perc",
    ),
    _reason(
        "no_reason_yet", "No reason yet", ("reason_n_no_reason_yet",), "N", "unauth_not_yet_perc"
    ),
)
PERSISTENT = InYearIndicator(
    "inyear_persistent_absence_rate",
    "Persistent absence rate to date (10% or more)",
    ("pa_perc",),
    "Pupils who missed 10% or more of their possible sessions so far this year ÷ pupils × 100 "
    "(DfE's published pa_perc; from a persistent-absence export, pa_flag ÷ enrolments × 100).",
    published=("pa_perc",),
)
REGISTRY: dict[str, InYearIndicator] = {i.id: i for i in (*INDICATORS, PERSISTENT)}
#: the text columns of KEY
TEXT_KEYS = ("kind", "academic_year", "period", "date", "geographic_level", "code")
#: indicators that count pupils, not sessions (no sessions ratio for them)
PUPIL_IDS = frozenset({PERSISTENT.id})

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
    "published",
    "source",
)
#: how a value was made (inyear_combine.METHOD_TEXT says it in words; "-partial" may follow
#: a combining method: a suppressed phase was left out)
METHODS = tuple(METHOD_TEXT)


def _status(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Status codes of a measure; rows from a file without the column are 'not-published'."""
    name = f"{column}__status"
    if name not in frame.columns:
        return np.full(len(frame), CODE["not-published"], dtype="int8")
    codes = frame[name].to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isnan(codes), CODE["not-published"], codes).astype("int8")


def _column(rows: pd.DataFrame, name: str) -> np.ndarray:
    if name not in rows.columns:
        return np.full(len(rows), np.nan)
    return rows[name].to_numpy(dtype="float64")


def row_rates(frame: pd.DataFrame, extra: tuple[str, ...] = ()) -> list[pd.DataFrame]:
    """Each row's rates: a phase row's from its counts (sessions ÷ possible sessions), a Total
    row's as published in its rate column (a Total row without that column gives no row: the
    phases are combined instead); persistent absence as published (``pa_perc``). ``extra``:
    more id columns to keep (a pupil group's topic and group)."""
    out = []
    rows = frame.reset_index(drop=True)
    base = rows[[*KEY, *extra, "name", "phase", "source"]].copy()
    base["weight"] = _column(rows, "total_enrolments")
    base["weight_status"] = _status(rows, "total_enrolments")
    total = (rows["phase"] == "total").to_numpy()
    den = _column(rows, "possible_sessions")
    den_status = _status(rows, "possible_sessions")
    for spec in (*INDICATORS, PERSISTENT):
        column = next((c for c in spec.columns if c in rows.columns), None)
        rate_column = next((c for c in spec.published if c in rows.columns), None)
        if column is None and rate_column is None:
            continue  # the release does not have this code: no rows, the page says so
        part = base.copy()
        part["indicator"] = spec.id
        if spec is PERSISTENT:
            value, num, d = _column(rows, column), np.nan, np.nan
            status = _status(rows, column)
            method = np.where(total, "published-total", "published")
        else:
            num = _column(rows, column) if column else np.full(len(rows), np.nan)
            status = np.where(den_status != OK_CODE, den_status, _status(rows, column or "_absent"))
            with np.errstate(divide="ignore", invalid="ignore"):
                value = num / den * 100
            status = np.where((status == OK_CODE) & (den == 0), CODE["zero-denominator"], status)
            d = den
            method = np.full(len(rows), "counts", dtype=object)
            if column is None:  # a file of rates only: each row's rate as published
                value, status = _column(rows, rate_column), _status(rows, rate_column)
                num = d = np.full(len(rows), np.nan)
                method = np.full(len(rows), "published", dtype=object)
            if rate_column is not None:  # a Total row: DfE's published figure, as published
                value = np.where(total, _column(rows, rate_column), value)
                status = np.where(total, _status(rows, rate_column), status)
                num = np.where(total, np.nan, num)
                d = np.where(total, np.nan, den)
                method = np.where(total, "published-total", method)
            # a Total row without the rate (its file lacks the column): the phases are
            # combined instead
            published = rate_column is not None
            keep = ~total | (
                published & (_status(rows, rate_column or "_absent") != CODE["not-published"])
            )
            if not keep.all():
                part, value, status, method = part[keep], value[keep], status[keep], method[keep]
                num = np.asarray(num)[keep]
                d = np.asarray(d)[keep]
        part["value"] = np.where(np.asarray(status) == OK_CODE, value, np.nan)
        part["numerator"], part["denominator"] = num, d
        part["status"], part["method"] = np.asarray(status, dtype="int8"), method
        part["published"] = True
        out.append(part)
    return out


def _pa_export(frame: pd.DataFrame) -> pd.DataFrame:
    """Persistent absence from an export's counts: pa_flag ÷ enrolments × 100 (phases summed
    for an area's all-schools figure: primary, secondary and special, as DfE publishes)."""
    rows = frame.reset_index(drop=True)
    parts = []
    for phase_rows, phase in ((rows, None), (rows[rows["phase"].isin(COMBINED_PHASES)], "total")):
        if phase is None:
            g = phase_rows[[*KEY, "name", "phase", "source", "pa_flag", "enrolments"]]
        else:
            g = (
                phase_rows.groupby(KEY, sort=False, observed=True, dropna=False)
                .agg(
                    name=("name", "first"),
                    source=("source", "first"),
                    pa_flag=("pa_flag", "sum"),
                    enrolments=("enrolments", "sum"),
                )
                .reset_index()
            )
            g["phase"] = "total"
        num, den = g["pa_flag"].to_numpy(dtype="float64"), g["enrolments"].to_numpy(dtype="float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            value = num / den * 100
        part = g[[*KEY, "name", "phase", "source"]].copy()
        part["indicator"] = PERSISTENT.id
        part["value"], part["numerator"], part["denominator"] = value, num, den
        part["status"] = np.where(den > 0, OK_CODE, CODE["zero-denominator"]).astype("int8")
        part["method"] = "counts" if phase is None else "counts-summed"
        part["published"] = phase is None
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def inyear_parts(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, ReleaseMethod]]:
    """The in-year indicator table (COLUMNS) and each file's method of combining phases:
    every row's rates, DfE's published Totals as published, and each area without a Total row
    combined from its phases by its file's method. ``status`` is the token ('ok', …)."""
    if frame is None or not len(frame):
        return pd.DataFrame(columns=list(COLUMNS)), {}
    frame = frame.copy()
    frame["week"] = frame["week"].astype("int64")
    for column in (*TEXT_KEYS, "name", "phase", "source"):  # fast groupby, merge and take
        frame[column] = frame[column].astype("category")
    parts = []
    methods: dict[str, ReleaseMethod] = {}
    export = frame[(frame["kind"] == "pa-export").to_numpy()]
    files = frame[(frame["kind"] != "pa-export").to_numpy()]
    if len(files):
        rates = pd.concat(row_rates(files), ignore_index=True)
        both = candidates(rates)
        methods = release_methods(rates, both, PUPIL_IDS)
        parts += [rates, combine(rates, methods, PUPIL_IDS, combined=both)]
    if len(export):
        parts.append(_pa_export(export))
    table = pd.concat([p for p in parts if len(p)], ignore_index=True)
    # a register code the file does not have gives no row (pages say "not published")
    table = table[table["status"].to_numpy() != CODE["not-published"]]
    table["status"] = np.asarray(STATUSES, dtype=object)[table["status"].to_numpy(dtype="int64")]
    table["published"] = table["published"].astype(bool)
    table = table.sort_values([*KEY, "phase", "indicator"], kind="stable").reset_index(drop=True)
    return table[list(COLUMNS)], methods


def inyear_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The in-year indicator table (COLUMNS); see ``inyear_parts``."""
    return inyear_parts(frame)[0]


def group_mean(values: dict[str, tuple[float, str]], codes: list[str]) -> tuple[float, int, int]:
    """Mean of some areas' unrounded values (as LAIT averages statistical neighbours):
    (mean, areas with a value, areas in the group). NaN when none has a value."""
    present = [values[c][0] for c in codes if c in values and values[c][1] == "ok"]
    if not present:
        return float("nan"), 0, len(codes)
    return float(np.mean(present)), len(present), len(codes)
