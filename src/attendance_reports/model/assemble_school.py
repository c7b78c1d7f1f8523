"""A school's page: its name and facts (each with the date it is as at), its figures against its
LA and England, its trend across URN changes (each change marked, never joined into one line),
reasons, and where it stands among the other schools of its phase in its district (or LA) and
among the most similar schools in England (school_comparisons.py). Picks and arranges values;
computes none (the comparison groups' figures come from school_facts.py).
"""

from __future__ import annotations

import math

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.registry import REASONS, REGISTRY
from attendance_reports.model.area import BREAK_NOTES, ENGLAND, _Area, _sources_line, chart_alt
from attendance_reports.model.report_model import (
    Chart,
    Column,
    Link,
    SchoolReport,
    Series,
    Table,
    la_breadcrumbs,
)
from attendance_reports.model.school_comparisons import PHASE_WORDS, comparisons
from attendance_reports.model.site_data import CENSUS, SiteData
from attendance_reports.render.formatting import percent, period_label
from attendance_reports.sources.schools import FACTS

NAN = float("nan")
#: facts shown in the 'About this school' table, in order
ABOUT = (
    "name",
    "town",
    "postcode",
    "la_name",
    "laestab",
    "type",
    "governance",
    "trust",
    "district",
    "ward",
    "fsm_percent",
    "pupils",
    "open_date",
    "close_date",
)
ABSENCE_FILE = "DfE, Pupil absence in schools in England (school census)"


def school_report(site: SiteData, urn: str, las: tuple[str, ...] | None = None) -> SchoolReport:
    """A school's page (URN as text or number; an earlier URN of a school gives its page).
    ``las``: the LAs whose school pages the site has (other schools are named, not linked);
    None: every LA."""
    urn = str(urn).strip()
    facts = site.schools
    page = facts.page_of(urn)
    rows = site.school_rows(page)
    if rows.empty:
        raise ConfigError(f"no data for school URN {urn} — check the URN or the data paths")
    chain = facts.chains.get(page, (page,))
    latest = rows.iloc[-1]
    la_code, phase = str(latest["old_la_code"]), str(latest["phase"])
    la_name, phase_label = str(latest["la_name"]), str(latest["phase_label"])
    name = facts.label(page)
    short = _short_name(site, page)
    school, la = _Area(site, "school", page), _Area(site, "la", la_code)
    england = _Area(site, "national", ENGLAND)
    year = school.latest("overall_absence_rate", phase) or site.latest_census_year
    value, status, _ = school.get(year, "overall_absence_rate", phase)
    la_value, la_status, _ = la.get(year, "overall_absence_rate", phase)
    en_value, en_status, _ = england.get(year, "overall_absence_rate", phase)
    summary = [
        f"In {period_label(year)}, pupils at {short} missed {percent(value, status=status)} of "
        f"their possible sessions, compared with {percent(la_value, status=la_status)} across "
        f"{phase_label.lower()} schools in {la_name} and {percent(en_value, status=en_status)} "
        "in England.",
    ]
    comparison, local, similar = comparisons(site, page, phase, year, short, las)
    notices = []
    if facts.row(page) and not facts.row(page)["named"]:
        notices.append(
            f"No name for URN {page} in the absence file or the school reference files this "
            "site was built from: find the school by its URN on Get Information about Schools."
        )
    for change in facts.changes.get(page, ()):
        notices.append(
            f"This school {change.words}: its figures to "
            f"{period_label(str(facts.row(change.old)['last']))} are under URN {change.old}, "
            f"from {period_label(change.year)} under URN {change.new}. The chart and table show "
            "both, with the change marked; they are not joined into one line."
        )
    notices += list(facts.notes.get(page, ()))
    trend = _trend_table(site, chain, name, la_name, phase, phase_label)
    trust = facts.trust_of(page)
    links = [Link(f"All schools in {la_name}", f"la/{la_code}.html")]
    if trust:
        trust_name = str(facts.trusts.at[trust, "name"])
        notices.append(
            f"In January 2023 this school was in {trust_name} (academy trust). It has had this "
            f"URN since {period_label(str(facts.row(page)['first']))} in these figures; the "
            "reference files do not say when it joined the trust."
        )
        links.insert(0, Link(f"{trust_name}: its schools' absence", f"trust/{trust}.html"))
    if len(facts.trusts):
        links.append(Link("All academy trusts", "trusts.html"))
    return SchoolReport(
        slug=f"school/{page}",
        title=f"{name}: pupil absence",
        description=f"Absence at {name} ({phase_label}, {la_name}).",
        breadcrumbs=la_breadcrumbs(la_name, la_code, Link(name, f"school/{page}.html")),
        summary=tuple(summary),
        notices=tuple(notices),
        sources=(CENSUS,),
        urn=page,
        la_code=la_code,
        la_name=la_name,
        phase=phase_label,
        compared=_compared_table(site, page, name, la_name, phase, phase_label, year),
        trend=trend,
        reasons=_reasons(site, page, name, la_name, phase, year),
        name=name,
        urns=chain,
        about=_about(site, page, chain, phase_label),
        chart=_chart(site, chain, short, la_name, phase, phase_label, trend),
        links=tuple(links),
        comparison=comparison,
        local=local,
        similar=similar,
    )


