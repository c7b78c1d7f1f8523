"""Which kind of DfE file a header describes, and the column vocabulary of each kind."""

from __future__ import annotations

import re

#: file kind -> columns whose presence identifies it (all must be present); first match wins
SIGNATURES: dict[str, tuple[str, ...]] = {
    "lait": ("short_desc", "la_number", "values"),
    "lait-dictionary": ("measure_short", "polarity", "dps"),
    "neighbours": ("sn_1",),
    "neighbours-2021": ("sn1",),
    "absence-bands": ("pct5_oarate", "pct50plus_oarate"),
    "cin-absence": ("social_care_group", "t_sess_possible"),
    "attendance": ("time_period", "attendance_perc"),
    "attendance-pa": ("geographic_level", "pa_flag"),
    "absence": ("time_period", "time_identifier", "sess_possible"),
    "las": ("new_la_code", "date_of_operation", "status"),
    "region-hierarchy": ("region_code", "old_la_code", "new_la_code", "la_name"),
    "regions": ("region_code", "region_name"),
}


def kind_of(columns: list[str]) -> str | None:
    """The file kind for a set of normalised column names, or None when unrecognised."""
    present = set(columns)
    for kind, needed in SIGNATURES.items():
        if all(c in present for c in needed):
            if kind in ("las", "region-hierarchy", "regions") and "time_period" in present:
                continue
            if kind == "regions" and len(present) > 2:
                continue
            return "neighbours" if kind == "neighbours-2021" else kind
    if {"time_period", "geographic_level"} <= present or {"time_period", "level"} <= present:
        return "time-series (unknown measures)"
    return None


# ---- EES absence files -------------------------------------------------------------------

#: alternative spellings -> the name used here (after normalise_name)
ALIASES: dict[str, str] = {
    "level": "geographic_level",
    "school_urn": "urn",
    "school_laestab": "laestab",
    "education_phase": "phase",
    "school_type": "phase",
    "phase_type_grouping": "phase",
    "characteristic_breakdown": "breakdown",
    "characteristic": "breakdown",
}

#: the least a census absence file must have; other measures (enrolments, authorised and
#: unauthorised sessions, persistent absence…) are read when present and otherwise
#: 'not-published' (e.g. the by-term file has no enrolments, four-year-olds overall only)
REQUIRED_ABSENCE = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "sess_possible",
    "sess_overall",
)

COUNT_PATTERN = re.compile(r"^(num_schools|enrolments.*|sess_.*|t_.*)$")
RATE_PATTERN = re.compile(r"(_percent|percent_|_perc$|^pt_)")

LEVELS = {
    "national": "national",
    "regional": "regional",
    "local_authority": "la",
    "la": "la",
    "school": "school",
}

PERIODS = {
    "academic_year": "full-year",
    "six_half_terms": "full-year",
    "five_half_terms": "full-year",
    "autumn_and_spring_term": "autumn-spring",
    "autumn_and_spring_terms": "autumn-spring",
    "autumn_term": "autumn",
    "spring_term": "spring",
    "summer_term": "summer",
}

PHASES = {
    "total": "total",
    "all_schools": "total",
    "all": "total",
    "state_funded_primary": "primary",
    "primary": "primary",
    "state_funded_secondary": "secondary",
    "secondary": "secondary",
    "special": "special",
    "state_funded_special": "special",
    "state_funded_alternative_provision_school": "alternative-provision",
    "pupil_referral_unit": "alternative-provision",
}


def is_count(column: str) -> bool:
    return bool(COUNT_PATTERN.match(column)) and not RATE_PATTERN.search(column)


def is_rate(column: str) -> bool:
    return bool(COUNT_PATTERN.match(column) or column.startswith("pt_")) and bool(
        RATE_PATTERN.search(column)
    )


#: published rate column -> (numerator, denominator) counts it is computed from
PUBLISHED_RATES: dict[str, tuple[str, str]] = {
    "sess_overall_percent": ("sess_overall", "sess_possible"),
    "sess_authorised_percent": ("sess_authorised", "sess_possible"),
    "sess_unauthorised_percent": ("sess_unauthorised", "sess_possible"),
    "enrolments_pa_10_exact_percent": ("enrolments_pa_10_exact", "enrolments"),
    "sess_overall_percent_pa_10_exact": ("sess_overall_pa_10_exact", "sess_possible_pa_10_exact"),
    "sess_authorised_percent_pa_10_exact": (
        "sess_authorised_pa_10_exact",
        "sess_possible_pa_10_exact",
    ),
    "sess_unauthorised_percent_pa_10_exact": (
        "sess_unauthorised_pa_10_exact",
        "sess_possible_pa_10_exact",
    ),
    "enrolments_pa_50_exact_percent": ("enrolments_pa_50_exact", "enrolments"),
    "sess_overall_percent_pa_50_exact": ("sess_overall_pa_50_exact", "sess_possible_pa_50_exact"),
    "sess_authorised_percent_pa_50_exact": (
        "sess_authorised_pa_50_exact",
        "sess_possible_pa_50_exact",
    ),
    "sess_unauthorised_percent_pa_50_exact": (
        "sess_unauthorised_pa_50_exact",
        "sess_possible_pa_50_exact",
    ),
}

#: (smaller, larger, what it means): a row where smaller > larger is wrong
ORDER_RULES: tuple[tuple[str, str, str], ...] = (
    ("sess_overall", "sess_possible", "more sessions missed than possible"),
    ("sess_authorised", "sess_overall", "more authorised absence than overall absence"),
    ("sess_unauthorised", "sess_overall", "more unauthorised absence than overall absence"),
    ("enrolments_pa_10_exact", "enrolments", "more persistent absentees than enrolments"),
    ("enrolments_pa_50_exact", "enrolments", "more severe absentees than enrolments"),
    (
        "enrolments_pa_50_exact",
        "enrolments_pa_10_exact",
        "more severe (50%+) than persistent (10%+) absentees",
    ),
    (
        "sess_possible_pa_10_exact",
        "sess_possible",
        "more possible sessions for persistent absentees than for all enrolments",
    ),
    (
        "sess_overall_pa_10_exact",
        "sess_overall",
        "more absence by persistent absentees than by all enrolments",
    ),
    (
        "sess_overall_pa_10_exact",
        "sess_possible_pa_10_exact",
        "persistent absentees missed more sessions than they had",
    ),
    (
        "sess_possible_pa_50_exact",
        "sess_possible_pa_10_exact",
        "more possible sessions for severe than for persistent absentees",
    ),
    (
        "sess_overall_pa_50_exact",
        "sess_possible_pa_50_exact",
        "severe absentees missed more sessions than they had",
    ),
)
