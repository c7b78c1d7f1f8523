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

from attendance_reports.errors import DataError
from attendance_reports.indicators.groups import COUNT_COLUMNS
from attendance_reports.sources.bands import area_levels, time_periods
from attendance_reports.sources.contract import Recognised, Source, stamped
from attendance_reports.sources.group_labels import classify
from attendance_reports.sources.layouts import kind_of
from attendance_reports.sources.read import RawTable
from attendance_reports.sources.validate import column_numbers
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
    for name in REQUIRED:
        if name not in frame.columns:
            raise DataError(table.where(None, None), f"required column '{name}' is missing", HINT)

    def text(column: str) -> pd.Series:
        if column not in frame.columns:
            return pd.Series([""] * len(frame), index=frame.index, dtype="string")
        return frame[column].astype("string").str.strip().fillna("")

    periods = time_periods(table)
    level = area_levels(table, text("geographic_level").to_numpy(dtype=object), HINT)
    phase = text("phase_type_grouping").str.lower() if "phase_type_grouping" in frame else None
    keep = np.ones(len(frame), dtype=bool) if phase is None else (phase == "total").to_numpy()
    groups = text("social_care_group")
    found = {v: classify(f"social care {v}") for v in pd.unique(groups)}
    known = np.array([found[v] is not None for v in groups], dtype=bool)
    keep &= known
    code = np.where(
        level == "la",
        text("old_la_code").to_numpy(dtype=object),
        np.where(level == "regional", text("region_code").to_numpy(dtype=object), "E92000001"),
    )
    name = np.where(
        level == "la",
        text("la_name").to_numpy(dtype=object),
        np.where(level == "regional", text("region_name").to_numpy(dtype=object), "England"),
    )
    out = pd.DataFrame(
        {
            "time_period": periods.to_numpy(dtype=object),
            "period": "full-year",
            "geographic_level": level,
            "code": code,
            "name": name,
            "topic": [(found[v] or ("", ""))[0] for v in groups],
            "group": [(found[v] or ("", ""))[1] for v in groups],
            "label": groups.to_numpy(dtype=object),
            "source": table.name,
        }
    )
    for column, target in COUNTS.items():
        if column not in frame.columns:
            out[target] = np.nan
            out[f"{target}__status"] = "not-published"
            continue
        values, status = column_numbers(
            table, column, "use a whole number or an EES symbol (c, x, z, k)", counts=True
        )
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