def _short_name(site: SiteData, urn: str) -> str:
    row = site.schools.row(urn)
    if row.get("named"):
        return str(row["name"])
    return f"school URN {urn}"


def _compared_table(site, urn, name, la_name, phase, phase_label, year) -> Table:
    rows = site.school_rows(urn)
    la_code = str(rows.iloc[-1]["old_la_code"])
    areas = (
        ("school", _Area(site, "school", urn)),
        ("la", _Area(site, "la", la_code)),
        ("england", _Area(site, "national", ENGLAND)),
    )
    compared_rows = []
    for m in (
        "overall_absence_rate",
        "authorised_absence_rate",
        "unauthorised_absence_rate",
        "persistent_absence_rate",
    ):
        row = {"measure": REGISTRY[m].label}
        for key, area in areas:
            row[key], row[f"{key}__status"] = area.get(year, m, phase)[:2]
        compared_rows.append(row)
    return Table(
        "compared",
        f"{name} compared with {la_name} and England ({phase_label} schools), {period_label(year)}",
        (
            Column("measure", "Measure"),
            Column("school", "This school", "%"),
            Column("la", f"{la_name} ({phase_label})", "%"),
            Column("england", f"England ({phase_label})", "%"),
        ),
        tuple(compared_rows),
        source=_sources_line([CENSUS]),
    )


def _trend_table(site, chain, name, la_name, phase, phase_label) -> Table:
    la_code = str(site.school_rows(chain[-1]).iloc[-1]["old_la_code"])
    la, england = _Area(site, "la", la_code), _Area(site, "national", ENGLAND)
    changes = {c.new: c for c in site.schools.changes.get(chain[-1], ())}
    rows = []
    for y in site.census_years:
        for u in chain:
            school = _Area(site, "school", u)
            if school.get(y, "enrolments", phase)[1] != "ok":
                continue
            change = changes.get(u)
            row = {"year": period_label(y), "urn": u}
            for key in ("enrolments", "overall_absence_rate", "persistent_absence_rate"):
                row[key], row[f"{key}__status"] = school.get(y, key, phase)[:2]
            row["la"], row["la__status"] = la.get(y, "overall_absence_rate", phase)[:2]
            row["england"], row["england__status"] = england.get(y, "overall_absence_rate", phase)[
                :2
            ]
            row["note"] = f"{change.words}" if change is not None and y == change.year else ""
            rows.append(row)
    columns = [
        Column("year", "Academic year"),
        Column("urn", "URN"),
        Column("enrolments", "Enrolments", "count"),
        Column("overall_absence_rate", "Overall absence rate", "%"),
        Column("persistent_absence_rate", "Persistent absence rate", "%"),
        Column("la", f"{la_name} overall absence rate ({phase_label})", "%"),
        Column("england", f"England overall absence rate ({phase_label})", "%"),
    ]
    notes = list(BREAK_NOTES[2:])
    if len(chain) > 1:
        columns.append(Column("note", "Change"))
        notes.insert(
            0,
            "The school's URN changed (see 'Change'): each row is the figures published under "
            "that URN. Where both URNs have a row for one year, each covers only part of it.",
        )
    return Table(
        "trend",
        f"{name} by year",
        tuple(columns),
        tuple(rows),
        notes=tuple(notes),
        source=_sources_line([CENSUS]),
    )


