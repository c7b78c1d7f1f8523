"""The pandoc engine: page sources -> HTML with the site's own template (site_theme/page.html).

Used when Quarto is not installed (and always in CI). pandoc comes from the pypandoc-binary
package, so nothing is downloaded at build time.
"""

from __future__ import annotations

import json
import subprocess
from importlib import resources
from pathlib import Path

import yaml

from attendance_reports.errors import RenderError


def executable() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None


def available() -> bool:
    return executable() is not None


def theme_dir() -> Path:
    return Path(str(resources.files("attendance_reports") / "render" / "site_theme"))


def render_page(source: Path, output: Path, metadata: dict, pandoc: str | None = None) -> None:
    """One page source -> one HTML page. ``metadata`` fills the template (root, nav, …)."""
    pandoc = pandoc or executable()
    if pandoc is None:
        raise RenderError("pandoc is not available — run `make install`")
    meta_file = output.with_name(output.name + ".meta.yml")
    meta_file.write_text(
        yaml.safe_dump(metadata, sort_keys=True, allow_unicode=True, width=1 << 30),
        encoding="utf-8",
    )
    args = [
        pandoc,
        str(source),
        "--from",
        "markdown",
        "--to",
        "html5",
        "--template",
        str(theme_dir() / "page.html"),
        "--metadata-file",
        str(meta_file),
        "--output",
        str(output),
        "--wrap",
        "none",
    ]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    finally:
        meta_file.unlink(missing_ok=True)
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise RenderError(f"{source}: pandoc failed ({tail}) — check the page source")


def render_pages(jobs: list[tuple[Path, Path, dict]], pandoc: str | None = None) -> None:
    """Many page sources -> HTML with one pandoc process (engines/batch.lua): same output as
    render_page, without starting pandoc for every page."""
    if not jobs:
        return
    pandoc = pandoc or executable()
    if pandoc is None:
        raise RenderError("pandoc is not available — run `make install`")
    manifest = {
        "template": str(theme_dir() / "page.html"),
        "jobs": [
            {
                "source": str(source),
                "output": str(output),
                "meta": yaml.safe_dump(meta, sort_keys=True, allow_unicode=True, width=1 << 30),
            }
            for source, output, meta in jobs
        ],
    }
    manifest_file = jobs[0][1].with_name(f".batch-{jobs[0][1].stem}.json")
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    script = Path(str(resources.files("attendance_reports") / "render" / "engines" / "batch.lua"))
    try:
        done = subprocess.run(
            [pandoc, "lua", str(script), str(manifest_file)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        manifest_file.unlink(missing_ok=True)
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise RenderError(
            f"pandoc failed on a batch starting {jobs[0][0]} ({tail}) — check the page sources"
        )
