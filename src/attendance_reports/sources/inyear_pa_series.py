"""DfE's in-year persistent-absence series: year-to-date persistent absence at fortnightly points
(EES "Pupil attendance in schools", e.g. ``week_29_persistent_absence.csv`` for 2024/25).

Layout: ``time_period`` (the calendar year of the point, e.g. 2025), ``time_identifier``
("Week 8" … "Week 30": the ISO week the year to date runs to), ``time_frame`` ("Year to
date"), ``geographic_level`` (National, Regional, Local authority), the usual area codes,
``education_phase`` ("All schools" at national and regional level only; Primary, Secondary,
Special) and one measure, ``persistent_absence_percent`` (rates only: no pupil counts, and
``c`` where DfE suppresses a figure).

Rows go to the in-year frame (``sources/inyear.ID_COLUMNS``) with kind ``pa-series``, the
ISO week in ``week`` and the rate as ``pa_perc``: the in-year indicator table gives them as
``inyear_persistent_absence_rate``. An LA has no "All schools" row, and with rates only
there is nothing to combine its phases by (``indicators/inyear_combine.py``: method
``none``), so pages show its phases only and say why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.sources.contract import Recognised, Source, stamp
from attendance_reports.sources.inyear_columns import (
    FIRST_WEEK,
    WEEK,
    areas,
    fail,
    levels_of,
    phases_of,
    read_measures,
    require,
    text_of,
)
from attendance_reports.sources.read import RawTable
from attendance_reports.sources.reference import Reference

KIND = "pa-series"
RATE = "persistent_absence_percent"
SIGNATURE = ("time_period", "time_identifier", "time_frame", RATE)


def recognise(table: RawTable) -> Recognised | None:
    """The persistent-absence series by its columns: a year-to-date time frame and one rate."""
    if not all(c in table.frame.columns for c in SIGNATURE):
        return None
    return Recognised(
        "inyear-persistent-absence-series",
        "state-funded-inyear",
        "year-to-date",
        "time_frame and persistent_absence_percent columns",
    )


def read(table: RawTable, recognised: Recognised, reference: Reference):
    """The file -> in-year frame rows (kind 'pa-series'), no findings."""
    return stamp(validate_pa_series(table, reference), recognised), []


def validate_pa_series(table: RawTable, reference: Reference) -> pd.DataFrame:
    """One persistent-absence series file -> a tidy in-year frame (inyear.ID_COLUMNS,
    ``pa_perc`` and its status codes)."""
    frame = table.frame
    require(table, *SIGNATURE, "geographic_level", "education_phase")
    n = len(frame)
    frames = {v.lower() for v in text_of(table, "time_frame")}
    if frames != {"year to date"}:
        bad = next(
            i for i, v in enumerate(text_of(table, "time_frame")) if v.lower() != "year to date"
        )
        fail(
            table,
            bad,
            "time_frame",
            f"time_frame '{text_of(table, 'time_frame')[bad]}' is not 'Year to date'",
            "this reader takes DfE's year-to-date persistent-absence series",
        )
    levels = levels_of(table)
    phase_labels, phases = phases_of(
        table, "education_phase", "All schools, Primary, Secondary or Special"
    )
    labels = text_of(table, "time_identifier")
    calendar = text_of(table, "time_period")
    weeks = np.zeros(n, dtype="int64")
    years = np.empty(n, dtype=object)
    for i in range(n):
        match = WEEK.match(labels[i])
        if not match or not 1 <= int(match.group(1)) <= 53:
            fail(
                table,
                i,
                "time_identifier",
                f"time_identifier '{labels[i]}' is not an ISO week like 'Week 30'",
                "pass the persistent-absence series as DfE published it",
            )
        if not calendar[i].isdigit() or len(calendar[i]) != 4:
            fail(
                table,
                i,
                "time_period",
                f"time_period '{calendar[i]}' is not a calendar year like 2025",
                "the series gives the calendar year of its ISO week",
            )
        weeks[i] = int(match.group(1))
        start = int(calendar[i]) if weeks[i] >= FIRST_WEEK else int(calendar[i]) - 1
        years[i] = f"{start}{(start + 1) % 100:02d}"
    code, name, region_codes, new_codes, breaks = areas(table, levels, reference)
    tidy = pd.DataFrame(
        {
            "source": table.name,
            "line": np.arange(n, dtype="int64") + 2,
            "kind": KIND,
            "academic_year": years,
            "period": labels,
            "week": weeks,
            "date": "",
            "geographic_level": levels,
            "code": code,
            "name": name,
            "region_code": region_codes,
            "new_la_code": new_codes,
            "phase": phases,
            "phase_label": phase_labels,
            "code_break": breaks,
        }
    )
    measures = read_measures(table, [RATE])
    tidy["pa_perc"] = measures[RATE]
    tidy["pa_perc__status"] = measures[f"{RATE}__status"]
    if (tidy["pa_perc"] > 100).any():
        i = int(np.flatnonzero((tidy["pa_perc"] > 100).to_numpy())[0])
        fail(table, i, RATE, f"{RATE} {tidy['pa_perc'].iloc[i]:g} is over 100", "a rate is 0–100")
    key = ["academic_year", "week", "geographic_level", "code", "phase"]
    dup = tidy.duplicated(key, keep="first").to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        fail(
            table,
            i,
            "geographic_level",
            f"this row repeats an earlier one ({name[i]}, {phase_labels[i]}, {labels[i]})",
            "remove the duplicate row",
        )
    return tidy


SOURCE = Source(
    "inyear-persistent-absence-series",
    "DfE Pupil attendance in schools: persistent absence, year to date at fortnightly points",
    "inyear",
    recognise,
    read,
)
