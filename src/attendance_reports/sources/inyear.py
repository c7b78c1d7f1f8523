"""DfE "Pupil attendance in schools" (in-year) files -> validated tidy frames.

Reads the year-to-date, term, weekly and daily files (national, regional and LA rows) and the
persistent-absence exports. Everything is read by column *name*: the phase column is
``school_type`` or ``education_phase``; register-code columns (``reason_*``) come and go with
DfE's code changes (August 2024) and are kept as they are named. Symbols (``c``, ``z``, and the
literal ``NaN`` / ``NA`` DfE writes for rates with no sessions) stay missing with their reason.

The in-year source is not the school census: its frames are never joined to the census frame
(load.py keeps them apart, and so does every page). The column vocabulary and readers shared
with the other in-year sources are in inyear_columns.py.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from attendance_reports.errors import DataError, Location
from attendance_reports.sources.contract import Recognised, Source, stamp
from attendance_reports.sources.inyear_columns import (
    FIRST_WEEK,
    TERMS,
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

#: in-year file kinds (file layout -> what one row covers)
KINDS = ("ytd", "term", "week", "day", "pa-export")

#: columns that identify a row (not measures)
ID_NAMES = frozenset(
    {
        "academic_year",
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "new_la_code",
        "la_name",
        "old_la_code",
        "school_type",
        "education_phase",
        "attendance_date",
    }
)

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
    "new_la_code",
    "phase",
    "phase_label",
    "code_break",
)

DATE_IN_NAME = re.compile(r"(20\d\d)_(\d\d)_(\d\d)")


def kind_of(table: RawTable) -> str | None:
    """'ytd', 'term', 'week', 'day' or 'pa-export' for an in-year file; None otherwise."""
    columns = set(table.frame.columns)
    if "pa_flag" in columns and ({"ytd_enrolments", "autumn_enrolments"} & columns):
        return "pa-export"
    if "attendance_perc" not in columns or "time_identifier" not in columns:
        return None
    if "attendance_date" in columns:
        return "day"
    identifiers = {str(v).strip().lower() for v in pd.unique(table.frame["time_identifier"])}
    if identifiers and all(WEEK.match(i) for i in identifiers):
        return "week"
    if identifiers and identifiers <= set(TERMS):
        return "term"
    return "ytd"


def _academic_years(table: RawTable, kind: str, weeks: np.ndarray) -> np.ndarray:
    """Six-digit academic years ('202425'): ytd/term files say so; weekly and daily files give
    the calendar year and the ISO week (weeks 32–53 start a year, 1–31 end one)."""
    periods = text_of(table, "time_period")
    if kind in ("ytd", "term"):
        bad = np.flatnonzero(~np.array([bool(re.fullmatch(r"\d{6}", p)) for p in periods]))
        if len(bad):
            fail(
                table,
                int(bad[0]),
                "time_period",
                f"time_period '{periods[bad[0]]}' is not an academic year like 202425",
                "pass the file as DfE published it",
            )
        return periods
    out = np.empty(len(periods), dtype=object)
    for i, (p, w) in enumerate(zip(periods, weeks, strict=True)):
        if not re.fullmatch(r"\d{4}", p):
            fail(
                table,
                i,
                "time_period",
                f"time_period '{p}' is not a calendar year like 2024",
                "weekly and daily files give the calendar year of the ISO week",
            )
        year = int(p)
        start = year if w >= FIRST_WEEK else year - 1
        out[i] = f"{start}{(start + 1) % 100:02d}"
    return out


def _weeks(table: RawTable, kind: str) -> np.ndarray:
    if kind not in ("week", "day"):
        return np.zeros(len(table.frame), dtype="int64")
    labels = text_of(table, "time_identifier")
    out = np.zeros(len(labels), dtype="int64")
    for i, label in enumerate(labels):
        match = WEEK.match(label)
        if not match or not 1 <= int(match.group(1)) <= 53:
            fail(
                table,
                i,
                "time_identifier",
                f"time_identifier '{label}' is not an ISO week like 'Week 37'",
                "pass the weekly or daily file as DfE published it",
            )
        out[i] = int(match.group(1))
    return out


def _pa_export_year(table: RawTable) -> tuple[str, str]:
    """The academic year and the date of a PA export, from DfE's file name (it has no dates)."""
    match = DATE_IN_NAME.search(table.name)
    if not match:
        fail(
            table,
            None,
            None,
            "the persistent-absence export has no date column and its name has no date",
            "keep DfE's file name (export_pa_output_YYYY_MM_DD.csv)",
        )
    date = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    start = date.year if date.month >= 8 else date.year - 1
    return f"{start}{(start + 1) % 100:02d}", date.isoformat()


