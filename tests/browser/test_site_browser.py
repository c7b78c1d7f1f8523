"""The built site in a real browser: axe-core (WCAG 2.2 AA), reflow at 320 px, chart text
alternatives and data tables, visible keyboard focus, no third-party requests, working links
(from a sub-path and from file://), numbers equal to the indicator engine's, and search.

One site (Cambridgeshire and Camden, pandoc engine) is built per run and served from
``http://127.0.0.1:PORT/attendance/`` (see conftest.py). Full-page screenshots of every page type
at both widths are written to tests/artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from attendance_reports.model.assemble import la_report, national_report
from attendance_reports.model.assemble_school import school_report
from attendance_reports.render.formatting import percent

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
PAGE_KEYS = (
    "index",
    "national",
    "la-873",
    "overview-873",
    "overview-838",
    "groups-873",
    "groups-202",
    "groups-201",
    "groups-national",
    "this-year",
    "this-year-873",
    "school",
    "school-110630",
    "school-145423",
    "trust",
    "trusts",
    "search-school",
    "methodology",
    "accessibility",
    "about",
    "search",
)
WIDTHS = (1280, 320)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: pages that must show charts (so the chart checks cannot pass on a page that lost them)
MIN_CHARTS = {
    "national": 3,
    "la-873": 2,
    "this-year": 4,
    "this-year-873": 2,
    "groups-873": 3,
    "groups-national": 3,
    "school-110630": 1,
    "school-145423": 1,
    "trust": 1,
}
MAX_ALT = 220
FOCUS_YELLOW = "rgb(255, 221, 0)"  # #ffdd00

every_page = pytest.mark.parametrize("key", PAGE_KEYS)
both_widths = pytest.mark.parametrize("width", WIDTHS)


def _visit(open_page, site_pages, key, width):
    return open_page(site_pages[key], width)


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


# ---- per page type, at 1280 and 320 px -------------------------------------------------------


@pytest.mark.browser
@every_page
@both_widths
def test_no_axe_violations(open_page, site_pages, key, width):
    from axe_playwright_python.sync_playwright import Axe

    visit = _visit(open_page, site_pages, key, width)
    results = Axe().run(
        visit.page,
        options={
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "resultTypes": ["violations"],
        },
    )
    found = [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:10]}"
        for v in results.response["violations"]
    ]
    assert results.violations_count == 0, f"{site_pages[key]} at {width} px:\n" + "\n".join(found)


@pytest.mark.browser
@every_page
@both_widths
def test_no_horizontal_scroll(open_page, site_pages, key, width):
    visit = _visit(open_page, site_pages, key, width)
    scroll_width = visit.page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:  # name what sticks out, to make the failure easy to fix
        wide = visit.page.evaluate(
            """(width) => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > width + 0.5
                             && !e.closest('.table-wrap'))
                .slice(0, 10)
                .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
            width,
        )
        pytest.fail(f"{site_pages[key]}: scrollWidth {scroll_width} > {width}; too wide: {wide}")


CHARTS_JS = """() => {
  const charts = Array.from(document.querySelectorAll('figure.chart')).map(figure => {
    const image = figure.querySelector('img');
    const strong = figure.querySelector('figcaption strong');
    const caption = figure.querySelector('figcaption');
    let next = figure.nextElementSibling;
    const details = next && next.tagName === 'DETAILS' ? next : null;
    return {
      src: image ? image.getAttribute('src') : null,
      alt: image ? image.getAttribute('alt') : null,
      loaded: image ? image.complete && image.naturalWidth > 0 : false,
      title: (strong || caption || {textContent: ''}).textContent.trim(),
      table: Boolean(details && details.querySelector('table')),
    };
  });
  const stray = Array.from(document.querySelectorAll('img[src$=".svg"]'))
    .filter(image => !image.closest('figure.chart')).map(image => image.getAttribute('src'));
  return {charts, stray};
}"""


@pytest.mark.browser
@every_page
@both_widths
def test_charts_have_alt_text_and_a_data_table(open_page, site_pages, key, width):
    visit = _visit(open_page, site_pages, key, width)
    found = visit.page.evaluate(CHARTS_JS)
    charts = found["charts"]
    assert len(charts) >= MIN_CHARTS.get(key, 0), f"{site_pages[key]}: charts missing"
    assert not found["stray"], f"chart images outside a figure.chart: {found['stray']}"
    problems = []
    for chart in charts:
        alt = (chart["alt"] or "").strip()
        if not chart["src"]:
            problems.append(f"{chart['title']!r}: no <img>")
            continue
        if not alt:
            problems.append(f"{chart['src']}: empty alt")
        if len(alt) > MAX_ALT:
            problems.append(f"{chart['src']}: alt is {len(alt)} characters (> {MAX_ALT})")
        if alt and not alt.endswith("."):
            problems.append(f"{chart['src']}: alt is not a whole sentence: {alt[-40:]!r}")
        if _normalise(alt) == _normalise(chart["title"]):
            problems.append(f"{chart['src']}: alt repeats the caption title")
        if not chart["table"]:
            problems.append(f"{chart['src']}: no <details> with a data table after the figure")
        if not chart["loaded"]:
            problems.append(f"{chart['src']}: image did not load")
    assert not problems, f"{site_pages[key]} at {width} px:\n" + "\n".join(problems)


