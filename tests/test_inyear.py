"""In-year attendance ("Pupil attendance in schools"): ingest and indicators on DfE's real files.

The England full-year figures are the ones DfE published (acceptance of issue #8); every
national and regional Total row of every ytd and term file is reproduced by combining the
phases the way DfE does (weighted by total_enrolments); every phase row's published rates are
reproduced from its counts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attendance_reports.indicators.inyear import inyear_table
from attendance_reports.render.formatting import percent
from attendance_reports.sources.load import load

ENGLAND = "E92000001"


@pytest.fixture(scope="module")
def attendance_dir(shared_data: Path) -> Path:
    return shared_data / "attendance"


@pytest.fixture(scope="module")
def ytd_table(attendance_dir: Path) -> pd.DataFrame:
    files = [attendance_dir / f"EES_ytd_data_{y}.csv" for y in ("202223", "202324", "202425")]
    return inyear_table(load(files).inyear)


def _england(table: pd.DataFrame, year: str, indicator: str) -> float:
    row = table[
        (table["kind"] == "ytd")
        & (table["academic_year"] == year)
        & (table["code"] == ENGLAND)
        & (table["phase"] == "total")
        & (table["indicator"] == indicator)
    ]
    assert len(row) == 1
    assert row["status"].iloc[0] == "ok"
    return float(row["value"].iloc[0])


@pytest.mark.parametrize(
    ("year", "absence", "persistent"),
    [("202223", "7.5%", "22.3%"), ("202324", "7.2%", "20.7%"), ("202425", "6.9%", "18.7%")],
)
def test_england_full_years_as_published(ytd_table, year, absence, persistent, record_property):
    a = _england(ytd_table, year, "inyear_overall_absence_rate")
    p = _england(ytd_table, year, "inyear_persistent_absence_rate")
    assert (percent(a), percent(p)) == (absence, persistent)
    record_property("figure", f"England {year}: absence {a:.4f}% -> {absence}, PA {p:.4f}%")


def test_totals_combine_phases_as_dfe_does(attendance_dir: Path, record_property) -> None:
    """Every published national and regional Total rate of every ytd and term file equals the
    phases weighted by total_enrolments (not the ratio of summed sessions)."""
    checked = 0
    pairs = {
        "attendance_perc": "inyear_attendance_rate",
        "overall_absence_perc": "inyear_overall_absence_rate",
        "authorised_absence_perc": "inyear_authorised_absence_rate",
        "unauthorised_absence_perc": "inyear_unauthorised_absence_rate",
        "illness_perc": "inyear_reason_illness_rate",
        "pa_perc": "inyear_persistent_absence_rate",
    }
    files = sorted(attendance_dir.glob("EES_ytd_*.csv")) + sorted(
        attendance_dir.glob("EES_*_data_*.csv")
    )
    for path in dict.fromkeys(p for p in files if "weekly" not in p.name and "daily" not in p.name):
        frame = load([path]).inyear
        table = inyear_table(frame)
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        phase = "school_type" if "school_type" in raw.columns else "education_phase"
        totals = raw[(raw[phase] == "Total")]
        assert len(totals) == 10  # England and nine regions
        for _, row in totals.iterrows():
            code = ENGLAND if row["geographic_level"] == "National" else row["region_code"]
            for column, indicator in pairs.items():
                got = table[
                    (table["code"] == code)
                    & (table["phase"] == "total")
                    & (table["indicator"] == indicator)
                ]
                assert len(got) == 1, (path.name, code, indicator)
                assert got["method"].iloc[0] == "phase-weighted"
                assert got["value"].iloc[0] == pytest.approx(float(row[column]), abs=1e-9)
                checked += 1
    assert checked == 13 * 10 * len(pairs)
    record_property("figure", f"in-year Total rates reproduced: {checked:,} of {checked:,}")


def test_phase_rates_equal_the_published_ones(ytd_table, attendance_dir: Path) -> None:
    raw = pd.read_csv(attendance_dir / "EES_ytd_data_202425.csv", dtype=str, keep_default_na=False)
    raw = raw[(raw["geographic_level"] == "Local authority") & (raw["overall_absence_perc"] != "c")]
    got = ytd_table[
        (ytd_table["academic_year"] == "202425")
        & (ytd_table["geographic_level"] == "la")
        & (ytd_table["indicator"] == "inyear_overall_absence_rate")
        & (ytd_table["phase"] != "total")
    ]
    merged = raw.assign(phase=raw["school_type"].str.lower()).merge(
        got, left_on=["old_la_code", "phase"], right_on=["code", "phase"]
    )
    assert len(merged) == len(raw) > 440
    assert np.allclose(merged["value"], merged["overall_absence_perc"].astype(float), atol=1e-9)


def test_suppressed_cells_stay_missing_with_their_reason(ytd_table) -> None:
    # City of London has one primary school: DfE suppresses it ('c'), never 0
    row = ytd_table[
        (ytd_table["academic_year"] == "202324")
        & (ytd_table["code"] == "201")
        & (ytd_table["phase"] == "primary")
        & (ytd_table["indicator"] == "inyear_overall_absence_rate")
    ]
    assert row["status"].tolist() == ["suppressed"]
    assert np.isnan(row["value"].iloc[0])


def test_register_codes_are_read_by_name(ytd_table) -> None:
    """Code T meant Gypsy, Roma and Traveller absence before August 2024 and a mobile child
    after: the two are different indicators, each only where the file has its column."""
    have = ytd_table[ytd_table["code"] == ENGLAND].groupby("academic_year")["indicator"].unique()
    assert "inyear_reason_traveller_rate" in have["202324"]
    assert "inyear_reason_mobile_child_rate" not in have["202324"]
    assert "inyear_reason_mobile_child_rate" in have["202425"]
    assert "inyear_reason_traveller_rate" not in have["202425"]


def test_la_total_row_is_never_added_to_its_phases(attendance_dir: Path, tmp_path: Path) -> None:
    """A later release with LA Total rows gives the same LA figures (no double counting)."""
    source = attendance_dir / "EES_ytd_data_202425.csv"
    raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    cambs = raw[(raw["old_la_code"] == "873")]
    total = cambs.iloc[[0]].copy()
    total["school_type"] = "Total"
    # a Total row of summed counts, published beside the phases
    for column in ("possible_sessions", "overall_absence", "total_enrolments"):
        total[column] = str(int(cambs[column].astype(float).sum()))
    with_total = tmp_path / "EES_ytd_data_202425.csv"
    pd.concat([raw, total]).rename(columns={"school_type": "education_phase"}).to_csv(
        with_total, index=False
    )
    before = inyear_table(load([source]).inyear)
    after = inyear_table(load([with_total]).inyear)

    def pick(t):
        return (
            t[(t["code"] == "873") & (t["phase"] == "total")]
            .set_index("indicator")["value"]
            .sort_index()
        )

    assert len(pick(after)) == len(pick(before)) > 10
    pd.testing.assert_series_equal(pick(after), pick(before))


def test_pre_2023_codes_are_mapped_with_the_break_flagged(attendance_dir: Path) -> None:
    frame = load([attendance_dir / "EES_weekly_data_202223.csv"]).inyear
    north_yorkshire = frame[frame["code"] == "815"]
    assert set(north_yorkshire["new_la_code"]) == {"E06000065"}
    assert north_yorkshire["code_break"].str.contains("April 2023").all()
    cumbria = frame[frame["code"] == "909"]
    assert len(cumbria) and cumbria["code_break"].str.contains("not joined").all()
    assert not frame["new_la_code"].isin(["E10000023", "E10000027"]).any()


def test_weekly_files_give_academic_years_and_iso_weeks(attendance_dir: Path) -> None:
    frame = load([attendance_dir / "EES_weekly_data_202223.csv"]).inyear
    pairs = set(zip(frame["academic_year"], frame["week"], strict=True))
    assert ("202223", 37) in pairs and ("202223", 2) in pairs
    assert {y for y, _ in pairs} == {"202223"}


def test_pa_export_counts(attendance_dir: Path) -> None:
    """The export's rates come from its counts: England primary, autumn 2023."""
    table = inyear_table(load([attendance_dir / "export_autumn_pa_output_2024_01_22.csv"]).inyear)
    row = table[(table["code"] == ENGLAND) & (table["phase"] == "primary")]
    assert row["numerator"].iloc[0] == 561143 and row["denominator"].iloc[0] == 3477794
    assert percent(row["value"].iloc[0], 2) == "16.14%"
    assert row["academic_year"].iloc[0] == "202324"
    # all schools: primary, secondary and special summed (alternative provision and nursery
    # are published separately)
    total = table[(table["code"] == ENGLAND) & (table["phase"] == "total")]
    assert total["denominator"].iloc[0] == 3477794 + 2701879 + 114142