def validate_inyear(table: RawTable, reference: Reference) -> pd.DataFrame:
    """One in-year file -> a tidy frame (ID_COLUMNS, then each measure and its status codes)."""
    kind = kind_of(table)
    if kind is None:
        fail(table, None, None, "not an in-year attendance file", "pass DfE's attendance files")
    frame = table.frame
    phase_column = "school_type" if "school_type" in frame.columns else "education_phase"
    require(table, "geographic_level", phase_column)
    if kind != "pa-export":
        require(table, "time_period", "possible_sessions", "overall_absence", "total_enrolments")
    n = len(frame)
    levels = levels_of(table)
    phase_labels, phases = phases_of(table, phase_column)
    weeks = _weeks(table, kind)
    if kind == "pa-export":
        year, date = _pa_export_year(table)
        years = np.full(n, year, dtype=object)
        enrolments = "ytd_enrolments" if "ytd_enrolments" in frame.columns else "autumn_enrolments"
        period = "Year to date" if enrolments == "ytd_enrolments" else "Autumn term"
        periods = np.full(n, period, dtype=object)
        dates = np.full(n, date, dtype=object)
    else:
        years = _academic_years(table, kind, weeks)
        identifiers = text_of(table, "time_identifier")
        periods = identifiers
        dates = text_of(table, "attendance_date") if kind == "day" else np.full(n, "", dtype=object)

    code, name, region_codes, new_codes, breaks = areas(table, levels, reference)
    tidy = pd.DataFrame(
        {
            "source": table.name,
            "line": np.arange(n, dtype="int64") + 2,
            "kind": kind,
            "academic_year": years,
            "period": periods,
            "week": weeks,
            "date": dates,
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
    columns = [c for c in frame.columns if c not in ID_NAMES]
    measures = read_measures(table, columns)
    if kind == "pa-export":
        measures["enrolments"] = measures.pop(enrolments)
        measures["enrolments__status"] = measures.pop(f"{enrolments}__status")
    tidy = pd.concat([tidy, pd.DataFrame(measures)], axis=1)
    if kind != "pa-export":
        _check_order(table, tidy)
    key = ["academic_year", "period", "date", "geographic_level", "code", "phase"]
    dup = tidy.duplicated(key, keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        fail(
            table,
            i,
            "geographic_level",
            f"this row repeats an earlier one ({tidy['name'].iloc[i]}, {phase_labels[i]}, "
            f"{periods[i]})",
            "remove the duplicate row",
        )
    return tidy


def _check_order(table: RawTable, tidy: pd.DataFrame) -> None:
    rules = (
        ("overall_absence", "possible_sessions", "more sessions missed than possible"),
        ("authorised_absence", "overall_absence", "more authorised than overall absence"),
        ("unauthorised_absence", "overall_absence", "more unauthorised than overall absence"),
    )
    for small, large, meaning in rules:
        if small in tidy.columns and large in tidy.columns:
            a, b = tidy[small].to_numpy(), tidy[large].to_numpy()
            with np.errstate(invalid="ignore"):
                wrong = np.flatnonzero(a > b)
            if len(wrong):
                i = int(wrong[0])
                fail(
                    table,
                    i,
                    small,
                    f"{small} {a[i]:,.0f} is greater than {large} {b[i]:,.0f} ({meaning})",
                    "the row is inconsistent: re-download the file or correct the counts",
                )


def combine(frames: list[pd.DataFrame]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Concatenate in-year frames. Two year-to-date files of one year (e.g. to 5 April and the
    full year) are versions of one figure: the later one (more possible sessions in England)
    is used and the other is returned as superseded. Any other repeated row is an error."""
    if not frames:
        return pd.DataFrame(columns=list(ID_COLUMNS)), ()
    superseded: list[str] = []
    ytd: dict[str, list[pd.DataFrame]] = {}
    others = []
    for frame in frames:
        if len(frame) and frame["kind"].iloc[0] == "ytd":
            ytd.setdefault(str(frame["academic_year"].iloc[0]), []).append(frame)
        else:
            others.append(frame)
    for versions in ytd.values():
        ranked = sorted(versions, key=_england_sessions)
        others.append(ranked[-1])
        superseded += [str(f["source"].iloc[0]) for f in ranked[:-1]]
    combined = pd.concat(others, ignore_index=True)
    key = ["kind", "academic_year", "period", "date", "geographic_level", "code", "phase"]
    dup = combined.duplicated(key, keep=False)
    if dup.any():
        later = combined[combined.duplicated(key, keep="first")].iloc[0]
        rows = combined[dup]
        earlier = rows[(rows[key] == later[key]).all(axis=1)].iloc[0]
        raise DataError(
            Location(str(later["source"]), int(later["line"]), 1),
            f"the same row is also in {earlier['source']} line {int(earlier['line'])}",
            "pass each in-year file once",
        )
    return combined, tuple(superseded)


def _england_sessions(frame: pd.DataFrame) -> float:
    england = frame[(frame["geographic_level"] == "national").to_numpy()]
    return float(np.nansum(england["possible_sessions"].to_numpy())) if len(england) else 0.0


#: inyear.kind_of -> the contract's period type
PERIOD_TYPES = {
    "ytd": "year-to-date",
    "term": "term",
    "week": "week",
    "day": "day",
    "pa-export": "year-to-date",
}


def _recogniser(pa_export: bool):
    def recognise(table: RawTable) -> Recognised | None:
        kind = kind_of(table)
        if kind is None or (kind == "pa-export") != pa_export:
            return None
        return Recognised(
            "attendance-pa-export" if pa_export else "attendance",
            "state-funded-inyear",
            PERIOD_TYPES[kind],
            reason=f"in-year attendance columns ({kind})",
        )

    return recognise


def _read(
    table: RawTable, recognised: Recognised, reference: Reference
) -> tuple[pd.DataFrame, list]:
    return stamp(validate_inyear(table, reference), recognised), []


SOURCE = Source(
    family="attendance",
    title="Pupil attendance in schools (in-year: year to date, term, week, day)",
    target="inyear",
    recognise=_recogniser(False),
    read=_read,
)
PA_EXPORT_SOURCE = Source(
    family="attendance-pa-export",
    title="Pupil attendance in schools: persistent-absence counts export",
    target="inyear",
    recognise=_recogniser(True),
    read=_read,
)
