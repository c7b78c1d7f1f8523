"""DfE and ONS lookups passed as data: LA codes and names, the region hierarchy, regions and
statistical neighbours. They replace the packaged copies (reference_data/) and are read by
reference.py; their rows are not statistics, so they carry no population or period."""

from __future__ import annotations

from attendance_reports.sources.contract import Recognised, Source
from attendance_reports.sources.layouts import kind_of
from attendance_reports.sources.read import RawTable

TITLES = {
    "las": "Local authorities: codes, names and dates of operation",
    "region-hierarchy": "Region and local authority hierarchy",
    "regions": "Regions: codes and names",
    "neighbours": "Statistical neighbours (DfE children's services model)",
}


def _recogniser(kind: str):
    def recognise(table: RawTable) -> Recognised | None:
        if kind_of(list(table.frame.columns)) != kind:
            return None
        return Recognised(kind, "none", "none", reason=f"{kind} lookup columns")

    return recognise


SOURCES: tuple[Source, ...] = tuple(
    Source(family=kind, title=title, target="reference", recognise=_recogniser(kind), read=None)
    for kind, title in TITLES.items()
)
