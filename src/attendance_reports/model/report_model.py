"""Report models: what a page shows, as immutable data. Built by assemble.py, displayed by
templates (reports/*.qmd) through page_sources.py. Models hold unrounded numbers with their
status; formatting.py turns them into text once, when page sources are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _help(text: str) -> dict:
    return {"help": text}


@dataclass(frozen=True)
class Figure:
    """One number with everything needed to show it."""

    label: str = field(metadata=_help("what the number is, e.g. 'Overall absence rate'"))
    value: float = field(metadata=_help("unrounded value (NaN when missing)"))
    status: str = field(default="ok", metadata=_help("'ok' or why the value is missing"))
    unit: str = field(default="%", metadata=_help("'%', 'percentage points', 'enrolments', …"))
    decimals: int = field(default=1, metadata=_help("decimal places shown"))
    source: str = field(default="", metadata=_help("where the number comes from"))
    method: str = field(
        default="", metadata=_help("how it is made, when that needs saying (in-year totals)")
    )


@dataclass(frozen=True)
class Column:
    """A table column: its key in each row, its heading, and how cells are shown."""

    key: str = field(metadata=_help("row key"))
    label: str = field(metadata=_help("column heading"))
    unit: str = field(default="", metadata=_help("'%', 'percentage points', 'count', '' = text"))
    decimals: int = field(default=1, metadata=_help("decimal places for numbers"))
    csv_only: bool = field(
        default=False,
        metadata=_help("in the CSV download only; the page says it once, in a table note"),
    )


@dataclass(frozen=True)
class Table:
    """A data table with a caption, a row-header column and a CSV download."""

    id: str = field(metadata=_help("unique on the page; the CSV file is <page>-<id>.csv"))
    caption: str = field(metadata=_help("the table's <caption>: what it shows"))
    columns: tuple[Column, ...] = field(metadata=_help("first column is the row header"))
    rows: tuple[dict, ...] = field(
        metadata=_help(
            "one mapping per row: column key -> text or number; '<key>__status' -> status"
        )
    )
    notes: tuple[str, ...] = field(default=(), metadata=_help("footnotes under the table"))
    source: str = field(default="", metadata=_help("source line"))


@dataclass(frozen=True)
class Series:
    """One line (or set of bars) of a chart."""

    label: str = field(metadata=_help("shown directly on the chart, never by colour alone"))
    x: tuple[str, ...] = field(metadata=_help("categories, e.g. academic years '2018/19'"))
    y: tuple[float, ...] = field(metadata=_help("unrounded values; NaN for no data (a gap)"))
    highlight: bool = field(default=False, metadata=_help("the subject of the chart"))


@dataclass(frozen=True)
class Chart:
    """A chart with a message title, a subtitle, alt text, a source and its data table."""

    id: str = field(metadata=_help("unique on the page; the SVG file is <page>-<id>.svg"))
    kind: str = field(
        metadata=_help(
            "'line' (trend), 'bar' (comparison) or 'line-fast' (a trend drawn without plotnine,"
            " for the thousands of school and trust pages)"
        )
    )
    title: str = field(metadata=_help("says the message"))
    subtitle: str = field(metadata=_help("measure, population, place, period"))
    alt: str = field(metadata=_help("text alternative, at most 220 characters, not the title"))
    series: tuple[Series, ...] = field(metadata=_help("lines or bar groups"))
    y_label: str = field(default="%", metadata=_help("axis label"))
    source: str = field(default="", metadata=_help("source line under the chart"))
    breaks: tuple[str, ...] = field(
        default=(),
        metadata=_help("x categories at which the series breaks (drawn as a marked gap)"),
    )
    table: Table | None = field(default=None, metadata=_help("the chart's data, shown beside it"))
    break_labels: tuple[str, ...] = field(
        default=(),
        metadata=_help(
            "what each break is, e.g. 'new URN 145731' ('line-fast'; else 'series break')"
        ),
    )


@dataclass(frozen=True)
class Comparison:
    """A benchmark beside a headline figure."""

    label: str = field(metadata=_help("'England', the region's name, 'Statistical neighbours'"))
    value: float = field(metadata=_help("unrounded benchmark value"))
    status: str = field(default="ok", metadata=_help("'ok' or why it is missing"))
    note: str = field(default="", metadata=_help("e.g. 'mean of 10 neighbours'"))


@dataclass(frozen=True)
class Headline:
    """A headline figure card: value, year, source, comparisons, rank and band."""

    id: str = field(metadata=_help("indicator id"))
    figure: Figure = field(metadata=_help("the area's value"))
    year: str = field(metadata=_help("academic year shown, e.g. '2024/25'"))
    comparisons: tuple[Comparison, ...] = field(default=(), metadata=_help("benchmarks"))
    rank: float = field(default=float("nan"), metadata=_help("rank among LAs, 1 = lowest"))
    ranked: int = field(default=0, metadata=_help("number of LAs ranked"))
    band: str = field(default="", metadata=_help("quartile band A–D ('' when not ranked)"))
    rank_status: str = field(
        default="ok", metadata=_help("'not-ranked' when the files lack some LAs of England")
    )


@dataclass(frozen=True)
class Link:
    text: str = field(metadata=_help("link text, meaningful out of context"))
    href: str = field(metadata=_help("relative URL from the site root"))


def la_breadcrumbs(
    name: str, la_code: str, *more: Link, home: str | None = None
) -> tuple[Link, ...]:
    """The trail from Home to an LA's page (and on to ``more``, pages of that LA). ``home``:
    the LA's first page when it has no census page (SiteData.area_home)."""
    crumbs = (
        Link("Home", "index.html"),
        Link("Local authorities", "index.html#local-authorities"),
        Link(name, home or f"la/{la_code}.html"),
        *more,
    )
    # an LA whose first page is this one: the trail ends once
    return tuple(c for i, c in enumerate(crumbs) if c.href not in {x.href for x in crumbs[:i]})


