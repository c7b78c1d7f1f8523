"""The real Quarto: the build's engine (theme, reproducibility, one-line failures), one-page
renders of the templates from a clean checkout (HTML, and the committee PDF through
`--to typst`) and `make quarto-check`. (`quarto preview reports/la.qmd` is checked by hand: a
first preview also renders the project's other pages, about 1.5 minutes.)

Quarto comes from ../shared/quarto (`.ci/run` installs it); without it these tests skip
locally and fail under CI=true. The site built with both engines and compared page by page is
in tests/browser/test_quarto_site.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from attendance_reports.errors import RenderError
from attendance_reports.render.engines import quarto as engine

PDF_COMMAND = ("reports/overview.qmd", "--to", "typst", "-P", "la_code:873", "-P", "year:2018/19")


def _run_check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "attendance_reports.render.engines.quarto"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def _script(path: Path, text: str) -> Path:
    path.write_text("#!/bin/sh\n" + text, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_quarto_check_says_in_one_line_what_is_missing(tmp_path):
    """`make quarto-check`: quarto not on PATH, or a QUARTO_PYTHON without Jupyter."""
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    done = _run_check(env)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("quarto-check: quarto is not on PATH — install it with")

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _script(bin_dir / "quarto", 'test "$1" = --version && echo 1.9.38\n')
    lacking = _script(tmp_path / "python", "echo nbformat papermill\n")  # the probe's answer
    done = _run_check({**env, "PATH": str(bin_dir), "QUARTO_PYTHON": str(lacking)})
    assert done.returncode == 1
    assert done.stderr == (
        f"quarto-check: QUARTO_PYTHON ({lacking}) lacks nbformat, papermill — run `make "
        "install` and export QUARTO_PYTHON=$PWD/.venv/bin/python\n"
    )


def test_quarto_check_passes_with_the_project_python(quarto_python):
    done = _run_check(dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("quarto-check: ok — Quarto ")


# ---- the engine ----------------------------------------------------------------------------


def _metadata(slug: str, versions: list[dict] | None = None) -> dict:
    from attendance_reports.model.report_model import Link
    from attendance_reports.site.build import page_metadata
    from attendance_reports.site.config import Config

    crumbs = (Link("Home", "index.html"), Link("Camden", "la/202.html"))
    return page_metadata(Config(), "Data to 2018/19", slug, crumbs, versions)


PAGES = {
    "index": ("Home", "Some text about the **site**.\n\n## Local authorities {#local-authorities}"),
    "la/202": ("Camden: pupil absence", '```{=html}\n<p class="lead">Raw HTML.</p>\n```\n'),
    "school/100000": ("A school", "| a | b |\n|---|---|\n| 1 | 2 |\n"),
}


def _write_pages(projects: list[Path]) -> None:
    versions = [
        {"href": "../2017-18/la/202.html", "text": "2017-18", "current": False},
        {"href": "la/202.html", "text": "2018-19", "current": True},
    ]
    for k, (slug, (title, body)) in enumerate(PAGES.items()):
        source = projects[k % len(projects)] / f"{slug}.qmd"
        source.parent.mkdir(parents=True, exist_ok=True)
        metadata = _metadata(slug, versions if slug == "la/202" else None)
        front = {"title": title, "lang": "en-GB", "format": {"html": {"toc": True}}}
        source.write_text(engine.page_source(front, body, metadata), encoding="utf-8")


class _Outline(HTMLParser):
    """Landmarks and headings of a page, as (tag, key attributes) in document order."""

    def __init__(self):
        super().__init__()
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("header", "nav", "main", "footer", "form", "h1", "ol") or "aria-current" in a:
            self.items.append((tag, a.get("class"), a.get("aria-label"), a.get("href")))


def _outline(html: str) -> list[tuple]:
    parser = _Outline()
    parser.feed(html)
    return parser.items


def test_engine_renders_the_site_theme_the_same_in_one_or_two_projects(quarto, tmp_path):
    """The theme's header, navigation, search, breadcrumbs, version switcher and footer, as the
    pandoc engine writes them; the same bytes however the pages are split between processes."""
    from attendance_reports.render.engines import pandoc

    outputs = []
    for count in (1, 2):
        root, projects = engine.new_projects(count)
        try:
            _write_pages(projects)
            out = tmp_path / f"out-{count}"
            assert engine.render(projects, out) == len(PAGES)
            outputs.append({p: (out / f"{p}.html").read_bytes() for p in PAGES})
        finally:
            shutil.rmtree(root)
    assert outputs[0] == outputs[1]
    la = outputs[0]["la/202"].decode()
    assert la.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "<title>Camden: pupil absence – School attendance and absence</title>" in la
    assert 'href="../assets/site.css"' in la and "quarto" not in la.split("</head>")[0].lower()
    # the same landmarks, headings and current-page links as the pandoc engine's page
    source = tmp_path / "la.md"
    source.write_text("---\ntitle: 'Camden: pupil absence'\n---\n" + PAGES["la/202"][1])
    versions = [
        {"href": "../2017-18/la/202.html", "text": "2017-18", "current": False},
        {"href": "la/202.html", "text": "2018-19", "current": True},
    ]
    pandoc.render_page(source, tmp_path / "la.html", _metadata("la/202", versions))
    expected = _outline((tmp_path / "la.html").read_text())
    assert _outline(la) == expected
    assert ("nav", "versions", "Releases", None) in expected
    assert ("a", None, None, "../la/202.html") in expected  # aria-current in the switcher
    assert '<nav class="toc"' not in la  # as the pandoc engine: no contents list


def test_engine_keeps_data_text_as_published(quarto, tmp_path):
    """A real school name with an apostrophe (URN 100026), escaped as the build escapes page
    titles and breadcrumbs (md_text): Quarto's smart quotes leave it straight in the page
    title, the heading and the breadcrumbs, as the pandoc engine does
    (tests/test_build_site.py)."""
    from attendance_reports.model.report_model import Link
    from attendance_reports.render.page_output import md_text
    from attendance_reports.site.build import page_metadata
    from attendance_reports.site.config import Config

    name = "Fitzjohn's Primary School, London (URN 100026)"
    crumbs = (Link("Home", "index.html"), Link(name, "school/100026.html"))
    metadata = page_metadata(Config(), "Data to 2018/19", "school/100026", crumbs)
    front = {"title": md_text(f"{name}: pupil absence"), "lang": "en-GB"}
    root, projects = engine.new_projects(1)
    try:
        source = projects[0] / "school" / "100026.qmd"
        source.parent.mkdir(parents=True)
        source.write_text(engine.page_source(front, "Text.", metadata), encoding="utf-8")
        assert engine.render(projects, tmp_path / "out") == 1
    finally:
        shutil.rmtree(root)
    page = (tmp_path / "out" / "school" / "100026.html").read_text(encoding="utf-8")
    page = page.replace("&#39;", "'").replace("&apos;", "'")  # Quarto's own serialisation
    assert f"<title>{name}: pupil absence – School attendance and absence</title>" in page
    assert re.search(f"<h1[^>]*>{re.escape(name)}: pupil absence</h1>", page)
    assert f'aria-current="page">{name}</a>' in page
    assert "’" not in page


def test_engine_failures_are_one_line(tmp_path, monkeypatch):
    """Quarto exiting 0 having written nothing (as under a hidden folder), and Quarto's own
    error: one line each, naming the page."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    quiet = _script(bin_dir / "quarto", "exit 0\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    root, projects = engine.new_projects(2)
    try:
        _write_pages(projects)
        with pytest.raises(RenderError) as caught:
            engine.render(projects, tmp_path / "out")
        assert str(caught.value) == (
            "quarto wrote 0 of 3 pages (index.html is missing) — check the Quarto install "
            "with `make quarto-check`"
        )
        _script(
            quiet, 'echo "[1/2] la/202.qmd"; echo "ERROR: YAML parse error at line 3" >&2\nexit 1\n'
        )
        with pytest.raises(RenderError) as caught:
            engine.render(projects, tmp_path / "out")
        assert str(caught.value) == (
            "quarto render failed: YAML parse error at line 3 (rendering la/202.qmd) — fix "
            "the page source"
        )
    finally:
        shutil.rmtree(root)
    assert not list((tmp_path / "out").rglob("*.html"))


