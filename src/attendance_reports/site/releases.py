"""Versioned releases: ``build --release 2023-24`` publishes the site under ``/<release>/``.

A published release is never modified: building it again is refused, and building a newer one
writes only its own folder plus the site-level files that are meant to change:
``/latest/`` (a copy of the newest release, so its URLs work), ``versions.json``,
``versions.html`` (every release, no JavaScript needed) and ``/index.html`` (a link and
redirect to ``latest/``). Each page's version switcher lists the releases published up to it
and links to ``versions.html`` for later ones.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from attendance_reports.errors import ConfigError
from attendance_reports.model.report_model import Link
from attendance_reports.render.engines import pandoc as pandoc_engine
from attendance_reports.render.page_output import md_text
from attendance_reports.site.config import Config
from attendance_reports.site.plan import page_metadata

NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,40}$")
VERSIONS = "versions.json"


def check_name(release: str, out_dir: Path) -> None:
    """A usable, unpublished release name, or ConfigError."""
    if not NAME.match(release) or release == "latest":
        raise ConfigError(
            f"--release {release}: use letters, digits, '.', '-' or '_' (for "
            "example 2023-24), not 'latest'"
        )
    if (out_dir / release).exists():
        raise ConfigError(
            f"--release {release}: {out_dir / release} is already published and "
            "releases are never modified — choose a new release name"
        )


def read_versions(out_dir: Path) -> list[dict]:
    """The releases published so far, oldest first (from versions.json)."""
    path = out_dir / VERSIONS
    if not path.exists():
        return []
    try:
        return json.loads(path.read_text(encoding="utf-8"))["releases"]
    except (ValueError, KeyError) as exc:
        raise ConfigError(
            f"{path}: not a versions file ({exc}) — restore it from a backup or remove it"
        ) from None


def switcher(out_dir: Path, published: list[dict], release: str, slug: str) -> list[dict]:
    """The version switcher of one page: earlier releases (the same page where it exists),
    this release, and the list of all releases. hrefs are relative to the release's root."""
    links = []
    for entry in published:
        other = entry["release"]
        same = out_dir / other / f"{slug}.html"
        target = f"{slug}.html" if same.exists() else "index.html"
        links.append({"href": f"../{other}/{target}", "text": other, "current": False})
    links.append({"href": f"{slug}.html", "text": release, "current": True})
    links.append({"href": "../versions.html", "text": "List of releases", "current": False})
    return links


def publish(stage: Path, out_dir: Path, entry: dict) -> list[dict]:
    """Move a finished release into place, refresh latest/ and versions.json; return the list."""
    release = entry["release"]
    out_dir.mkdir(parents=True, exist_ok=True)
    published = [e for e in read_versions(out_dir) if e["release"] != release] + [entry]
    stage.rename(out_dir / release)
    latest_tmp = out_dir / ".latest.tmp"
    shutil.rmtree(latest_tmp, ignore_errors=True)
    shutil.copytree(out_dir / release, latest_tmp)
    old = out_dir / ".latest.old"
    if (out_dir / "latest").exists():
        (out_dir / "latest").rename(old)
    latest_tmp.rename(out_dir / "latest")
    shutil.rmtree(old, ignore_errors=True)
    text = json.dumps({"latest": release, "releases": published}, indent=1, sort_keys=True)
    (out_dir / VERSIONS).write_text(text + "\n", encoding="utf-8")
    return published


def site_level_pages(config: Config, listed: list[dict], work: Path, out_dir: Path) -> None:
    """versions.html (every release) and index.html (to latest/) at the top of a versioned site."""
    latest = listed[-1]["release"]
    items = "\n".join(
        f"- [{md_text(e['release'])}]({e['release']}/index.html): data to "
        f"{md_text(e['data_to'])}" + (" (latest)" if e["release"] == latest else "")
        for e in reversed(listed)
    )
    pages = {
        "versions": (
            "Releases",
            "Every release of this site stays online unchanged, so a "
            "figure can be cited by its address. The newest is also at "
            "[latest](latest/index.html).\n\n" + items,
            "",
        ),
        "index": (
            config.title,
            f"The latest release is [{md_text(latest)}](latest/index.html)."
            " [All releases](versions.html).",
            '<meta http-equiv="refresh" content="0; url=latest/index.html">',
        ),
    }
    for slug, (title, body, head) in pages.items():
        source = work / f"{slug}-site.qmd"
        source.write_text(f"---\ntitle: {json.dumps(title)}\n---\n{body}\n", encoding="utf-8")
        metadata = page_metadata(
            config,
            f"Latest release: {latest}",
            slug,
            (Link("Releases", "../versions.html"),),
            root="latest/",
        )
        if head:
            metadata["header-includes"] = head
        tmp = work / f"{slug}.html"
        pandoc_engine.render_page(source, tmp, metadata)
        tmp.replace(out_dir / f"{slug}.html")
