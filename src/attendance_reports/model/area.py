"""An area's values and what every area page shares: `_Area` (lookups that never compute),
England's code, the reorganisations that break an LA's series (`REORGANISATIONS`), the
series-break notes (`break_notes`: only those that concern the years shown), chart alt text,
the source line, the benchmark areas (England, the region), a benchmark's value or why it is
missing, and the notice when the files lack England's or the region's figures."""

from __future__ import annotations

from attendance_reports.model.report_model import Comparison
from attendance_reports.model.site_data import SiteData
from attendance_reports.sources.reference import normalise_region

NAN = float("nan")


ENGLAND = "E92000001"

#: reorganisations that break an LA's series (CONVENTIONS.md)
REORGANISATIONS = {
    "928": "Northamptonshire was replaced by North Northamptonshire (940) and West "
    "Northamptonshire (941) from 2021/22: its series ends in 2020/21.",
    "940": "North Northamptonshire was created in April 2021 from Northamptonshire (928): its "
    "series starts in 2021/22 and is not joined to Northamptonshire's.",
    "941": "West Northamptonshire was created in April 2021 from Northamptonshire (928): its "
    "series starts in 2021/22 and is not joined to Northamptonshire's.",
    "909": "Cumbria was replaced by Cumberland (942) and Westmorland and Furness (943) from "
    "2023/24: its series ends in 2022/23.",
    "942": "Cumberland was created in April 2023 from Cumbria (909): its series starts in "
    "2023/24 and is not joined to Cumbria's.",
    "943": "Westmorland and Furness was created in April 2023 from Cumbria (909): its series "
    "starts in 2023/24 and is not joined to Cumbria's.",
    "837": "Bournemouth merged into Bournemouth, Christchurch and Poole (839) in April 2019: its "
    "series ends in 2018/19.",
    "836": "Poole merged into Bournemouth, Christchurch and Poole (839) in April 2019: its "
    "series ends in 2018/19.",
    "835": "Dorset County Council was replaced by Dorset (838) in April 2019 (Christchurch moved "
    "to Bournemouth, Christchurch and Poole): the series are not joined.",
    "838": "Dorset (838) was created in April 2019; it is not joined to the earlier Dorset (835).",
    "839": "Bournemouth, Christchurch and Poole was created in April 2019 from Bournemouth (837), "
    "Poole (836) and part of Dorset (835): its series starts in 2019/20.",
}


BREAK_NOTES = (
    "There are no full-year figures for 2019/20: the summer term was not collected because of "
    "COVID-19. Trend lines have a gap there.",
    "2020/21 and 2021/22 were recorded during the COVID-19 pandemic: compare them with other "
    "years with care.",
    "Before 2012/13 the school year had five half terms in these figures, six from 2012/13.",
)


def break_notes(years: tuple[str, ...] | list[str], which: slice = slice(None)) -> tuple[str, ...]:
    """The notes of BREAK_NOTES[which] that concern ``years`` (time periods such as '201819'):
    the 2019/20 gap when the years run across it, the pandemic years when they include one,
    five half terms when they start before 2012/13 and run on after it."""
    first, last = (min(years), max(years)) if len(years) else ("", "")
    applies = (
        (bool(first) and first < "201920" < last) or "201920" in years,
        any(y in ("202021", "202122") for y in years),
        bool(first) and first < "201213" <= last,
    )
    chosen = BREAK_NOTES[which]
    return tuple(n for n, ok in zip(BREAK_NOTES, applies, strict=True) if ok and n in chosen)


class _Area:
    """One area's values, with lookups that never compute."""

    def __init__(self, site: SiteData, level: str, code: str):
        self.site, self.level, self.code = site, level, code
        self.values = site.values(level, code)

    def get(self, year: str, indicator: str, phase: str = "total") -> tuple[float, str, str]:
        missing = "not-available" if self.values else "not-in-data"
        return self.values.get((year, phase, indicator), (NAN, missing, ""))

    def latest(self, indicator: str, phase: str = "total") -> str | None:
        """The latest year with a value of the indicator."""
        years = [
            y
            for (y, p, i), (_, s, _) in self.values.items()
            if i == indicator and p == phase and s == "ok"
        ]
        return max(years) if years else None


def _sources_line(sources) -> str:
    names = sorted({s for s in sources if s})
    return "Source: " + "; ".join(names) + "." if names else ""


ALT_LIMIT = 220


def chart_alt(label: str, name: str, comparison: str, first: str, last: str, direction: str) -> str:
    """A trend chart's text alternative: a whole sentence of at most 220 characters."""
    change = {
        "higher": "higher at the end than at the start",
        "lower": "lower at the end than at the start",
        "the same": "the same at the end as at the start",
    }.get(direction, "")
    parts = [
        f"Line chart of the {label.lower()} in {name}",
        f" compared with {comparison}" if comparison else "",
        f" from {first} to {last}" if first and last else "",
        f"; it was {change}" if change else "",
        ".",
    ]
    tail = " The data table follows the chart."
    for drop in (None, 1, 3):  # shorten by dropping the least needed parts, never mid-word
        if drop is not None:
            parts[drop] = ""
        text = "".join(parts)
        if len(text + tail) <= ALT_LIMIT:
            return text + tail
        if len(text) <= ALT_LIMIT:
            return text
    return f"Line chart of the {label.lower()}."


def _benchmark_areas(site: SiteData, level: str, code: str) -> list[tuple[str, _Area]]:
    out = [("England", _Area(site, "national", ENGLAND))] if code != ENGLAND else []
    if level == "la":
        region = site.reference.region_of(code)
        if region:
            region = normalise_region(region)
            out.append(
                (site.reference.regions.get(region, region), _Area(site, "regional", region))
            )
    return out


NOT_IN_DATA = "not in the files given"


def _comparison(label: str, value: float, status: str) -> Comparison:
    """A benchmark's value, or why it is missing (e.g. England not in the files given)."""
    return Comparison(label, value, status, NOT_IN_DATA if status == "not-in-data" else "")


def _missing_areas_notice(site: SiteData, code: str) -> tuple[str, ...]:
    """A notice when the files lack England's or the region's figures (comparisons blank)."""
    missing = []
    if not site.has_area("national", ENGLAND):
        missing.append("England's")
    region = site.reference.region_of(code)
    if region and not site.has_area("regional", normalise_region(region)):
        missing.append("the region's")
    if not missing:
        return ()
    return (
        f"The files given do not include {' or '.join(missing)} figures: those comparisons "
        "show [x] and no rank or quartile band is given (ranks need every local authority "
        "of England).",
    )