def test_a_hidden_temporary_folder_is_refused_in_one_line(tmp_path, monkeypatch):
    hidden = tmp_path / ".cache"
    hidden.mkdir()
    monkeypatch.setenv("TMPDIR", str(hidden))
    monkeypatch.setattr("tempfile.tempdir", None)
    with pytest.raises(RenderError, match=r"starts with '\.' \(\.cache\) — set TMPDIR"):
        engine.new_projects(1)
    assert list(hidden.iterdir()) == []


def test_the_build_never_reports_pages_it_did_not_write(tmp_path):
    from attendance_reports.site.build import _check_written

    (tmp_path / "la").mkdir()
    (tmp_path / "index.html").write_text("x")
    manifest = {"index": {}, "la/202": {}, "search": {}}
    with pytest.raises(RenderError, match=r"^the quarto engine wrote 1 of 3 pages \(la/202\.html"):
        _check_written(tmp_path, manifest, "quarto")


# ---- one-page renders from a clean checkout --------------------------------------------------


@pytest.fixture(scope="module")
def checkout(repo, tmp_path_factory) -> Path:
    """The repository's tracked files in a fresh git repository (nothing else in it)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=repo, capture_output=True, check=False
    ).stdout.decode()
    files = [f for f in listed.split("\0") if f] or [
        str(p.relative_to(repo))
        for folder in ("reports", "src", "data")
        for p in (repo / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ] + ["_quarto.yml", ".gitignore"]
    copy = tmp_path_factory.mktemp("checkout") / "attendance-reports"
    for name in files:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, copy / name, follow_symlinks=False)  # templates -> reports
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "checkout"]):
        subprocess.run([*git, *command], cwd=copy, check=True, capture_output=True)
    return copy


def _quarto_env(copy: Path) -> dict:
    """The copy's own package first (the project's .venv may be an editable install of
    another checkout)."""
    return {**os.environ, "PYTHONPATH": str(copy / "src"), "NO_COLOR": "1"}


def _git_status(copy: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=copy, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def one_page(quarto_python, checkout) -> Path:
    """`quarto render reports/la.qmd -P la_code:873`, as the README says."""
    done = subprocess.run(
        ["quarto", "render", "reports/la.qmd", "-P", "la_code:873"],
        cwd=checkout,
        env=_quarto_env(checkout),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return checkout / "_quarto_site" / "reports" / "la.html"


def test_one_page_render_uses_the_site_theme_and_leaves_git_status_clean(one_page, checkout):
    page = one_page.read_text(encoding="utf-8")
    assert '<header class="site-header">' in page and '<footer class="site-footer">' in page
    assert "Cambridgeshire" in page and '<nav class="toc"' in page
    linked = re.findall(r'(?:src|href)="(la_files/[^"]+)"', page)
    assert any(link.endswith(".svg") for link in linked) and any(
        link.endswith(".csv") for link in linked
    )
    assert all((one_page.parent / link).is_file() for link in linked)
    css = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)[1]
    assert (one_page.parent / css).resolve().name == "site.css" and (
        one_page.parent / css
    ).is_file()
    assert not (checkout / "_site").exists()  # make site's folder is untouched
    assert _git_status(checkout) == ""  # generated files are under ignored folders only


def test_committee_pdf_through_quarto_typst(quarto_python, checkout, one_page, tmp_path):
    """`quarto render reports/overview.qmd --to typst ...`: tagged, PDF/UA-1, titled, en-GB,
    the same text as `attendance-reports pdf --la 873 --year 2018/19`."""
    from test_pdf import flat, open_pdf, pdftotext

    from attendance_reports.model.overview import overview_report
    from attendance_reports.model.site_data import site_data
    from attendance_reports.render.engines.typst_pdf import overview_pdf

    done = subprocess.run(
        ["quarto", "render", *PDF_COMMAND],
        cwd=checkout,
        env=_quarto_env(checkout),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    data = (checkout / "_quarto_site" / "reports" / "overview.pdf").read_bytes()
    report = overview_report(site_data(checkout / "data"), "873", "2018/19", "full-year")
    with open_pdf(data) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) and "/StructTreeRoot" in pdf.Root
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        assert str(pdf.docinfo["/Title"]) == report.title
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.Root.Pages.Kids[0].MediaBox[2]).startswith("595")  # A4
    ours = flat(pdftotext(overview_pdf(report), tmp_path))
    assert flat(pdftotext(data, tmp_path)).replace("\u2019", "'") == ours
    assert _git_status(checkout) == ""
