"""What every "This year" (in-year) report part shares: an area's in-year values
(``InYearArea``, lookups that never compute), the periods England has figures for, ISO weeks
and their dates, and the page's constants.
"""

from __future__ import annotations

import datetime as dt

from attendance_reports.indicators.inyear import PUPIL_IDS
from attendance_reports.indicators.inyear_combine import METHOD_TEXT, PARTIAL, method_text
from attendance_reports.model.report_model import Column
from attendance_reports.model.site_data import SiteData
from attendance_reports.render.formatting import period_label
from attendance_reports.sources.inyear_columns import FIRST_WEEK

NAN = float("nan")
ENGLAND = "E92000001"
YTD = ("ytd", "Academic year")
TERMS = ("Autumn term", "Spring term", "Summer term")
HEADLINES = (
    "inyear_attendance_rate",
    "inyear_overall_absence_rate",
    "inyear_authorised_absence_rate",
    "inyear_unauthorised_absence_rate",
    "inyear_persistent_absence_rate",
)
PHASES = (
    ("primary", "Primary"),
    ("secondary", "Secondary"),
    ("special", "Special"),
    ("total", "All schools"),
)
#: a headline measure in a list of measures ("persistent absence: …")
MEASURE_WORDS = {
    "inyear_attendance_rate": "attendance",
    "inyear_overall_absence_rate": "overall absence",
    "inyear_authorised_absence_rate": "authorised absence",
    "inyear_unauthorised_absence_rate": "unauthorised absence",
    "inyear_persistent_absence_rate": "persistent absence",
}
MAPPED = ("inyear_overall_absence_rate", "inyear_persistent_absence_rate")
ALT_LIMIT = 220
SEPARATE = (
    "These figures come from schools' daily registers (DfE's \"Pupil attendance in schools\" "
    "statistics), a different source from the school census figures on the other pages: the "
    "two are never joined into one series."
)
#: the same, on a site without school census figures
SEPARATE_ALONE = (
    "These figures come from schools' daily registers (DfE's \"Pupil attendance in schools\" "
    "statistics), a different source from DfE's school census absence statistics, which are "
    "not among the files this site was built from."
)


class InYearArea:
    """One area's in-year values, with lookups that never compute."""

    def __init__(self, site: SiteData, level: str, code: str, name: str = ""):
        self.site, self.level, self.code = site, level, code
        self.name = name or (site.name_of(level, code) if level != "national" else "England")
        self.values = site.inyear_values(level, code)

    def get(
        self, kind: str, year: str, period: str, indicator: str, phase: str = "total", week: int = 0
    ) -> tuple[float, str, str]:
        """(value, status, method id) of one figure."""
        return self.values.get(
            (kind, year, period, week, phase, indicator), (NAN, "not-available", "", "")
        )[:3]

    def how(
        self, kind: str, year: str, period: str, indicator: str, phase: str = "total", week: int = 0
    ) -> str:
        """How one figure is made, in words ('' when there is no such figure)."""
        found = self.values.get((kind, year, period, week, phase, indicator))
        return method_words(self.site, found[2], found[3], indicator) if found else ""

    def weeks(self, year: str) -> dict[int, tuple[float, str, str, str]]:
        """ISO week -> (value, status, method, source) of the all-schools overall absence of
        that week (weeks with a row); made once per year."""
        cache = self.__dict__.setdefault("_weeks", {})
        if year not in cache:
            cache[year] = {
                w: v
                for (k, y, _, w, p, i), v in self.values.items()
                if k == "week" and y == year and p == "total" and i == "inyear_overall_absence_rate"
            }
        return cache[year]


def periods_of(england: InYearArea, year: str) -> list[tuple[str, str, str]]:
    """(kind, period, label) of the terms and the year to date England has figures for."""
    have = {(k, p) for (k, y, p, _, _, _) in england.values if y == year}
    out = [("term", t, t) for t in TERMS if ("term", t) in have]
    if YTD in have:
        out.append((*YTD, "Year to date"))
    elif ("pa-export", "Year to date") in have:  # DfE's persistent-absence export alone
        out.append(("pa-export", "Year to date", "Year to date (the persistent absence export)"))
    return out


