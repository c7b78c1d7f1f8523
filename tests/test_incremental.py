"""Incremental builds: a no-op rebuild renders nothing; a change to one LA's rows re-renders
only the pages that read them."""

from __future__ import annotations

import csv
import gzip
import io
import shutil
from pathlib import Path

import pytest

from attendance_reports.model.site_data import site_data
from attendance_reports.site import incremental
from attendance_reports.site.build import build
from attendance_reports.site.config import Config
from tests.conftest import keep_schools

LAS = ("202", "873")


def _build(repo, data: Path, out: Path):
    return build(Config(), [data], out, "pandoc", LAS, jobs=2, reports=repo / "reports")


@pytest.fixture(scope="module")
def first(repo, tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    data = root / "data"
    shutil.copytree(repo / "data", data)
    keep_schools(data, 12)  # 12 schools each of Camden and Cambridgeshire, academies too
    out = root / "site"
    result = _build(repo, data, out)
    assert result.rendered == result.pages
    return data, out


def test_a_no_op_rebuild_renders_nothing(repo, first, digest):
    """Same data, templates, code and settings: the site is left as it is, nothing loaded."""
    data, out = first
    before = digest(out)
    result = _build(repo, data, out)
    assert result.rendered == 0 and result.rendered_pages == ()
    assert [name for name, _ in result.stages] == ["inputs unchanged"]
    assert digest(out) == before


def test_without_the_inputs_record_each_page_hash_still_finds_nothing_to_render(
    repo, first, digest
):
    data, out = first
    before = digest(out)
    (out / incremental.INPUTS).unlink()
    result = _build(repo, data, out)
    assert "inputs unchanged" not in dict(result.stages)
    assert result.rendered == 0 and result.rendered_pages == ()
    assert digest(out) == before  # the inputs record written again, the same


def test_a_missing_page_or_an_edited_template_is_built_again(repo, first, tmp_path):
    data, out = first
    (out / "la" / "202.html").unlink()
    result = _build(repo, data, out)
    assert result.rendered_pages == ("la/202",)
    assert (out / "la" / "202.html").is_file()
    reports = tmp_path / "reports"
    shutil.copytree(repo / "reports", reports)
    (reports / "trusts.qmd").write_text(
        (reports / "trusts.qmd").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    result = build(Config(), [data], out, "pandoc", LAS, jobs=2, reports=reports)
    assert result.rendered_pages == ("trusts",)
    result = _build(repo, data, out)  # back to the repository's templates
    assert result.rendered_pages == ("trusts",)


def test_one_la_change_renders_only_its_pages(repo, first, digest):
    data, out = first
    before = digest(out)
    extract = data / "absence_2006-07_to_2018-19_extract.csv.gz"
    with gzip.open(extract, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    level, la, year, phase = (
        header.index(c) for c in ("geographic_level", "old_la_code", "time_period", "school_type")
    )
    overall, authorised = header.index("sess_overall"), header.index("sess_authorised")
    for row in rows[1:]:  # Camden's 2018/19 LA total: 1,000 more authorised absence sessions
        if (row[level], row[la], row[year], row[phase]) == (
            "Local authority",
            "202",
            "201819",
            "Total",
        ):
            row[overall] = str(int(row[overall]) + 1000)
            row[authorised] = str(int(row[authorised]) + 1000)
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    with gzip.open(extract, "wt", encoding="utf-8") as handle:
        handle.write(text.getvalue())

    result = _build(repo, data, out)
    site = site_data(data)
    camden_schools = {f"school/{u}" for u in site.schools_of("202")["code"]}
    rendered = set(result.rendered_pages)
    assert {"la/202", "la/202-overview"} <= rendered
    assert camden_schools <= rendered  # each school page compares with its LA
    assert "release-notes" in rendered  # a data file's SHA-256 changed
    # Camden's pupil groups page compares children in need with Camden's all-pupil rates
    pages = {"la/202", "la/202-overview", "la/202-groups", "release-notes", "la/873"}
    # the pages of the trusts with a Camden school show each school against its LA's rate
    facts = site.schools
    camden_trusts = {
        f"trust/{facts.trust_of(u)}" for u in site.schools_of("202")["code"] if facts.trust_of(u)
    }
    assert camden_trusts and camden_trusts <= rendered
    unexpected = rendered - camden_schools - pages - camden_trusts
    assert unexpected == set()  # not England, not the index, not Cambridgeshire's schools
    changed = {name for name, sha in digest(out).items() if before.get(name) != sha}
    assert "la/202.html" in changed and "national.html" not in changed
