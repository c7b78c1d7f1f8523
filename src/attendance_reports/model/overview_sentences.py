"""The sentences of an overview's sections, from their named figures: overall absence,
persistent and severe absence, phases and benchmarks. ``f`` maps figure names to figures. The
wording is narrative.TEMPLATES, the grammar narrative.py's (changes, averages, missing figures
said with their reason); nothing is computed here.
"""

from __future__ import annotations

from attendance_reports.model.narrative import (
    COHORTS,
    Context,
    Sentences,
    average_sentence,
    change_sentence,
    count_change_sentence,
    direction,
    display,
    has,
    join_words,
    magnitude,
    missing,
    say,
    were,
)
from attendance_reports.model.report_model import Figure
from attendance_reports.render.formatting import count, counted
from attendance_reports.render.formatting import round_half_up as _round


def overall(ctx: Context, f: dict[str, Figure]) -> tuple[str, ...]:
    rate = f["rate"]
    out = Sentences(ctx, rate)
    if has(f["enrolments"]):
        enrolments = count(f["enrolments"].value)
        out.add(
            say(
                "enrolments_at" if ctx.where else "enrolments",
                When=ctx.when(),
                were=were(enrolments),
                enrolments=counted(enrolments, "enrolment"),
                name=ctx.name,
                schools=ctx.schools,
                where=ctx.where,
            )
        )
    if has(f["sessions_missed"]) and has(f["sessions_possible"]) and has(rate):
        out.add(
            say(
                "sessions",
                sessions_missed=display(f["sessions_missed"]),
                sessions_possible=display(f["sessions_possible"]),
                rate=display(rate),
            )
        )
    elif has(rate):
        out.add(say("rate_only", When=ctx.when(), name=ctx.name, rate=display(rate)))
    out.lack(f["enrolments"], f["sessions_missed"], f["sessions_possible"], rate)
    per = f["sessions_per_enrolment"]
    if has(per):
        sessions = counted(display(per), "session")
        out.add(say("per_enrolment", sessions_per_enrolment=sessions))
    out.lack(per)
    if has(rate):
        out.add(change_sentence(ctx, "overall absence rate", f["change_pp"]), f["change_pp"])
        average = f["three_year_average"]
        out.add(average_sentence(ctx, "overall absence rate", average), average)
    return out.done()


def cohort(ctx: Context, kind: str, f: dict[str, Figure]) -> tuple[str, ...]:
    """Persistent (kind 'persistent') or severe ('severe') absence."""
    words = COHORTS[kind]
    rate, absentees = f["rate"], f["count"]
    if not has(rate) and rate.status == "not-published":
        return (say("not_published", title=words["title"]),)
    if not has(rate):
        return tuple(missing(rate))
    out = Sentences(ctx, rate)
    definition = {"adjective": words["adjective"], "threshold": words["threshold"]}
    if has(absentees):
        text = count(absentees.value)
        out.add(
            say(
                "cohort",
                When=ctx.when(),
                count=counted(text, "enrolment"),
                were=were(text),
                rate=display(rate),
                **definition,
            )
        )
    else:
        out.add(say("cohort_rate_only", When=ctx.when(), rate=display(rate), **definition))
        out.lack(absentees)
    authorised, unauthorised, possible = (
        f["cohort_authorised_sessions"],
        f["cohort_unauthorised_sessions"],
        f["cohort_possible_sessions"],
    )
    if has(authorised) and has(unauthorised) and has(possible):
        out.add(
            say(
                "cohort_sessions",
                cohort_authorised_sessions=display(authorised),
                cohort_unauthorised_sessions=display(unauthorised),
                cohort_possible_sessions=display(possible),
            )
        )
    out.lack(authorised, unauthorised, possible)
    mean, extra = f["mean_sessions_missed"], f["extra_sessions_per_absentee"]
    if has(mean) and has(extra):
        out.add(
            say(
                "cohort_mean",
                a_adjective=words["a_adjective"],
                adjective=words["adjective"],
                mean_sessions_missed=counted(display(mean), "session"),
                extra_sessions_per_absentee=counted(magnitude(extra), "session"),
                more_fewer="fewer" if direction(extra) < 0 else "more",
            )
        )
    out.lack(mean, extra)
    excluding = f["rate_excluding_cohort"]
    if has(excluding):
        out.add(
            say(
                "cohort_excluded",
                adjective=words["adjective"],
                rate_excluding_cohort=display(excluding),
            )
        )
    out.lack(excluding)
    out.add(change_sentence(ctx, words["measure"], f["change_pp"]), f["change_pp"])
    singular, plural = f"{words['adjective']} enrolment", f"{words['adjective']} enrolments"
    out.add(count_change_sentence(ctx, singular, plural, f["change_count"]), f["change_count"])
    average = f["three_year_average"]
    out.add(average_sentence(ctx, words["measure"], average), average)
    return out.done()


#: phase key -> how a sentence names its schools
PHASE_WORDS = {
    "primary": "in state-funded primary schools",
    "secondary": "in state-funded secondary schools",
    "special": "in special schools",
}


def phases(ctx: Context, f: dict[str, Figure]) -> tuple[str, ...]:
    """Figures named '<phase>_overall_rate' and '<phase>_persistent_rate'."""
    out = Sentences(ctx)
    for measure, key in (
        ("overall absence rate", "overall_rate"),
        ("persistent absence rate", "persistent_rate"),
    ):
        figures = {p: f.get(f"{p}_{key}") for p in PHASE_WORDS}
        present = [
            f"{display(figure)} {PHASE_WORDS[p]}" for p, figure in figures.items() if has(figure)
        ]
        if present:
            out.add(say("phases", When=ctx.when(), measure=measure, list=join_words(present)))
        out.lack(*figures.values())
    return out.done()


def compare(area: Figure, other: Figure) -> str:
    """'lower than', 'higher than' or 'the same as', judged on the values as shown."""
    a, b = _round(float(area.value), area.decimals), _round(float(other.value), other.decimals)
    return "lower than" if a < b else "higher than" if a > b else "the same as"


def benchmarks(ctx: Context, f: dict[str, Figure], comparators: dict[str, str]) -> tuple[str, ...]:
    """Figures '<measure>_rate' (the LA) and '<measure>_<who>' for each comparator (who ->
    words, e.g. 'england' -> 'England', 'neighbours' -> 'the mean of its statistical
    neighbours'). A measure the LA has no figure for is left out (its own section says why)."""
    out = Sentences(ctx)
    lacking: dict[str, None] = {}
    for measure, words in (
        ("overall", "overall absence rate"),
        ("persistent", "persistent absence rate"),
        ("severe", "severe absence rate"),
    ):
        area = f.get(f"{measure}_rate")
        if not has(area):
            continue
        groups: dict[str, list[str]] = {}  # 'lower than' -> ['England (4.7%)', …]
        for who, name in comparators.items():
            other = f.get(f"{measure}_{who}")
            if has(other):
                groups.setdefault(compare(area, other), []).append(f"{name} ({display(other)})")
            else:
                lacking[name] = None
        parts = [f"{word} {join_words(names)}" for word, names in groups.items()]
        if parts:
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
            out.add(
                say(
                    "benchmark",
                    When=ctx.when(),
                    name=ctx.name,
                    measure=words,
                    rate=display(area),
                    list=listed,
                )
            )
    if lacking:
        out.add(
            say("benchmark_missing", list=join_words(list(lacking), "or"), for_when=ctx.for_when())
        )
    return out.done()