@dataclass(frozen=True)
class Report:
    """What every page has: title, description, where it sits, notices and sources."""

    slug: str = field(metadata=_help("output path without .html, e.g. 'la/873'"))
    title: str = field(metadata=_help("page title (H1)"))
    description: str = field(metadata=_help("one-sentence summary for search and previews"))
    breadcrumbs: tuple[Link, ...] = field(default=(), metadata=_help("trail from Home"))
    summary: tuple[str, ...] = field(default=(), metadata=_help("key sentences"))
    notices: tuple[str, ...] = field(default=(), metadata=_help("breaks and caveats to flag"))
    sources: tuple[str, ...] = field(default=(), metadata=_help("data sources used"))
    heading_note: str = field(
        default="",
        metadata=_help(
            "added to every section heading, e.g. 'autumn and spring terms' on a site whose "
            "census figures are not full-year (model/periods.py)"
        ),
    )


@dataclass(frozen=True)
class Section:
    """A section a page shows only when the files have its figures (its own heading)."""

    heading: str = field(metadata=_help("the section's heading"))
    text: tuple[str, ...] = field(default=(), metadata=_help("sentences before the table"))
    table: Table | None = field(default=None, metadata=_help("the section's table"))


@dataclass(frozen=True)
class AreaReport(Report):
    """National or LA page."""

    code: str = field(default="", metadata=_help("E92000001 or the 3-digit LA code"))
    name: str = field(default="", metadata=_help("area name"))
    headlines: tuple[Headline, ...] = field(default=(), metadata=_help("headline cards"))
    benchmarks: Table | None = field(default=None, metadata=_help("area vs benchmarks"))
    phases: Table | None = field(default=None, metadata=_help("by phase, latest year"))
    recent: Table | None = field(default=None, metadata=_help("the last five years with data"))
    trends: tuple[Chart, ...] = field(default=(), metadata=_help("trend charts with tables"))
    comparison: Chart | None = field(default=None, metadata=_help("areas compared (bar)"))
    reasons: Table | None = field(default=None, metadata=_help("reasons for absence"))
    missed_by_reason: Section | None = field(
        default=None,
        metadata=_help(
            "enrolments missing at least one session, by reason, against the region and "
            "England (the 2016/17 release's file; None without it)"
        ),
    )
    rate_bands: Section | None = field(
        default=None,
        metadata=_help(
            "England's enrolments by one-point overall absence band (the 2016/17 release's "
            "file; None without it)"
        ),
    )
    neighbours: Table | None = field(default=None, metadata=_help("statistical neighbours"))
    areas: Table | None = field(default=None, metadata=_help("regions (national page)"))
    schools: tuple[Link, ...] = field(default=(), metadata=_help("school pages"))
    overview: tuple[Link, ...] = field(default=(), metadata=_help("overview page and its PDF"))
    this_year: tuple[Link, ...] = field(
        default=(), metadata=_help("the in-year ('This year') page, when there is one")
    )
    schools_table: Table | None = field(default=None, metadata=_help("schools' figures"))
    other_period: Table | None = field(
        default=None,
        metadata=_help(
            "the area's figures for a census period other than the site's own (e.g. autumn "
            "and spring terms beside full years), in their own table, never in the trend"
        ),
    )
    other_period_heading: str = field(
        default="", metadata=_help("that period as a heading: 'Autumn and spring terms'")
    )


