"""The plan of a site: one `PageJob` per page, in a stable order (`plan`), each LA with the pages
its figures make, school pages with their search keywords and cards, the academy trusts'
pages (`trust_jobs`), and the header's links (`site_nav`: England to England's first page)."""

from __future__ import annotations

from dataclasses import dataclass

from attendance_reports.errors import ConfigError
from attendance_reports.model.site_data import ENGLAND, SiteData
from attendance_reports.render.formatting import counted
from attendance_reports.render.page_output import md_text
from attendance_reports.site.config import Config

NAV = (
    ("index.html", "Home"),
    ("national.html", "England"),
    ("index.html#local-authorities", "Local authorities"),
    ("methodology.html", "Methodology"),
    ("about.html", "About"),
)


def site_nav(site: SiteData) -> tuple[tuple[str, str], ...]:
    """The header's links: England to England's first page, when the data has one."""
    england = site.area_home("national", ENGLAND)
    return tuple(
        (england, text) if href == "national.html" else (href, text)
        for href, text in NAV
        if href != "national.html" or england
    )


@dataclass(frozen=True)
class PageJob:
    template: str  # file name in reports/
    slug: str  # output path without .html
    params: tuple[tuple[str, object], ...] = ()
    search: str = ""  # extra search keywords
    search_rank: int = (
        0  # ties in search results: lower first (an LA's own page before its overview)
    )
    #: what a search result shows beside the title, as (key, text) pairs: a school's name,
    #: town, LA and phase (n, w, a, p) put it in the compact list of schools (search.search_index)
    card: tuple[tuple[str, str], ...] = ()


