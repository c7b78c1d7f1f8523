"""In-year attendance ("Pupil attendance in schools"): ingest and indicators on DfE's real files.

The England full-year figures are the ones DfE published (acceptance of issue #8); every
national and regional Total row of every ytd and term file is used as published and is
reproduced by the method found for the file (phases weighted by total_enrolments), which
combines LAs' phases; a fixture of a release that combines by the sessions ratio and publishes
LA Totals (issue #14) gets its LA Totals as published and the sessions ratio elsewhere; every
phase row's published rates are reproduced from its counts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attendance_reports.indicators.inyear import inyear_parts, inyear_table, row_rates
from attendance_reports.indicators.inyear_combine import (
    KEY,
    agrees,
    candidates,
    published_decimals,
)
from attendance_reports.render.formatting import percent
from attendance_reports.sources.load import load

ENGLAND = "E92000001"
OVERALL = "inyear_overall_absence_rate"


def _weeks_as_int(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(week=frame["week"].astype("int64"))


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


def test_totals_are_used_as_published_and_reproduced_by_dfes_method(
    attendance_dir: Path, record_property
) -> None:
    """Every published national and regional Total rate of every ytd and term file is used as
    published (method 'published-total'), and equals the phases weighted by total_enrolments
    (not the ratio of summed sessions): the method each file is found to use for LAs."""
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
        table, methods = inyear_parts(frame)
        (method,) = methods.values()
        assert (method.sessions, method.pupils) == ("enrolment-weighted", "enrolment-weighted")
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
                assert got["method"].iloc[0] == "published-total"
                assert bool(got["published"].iloc[0])
                assert got["value"].iloc[0] == float(row[column])
                checked += 1
        # LAs have no Total row: combined the file's way, and said so
        la = table[(table["geographic_level"] == "la") & (table["phase"] == "total")]
        assert set(la["method"]) <= {"enrolment-weighted", "enrolment-weighted-partial"}
        assert not la["published"].any()
    assert checked == 13 * 10 * len(pairs)
    record_property("figure", f"in-year Total rates used as published: {checked:,}")


def test_the_sessions_ratio_does_not_reproduce_dfes_totals(attendance_dir: Path) -> None:
    """The test is discriminating: on 2023/24 the sessions ratio reproduces none of the 170
    published totals (England 7.1851 % against 7.2108 % published), enrolment weighting all."""
    rates = pd.concat(
        row_rates(_weeks_as_int(load([attendance_dir / "EES_ytd_data_202324.csv"]).inyear)),
        ignore_index=True,
    )
    combined = candidates(rates)
    totals = rates[(rates["method"] == "published-total") & (rates["status"] == 0)]
    merged = totals[[*KEY, "indicator", "value"]].merge(combined, on=[*KEY, "indicator"])
    published = merged["value"].to_numpy()
    assert agrees(merged["enrolment-weighted"].to_numpy(), published).sum() == len(merged) == 170
    sessions = merged[merged["indicator"] != "inyear_persistent_absence_rate"]
    assert agrees(sessions["sessions-ratio"].to_numpy(), sessions["value"].to_numpy()).sum() == 0
    england = merged[(merged["code"] == ENGLAND) & (merged["indicator"] == OVERALL)].iloc[0]
    assert (round(england["value"], 4), round(england["sessions-ratio"], 4)) == (7.2108, 7.1851)


def test_published_precision_decides_agreement() -> None:
    assert list(published_decimals(np.array([94.80615945, 4.2e-05, 18.7, 7.0]))) == [8, 6, 1, 0]
    assert agrees(np.array([18.74999, 18.65, 18.7]), np.array([18.7, 18.7, 18.7])).tolist() == [
        True,
        True,
        True,
    ]
    assert agrees(np.array([18.751, 18.649]), np.array([18.7, 18.7])).tolist() == [False, False]


# ---- a release that combines phases by the sessions ratio and publishes LA Totals --------------

FIXTURE = Path(__file__).parent / "fixtures" / "inyear_ytd_sessions_ratio_totals.csv"


@pytest.fixture(scope="module")
def ratio_release() -> tuple[pd.DataFrame, dict]:
    return inyear_parts(load([FIXTURE]).inyear)


def _total(table: pd.DataFrame, code: str, indicator: str = OVERALL) -> pd.Series:
    rows = table[(table["code"] == code) & (table["phase"] == "total")]
    rows = rows[rows["indicator"] == indicator]
    assert len(rows) == 1
    return rows.iloc[0]


def test_a_release_combining_by_sessions_ratio_is_recognised(ratio_release) -> None:
    _, methods = ratio_release
    (method,) = methods.values()
    # session rates by the sessions ratio; persistent absence (pupils) weighted by enrolments
    assert (method.sessions, method.pupils) == ("sessions-ratio", "enrolment-weighted")
    assert method.tested == 190


def test_la_total_rows_are_used_as_published(ratio_release) -> None:
    """Cambridgeshire and Camden have Total rows (rates to 3 d.p.): those values, exactly."""
    table, _ = ratio_release
    raw = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    for code in ("873", "202"):
        published = raw[(raw["old_la_code"] == code) & (raw["education_phase"] == "Total")]
        for column, indicator in (
            ("overall_absence_perc", OVERALL),
            ("pa_perc", "inyear_persistent_absence_rate"),
            ("illness_perc", "inyear_reason_illness_rate"),
        ):
            row = _total(table, code, indicator)
            assert row["value"] == float(published[column].iloc[0])
            assert (row["method"], bool(row["published"])) == ("published-total", True)
            assert np.isnan(row["numerator"])  # as published, not recomputed from counts
    # Camden's published 7.800 is not what its phases give by either method
    phases = table[(table["code"] == "202") & (table["indicator"] == OVERALL)]
    assert _total(table, "202")["value"] == 7.8
    assert len(phases) == 4


def test_la_without_total_row_is_combined_by_the_sessions_ratio(ratio_release) -> None:
    table, _ = ratio_release
    raw = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    phases = raw[(raw["old_la_code"] == "852") & (raw["education_phase"] != "Total")]
    ratio = (
        phases["overall_absence"].astype(float).sum()
        / phases["possible_sessions"].astype(float).sum()
        * 100
    )
    row = _total(table, "852")
    assert row["method"] == "sessions-ratio" and not row["published"]
    assert row["value"] == pytest.approx(ratio, abs=1e-12)
    assert (row["numerator"], row["denominator"]) == (
        phases["overall_absence"].astype(float).sum(),
        phases["possible_sessions"].astype(float).sum(),
    )
    pa = _total(table, "852", "inyear_persistent_absence_rate")
    weights = phases["total_enrolments"].astype(float)
    expected = (phases["pa_perc"].astype(float) * weights).sum() / weights.sum()
    assert pa["method"] == "enrolment-weighted"
    assert pa["value"] == pytest.approx(expected, abs=1e-12)
    # Bracknell Forest's special schools are suppressed: the others combined, and said so
    assert _total(table, "867")["method"] == "sessions-ratio-partial"


def test_no_combined_figure_when_neither_method_reproduces_the_totals(tmp_path: Path) -> None:
    raw = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    total = (raw["geographic_level"] == "National") & (raw["education_phase"] == "Total")
    raw.loc[total, "overall_absence_perc"] = "7.5"  # neither method gives this
    path = tmp_path / "EES_ytd_data.csv"
    raw.to_csv(path, index=False)
    table, methods = inyear_parts(load([path]).inyear)
    (method,) = methods.values()
    assert method.sessions == "none" and "neither" in method.reason
    row = _total(table, "852")
    assert (row["method"], row["status"]) == ("none", "not-available")
    assert np.isnan(row["value"])
    assert _total(table, ENGLAND)["value"] == 7.5  # DfE's published figure, as published
    assert _total(table, "873")["method"] == "published-total"


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


# ---- the fortnightly persistent-absence series (2024/25) ------------------------------------


@pytest.fixture(scope="module")
def pa_series(attendance_dir: Path):
    path = attendance_dir / "persistent_absence_202425" / "week_29_persistent_absence.csv"
    data = load([path])
    return data, *inyear_parts(data.inyear)


def test_pa_series_is_read_as_year_to_date_points(pa_series) -> None:
    data, table, _ = pa_series
    (report,) = data.files
    assert report.kind == "inyear-persistent-absence-series" and report.rows == 5928
    frame = data.inyear
    assert set(frame["kind"]) == {"pa-series"} and set(frame["academic_year"]) == {"202425"}
    assert sorted(set(frame["week"])) == [8, 10, 12, 14, 15, 18, 20, 21, 24, 26, 28, 30]
    assert set(frame["period_type"]) == {"year-to-date"}
    # DfE's c cells stay suppressed, never 0
    suppressed = table[table["status"] == "suppressed"]
    assert len(suppressed) == 36 and suppressed["value"].isna().all()


def test_pa_series_week_30_equals_the_full_year(pa_series, ytd_table) -> None:
    _, table, _ = pa_series

    def week30(code: str, phase: str) -> pd.Series:
        row = table[(table["week"] == 30) & (table["code"] == code) & (table["phase"] == phase)]
        assert len(row) == 1
        return row.iloc[0]

    england = week30(ENGLAND, "total")
    assert england["value"] == 18.7 and england["method"] == "published-total"
    full_year = _england(ytd_table, "202425", "inyear_persistent_absence_rate")
    assert percent(full_year, 2) == "18.70%" and percent(england["value"], 1) == "18.7%"
    southampton = [week30("852", p)["value"] for p in ("primary", "secondary", "special")]
    assert southampton == [16.7, 28.32, 35.13]


def test_pa_series_la_phases_are_not_combined(pa_series) -> None:
    """Rates only, no LA "All schools" row: no method may combine them; the row says why."""
    _, table, methods = pa_series
    (method,) = methods.values()
    assert (method.sessions, method.pupils) == ("none", "none")
    assert "rates only" in method.pupils_reason
    la = table[(table["geographic_level"] == "la") & (table["phase"] == "total")]
    assert len(la) == 153 * 12
    assert set(la["method"]) == {"none"} and set(la["status"]) == {"not-available"}
    assert la["value"].isna().all()


@pytest.mark.parametrize(
    ("line", "column", "value", "keyword"),
    [
        (3, "time_identifier", "Week 60", "ISO week"),
        (4, "time_frame", "Academic year", "Year to date"),
        (5, "persistent_absence_percent", "lots", "not a number"),
        (6, "education_phase", "Nursery", "phase 'Nursery' is not All schools, Primary, Secondary"),
    ],
)
def test_bad_pa_series_gives_one_line(attendance_dir, tmp_path, line, column, value, keyword):
    lines = _slice(attendance_dir / "persistent_absence_202425", "week_29_persistent_absence.csv")
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path = tmp_path / "week_29_persistent_absence.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(["validate", str(path)], tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {path}:{line}:{header.index(column) + 1}: ")
    assert keyword.lower() in result.stderr.lower() and " — " in result.stderr
