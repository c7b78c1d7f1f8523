"""Issue 14: files of other kinds and subsets read right or refused in one line (population,
partial geography, ranks, templates from any directory)."""

from __future__ import annotations

import csv
import gzip
import io
import subprocess
import sys
from pathlib import Path

import pytest

from attendance_reports.errors import DataError
from attendance_reports.sources.load import load
from attendance_reports.sources.read import read_csv
from attendance_reports.sources.registry import recognise

FIXTURE = Path(__file__).parent / "fixtures" / "absence_2term_new_layout.csv"
CLI = [sys.executable, "-m", "attendance_reports"]


def _pru_file(folder: Path, name: str) -> Path:
    """The 2-term fixture cut to its Total rows with no phase or breakdown column: the layout
    of DfE's 4_absence_2term_pru.csv."""
    rows = list(csv.DictReader(io.StringIO(FIXTURE.read_text(encoding="utf-8-sig"))))
    drop = ("education_phase", "breakdown_topic", "breakdown")
    keep = [r for r in rows if r["education_phase"] == "Total" and r["breakdown"] == "Total"]
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, [c for c in rows[0] if c not in drop])
        writer.writeheader()
        writer.writerows({k: v for k, v in r.items() if k not in drop} for r in keep)
    return path


def test_a_pru_file_is_read_as_alternative_provision(tmp_path):
    path = _pru_file(tmp_path, "4_absence_2term_pru.csv")
    source, recognised = recognise(read_csv(path))
    assert (source.family, recognised.population) == ("census-absence", "alternative-provision")
    assert recognised.period_type == "autumn-spring"
    dataset = load([path])
    assert set(dataset.absence["population"].astype("string")) == {"alternative-provision"}


def test_a_file_whose_pupils_cannot_be_told_is_refused(tmp_path):
    path = _pru_file(tmp_path, "absence.csv")
    with pytest.raises(DataError, match="cannot tell which pupils this file covers"):
        load([path])


def test_pru_rows_never_join_the_state_funded_series(repo, tmp_path):
    from attendance_reports.model.site_data import build_site_data

    site = build_site_data(load([repo / "data", _pru_file(tmp_path, "x_pru.csv")]))
    assert site.population == "state-funded"
    assert site.other_populations == ("alternative-provision",)
    assert set(site.frame["population"].astype("string")) == {"state-funded"}


@pytest.fixture(scope="module")
def la_only(repo, tmp_path_factory) -> Path:
    """LA rows only (no England or regions) for City of London, Camden and Cambridgeshire."""
    folder = tmp_path_factory.mktemp("la_only")
    with gzip.open(repo / "data" / "absence_2006-07_to_2018-19_extract.csv.gz", "rt") as f:
        reader = csv.reader(f)
        header = next(reader)
        level, la = header.index("geographic_level"), header.index("old_la_code")
        rows = [
            r for r in reader if r[level] == "Local authority" and r[la] in ("201", "202", "873")
        ]
    path = folder / "la_only.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_site_without_england_builds_and_says_so(la_only, tmp_path):
    """Items 4 and 5: no crash; no England page or link; comparisons say why; no rank of 3."""
    done = subprocess.run(
        [
            *CLI,
            "build",
            "--data",
            str(la_only),
            "--out",
            str(tmp_path / "site"),
            "--engine",
            "pandoc",
            "--la",
            "873",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert not (site / "national.html").exists()
    assert not [p for p in site.rglob("*.html") if 'href="national.html"' in p.read_text()]
    page = (site / "la" / "873.html").read_text(encoding="utf-8")
    assert "England&#x27;s figure is not in the files given." in page
    assert "is not ranked for overall absence rate in 2018/19" in page
    assert "ranks 2nd of 3" not in page and "quartile band C" not in page


def test_commands_work_from_any_directory(repo, la_only, tmp_path):
    """Item 9: templates are package data; a filter matching nothing exits 1 (item 8)."""
    done = subprocess.run(
        [*CLI, "overview", str(la_only), "--la", "873"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0 and "Cambridgeshire" in done.stdout, done.stderr
    missing = subprocess.run(
        [*CLI, "indicators", str(la_only), "--la", "873", "--year", "2030/31"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: --year 2030/31: no figures for that year")
    assert missing.stderr.count("\n") == 1


def test_a_file_given_twice_under_two_names_is_read_once(repo, tmp_path):
    """data/'s lookup and the same file elsewhere (the shared data's copy): the second is
    skipped, saying which file it repeats, and the command goes on (exit 0)."""
    from click.testing import CliRunner

    from attendance_reports.cli import main

    copy = tmp_path / "las.csv"
    copy.write_bytes((repo / "data" / "reference" / "las.csv").read_bytes())
    result = CliRunner().invoke(
        main, ["validate", str(repo / "data" / "reference" / "las.csv"), str(copy)]
    )
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and str(copy) in skipped[0], result.output
    assert "the same bytes as" in skipped[0] and "read once" in skipped[0]
