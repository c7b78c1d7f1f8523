"""The latest data overview of a school or an academy trust, for a governing board or a trust
board: the same sections, sentence rules and layout as an LA's (model/overview.py,
model/narrative.py), from the school's own figures or the trust's summed figures.

A school's figures are those of its URN in the latest year (its earlier URNs are not compared
with them: the overview says so); it is compared with its LA and England (same phase), with the
other schools of its phase in its district or LA, and with its most similar schools. A trust's
figures are its member schools' counts summed (membership of January 2023), by phase and against
England. The indicators are computed for that one school or trust from its rows
(indicators/table.py, pure functions); this module only picks and arranges them.
"""

from __future__ import annotations

import re

import pandas as pd

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.school_groups import trust_rows
from attendance_reports.indicators.table import indicator_table
from attendance_reports.model import narrative, overview_sentences
from attendance_reports.model.area import ENGLAND
from attendance_reports.model.assemble_trust import AS_AT, MEMBERSHIP, trust_id
from attendance_reports.model.overview_sections import (
    PHASES,
    Values,
    as_dict,
    cohort_section,
    overall_section,
    phases_section,
    sources_line,
)
from attendance_reports.model.report_model import (
    Column,
    Figure,
    Link,
    NamedFigure,
    OverviewReport,
    OverviewSection,
    Table,
    la_breadcrumbs,
)
from attendance_reports.model.site_data import CENSUS, SiteData
from attendance_reports.model.trust_england import SCHOOLS, for_year
from attendance_reports.render.formatting import counted, period_code, period_label

MEASURES = (
    ("overall", "overall_absence_rate", "Overall absence rate"),
    ("persistent", "persistent_absence_rate", "Persistent absence rate"),
    ("severe", "severe_absence_rate", "Severe absence rate"),
)


class _TableValues(Values):
    """One school's or trust's values from its own small indicator table (full year)."""

    def __init__(self, site: SiteData, table: pd.DataFrame):
        self.site, self.level, self.code, self.period = site, "", "", "full-year"
        rows = table[(table["breakdown"].astype(str) == "total").to_numpy()]
        keys = list(
            zip(
                rows["time_period"].astype(str),
                rows["phase"].astype(str),
                rows["indicator"].astype(str),
                strict=True,
            )
        )
        self.values = dict(
            zip(
                keys,
                (
                    (float(v), str(s), CENSUS)
                    for v, s in zip(rows["value"], rows["status"], strict=True)
                ),
                strict=True,
            )
        )
        self._counts = dict(
            zip(
                keys,
                zip(
                    rows["numerator"].astype(float), rows["denominator"].astype(float), strict=True
                ),
                strict=True,
            )
        )


def _year(values: _TableValues, what: str, year: str | None) -> str:
    have = values.years_with("overall_absence_rate")
    if not have:
        raise ConfigError(f"{what} has no full-year absence figures in the data")
    if year is None:
        return have[-1]
    code = period_code(str(year))
    if not re.fullmatch(r"\d{6}", code) or code not in have:
        listed = ", ".join(period_label(y) for y in have[-6:])
        raise ConfigError(
            f"no figures for {what} in {year} — years with figures: {listed} (write 2018/19)"
        )
    return code


def _compared(
    ctx: narrative.Context, values: _TableValues, year: str, others: list, phase: str = "total"
) -> OverviewSection:
    """Each measure of the school or trust against ``others``: (key, words, column label,
    {measure key: Figure})."""
    figures, rows = [], []
    for key, indicator, label in MEASURES:
        mine = values.figure(year, indicator, f"{label} of {ctx.name}")
        figures.append(NamedFigure(f"{key}_rate", mine))
        row = {"measure": label, "area": mine.value, "area__status": mine.status}
        for who, _, _, theirs in others:
            figure = theirs.get(key) or Figure(label, float("nan"), "not-available")
            figures.append(NamedFigure(f"{key}_{who}", figure))
            row[who], row[f"{who}__status"] = figure.value, figure.status
        rows.append(row)
    named = tuple(figures)
    table = Table(
        "benchmarks",
        f"{ctx.name} compared, full academic year {period_label(year)}",
        (
            Column("measure", "Measure"),
            Column("area", ctx.name, "%"),
            *(Column(who, column, "%") for who, _, column, _ in others),
        ),
        tuple(rows),
        source=sources_line([CENSUS]),
    )
    comparators = {who: words for who, words, _, _ in others}
    return OverviewSection(
        "benchmarks",
        "Compared with other schools, the local authority and England",
        overview_sentences.benchmarks(ctx, as_dict(named), comparators),
        named,
        table,
    )