FOCUS_STYLE_JS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const read = () => {
    const s = getComputedStyle(element);
    return {outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth,
            outlineColor: s.outlineColor, boxShadow: s.boxShadow,
            background: s.backgroundColor};
  };
  const focused = read();
  const box = element.getBoundingClientRect();
  const name = element.tagName.toLowerCase()
    + (element.id ? '#' + element.id : '')
    + (element.className ? '.' + String(element.className).split(' ').join('.') : '')
    + ' ' + (element.getAttribute('aria-label') || element.textContent || '').trim().slice(0, 40);
  element.blur();
  const unfocused = read();
  return {name, focused, unfocused, width: box.width, height: box.height};
}"""

TRANSPARENT = re.compile(r"rgba\(\s*\d+,\s*\d+,\s*\d+,\s*0\s*\)|transparent")


def _focus_indicator(style: dict, base: dict) -> list[str]:
    """The visible differences between an element's focused and unfocused styles."""
    shown = []
    outline_visible = (
        style["outlineStyle"] != "none"
        and style["outlineWidth"] not in ("0px", "")
        and not TRANSPARENT.fullmatch(style["outlineColor"])
    )
    if outline_visible and (
        style["outlineStyle"],
        style["outlineWidth"],
        style["outlineColor"],
    ) != (base["outlineStyle"], base["outlineWidth"], base["outlineColor"]):
        shown.append(f"outline {style['outlineWidth']} {style['outlineColor']}")
    if style["boxShadow"] not in ("none", base["boxShadow"]):
        shown.append(f"box-shadow {style['boxShadow']}")
    if style["background"] != base["background"] and not TRANSPARENT.fullmatch(style["background"]):
        shown.append(f"background {style['background']}")
    return shown


@pytest.mark.browser
@every_page
@both_widths
def test_keyboard_focus_is_visible(open_page, site_pages, key, width):
    visit = _visit(open_page, site_pages, key, width)
    page = visit.page
    seen, problems = [], []
    for _ in range(6):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE_JS)
        assert state is not None, f"{site_pages[key]}: Tab moved focus to nothing"
        shown = _focus_indicator(state["focused"], state["unfocused"])
        seen.append((state["name"], shown))
        if not shown:
            problems.append(f"{state['name']}: focus style equals the unfocused style")
        if state["width"] < 2 or state["height"] < 2:
            problems.append(f"{state['name']}: focused but not visible ({state})")
    # A scrollable table region is a tab stop too (tabindex=0): its focus must show.
    if page.locator(".table-wrap").count():
        page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies
        page.locator(".table-wrap").first.focus()
        state = page.evaluate(FOCUS_STYLE_JS)
        shown = _focus_indicator(state["focused"], state["unfocused"])
        seen.append((state["name"], shown))
        if not shown:
            problems.append(f"{state['name']}: table region has no visible focus")
    assert not problems, f"{site_pages[key]} at {width} px: {problems}\nall: {seen}"
    assert any(FOCUS_YELLOW in " ".join(shown) for _, shown in seen), (
        f"no #ffdd00 focus style seen: {seen}"
    )


@pytest.mark.browser
@every_page
@both_widths
def test_no_request_leaves_localhost(open_page, site_pages, site_url, key, width):
    visit = _visit(open_page, site_pages, key, width)
    outside = [url for url in visit.requests if not url.startswith(("data:", "http://127.0.0.1:"))]
    assert not outside, f"{site_pages[key]} requested: {outside}"
    assert visit.requests and visit.requests[0].startswith(site_url)
    assert not visit.failures, f"{site_pages[key]}: {visit.failures}"
    assert not visit.errors, f"{site_pages[key]}: JavaScript errors {visit.errors}"


