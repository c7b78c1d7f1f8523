"""Pupil groups: the band file reproduces DfE's published national figures, LA group rates
equal hand sums of the file, spellings of groups are read alike, GRT is a ratio of sums, and
the small-number policy leaves nothing small or recoverable on a public page."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attendance_reports.disclosure import DEFAULT_THRESHOLD, PARTITIONS, suppress
from attendance_reports.formatting import round_half_up_array
from attendance_reports.group_labels import classify, describe
from attendance_reports.indicators.groups import gaps, group_rates
from attendance_reports.load import load

BANDS = "absence/absence_bands_la_characteristics_201617_202223.csv.gz"
NATCHAR = "absence/absence_natcharacteristics_201213_201617.csv"
FIXTURE = Path(__file__).parent / "fixtures" / "absence_characteristics_new_layout.csv"


@pytest.fixture(scope="module")
def band_path(shared_data) -> Path:
    return shared_data / BANDS


@pytest.fixture(scope="module")
def band_rates(band_path) -> pd.DataFrame:
    return group_rates(load([band_path]).groups)


def _rate(rates, level, code, year, topic, group, measure):
    row = rates[
        (rates["geographic_level"] == level)
        & (rates["code"] == code)
        & (rates["time_period"] == year)
        & (rates["topic"] == topic)
        & (rates["group"] == group)
        & (rates["measure"] == measure)
    ]
    assert len(row) == 1, (level, code, year, topic, group, measure)
    return row.iloc[0]


def _shown(value: float, places: int = 1) -> float:
    return float(round_half_up_array(np.array([value]), places)[0]) / 10**places


@pytest.mark.parametrize(
    ("year", "measure", "published"),
    [
        ("201617", "persistent_absence_rate", 10.8),
        ("201819", "persistent_absence_rate", 10.9),
        ("202021", "persistent_absence_rate", 12.1),
        ("202122", "persistent_absence_rate", 22.5),
        ("202223", "persistent_absence_rate", 21.2),
        ("202223", "severe_absence_rate", 2.0),
    ],
)
def test_band_file_reproduces_published_national_figures(
    band_rates, year, measure, published, record_property
):
    row = _rate(band_rates, "national", "E92000001", year, "all", "all", measure)
    assert _shown(row["value"]) == published
    record_property("figure", f"bands: England {measure} {year} = {published}% reproduced")


def test_band_file_england_2018_19_counts_equal_the_census(band_rates):
    row = _rate(
        band_rates, "national", "E92000001", "201819", "all", "all", "persistent_absence_rate"
    )
    assert (row["numerator"], row["denominator"]) == (771_863, 7_105_958)


def _hand(band_path: Path, la: str, year: str, column: str, value: str) -> tuple[int, int, int]:
    """Enrolments, persistent (10%+) and severe (50%+) absentees of one LA group, summed by
    hand from the file's band columns."""
    enrolments = persistent = severe = 0
    with gzip.open(band_path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (
                row["geographic_level"] == "Local authority"
                and row["old_la_code"] == la
                and row["time_period"] == year
                and row[column] == value
            ):
                bands = [int(row[c]) for c in list(row)[15:26]]
                enrolments += sum(bands)
                persistent += sum(bands[2:])
                severe += bands[-1]
    return enrolments, persistent, severe


@pytest.mark.parametrize(
    ("la", "year", "column", "value", "topic", "group"),
    [
        ("873", "202223", "fsm_eligible", "Eligible", "fsm", "eligible"),
        ("202", "201819", "sen_status", "Any special educational need", "sen", "any_sen"),
        ("380", "202122", "NCyearActual", "9", "year", "year_9"),
        ("420", "201617", "gender", "Female", "sex", "female"),
    ],
)
def test_la_group_rates_equal_hand_sums(
    band_path, band_rates, la, year, column, value, topic, group
):
    enrolments, persistent, severe = _hand(band_path, la, year, column, value)
    assert enrolments > 0
    pa = _rate(band_rates, "la", la, year, topic, group, "persistent_absence_rate")
    assert (pa["numerator"], pa["denominator"]) == (persistent, enrolments)
    assert pa["value"] == persistent / enrolments * 100
    sa = _rate(band_rates, "la", la, year, topic, group, "severe_absence_rate")
    assert (sa["numerator"], sa["denominator"]) == (severe, enrolments)


def test_cambridgeshire_fsm_gap_against_not_eligible_and_england(band_rates):
    table = gaps(band_rates)
    row = table[
        (table["code"] == "873")
        & (table["time_period"] == "202223")
        & (table["group"] == "eligible")
        & (table["measure"] == "persistent_absence_rate")
    ].iloc[0]
    assert (row["group_numerator"], row["group_denominator"]) == (6503, 17547)
    assert row["gap"] == row["group_value"] - row["comparison_value"]
    assert _shown(row["gap"]) == 24.1
    assert _shown(row["national_gap"]) == 20.9
    # 2020/21 is not compared with 2018/19 across the 2019/20 gap
    after_gap = table[
        (table["code"] == "873")
        & (table["time_period"] == "202021")
        & (table["group"] == "eligible")
        & (table["measure"] == "persistent_absence_rate")
    ].iloc[0]
    assert after_gap["gap_change_status"] == "no-previous-year"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FSM_eligible", ("fsm", "eligible")),
        ("FSM: FSM eligible", ("fsm", "eligible")),
        ("fsm_eligible Not Eligible", ("fsm", "not_eligible")),
        ("FSM_eligible_in_last_6_years", None),
        ("First_language_Known_or_believed_to_be_other_than_English", ("language", "eal")),
        ("First language: Known or believed to be other than English", ("language", "eal")),
        ("SEN_provision_Statement_or_EHCP", ("sen", "ehcp")),
        ("SEN provision: EHC plan", ("sen", "ehcp")),
        ("SEN_provision_With_statement", ("sen", "ehcp")),
        ("Ethnicity_Minor_Gypsy_Roma", ("ethnicity", "gypsy_roma")),
        ("Ethnicity minor: Gypsy / Roma", ("ethnicity", "gypsy_roma")),
        ("Ethnicity minor: Gypsy/Roma", ("ethnicity", "gypsy_roma")),
        ("Gypsy, Roma", ("ethnicity", "gypsy_roma")),
        ("Traveller of Irish heritage", ("ethnicity", "traveller_irish")),
        ("Ethnicity_Major_White", None),
        ("NC_Year_12_and_above", None),
        ("gender Male", ("sex", "male")),
    ],
)
def test_group_labels_tolerate_dfe_spellings(text, expected):
    assert classify(text) == expected


