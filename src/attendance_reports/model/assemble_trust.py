"""Academy trust pages and the index of trusts. A trust's figures are ratios of sums of its
member schools' counts (indicators/school_groups.trust_rows), by phase and for all its schools,
against England; each school is shown against its LA and England. Membership is the school
census table's (January 2023): the page says so, and that schools joining or leaving change
the trust's series. The member-school tables are trust_schools.py's. Picks and arranges
values; computes none.
"""

from __future__ import annotations

import math

import pandas as pd

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.model import narrative
from attendance_reports.model.area import ENGLAND, _Area, _sources_line, chart_alt
from attendance_reports.model.narrative import shift_year
from attendance_reports.model.report_model import (
    Chart,
    Column,
    Figure,
    Link,
    NamedFigure,
    Series,
    Table,
    TrustReport,
    TrustsIndexReport,
)
from attendance_reports.model.site_data import CENSUS, SiteData
from attendance_reports.model.trust_england import MIX, for_year, for_years
from attendance_reports.model.trust_schools import (
    AS_AT,
    at_or_better_table,
    later_table,
    members_table,
)
from attendance_reports.render.formatting import counted, noun, percent, period_label

NAN = float("nan")
PHASES = (
    ("primary", "State-funded primary"),
    ("secondary", "State-funded secondary"),
    ("special", "Special"),
    ("total", "All its schools"),
)
MEASURES = (
    ("overall_absence_rate", "Overall absence rate"),
    ("persistent_absence_rate", "Persistent absence rate (10% or more)"),
    ("severe_absence_rate", "Severe absence rate (50% or more)"),
)
MEMBERSHIP = (
    "Membership is as in DfE's school census table of {as_at}: a school counts for the trust "
    "in every year it has figures under the URN it had then. The reference files do not say "
    "when a school joined the trust, so earlier years of a school may be from before it "
    "joined; schools joining or leaving the trust change its series from year to year (the "
    "'Schools' column says how many are counted each year)."
)


def trust_id(site: SiteData, trust: str) -> str:
    """A trust's id from its id, its name as shown or as published (any case)."""
    trusts = site.schools.trusts
    wanted = str(trust).strip()
    if wanted in trusts.index:
        return wanted
    folded = wanted.casefold()
    for code, row in trusts.iterrows():
        if folded in (str(row["name"]).casefold(), str(row["published"]).casefold()):
            return str(code)
    raise ConfigError(
        f"no academy trust {trust!r} in the data — use its name as in the school census table "
        "(e.g. 'The Cam Academy Trust') and pass the school reference files with --data"
    )


def trust_report(site: SiteData, trust: str, las: tuple[str, ...] | None = None) -> TrustReport:
    """An academy trust's page (``trust``: its id or name). ``las``: the LAs whose school pages
    the site has (other schools are named, not linked); None: every LA."""
    code = trust_id(site, trust)
    facts = site.schools
    name = str(facts.trusts.at[code, "name"])
    area = _Area(site, "trust", code)
    england = _Area(site, "national", ENGLAND)
    year = area.latest("overall_absence_rate") or site.latest_census_year
    previous = shift_year(year, -1)
    versus = for_year(area.values, year)
    figures = _figures(area, england, year, previous, versus.phase)
    counts = _at_or_better_counts(site, code)
    has_members = bool(facts.members(code))
    summary = _summary(name, year, previous, figures, counts, versus)
    later = facts.later[facts.later["trust"] == code]
    notices = [MEMBERSHIP.format(as_at=AS_AT)]
    published = str(facts.trusts.at[code, "published"])
    if published != name:
        notices.append(
            f"DfE's school census writes the trust's name in capital letters "
            f'("{published}"); this site writes it in ordinary letters, which are easier to '
            "read."
        )
    if len(later):
        notices.append(
            f"{len(later):,} of its schools in {AS_AT} {noun(len(later), 'has', 'have')} "
            f"figures here only from before {noun(len(later), 'it', 'they')} joined (under an "
            f"earlier URN): {noun(len(later), 'it is', 'they are')} listed below and not "
            "counted."
        )
    if REGISTRY["severe_absence_rate"].label and figures["severe"].status != "ok":
        notices.append(
            "Severe absence (missing 50% or more of sessions) is not published in the absence "
            "file these figures come from."
        )
    return TrustReport(
        slug=f"trust/{code}",
        title=f"{name}: pupil absence in its schools",
        description=f"Absence in the schools of {name} (academy trust): overall, persistent "
        "and severe absence by phase, against England and each school's local authority.",
        breadcrumbs=(
            Link("Home", "index.html"),
            Link("Academy trusts", "trusts.html"),
            Link(name, f"trust/{code}.html"),
        ),
        summary=summary,
        notices=tuple(notices),
        sources=(CENSUS,),
        code=code,
        name=name,
        published=published,
        year=period_label(year),
        phases=_phases(area, england, name, year, previous) if has_members else None,
        at_or_better=at_or_better_table(name, counts),
        chart=_chart(site, area, england, name) if has_members else None,
        schools=members_table(site, code, name, year, las) if has_members else None,
        later=later_table(site, later, name, las),
        figures=tuple(NamedFigure(k, v) for k, v in figures.items()),
        links=(Link("All academy trusts", "trusts.html"),),
    )


