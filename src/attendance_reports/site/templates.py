"""The page templates a build renders: where they are (``templates_dir``), each loaded once
(``load_templates``), and the text each page's hash covers (``template_texts``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from attendance_reports.errors import ConfigError
from attendance_reports.render.engines import pandoc as pandoc_engine
from attendance_reports.render.engines import quarto as quarto_engine
from attendance_reports.render.page_sources import Template, load_template

REPORTS = Path("reports")


def templates_dir() -> Path:
    """The page templates: ./reports when the current folder has them (a project whose
    analysts edit them), otherwise the templates installed with the package."""
    if (REPORTS / "la.qmd").is_file():
        return REPORTS
    return Path(str(resources.files("attendance_reports") / "templates"))


NAMES = (
    "index.qmd",
    "national.qmd",
    "la.qmd",
    "school.qmd",
    "methodology.qmd",
    "accessibility.qmd",
    "about.qmd",
    "release_notes.qmd",
    "overview.qmd",
    "groups.qmd",
    "la_inyear.qmd",
    "national_inyear.qmd",
    "trust.qmd",
    "trusts.qmd",
)


def load_templates(reports: Path) -> dict[str, Template]:
    """Every template of the site from ``reports``; a missing one stops with one line."""
    templates: dict[str, Template] = {}
    for name in NAMES:
        path = reports / name
        if not path.exists():
            raise ConfigError(
                f"{path}: template not found — restore it from the package's templates "
                f"({templates_dir()}) or reinstall attendance-reports"
            )
        templates[name] = load_template(path)
    return templates


def template_texts(
    reports: Path, templates: dict[str, Template], engine: str = "pandoc"
) -> dict[str, str]:
    """Each template's text with the partials, page layout and engine it is rendered with."""
    shared = "".join(p.read_text(encoding="utf-8") for p in sorted(reports.glob("_*.qmd")))
    theme = pandoc_engine.theme_dir()
    layout = engine + "".join(
        (theme / name).read_text(encoding="utf-8")
        for name in (quarto_engine.TEMPLATE, *quarto_engine.PARTIALS)
    )
    texts = {
        name: t.path.read_text(encoding="utf-8") + shared + layout for name, t in templates.items()
    }
    texts["search"] = layout + (pandoc_engine.theme_dir() / "search.md").read_text("utf-8")
    return texts
