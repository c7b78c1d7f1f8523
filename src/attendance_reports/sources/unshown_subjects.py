"""EES pupil-absence subjects this tool recognises but shows on no page yet: the data behind
an EES chart (England's autumn-term persistent absence, ``ees_pa_chart``). (Enrolments by
one-point absence-rate band and enrolments missing a session by reason are read by
``absence_rate_bands.py`` and ``sessions_missed_by_reason.py``.)

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
