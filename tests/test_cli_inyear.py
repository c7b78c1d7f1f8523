"""`attendance-reports indicators` on in-year files: the `inyear_*` ids in the one documented
table, `time_identifier` = the week, term or year to date, and how each figure is made."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from attendance_reports.cli import main
from attendance_reports.indicators.table import OUTPUT_COLUMNS
from attendance_reports.render.formatting import percent

FIXTURE = Path(__file__).parent / "fixtures" / "inyear_ytd_sessions_ratio_totals.csv"


@pytest.fixture(scope="module")
def attendance(shared_data: Path) -> Path:
    return shared_data / "attendance"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["indicators", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_england_full_year_in_the_documented_table(attendance: Path) -> None:
    text = run(
        attendance / "EES_ytd_data_202425.csv",
        "--level",
        "national",
        "--phase",
        "total",
        "--indicator",
        "inyear_overall_absence_rate",
        "--indicator",
        "inyear_persistent_absence_rate",
    )
    assert text.splitlines()[0] == ",".join([*OUTPUT_COLUMNS, "method", "published"])
    got = {r["indicator"]: r for r in rows(text)}
    overall = got["inyear_overall_absence_rate"]
    assert (overall["time_period"], overall["time_identifier"]) == ("202425", "Academic year")
    assert percent(float(overall["value"]), 3) == "6.870%"
    assert percent(float(got["inyear_persistent_absence_rate"]["value"]), 2) == "18.70%"
    assert (overall["method"], overall["published"]) == ("published-total", "True")
    assert overall["numerator"] == ""  # DfE's figure as published, not recomputed


def test_time_identifier_is_the_week_term_or_year_to_date(attendance: Path) -> None:
    text = run(
        attendance / "EES_weekly_data_202425.csv",
        attendance / "EES_aut_data_202425.csv",
        attendance / "persistent_absence_202425" / "week_29_persistent_absence.csv",
        "--la",
        "852",
        "--phase",
        "total",
    )
    got = rows(text)
    identifiers = list(dict.fromkeys(r["time_identifier"] for r in got))
    assert identifiers[:3] == ["Autumn term", "Week 8, year to date", "Week 10, year to date"]
    assert "Week 30, year to date" in identifiers and "Week 37" in identifiers
    weekly = [r for r in got if r["time_identifier"] == "Week 37"]
    assert {r["method"] for r in weekly} == {"enrolment-weighted"}
    assert {r["published"] for r in weekly} == {"False"}
    # the series gives rates only: Southampton's all-schools figure is not made, and says so
    series = [r for r in got if r["time_identifier"] == "Week 30, year to date"]
    assert [(r["status"], r["method"]) for r in series] == [("not-available", "none")]


def test_la_total_as_published_or_combined_as_the_release_does() -> None:
    got = rows(run(FIXTURE, "--level", "la", "--phase", "total", "--format", "csv"))
    overall = {r["code"]: r for r in got if r["indicator"] == "inyear_overall_absence_rate"}
    assert (overall["873"]["method"], overall["873"]["value"]) == ("published-total", "6.668")
    assert overall["852"]["method"] == "sessions-ratio" and overall["852"]["published"] == "False"
    assert percent(float(overall["852"]["value"]), 3) == "8.115%"


def test_table_format_shows_time_identifier(attendance: Path) -> None:
    text = run(
        attendance / "persistent_absence_202425" / "week_29_persistent_absence.csv",
        "--level",
        "national",
        "--phase",
        "total",
        "--format",
        "table",
    )
    header = text.splitlines()[1]
    assert "time_identifier" in header
    line = next(x for x in text.splitlines() if "Week 30, year to date" in x)
    assert "18.7" in line and "inyear_persistent_absence_rate" in line


def test_json_carries_method_and_published(attendance: Path) -> None:
    text = run(
        attendance / "EES_ytd_data_202425.csv",
        "--la",
        "873",
        "--phase",
        "total",
        "--indicator",
        "inyear_overall_absence_rate",
        "--format",
        "json",
    )
    (record,) = json.loads(text)
    assert record["method"] == "enrolment-weighted" and record["published"] is False
    assert record["time_identifier"] == "Academic year" and record["breakdown"] == "total"


def test_pupil_groups_have_their_breakdown(attendance: Path) -> None:
    text = run(
        attendance / "characteristics_202223" / "aut_fsm.csv",
        "--level",
        "national",
        "--phase",
        "total",
        "--indicator",
        "inyear_persistent_absence_rate",
    )
    got = {r["breakdown"]: r for r in rows(text)}
    assert set(got) == {"fsm/eligible", "fsm/not_eligible"}
    assert got["fsm/eligible"]["time_identifier"] == "Autumn term"
    assert percent(float(got["fsm/eligible"]["value"])) == "38.5%"
    assert percent(float(got["fsm/not_eligible"]["value"])) == "21.0%"


def test_a_year_without_figures_exits_1_naming_what_the_data_has(attendance: Path) -> None:
    """A year with no figures in an in-year file: exit 1 and one line naming the years there."""
    result = CliRunner().invoke(
        main, ["indicators", str(attendance / "EES_ytd_data_202425.csv"), "--year", "2018/19"]
    )
    assert result.exit_code == 1
    assert "--year 2018/19: no figures for that year — the data has 2024/25" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_inyear_id_is_one_line(attendance: Path) -> None:
    result = CliRunner().invoke(
        main, ["indicators", str(FIXTURE), "--indicator", "inyear_nonsense_rate"]
    )
    assert result.exit_code != 0
    assert "inyear_nonsense_rate: unknown indicator id" in result.output
