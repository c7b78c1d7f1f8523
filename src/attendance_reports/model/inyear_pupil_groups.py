"""The "This year" pages' pupil groups: persistent and overall absence by group from DfE's
in-year files by pupil characteristic, each group against its comparison group (FSM eligible
vs not eligible, EHC plan and SEN support vs no SEN, female vs male), with England's gap.
Picks values from ``SiteData.inyear_groups`` (``indicators/inyear_groups.py``, small-number
policy applied by ``model/disclosure.inyear_group_policy``); never computes them.

England's figures are DfE's published all-schools totals. An LA's are by phase: these files
give no LA all-schools row, and no method reproduces their own totals, so the tables say so.
"""

from __future__ import annotations

import math

from attendance_reports.indicators.inyear import PUPIL_IDS
from attendance_reports.indicators.inyear_groups import PAIRS
from attendance_reports.model.disclosure import DEFAULT_THRESHOLD, INYEAR_GROUPS_POLICY
from attendance_reports.model.inyear_common import (
    ENGLAND,
    InYearArea,
    method_column,
    method_words,
)
from attendance_reports.model.report_model import Column, Table
from attendance_reports.model.site_data import INYEAR, SiteData
from attendance_reports.render.formatting import percent, period_label, signed

PHASE_ORDER = (("total", "all schools"), ("primary", "primary"), ("secondary", "secondary"))
PHASE_ORDER += (("special", "special"),)
TERM_ORDER = ("Autumn term", "Spring term", "Summer term")
MEASURES = (
    ("inyear_persistent_absence_rate", "persistent", "Persistent absence"),
    ("inyear_overall_absence_rate", "overall", "Overall absence"),
)


def _rows(site: SiteData, area: InYearArea):
    rows = site.inyear_group_rows(area.level, area.code)
    if not len(rows):
        return None, rows
    year = max(str(y) for y in rows["academic_year"].unique())
    return year, rows[(rows["academic_year"] == year).to_numpy()]


def group_tables(site: SiteData, area: InYearArea, page_year: str) -> tuple[Table, ...]:
    """One table per measure (persistent, overall absence): each group's rate, its comparison
    group's, the gap and England's gap, by term (and by phase for an LA)."""
    year, rows = _rows(site, area)
    if year is None:
        return ()
    national = area.code == ENGLAND
    phases = [(p, label) for p, label in PHASE_ORDER if (p == "total") == national]
    terms = [t for t in TERM_ORDER if t in set(rows["period"].astype(str))]
    index = {
        (str(r["period"]), str(r["phase"]), r["topic"], r["group"], r["indicator"]): r
        for r in rows.to_dict("records")
    }
    tables = []
    for indicator, slug, label in MEASURES:
        out = []
        for term in terms:
            for pair in PAIRS:
                for phase, phase_label in phases:
                    found = index.get((term, phase, pair.topic, pair.group, indicator))
                    if found is None:
                        continue
                    row = {
                        "pupils": pair.label if national else f"{pair.label}, {phase_label}",
                        "term": term,
                        "rate": found["group_value"],
                        "rate__status": found["group_status"],
                        "comparison": pair.comparison_label,
                        "comparison_rate": found["comparison_value"],
                        "comparison_rate__status": found["comparison_status"],
                        "gap": found["gap"],
                        "gap__status": found["gap_status"],
                        "england_gap": found["national_gap"],
                        "england_gap__status": found["national_gap_status"],
                    }
                    if national:
                        row["method"] = method_words(
                            site, str(found["group_method"]), "", indicator
                        )
                    out.append(row)
        if not out:
            continue
        columns = [
            Column("pupils", "Pupils"),
            Column("term", "Term"),
            Column("rate", f"{label} rate", "%"),
            Column("comparison", "Compared with"),
            Column("comparison_rate", "Their rate", "%"),
            Column("gap", "Gap", "percentage points"),
        ]
        how: tuple[str, ...] = ()
        if national:  # England's gap is the gap itself; say how the figures are made instead
            method, how = method_column(out, "How the figures are made", "England's figures are")
            columns.append(method)
        else:
            columns.append(Column("england_gap", "England's gap", "percentage points"))
        tables.append(
            Table(
                f"groups-{slug}",
                f"{label} by pupil group, {area.name}, state-funded schools, {period_label(year)}"
                + ("" if national else ", by phase"),
                tuple(columns),
                tuple(out),
                notes=(*_notes(site, area, year, page_year, indicator), *how),
                source=f"Source: {INYEAR}, by pupil characteristic (as published).",
            )
        )
    return tuple(tables)