@dataclass(frozen=True)
class SchoolReport(Report):
    """A school's page."""

    urn: str = field(default="", metadata=_help("unique reference number"))
    la_code: str = field(default="", metadata=_help("its LA"))
    la_name: str = field(default="", metadata=_help("its LA's name"))
    phase: str = field(default="", metadata=_help("phase label as published"))
    compared: Table | None = field(default=None, metadata=_help("school vs LA vs England"))
    trend: Table | None = field(default=None, metadata=_help("school's figures by year"))
    reasons: Table | None = field(default=None, metadata=_help("reasons vs LA and England"))
    name: str = field(
        default="",
        metadata=_help("'Townley Primary School, Wisbech (URN 110630)', or 'School URN …'"),
    )
    urns: tuple[str, ...] = field(
        default=(), metadata=_help("every URN of its series, oldest first (URN changes)")
    )
    about: Table | None = field(
        default=None, metadata=_help("name, place, type, trust, FSM %…: each with its date")
    )
    chart: Chart | None = field(default=None, metadata=_help("overall absence over time"))
    links: tuple[Link, ...] = field(default=(), metadata=_help("its trust and LA pages"))
    comparison: tuple[str, ...] = field(
        default=(), metadata=_help("its position among local and similar schools, in words")
    )
    local: Table | None = field(
        default=None, metadata=_help("same-phase schools of its district (or LA)")
    )
    similar: Table | None = field(
        default=None, metadata=_help("the most similar same-phase schools in England")
    )


@dataclass(frozen=True)
class RegionLinks:
    name: str = field(metadata=_help("region name"))
    links: tuple[Link, ...] = field(metadata=_help("its LAs' pages"))


@dataclass(frozen=True)
class IndexReport(Report):
    """The home page."""

    publisher: str = field(default="", metadata=_help("who publishes the site"))
    release: str = field(default="", metadata=_help("the data release shown"))
    national: Link | None = field(default=None, metadata=_help("the England page"))
    regions: tuple[RegionLinks, ...] = field(default=(), metadata=_help("LAs by region"))
    trusts: Link | None = field(default=None, metadata=_help("the index of academy trusts"))
    las_intro: str = field(default="", metadata=_help("what an LA's pages hold, in a sentence"))
    about: str = field(default="", metadata=_help("the publications the figures come from"))


@dataclass(frozen=True)
class NamedFigure:
    """A figure with a stable machine name, for the overview's JSON and its tests."""

    name: str = field(metadata=_help("e.g. 'rate', 'count', 'change_pp', 'three_year_average'"))
    figure: Figure = field(metadata=_help("the value, unrounded, with its status and unit"))