def chosen_las(site: SiteData, config: Config, las: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """The LAs whose pages are built (--la, else the configuration's, else every LA with
    figures) and, where LAs were asked for but the files hold no LA's figures (England's
    one-point bands, a national file), none and the line the build says about it."""
    all_las = site.las()
    chosen = las or tuple(config.las) or tuple(all_las["code"])
    if len(all_las) or not chosen or not set(chosen) <= set(site.reference.las["old_la_code"]):
        return chosen, ""
    return (), (
        f"No LA pages for {', '.join(sorted(chosen))}: the files given have no LA's figures "
        "(England's only), so the site has England's pages and its home page says so"
    )


def plan(site: SiteData, config: Config, las: tuple[str, ...]) -> list[PageJob]:
    """Every page of the site, in a stable order."""
    common = (("site_title", config.title), ("publisher", config.publisher))
    all_las = site.las()
    known = set(all_las["code"])
    chosen, _ = chosen_las(site, config, las)
    trust_pages = trust_jobs(site, tuple(sorted(chosen))) if config.schools else []
    jobs = [
        PageJob(
            "index.qmd",
            "index",
            (*common, ("las", tuple(sorted(chosen))), ("trusts", bool(trust_pages))),
        ),
        *(
            [PageJob("national.qmd", "national", (), "England national regions")]
            if site.has_area_page("national", ENGLAND)
            else []
        ),
        *(
            [
                PageJob(
                    "national_inyear.qmd", "this-year", (), "England this year in-year weekly map"
                )
            ]
            if site.inyear_year
            else []
        ),
        PageJob(
            "methodology.qmd",
            "methodology",
            (("small_numbers", config.small_numbers),),
            "definitions sources rounding symbols",
        ),
        PageJob(
            "accessibility.qmd",
            "accessibility",
            (
                *common,
                ("contact_email", config.contact_email),
                ("statement_date", config.statement_date),
            ),
        ),
        PageJob("about.qmd", "about", (("publisher", config.publisher),)),
    ]
    if site.has_groups("national", "E92000001"):
        jobs.insert(
            2,
            PageJob(
                "groups.qmd",
                "groups",
                (("code", "E92000001"), ("small_numbers", config.small_numbers)),
                "England pupil groups free school meals SEN disadvantaged gaps children in need",
            ),
        )
    for code in chosen:
        if code not in known:
            raise ConfigError(
                f"--la {code}: no such LA in the data — use a 3-digit code such as 873"
            )
    built = tuple(sorted(chosen))
    regions = dict(zip(all_las["code"], all_las["region_name"], strict=True))
    names = dict(zip(all_las["code"], all_las["name"], strict=True))
    for code in sorted(chosen):
        if site.area_home("la", code) is None:
            raise ConfigError(f"--la {code}: the data has no figures for this LA")
        if site.has_area_page("la", code):
            jobs.append(
                PageJob(
                    "la.qmd",
                    f"la/{code}",
                    (("la_code", code),),
                    f"{code} {regions.get(code, '')} local authority",
                )
            )
        if site.has_inyear(code):
            jobs.append(
                PageJob(
                    "la_inyear.qmd",
                    f"la/{code}-this-year",
                    (("la_code", code),),
                    f"{code} {names.get(code, '')} this year in-year weekly attendance",
                    search_rank=1,
                )
            )
        if site.has_full_year(code):
            jobs.append(
                PageJob(
                    "overview.qmd",
                    f"la/{code}-overview",
                    (("la_code", code), ("publisher", config.publisher)),
                    f"{code} {names.get(code, '')} latest data overview committee",
                    search_rank=1,
                )
            )
        if site.has_groups("la", code):
            jobs.append(
                PageJob(
                    "groups.qmd",
                    f"la/{code}-groups",
                    (("code", code), ("small_numbers", config.small_numbers)),
                    f"{code} {names.get(code, '')} pupil groups free school meals SEN gaps "
                    "children in need",
                    search_rank=1,
                )
            )
        if config.schools:
            facts = site.schools
            pages = dict.fromkeys(facts.page_of(c) for c in site.schools_of(code)["code"])
            for urn in pages:
                jobs.append(
                    PageJob(
                        "school.qmd",
                        f"school/{urn}",
                        (("urn", urn), ("las", built)),
                        school_keywords(site, urn, names.get(code, "")),
                        card=school_card(site, urn),
                    )
                )
    return jobs + trust_pages


def trust_jobs(site: SiteData, built: tuple[str, ...]) -> list[PageJob]:
    """The index of trusts and a page for each trust with a school in the built LAs."""
    from attendance_reports.model.assemble_trust import built_trusts

    trusts = built_trusts(site, built) if len(site.schools.trusts) else []
    if not trusts:
        return []
    facts = site.schools
    jobs = [PageJob("trusts.qmd", "trusts", (("las", built),), "academy trusts multi-academy")]
    for code in trusts:
        row = facts.trusts.loc[code]
        las = sorted({str(facts.row(u).get("la_name", "")) for u in facts.members(code)})
        schools = int(row["schools"])
        jobs.append(
            PageJob(
                "trust.qmd",
                f"trust/{code}",
                (("trust", code), ("las", built)),
                # the title has its name (the published capitals differ only in case); its
                # LAs are shown, not searched
                "academy trust"
                + (
                    ""
                    if row["name"].casefold() == row["published"].casefold()
                    else f" {row['published']}"
                ),
                card=(
                    (
                        "d",
                        f"Academy trust, {counted(schools, 'school')}"
                        + (f": {', '.join(las[:2])}" if las else "")
                        + (f" and {len(las) - 2} more" if len(las) > 2 else ""),
                    ),
                ),
            )
        )
    return jobs


def school_keywords(site: SiteData, urn: str, la_name: str) -> str:
    """What finds a school's page besides its title: every URN and LAESTAB of its series, its
    town, phase and LA."""
    facts = site.schools
    chain = facts.chains.get(urn, (urn,))
    words = [*chain, *(str(facts.row(u).get("laestab", "")) for u in chain)]
    row = facts.row(urn)
    words += [str(row.get("town", "")), str(row.get("phase_label", "")), la_name]
    return " ".join(dict.fromkeys(w for w in words if w and w != "nan"))


def school_card(site: SiteData, urn: str) -> tuple[tuple[str, str], ...]:
    """A school's search result: name, town, LA and phase (n, w, a, p); none without a name."""
    row = site.schools.row(urn)
    if not row.get("named"):
        return ()
    return (
        ("n", str(row["name"])),
        ("w", str(row["town"])),
        ("a", str(row["la_name"])),
        ("p", str(row["phase_label"])),
    )


def page_metadata(
    config: Config,
    release: str,
    slug: str,
    breadcrumbs,
    versions: list[dict] | None = None,
    root: str | None = None,
    nav: tuple[tuple[str, str], ...] = NAV,
) -> dict:
    """What the pandoc page template needs besides the page itself (escaped: read as Markdown)."""
    return {
        "root": "../" * slug.count("/") if root is None else root,
        "versions": versions or [],
        "site_title": md_text(config.title),
        "lang": "en-GB",
        "release": release,
        "nav": [
            {"href": href, "text": text, "current": href == f"{slug}.html"} for href, text in nav
        ],
        "breadcrumbs": [{"href": link.href, "text": md_text(link.text)} for link in breadcrumbs],
        "footer_source": "Source: Department for Education, Pupil absence in schools in "
        "England and the Local Authority Interactive Tool (LAIT).",
    }
