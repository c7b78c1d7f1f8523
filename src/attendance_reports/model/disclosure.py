"""The small-number policy of public pages: which pupil-group figures are shown as ``[c]``.

Default (``DEFAULT_THRESHOLD`` = 6, ``small_numbers`` in site.yml): DfE's own practice for
the LA absence of children in need (the EES file in ../shared/data: the smallest LA count it
shows is 6, counts of 1 to 5 are ``c``, zeros are shown, and further cells of up to hundreds
of pupils are ``c`` so that none can be worked out), which is also the rule of DfE's
children's social care releases and within the range the GSS disclosure guidance leaves to
producers. A count of pupils from 1 to 5 is suppressed, and so is every figure built on it:

1. *primary*: a group with fewer than 6 enrolments has all its figures suppressed (its
   enrolments and every rate); a rate whose count of absentees is 1–5 is suppressed. A count
   of 0 is shown (DfE shows zeros).
2. *secondary* (no figure recoverable by subtraction): the groups of a topic add up to all
   pupils (eligible + not eligible + unclassified; Years 1–11; Gypsy/Roma + Traveller of Irish
   heritage = GRT), and a group's LAs add up to England's figure, which is shown. Where a
   measure of exactly one group of such a set (or of exactly one LA for a group) is
   suppressed, the next smallest group of the set (or LA) is suppressed as well (all its
   figures), and this is repeated until no set has exactly one hidden member.
3. anything computed from a suppressed figure (a gap, the change in a gap) is suppressed too,
   with the same reason; ``indicators.groups.gaps`` carries statuses through.

England's figures are exempt: DfE publishes them unsuppressed, and every national group
counts tens of thousands of pupils (only the 'unclassified' sex group is small, and it is
never shown).

Pure function of the group-rate table (``indicators.groups.group_rates``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.groups import SOURCE_KEYS
from attendance_reports.symbols import OK

DEFAULT_THRESHOLD = 6
SUPPRESSED = "suppressed"
#: measures whose numerator counts pupils (enrolments); others count sessions
PUPIL_MEASURES = ("persistent_absence_rate", "severe_absence_rate")

#: sets of groups of a topic that add up to a total a reader can see: all pupils, or (where
#: the first member is the sum of the others: SEN, GRT) that first member
PARTITIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fsm": (("eligible", "not_eligible", "unclassified"),),
    "sen": (
        ("any_sen", "no_sen", "unclassified"),
        ("ehcp", "sen_support", "no_sen", "unclassified"),
        ("any_sen", "ehcp", "sen_support"),
    ),
    "language": (("eal", "english", "unclassified"),),
    "sex": (("male", "female", "unclassified"),),
    "year": (tuple(f"year_{n}" for n in range(1, 12)),),
    "ethnicity": (("grt", "gypsy_roma", "traveller_irish"),),
}


def suppress(rates: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """The group-rate table with the small-number policy applied: suppressed rows get status
    'suppressed' and no value, numerator or denominator (so nothing on a page can show them)."""
    if not len(rates) or threshold <= 0:
        return rates
    out = rates.copy()
    key = [*SOURCE_KEYS, "topic"]
    local = (out["geographic_level"] != "national").to_numpy()
    enrol = (out["measure"] == "persistent_absence_rate").to_numpy() & local
    enrolments = out[enrol].set_index([*key, "group"])["denominator"]
    enrolments = enrolments[~enrolments.index.duplicated()]
    hidden: set[tuple] = set()  # (*key, group, measure); measure '*' = the whole group
    numerator = out["numerator"].to_numpy(dtype="float64")
    pupils = out["measure"].isin(PUPIL_MEASURES).to_numpy()
    ok = (out["status"] == OK).to_numpy()
    small = ok & local & pupils & (numerator > 0) & (numerator < threshold)
    ids = list(
        zip(*(out[k].to_numpy(dtype=object) for k in (*key, "group", "measure")), strict=True)
    )
    # cells the file itself suppressed ('c') are hidden too, and protected like ours
    already = local & (out["status"] == SUPPRESSED).to_numpy()
    for i in np.flatnonzero(small | already):
        hidden.add(ids[i])
    for index, value in enrolments.items():
        if value == value and 0 < value < threshold:  # not NaN and small (0 is shown)
            hidden.add((*index, "*"))
    measures = sorted(set(out["measure"]))
    by_set: dict[tuple, dict[str, float]] = {}
    for index, value in enrolments.items():
        by_set.setdefault(tuple(index[:-1]), {})[index[-1]] = value
    by_area: dict[tuple, dict[str, float]] = {}  # LA groups: (year, …, group) -> code -> size
    for index, value in enrolments.items():
        if index[2] == "la":
            by_area.setdefault((*index[:3], *index[4:]), {})[index[3]] = value
    changed = True
    while changed:
        changed = _within_areas(hidden, by_set, measures) | _across_areas(hidden, by_area, measures)
    if not hidden:
        return out
    whole = np.array([(*i[:-1], "*") in hidden for i in ids], dtype=bool)
    cell = np.array([i in hidden for i in ids], dtype=bool)
    mask = whole | cell
    out.loc[mask, "status"] = SUPPRESSED
    out.loc[mask, ["value", "numerator", "denominator"]] = np.nan
    return out


def _within_areas(hidden: set, by_set: dict, measures: list[str]) -> bool:
    """Secondary suppression inside an area: in every set of groups adding up to a total a
    reader can see (``PARTITIONS``), a measure hidden for exactly one group is hidden for the
    next smallest group too. Returns whether anything was added."""
    changed = False
    for area_topic, members in by_set.items():
        for partition in PARTITIONS.get(area_topic[-1], ()):
            present = [g for g in partition if g in members]
            for measure in [*measures, "*"]:
                gone = [
                    g
                    for g in present
                    if (*area_topic, g, "*") in hidden or (*area_topic, g, measure) in hidden
                ]
                if len(gone) != 1:
                    continue
                rest = [g for g in present if g not in gone and members[g] == members[g]]
                if not rest:
                    if partition[0] not in ("any_sen", "grt") and len(present) == 1:
                        # the only group present is all pupils: hide the total as well
                        total = (*area_topic[:-1], "all", "all", measure)
                        if total not in hidden:
                            hidden.add(total)
                            changed = True
                    continue
                smallest = min(rest, key=lambda g: (members[g], g))
                hidden.add((*area_topic, smallest, "*"))
                changed = True
    return changed


def _across_areas(hidden: set, by_area: dict, measures: list[str]) -> bool:
    """Secondary suppression across LAs: England's figure of a group is shown (unsuppressed)
    and is the sum of its LAs', so a measure hidden for exactly one LA is hidden for the next
    smallest LA with that group too. Returns whether anything was added."""
    changed = False
    for group_key, sizes in by_area.items():
        head, tail = group_key[:3], group_key[3:]  # (year, period, level), (source, topic, group)
        for measure in [*measures, "*"]:
            gone = [
                c
                for c in sizes
                if (*head, c, *tail, "*") in hidden or (*head, c, *tail, measure) in hidden
            ]
            if len(gone) != 1:
                continue
            rest = [c for c in sizes if c not in gone and sizes[c] == sizes[c]]
            if rest:
                hidden.add((*head, min(rest, key=lambda c: (sizes[c], c)), *tail, "*"))
                changed = True
    return changed


def visible_counts(rates: pd.DataFrame) -> pd.DataFrame:
    """The counts a page can show (status ok): for checks that nothing small is public."""
    shown = rates[rates["status"] == OK]
    return shown[[*SOURCE_KEYS, "topic", "group", "measure", "numerator", "denominator"]]


#: what the in-year pupil-group tables say about small numbers (inyear_group_policy)
INYEAR_GROUPS_POLICY = (
    "[c]: DfE suppressed the figure because the group is small; it stays hidden, and so does "
    "every gap built on it. DfE's in-year files by pupil group give no pupil counts, so the "
    "site's own rule (no figure for fewer than {threshold} pupils) cannot be applied beyond "
    "DfE's; these tables show rates only, with no counts from which a hidden figure could be "
    "worked out."
)


def inyear_group_policy(gaps: pd.DataFrame) -> pd.DataFrame:
    """The small-number policy for in-year pupil-group figures (``indicators.inyear_groups``):
    DfE's ``c`` stays suppressed and nothing derived from it is shown. These files carry no
    enrolment or pupil counts, so the threshold of ``suppress`` cannot be applied; a figure
    with status 'suppressed' has no value, and a gap or England's gap built on one is
    suppressed too (``group_gaps`` carries the statuses). Pure function: a copy is returned."""
    out = gaps.copy()
    for value, status in (
        ("group_value", "group_status"),
        ("comparison_value", "comparison_status"),
        ("gap", "gap_status"),
        ("national_gap", "national_gap_status"),
    ):
        hidden = (out[status] != OK).to_numpy()
        out.loc[hidden, value] = np.nan
    derived = (out["group_status"] == SUPPRESSED) | (out["comparison_status"] == SUPPRESSED)
    out.loc[derived.to_numpy(), "gap_status"] = SUPPRESSED
    return out