@dataclass(frozen=True)
class OverviewSection:
    """One part of a 'latest data overview': a heading, sentences, figures, a table, a chart."""

    id: str = field(metadata=_help("'overall', 'persistent', 'severe', 'phases', 'benchmarks'"))
    heading: str = field(metadata=_help("section heading"))
    sentences: tuple[str, ...] = field(
        default=(), metadata=_help("narrative, each figure in words")
    )
    figures: tuple[NamedFigure, ...] = field(
        default=(), metadata=_help("every figure the text uses")
    )
    table: Table | None = field(default=None, metadata=_help("the section's table"))
    chart: Chart | None = field(default=None, metadata=_help("the section's chart"))


@dataclass(frozen=True)
class OverviewReport(Report):
    """A 'latest data overview' for one LA, year and period (web page, PDF, CLI)."""

    code: str = field(default="", metadata=_help("3-digit LA code"))
    name: str = field(default="", metadata=_help("LA name"))
    year: str = field(default="", metadata=_help("academic year, e.g. '2018/19'"))
    period: str = field(default="full-year", metadata=_help("'full-year' or 'autumn-spring'"))
    period_label: str = field(default="", metadata=_help("e.g. 'full academic year'"))
    sections: tuple[OverviewSection, ...] = field(default=(), metadata=_help("in reading order"))


@dataclass(frozen=True)
class ReleaseNotesReport(Report):
    """What a release contains: its data files (with SHA-256), indicators added, corrections."""

    release: str = field(default="", metadata=_help("release name ('' for an unversioned build)"))
    previous: str = field(default="", metadata=_help("the release before it, if any"))
    files: Table | None = field(default=None, metadata=_help("input files and their SHA-256"))
    added: tuple[str, ...] = field(default=(), metadata=_help("indicators new since the last"))
    corrections: tuple[str, ...] = field(default=(), metadata=_help("corrections, from site.yml"))


@dataclass(frozen=True)
class GroupsReport(Report):
    """The pupil groups page of England or an LA: each group against its comparison group."""

    code: str = field(default="", metadata=_help("E92000001 or the 3-digit LA code"))
    name: str = field(default="", metadata=_help("area name"))
    year: str = field(default="", metadata=_help("latest academic year with group figures"))
    gaps: Table | None = field(
        default=None, metadata=_help("persistent absence by group, latest year, with gaps")
    )
    severe: Table | None = field(default=None, metadata=_help("severe absence by group"))
    overall: Table | None = field(
        default=None, metadata=_help("overall absence by group (characteristics files)")
    )
    years: Table | None = field(default=None, metadata=_help("persistent absence by year group"))
    care: tuple[Table, ...] = field(
        default=(),
        metadata=_help("children in need, on a plan, looked after: persistent, severe, overall"),
    )
    gap_chart: Chart | None = field(default=None, metadata=_help("the gaps, latest year (bar)"))
    trends: tuple[Chart, ...] = field(default=(), metadata=_help("the gaps over time (line)"))
    figures: tuple[NamedFigure, ...] = field(
        default=(), metadata=_help("the figures the summary sentences use")
    )
    links: tuple[Link, ...] = field(default=(), metadata=_help("the area's main page"))
    threshold: int = field(default=6, metadata=_help("small-number threshold in force"))


@dataclass(frozen=True)
class MapClass:
    """One class of a choropleth: its colour and what it means, in words."""

    label: str = field(metadata=_help("e.g. '6.5% to 7.4% (38 local authorities)'"))
    colour: str = field(metadata=_help("fill colour"))
    count: int = field(default=0, metadata=_help("areas in the class"))