@pytest.mark.browser
@every_page
@both_widths
def test_full_page_screenshot(open_page, site_pages, key, width):
    """Saved for a person to look at: tests/artifacts/screenshots/<page>-<width>.png."""
    visit = _visit(open_page, site_pages, key, width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = site_pages[key].split("?")[0].removesuffix(".html").replace("/", "-")
    path = SCREENSHOTS / f"{name}-{width}.png"
    visit.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000


# ---- every internal link of every page (no browser) -----------------------------------------


class _Links(HTMLParser):
    """href / src / action values and element ids of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "action"):
                self.refs.append(value.strip())
            elif name == "id":
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _broken_links(site: Path) -> list[tuple[str, str, str]]:
    """(page, link, problem) for every relative link that does not resolve."""
    pages = {p: _parse(p) for p in sorted(site.rglob("*.html"))}
    broken = []
    for page, parsed in pages.items():
        here = page.relative_to(site).as_posix()
        for ref in parsed.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith("//"):
                continue  # http(s), mailto, data: …: not ours
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if site.resolve() not in (target, *target.parents):
                broken.append((here, ref, "leaves the site"))
            elif not target.is_file():
                broken.append((here, ref, "no such file"))
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if parts.fragment not in ids:
                    broken.append((here, ref, f"no id {parts.fragment!r}"))
    return broken


def test_every_internal_link_resolves(built_site):
    """Every relative link and fragment resolves (index.html#local-authorities included), and
    the home page lists only the LAs this build made."""
    assert len(list(built_site.rglob("*.html"))) > 300
    assert "local-authorities" in _parse(built_site / "index.html").ids
    broken = _broken_links(built_site)
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:10]}"
    la = (built_site / "la" / "873.html").read_text(encoding="utf-8")
    assert 'href="../index.html#local-authorities"' in la  # the nav and breadcrumb fragment


@pytest.mark.browser
def test_this_year_maps_have_words_and_a_table(open_page):
    """Each choropleth: alt text, its classes in words beside it, and every LA in its table."""
    page = open_page("this-year.html").page
    maps = page.locator("figure.map")
    assert maps.count() == 2
    for i in range(2):
        figure = maps.nth(i)
        assert figure.locator("img").get_attribute("alt").startswith("Map of England's local")
        assert figure.locator(".map-legend li").count() == 4
        assert "groups of about equal size" in figure.locator(".map-key").inner_text()
        table = figure.locator("xpath=following-sibling::details[1]//table")
        assert table.locator("tbody tr").count() == 153


def test_la_page_links_to_its_this_year_page(built_site):
    la = (built_site / "la" / "873.html").read_text(encoding="utf-8")
    assert 'href="../la/873-this-year.html"' in la
    assert 'href="this-year.html"' in (built_site / "national.html").read_text(encoding="utf-8")


def test_chart_alt_text_is_never_cut_short(site):
    """Not only the LAs built here: the longest names (BCP, Hull, North Northamptonshire)."""
    cut = [
        chart.alt
        for code in ("839", "810", "940")
        for chart in la_report(site, code).trends
        if not chart.alt.endswith(".") or len(chart.alt) > MAX_ALT
    ]
    assert not cut, cut


# ---- from file:// -------------------------------------------------------------------------


@pytest.mark.browser
def test_site_works_from_file_url(open_page, built_site):
    visit = open_page(url=(built_site / "index.html").resolve().as_uri())
    page = visit.page
    page.locator('a[href="la/873.html"]').first.click()
    page.wait_for_url("**/la/873.html")
    assert page.url.startswith("file://")
    assert page.locator("h1").inner_text() == "Cambridgeshire: pupil absence"
    header = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert header == "rgb(11, 12, 12)", "site.css did not load from file://"
    assert page.evaluate(
        "Array.from(document.querySelectorAll('figure.chart img'))"
        ".every(i => i.complete && i.naturalWidth > 0)"
    ), "a chart image did not load from file://"
    assert not visit.failures, visit.failures


# ---- the numbers shown are the indicator engine's -----------------------------------------


def _cards(page) -> list[tuple[str, str]]:
    cards = page.evaluate(
        """() => Array.from(document.querySelectorAll('.headline')).map(card => [
            card.querySelector('.headline-label').textContent.trim(),
            card.querySelector('.headline-value').textContent.trim()])"""
    )
    return [tuple(card) for card in cards]


def _expected_cards(report) -> list[tuple[str, str]]:
    return [
        (h.figure.label, percent(h.figure.value, h.figure.decimals, h.figure.status))
        for h in report.headlines
    ]


@pytest.mark.browser
def test_la_headlines_equal_the_indicator_engine(open_page, site):
    report = la_report(site, "873")
    cards = _cards(open_page("la/873.html").page)
    assert cards[0] == ("Overall absence rate", percent(report.headlines[0].figure.value))
    assert cards == _expected_cards(report)


@pytest.mark.browser
def test_national_headlines_equal_the_indicator_engine(open_page, site):
    report = national_report(site)
    cards = _cards(open_page("national.html").page)
    assert cards[0] == ("Overall absence rate", percent(report.headlines[0].figure.value))
    assert cards == _expected_cards(report)


@pytest.mark.browser
def test_school_overall_absence_equals_the_indicator_engine(open_page, site_pages, site):
    urn = site_pages["school"].removeprefix("school/").removesuffix(".html")
    row = school_report(site, urn).compared.rows[0]
    page = open_page(site_pages["school"]).page
    shown = page.evaluate(
        """() => {
          const table = Array.from(document.querySelectorAll('table')).find(t =>
            Array.from(t.querySelectorAll('thead th')).some(th =>
              th.textContent.trim() === 'This school'));
          const headings = Array.from(table.querySelectorAll('thead th'))
            .map(th => th.textContent.trim());
          const column = headings.indexOf('This school');
          const tr = Array.from(table.querySelectorAll('tbody tr')).find(r =>
            r.querySelector('th').textContent.trim() === 'Overall absence rate');
          return tr.querySelectorAll('th, td')[column].textContent.trim();
        }"""
    )
    assert row["measure"] == "Overall absence rate"
    assert shown == percent(row["school"], 1, row["school__status"])


# ---- search -----------------------------------------------------------------------------


@pytest.mark.browser
def test_search_lists_the_la_page(open_page, site_url):
    page = open_page("search.html?q=cambridgeshire").page
    link = page.locator('#search-results a[href="la/873.html"]')
    assert link.count() == 1
    assert page.locator("#search-results a").first.get_attribute("href") == "la/873.html"
    assert "results for ‘cambridgeshire’" in page.locator("#search-status").inner_text()
    link.click()
    page.wait_for_url(site_url + "la/873.html")
    assert page.locator("h1").inner_text() == "Cambridgeshire: pupil absence"


@pytest.mark.browser
def test_header_search_works_from_a_sub_path(open_page, site_url):
    page = open_page("la/873.html").page
    page.fill("#site-search-q", "camden")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "search.html?q=camden")
    page.wait_for_function("() => document.getElementById('search-status').textContent")
    assert page.locator('#search-results a[href="la/202.html"]').count() == 1


@pytest.mark.browser
def test_search_results_show_page_titles_as_written(open_page):
    page = open_page("search.html?q=cambridgeshire").page
    text = page.locator('#search-results a[href="la/873.html"]').inner_text()
    assert text == "Cambridgeshire: pupil absence"


@pytest.mark.browser
@pytest.mark.parametrize("query", ["Townley", "Wisbech", "townley wisbech", "8732064", "110630"])
def test_search_finds_townley_first(open_page, query):
    page = open_page(f"search.html?q={query}").page
    first = page.locator("#search-results li").first
    assert first.locator("a").get_attribute("href") == "school/110630.html"
    assert first.locator("a").inner_text() == "Townley Primary School, Wisbech (URN 110630)"
    assert first.locator(".search-result-meta").inner_text() == (
        "Wisbech, Cambridgeshire, state-funded primary"
    )


@pytest.mark.browser
def test_both_urns_of_a_converted_school_find_its_page(open_page):
    for urn in ("110605", "145423", "8732009"):
        page = open_page(f"search.html?q={urn}").page
        links = page.locator("#search-results a")
        assert links.first.get_attribute("href") == "school/145423.html", urn


@pytest.mark.browser
def test_search_finds_a_trust_by_name(open_page):
    page = open_page("search.html?q=diocese of ely").page
    first = page.locator("#search-results li").first
    href = "trust/the-diocese-of-ely-multi-academy-trust.html"
    assert first.locator("a").get_attribute("href") == href
    assert "Academy trust" in first.locator(".search-result-meta").inner_text()


def test_trusts_are_reached_from_the_home_page_and_each_member_school(built_site):
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="trusts.html"' in index
    trusts = (built_site / "trusts.html").read_text(encoding="utf-8")
    assert 'href="trust/the-diocese-of-ely-multi-academy-trust.html"' in trusts
    page = (built_site / "trust" / "the-diocese-of-ely-multi-academy-trust.html").read_text(
        encoding="utf-8"
    )
    members = re.findall(r'href="\.\./school/(\d+)\.html"', page)
    assert len(members) >= 20
    for urn in members[:5]:
        school = (built_site / "school" / f"{urn}.html").read_text(encoding="utf-8")
        assert 'href="../trust/the-diocese-of-ely-multi-academy-trust.html"' in school


def test_every_school_page_of_the_default_site_has_a_name(built_site):
    titles = [
        re.search(r"<title>(.*?)</title>", p.read_text(encoding="utf-8"), re.S).group(1)
        for p in sorted((built_site / "school").glob("*.html"))
    ]
    assert len(titles) > 300
    assert not [t for t in titles if "School URN" in t]
    assert any("Townley Primary School, Wisbech (URN 110630)" in t for t in titles)