def cumulative(england: InYearArea, year: str) -> tuple[str, str, str]:
    """The period the headlines show: the year to date, else the latest term."""
    periods = periods_of(england, year)
    return periods[-1] if periods else (*YTD, "Year to date")


def week_start(year: str, week: int) -> dt.date | None:
    """The Monday of an ISO week of an academic year ('202425', 37 -> 9 September 2024)."""
    start = int(year[:4])
    try:
        return dt.date.fromisocalendar(start if week >= FIRST_WEEK else start + 1, week, 1)
    except ValueError:
        return None


def date_text(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def academic_order(week: int) -> tuple[int, int]:
    return (0 if week >= FIRST_WEEK else 1, week)


def data_date(site: SiteData, year: str) -> str:
    """What the latest in-year figures cover, in words."""
    england = InYearArea(site, "national", ENGLAND)
    periods = [label.lower() for _, _, label in periods_of(england, year) if label in TERMS]
    parts = []
    if periods:
        terms = ", ".join(periods[:-1]) + (" and " if len(periods) > 1 else "") + periods[-1]
        parts.append(f"term and year-to-date figures cover the {terms} of {period_label(year)}")
    weeks = sorted(england.weeks(year), key=academic_order)
    if weeks:
        parts.append(
            f"the latest weekly figures are for the week starting "
            f"{date_text(week_start(year, weeks[-1]))} (ISO week {weeks[-1]})"
        )
    series = sorted(
        {w for (k, y, *_, w, _p, _i) in england.values if k == "pa-series" and y == year},
        key=academic_order,
    )
    if series:
        parts.append(
            "persistent absence so far this year runs to the week starting "
            f"{date_text(week_start(year, series[-1]))} (ISO week {series[-1]})"
        )
    text = "; ".join(parts)
    return (text[:1].upper() + text[1:] + ".") if text else ""


#: a combining method in a sentence ("… combined {words}")
COMBINED_WORDS = {
    "enrolment-weighted": "the phases' rates weighted by total enrolments",
    "sessions-ratio": "the sessions ratio (sessions missed ÷ possible sessions of all phases)",
}


def method_words(site: SiteData, method: str, source: str, indicator: str) -> str:
    """How a figure is made, in words: DfE's published total, the phases combined as the
    file's release does (which way), or why there is no all-schools figure."""
    if method == "none":
        release = site.inyear_methods.get(str(source))
        reason = release.for_indicator(indicator in PUPIL_IDS)[1] if release else ""
        return f"{METHOD_TEXT['none']}: {reason}" if reason else METHOD_TEXT["none"]
    return method_text(method) if method else ""


def row_method(parts: list[tuple[str, str]]) -> str:
    """One table cell for the methods of several figures in a row: (measure, words) pairs ->
    the words when all agree, else each measure's, e.g. 'persistent absence: …'."""
    parts = [(m, w) for m, w in parts if w]
    texts = list(dict.fromkeys(w for _, w in parts))
    if len(texts) <= 1:
        return texts[0] if texts else ""
    grouped = {t: [m for m, w in parts if w == t] for t in texts}
    return "; ".join(f"{words_list(ms)}: {t}" for t, ms in grouped.items())


def words_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


def is_combined(method: str) -> bool:
    return method.removesuffix(PARTIAL) in COMBINED_WORDS


#: a phase row's figures in a table's method column
PHASE_FIGURES = "DfE's figures"


def method_column(rows: list[dict], label: str, subject: str) -> tuple[Column, tuple[str, ...]]:
    """The method column of a table and its note: when every all-schools figure of the table
    is made one way, the page says so once in a note and the column is in the CSV only;
    otherwise the page shows the column."""
    texts = {r.get("method", "") for r in rows} - {"", PHASE_FIGURES}
    if len(texts) > 1:
        return Column("method", label), ()
    if not texts:
        return Column("method", label, csv_only=True), ()
    phases = any(r.get("method") == PHASE_FIGURES for r in rows)
    return Column("method", label, csv_only=True), (
        f"How {subject} made: {next(iter(texts))}"
        + ("; primary, secondary and special: DfE's figures." if phases else "."),
    )