def test_grt_is_a_ratio_of_sums(shared_data):
    groups = load([shared_data / NATCHAR]).groups
    rows = groups[(groups["time_period"] == "201617") & (groups["topic"] == "ethnicity")]
    parts = rows[rows["group"].isin(["gypsy_roma", "traveller_irish"])]
    grt = rows[rows["group"] == "grt"].iloc[0]
    for column in ("enrolments", "persistent", "sess_possible", "sess_overall"):
        assert grt[column] == parts[column].sum()
    rates = group_rates(groups)
    value = _rate(
        rates, "national", "E92000001", "201617", "ethnicity", "grt", "overall_absence_rate"
    )
    assert value["value"] == grt["sess_overall"] / grt["sess_possible"] * 100
    # published parts, as in the 2016/17 release
    gr = _rate(
        rates, "national", "E92000001", "201617", "ethnicity", "gypsy_roma", "overall_absence_rate"
    )
    assert _shown(gr["value"]) == 12.9
    assert _shown(value["value"]) == 13.8  # combined: between 12.9 and 18.1, weighted by sessions


def test_new_layout_characteristics_fixture():
    """breakdown_topic / breakdown (newer EES layout): the same groups, the same gaps. The
    fixture holds the real 2016/17 England rows of the characteristics file, written in the
    newer layout's columns and spellings ('FSM' / 'FSM eligible', 'Ethnicity minor' /
    'Gypsy / Roma', 'NC year' / 'Year 7'); it has no severe-absence columns."""
    groups = load([FIXTURE]).groups
    assert {("fsm", "eligible"), ("fsm", "not_eligible"), ("ethnicity", "grt")} <= set(
        zip(groups["topic"], groups["group"], strict=True)
    )
    table = gaps(group_rates(groups))
    fsm = table[
        (table["group"] == "eligible") & (table["measure"] == "persistent_absence_rate")
    ].iloc[0]
    assert _shown(fsm["group_value"]) == 22.6  # the 2016/17 published FSM figure
    severe = table[(table["group"] == "eligible") & (table["measure"] == "severe_absence_rate")]
    assert severe.iloc[0]["group_status"] == "not-published"
    year7 = table[(table["group"] == "year_7") & (table["measure"] == "overall_absence_rate")]
    assert len(year7) == 1 and year7.iloc[0]["comparison_status"] == "ok"


# ---- small-number policy -------------------------------------------------------------------