@dataclass(frozen=True)
class Map:
    """A choropleth of LAs, with its classes described in words and its data table."""

    id: str = field(metadata=_help("unique on the page; the SVG file is <page>-<id>.svg"))
    title: str = field(metadata=_help("says what is mapped"))
    subtitle: str = field(metadata=_help("measure, population, period"))
    alt: str = field(metadata=_help("text alternative, at most 220 characters"))
    classes: tuple[MapClass, ...] = field(metadata=_help("lightest (lowest) first"))
    areas: tuple[tuple[str, int], ...] = field(
        metadata=_help("(GSS code, class index; -1 = no data) for every LA drawn")
    )
    description: tuple[str, ...] = field(default=(), metadata=_help("the map's message in words"))
    source: str = field(default="", metadata=_help("source line under the map"))
    table: Table | None = field(default=None, metadata=_help("every LA's value"))


@dataclass(frozen=True)
class InYearReport(Report):
    """A "This year" page (in-year attendance) for England or an LA."""

    code: str = field(default="", metadata=_help("E92000001 or the 3-digit LA code"))
    name: str = field(default="", metadata=_help("area name"))
    year: str = field(default="", metadata=_help("academic year shown, e.g. '2024/25'"))
    data_date: str = field(default="", metadata=_help("what the latest figures cover, in words"))
    headlines: tuple[Headline, ...] = field(default=(), metadata=_help("year-to-date cards"))
    weekly: Chart | None = field(
        default=None, metadata=_help("absence by week, this year and last")
    )
    periods: Table | None = field(default=None, metadata=_help("terms and year to date by phase"))
    persistent: Table | None = field(default=None, metadata=_help("persistent absence to date"))
    persistent_series: Chart | None = field(
        default=None, metadata=_help("persistent absence so far this year, fortnightly points")
    )
    reasons: Table | None = field(default=None, metadata=_help("absence by reason, year to date"))
    groups: tuple[Table, ...] = field(
        default=(), metadata=_help("persistent and overall absence by pupil group, with gaps")
    )
    groups_summary: tuple[str, ...] = field(
        default=(), metadata=_help("the pupil groups in sentences")
    )
    benchmarks: Table | None = field(default=None, metadata=_help("area vs benchmark groups"))
    neighbours: Table | None = field(
        default=None, metadata=_help("statistical and geographic neighbours")
    )
    areas: Table | None = field(default=None, metadata=_help("regions (national page)"))
    years: Table | None = field(default=None, metadata=_help("full years in this source"))
    maps: tuple[Map, ...] = field(default=(), metadata=_help("choropleths of LAs"))
    links: tuple[Link, ...] = field(default=(), metadata=_help("related pages"))


@dataclass(frozen=True)
class TrustReport(Report):
    """An academy trust's page: its schools' absence summed, against England and each
    school's LA."""

    code: str = field(
        default="", metadata=_help("the trust's id in URLs, e.g. 'the-cam-academy-trust'")
    )
    name: str = field(default="", metadata=_help("the trust's name as shown"))
    published: str = field(default="", metadata=_help("the name as DfE spells it"))
    year: str = field(default="", metadata=_help("latest academic year with figures"))
    phases: Table | None = field(
        default=None, metadata=_help("the trust against England by phase, latest year")
    )
    at_or_better: Table | None = field(
        default=None, metadata=_help("schools at or better than England's rate, by year")
    )
    chart: Chart | None = field(default=None, metadata=_help("overall absence over time"))
    schools: Table | None = field(
        default=None, metadata=_help("member schools against their LA and England")
    )
    later: Table | None = field(
        default=None,
        metadata=_help("members whose figures here are from before they joined (not counted)"),
    )
    figures: tuple[NamedFigure, ...] = field(
        default=(), metadata=_help("the figures the summary sentences use")
    )
    links: tuple[Link, ...] = field(default=(), metadata=_help("the index of trusts"))


@dataclass(frozen=True)
class TrustsIndexReport(Report):
    """The index of academy trusts with schools in the data."""

    trusts: Table | None = field(
        default=None, metadata=_help("every trust's schools and overall absence (CSV)")
    )
    links: tuple[Link, ...] = field(default=(), metadata=_help("every trust's page, A to Z"))
    as_at: str = field(default="", metadata=_help("the membership date, e.g. 'January 2023'"))