def test_two_ytd_versions_of_a_year_keep_the_later(attendance_dir: Path) -> None:
    data = load(
        [
            attendance_dir / "EES_ytd_data_202324_autumn_spring.csv",
            attendance_dir / "EES_ytd_data_202324.csv",
        ]
    )
    assert data.superseded == (str(attendance_dir / "EES_ytd_data_202324_autumn_spring.csv"),)
    assert _england(inyear_table(data.inyear), "202324", "inyear_overall_absence_rate") == (
        pytest.approx(7.21075640887642, abs=1e-12)
    )


# ---- bad in-year files: one line, exit 2 ---------------------------------------------------


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "attendance_reports", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _slice(attendance_dir: Path, name: str, rows: int = 30) -> list[str]:
    lines = (attendance_dir / name).read_text(encoding="utf-8").splitlines()
    return lines[: rows + 1]


@pytest.mark.parametrize(
    ("name", "mutate", "where", "keyword"),
    [
        (
            "EES_ytd_data_202425.csv",
            ("overall_absence", 5, "lots"),
            (5, "overall_absence"),
            "not a number",
        ),
        ("EES_ytd_data_202425.csv", ("school_type", 7, "Nursery"), (7, "school_type"), "phase"),
        (
            "EES_weekly_data_202425.csv",
            ("time_identifier", 4, "Week 60"),
            (4, "time_identifier"),
            "ISO week",
        ),
        (
            "EES_ytd_data_202425.csv",
            ("overall_absence", 3, "999999999999"),
            (3, "overall_absence"),
            "greater than",
        ),
    ],
)
def test_bad_inyear_file_gives_one_line(attendance_dir, tmp_path, name, mutate, where, keyword):
    lines = _slice(attendance_dir, name)
    header = [h.strip('"') for h in lines[0].split(",")]
    column, line, value = mutate
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(["validate", str(path)], tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {path}:{where[0]}:{header.index(where[1]) + 1}: ")
    assert keyword.lower() in result.stderr.lower()
    assert " — " in result.stderr


def test_daily_file_gives_dates_and_combines_phases_as_published(attendance_dir: Path) -> None:
    """Daily rows keep their date; each day's England Total equals the phases weighted by
    total_enrolments, as published."""
    path = attendance_dir / "EES_daily_data_202425.csv"
    frame = load([path]).inyear
    assert set(frame["kind"]) == {"day"} and set(frame["academic_year"]) == {"202425"}
    table = inyear_table(frame)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    totals = raw[(raw["geographic_level"] == "National") & (raw["school_type"] == "Total")]
    assert len(totals) == 5
    for _, row in totals.iterrows():
        got = table[
            (table["code"] == ENGLAND)
            & (table["date"] == row["attendance_date"])
            & (table["phase"] == "total")
            & (table["indicator"] == "inyear_overall_absence_rate")
        ]
        assert got["value"].iloc[0] == pytest.approx(float(row["overall_absence_perc"]), abs=1e-9)
