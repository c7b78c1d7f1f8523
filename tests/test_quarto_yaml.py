"""Everything the project writes for Quarto uses only option names Quarto documents, besides
the site theme's own template variables (render/site_theme/README.md), which must not be Quarto's.

The list (engines/quarto_options.yml) was taken from Quarto's own schema files
(quarto-cli src/resources/schema). These checks need no Quarto: tests/test_quarto.py runs it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from attendance_reports.render.engines.quarto import page_source, project_config
from attendance_reports.render.page_sources import FRONT_MATTER, load_template

OPTIONS = yaml.safe_load(
    (
        Path(__file__).parents[1] / "src/attendance_reports/render/engines/quarto_options.yml"
    ).read_text()
)
#: engine keys documented on Quarto's site rather than in the format schema
ENGINE_KEYS = {"jupyter", "engine"}
#: the site theme's template variables (site_theme/page.html and its partials)
THEME_VARIABLES = {
    "root",
    "nav",
    "breadcrumbs",
    "versions",
    "release",
    "site_title",
    "footer_source",
}


def _unknown(mapping: dict, allowed: set[str]) -> list[str]:
    return sorted(set(mapping) - allowed)


def check_project(config: dict) -> list[str]:
    top = set(OPTIONS["top-level"]) | set(OPTIONS["front-matter"]) | set(OPTIONS["execute"])
    top |= THEME_VARIABLES
    problems = [f"top-level: {k}" for k in _unknown(config, top)]
    problems += [
        f"project: {k}" for k in _unknown(config.get("project", {}), set(OPTIONS["project"]))
    ]
    website = config.get("website", {})
    problems += [f"website: {k}" for k in _unknown(website, set(OPTIONS["website"]))]
    navbar = website.get("navbar", {})
    problems += [f"navbar: {k}" for k in _unknown(navbar, set(OPTIONS["website.navbar"]))]
    for side in ("left", "right"):
        for item in navbar.get(side, []):
            problems += [
                f"navbar item: {k}" for k in _unknown(item, set(OPTIONS["website.navbar.item"]))
            ]
    problems += [
        f"page-footer: {k}"
        for k in _unknown(website.get("page-footer", {}), set(OPTIONS["website.page-footer"]))
    ]
    for name, options in config.get("format", {}).items():
        problems += [
            f"format.{name}: {k}" for k in _unknown(options or {}, set(OPTIONS[f"format.{name}"]))
        ]
    problems += [
        f"execute: {k}" for k in _unknown(config.get("execute", {}), set(OPTIONS["execute"]))
    ]
    return problems


def check_front_matter(front: dict) -> list[str]:
    allowed = set(OPTIONS["front-matter"]) | ENGINE_KEYS | {"execute", "format"} | THEME_VARIABLES
    problems = [f"front matter: {k}" for k in _unknown(front, allowed)]
    for name, options in (front.get("format") or {}).items():
        problems += [
            f"format.{name}: {k}" for k in _unknown(options or {}, set(OPTIONS[f"format.{name}"]))
        ]
    problems += [
        f"execute: {k}" for k in _unknown(front.get("execute", {}), set(OPTIONS["execute"]))
    ]
    return problems


def test_the_checker_catches_a_misspelt_key():
    assert check_project({"project": {"output_dir": "x"}}) == ["project: output_dir"]
    assert check_front_matter({"titel": "x"}) == ["front matter: titel"]


def test_root_quarto_yml(repo):
    assert check_project(yaml.safe_load((repo / "_quarto.yml").read_text())) == []


def test_build_project_config():
    assert check_project(project_config()) == []


def test_theme_variables_are_not_quarto_options():
    documented = set().union(*(set(v) for v in OPTIONS.values() if isinstance(v, list)))
    assert THEME_VARIABLES & documented == set()
    template = (Path(__file__).parents[1] / "src/attendance_reports/render/site_theme").glob(
        "*.html"
    )
    used = {m for p in template for m in re.findall(r"\$\{?(?:for|if)?\(?([a-z_]+)", p.read_text())}
    assert used >= THEME_VARIABLES  # each is used by the theme


def test_the_root_project_uses_the_site_theme(repo):
    html = yaml.safe_load((repo / "_quarto.yml").read_text())["format"]["html"]
    theme = repo / "src/attendance_reports/render/site_theme"
    assert (repo / html["template"]).resolve() == (theme / "page.html").resolve()
    assert sorted(Path(p).name for p in html["template-partials"]) == sorted(
        p.name for p in theme.glob("*.html") if p.name != "page.html"
    )
    assert yaml.safe_load((repo / "_quarto.yml").read_text())["project"]["output-dir"] not in (
        "_site",
        "_build",
    )


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (Path(__file__).parents[1] / "reports").glob("[!_]*.qmd"))
)
def test_templates_and_their_cells(repo, name):
    template = load_template(repo / "reports" / name)
    assert check_front_matter(template.front_matter) == []
    cells = [p for p in template.parts if not isinstance(p, str)]
    allowed = set(OPTIONS["cell-options"])
    assert [k for c in cells for k in c.options if k not in allowed] == []


def test_generated_page_sources(small_site_sources):
    for source in small_site_sources:
        front = yaml.safe_load(FRONT_MATTER.match(source.read_text()).group(1))
        assert check_front_matter(front) == [], source
        # the site is HTML: the overview template's `format: typst` is for Quarto users only
        assert set(front.get("format", {})) <= {"html"}, source


def test_quarto_page_sources_carry_the_theme_variables(small_site_sources):
    from attendance_reports.model.report_model import Link
    from attendance_reports.site.build import page_metadata
    from attendance_reports.site.config import Config

    metadata = page_metadata(Config(), "Data to 2018/19", "la/202", (Link("Home", "index.html"),))
    for source in small_site_sources:
        text = source.read_text()
        match = FRONT_MATTER.match(text)
        front = yaml.safe_load(match.group(1))
        quarto = yaml.safe_load(
            FRONT_MATTER.match(page_source(front, text[match.end() :], metadata)).group(1)
        )
        assert check_front_matter(quarto) == [], source
        assert "format" not in quarto  # the project's format applies: no page-level toc
        assert quarto["root"] == "../" and quarto["nav"][0]["text"] == "Home"


def test_the_overview_template_has_a_typst_format_with_its_partials(repo):
    typst = load_template(repo / "reports" / "overview.qmd").front_matter["format"]["typst"]
    assert typst["papersize"] == "a4" and typst["pdf-standard"] == "ua-1"
    partials = [repo / "reports" / p for p in typst["template-partials"]]
    assert [p.resolve().name for p in partials] == ["typst-template.typ", "typst-show.typ"]
    assert all(p.is_file() for p in partials)


@pytest.fixture(scope="module")
def small_site_sources(repo, tmp_path_factory, bundled_site) -> list[Path]:
    """Page sources the build hands the engine, for one page of each type."""
    from attendance_reports.render.page_output import PageOutput
    from attendance_reports.render.page_sources import execute, page_source

    site = bundled_site
    urn = str(site.schools_of("202")["code"].iloc[0])
    out = tmp_path_factory.mktemp("sources")
    written = []
    for name, slug, params in (
        ("la.qmd", "la/202", {"la_code": "202"}),
        ("school.qmd", f"school/{urn}", {"urn": urn}),
        ("national.qmd", "national", {}),
        ("index.qmd", "index", {}),
        ("methodology.qmd", "methodology", {}),
        ("accessibility.qmd", "accessibility", {}),
        ("about.qmd", "about", {}),
        ("overview.qmd", "la/202-overview", {"la_code": "202"}),
    ):
        page = PageOutput(slug, "../" * slug.count("/"))
        front, body, _ = execute(
            load_template(repo / "reports" / name), {"data": site, "page": page, **params}
        )
        path = out / f"{slug.replace('/', '-')}.qmd"
        path.write_text(page_source(front, body), encoding="utf-8")
        written.append(path)
    return written
