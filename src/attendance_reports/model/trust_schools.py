"""An academy trust's member schools on its page: each school against its LA and England (same
phase), how many were at or below England's rate for their phase each year, and the members
whose figures are under an earlier URN (listed, never counted).
Membership is the school census table's (January 2023). Picks and arranges values; computes
none.
"""

from __future__ import annotations

import pandas as pd

from attendance_reports.model.area import ENGLAND, _Area, _sources_line
from attendance_reports.model.report_model import Column, Table
from attendance_reports.model.school_comparisons import has_page
from attendance_reports.model.site_data import CENSUS, SiteData
from attendance_reports.render.formatting import period_label

NAN = float("nan")
AS_AT = "January 2023"


def members_table(site: SiteData, code: str, name: str, year: str, las) -> Table:
    """The trust's member schools (by their January 2023 URN), each against its LA and England
    (same phase) in ``year``, linked where the site has the school's page."""
    facts = site.schools
    members = facts.members(code)
    shown = ("enrolments", "overall_absence_rate", "persistent_absence_rate")
    values = site.pick("school", members, year, shown)
    rows = []
    for urn in members:
        school = facts.row(urn)
        phase = str(school["phase"])
        la_code = str(school["la_code"])
        la = _Area(site, "la", la_code)
        england = _Area(site, "national", ENGLAND)
        row = {
            "school": facts.label(urn),
            "school__href": f"school/{facts.page_of(urn)}.html",
            "la": str(school["la_name"]),
            "phase": str(school["phase_label"]),
            "since": period_label(str(school["first"])),
        }
        for key in shown:
            row[key], row[f"{key}__status"] = values.get((urn, phase, key), (NAN, "not-available"))
        if not has_page(site, urn, las):
            row.pop("school__href")
        row["la_rate"], row["la_rate__status"] = la.get(year, "overall_absence_rate", phase)[:2]
        row["england"], row["england__status"] = england.get(year, "overall_absence_rate", phase)[
            :2
        ]
        if row["overall_absence_rate__status"] == "ok" and row["england__status"] == "ok":
            row["verdict"] = "Yes" if row["overall_absence_rate"] <= row["england"] else "No"
        else:
            row["verdict"] = "No figure for this year"
        rows.append(row)
    rows.sort(key=lambda r: r["school"].casefold())
    return Table(
        "schools",
        f"Schools of {name} ({AS_AT}) against their local authority and England, "
        f"{period_label(year)}",
        (
            Column("school", "School"),
            Column("la", "Local authority"),
            Column("phase", "Phase"),
            Column("since", "Figures under this URN from"),
            Column("enrolments", "Enrolments", "count"),
            Column("overall_absence_rate", "Overall absence rate", "%"),
            Column("la_rate", "Its local authority (same phase)", "%"),
            Column("england", "England (same phase)", "%"),
            Column("verdict", "At or below England's rate"),
            Column("persistent_absence_rate", "Persistent absence rate", "%"),
        ),
        tuple(rows),
        notes=(
            "'Figures under this URN from': the first year the school has figures under the URN "
            "it had in January 2023 (when it opened or became an academy); it may have joined "
            "the trust later.",
        ),
        source=_sources_line([CENSUS]),
    )


def later_table(site: SiteData, later: pd.DataFrame, name: str, las) -> Table | None:
    """Members whose figures are all under an earlier URN (they joined after the latest year):
    listed, never counted for the trust."""
    if not len(later):
        return None
    facts = site.schools
    rows = []
    for r in later.sort_values(["name", "urn"]).to_dict("records"):
        earlier = str(r["earlier"])
        rows.append(
            {
                "school": facts.label(earlier),
                "now": f"{r['name']} (URN {r['urn']})",
                "last": period_label(str(facts.row(earlier)["last"])),
            }
        )
        if has_page(site, earlier, las):
            rows[-1]["school__href"] = f"school/{facts.page_of(earlier)}.html"
    return Table(
        "later",
        f"Schools of {name} in {AS_AT} whose figures here are from before they joined",
        (
            Column("school", "Figures here under"),
            Column("now", "In the trust in January 2023 as"),
            Column("last", "Latest figures"),
        ),
        tuple(rows),
        notes=("These figures are not counted in the trust's.",),
    )


def at_or_better_table(name: str, counts: pd.DataFrame) -> Table | None:
    """How many of the trust's schools were at or below England's rate for their phase, by
    year (``counts``: assemble_trust's at-or-better rows)."""
    if not len(counts):
        return None
    rows = []
    for r in counts.to_dict("records"):
        rows.append(
            {
                "year": period_label(str(r["time_period"])),
                "schools": float(r["compared"]),
                "overall": float(r["at_or_better"]),
                "persistent": float(r["at_or_better_persistent"])
                if not pd.isna(r.get("at_or_better_persistent"))
                else NAN,
                "persistent__status": "ok"
                if not pd.isna(r.get("at_or_better_persistent"))
                else "not-available",
            }
        )
    return Table(
        "at-or-better",
        f"Schools of {name} at or better than England's rate for their phase, by year",
        (
            Column("year", "Academic year"),
            Column("schools", "Schools with figures", "count"),
            Column("overall", "At or below England's overall absence rate", "count"),
            Column("persistent", "At or below England's persistent absence rate", "count"),
        ),
        tuple(rows),
        notes=(
            "Each school's unrounded rate is compared with England's unrounded rate for the "
            "school's phase (lower absence is better).",
        ),
        source=_sources_line([CENSUS]),
    )
