"""Which England figure an academy trust is compared with, and how the page says it: like with
like. When every counted school of the trust in a year is of one phase, the trust is compared
with England's rate for that phase ("across England's state-funded primary schools"); when it
has schools of several phases, with England's rate for all state-funded primary, secondary and
special schools, saying plainly that the mix of phases differs. The trust page (assemble_trust.py)
and the trust's overview (overview_schools.py) use the same rule. Picks; computes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: the phases a school is counted in (a trust's 'total' is their sum)
PHASES = ("primary", "secondary", "special")
#: England's schools of a phase, in a sentence
SCHOOLS = {
    "primary": "state-funded primary schools",
    "secondary": "state-funded secondary schools",
    "special": "special schools",
    "total": "state-funded primary, secondary and special schools",
}
#: the same, in a table heading or a chart's line label
SHORT = {
    "primary": "primary",
    "secondary": "secondary",
    "special": "special",
    "total": "all phases",
}
MIX = "a different mix of phases: see the table by phase"


def phases_of(values: dict, year: str) -> tuple[str, ...]:
    """The phases of the trust's counted schools in ``year``, from its values ((year, phase,
    indicator) -> (value, status, …)). A school of any other phase (the phases' schools do not
    add up to the total) makes it a mix: ('primary', 'other')."""
    found, total = [], 0.0
    for phase in PHASES:
        value, status = values.get((year, phase, "schools"), (math.nan, "not-available"))[:2]
        if status == "ok" and value > 0:
            found.append(phase)
            total += value
    value, status = values.get((year, "total", "schools"), (math.nan, "not-available"))[:2]
    if status == "ok" and value != total:
        found.append("other")
    return tuple(found)


@dataclass(frozen=True)
class EnglandComparison:
    """England's phase the trust is compared with (``phase``: 'primary', … or 'total') and the
    words that say so."""

    phase: str
    #: 'England's state-funded primary schools' / 'all England's state-funded primary, …'
    words: str
    #: 'England (primary)' / 'England (all phases)'
    short: str
    #: the trust has schools of several phases: England's all-schools rate, a different mix
    mixed: bool


def compared_with(phases: tuple[str, ...]) -> EnglandComparison:
    """One phase -> England's rate for that phase; several (or none) -> England's rate for all
    its state-funded primary, secondary and special schools."""
    if len(phases) == 1 and phases[0] in SCHOOLS:
        phase = phases[0]
        return EnglandComparison(
            phase, f"England's {SCHOOLS[phase]}", f"England ({SHORT[phase]})", False
        )
    return EnglandComparison(
        "total", f"all England's {SCHOOLS['total']}", f"England ({SHORT['total']})", len(phases) > 1
    )


def for_year(values: dict, year: str) -> EnglandComparison:
    """The comparison for one year's figures (the lead sentence, the overview)."""
    return compared_with(phases_of(values, year))


def for_years(values: dict, years: list[str]) -> tuple[EnglandComparison, bool]:
    """The comparison for a trend across ``years``, and whether the trust's mix of phases
    changed over them: one phase throughout -> that phase; otherwise (several phases, or a
    mix that changes) England's all-schools line."""
    mixes = {phases_of(values, y) for y in years}
    if len(mixes) == 1:
        return compared_with(next(iter(mixes))), False
    return compared_with(("primary", "secondary", "special")), True