def _figures(
    area: _Area, england: _Area, year: str, previous: str, phase: str
) -> dict[str, Figure]:
    """The trust's figures, and England's overall absence rate for ``phase`` (its schools' one
    phase, or 'total')."""
    out = {}
    for key, indicator in (
        ("overall", "overall_absence_rate"),
        ("persistent", "persistent_absence_rate"),
        ("severe", "severe_absence_rate"),
        ("overall_change", "overall_absence_rate_change"),
        ("persistent_change", "persistent_absence_rate_change"),
        ("schools", "schools"),
        ("schools_previous", "schools"),
    ):
        spec = REGISTRY[indicator]
        when = previous if key == "schools_previous" else year
        value, status, source = area.get(when, indicator)
        out[key] = Figure(spec.label, value, status, spec.unit, spec.decimals, source)
    for key, indicator in (("overall_england", "overall_absence_rate"),):
        spec = REGISTRY[indicator]
        value, status, source = england.get(year, indicator, phase)
        label = f"{spec.label}, England ({'all phases' if phase == 'total' else phase})"
        out[key] = Figure(label, value, status, spec.unit, spec.decimals, source)
    return out


def _at_or_better_counts(site: SiteData, code: str) -> pd.DataFrame:
    frames = site.schools.at_or_better
    overall = frames.get("overall_absence_rate", pd.DataFrame())
    persistent = frames.get("persistent_absence_rate", pd.DataFrame())
    if not len(overall):
        return pd.DataFrame()
    mine = overall[(overall["trust"] == code) & (overall["phase"] == "total")]
    other = persistent[(persistent["trust"] == code) & (persistent["phase"] == "total")]
    return mine.merge(
        other[["time_period", "schools", "at_or_better"]],
        on="time_period",
        how="left",
        suffixes=("", "_persistent"),
    ).sort_values("time_period")


