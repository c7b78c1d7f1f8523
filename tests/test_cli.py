"""The command line on the real DfE files: options, output formats and the public columns.

The full 2006/07–2018/19 file takes a few seconds to load, so it is loaded twice only: once by
a real ``python -m attendance_reports indicators`` run (what a user sees, end to end), and once
in the session fixture ``full_dataset``, which the in-process CliRunner tests get in place of
``load()`` (they check option handling and formatting, not loading).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from attendance_reports import __version__
from attendance_reports.cli import main

PUBLIC_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "code",
    "name",
    "phase",
    "breakdown",
    "indicator",
    "value",
    "numerator",
    "denominator",
    "status",
]

#: a Cambridgeshire primary school of 2018/19 (laestab 8732000): 4,651 of 87,610 sessions
URN = "136802"

CAMBRIDGESHIRE_2018 = ["--la", "873", "--year", "2018/19", "--phase", "total"]


def rows_of(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == PUBLIC_COLUMNS
    return list(reader)


def by_indicator(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    out = {r["indicator"]: r for r in rows}
    assert len(out) == len(rows), "one row per indicator expected"
    return out


def half_up(text: str, places: int) -> str:
    return str(Decimal(text).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def assert_one_error_line(result: Result, starts: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {starts}"), lines[0]
    assert " — " in lines[0]
    return lines[0]


# ---- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def cambridgeshire_csv(absence_path: Path, lait_path: Path) -> str:
    """`indicators` on the real full file + LAIT, run as a user runs it (the slow, end-to-end one)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "attendance_reports",
            "indicators",
            str(absence_path),
            str(lait_path),
            *CAMBRIDGESHIRE_2018,
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # the full file's two data-quality warnings are summarised on stderr (issue 14, item 6)
    assert result.stderr.startswith("Warning: 2 data-quality warnings in the files")
    assert result.stderr.count("\n") == 1
    return result.stdout


@pytest.fixture
def cli(full_dataset, absence_path: Path, lait_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in process on the real files, with the session's already-loaded dataset."""

    def loaded(paths, *, strict=False):
        assert [Path(p) for p in paths] == [absence_path, lait_path]
        assert strict is False
        return full_dataset

    monkeypatch.setattr("attendance_reports.sources.load.load", loaded)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, ["indicators", str(absence_path), str(lait_path), *args])

    return invoke


# ---- help and version ---------------------------------------------------------------------------


def test_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert "validate" in result.stdout
    assert "indicators" in result.stdout
    short = CliRunner().invoke(main, ["-h"])
    assert short.exit_code == 0
    assert short.stdout == result.stdout


def test_indicators_help_lists_the_options() -> None:
    result = CliRunner().invoke(main, ["indicators", "--help"])
    assert result.exit_code == 0, result.output
    for option in (
        "--la",
        "--school",
        "--year",
        "--phase",
        "--indicator",
        "--format",
        "--output",
        "--strict",
    ):
        assert option in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"attendance-reports, version {__version__}\n"


