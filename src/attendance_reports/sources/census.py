"""School census absence files ("Pupil absence in schools in England", EES): full year,
autumn and spring terms, single terms, pupil referral units / alternative provision,
four-year-olds and national pupil-characteristics tables — one layout family, read by
``validate.validate_absence``.

``recognise`` says which pupils a file covers (from its phase column's values, then its name
and EES ``.meta.csv``) and which period type its rows hold (from ``time_identifier``). A file
whose pupils cannot be told is refused with one line saying what to add."""

from __future__ import annotations

import re

import pandas as pd

from attendance_reports.sources.contract import Recognised, Source, stamp
from attendance_reports.sources.layouts import ALIASES, PERIODS, PHASES, kind_of
from attendance_reports.sources.read import RawTable
from attendance_reports.sources.reference import Reference
from attendance_reports.sources.validate import Finding, slug, validate_absence

FAMILY = "census-absence"

#: phase ids (layouts.PHASES) -> the population their rows belong to
PHASE_POPULATION = {
    "total": "state-funded",
    "primary": "state-funded",
    "secondary": "state-funded",
    "special": "state-funded",
    "alternative-provision": "alternative-provision",
}

#: words in a file name (or its EES metadata labels) that say which pupils it covers
NAME_HINTS = (
    (
        re.compile(r"(^|[^a-z])(pru|pupil_referral|alternative_provision|_ap)([^a-z]|$)"),
        "alternative-provision",
    ),
    (re.compile(r"four_year_olds|4_year_olds|fouryearolds"), "four-year-olds"),
)

#: time_identifier periods (layouts.PERIODS values) -> period type
PERIOD_TYPE = {
    "full-year": "full-year",
    "autumn-spring": "autumn-spring",
    "autumn": "term",
    "spring": "term",
    "summer": "term",
}


def _phase_column(table: RawTable) -> str | None:
    for column in table.frame.columns:
        if ALIASES.get(column) == "phase" or column == "phase":
            return column
    return None


def _name_hint(table: RawTable) -> str | None:
    text = slug(table.name.rsplit("/", 1)[-1])
    for pattern, population in NAME_HINTS:
        if pattern.search(text):
            return population
    return None


def population_of(table: RawTable) -> tuple[str, str]:
    """(population id, how it was told) — ('', reason) when it cannot be told."""
    hint = _name_hint(table)
    if hint == "four-year-olds":
        return hint, "file name (four-year-olds)"
    column = _phase_column(table)
    if column is not None:
        values = {
            PHASES.get(slug(v), slug(v).replace("_", "-"))
            for v in pd.unique(table.frame[column].astype("string").fillna("").str.strip())
            if v
        }
        populations = {PHASE_POPULATION.get(v) for v in values}
        if None in populations:
            unknown = sorted(v for v in values if v not in PHASE_POPULATION)
            return "", f"its {table.labels.get(column, column)} column has '{unknown[0]}'"
        if populations == {"alternative-provision"}:
            return "alternative-provision", f"{table.labels.get(column, column)} values"
        if values == {"special"}:
            return "special", f"{table.labels.get(column, column)} values (special only)"
        return "state-funded", f"{table.labels.get(column, column)} values"
    if hint:
        return hint, "file name"
    labels = " ".join(m.get("label", "") for m in table.meta.values()).lower()
    if "pupil referral" in labels or "alternative provision" in labels:
        return "alternative-provision", "EES metadata labels"
    return "", "it has no school_type or education_phase column and its name does not say"


def period_type_of(table: RawTable) -> str:
    if "time_identifier" not in table.frame.columns:
        return "mixed"
    kinds = {
        PERIOD_TYPE.get(PERIODS.get(slug(v), ""), "mixed")
        for v in pd.unique(table.frame["time_identifier"].astype("string").fillna(""))
    }
    return kinds.pop() if len(kinds) == 1 else "mixed"


def recognise(table: RawTable) -> Recognised | None:
    if kind_of(list(table.frame.columns)) != "absence":
        return None
    population, how = population_of(table)
    if not population:
        return Recognised(
            FAMILY,
            "none",
            "none",
            problem=f"cannot tell which pupils this file covers: {how}",
            hint="add the school_type column DfE publishes (State-funded primary, Pupil "
            "referral unit, …) or keep DfE's file name (e.g. …_pru.csv)",
        )
    return Recognised(FAMILY, population, period_type_of(table), reason=how)


def read(
    table: RawTable, recognised: Recognised, reference: Reference
) -> tuple[pd.DataFrame, list[Finding]]:
    frame, findings = validate_absence(table, reference)
    population = frame["phase"].astype("string").map(PHASE_POPULATION).fillna(recognised.population)
    if recognised.population in ("four-year-olds", "special"):
        population = pd.Series(recognised.population, index=frame.index)
    elif recognised.population == "alternative-provision":
        population = pd.Series("alternative-provision", index=frame.index)
    frame["population"] = population.astype("category")
    frame["period_type"] = (
        frame["period"].astype("string").map(PERIOD_TYPE).fillna("mixed").astype("category")
    )
    return stamp(frame, recognised), findings


SOURCE = Source(
    family=FAMILY,
    title="Pupil absence in schools in England (school census)",
    target="absence",
    recognise=recognise,
    read=read,
)
