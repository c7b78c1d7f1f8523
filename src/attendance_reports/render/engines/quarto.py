"""The Quarto engine: the build's page sources rendered as Quarto website projects.

The build writes every page as a pre-executed .qmd (front matter + Markdown + raw HTML, no code
cells: see page_sources.py) whose front matter also carries what the site's template needs
(``root``, ``nav``, ``breadcrumbs``, ``release``, ``versions``, ``footer_source``: see
site_theme/README.md). ``project_config`` is the projects' _quarto.yml: a website rendered with
the site's own theme, the same files the pandoc engine uses — site_theme/page.html as the HTML
``template`` and its ``template-partials`` (metadata.html, site-header.html with the search box
and navigation, title-block.html with the release and version switcher, toc.html,
site-footer.html) — with ``minimal: true`` (no Bootstrap, no Quarto navbar or footer). Quarto's
processing that would make the pages differ from the pandoc engine's is turned off (section
divs, anchor links, HTML table processing, a contents list, the search index).

Quarto skips every file under a folder whose name starts with '.' (and, inside a project, '_')
and still exits 0, so the projects live in a temporary folder without such a part, and
``render`` checks that every page it was given came out. ``--jobs N`` runs N Quarto processes
at a time, each on its own project of at most BATCH pages (one Quarto renders one page at a
time, and holds every page's result until its render ends).

Only option names documented by Quarto are written (tests check them against
engines/quarto_options.yml, taken from Quarto's schema).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from attendance_reports.errors import RenderError

TEMPLATE = "page.html"
#: the site theme's partials (site_theme/), shared with the pandoc engine's template
PARTIALS = ("metadata.html", "site-header.html", "title-block.html", "toc.html", "site-footer.html")
THEME = "_theme"  # the theme's copy inside a project ('_': never a page of the site)
OUTPUT = "_output"  # Quarto's output-dir inside a project; the build moves the pages out
#: pages per `quarto render`: a project's render keeps every page's result until it ends, so a
#: national build renders many projects of at most this many pages, --jobs at a time
BATCH = 250
#: what Quarto needs in QUARTO_PYTHON to run a template's Python cells (and -P parameters)
JUPYTER_MODULES = {
    "jupyter_client": "jupyter-client",
    "ipykernel": "ipykernel",
    "nbclient": "nbclient",
    "nbformat": "nbformat",
    "papermill": "papermill",
    "yaml": "pyyaml",
}
INSTALL_HINT = "install it with `sudo bash ../shared/quarto/install.sh`, or from quarto.org"
PROGRESS = re.compile(r"^\s*\[\s*(\d+)/(\d+)\]\s+(\S+)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def executable() -> str | None:
    return shutil.which("quarto")


def available() -> bool:
    return executable() is not None


@cache
def version() -> str:
    """`quarto --version` (e.g. 1.9.38); part of every page's content hash."""
    quarto = executable()
    if quarto is None:
        raise RenderError(f"quarto is not on PATH — {INSTALL_HINT}, or use --engine pandoc")
    done = subprocess.run(
        [quarto, "--version"], capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RenderError(f"`{quarto} --version` failed — reinstall Quarto ({INSTALL_HINT})")
    return done.stdout.strip()


def theme_dir() -> Path:
    return Path(str(resources.files("attendance_reports") / "render" / "site_theme"))


def project_config() -> dict:
    """The _quarto.yml of the build's projects (documented keys only)."""
    return {
        "project": {"type": "website", "output-dir": OUTPUT},
        "website": {"search": False},
        "lang": "en-GB",
        "format": {
            "html": {
                "minimal": True,
                "template": f"{THEME}/{TEMPLATE}",
                "template-partials": [f"{THEME}/{name}" for name in PARTIALS],
                "toc": False,
                "anchor-sections": False,
                "section-divs": False,
                "html-table-processing": "none",
                "search": False,
                "embed-resources": False,
            }
        },
    }


def page_source(front: dict, body: str, metadata: dict) -> str:
    """A page's .qmd for Quarto: its front matter (its own ``format`` left out: the project
    sets the format) with the template's variables, then the body."""
    header = {k: v for k, v in front.items() if k != "format"} | metadata
    text = yaml.safe_dump(header, sort_keys=True, allow_unicode=True, width=1 << 30)
    return f"---\n{text}---\n{body.strip()}\n"


def _hidden(path: Path) -> str | None:
    """The first part of ``path`` that Quarto would skip (a name starting with '.')."""
    return next((part for part in path.resolve().parts if part.startswith(".")), None)


def new_projects(count: int) -> tuple[Path, list[Path]]:
    """A temporary folder holding ``count`` empty Quarto projects (their _quarto.yml and theme);
    the caller removes the folder."""
    root = Path(tempfile.mkdtemp(prefix="attendance-reports-quarto-"))
    hidden = _hidden(root)
    if hidden:
        shutil.rmtree(root, ignore_errors=True)
        raise RenderError(
            f"{root}: Quarto renders nothing under a folder whose name starts with '.' "
            f"({hidden}) — set TMPDIR to a folder without one"
        )
    config = yaml.safe_dump(project_config(), sort_keys=True)
    projects = []
    for number in range(1, count + 1):
        project = root / f"part-{number}"
        (project / THEME).mkdir(parents=True)
        for name in (TEMPLATE, *PARTIALS):
            shutil.copyfile(theme_dir() / name, project / THEME / name)
        (project / "_quarto.yml").write_text(config, encoding="utf-8")
        projects.append(project)
    return root, projects


def _failure(log: str) -> str:
    """Quarto's error in one line, with the page it was rendering."""
    lines = [ANSI.sub("", line).strip() for line in log.splitlines()]
    page = ""
    for line in lines:
        match = PROGRESS.match(line)
        if match:
            page = match[3]
        elif line.startswith("ERROR"):
            return f"{line.removeprefix('ERROR:').strip()} (rendering {page or 'the project'})"
    tail = [line for line in lines if line]
    return tail[-1] if tail else "no output"


def render(
    projects: list[Path],
    out: Path,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 0,
) -> int:
    """Run `quarto render` on every project, ``jobs`` at a time (default: all at once), and
    move each page it wrote to the same path under ``out``. Every .qmd of a project must come
    out as its .html; the number of pages is returned."""
    quarto = executable()
    if quarto is None:
        raise RenderError(f"quarto is not on PATH — {INSTALL_HINT}, or use --engine pandoc")
    expected = {
        project: sorted(
            p.relative_to(project).with_suffix(".html").as_posix()
            for p in project.rglob("*.qmd")
            if not p.relative_to(project).as_posix().startswith(("_", "."))
        )
        for project in projects
    }
    total = sum(len(pages) for pages in expected.values())
    waiting = [project for project in projects if expected[project]]
    running: list[tuple[Path, subprocess.Popen, Path]] = []
    finished: list[tuple[Path, subprocess.Popen, Path]] = []
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        while waiting or running:
            while waiting and len(running) < (jobs or len(projects)):
                project = waiting.pop(0)
                log = project.with_suffix(".log")
                with open(log, "w", encoding="utf-8") as handle:
                    process = subprocess.Popen(
                        [quarto, "render", str(project)],
                        cwd=project,
                        stdout=handle,
                        stderr=subprocess.STDOUT,
                        env=env,
                    )
                running.append((project, process, log))
            if progress:
                done = sum(len(expected[p]) for p, _, _ in finished)
                progress(done + sum(_rendered(log) for _, _, log in running), total)
            time.sleep(0.5)
            for item in [item for item in running if item[1].poll() is not None]:
                running.remove(item)
                finished.append(item)
                if item[1].returncode != 0:
                    text = item[2].read_text(encoding="utf-8", errors="replace")
                    raise RenderError(
                        f"quarto render failed: {_failure(text)} — fix the page source"
                    )
    finally:
        for _, process, _ in running:
            if process.poll() is None:
                process.kill()
                process.wait()
    missing = [
        page
        for project, pages in expected.items()
        for page in pages
        if not (project / OUTPUT / page).is_file()
    ]
    if missing:  # Quarto can exit 0 having rendered nothing (e.g. under a hidden folder)
        from attendance_reports.render.formatting import counted

        raise RenderError(
            f"quarto wrote {total - len(missing):,} of {counted(total, 'page')} ({missing[0]} is "
            "missing) — check the Quarto install with `make quarto-check`"
        )
    written = 0
    for project, pages in expected.items():
        for page in pages:
            target = out / page
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(project / OUTPUT / page, target)
        written += len(pages)
    if progress:
        progress(written, total)
    return written


def _rendered(log: Path) -> int:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return sum(1 for line in text.splitlines() if PROGRESS.match(line))


def check() -> tuple[bool, str]:
    """(ok, one line): is Quarto on PATH, and can it run the templates' Python cells (in
    QUARTO_PYTHON, else python3 on PATH, as Quarto does)?"""
    quarto = executable()
    if quarto is None:
        return False, f"quarto is not on PATH — {INSTALL_HINT}"
    try:
        found = version()
    except RenderError as exc:
        return False, str(exc)
    python = os.environ.get("QUARTO_PYTHON") or shutil.which("python3")
    source = "QUARTO_PYTHON" if os.environ.get("QUARTO_PYTHON") else "python3 on PATH"
    fix = "run `make install` and export QUARTO_PYTHON=$PWD/.venv/bin/python"
    if not python:
        return False, f"Quarto {found} is on PATH but there is no Python for it — {fix}"
    modules = {**JUPYTER_MODULES, "attendance_reports": "attendance-reports"}
    probe = (
        "import importlib.util; "
        f"print(' '.join(n for m, n in {sorted(modules.items())!r} "
        "if importlib.util.find_spec(m) is None))"
    )
    try:
        done = subprocess.run(
            [python, "-c", probe], capture_output=True, text=True, timeout=120, check=False
        )
    except OSError:
        done = None
    if done is None or done.returncode != 0:
        return False, f"{source} ({python}) cannot be run — {fix}"
    missing = done.stdout.split()
    if missing:
        return False, f"{source} ({python}) lacks {', '.join(missing)} — {fix}"
    return True, f"ok — Quarto {found} ({quarto}) runs the templates' Python in {python}"


def main() -> None:
    """`python -m attendance_reports.render.engines.quarto` (make quarto-check): one line, exit 0 or 1."""
    ok, line = check()
    print(f"quarto-check: {line}", file=sys.stdout if ok else sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