def _summary(name, year, previous, f, counts, versus) -> tuple[str, ...]:
    out = []
    schools = f["schools"]
    n = int(schools.value) if schools.status == "ok" else 0
    if f["overall"].status == "ok":
        england = percent(f["overall_england"].value, status=f["overall_england"].status)
        mix = f" — {MIX}" if versus.mixed else ""
        out.append(
            f"In {period_label(year)}, pupils at the {counted(n, 'school')} of "
            f"{name} with figures missed {percent(f['overall'].value)} of their possible "
            f"sessions, compared with {england} across {versus.words}{mix}."
        )
    if schools.status != "ok":
        out.append(
            f"None of the schools of {name} has figures in {period_label(year)} under the URN "
            f"it had in {AS_AT}: those in these figures are listed below, from before they "
            "joined, and are not counted for the trust."
        )
        return tuple(out)
    change = f["overall_change"]
    ctx = narrative.Context(name=name, year=year, has_previous=f["schools_previous"].status == "ok")
    text = narrative.change_sentence(ctx, "overall absence rate of its schools", change)
    if text and change.status == "ok":
        before = f["schools_previous"]
        m = int(before.value) if before.status == "ok" else 0
        text = text.removesuffix(".") + (
            f" ({counted(m, 'school')} then, {n:,} now: schools joining or "
            "leaving change the figure too)."
        )
    if text:
        out.append(text)
    if len(counts):
        latest = counts[counts["time_period"] == year]
        if len(latest):
            row = latest.iloc[0]
            text = (
                f"{int(row['at_or_better']):,} of its {counted(int(row['compared']), 'school')} had "
                f"overall absence at or below England's rate for their phase in "
                f"{period_label(year)}"
            )
            before = counts[counts["time_period"] == previous]
            if len(before):
                b = before.iloc[0]
                text += (
                    f", against {int(b['at_or_better']):,} of {int(b['compared']):,} in "
                    f"{period_label(previous)}"
                )
            out.append(text + ".")
    return tuple(out)


def _phases(area: _Area, england: _Area, name: str, year: str, previous: str) -> Table:
    rows = []
    for phase, label in PHASES:
        schools = area.get(year, "schools", phase)
        if schools[1] != "ok":
            continue
        row = {"phase": label, "schools": schools[0], "schools__status": schools[1]}
        for indicator, _ in MEASURES:
            row[indicator], row[f"{indicator}__status"] = area.get(year, indicator, phase)[:2]
            row[f"{indicator}_england"], row[f"{indicator}_england__status"] = england.get(
                year, indicator, phase
            )[:2]
        change = "overall_absence_rate_change"
        row[change], row[f"{change}__status"] = area.get(year, change, phase)[:2]
        rows.append(row)
    columns = [Column("phase", "Phase"), Column("schools", "Schools", "count")]
    for indicator, label in MEASURES:
        columns.append(Column(indicator, f"{label}: trust", "%"))
        columns.append(Column(f"{indicator}_england", f"{label}: England", "%"))
    columns.append(
        Column(
            "overall_absence_rate_change",
            f"Overall absence: change since {period_label(previous)}",
            "percentage points",
        )
    )
    return Table(
        "phases",
        f"{name} and England by phase, {period_label(year)}",
        tuple(columns),
        tuple(rows),
        notes=(
            "The trust's rates are ratios of sums: its schools' absence sessions (or persistent "
            "and severe absentees) divided by their possible sessions (or enrolments).",
            "The change compares the trust's schools of each year, which may differ.",
        ),
        source=_sources_line([CENSUS]),
    )


def _chart(site: SiteData, area: _Area, england: _Area, name: str) -> Chart:
    years = [y for y in site.census_years if area.get(y, "schools")[1] == "ok"]
    x = tuple(period_label(y) for y in years)
    indicator = "overall_absence_rate"
    versus, changed = for_years(area.values, years)
    series = []
    for label, who, phase, highlight in (
        (name, area, "total", True),
        (versus.short, england, versus.phase, False),
    ):
        ys = tuple(
            v if s == "ok" else NAN for v, s in (who.get(y, indicator, phase)[:2] for y in years)
        )
        series.append(Series(label, x, ys, highlight))
    rows = []
    for i, y in enumerate(years):
        schools = area.get(y, "schools")
        rows.append(
            {
                "year": x[i],
                "schools": schools[0],
                "schools__status": schools[1],
                "s0": series[0].y[i],
                "s0__status": "ok" if not math.isnan(series[0].y[i]) else "not-available",
                "s1": series[1].y[i],
                "s1__status": "ok" if not math.isnan(series[1].y[i]) else "not-available",
            }
        )
    values = [(y, v) for y, v in zip(years, series[0].y, strict=True) if not math.isnan(v)]
    first, last = (values[0], values[-1]) if values else (("", NAN), ("", NAN))
    direction = ""
    if values:
        direction = (
            "higher" if last[1] > first[1] else "lower" if last[1] < first[1] else "the same"
        )
    words = versus.words
    if changed:
        words += ": all phases, as the trust's mix of phases changed over these years"
    elif versus.mixed:
        words += " (a different mix of phases)"
    table = Table(
        "trend-overall-data",
        f"Overall absence rate by year: {name} and {versus.words}",
        (
            Column("year", "Academic year"),
            Column("schools", "Schools counted", "count"),
            Column("s0", name, "%"),
            Column("s1", versus.short, "%"),
        ),
        tuple(rows),
        notes=(MEMBERSHIP.format(as_at=AS_AT),),
        source=_sources_line([CENSUS]),
    )
    return Chart(
        "trend-overall",
        "line-fast",
        f"Overall absence in {name}'s schools: {percent(last[1])} in {period_label(last[0])}"
        if values
        else f"Overall absence in {name}'s schools",
        f"Overall absence rate, the trust's schools (membership of {AS_AT}) and {words}",
        chart_alt(
            REGISTRY[indicator].label,
            name,
            versus.words,
            period_label(first[0]) if values else "",
            period_label(last[0]) if values else "",
            direction,
        ),
        tuple(series),
        "%",
        _sources_line([CENSUS]),
        tuple(b for b in ("2012/13", "2019/20") if x and x[0] < b <= x[-1]),
        table,
    )


