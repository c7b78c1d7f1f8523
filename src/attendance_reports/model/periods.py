"""One period type per series (issue #14 item 2): a census series holds the full year, or the
autumn and spring terms, never both.

``site_data.main_period`` picks the period a site's trends, headlines and tables show (the
full year when the files have it). This module does the rest for the national and LA pages:

- the other period's figures, when the files have them, go into their own table
  (``AreaReport.other_period``: "Autumn and spring terms", its years, its caption and note),
  never into the main series;
- a site whose main period is not the full year says so in the page title, every heading
  (``Report.heading_note``, added to each section heading by ``render/page_sources.py``), the
  first sentence, every chart subtitle and table caption, and drops the full-year notices.
"""

from __future__ import annotations

from dataclasses import fields, replace

from attendance_reports.model.report_model import AreaReport, Chart, Column, Table
from attendance_reports.model.site_data import CENSUS, SiteData
from attendance_reports.render.formatting import period_label
from attendance_reports.sources.contract import SCHOOLS

#: a census period (layouts.PERIODS value) -> how headings and sentences say it
PERIOD_WORDS = {
    "autumn-spring": "autumn and spring terms",
    "autumn": "autumn term",
    "spring": "spring term",
    "summer": "summer term",
}

#: the indicators of a period's own table: id -> column label
PERIOD_INDICATORS = (
    ("overall_absence_rate", "Overall absence rate"),
    ("authorised_absence_rate", "Authorised absence rate"),
    ("unauthorised_absence_rate", "Unauthorised absence rate"),
    ("persistent_absence_rate", "Persistent absence rate (10% or more)"),
    ("severe_absence_rate", "Severe absence rate (50% or more)"),
)

#: notices that are about full-year figures only: dropped from a site of another period
FULL_YEAR_NOTICE_STARTS = ("There are no full-year figures", "Before 2012/13 the school year")


def period_note(period: str) -> str:
    words = PERIOD_WORDS.get(period, period)
    return (
        f"These figures cover the {words} only. They are indicative, and they are compared "
        f"only with the {words} of other years, never with full-year figures."
    )


def other_periods(site: SiteData, level: str, code: str) -> tuple[str, ...]:
    """The census periods an area has figures for besides the site's main one."""
    rows = site.rows(level, code)
    if not len(rows):
        return ()
    present = set(rows["period"].astype(str)) - {site.main_period}
    return tuple(p for p in PERIOD_WORDS if p in present)


def period_table(site: SiteData, level: str, code: str, name: str, period: str) -> Table | None:
    """An area's figures for one period that is not the site's main one, year by year."""
    values = site.values(level, code, period)
    years = sorted(
        {
            y
            for (y, phase, indicator) in values
            if phase == "total" and indicator in dict(PERIOD_INDICATORS)
        }
    )
    if not years:
        return None
    rows = []
    for year in years:
        row: dict = {"year": period_label(year)}
        for indicator, _ in PERIOD_INDICATORS:
            value, status, _source = values.get(
                (year, "total", indicator), (float("nan"), "not-published", "")
            )
            row[indicator] = value
            row[f"{indicator}__status"] = status
        rows.append(row)
    words = PERIOD_WORDS[period]
    span = period_label(years[0]) + (f" to {period_label(years[-1])}" if len(years) > 1 else "")
    return Table(
        f"period-{period}",
        f"{words[0].upper()}{words[1:]} only: absence in {name}, {SCHOOLS[site.population]}, "
        f"{span}",
        (
            Column("year", "Academic year"),
            *(Column(indicator, label, "%") for indicator, label in PERIOD_INDICATORS),
        ),
        tuple(rows),
        notes=(period_note(period),),
        source=CENSUS,
    )


def with_periods(report: AreaReport, site: SiteData, level: str, code: str) -> AreaReport:
    """The page of an area with its periods kept apart (see the module docstring)."""
    others = other_periods(site, level, code)
    table = period_table(site, level, code, report.name, others[0]) if others else None
    report = replace(report, other_period=table, other_period_heading=_heading(others))
    if site.main_period == "full-year":
        return report
    return _say_period(report, site.main_period)


def _heading(others: tuple[str, ...]) -> str:
    if not others:
        return ""
    words = PERIOD_WORDS[others[0]]
    return words[0].upper() + words[1:]


def _say_period(report: AreaReport, period: str) -> AreaReport:
    """Title, headings, first sentence, captions and subtitles name the period; full-year
    notices are replaced by the period's own."""
    words = PERIOD_WORDS.get(period, period)
    summary = tuple(
        s.replace("In ", f"In the {words} of ", 1) if s.startswith("In ") else s
        for s in report.summary
    )
    kept = [n for n in report.notices if not n.startswith(FULL_YEAR_NOTICE_STARTS)]
    notices = (*kept, period_note(period))
    changes: dict = {
        "title": f"{report.title}, {words}",
        "heading_note": words,
        "summary": summary,
        "notices": notices,
    }
    for f in fields(report):
        value = getattr(report, f.name)
        if isinstance(value, (Table, Chart)):
            changes[f.name] = _qualified(value, words)
        elif isinstance(value, tuple) and value and isinstance(value[0], Chart):
            changes[f.name] = tuple(_qualified(c, words) for c in value)
    return replace(report, **changes)


def _qualified(part: Table | Chart, words: str) -> Table | Chart:
    if isinstance(part, Table):
        notes = tuple(n for n in part.notes if not n.startswith(FULL_YEAR_NOTICE_STARTS))
        return replace(part, caption=f"{part.caption} ({words})", notes=notes)
    table = _qualified(part.table, words) if part.table is not None else None
    return replace(part, subtitle=f"{part.subtitle} ({words})", table=table)
