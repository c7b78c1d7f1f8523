"""The site's own pages: the home page (`index_report`: what the figures are, from which
publications, each LA linked to its first page), the methodology's definitions and the
release notes."""

from __future__ import annotations

from pathlib import Path

from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.model.area import ENGLAND
from attendance_reports.model.assemble_file_subjects import file_subjects, joined
from attendance_reports.model.assemble_groups import (
    BANDS_SOURCE,
    CARE_SOURCE,
    CHARACTERISTICS_SOURCE,
    group_sources,
)
from attendance_reports.model.report_model import (
    Column,
    IndexReport,
    Link,
    RegionLinks,
    ReleaseNotesReport,
    Table,
)
from attendance_reports.model.site_data import CENSUS, INYEAR, LAIT, SiteData
from attendance_reports.render.formatting import counted, period_label
from attendance_reports.sources.contract import SCHOOLS

#: the words of the home page's link to England's first page (SiteData.area_home)
ENGLAND_PAGES = {
    "national.html": "England: headline figures, regions and trends",
    "this-year.html": "England this year: in-year attendance, the regions and a map",
    "groups.html": "England: pupil groups",
}

#: the home page's words when no local authority has figures (e.g. England's one-point bands)
NO_LAS = "The files this site was built from have no figures for any local authority."


def _england_link(site: SiteData, page: str) -> str:
    """The words of the home page's link to England's first page: an England page of the
    one-point bands or the enrolments missing a session alone names them."""
    if page != "national.html" or site.has_area("national", ENGLAND):
        return ENGLAND_PAGES[page]
    return f"England: {joined([words for words, _ in file_subjects(site, 'national', ENGLAND)])}"


#: the publications of the home page's "About these statistics", after "the Department for
#: Education's" (the first) or "its" (the others)
PUBLICATIONS = {
    CENSUS: "*Pupil absence in schools in England* statistics (school census)",
    LAIT: "Local Authority Interactive Tool (LAIT)",
    INYEAR: "*Pupil attendance in schools* statistics (in-year, from schools' daily registers)",
    BANDS_SOURCE: "*Pupil absence distributions* (absence bands by pupil characteristic)",
    CHARACTERISTICS_SOURCE: "*Pupil absence in schools in England* statistics by pupil "
    "characteristic",
    CARE_SOURCE: "*Outcomes for children in need, including children looked after by local "
    "authorities in England*",
}


def _about(sources: tuple[str, ...]) -> str:
    """'The figures come from the Department for Education's … and its …'."""
    first = "the Department for Education's"
    parts = [f"{first if i == 0 else 'its'} {PUBLICATIONS[s]}" for i, s in enumerate(sources)]
    joined = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)
    return f"The figures come from {joined}." if parts else ""


def _areas(site: SiteData, las: int) -> str:
    """'England, 152 local authorities and their schools', as far as the data goes."""
    parts = ["England"] if site.area_home("national", ENGLAND) else []
    if las or not parts:
        parts.append(counted(las, "local authority", "local authorities"))
    schools = site.census_years and bool((site.frame["geographic_level"] == "school").any())
    if schools:
        return f"{', '.join(parts)} and their schools"
    return " and ".join(parts)


def _las_intro(site: SiteData) -> str:
    """What an LA's pages hold, for the home page's list of LAs."""
    if site.census_years:
        return (
            "Choose a local authority for its headline figures, benchmarks against England, "
            "its region and its statistical neighbours, trends, and its schools."
        )
    what = []
    if len(site.table):
        what.append(
            "its headline figures, benchmarks against England, its region and its "
            "statistical neighbours, and trends"
        )
    if site.inyear_year:
        what.append("its attendance this year")
    if len(site.groups):
        what.append("its pupil groups")
    files = site.file_table
    if len(files) and (files["geographic_level"] == "la").any():
        what.append("its enrolments missing at least one session by reason")
    return f"Choose a local authority for {joined(what)}." if what else ""


def _what_the_data_holds(site: SiteData) -> tuple[str, tuple[str, ...]]:
    """What the site's figures are, in words ("school census counts to 2018/19 and LAIT
    rates to 2024/25"), and their sources."""
    held, sources = [], []
    if site.census_years:
        held.append(f"school census counts to {period_label(site.latest_census_year)}")
        sources.append(CENSUS)
    lait = site.table[(site.table["source"] == LAIT).to_numpy()] if len(site.table) else []
    if len(lait):
        held.append(f"LAIT rates to {period_label(max(lait['time_period'].astype(str)))}")
        sources.append(LAIT)
    if len(site.groups) and not site.census_years:
        years = site.groups["time_period"].astype(str)
        held.append(f"pupil-group figures to {period_label(max(years))}")
        sources += group_sources(site.groups)
    if not site.census_years:
        for words, year in file_subjects(site):
            held.append(f"{words} in {period_label(year)}")
            sources.append(CENSUS)
    if site.inyear_year:
        held.append(f"in-year attendance in {period_label(site.inyear_year)}")
        sources.append(INYEAR)
    return (joined(held) if held else "none"), tuple(dict.fromkeys(sources))