def built_trusts(site: SiteData, las: tuple[str, ...] | None = None) -> list[str]:
    """The trusts with a page: those with a school (counted, or under an earlier URN) in the
    LAs whose school pages the site has."""
    facts = site.schools
    if las is None:
        return list(facts.trusts.index)
    info = facts.info
    las_of = info["la_code"].astype(str)
    have = set(facts.membership[las_of.reindex(facts.membership.index).isin(las).to_numpy()])
    later = facts.later
    if len(later):
        have |= set(later["trust"][las_of.reindex(later["earlier"]).isin(las).to_numpy()])
    return [t for t in facts.trusts.index if t in have]


def trusts_index_report(site: SiteData, las: tuple[str, ...] | None = None) -> TrustsIndexReport:
    """Every academy trust with a page (see ``built_trusts``), linked."""
    facts = site.schools
    year = site.latest_census_year
    codes = built_trusts(site, las)
    values = site.pick("trust", codes, year, ("overall_absence_rate", "schools"))
    rows = []
    for code in codes:
        value, status = values.get((code, "total", "overall_absence_rate"), (NAN, "not-available"))
        schools = values.get((code, "total", "schools"), (NAN, "not-available"))
        if schools[1] != "ok":  # only members counted under an earlier URN: none counted
            schools = (0.0, "ok")
        rows.append(
            {
                "trust": str(facts.trusts.at[code, "name"]),
                "trust__href": f"trust/{code}.html",
                "schools": schools[0],
                "schools__status": schools[1],
                "overall": value,
                "overall__status": status,
            }
        )
    rows.sort(key=lambda r: r["trust"].casefold())
    table = Table(
        "trusts",
        f"Academy trusts with schools in these figures ({AS_AT}), {period_label(year)}",
        (
            Column("trust", "Academy trust"),
            Column("schools", "Schools with figures", "count"),
            Column("overall", "Overall absence rate", "%"),
        ),
        tuple(rows),
        notes=(MEMBERSHIP.format(as_at=AS_AT),),
        source=_sources_line([CENSUS]),
    )
    return TrustsIndexReport(
        slug="trusts",
        title="Academy trusts: pupil absence in their schools",
        description="Every academy trust with schools in these figures, with its schools' "
        "overall absence rate.",
        breadcrumbs=(Link("Home", "index.html"), Link("Academy trusts", "trusts.html")),
        summary=(
            f"{len(rows):,} academy trusts have schools in these figures. Each trust's page "
            "sums its schools' counts and compares them with England and each school's local "
            "authority.",
        ),
        sources=(CENSUS,),
        trusts=table,
        links=tuple(
            Link(
                f"{r['trust']} ({counted(int(r['schools']), 'school')} with figures)",
                r["trust__href"],
            )
            for r in rows
        ),
        as_at=AS_AT,
    )
