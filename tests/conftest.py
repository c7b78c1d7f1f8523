"""Shared fixtures. The full DfE files live outside the repository (ATTENDANCE_REPORTS_SHARED_DATA,
default ../shared/data). Without them, tests that need them skip locally and FAIL under CI=true.
Quarto is the same: the `quarto` and `quarto_python` fixtures."""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ATTENDANCE_REPORTS_SHARED_DATA", REPO.parent / "shared" / "data"))
ABSENCE_FILE = "absence/Absence_3term201819_nat_reg_la_sch.csv.gz"
LAIT_FILE = "lait/lait_absence_measures_long.csv"

# Property tests check results, not speed: a busy CI machine must not fail them on a deadline.
settings.register_profile("attendance-reports", deadline=None)
settings.load_profile("attendance-reports")


def _source_files() -> set[str]:
    """Files directly in the repository root and reports/: no test may write there."""
    return {
        str(f.relative_to(REPO))
        for d in (REPO, REPO / "reports")
        for f in d.iterdir()
        if not f.name.startswith(".") and f.name != "__pycache__"
    }


@pytest.fixture(scope="session", autouse=True)
def source_folders_stay_clean():
    """Generated files never land in the repository root or reports/ (a page cell run with the
    repository as working directory once left its downloads there)."""
    before = _source_files()
    yield
    added = sorted(_source_files() - before)
    assert not added, f"tests wrote into the repository: {added}"


def need_shared(relative: str = "") -> Path:
    """The path of a shared DfE file; skip (or fail under CI=true) when it is missing."""
    path = SHARED / relative
    if not path.exists():
        _missing(f"shared DfE data not found at {path} (set ATTENDANCE_REPORTS_SHARED_DATA)")
    return path


def _missing(message: str) -> None:
    """Skip locally; under CI=true (which installs everything) fail instead."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def quarto() -> str:
    """The quarto executable (skips, or fails under CI=true, when it is not on PATH)."""
    from attendance_reports.render.engines import quarto

    if quarto.executable() is None:
        _missing(f"Quarto: {quarto.check()[1]} (make quarto-check)")
    return str(quarto.executable())


@pytest.fixture(scope="session")
def quarto_python(quarto: str) -> str:
    """QUARTO_PYTHON (or python3 on PATH), checked to run the templates' Python cells."""
    from attendance_reports.render.engines import quarto as engine

    ok, line = engine.check()
    if not ok:
        _missing(f"Quarto: {line} (make quarto-check)")
    return os.environ.get("QUARTO_PYTHON") or "python3"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return need_shared()


@pytest.fixture(scope="session")
def absence_path() -> Path:
    return need_shared(ABSENCE_FILE)


@pytest.fixture(scope="session")
def lait_path() -> Path:
    return need_shared(LAIT_FILE)


@pytest.fixture(scope="session")
def full_dataset(absence_path: Path, lait_path: Path):
    """The full 2006/07–2018/19 file and LAIT, loaded and validated once per session."""
    from attendance_reports.sources.load import load

    return load([absence_path, lait_path])


EXTRACT = "absence_2006-07_to_2018-19_extract.csv.gz"


def keep_schools(data: Path, per_la: int, academies: bool = True) -> None:
    """Cut the school rows of a copy of data/ (its absence extract) to ``per_la`` URNs of each
    LA, half its lowest and half its highest (maintained schools, and academies in trusts): a
    smaller site where a test needs a few school and trust pages, not all of them. Without
    ``academies``, only the lowest URNs are kept."""
    path = data / EXTRACT
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    head = rows[0]
    level, la, urn = (head.index(c) for c in ("geographic_level", "old_la_code", "urn"))
    by_la: dict[str, set[str]] = {}
    for row in rows[1:]:
        if row[level] == "School":
            by_la.setdefault(row[la], set()).add(row[urn])
    low, high = (per_la - per_la // 2, per_la // 2) if academies else (per_la, 0)
    kept = set()
    for urns in map(sorted, by_la.values()):
        kept |= {*urns[:low], *urns[len(urns) - high :]}
    rows = [head, *(r for r in rows[1:] if r[level] != "School" or r[urn] in kept)]
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _digest_tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative POSIX path) -> SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def digest():
    """``digest(folder)``: file -> SHA-256, to compare built sites byte for byte."""
    return _digest_tree


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def bundled_site():
    """The site data of the bundled data/ (``site_data("data")``), built once per test process
    and shared by every test that only reads it (pages, reports, tables)."""
    from attendance_reports.model.site_data import site_data

    return site_data(REPO / "data")


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the figures the correctness tests record (``record_property("figure", …)``), so
    CI output shows how many published values were compared."""
    lines = [
        value
        for report in terminalreporter.stats.get("passed", [])
        for key, value in getattr(report, "user_properties", [])
        if key == "figure"
    ]
    if lines:
        terminalreporter.write_sep("-", "figures")
        for line in lines:
            terminalreporter.write_line(line)
