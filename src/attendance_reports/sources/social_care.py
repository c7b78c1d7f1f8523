"""The absence of children in need, on a protection plan and looked after -> group counts.

DfE's "Outcomes for children in need, including children looked after" absence file
(``social_care_group``, ``phase_type_grouping``, ``t_pupils``, ``t_sess_possible``, …) counts a
social-care cohort, not all pupils. Its ``Total`` phase rows become groups of topic
``social_care`` in the group-counts layout of ``indicators/groups.py``: pupils (enrolments),
sessions possible and missed, persistent (10 %+) and severe (50 %+) absentees. Its symbols
(``c`` suppressed, ``x`` not available, ``z`` not applicable, ``k`` rounds to 0) are kept as
statuses, never read as 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.groups import COUNT_COLUMNS
from attendance_reports.sources.cells import (
    areas_of,
    levels_of,
    required,
    texts,
    time_periods,
    whole_counts,
)
from attendance_reports.sources.contract import Recognised, Source, stamped
from attendance_reports.sources.group_labels import classify
from attendance_reports.sources.layouts import kind_of
from attendance_reports.sources.read import RawTable
from attendance_reports.symbols import tokens_of

#: file column -> group-counts column
COUNTS = {
    "t_pupils": "enrolments",
    "t_pupils_pa_10_exact": "persistent",
    "t_pupils_pa_50_exact": "severe",
    "t_sess_possible": "sess_possible",
    "t_sess_overall": "sess_overall",
}
REQUIRED = ("time_period", "geographic_level", "social_care_group", "t_pupils", "t_sess_possible")
HINT = "pass DfE's children-in-need absence file with its header row"


def validate_social_care(table: RawTable) -> pd.DataFrame:
    """The children-in-need absence file -> group counts (topic 'social_care')."""
    frame = table.frame
    required(table, REQUIRED, HINT)
    periods = time_periods(table)
    level = levels_of(table, HINT)
    keep = np.ones(len(frame), dtype=bool)  # a file without phases: all its rows
    if "phase_type_grouping" in frame.columns:  # the Total phase only
        keep = pd.Series(texts(frame, "phase_type_grouping")).str.lower().eq("total").to_numpy()
    groups = texts(frame, "social_care_group")
    found = {v: classify(f"social care {v}") for v in pd.unique(groups)}
    keep = keep & np.array([found[v] is not None for v in groups], dtype=bool)
    code, name = areas_of(table, level)
    out = pd.DataFrame(
        {
            "time_period": periods.to_numpy(dtype=object),
            "period": "full-year",
            "geographic_level": level,
            "code": code,
            "name": name,
            "topic": [(found[v] or ("", ""))[0] for v in groups],
            "group": [(found[v] or ("", ""))[1] for v in groups],
            "label": groups,
            "source": table.name,
        }
    )
    for column, target in COUNTS.items():
        if column not in frame.columns:
            out[target] = np.nan
            out[f"{target}__status"] = "not-published"
            continue
        values, status = whole_counts(table, column, "pupil counts", symbols="c, x, z, k")
        out[target] = values
        out[f"{target}__status"] = tokens_of(status) if status is not None else "ok"
    out = out[keep]
    statuses = [f"{c}__status" for c in COUNTS.values()]
    return out[[*COUNT_COLUMNS, *statuses]].reset_index(drop=True)


def _recognise(table: RawTable) -> Recognised | None:
    if kind_of(list(table.frame.columns)) != "cin-absence":
        return None
    return Recognised(
        "children-in-need", "children-in-need", "full-year", reason="social_care_group column"
    )


SOURCE = Source(
    family="children-in-need",
    title="Outcomes for children in need: absence of children in need, on a protection plan "
    "and looked after",
    target="groups",
    recognise=_recognise,
    read=stamped(validate_social_care),
)
