"""EES pupil-absence subjects this tool recognises but shows on no page yet: enrolments by
absence-rate band in one-point steps (``absence_rate_percent_bands``), enrolments missing at
least one session by reason (``absence_number_missing_at_least_one_session_by_reason``) and
the data behind an EES chart (England's autumn-term persistent absence, ``ees_pa_chart``).

They are named for what they are and skipped with the reason, so `validate` passes a release
folder holding them; a site built from them alone is refused with what to add."""

from __future__ import annotations

from attendance_reports.sources.contract import Recognised, Source
from attendance_reports.sources.read import RawTable


def _columns(table: RawTable) -> set[str]:
    return set(table.frame.columns) | set(table.file_columns)


def recognise(table: RawTable) -> Recognised | None:
    present = _columns(table)
    if "time_period" not in present or "sess_possible" in present:
        return None
    if {"percent_bands", "enrolments_overall"} <= present:
        what = "EES absence subject: enrolments by overall absence rate, in one-point bands"
        return Recognised(
            "absence-rate-percent-bands",
            "state-funded",
            "full-year",
            reason=what,
            skip=f"{what}: no page shows these figures yet",
        )
    if {"enrol_overall", "enrol_authorised"} <= present:
        what = "EES absence subject: enrolments missing at least one session, by reason"
        return Recognised(
            "absence-enrolments-by-reason",
            "state-funded",
            "full-year",
            reason=what,
            skip=f"{what}: no page shows these figures yet",
        )
    measures = present - {
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
    }
    if measures and all("persistent_absence" in c for c in measures):
        what = "the data of an EES chart (persistent absence, rates only)"
        return Recognised(
            "ees-chart-data",
            "state-funded",
            "mixed",
            reason=what,
            skip=f"{what}: no page shows a chart's data; pass the release's data files",
        )
    return None


SOURCE = Source(
    family="unshown-absence-subjects",
    title="EES absence subjects recognised but not shown",
    target="reference",
    recognise=recognise,
    read=None,
)
