"""In-year attendance by pupil group (DfE's 2022/23 files by FSM, sex and SEN): read as
published (c kept, scientific notation, blank ids on higher-level rows), national rows adding up
to the all-pupil term files, England's published persistent absence by group, LA figures by
phase (no method reproduces the files' own totals), and the "This year" pages' tables."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from attendance_reports.indicators.inyear_groups import group_gaps, group_rates
from attendance_reports.model.assemble_inyear import inyear_la_report, inyear_national_report
from attendance_reports.model.disclosure import inyear_group_policy
from attendance_reports.render.formatting import percent
from attendance_reports.render.tables import table_csv, table_html
from attendance_reports.sources.load import load

ENGLAND = "E92000001"
PA = "inyear_persistent_absence_rate"
OVERALL = "inyear_overall_absence_rate"
FILES = {
    "aut_fsm.csv": 986,
    "aut_gender.csv": 1064,
    "aut_sen_.csv": 1363,
    "spr_fsm.csv": 986,
    "spr_gender.csv": 1059,
    "spr_sen.csv": 1340,
}


@pytest.fixture(scope="module")
def folder(shared_data: Path) -> Path:
    return shared_data / "attendance" / "characteristics_202223"


@pytest.fixture(scope="module")
def data(folder: Path):
    return load([folder / name for name in FILES])


@pytest.fixture(scope="module")
def gaps(data) -> pd.DataFrame:
    return inyear_group_policy(group_gaps(group_rates(data.inyear_groups)[0]))


def test_files_are_read_as_published(data, folder) -> None:
    assert {Path(f.name).name: (f.kind, f.rows) for f in data.files} == {
        name: ("inyear-characteristics", rows) for name, rows in FILES.items()
    }
    frame = data.inyear_groups
    # blank ids on national rows: England; every LA by its 3-digit code
    national = frame[frame["geographic_level"] == "national"]
    assert set(national["code"]) == {ENGLAND} and set(national["name"]) == {"England"}
    assert frame.loc[frame["geographic_level"] == "la", "code"].nunique() == 153
    # scientific notation is a number: '4.20E-05' in Kirklees' secondary FSM not eligible row
    kirklees = frame[
        (frame["code"] == "382")
        & (frame["phase"] == "secondary")
        & (frame["group"] == "not_eligible")
        & (frame["period"] == "Autumn term")
    ]
    assert kirklees["auth_study_perc"].iloc[0] == pytest.approx(4.2e-05)
    # c and z are kept with their reason, never 0
    raw = pd.read_csv(folder / "aut_sen_.csv", dtype=str, keep_default_na=False)
    c_rows = int((raw["overall_absence"] == "c").sum())
    sen = frame[(frame["source"].str.endswith("aut_sen_.csv")).to_numpy()]
    assert int((sen["overall_absence__status"] == 3).sum()) == c_rows > 0
    assert sen.loc[sen["overall_absence__status"] == 3, "overall_absence"].isna().all()
    # groups the pages do not compare (gender Unknown) are kept, unnamed
    assert set(frame.loc[frame["group_label"] == "Unknown", "group"]) == {""}


@pytest.mark.parametrize("topic", ["fsm", "sex", "sen"])
@pytest.mark.parametrize("term", ["aut", "spr"])
def test_national_rows_add_up_to_the_term_files(data, shared_data, topic, term) -> None:
    frame = data.inyear_groups
    period = {"aut": "Autumn term", "spr": "Spring term"}[term]
    main = pd.read_csv(
        shared_data / "attendance" / f"EES_{term}_data_202223.csv", dtype=str, keep_default_na=False
    )
    main = main[main["geographic_level"] == "National"]
    column = {"fsm": "fsm", "sex": "sex", "sen": "sen"}[topic]
    rows = frame[
        (frame["geographic_level"] == "national")
        & (frame["period"] == period)
        & ((frame["topic"] == column) | (frame["group_label"] == "Unknown") & (topic == "sex"))
    ]
    for phase in ("Primary", "Secondary", "Special", "Total"):
        mine = rows[rows["phase"] == phase.lower()]
        theirs = main[main["school_type"] == phase].iloc[0]
        for count in ("possible_sessions", "overall_absence"):
            assert mine[count].sum() == float(theirs[count]), (topic, term, phase, count)


def test_autumn_primary_sessions_and_rate(data) -> None:
    frame = data.inyear_groups
    rows = frame[
        (frame["geographic_level"] == "national")
        & (frame["period"] == "Autumn term")
        & (frame["phase"] == "primary")
        & (frame["topic"] == "fsm")
    ]
    possible, missed = rows["possible_sessions"].sum(), rows["overall_absence"].sum()
    assert possible == 430_873_201
    assert percent(missed / possible * 100, 3) == "6.430%"


def test_england_autumn_persistent_absence_by_group(gaps) -> None:
    england = gaps[
        (gaps["code"] == ENGLAND)
        & (gaps["period"] == "Autumn term")
        & (gaps["phase"] == "total")
        & (gaps["indicator"] == PA)
    ].set_index("group")
    shown = {g: percent(v) for g, v in england["group_value"].items()}
    assert shown == {
        "eligible": "38.5%",
        "ehcp": "39.2%",
        "sen_support": "34.8%",
        "female": "24.8%",
    }
    compared = {g: percent(v) for g, v in england["comparison_value"].items()}
    assert (
        compared["eligible"] == "21.0%" and compared["ehcp"] == compared["sen_support"] == "22.9%"
    )
    assert england.loc["eligible", "gap"] == pytest.approx(38.46571172 - 21.03505849, abs=1e-9)
    assert set(england["group_method"]) == {"published-total"}


def test_la_groups_are_by_phase_and_not_combined(data, gaps) -> None:
    _, methods = group_rates(data.inyear_groups)
    for method in methods.values():
        assert (method.sessions, method.pupils) == ("none", "none")
        assert "the sessions ratio does not reproduce" in method.reason
        assert "no pupil counts" in method.pupils_reason
    la_totals = gaps[(gaps["geographic_level"] == "la") & (gaps["phase"] == "total")]
    assert set(la_totals["group_method"]) == {"none"} and la_totals["group_value"].isna().all()
    southampton = gaps[
        (gaps["code"] == "852")
        & (gaps["period"] == "Autumn term")
        & (gaps["phase"] == "primary")
        & (gaps["group"] == "eligible")
        & (gaps["indicator"] == OVERALL)
    ].iloc[0]
    # FSM eligible: 539,092 of Southampton's 1,687,555 primary sessions
    assert southampton["group_method"] == "counts" and southampton["gap_status"] == "ok"
    assert southampton["national_gap"] == pytest.approx(
        gaps[
            (gaps["code"] == ENGLAND)
            & (gaps["period"] == "Autumn term")
            & (gaps["phase"] == "primary")
            & (gaps["group"] == "eligible")
            & (gaps["indicator"] == OVERALL)
        ]["gap"].iloc[0]
    )


def test_suppressed_groups_stay_hidden_and_so_do_their_gaps(gaps) -> None:
    suppressed = gaps[gaps["group_status"] == "suppressed"]
    assert len(suppressed) > 50
    assert suppressed["group_value"].isna().all() and suppressed["gap"].isna().all()
    assert set(suppressed["gap_status"]) == {"suppressed"}
    hidden_comparison = gaps[gaps["comparison_status"] == "suppressed"]
    assert set(hidden_comparison["gap_status"]) == {"suppressed"}
    assert hidden_comparison["gap"].isna().all()


# ---- the "This year" pages, from the bundled data/ --------------------------------------------


@pytest.fixture(scope="module")
def site(bundled_site):
    return bundled_site


def test_england_page_shows_groups_with_gaps(site) -> None:
    report = inyear_national_report(site)
    persistent, overall = report.groups
    assert (
        persistent.caption
        == "Persistent absence by pupil group, England, state-funded schools, 2022/23"
    )
    html = table_html(persistent, "groups.csv")
    for shown in ("38.5%", "21.0%", "39.2%", "34.8%", "22.9%", "FSM not eligible", "No SEN"):
        assert shown in html
    rows = {(r["pupils"], r["term"]): r for r in persistent.rows}
    assert percent(rows[("FSM eligible", "Autumn term")]["gap"]) == "17.4%"
    assert "+17.4" in html  # a gap is shown in percentage points, signed
    assert any("2022/23, the latest year" in n for n in persistent.notes)
    assert any(n.startswith("[c]: DfE suppressed the figure") for n in persistent.notes)
    assert "Overall absence rate" in [c.label for c in overall.columns]
    assert report.groups_summary[0].startswith(
        "In the spring term of 2022/23, 34.4% of pupils eligible for free school meals in "
        "England's state-funded schools were persistently absent, against 16.8% of those not "
        "eligible"
    )
    csv = table_csv(persistent)
    assert "FSM eligible,Autumn term,38.46571172,FSM not eligible,21.03505849" in csv


def test_la_page_shows_groups_by_phase_and_says_why(site) -> None:
    report = inyear_la_report(site, "852")  # Southampton
    persistent, overall = report.groups
    assert persistent.caption == (
        "Persistent absence by pupil group, Southampton, state-funded schools, 2022/23, by phase"
    )
    first = persistent.rows[0]
    assert (first["pupils"], first["term"]) == ("FSM eligible, primary", "Autumn term")
    assert percent(first["rate"]) == "35.4%" and percent(first["england_gap"]) == "15.7%"
    assert not any(r["pupils"].endswith("all schools") for r in persistent.rows)
    why = next(n for n in overall.notes if "shown by phase" in n)
    assert "the sessions ratio does not reproduce the file's own published" in why
    why_pa = next(n for n in persistent.notes if "shown by phase" in n)
    assert "no pupil counts or total enrolments" in why_pa
    # a group DfE suppressed is [c], and so is its gap
    special = [
        r
        for r in persistent.rows
        if (r["pupils"], r["term"]) == ("SEN support, special", "Autumn term")
    ]
    assert special and all(r["rate__status"] == "suppressed" for r in special)
    assert all(r["gap__status"] == "suppressed" and math.isnan(r["gap"]) for r in special)
    assert "[c]" in table_html(persistent, "groups.csv")
    assert report.groups_summary[0].endswith(
        "21.6 percentage points higher (England's state-funded secondary schools: 21.3 "
        "percentage points higher)."
    )


def test_bad_characteristics_file_gives_one_line(folder: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    lines = (folder / "aut_fsm.csv").read_text(encoding="utf-8").splitlines()[:20]
    header = lines[0].split(",")
    cells = lines[6].split(",")
    cells[header.index("time_identifier")] = "Week 5"
    lines[6] = ",".join(cells)
    path = tmp_path / "aut_fsm.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "attendance_reports", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    column = header.index("time_identifier") + 1
    assert result.stderr.startswith(f"Error: {path}:7:{column}: time_identifier 'Week 5' is not")
    assert " — " in result.stderr
