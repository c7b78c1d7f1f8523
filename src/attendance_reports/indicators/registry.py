"""The indicator registry: every published indicator id, what it means and how it is made.

Indicator ids and the columns of the indicator table are a public contract (README lists them).
Each indicator is a ratio of sums of counts (or a count), so it aggregates correctly to any
grouping: sum the counts, then divide. Values are unrounded; ``decimals`` says how pages show
them.
"""

from __future__ import annotations

from dataclasses import dataclass

LOWER_IS_BETTER = "lower is better"
NEUTRAL = "neither higher nor lower is better"

Terms = tuple[tuple[str, int], ...]  # (count column, +1 or -1)


@dataclass(frozen=True)
class SeriesBreak:
    time_period: str  # the first year after the break, e.g. "201213"
    kind: str  # "caution" (compare with care) or "gap" (no data; no change across it)
    note: str


#: breaks in every census absence series (CONVENTIONS.md)
CENSUS_BREAKS: tuple[SeriesBreak, ...] = (
    SeriesBreak("201213", "caution", "From 2012/13 the year has six half terms (five before)."),
    SeriesBreak(
        "201516",
        "caution",
        "From 2015/16 persistent absence uses the 10% 'exact' method (back series restated).",
    ),
    SeriesBreak(
        "202021", "gap", "No full-year data for 2019/20 (COVID-19: summer term not collected)."
    ),
    SeriesBreak(
        "202122", "caution", "2020/21 and 2021/22 were recorded during COVID-19: compare with care."
    ),
)


@dataclass(frozen=True)
class Indicator:
    """One indicator. ``numerator``/``denominator`` are sums of count columns."""

    id: str
    label: str
    definition: str
    numerator: Terms
    denominator: Terms | None  # None: a count
    unit: str  # "%", "sessions", "enrolments", "schools", "percentage points", "rank", "band"
    decimals: int
    polarity: str = LOWER_IS_BETTER
    first_year: str = "200607"
    breaks: tuple[SeriesBreak, ...] = CENSUS_BREAKS
    scale: float = 100.0
    headline: bool = False  # ranked among LAs, 3-year average
    change: bool = False  # year-on-year change published

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.numerator + (self.denominator or ()))


def _rate(
    id_: str, label: str, definition: str, num: str | Terms, den: str | Terms, **kw
) -> Indicator:
    n = ((num, 1),) if isinstance(num, str) else num
    d = ((den, 1),) if isinstance(den, str) else den
    return Indicator(id_, label, definition, n, d, "%", 1, **kw)


def _count(id_: str, label: str, column: str, unit: str, **kw) -> Indicator:
    return Indicator(
        id_,
        label,
        f"Number of {label.lower()}.",
        ((column, 1),),
        None,
        unit,
        0,
        polarity=kw.pop("polarity", NEUTRAL),
        scale=1.0,
        **kw,
    )


def _per(id_: str, label: str, definition: str, num: Terms, den: Terms, **kw) -> Indicator:
    return Indicator(id_, label, definition, num, den, "sessions", 1, scale=1.0, **kw)


PA, SA = "_pa_10_exact", "_pa_50_exact"
REASONS: tuple[tuple[str, str, str], ...] = (
    ("illness", "sess_auth_illness", "Illness (not medical or dental appointments)"),
    ("medical_appointments", "sess_auth_appointments", "Medical or dental appointments"),
    ("religious_observance", "sess_auth_religious", "Religious observance"),
    ("study_leave", "sess_auth_study", "Study leave"),
    ("traveller", "sess_auth_traveller", "Traveller absence"),
    ("authorised_holiday", "sess_auth_holiday", "Authorised holiday"),
    ("extended_holiday", "sess_auth_ext_holiday", "Extended authorised holiday"),
    ("excluded", "sess_auth_excluded", "Excluded, no alternative provision"),
    ("authorised_other", "sess_auth_other", "Other authorised"),
    ("unauthorised_holiday", "sess_unauth_holiday", "Unauthorised holiday"),
    ("late", "sess_unauth_late", "Late after registers closed"),
    ("unauthorised_other", "sess_unauth_other", "Other unauthorised"),
    ("no_reason_yet", "sess_unauth_noyet", "No reason yet"),
)