def test_version_as_a_module(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "attendance_reports", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert __version__ in result.stdout


# ---- indicators on the real files -----------------------------------------------------------------


def test_csv_has_the_public_columns_in_order(cambridgeshire_csv: str) -> None:
    assert cambridgeshire_csv.splitlines()[0] == ",".join(PUBLIC_COLUMNS)
    rows = rows_of(cambridgeshire_csv)
    assert rows
    assert {r["time_period"] for r in rows} == {"201819"}
    assert {r["geographic_level"] for r in rows} == {"la"}
    assert {r["code"] for r in rows} == {"873"}
    assert {r["name"] for r in rows} == {"Cambridgeshire"}
    assert {r["phase"] for r in rows} == {"total"}
    assert {r["time_identifier"] for r in rows} == {"Academic year"}


def test_cambridgeshire_2018_19_headline_rates(cambridgeshire_csv: str) -> None:
    """The published Cambridgeshire 2018/19 Total figures, recomputed from the counts."""
    rows = by_indicator(rows_of(cambridgeshire_csv))
    overall = rows["overall_absence_rate"]
    assert float(overall["numerator"]) == 1206252
    assert float(overall["denominator"]) == 27399386
    assert half_up(overall["value"], 5) == "4.40248"
    assert overall["status"] == "ok"

    persistent = rows["persistent_absence_rate"]
    assert float(persistent["numerator"]) == 6949
    assert float(persistent["denominator"]) == 77145
    assert half_up(persistent["value"], 5) == "9.00771"
    assert persistent["status"] == "ok"

    authorised = rows["authorised_absence_rate"]
    assert half_up(authorised["value"], 5) == "3.31264"
    unauthorised = rows["unauthorised_absence_rate"]
    assert half_up(unauthorised["value"], 5) == "1.08984"

    severe = rows["severe_absence_rate"]  # not in this vintage of the census file
    assert severe["status"] == "not-published"
    assert severe["value"] == severe["numerator"] == severe["denominator"] == ""


def test_e_code_gives_the_same_rows(cli, cambridgeshire_csv: str) -> None:
    result = cli("--la", "E10000003", "--year", "2018/19", "--phase", "total")
    assert result.exit_code == 0, result.output
    assert result.stdout == cambridgeshire_csv
    by_code = cli(*CAMBRIDGESHIRE_2018)
    assert by_code.exit_code == 0, by_code.output
    assert by_code.stdout == cambridgeshire_csv  # in-process run = the real end-to-end run


def test_json_has_the_same_rows(cli, cambridgeshire_csv: str) -> None:
    result = cli(*CAMBRIDGESHIRE_2018, "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    rows = rows_of(cambridgeshire_csv)
    assert len(records) == len(rows)
    for record, row in zip(records, rows, strict=True):
        assert list(record) == PUBLIC_COLUMNS
        for column in PUBLIC_COLUMNS:
            if column in ("value", "numerator", "denominator"):
                expected = float(row[column]) if row[column] else None
                assert record[column] == expected, (row["indicator"], column)
            else:
                assert str(record[column]) == row[column], (row["indicator"], column)
    overall = next(r for r in records if r["indicator"] == "overall_absence_rate")
    assert overall["numerator"] == 1206252
    assert overall["denominator"] == 27399386


def test_table_format(cli) -> None:
    result = cli(*CAMBRIDGESHIRE_2018, "--format", "table")
    assert result.exit_code == 0, result.output
    assert "Cambridgeshire" in result.stdout
    assert "overall_absence_rate" in result.stdout
    assert "4.4" in result.stdout


def test_table_format_shows_the_symbol_of_a_missing_value(cli) -> None:
    """severe_absence_rate is not published in this file: the table must show [x], not blank."""
    result = cli(*CAMBRIDGESHIRE_2018, "--indicator", "severe_absence_rate", "--format", "table")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "severe_absence_rate" in line)
    assert "not-published" in row
    assert "[x]" in row, row


def test_years_after_2018_19_come_from_lait(cli) -> None:
    result = cli("--la", "873", "--year", "2023/24")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert rows
    assert {r["time_period"] for r in rows} == {"202324"}
    assert {r["code"] for r in rows} == {"873"}
    total = by_indicator([r for r in rows if r["phase"] == "total"])
    expected = {
        "overall_absence_rate": "6.92",
        "persistent_absence_rate": "17.89",
        "severe_absence_rate": "2.48",
    }
    for indicator, value in expected.items():
        row = total[indicator]
        assert half_up(row["value"], 2) == value, indicator
        assert float(row["value"]) == float(value), indicator  # LAIT's 2 dp, not re-rounded
        assert row["numerator"] == row["denominator"] == "", indicator  # LAIT has rates only
        assert row["status"] == "ok"


def test_school_filter(cli, full_dataset) -> None:
    absence = full_dataset.absence
    school = absence[
        (absence["geographic_level"] == "school")
        & (absence["code"] == URN)
        & (absence["time_period"] == "201819")
    ]
    assert len(school) == 1
    assert school["old_la_code"].iloc[0] == "873"  # a Cambridgeshire school
    result = cli("--school", URN, "--year", "2018/19")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert rows
    assert {r["geographic_level"] for r in rows} == {"school"}
    assert {r["code"] for r in rows} == {URN}
    assert {r["time_period"] for r in rows} == {"201819"}
    overall = by_indicator(rows)["overall_absence_rate"]
    assert float(overall["numerator"]) == 4651
    assert float(overall["denominator"]) == 87610
    assert half_up(overall["value"], 5) == "5.30875"  # as published on the school's row


def test_unknown_la_is_one_line(cli) -> None:
    line = assert_one_error_line(cli("--la", "999"), "--la 999")
    assert "unknown LA code" in line


def test_unknown_indicator_is_one_line(cli) -> None:
    line = assert_one_error_line(cli("--la", "873", "--indicator", "nope"), "--indicator nope")
    assert "unknown indicator" in line


# ---- spreadsheet safety ---------------------------------------------------------------------------

FORMULA = '=HYPERLINK("x")'


def test_formula_in_a_text_cell_is_neutralised(absence_path: Path, tmp_path: Path) -> None:
    """A cell that a spreadsheet would run as a formula is written with a leading apostrophe."""
    with gzip.open(absence_path, "rt", encoding="utf-8", newline="") as handle:
        header = handle.readline()
        keep = []
        for raw in handle:
            cells = raw.rstrip("\n").split(",")
            if cells[2] != "201819":
                continue
            if cells[3] == "National" or (cells[3] == "Local authority" and cells[8] == "873"):
                keep.append(cells)
    name = header.rstrip("\n").split(",").index("la_name")
    assert len(keep) == 8
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header.rstrip("\n").split(","))
    for cells in keep:
        if cells[8] == "873":
            cells[name] = FORMULA
        writer.writerow(cells)
    path = tmp_path / "formula.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert '"=HYPERLINK(""x"")"' in path.read_text(encoding="utf-8")

    result = CliRunner().invoke(
        main, ["indicators", str(path), *CAMBRIDGESHIRE_2018, "--indicator", "overall_absence_rate"]
    )
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert len(rows) == 1
    assert rows[0]["name"] == "'" + FORMULA
    assert float(rows[0]["numerator"]) == 1206252
    # JSON is not a spreadsheet format: the name is kept as it is
    as_json = CliRunner().invoke(
        main,
        [
            "indicators",
            str(path),
            *CAMBRIDGESHIRE_2018,
            "--indicator",
            "overall_absence_rate",
            "--format",
            "json",
        ],
    )
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)[0]["name"] == FORMULA


def test_numpys_huge_pages_are_off_unless_the_user_asks():
    """The package turns numpy's transparent huge pages off before numpy is imported (about
    five times the CPU per new large array on a DAMON-watched machine); a value set by the
    user is kept."""
    code = (
        "import attendance_reports.cli; from numpy._core import multiarray as m; "
        "print(m._get_madvise_hugepage())"
    )
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert off.stdout.strip() == "False", off.stderr
    env["NUMPY_MADVISE_HUGEPAGE"] = "1"
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert on.stdout.strip() == "True", on.stderr
