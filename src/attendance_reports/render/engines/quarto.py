"""The Quarto engine: renders the build's page sources as a Quarto website project.

The build writes a Quarto project (``_quarto.yml`` + one pre-executed .qmd per page, no code
cells) and runs ``quarto render`` on it once. Only option names documented by Quarto are
written (tests check them against engines/quarto_options.yml, taken from Quarto's schema).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from attendance_reports.errors import RenderError


def available() -> bool:
    return shutil.which("quarto") is not None


def project_config(title: str, output_dir: str, nav: list[dict]) -> dict:
    """The _quarto.yml of the build's project (documented keys only)."""
    return {
        "project": {
            "type": "website",
            "output-dir": output_dir,
            "resources": ["**/*.csv", "**/*.svg", "search-index.js", "assets/**"],
        },
        "website": {
            "title": title,
            "search": False,
            "navbar": {
                "left": [
                    {"href": n["href"].replace(".html", ".qmd"), "text": n["text"]} for n in nav
                ]
            },
            "page-footer": {
                "center": "Contains public sector information licensed "
                "under the Open Government Licence v3.0."
            },
        },
        "lang": "en-GB",
        "format": {
            "html": {
                "theme": "none",
                "css": ["assets/site.css"],
                "toc": False,
                "anchor-sections": False,
                "embed-resources": False,
            }
        },
    }


def render(project: Path, config: dict) -> None:
    """Write _quarto.yml into the project folder and run `quarto render` on it."""
    (project / "_quarto.yml").write_text(yaml.safe_dump(config, sort_keys=True), encoding="utf-8")
    quarto = shutil.which("quarto")
    if quarto is None:
        raise RenderError(
            "quarto is not on PATH — install it from quarto.org or use --engine pandoc"
        )
    done = subprocess.run(
        [quarto, "render", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise RenderError(f"quarto render failed: {tail} — see the page named above")