@pytest.fixture(scope="module")
def suppressed(band_rates) -> pd.DataFrame:
    return suppress(band_rates, DEFAULT_THRESHOLD)


def test_tiny_las_have_their_small_groups_suppressed(suppressed, record_property):
    for la in ("201", "420"):  # City of London, Isles of Scilly
        rows = suppressed[(suppressed["code"] == la) & (suppressed["topic"] != "all")]
        assert (rows["status"] == "suppressed").sum() > 0
        shown = rows[rows["status"] == "ok"]
        assert not ((shown["denominator"] < DEFAULT_THRESHOLD).any())
        pupils = shown[shown["measure"] != "overall_absence_rate"]
        assert not ((pupils["numerator"] > 0) & (pupils["numerator"] < DEFAULT_THRESHOLD)).any()
    local = suppressed[suppressed["geographic_level"] != "national"]
    count = int((local["status"] == "suppressed").sum())
    record_property(
        "figure", f"groups: {count:,} LA/region group rates suppressed of {len(local):,}"
    )


def test_no_visible_figure_is_small(suppressed):
    shown = suppressed[
        (suppressed["status"] == "ok")
        & (suppressed["geographic_level"] != "national")
        & (suppressed["topic"] != "all")
    ]
    assert not (shown["denominator"] < DEFAULT_THRESHOLD).any()
    assert not ((shown["numerator"] > 0) & (shown["numerator"] < DEFAULT_THRESHOLD)).any()


def test_no_hidden_figure_is_recoverable_by_subtraction(band_rates, suppressed):
    """In every set of groups that adds up to all pupils, a measure is hidden for no group or
    for at least two present groups, so total minus the visible parts never gives one."""
    frame = suppressed[suppressed["geographic_level"] != "national"]
    keys = ["time_period", "geographic_level", "code", "topic", "measure"]
    totals = frame[frame["topic"] == "all"].set_index(["time_period", "code", "measure"])["status"]
    checked = 0
    for (year, _, code, topic, measure), rows in frame.groupby(keys, sort=False):
        if totals.get((year, code, measure)) == "suppressed":
            continue  # the total itself is not shown (Dorset 838's 5 rows of 2018/19)
        for partition in PARTITIONS.get(topic, ()):
            present = rows[rows["group"].isin(partition)]
            if partition[0] in ("any_sen", "grt") and len(present) < 2:
                continue  # a sum with no parts present: nothing to subtract
            hidden = int((present["status"] == "suppressed").sum())
            assert hidden != 1, present[["code", "group", "status"]].to_string()
            checked += 1
    assert checked > 5_000


def test_suppressed_rates_make_their_gaps_suppressed(suppressed):
    table = gaps(suppressed)
    hidden = table[
        (table["group_status"] == "suppressed") | (table["comparison_status"] == "suppressed")
    ]
    assert len(hidden) > 0
    assert (hidden["gap_status"] == "suppressed").all()
    assert hidden["gap"].isna().all()
    after = table[table["gap_status"] == "suppressed"]
    assert (after["gap_change_status"] == "suppressed").all()


def test_threshold_is_configurable(band_rates):
    strict = suppress(band_rates, 50)
    default = suppress(band_rates, DEFAULT_THRESHOLD)
    assert (strict["status"] == "suppressed").sum() > (default["status"] == "suppressed").sum()
    assert describe("fsm", "eligible") == "pupils eligible for free school meals"


# ---- bad band files ------------------------------------------------------------------------


def _band_slice(repo: Path, rows: int = 30) -> list[str]:
    """The header and the first real rows of the bundled band file."""
    path = repo / "data" / "absence_bands_la_characteristics_201617_202223.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [next(handle).rstrip("\n") for _ in range(rows + 1)]


@pytest.mark.parametrize(
    ("line", "column", "value", "message"),
    [
        (5, "pct15_OARate", "lots", "'lots' in pct15_OARate is not a number"),
        (9, "pct50plus_OARate", "-3", "pct50plus_OARate is not a whole number of enrolments"),
        (12, "time_period", "2018", "time_period '2018' is not six digits"),
        (20, "geographic_level", "Ward", "geographic_level 'Ward' is not National"),
    ],
)
def test_bad_band_file_gives_one_line_and_exit_2(repo, tmp_path, line, column, value, message):
    import subprocess
    import sys

    lines = _band_slice(repo)
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path = tmp_path / "bands.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "attendance_reports", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 2, run.stderr
    error = run.stderr.strip().splitlines()
    assert len(error) == 1 and "Traceback" not in run.stderr
    assert f"{path}:{line}:{header.index(column) + 1}: {message}" in error[0]
