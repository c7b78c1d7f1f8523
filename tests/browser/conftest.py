"""Fixtures for the browser tests: one site build per test run, served from a sub-path by
``python -m http.server`` on 127.0.0.1, and one Chromium shared by every test of a process.

The site is built once even under ``pytest -n 2``: the xdist workers share one folder under the
run's base temporary directory and take turns on a lock file, so the second worker reuses the
first worker's build. Each worker runs its own server and browser (both start in about a
second).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from engine_site import ENGINE_LA, ENGINE_SCHOOLS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Cambridgeshire (255 school pages) and Camden (a London borough): about 10 s with 2 jobs
SITE_LAS = ("873", "202", "838", "201")  # 201 City of London: tiny cohorts, [c] cells
SUB_PATH = "attendance"
VIEWPORT_HEIGHT = 800


@contextlib.contextmanager
def _exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (POSIX); without fcntl, no lock is needed
    because each worker then builds into its own folder (see ``_build_root``)."""
    import fcntl

    with open(lock_file, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this run sees (the per-worker base's parent)."""
    base = tmp_path_factory.getbasetemp()
    try:
        import fcntl  # noqa: F401
    except ImportError:  # no lock available: each worker builds its own site
        return base / "browser-site"
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    return base / "browser-site"


@pytest.fixture(scope="session")
def built_site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of Cambridgeshire and Camden, built once with pandoc from data/."""
    from attendance_reports.site.build import build
    from attendance_reports.site.config import Config

    root = _build_root(tmp_path_factory)
    root.mkdir(parents=True, exist_ok=True)
    site, done = root / "_site", root / "built.ok"
    lock = _exclusive(root / "build.lock") if os.name == "posix" else contextlib.nullcontext()
    with lock:
        if not done.exists():
            started = time.perf_counter()
            build(
                Config(),
                [repo / "data"],
                site,
                "pandoc",
                SITE_LAS,
                jobs=2,
                reports=repo / "reports",
            )
            done.write_text(f"{time.perf_counter() - started:.1f} s\n", encoding="utf-8")
    return site


def _small_data(repo: Path, folder: Path) -> Path:
    """data/ with only the first ENGINE_SCHOOLS (0: all) of ENGINE_LA's 2018/19 schools in the
    absence file (engine_site.py)."""
    data = folder / "data"
    shutil.copytree(repo / "data", data)
    path = data / "absence_2006-07_to_2018-19_extract.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    head = rows[0]
    level, la, urn, year = (
        head.index(c) for c in ("geographic_level", "old_la_code", "urn", "time_period")
    )
    schools = sorted(
        {
            r[urn]
            for r in rows[1:]
            if r[level] == "School" and (r[la], r[year]) == (ENGINE_LA, "201819")
        }
    )[: ENGINE_SCHOOLS or None]
    kept = [rows[0], *(r for r in rows[1:] if r[level] != "School" or r[urn] in schools)]
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)
    return data


@pytest.fixture(scope="session")
def engine_sites(repo: Path, quarto: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """{"pandoc": site, "quarto": site, "seconds": {...}}: the same small site (Camden and three
    of its schools) built with each engine, once per run (shared by xdist workers)."""
    from attendance_reports.site.build import build
    from attendance_reports.site.config import Config

    root = _build_root(tmp_path_factory).with_name("engine-sites")
    root.mkdir(parents=True, exist_ok=True)
    done = root / "built.json"
    lock = _exclusive(root / "build.lock") if os.name == "posix" else contextlib.nullcontext()
    with lock:
        if not done.exists():
            data, seconds = _small_data(repo, root), {}
            for engine in ("pandoc", "quarto"):
                result = build(
                    Config(),
                    [data],
                    root / engine,
                    engine,
                    (ENGINE_LA,),
                    jobs=2,
                    reports=repo / "reports",
                )
                seconds[engine] = dict(result.stages)
            done.write_text(json.dumps(seconds), encoding="utf-8")
    sites = {engine: root / engine for engine in ("pandoc", "quarto")}
    return {**sites, "seconds": json.loads(done.read_text(encoding="utf-8"))}


@pytest.fixture(scope="session")
def quarto_site_url(engine_sites: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Quarto-built small site served from a sub-path."""
    with serve(engine_sites["quarto"], tmp_path_factory.mktemp("serve-quarto")) as base:
        yield base


@pytest.fixture(scope="session")
def pandoc_small_site_url(
    engine_sites: dict, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The pandoc-built small site served from a sub-path (for side-by-side screenshots)."""
    with serve(engine_sites["pandoc"], tmp_path_factory.mktemp("serve-pandoc")) as base:
        yield base


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> dict[str, str]:
    """Page key -> path (with query) relative to the site root: one page of every type."""
    school = sorted(p.name for p in (built_site / "school").glob("*.html"))[0]
    return {
        "index": "index.html",
        "national": "national.html",
        "la-873": "la/873.html",
        "overview-873": "la/873-overview.html",
        "overview-838": "la/838-overview.html",  # LAIT rates only
        "groups-873": "la/873-groups.html",
        "groups-202": "la/202-groups.html",
        "groups-201": "la/201-groups.html",
        "groups-national": "groups.html",
        "this-year": "this-year.html",  # in-year, England, with the maps
        "this-year-873": "la/873-this-year.html",
        "school": f"school/{school}",
        "school-110630": "school/110630.html",  # Townley Primary School, Wisbech
        "school-145423": "school/145423.html",  # a URN change: 110605 became academy 145423
        "trust": "trust/the-diocese-of-ely-multi-academy-trust.html",
        "trusts": "trusts.html",
        "search-school": "search.html?q=Wisbech",
        "methodology": "methodology.html",
        "accessibility": "accessibility.html",
        "about": "about.html",
        "search": "search.html?q=cambridgeshire",
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serving(url: str, process: subprocess.Popen, seconds: float = 10.0) -> bool:
    """True once ``url`` answers; False if the server exited (e.g. the port was taken)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    return False


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def serve(folder: Path, serve_root: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/attendance/``: ``folder`` served from a sub-path."""
    try:
        (serve_root / SUB_PATH).symlink_to(folder, target_is_directory=True)
    except OSError:  # no symlinks (some Windows set-ups): copy instead
        shutil.copytree(folder, serve_root / SUB_PATH)
    for _ in range(5):
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=serve_root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}/{SUB_PATH}/"
        if _serving(base + "index.html", process):
            break
        _stop(process)
    else:
        pytest.fail("could not start python -m http.server on 127.0.0.1")
    try:
        yield base
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def site_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``http://127.0.0.1:PORT/attendance/``: the site served from a sub-path."""
    with serve(built_site, tmp_path_factory.mktemp("serve")) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's /usr/bin/chromium) for the whole session."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    """A page opened in its own browser context, with what it asked the network for."""

    page: object  # playwright.sync_api.Page
    width: int
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # failed requests and HTTP errors
    errors: list[str] = field(default_factory=list)  # uncaught JavaScript errors


@contextlib.contextmanager
def opener(browser, site_url: str) -> Iterator[Callable[..., Visit]]:
    """``open_(path, width)``: load ``site_url + path`` in a fresh context (viewport
    ``width`` x 800) recording every request; the search page is ready once its status is set.
    Pass ``url=`` to open any other address (a file:// URL, say)."""
    contexts = []

    def open_(path: str = "", width: int = 1280, url: str | None = None) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": VIEWPORT_HEIGHT})
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page, width)
        page.on("request", lambda request: visit.requests.append(request.url))
        page.on(
            "requestfailed",
            lambda request: visit.failures.append(f"{request.url}: {request.failure}"),
        )
        page.on(
            "response",
            lambda response: (
                visit.failures.append(f"{response.url}: HTTP {response.status}")
                if response.status >= 400
                else None
            ),
        )
        page.on("pageerror", lambda error: visit.errors.append(str(error)))
        page.goto(url or site_url + path, wait_until="load")
        if "search.html" in (url or path):
            page.wait_for_function(
                "() => document.getElementById('search-status').textContent.length > 0"
            )
        return visit

    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def open_page(browser, site_url: str) -> Iterator[Callable[..., Visit]]:
    """``open_page(path, width)``: a page of the site (see ``opener``)."""
    with opener(browser, site_url) as open_:
        yield open_


@pytest.fixture
def page_opener(browser) -> Callable:
    """``with page_opener(base) as open_:``: ``opener`` for any served site."""
    return lambda base: opener(browser, base)


@pytest.fixture
def open_quarto_page(browser, quarto_site_url: str) -> Iterator[Callable[..., Visit]]:
    """``open_quarto_page(path, width)``: a page of the Quarto-built small site."""
    with opener(browser, quarto_site_url) as open_:
        yield open_


@pytest.fixture(scope="session")
def site(bundled_site):
    """The indicator engine's view of data/ (what the pages' numbers must equal)."""
    return bundled_site