def _phases(values: _TableValues, ctx: narrative.Context, year: str) -> OverviewSection:
    """The LA overview's phase section, for the phases the trust has schools in (a phase it
    has no school of is not 'not available': it is left out)."""
    section = phases_section(values, ctx, year)
    present = [p for p, _ in PHASES if values.years_with("overall_absence_rate", p)]
    figures = tuple(f for f in section.figures if f.name.split("_", 1)[0] in present)
    table = section.table
    if table is not None:
        columns = tuple(
            c for c in table.columns if c.key == "year" or c.key.split("_", 1)[0] in present
        )
        table = Table(table.id, table.caption, columns, table.rows, table.notes, table.source)
    return OverviewSection(
        section.id,
        section.heading,
        overview_sentences.phases(ctx, as_dict(figures)),
        figures,
        table,
        section.chart,
    )


def _area_figures(site: SiteData, level: str, code: str, year: str, phase: str) -> dict:
    values = site.values(level, code)
    out = {}
    for key, indicator, label in MEASURES:
        value, status, source = values.get(
            (year, phase, indicator), (float("nan"), "not-available", "")
        )
        out[key] = Figure(label, float(value), str(status), "%", 1, str(source))
    return out


def school_overview_report(site: SiteData, urn: str, year: str | None = None) -> OverviewReport:
    """A school's latest data overview (``urn``: any URN of its series)."""
    facts = site.schools
    page = facts.page_of(str(urn).strip())
    rows = site.school_rows(page)
    if rows.empty:
        raise ConfigError(f"no data for school URN {urn} — check the URN or the data paths")
    phase = str(rows.iloc[-1]["phase"])
    as_total = rows.assign(phase=pd.Categorical(["total"] * len(rows)))
    values = _TableValues(site, indicator_table(as_total))
    name = facts.label(page)
    year = _year(values, f"school URN {page}", year)
    short = str(facts.row(page)["name"]) if page in facts.info.index else f"URN {page}"
    short = short or f"URN {page}"
    la_code, la_name = str(rows.iloc[-1]["old_la_code"]), str(rows.iloc[-1]["la_name"])
    changes = [c for c in facts.changes.get(page, ()) if c.year == year]
    note = (
        f"The school {changes[0].words}: its figures for "
        f"{period_label(narrative.shift_year(year, -1))} are under URN {changes[0].old} and are "
        "not compared with these."
        if changes
        else ""
    )
    ctx = narrative.Context(
        name=short,
        year=year,
        reorganisation=note,
        where=f"at {short}",
        has_previous=any(
            y == narrative.shift_year(year, -1) and s == "ok"
            for (y, _, _), (_, s, _) in values.values.items()
        ),
    )
    words = {"primary": "primary", "secondary": "secondary", "special": "special"}.get(phase, phase)
    others = [
        (
            "la",
            f"{words} schools in {la_name}",
            f"{la_name} ({words})",
            _area_figures(site, "la", la_code, year, phase),
        ),
        (
            "england",
            f"{words} schools in England",
            f"England ({words})",
            _area_figures(site, "national", ENGLAND, year, phase),
        ),
    ]
    if page in facts.comparisons.index and year == str(facts.comparisons.at[page, "year"]):
        c = facts.comparisons.loc[page]
        for who, prefix, words_, column in (
            (
                "local",
                "local",
                f"the {words} schools in {c['local_place']}",
                f"{c['local_place']} ({words}, all)",
            ),
            (
                "similar",
                "similar",
                f"its {counted(int(c['similar_schools']), f'most similar {words} school')}",
                "Similar schools",
            ),
        ):
            if int(c[f"{prefix}_schools"]) > 0:
                others.append(
                    (
                        who,
                        words_,
                        column,
                        {
                            "overall": Figure(
                                "Overall absence rate",
                                float(c[f"{prefix}_overall"]),
                                str(c[f"{prefix}_overall_status"]),
                            ),
                            "persistent": Figure(
                                "Persistent absence rate",
                                float(c[f"{prefix}_persistent"]),
                                str(c[f"{prefix}_persistent_status"]),
                            ),
                        },
                    )
                )
    sections = (
        overall_section(values, ctx, year),
        cohort_section(values, ctx, year, "persistent"),
        cohort_section(values, ctx, year, "severe"),
        _compared(ctx, values, year, others),
    )
    notices = [n for n in (note,) if n]
    return OverviewReport(
        slug=f"school/{page}-overview",
        title=f"{name}: latest data overview, {period_label(year)}",
        description=f"Pupil absence at {name} in {period_label(year)}, each figure in a sentence.",
        breadcrumbs=la_breadcrumbs(
            la_name,
            la_code,
            Link(name, f"school/{page}.html"),
            Link("Latest data overview", f"school/{page}-overview.html"),
        ),
        summary=(
            f"Pupil absence at {short} ({words}, {la_name}) in {period_label(year)}, from the "
            "Department for Education's published statistics.",
        ),
        notices=tuple(notices),
        sources=(CENSUS,),
        code=page,
        name=short,
        year=period_label(year),
        period="full-year",
        period_label=narrative.PERIOD_WORDS["full-year"],
        sections=sections,
    )


