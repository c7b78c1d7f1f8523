"""A school among other schools: where it stands among the schools of its phase in its district
(or LA) and among the most similar schools (free school meals, size), in sentences and ranked
tables (linked where the site has the school's page). The groups and their figures come from
school_facts.py; this module picks and arranges them.
"""

from __future__ import annotations

import math

from attendance_reports.model.area import _sources_line
from attendance_reports.model.report_model import Column, Table
from attendance_reports.model.site_data import CENSUS, SiteData
from attendance_reports.render.formatting import counted, noun, percent, period_label

NAN = float("nan")
PHASE_WORDS = {"primary": "primary", "secondary": "secondary", "special": "special"}
WINDOW = 5  # schools shown either side of this one in a long local list


def comparisons(site: SiteData, urn: str, phase: str, year: str, short: str, las):
    """Sentences and tables: the school among its local and its most similar schools."""
    facts = site.schools
    if urn not in facts.comparisons.index:
        return (), None, None
    c = facts.comparisons.loc[urn]
    words = PHASE_WORDS.get(phase, phase)
    sentences = []
    local_members = facts.local_members.get(str(c["local_key"]), ())
    place = str(c["local_place"])
    group = f"{words} schools in {place}"
    if len(local_members) > 1:
        sentences.append(_position_sentence(short, c, "local", words, f" in {place}", year))
    similar_members = facts.similar.get(urn, ())
    if similar_members:
        sentences.append(
            _position_sentence(
                short,
                c,
                "similar",
                words,
                f" in {facts.scope} most like it in free school meals eligibility and size",
                year,
            )
        )
    local = (
        _group_table(
            site, urn, (*local_members,), year, phase, "local", f"State-funded {group}", las
        )
        if len(local_members) > 1
        else None
    )
    similar = (
        _group_table(
            site,
            urn,
            (urn, *similar_members),
            year,
            phase,
            "similar",
            f"The {counted(len(similar_members), f'{words} school')} in {facts.scope} most similar to "
            f"{short}, and this school",
            las,
        )
        if similar_members
        else None
    )
    return tuple(sentences), local, similar


def _position_sentence(short: str, c, prefix: str, words: str, tail: str, year: str) -> str:
    """'… had lower overall absence than 21 of the other 30 primary schools in Fenland';
    with one other school: '… than the 1 other primary school in Fenland'."""
    higher, same, lower = (int(c[f"{prefix}_{k}"]) for k in ("higher", "same", "lower"))
    others = higher + same + lower
    schools = f"{noun(others, f'{words} school')}{tail}"
    if others == 1:
        who = f"the 1 {'other ' if prefix == 'local' else ''}{schools}"
    else:
        who = f"the {'other ' if prefix == 'local' else ''}{others:,} {schools}"
    when = f"In {period_label(year)}, {short} had"
    every = "" if others == 1 else "all "
    if higher == others:
        text = f"{when} lower overall absence than {every}{who}."
    elif lower == others:
        text = f"{when} higher overall absence than {every}{who}."
    elif same == others:
        text = f"{when} the same overall absence as {every}{who}."
    else:
        text = f"{when} lower overall absence than {higher:,} of {who}"
        text += f", the same as {same:,}." if same else "."
    rate = percent(c[f"{prefix}_overall"], status=str(c[f"{prefix}_overall_status"]))
    who = "Together they" if prefix == "similar" else "Together (this school included) they"
    return f"{text} {who} missed {rate} of their possible sessions."


def has_page(site: SiteData, urn: str, las: tuple[str, ...] | None) -> bool:
    """Whether the site has a page for a school (its LA's schools are built)."""
    return las is None or str(site.schools.row(urn).get("la_code")) in las


def _group_table(site, urn, members, year, phase, table_id, caption, las) -> Table:
    shown = ("enrolments", "overall_absence_rate", "persistent_absence_rate")
    values = site.pick("school", list(members), year, shown)
    missing = (NAN, "not-available")
    rows = []
    for member in members:
        row = {
            "school": site.schools.label(member),
            "school__href": f"school/{site.schools.page_of(member)}.html",
        }
        if member == urn or not has_page(site, member, las):
            row.pop("school__href")
        if member == urn:
            row["school"] += " (this school)"
        for key in shown:
            row[key], row[f"{key}__status"] = values.get((member, phase, key), missing)
        if table_id == "similar":
            fsm = float(site.schools.row(member).get("fsm_percent", NAN))
            row["fsm"], row["fsm__status"] = fsm, "ok" if fsm == fsm else "not-available"
        rows.append(row)
    rows.sort(key=lambda r: (math.isnan(r["overall_absence_rate"]), r["overall_absence_rate"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = float(rank)
    total = len(rows)
    mine = next((i for i, r in enumerate(rows) if r["school"].endswith("(this school)")), 0)
    note = ""
    if total > 2 * WINDOW + 1:
        start = max(0, min(mine - WINDOW, total - 2 * WINDOW - 1))
        rows = rows[start : start + 2 * WINDOW + 1]
        note = (
            f"The {WINDOW} schools either side of this one in the ranking of all {total:,}; "
            "every school's page is listed on its local authority's page."
        )
    columns = [
        Column("school", "School"),
        Column("rank", "Rank (1 = lowest absence)", "count"),
        Column("enrolments", "Enrolments", "count"),
        Column("overall_absence_rate", "Overall absence rate", "%"),
        Column("persistent_absence_rate", "Persistent absence rate", "%"),
    ]
    if table_id == "similar":
        columns.append(Column("fsm", "Eligible for free school meals, January 2023 (%)", "%"))
    notes = [note] if note else []
    if table_id == "similar":
        notes.append(
            f"Similar schools: the {counted(len(members) - 1, 'school')} of the same phase in "
            f"{site.schools.scope} whose share of pupils "
            "known to be eligible for free school meals (January 2023) and number of "
            "enrolments (log scale) are nearest to this school's, each measured in standard "
            "deviations across the schools of that phase."
        )
    notes.append("Schools with fewer than 6 enrolments are left out of comparisons.")
    return Table(
        table_id,
        f"{caption}, {period_label(year)}, ranked by overall absence (lowest first)",
        tuple(columns),
        tuple(rows),
        notes=tuple(notes),
        source=_sources_line([CENSUS]),
    )