BASE: tuple[Indicator, ...] = (
    _count("schools", "Schools", "num_schools", "schools"),
    _count("enrolments", "Enrolments", "enrolments", "enrolments", change=True),
    _count("sessions_possible", "Sessions possible", "sess_possible", "sessions"),
    _count(
        "sessions_missed",
        "Sessions missed (overall absence)",
        "sess_overall",
        "sessions",
        polarity=LOWER_IS_BETTER,
    ),
    _rate(
        "overall_absence_rate",
        "Overall absence rate",
        "Overall absence sessions as a percentage of possible sessions, over all enrolments.",
        "sess_overall",
        "sess_possible",
        headline=True,
        change=True,
    ),
    _rate(
        "authorised_absence_rate",
        "Authorised absence rate",
        "Authorised absence sessions as a percentage of possible sessions.",
        "sess_authorised",
        "sess_possible",
        headline=True,
        change=True,
    ),
    _rate(
        "unauthorised_absence_rate",
        "Unauthorised absence rate",
        "Unauthorised absence sessions as a percentage of possible sessions.",
        "sess_unauthorised",
        "sess_possible",
        headline=True,
        change=True,
    ),
    *(
        _rate(
            f"reason_{key}_rate",
            f"{label} rate",
            f"Sessions missed for '{label.lower()}' as a percentage of possible sessions.",
            column,
            "sess_possible",
        )
        for key, column, label in REASONS
    ),
    _count(
        "persistent_absentees",
        "Persistent absentees (10% or more)",
        "enrolments" + PA,
        "enrolments",
        polarity=LOWER_IS_BETTER,
        first_year="200607",
        change=True,
    ),
    _rate(
        "persistent_absence_rate",
        "Persistent absence rate (10% or more)",
        "Enrolments missing 10% or more of their own possible sessions, as a percentage of "
        "enrolments.",
        "enrolments" + PA,
        "enrolments",
        headline=True,
        change=True,
    ),
    _count(
        "severe_absentees",
        "Severe absentees (50% or more)",
        "enrolments" + SA,
        "enrolments",
        polarity=LOWER_IS_BETTER,
        change=True,
    ),
    _rate(
        "severe_absence_rate",
        "Severe absence rate (50% or more)",
        "Enrolments missing 50% or more of their own possible sessions, as a percentage of "
        "enrolments.",
        "enrolments" + SA,
        "enrolments",
        headline=True,
        change=True,
    ),
    *(
        _rate(
            f"{cohort}_cohort_{kind}_absence_rate",
            f"{kind.capitalize()} absence rate of {cohort} absentees",
            f"{kind.capitalize()} absence sessions of {cohort} absentees as a percentage of their "
            "possible sessions.",
            f"sess_{kind}{suffix}",
            f"sess_possible{suffix}",
        )
        for cohort, suffix in (("persistent", PA), ("severe", SA))
        for kind in ("overall", "authorised", "unauthorised")
    ),
    _rate(
        "overall_absence_rate_excluding_persistent",
        "Overall absence rate without persistent absentees",
        "Overall absence rate of the enrolments that were not persistently absent.",
        (("sess_overall", 1), ("sess_overall" + PA, -1)),
        (("sess_possible", 1), ("sess_possible" + PA, -1)),
        change=True,
    ),
    _rate(
        "overall_absence_rate_excluding_severe",
        "Overall absence rate without severe absentees",
        "Overall absence rate of the enrolments that were not severely absent.",
        (("sess_overall", 1), ("sess_overall" + SA, -1)),
        (("sess_possible", 1), ("sess_possible" + SA, -1)),
        change=True,
    ),
    _per(
        "sessions_missed_per_enrolment",
        "Sessions missed per enrolment",
        "Overall absence sessions divided by enrolments.",
        (("sess_overall", 1),),
        (("enrolments", 1),),
        change=True,
    ),
    _per(
        "sessions_missed_per_persistent_absentee",
        "Sessions missed per persistent absentee",
        "Overall absence sessions of persistent absentees divided by their number.",
        (("sess_overall" + PA, 1),),
        (("enrolments" + PA, 1),),
    ),
    _per(
        "sessions_missed_per_other_enrolment",
        "Sessions missed per enrolment that was not persistently absent",
        "Overall absence sessions of the other enrolments divided by their number.",
        (("sess_overall", 1), ("sess_overall" + PA, -1)),
        (("enrolments", 1), ("enrolments" + PA, -1)),
    ),
    _per(
        "sessions_missed_per_severe_absentee",
        "Sessions missed per severe absentee",
        "Overall absence sessions of severe absentees divided by their number.",
        (("sess_overall" + SA, 1),),
        (("enrolments" + SA, 1),),
    ),
    _per(
        "sessions_missed_per_non_severe_enrolment",
        "Sessions missed per enrolment that was not severely absent",
        "Overall absence sessions of the other enrolments divided by their number.",
        (("sess_overall", 1), ("sess_overall" + SA, -1)),
        (("enrolments", 1), ("enrolments" + SA, -1)),
    ),
)

