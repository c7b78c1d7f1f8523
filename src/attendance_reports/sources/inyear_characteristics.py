"""DfE's in-year attendance by pupil characteristic (EES "Pupil attendance in schools", e.g. the
2022/23 files ``aut_fsm.csv``, ``spr_gender.csv``, ``aut_sen_.csv``).

Layout: the in-year term layout (``time_period`` 202223, ``time_identifier`` "Autumn term",
``school_type`` Primary / Secondary / Special, and Total at national and regional level only)
with one breakdown column: ``disadvantage_code`` (FSM eligible / FSM Not eligible), ``gender``
(Female / Male / Unknown) or ``sen`` (EHC plan / SEN support / No SEN); session counts and
rates; ``pa_perc`` (persistent absence, %) but no enrolment or pupil counts; ``academic_year``
last. Ids are blank on higher-level rows; some rates are in scientific notation (``7.44E-05``);
``c`` (DfE suppressed a small group) and ``z`` are kept with their reason, never read as 0.

Rows go to ``Dataset.inyear_groups`` (never joined to the census groups: a different source):
the in-year id columns, ``topic`` and ``group`` (``sources/group_labels.classify``; groups the
pages do not show, e.g. gender Unknown, are kept with an empty group), the label as published,
and every measure column with its status.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from attendance_reports.sources.contract import Recognised, Source, stamp
from attendance_reports.sources.group_labels import classify
from attendance_reports.sources.inyear import ID_NAMES as INYEAR_ID_NAMES
from attendance_reports.sources.inyear_columns import (
    TERMS,
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

#: the breakdown columns DfE's in-year characteristics files use
BREAKDOWNS = ("disadvantage_code", "gender", "sen")
#: columns that identify a row: the in-year files' own, plus the breakdown column
ID_NAMES = INYEAR_ID_NAMES | frozenset(BREAKDOWNS)
#: the tidy frame's id columns, in order
ID_COLUMNS = (
    "source",
    "line",
    "kind",
    "academic_year",
    "period",
    "week",
    "date",
    "geographic_level",
    "code",
    "name",
    "region_code",
    "phase",
    "phase_label",
    "topic",
    "group",
    "group_label",
)


def _breakdown(table: RawTable) -> str | None:
    return next((c for c in BREAKDOWNS if c in table.frame.columns), None)


def recognise(table: RawTable) -> Recognised | None:
    """An in-year file (``attendance_perc``) with a pupil-characteristic column."""
    columns = table.frame.columns
    if "attendance_perc" not in columns or "time_identifier" not in columns:
        return None
    column = _breakdown(table)
    if column is None:
        return None
    return Recognised(
        "inyear-characteristics",
        "state-funded-inyear",
        "term",
        f"attendance_perc and a {column} column",
    )


def read(table: RawTable, recognised: Recognised, reference: Reference):
    """The file -> in-year group rows, no findings."""
    return stamp(validate_characteristics(table, reference), recognised), []


def validate_characteristics(table: RawTable, reference: Reference) -> pd.DataFrame:
    """One in-year characteristics file -> a tidy frame (ID_COLUMNS, then each measure and
    its status codes)."""
    frame = table.frame
    column = _breakdown(table)
    phase_column = "school_type" if "school_type" in frame.columns else "education_phase"
    require(table, "time_period", "geographic_level", phase_column, "possible_sessions")
    require(table, "overall_absence")
    n = len(frame)
    periods = text_of(table, "time_identifier")
    bad = [i for i, p in enumerate(periods) if p.lower() not in TERMS]
    if bad:
        fail(
            table,
            bad[0],
            "time_identifier",
            f"time_identifier '{periods[bad[0]]}' is not a term (Autumn, Spring or Summer term)",
            "pass DfE's in-year characteristics file for one term as published",
        )
    years = text_of(table, "time_period")
    bad = [i for i, y in enumerate(years) if not re.fullmatch(r"\d{6}", y)]
    if bad:
        fail(
            table,
            bad[0],
            "time_period",
            f"time_period '{years[bad[0]]}' is not an academic year like 202223",
            "pass the file as DfE published it",
        )
    levels = levels_of(table)
    phase_labels, phases = phases_of(table, phase_column)
    labels = text_of(table, column)
    if not all(labels):
        i = next(i for i, v in enumerate(labels) if not v)
        fail(table, i, column, f"the {column} cell is empty", "every row names its pupil group")
    found = [classify(f"{column} {label}") for label in labels]
    topics = np.array([f[0] if f else "" for f in found], dtype=object)
    groups = np.array([f[1] if f else "" for f in found], dtype=object)
    code, name, region_codes, _, _ = areas(table, levels, reference)
    tidy = pd.DataFrame(
        {
            "source": table.name,
            "line": np.arange(n, dtype="int64") + 2,
            "kind": "term",
            "academic_year": years,
            "period": periods,
            "week": np.zeros(n, dtype="int64"),
            "date": "",
            "geographic_level": levels,
            "code": code,
            "name": name,
            "region_code": region_codes,
            "phase": phases,
            "phase_label": phase_labels,
            "topic": topics,
            "group": groups,
            "group_label": labels,
        }
    )
    measures = read_measures(table, [c for c in frame.columns if c not in ID_NAMES])
    tidy = pd.concat([tidy, pd.DataFrame(measures)], axis=1)
    wrong = np.flatnonzero(
        (tidy["overall_absence"] > tidy["possible_sessions"]).fillna(False).to_numpy()
    )
    if len(wrong):
        i = int(wrong[0])
        fail(
            table,
            i,
            "overall_absence",
            f"overall_absence {tidy['overall_absence'].iloc[i]:,.0f} is greater than "
            f"possible_sessions {tidy['possible_sessions'].iloc[i]:,.0f}",
            "the row is inconsistent: re-download the file or correct the counts",
        )
    key = ["academic_year", "period", "geographic_level", "code", "phase", "group_label"]
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


def combine(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate the files' group rows; a row in two files is an error naming both."""
    from attendance_reports.errors import DataError, Location

    if not frames:
        return pd.DataFrame(columns=list(ID_COLUMNS))
    out = pd.concat(frames, ignore_index=True)
    key = ["academic_year", "period", "geographic_level", "code", "phase", "topic", "group_label"]
    dup = out.duplicated(key, keep="first").to_numpy()
    if dup.any():
        later = out.iloc[int(np.flatnonzero(dup)[0])]
        earlier = out[(out[key] == later[key]).all(axis=1)].iloc[0]
        raise DataError(
            Location(str(later["source"]), int(later["line"]), 1),
            f"the same row is also in {earlier['source']} line {int(earlier['line'])}",
            "pass each in-year characteristics file once",
        )
    return out


SOURCE = Source(
    "inyear-characteristics",
    "DfE Pupil attendance in schools: attendance by pupil characteristic (FSM, sex, SEN)",
    "inyear-groups",
    recognise,
    read,
)