def _notes(
    site: SiteData, area: InYearArea, year: str, page_year: str, indicator: str
) -> tuple[str, ...]:
    notes = []
    if year != page_year:
        notes.append(
            f"These figures are for {period_label(year)}, the latest year of DfE's in-year "
            f"figures by pupil group in the files read; the rest of this page is "
            f"{period_label(page_year)}."
        )
    notes.append(
        "Gap: the group's rate minus its comparison group's, in percentage points, from "
        "unrounded figures"
        + (
            "; England's gap is the same gap for England in the same phase and term."
            if area.code != ENGLAND
            else "."
        )
    )
    if indicator == "inyear_persistent_absence_rate":
        notes.append(
            "Persistent absence: pupils who missed 10% or more of their possible sessions in "
            "the term (DfE's published rate; no pupil counts are published with it)."
        )
    if area.code != ENGLAND:
        notes.append(_why_phases(site, area, indicator))
    notes.append(INYEAR_GROUPS_POLICY.format(threshold=DEFAULT_THRESHOLD))
    return tuple(notes)


def _why_phases(site: SiteData, area: InYearArea, indicator: str) -> str:
    """Why an LA's groups are shown by phase: the files' own reason, in words."""
    rows = site.inyear_group_rows(area.level, area.code)
    total = (rows["phase"] == "total").to_numpy() & (rows["indicator"] == indicator).to_numpy()
    methods = {str(m) for m in rows.loc[total, "group_method"]}
    reasons = sorted(
        {
            release.for_indicator(indicator in PUPIL_IDS)[1]
            for name, release in site.inyear_methods.items()
            if name in site.inyear_group_files
        }
        - {""}
    )
    if methods - {"none", "nan"}:
        return "All-schools figures combine the phases as the files' own totals do."
    return (
        f"DfE's files by pupil group give no all-schools row for {area.name}, and its phases "
        "cannot be combined the way the files combine them for England and the regions ("
        + "; ".join(reasons)
        + "), so its figures are shown by phase."
    )


def group_summary(site: SiteData, area: InYearArea) -> tuple[str, ...]:
    """A sentence on the FSM gap in persistent absence (England's, or the LA's secondary
    schools' against England's)."""
    year, rows = _rows(site, area)
    if year is None:
        return ()
    national = area.code == ENGLAND
    phase = "total" if national else "secondary"
    pick = rows[
        (rows["topic"] == "fsm").to_numpy()
        & (rows["group"] == "eligible").to_numpy()
        & (rows["phase"] == phase).to_numpy()
        & (rows["indicator"] == "inyear_persistent_absence_rate").to_numpy()
    ]
    terms = [t for t in TERM_ORDER if t in set(pick["period"].astype(str))]
    if not terms:
        return ()
    row = pick[(pick["period"] == terms[-1]).to_numpy()].iloc[0]
    if row["gap_status"] != "ok":
        return ()
    where = (
        "England's state-funded schools"
        if national
        else f"{area.name}'s state-funded secondary schools"
    )
    text = (
        f"In the {terms[-1].lower()} of {period_label(year)}, "
        f"{percent(row['group_value'])} of pupils eligible for free school meals in {where} "
        f"were persistently absent, against {percent(row['comparison_value'])} of those not "
        f"eligible: {_gap_words(row['gap'])}"
    )
    if not national and row["national_gap_status"] == "ok" and not math.isnan(row["national_gap"]):
        text += f" (England's state-funded secondary schools: {_gap_words(row['national_gap'])})"
    return (text + ".",)


def _gap_words(gap: float) -> str:
    """'17.4 percentage points higher', '0.3 percentage points lower', 'no different'."""
    shown = signed(gap, 1)
    if shown.startswith("+"):
        return f"{shown[1:]} percentage points higher"
    if shown.startswith("-"):
        return f"{shown[1:]} percentage points lower"
    return "no different"
