"""Both vintages of EES absence files, the characteristics file, and .zip with .meta.csv."""

from __future__ import annotations

import gzip
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

from attendance_reports.indicators.compute import compute
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.render.formatting import round_half_up_array
from attendance_reports.sources.load import load

FIXTURE = Path(__file__).parent / "fixtures" / "absence_2term_new_layout.csv"


def test_new_layout_two_term_file():
    """education_phase, breakdown_topic/breakdown, _pa_50_exact columns, BOM, CRLF."""
    assert FIXTURE.read_bytes().startswith(b"\xef\xbb\xbf")
    frame = load([FIXTURE]).absence
    assert set(frame["period"].astype(str)) == {"autumn-spring"}
    assert set(frame["phase"].astype(str)) == {"total", "primary", "secondary", "special"}
    assert "Primary" in set(frame["phase_label"].astype(str))  # the file's label kept
    assert set(frame["breakdown"].astype(str)) == {"total", "fsm_fsm_eligible"}
    la = frame[
        (frame["code"] == "873")
        & (frame["phase"] == "total")
        & (frame["breakdown"] == "total")
        & (frame["time_period"] == "202223")
    ]
    severe = compute(la, REGISTRY["severe_absence_rate"])
    assert severe.numerator[0] == la["enrolments_pa_50_exact"].iloc[0]
    assert severe.value[0] == la["enrolments_pa_50_exact"].iloc[0] / la["enrolments"].iloc[0] * 100
    # the file's own published percentages agree with the counts
    published = la["enrolments_pa_50_exact_percent"].to_numpy()
    assert round_half_up_array(severe.value, 5)[0] == round_half_up_array(published, 5)[0]
    excluded = compute(la, REGISTRY["overall_absence_rate_excluding_severe"])
    assert (
        excluded.denominator[0]
        == la["sess_possible"].iloc[0] - la["sess_possible_pa_50_exact"].iloc[0]
    )


def test_national_characteristics_file(shared_data):
    """Old vintage with `level` and `characteristic_breakdown`; FSM and GRT as published."""
    frame = load([shared_data / "absence" / "absence_natcharacteristics_201213_201617.csv"]).absence
    assert len(frame) == 1309
    rows = frame[(frame["time_period"] == "201617") & (frame["phase"] == "total")]

    def rate(breakdown: str, indicator: str) -> int:
        row = rows[rows["breakdown"] == breakdown]
        return int(round_half_up_array(compute(row, REGISTRY[indicator]).value, 1)[0])

    assert rate("fsm_eligible", "overall_absence_rate") == 73  # 7.3 %
    assert rate("fsm_eligible", "persistent_absence_rate") == 226
    assert rate("ethnicity_minor_gypsy_roma", "overall_absence_rate") == 129
    assert rate("ethnicity_minor_traveller_of_irish_heritage", "overall_absence_rate") == 181
    # the `x` cells of the 2013/14 primary NC year 10 row stay missing, with their reason
    x_row = frame[
        (frame["time_period"] == "201314")
        & (frame["phase"] == "primary")
        & (frame["breakdown"] == "nc_year_10")
    ]
    assert np.isnan(compute(x_row, REGISTRY["overall_absence_rate"]).value[0])


def test_ees_zip_with_meta(repo, tmp_path):
    source = repo / "data" / "absence_2006-07_to_2018-19_extract.csv.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()[:60]
    meta = "col_name,col_type,label,indicator_grouping,indicator_unit,filter_hint,filter_grouping_column\n"
    meta += "sess_overall,Indicator,Number of overall absence sessions,,,,\n"
    path = tmp_path / "absence_release.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/absence.csv", "\r\n".join(lines) + "\r\n")
        archive.writestr("data/absence.meta.csv", meta)
    dataset = load([path])
    assert len(dataset.absence) == 59
    assert dataset.files[0].name.endswith("absence_release.zip!data/absence.csv")


def test_sample_data_is_made_by_the_script(repo, shared_data, tmp_path):
    out = tmp_path / "data"
    subprocess.run(
        [
            sys.executable,
            str(repo / "scripts" / "make_sample_data.py"),
            "--shared",
            str(shared_data),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    made = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    kept = {
        p.relative_to(repo / "data").as_posix(): p.read_bytes()
        for p in (repo / "data").rglob("*")
        if p.is_file()
    }
    assert made == kept
    assert sum(len(b) for b in kept.values()) < 10 * 2**20


def test_a_whole_dfe_folder(shared_data):
    """Files of other subjects in a folder are skipped with a reason, never an error; files
    with usable figures are read with the pupils they cover (issue 14, items 3 and 7)."""
    dataset = load([shared_data / "absence", shared_data / "lait"])
    read = {Path(r.name.split("!")[0]).name: r for r in dataset.files if not r.skipped}
    assert sorted(read) == [
        "Absence_3term201819_nat_reg_la_sch.csv.gz",
        "absence_bands_la_characteristics_201617_202223.csv.gz",
        "absence_cin_cla_la_201819_202425.csv",
        "absence_for_four_year_olds.zip",
        "absence_number_missing_at_least_one_session_by_reason.zip",
        "absence_rate_percent_bands.zip",
        "lait_absence_measures_long.csv",
    ]
    assert read["absence_for_four_year_olds.zip"].population == "four-year-olds"
    assert read["Absence_3term201819_nat_reg_la_sch.csv.gz"].population == "state-funded"
    assert read["absence_cin_cla_la_201819_202425.csv"].population == "children-in-need"
    skipped = {Path(r.name.split("!")[0]).name: r.skipped for r in dataset.files if r.skipped}
    assert "named" in skipped["absence_natcharacteristics_201213_201617.csv"]
    assert read["absence_rate_percent_bands.zip"].kind == "absence-rate-bands"
    populations = dataset.absence["population"].astype("string").value_counts().to_dict()
    assert populations == {"state-funded": 285_263, "four-year-olds": 84_365}
