"""The summary sentences of a pupil-group page: the groups with the widest gaps, each against
England's gap, and the groups not shown. The wording is narrative.TEMPLATES; nothing is
computed here (the gaps are figures of the indicator layer)."""

from __future__ import annotations

from attendance_reports.model.narrative import has, join_words, say
from attendance_reports.model.report_model import Figure
from attendance_reports.render.formatting import points
from attendance_reports.render.formatting import round_half_up as _round


def _narrower(area: Figure, england: Figure) -> str:
    """'wider than', 'narrower than' or 'the same as', on the gaps as shown."""
    a, b = _round(float(area.value), area.decimals), _round(float(england.value), england.decimals)
    return "wider than" if a > b else "narrower than" if a < b else "the same as"


def group_gap_sentences(
    name: str, year: str, figures: tuple, national: bool, top: int = 2, care: bool = False
) -> tuple[str, ...]:
    """Sentences naming the groups with the widest gaps (the gap as shown, largest first),
    each against England's gap; suppressed groups are named as not shown. ``figures`` are
    NamedFigures ``<topic>_<group>_gap`` / ``_national_gap`` (assemble_groups.py)."""
    from attendance_reports.sources.group_labels import GROUP_BY_ID, describe

    gaps: dict[str, Figure] = {}
    england: dict[str, Figure] = {}
    for named in figures:
        if named.name.endswith("_national_gap"):
            england[named.name[: -len("_national_gap")]] = named.figure
        elif named.name.endswith("_gap"):
            gaps[named.name[: -len("_gap")]] = named.figure
    definitions = {f"{d.topic}_{d.group}": d for d in GROUP_BY_ID.values()}
    shown = [(k, f) for k, f in gaps.items() if has(f)]
    shown.sort(key=lambda kf: (-_round(float(kf[1].value), kf[1].decimals), kf[0]))
    widest = [(k, f) for k, f in shown[:top] if _round(float(f.value), f.decimals) > 0]
    out: list[str] = []
    when = f"in {year}"

    def who(key: str) -> str:
        return describe(definitions[key].topic, definitions[key].group)

    for i, (k, f) in enumerate(widest):
        out.append(
            say(
                "group_next" if i else "group_care_widest" if care else "group_widest",
                When=when,
                name=name,
                group=who(k),
                gap=points(abs(f.value), f.decimals).removeprefix("+"),
                comparison=definitions[k].comparison_text,
            )
        )
        other = england.get(k)
        if not national and has(other):
            out.append(
                say(
                    "group_vs_england",
                    group=who(k),
                    wider=_narrower(f, other),
                    england=points(other.value, other.decimals, other.status),
                )
            )
    if shown and not widest and not care:
        out.append(say("group_no_gap", When=when, name=name))
    hidden = [who(k) for k, f in gaps.items() if f.status == "suppressed"]
    if hidden:
        out.append(say("group_suppressed", list=join_words(hidden)))
    return tuple(out)
