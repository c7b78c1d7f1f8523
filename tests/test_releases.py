"""Versioned releases: published once, never modified; latest/ and versions.json follow."""

from __future__ import annotations

import hashlib
import json

import pytest

from attendance_reports.errors import ConfigError
from attendance_reports.site.build import build
from attendance_reports.site.config import Config


@pytest.fixture(scope="module")
def two_releases(repo, tmp_path_factory, digest):
    out = tmp_path_factory.mktemp("releases") / "site"
    kw = dict(engine="pandoc", las=("202",), jobs=2, reports=repo / "reports")
    # England's and Camden's pages are what a release is about: no school or trust pages
    build(Config(schools=False), [repo / "data"], out, release="2023-24", **kw)
    first = digest(out / "2023-24")
    build(
        Config(schools=False, corrections=("Camden's 2022/23 figure was corrected.",)),
        [repo / "data"],
        out,
        release="2024-25",
        **kw,
    )
    return out, first


def test_an_earlier_release_is_left_byte_identical(two_releases, digest):
    out, first = two_releases
    assert digest(out / "2023-24") == first
    assert len(first) > 50


def test_latest_versions_and_redirect(two_releases, digest):
    out, _ = two_releases
    assert digest(out / "latest") == digest(out / "2024-25")
    versions = json.loads((out / "versions.json").read_text())
    assert versions["latest"] == "2024-25"
    assert [r["release"] for r in versions["releases"]] == ["2023-24", "2024-25"]
    index = (out / "index.html").read_text()
    assert "url=latest/index.html" in index and 'href="latest/index.html"' in index
    listing = (out / "versions.html").read_text()
    assert 'href="2023-24/index.html"' in listing and 'href="2024-25/index.html"' in listing


def test_version_switcher_works_without_javascript(two_releases):
    out, _ = two_releases
    page = (out / "2024-25" / "la" / "202.html").read_text()
    assert 'href="../../2023-24/la/202.html"' in page  # the same page in the earlier release
    assert 'href="../../versions.html"' in page  # every release, including later ones
    assert (out / "2024-25" / "la" / "../../2023-24/la/202.html").resolve().is_file()


def test_release_notes_list_files_with_sha256_and_corrections(repo, two_releases):
    out, _ = two_releases
    notes = (out / "2024-25" / "release-notes.html").read_text()
    extract = repo / "data" / "absence_2006-07_to_2018-19_extract.csv.gz"
    assert hashlib.sha256(extract.read_bytes()).hexdigest() in notes
    assert "Camden's 2022/23 figure was corrected." in notes  # as written, quotes unchanged
    assert "No indicators were added since 2023-24" in notes


def test_a_published_release_is_never_rebuilt(repo, two_releases, digest):
    out, first = two_releases
    with pytest.raises(ConfigError, match="never modified"):
        build(
            Config(),
            [repo / "data"],
            out,
            "pandoc",
            ("202",),
            release="2023-24",
            reports=repo / "reports",
        )
    assert digest(out / "2023-24") == first


def test_the_site_is_reproducible_whatever_the_number_of_workers(repo, tmp_path, digest):
    """Two builds give identical bytes, one in this process and one with two worker processes:
    every area page type (England, regions' LAs listed, LA, overview and its PDF, groups, this
    year) for Camden and the City of London (school and trust pages: test_build_site's
    test_same_inputs_give_the_same_bytes; ``make bench`` builds the whole country)."""
    sites = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs-{jobs}"
        build(
            Config(schools=False),
            [repo / "data"],
            out,
            "pandoc",
            ("202", "201"),
            jobs=jobs,
            reports=repo / "reports",
        )
        sites.append(digest(out))
    assert len(sites[0]) > 100
    assert {"la/202-overview.pdf", "la/201-groups.html", "la/202-this-year.html"} <= set(sites[0])
    assert sites[0] == sites[1]