def trust_overview_report(site: SiteData, trust: str, year: str | None = None) -> OverviewReport:
    """An academy trust's latest data overview (``trust``: its id or name)."""
    code = trust_id(site, trust)
    facts = site.schools
    members = facts.members(code)
    if not members:
        raise ConfigError(
            f"trust {trust!r} has no schools with figures under the URN they had in {AS_AT}"
        )
    frame = site.frame
    schools = frame[
        (frame["geographic_level"] == "school").to_numpy()
        & frame["code"].astype(str).isin(members).to_numpy()
    ]
    name = str(facts.trusts.at[code, "name"])
    rows = trust_rows(schools, facts.membership[members], facts.trusts["name"])
    values = _TableValues(site, indicator_table(rows))
    year = _year(values, name, year)
    ctx = narrative.Context(
        name=name,
        year=year,
        where=f"in the schools of {name}",
        has_previous=any(
            y == narrative.shift_year(year, -1) and s == "ok"
            for (y, _, _), (_, s, _) in values.values.items()
        ),
    )
    # like with like (trust_england.py): England's rate for the trust's one phase, or for all
    # phases (said to be a different mix) when it has schools of several
    versus = for_year(values.values, year)
    others = [
        (
            "england",
            versus.words,
            versus.short,
            _area_figures(site, "national", ENGLAND, year, versus.phase),
        )
    ]
    sections = (
        overall_section(values, ctx, year),
        cohort_section(values, ctx, year, "persistent"),
        cohort_section(values, ctx, year, "severe"),
        _phases(values, ctx, year),
        _compared(ctx, values, year, others),
    )
    benchmarks = sections[-1]
    mix = (
        (
            f"England's figures are for all its {SCHOOLS['total']}, a different mix of phases "
            "from the trust's: see the figures by phase.",
        )
        if versus.mixed
        else ()
    )
    sections = (
        *sections[:-1],
        OverviewSection(
            benchmarks.id,
            "Compared with England",
            benchmarks.sentences + mix,
            benchmarks.figures,
            benchmarks.table,
        ),
    )
    return OverviewReport(
        slug=f"trust/{code}-overview",
        title=f"{name}: latest data overview, {period_label(year)}",
        description=f"Pupil absence in the schools of {name} in {period_label(year)}, each figure "
        "in a sentence.",
        breadcrumbs=(
            Link("Home", "index.html"),
            Link("Academy trusts", "trusts.html"),
            Link(name, f"trust/{code}.html"),
        ),
        summary=(
            f"Pupil absence in the schools of {name} (academy trust) in {period_label(year)}: "
            "their counts added up, from the Department for Education's published statistics.",
        ),
        notices=(MEMBERSHIP.format(as_at=AS_AT),),
        sources=(CENSUS,),
        code=code,
        name=name,
        year=period_label(year),
        period="full-year",
        period_label=narrative.PERIOD_WORDS["full-year"],
        sections=sections,
    )
