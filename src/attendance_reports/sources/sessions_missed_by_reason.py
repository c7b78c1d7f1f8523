"""EES "enrolments missing at least one session, by reason"
(``absence_number_missing_at_least_one_session_by_reason``) -> a tidy frame of counts.

The 2016/17 pupil-absence release counts, for England, regions, LAs and schools by school type,
the enrolments (``enrolments``) and how many of them missed at least one session: for any reason
(``enrol_overall``), authorised (``enrol_authorised``), unauthorised (``enrol_unauthorised``) and
for each reason (``enrol_auth_illness`` … ``enrol_unauth_noyet``).

One row per year, area and phase, each count with its ``__status``: ``x`` (not available; 1 or
2 enrolments in this release) and ``.`` (not applicable: extended holiday was no separate code
from 2013/14) are kept as statuses, never 0. An LA row keeps its ``region_code`` as the file
gives it (Inner or Outer London for London boroughs: the file has no London row). Counts are
whole numbers of 0 or more, none above ``enrolments``, and neither authorised nor unauthorised
above ``enrol_overall``. The EES ``.meta.csv`` beside it in the zip is read with it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.errors import DataError
from attendance_reports.sources.absence_rate_bands import phases_of, statuses
from attendance_reports.sources.cells import (
    areas_of,
    levels_of,
    once_each,
    required,
    texts,
    time_periods,
    whole_counts,
)
from attendance_reports.sources.contract import Recognised, Source, stamped
from attendance_reports.sources.read import RawTable

#: reason id -> (file column, label); the first three are the totals, the rest each reason
REASONS: dict[str, tuple[str, str]] = {
    "overall": ("enrol_overall", "Any reason (overall absence)"),
    "authorised": ("enrol_authorised", "Any authorised reason"),
    "unauthorised": ("enrol_unauthorised", "Any unauthorised reason"),
    "illness": ("enrol_auth_illness", "Illness (not medical or dental appointments)"),
    "medical_appointments": ("enrol_auth_appointments", "Medical or dental appointments"),
    "religious_observance": ("enrol_auth_religious", "Religious observance"),
    "study_leave": ("enrol_auth_study", "Study leave"),
    "traveller": ("enrol_auth_traveller", "Traveller absence"),
    "authorised_holiday": ("enrol_auth_holiday", "Authorised holiday"),
    "extended_holiday": ("enrol_auth_ext_holiday", "Extended authorised holiday"),
    "excluded": ("enrol_auth_excluded", "Excluded, no alternative provision"),
    "authorised_other": ("enrol_auth_other", "Other authorised"),
    "unauthorised_holiday": ("enrol_unauth_holiday", "Unauthorised holiday"),
    "late": ("enrol_unauth_late", "Late after registers closed"),
    "unauthorised_other": ("enrol_unauth_other", "Other unauthorised"),
    "no_reason_yet": ("enrol_unauth_noyet", "No reason yet"),
}
COUNTS = ("enrolments", *(column for column, _ in REASONS.values()))
REQUIRED = (
    "time_period",
    "geographic_level",
    "school_type",
    "enrolments",
    "enrol_overall",
    "enrol_authorised",
    "enrol_unauthorised",
)
HINT = "pass DfE's 'absence_number_missing_at_least_one_session_by_reason' file with its header"


def _order(table: RawTable, out: pd.DataFrame) -> None:
    """No count above the enrolments, neither authorised nor unauthorised above overall."""
    rules = [(c, "enrolments") for c in COUNTS[1:]]
    rules += [("enrol_authorised", "enrol_overall"), ("enrol_unauthorised", "enrol_overall")]
    for part, whole in rules:
        if part not in out.columns:
            continue
        above = np.flatnonzero((out[part] > out[whole]).to_numpy())
        if len(above):
            row = int(above[0])
            raise DataError(
                table.where(row, part),
                f"{table.labels[part]} ({out[part].iloc[row]:.0f}) is more than "
                f"{table.labels[whole]} ({out[whole].iloc[row]:.0f})",
                "enrolments missing a session are some of the enrolments: correct the row",
            )


def validate_missed_by_reason(table: RawTable) -> pd.DataFrame:
    """The by-reason file -> one row per year, area and phase with every count and status."""
    required(table, REQUIRED, HINT)
    frame = table.frame
    periods = time_periods(table)
    level = levels_of(table, HINT, schools=True)
    code, name = areas_of(table, level)
    phase, phase_label = phases_of(table, HINT)

    out = pd.DataFrame(
        {
            "time_period": periods.to_numpy(dtype=object),
            "period": "full-year",
            "geographic_level": level,
            "code": code,
            "name": name,
            "region_code": texts(frame, "region_code"),
            "old_la_code": texts(frame, "old_la_code"),
            "phase": phase,
            "phase_label": phase_label,
            "source": table.name,
            "line": np.arange(len(frame)) + 2,
        }
    )
    once_each(
        table,
        out,
        ["time_period", "geographic_level", "code", "phase"],
        "school_type",
        lambda row: f"{phase_label[row]} of {name[row]} ({code[row]}), {periods.iloc[row]}",
        "year, area and school type",
    )
    for column in COUNTS:
        if column not in frame.columns:
            out[column], out[f"{column}__status"] = np.nan, "not-published"
            continue
        values, codes = whole_counts(table, column, "enrolments")
        out[column], out[f"{column}__status"] = values, statuses(codes, len(out))
    _order(table, out)
    return out


def _recognise(table: RawTable) -> Recognised | None:
    present = set(table.frame.columns) | set(table.file_columns)
    if "time_period" not in present or "sess_possible" in present:
        return None
    if not {"enrol_overall", "enrol_authorised"} <= present:
        return None
    return Recognised(
        "sessions-missed-by-reason",
        "state-funded",
        "full-year",
        reason="enrolments missing at least one session, by reason",
    )


SOURCE = Source(
    family="sessions-missed-by-reason",
    title="Pupil absence in schools in England: enrolments missing at least one session, by reason",
    target="missed-by-reason",
    recognise=_recognise,
    read=stamped(validate_missed_by_reason),
)