def index_report(
    site: SiteData,
    title: str,
    publisher: str,
    built: tuple[str, ...] | None = None,
    trusts: bool = False,
) -> IndexReport:
    """Home page: what the site is, who publishes it, the release, LAs by region. ``built``
    limits the list to the LAs that have pages (all LAs in the data by default); ``trusts``:
    whether the site has academy trust pages (the home page links to their index)."""
    las = site.las()
    if built is not None:
        las = las[las["code"].isin(list(built))]
    regions = []
    for region_code, group in las.sort_values(["region_name", "name"]).groupby(
        "region_code", sort=False
    ):
        links = tuple(
            Link(str(r["name"]), site.area_home("la", str(r["code"])) or f"la/{r['code']}.html")
            for r in group.to_dict("records")
        )
        regions.append(RegionLinks(site.reference.regions.get(region_code, "Other"), links))
    regions.sort(key=lambda r: r.name)
    latest = period_label(site.latest_year)
    held, sources = _what_the_data_holds(site)
    england = site.area_home("national", ENGLAND)
    return IndexReport(
        slug="index",
        title=title,
        description=f"Pupil absence in England's {SCHOOLS[site.population]}: England, every local "
        "authority and their schools, from the Department for Education's statistics.",
        summary=(
            f"Absence figures for {_areas(site, len(las))}, from the Department for "
            f"Education's published statistics: {held}.",
            "Every figure is computed from DfE's published counts and matches DfE's own "
            "published rates. Lower absence is better.",
        ),
        sources=sources,
        publisher=publisher,
        release=latest,
        national=Link(_england_link(site, england), england) if england else None,
        las_intro=_las_intro(site) if regions else NO_LAS,
        about=_about(sources),
        regions=tuple(regions),
        trusts=Link(
            "Academy trusts: each trust's schools against England and their local authorities",
            "trusts.html",
        )
        if trusts
        else None,
    )


def definitions_table() -> Table:
    """Every indicator's definition, for the methodology page."""
    rows = tuple(
        {"id": i.id, "label": i.label, "definition": i.definition, "unit": i.unit}
        for i in REGISTRY.values()
    )
    return Table(
        "definitions",
        "Indicators: names, definitions and units",
        (
            Column("label", "Indicator"),
            Column("definition", "Definition"),
            Column("unit", "Unit"),
            Column("id", "Id in data downloads"),
        ),
        rows,
    )


def release_notes_report(
    site: SiteData,
    release: str,
    previous: str = "",
    previous_indicators: tuple[str, ...] = (),
    corrections: tuple[str, ...] = (),
) -> ReleaseNotesReport:
    """The data files behind a release (name, kind, rows, SHA-256) and what changed."""
    rows = tuple(
        {
            "file": Path(f.name.split("!")[0]).name
            + ("!" + f.name.split("!")[1] if "!" in f.name else ""),
            "kind": f.kind,
            "rows": float(f.rows),
            "sha256": f.sha256,
        }
        for f in site.files
        if not f.skipped
    )
    files = Table(
        "files",
        "Data files used in this release",
        (
            Column("file", "File"),
            Column("kind", "Kind"),
            Column("rows", "Rows", "count"),
            Column("sha256", "SHA-256"),
        ),
        rows,
        notes=("Check a download against its SHA-256 with `sha256sum FILE`.",),
    )
    added = tuple(sorted(set(REGISTRY) - set(previous_indicators))) if previous else ()
    name = release or "this build"
    return ReleaseNotesReport(
        slug="release-notes",
        title=f"Release notes: {name}",
        description=f"The data files, indicators and corrections of {name}.",
        breadcrumbs=(Link("Home", "index.html"), Link("Release notes", "release-notes.html")),
        summary=(
            f"This release shows data to {period_label(site.latest_year)}: school census "
            f"counts to {period_label(site.latest_census_year)} and LAIT rates after that."
            if site.census_years
            else f"This release shows data to {period_label(site.latest_year)}: "
            f"{_what_the_data_holds(site)[0]}.",
        ),
        release=release,
        previous=previous,
        files=files,
        added=added,
        corrections=tuple(corrections),
    )