#: LAIT-only measures (rates published without counts)
LAIT_ONLY: tuple[Indicator, ...] = (
    _rate(
        "overall_absence_rate_four_year_olds",
        "Overall absence rate of four-year-olds",
        "Overall absence sessions of four-year-olds as a percentage of their possible sessions.",
        "sess_overall",
        "sess_possible",
    ),
    _rate(
        "persistent_absence_rate_children_in_need",
        "Persistent absence rate of children in need",
        "Children in need missing 10% or more of their possible sessions, as a percentage.",
        "enrolments" + PA,
        "enrolments",
    ),
)


def _derived() -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    for ind in BASE:
        if ind.change:
            unit = "percentage points" if ind.unit == "%" else ind.unit
            out.append(
                Indicator(
                    f"{ind.id}_change",
                    f"Change in {ind.label.lower()} since the previous year",
                    f"{ind.label} this year minus the year before, from unrounded values"
                    + (" (percentage points)." if ind.unit == "%" else "."),
                    ind.numerator,
                    ind.denominator,
                    unit,
                    ind.decimals,
                    ind.polarity,
                    ind.first_year,
                    ind.breaks,
                    ind.scale,
                )
            )
        if ind.headline:
            out.append(
                Indicator(
                    f"{ind.id}_3yr_average",
                    f"{ind.label}, 3-year average",
                    f"{ind.label} over this year and the two before, as a ratio of summed counts.",
                    ind.numerator,
                    ind.denominator,
                    ind.unit,
                    ind.decimals,
                    ind.polarity,
                    ind.first_year,
                    ind.breaks,
                    ind.scale,
                )
            )
            out.append(
                Indicator(
                    f"{ind.id}_rank",
                    f"{ind.label}: rank among local authorities",
                    "Rank among local authorities, 1 = lowest (best, as lower is better); "
                    "ties share the best rank.",
                    ind.numerator,
                    ind.denominator,
                    "rank",
                    0,
                    LOWER_IS_BETTER,
                    ind.first_year,
                    ind.breaks,
                )
            )
            out.append(
                Indicator(
                    f"{ind.id}_quartile",
                    f"{ind.label}: quartile band among local authorities",
                    "Quartile band A–D by rank: A = the quarter of LAs with the lowest rate (best, "
                    "as lower is better), D = the highest. Value 1–4 means A–D.",
                    ind.numerator,
                    ind.denominator,
                    "band",
                    0,
                    LOWER_IS_BETTER,
                    ind.first_year,
                    ind.breaks,
                )
            )
    # PA vs non-PA: extra sessions missed
    out.append(
        Indicator(
            "extra_sessions_missed_per_persistent_absentee",
            "Extra sessions missed by a persistent absentee",
            "Mean sessions missed per persistent absentee minus mean per other enrolment.",
            (("sess_overall" + PA, 1),),
            (("enrolments" + PA, 1),),
            "sessions",
            0,
            scale=1.0,
        )
    )
    out.append(
        Indicator(
            "extra_sessions_missed_per_severe_absentee",
            "Extra sessions missed by a severe absentee",
            "Mean sessions missed per severe absentee minus mean per other enrolment.",
            (("sess_overall" + SA, 1),),
            (("enrolments" + SA, 1),),
            "sessions",
            0,
            scale=1.0,
        )
    )
    return tuple(out)


DERIVED = _derived()
REGISTRY: dict[str, Indicator] = {i.id: i for i in (*BASE, *LAIT_ONLY, *DERIVED)}
HEADLINE_IDS = tuple(i.id for i in BASE if i.headline)


def get(indicator_id: str) -> Indicator:
    return REGISTRY[indicator_id]


@dataclass(frozen=True)
class FileIndicator:
    """An indicator of a file read on its own (``indicators/rate_bands.py``,
    ``indicators/missed_by_reason.py``), not computed from census counts by compute.py:
    ``published`` says whether its value is DfE's figure as published or one computed here
    (``method`` on each row says how)."""

    id: str
    label: str
    definition: str
    unit: str
    decimals: int
    published: bool
