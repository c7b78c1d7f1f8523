"""Golden site: the page sources and CSV downloads of a small real site, compared with the
committed files in tests/golden/site/. It pins what the site says, so a refactor that changes a
word or a figure fails here. After an intended change run `make golden` and review
`git diff tests/golden` before committing it.

The site: the bundled data/ (census, LAIT, pupil groups, in-year), LA 202 (Camden) with every
page type, and the first three of its schools."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from attendance_reports.site.build import build
from attendance_reports.site.config import Config

GOLDEN = Path(__file__).parent / "golden" / "site"
SCHOOLS_KEPT = 3


def _golden_files(sources: Path) -> dict[str, str]:
    """Relative path -> text, with the school pages cut down to the first few schools."""
    schools = sorted({p.name.split("-")[0].split(".")[0] for p in (sources / "school").iterdir()})
    kept = set(schools[:SCHOOLS_KEPT])
    files = {}
    for path in sorted(sources.rglob("*")):
        if not path.is_file() or path.suffix not in {".qmd", ".csv"}:
            continue
        relative = path.relative_to(sources).as_posix()
        if relative.startswith("school/") and path.name.split("-")[0].split(".")[0] not in kept:
            continue
        files[relative] = path.read_text(encoding="utf-8-sig")
    return files


@pytest.fixture(scope="module")
def built(repo, tmp_path_factory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("golden")
    build(
        Config(),
        [repo / "data"],
        work / "_site",
        "pandoc",
        ("202",),
        jobs=2,
        reports=repo / "reports",
        keep_sources=work / "sources",
    )
    return _golden_files(work / "sources")


def test_the_site_says_what_the_golden_files_say(built):
    if os.environ.get("ATTENDANCE_REPORTS_UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for relative, text in built.items():
            target = GOLDEN / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        pytest.skip("golden files rewritten: review `git diff tests/golden`")
    expected = {
        p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }
    assert sorted(built) == sorted(expected), "pages or downloads added or removed"
    changed = [name for name in expected if built[name] != expected[name]]
    if changed:
        first = changed[0]
        diff = "\n".join(
            list(
                difflib.unified_diff(
                    expected[first].splitlines(),
                    built[first].splitlines(),
                    f"golden/{first}",
                    f"built/{first}",
                    lineterm="",
                )
            )[:40]
        )
        pytest.fail(f"{len(changed)} files differ (run `make golden` if intended):\n{diff}")


def test_the_golden_site_covers_every_page_type(built):
    pages = {name for name in built if name.endswith(".qmd")}
    for page in (
        "index.qmd",
        "national.qmd",
        "groups.qmd",
        "this-year.qmd",
        "la/202.qmd",
        "la/202-overview.qmd",
        "la/202-groups.qmd",
        "la/202-this-year.qmd",
        "methodology.qmd",
    ):
        assert page in pages
    assert sum(name.startswith("school/") and name.endswith(".qmd") for name in pages) == 3