def _chart(site, chain, short, la_name, phase, phase_label, table: Table) -> Chart:
    """The overall absence rate by year of each URN of the school (one series each, the
    change marked), its LA and England; its data table is the 'by year' table."""
    years = site.census_years
    x = tuple(period_label(y) for y in years)
    la_code = str(site.school_rows(chain[-1]).iloc[-1]["old_la_code"])
    indicator = "overall_absence_rate"
    series = []
    for u in chain:
        school = _Area(site, "school", u)
        ys = tuple(
            v if s == "ok" else NAN for v, s in (school.get(y, indicator, phase)[:2] for y in years)
        )
        label = "This school" if len(chain) == 1 else f"URN {u}"
        series.append(Series(label, x, ys, True))
    for label, level, code in (
        (f"{la_name} {PHASE_WORDS.get(phase, phase)} schools", "la", la_code),
        (f"England {PHASE_WORDS.get(phase, phase)} schools", "national", ENGLAND),
    ):
        area = _Area(site, level, code)
        ys = tuple(
            v if s == "ok" else NAN for v, s in (area.get(y, indicator, phase)[:2] for y in years)
        )
        series.append(Series(label, x, ys, False))
    school_values = [
        (y, v)
        for s in series[: len(chain)]
        for y, v in zip(years, s.y, strict=True)
        if not math.isnan(v)
    ]
    first_year = min(y for y, _ in school_values) if school_values else ""
    last_year = max(y for y, _ in school_values) if school_values else ""
    first = next((v for y, v in sorted(school_values) if y == first_year), NAN)
    last = next((v for y, v in sorted(school_values, reverse=True) if y == last_year), NAN)
    direction = ""
    if not math.isnan(first) and not math.isnan(last):
        direction = "higher" if last > first else "lower" if last < first else "the same"
    changes = site.schools.changes.get(chain[-1], ())
    title = (
        f"Overall absence at {short}: {percent(last)} in {period_label(last_year)}"
        if last_year
        else f"Overall absence at {short}"
    )
    alt = chart_alt(
        REGISTRY[indicator].label,
        short,
        f"{la_name} and England",
        period_label(first_year) if first_year else "",
        period_label(last_year) if last_year else "",
        direction,
    )
    return Chart(
        "trend-overall",
        "line-fast",
        title,
        f"Overall absence rate, {short}, {la_name} and England ({phase_label} schools)",
        alt,
        tuple(series),
        "%",
        _sources_line([CENSUS]),
        ("2012/13", *(period_label(c.year) for c in changes)),
        table,
        ("series break", *(f"new URN {c.new}" for c in changes)),
    )


def _reasons(site, urn, name, la_name, phase, year) -> Table:
    la_code = str(site.school_rows(urn).iloc[-1]["old_la_code"])
    areas = (
        ("school", _Area(site, "school", urn)),
        ("la", _Area(site, "la", la_code)),
        ("england", _Area(site, "national", ENGLAND)),
    )
    rows = []
    for key, _, label in REASONS:
        indicator = f"reason_{key}_rate"
        if (
            areas[0][1].get(year, indicator, phase)[1] == "not-available"
            and key == "extended_holiday"
        ):
            continue
        row = {"reason": label}
        for k, area in areas:
            row[k], row[f"{k}__status"] = area.get(year, indicator, phase)[:2]
        rows.append(row)
    return Table(
        "reasons",
        f"Sessions missed by reason, {name}, {period_label(year)}",
        (
            Column("reason", "Reason"),
            Column("school", "This school", "%"),
            Column("la", la_name, "%"),
            Column("england", "England", "%"),
        ),
        tuple(rows),
        source=_sources_line([CENSUS]),
    )


def _about(site: SiteData, urn: str, chain: tuple[str, ...], phase_label: str) -> Table:
    """The school's facts, each with the date it is as at and where it comes from."""
    facts = site.schools
    rows = []
    row = facts.row(urn)
    have_name = bool(row.get("name_as_at"))
    for fact in ABOUT:
        if fact == "name" and have_name:
            value = str(row["name"])
            as_at, source = period_label(str(row["name_as_at"])), ABSENCE_FILE
        else:
            value, origin = facts.directory.get(urn, fact)
            source_urn = urn
            if (value == "" or origin is None) and fact in ("district", "ward", "fsm_percent"):
                source_urn = str(row.get("place_urn") or urn)
                value, origin = facts.directory.get(source_urn, fact)
            if value == "" or origin is None:
                continue
            as_at, source = origin.as_at, origin.title
            if source_urn != urn:
                source += f" (of URN {source_urn}, which succeeded it)"
        if fact == "trust":
            from attendance_reports.model.school_facts import trust_display_name

            value = trust_display_name(str(value))
        rows.append(
            {
                "fact": FACTS[fact],
                "value": value
                if fact in ("fsm_percent", "pupils")
                else _date(str(value))
                if fact in ("open_date", "close_date")
                else str(value),
                "as_at": as_at,
                "source": source,
            }
        )
    rows.append(
        {
            "fact": "Phase (absence figures)",
            "value": phase_label,
            "as_at": period_label(str(row["last"])) if row else "",
            "source": ABSENCE_FILE,
        }
    )
    rows.append(
        {
            "fact": "URN" if len(chain) == 1 else "URNs in these figures",
            "value": ", ".join(chain),
            "as_at": period_label(str(row["last"])) if row else "",
            "source": ABSENCE_FILE,
        }
    )
    return Table(
        "about",
        f"About {facts.label(urn)}: facts and the date each is as at",
        (
            Column("fact", "Fact"),
            Column("value", "Value"),
            Column("as_at", "As at"),
            Column("source", "Source"),
        ),
        tuple(rows),
        notes=(
            "Facts from the reference files describe the school on the date shown, which may "
            "be later than the absence figures.",
        ),
    )


def _date(iso: str) -> str:
    """'2018-03-01' -> '1 March 2018'."""
    from attendance_reports.sources.schools import MONTHS

    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"
