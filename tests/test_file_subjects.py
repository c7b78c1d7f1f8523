"""The 2016/17 subjects read on their own (issue #14): enrolments by one-point absence-rate
band and enrolments missing at least one session by reason, on the real files: read, checked
by hand against the file, persistent absence summed from the bands against England's published
10.8 %, the CLI's rows, a small site's pages, and a bad count in one line."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_check import build_alone, page_text

from attendance_reports.cli import main
from attendance_reports.errors import DataError
from attendance_reports.indicators.missed_by_reason import reason_rows
from attendance_reports.indicators.rate_bands import band_rows
from attendance_reports.render.formatting import round_half_up
from attendance_reports.sources.load import load
from tests.conftest import need_shared

REPO = Path(__file__).resolve().parents[1]
BANDS = "absence/ees_2016-17/absence_rate_percent_bands.zip"
MISSED = "absence/ees_2016-17/absence_number_missing_at_least_one_session_by_reason.zip"


@pytest.fixture(scope="module")
def dataset():
    return load([need_shared(BANDS), need_shared(MISSED)])


def _one(frame, **where):
    for column, value in where.items():
        frame = frame[(frame[column].astype(str) == value).to_numpy()]
    assert len(frame) == 1, where
    return frame.iloc[0]


def test_both_files_are_read_with_their_pupils_and_period(dataset) -> None:
    kinds = {Path(r.name.split("!")[0]).name: r for r in dataset.files}
    assert kinds["absence_rate_percent_bands.zip"].kind == "absence-rate-bands"
    assert kinds["absence_rate_percent_bands.zip"].rows == 2040
    missed = kinds["absence_number_missing_at_least_one_session_by_reason.zip"]
    assert (missed.kind, missed.rows) == ("sessions-missed-by-reason", 109_104)
    assert {r.population for r in kinds.values()} == {"state-funded"}
    assert {r.period_type for r in kinds.values()} == {"full-year"}
    assert not any(r.skipped for r in dataset.files)  # the .meta.csv is no file of its own
    assert len(dataset.rate_bands) == 2040 and len(dataset.missed_by_reason) == 109_104


def test_figures_checked_by_hand_against_the_files(dataset) -> None:
    # absence_rate_percent_bands.csv line 14: 201617, Total, 10.00 - 10.99, 134190, 1.9, ...
    band = _one(dataset.rate_bands, time_period="201617", phase="total", band="10.00 - 10.99")
    assert band["enrolments_overall"] == 134_190 and band["enrolments_overall_percent"] == 1.9
    assert (band["band_from"], band["band_to"]) == (10.0, 10.99)
    # Camden (202), Total, 2016/17: enrolments 18412, enrol_auth_illness 15309, holiday x
    camden = _one(
        dataset.missed_by_reason,
        time_period="201617",
        geographic_level="la",
        code="202",
        phase="total",
    )
    assert camden["enrolments"] == 18_412 and camden["enrol_auth_illness"] == 15_309
    city = _one(
        dataset.missed_by_reason,
        time_period="201617",
        geographic_level="la",
        code="201",
        phase="total",
    )
    assert city["enrol_auth_holiday__status"] == "not-available"  # 'x', never 0
    assert city["enrol_auth_ext_holiday__status"] == "not-applicable"  # '.'
    rows = reason_rows(dataset.missed_by_reason[dataset.missed_by_reason["code"] == "202"])
    rate = _one(
        rows,
        time_period="201617",
        phase="total",
        breakdown="reason/illness",
        indicator="enrolments_missing_a_session_rate",
    )
    assert rate["value"] == pytest.approx(15_309 / 18_412 * 100)
    assert not rate["published"] and "enrol_auth_illness / enrolments" in rate["method"]


def test_persistent_absence_summed_from_the_bands_is_englands_published_figure(dataset) -> None:
    """Persistent absence: an overall absence rate of 10 % or more, i.e. the bands from
    '10.00 - 10.99' up ('9.00 - 9.99' holds rates below 10 %). England 2016/17 publishes
    10.8 % (all), 8.3 % (primary), 13.5 % (secondary), 28.5 % (special) in the census file
    (enrolments_pa_10_exact_percent); the bands give 744,270 of 6,899,770 enrolments against
    the census's 744,276 of 6,899,769 (band counts are rounded to 5)."""
    rows = band_rows(dataset.rate_bands)
    rows = rows[(rows["indicator"] == "persistent_absence_rate_from_bands").to_numpy()]
    published = {"total": 10.8, "primary": 8.3, "secondary": 13.5, "special": 28.5}
    for phase, figure in published.items():
        row = _one(rows, time_period="201617", phase=phase)
        assert str(round_half_up(row["value"], 1)) == str(figure), phase
        assert not row["published"]
    total = _one(rows, time_period="201617", phase="total")
    assert (total["numerator"], total["denominator"]) == (744_270, 6_899_770)
    nine = dataset.rate_bands[dataset.rate_bands["band"] == "9.00 - 9.99"]
    assert (nine["band_from"] < 10).all()


def test_the_cli_writes_the_rows_in_the_one_layout() -> None:
    result = CliRunner().invoke(
        main,
        [
            "indicators",
            str(need_shared(BANDS)),
            str(need_shared(MISSED)),
            "--year",
            "2016/17",
            "--phase",
            "total",
            "--la",
            "202",
            "--indicator",
            "enrolments_missing_a_session_rate",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "time_period,time_identifier,geographic_level,code,name,phase,breakdown,indicator,"
        "value,numerator,denominator,status,method,published"
    )
    illness = next(line for line in lines if "reason/illness" in line)
    assert illness.startswith("201617,Academic year,la,202,Camden,total,reason/illness,")
    assert illness.endswith(",15309.0,18412.0,ok,enrol_auth_illness / enrolments x 100,False")
    result = CliRunner().invoke(
        main,
        [
            "indicators",
            str(need_shared(BANDS)),
            "--year",
            "2016/17",
            "--phase",
            "total",
            "--indicator",
            "persistent_absence_rate_from_bands",
            "--indicator",
            "overall_band_share",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "total,band/10.00-10.99,overall_band_share,1.9,134190.0,6899770.0,ok,published,True" in (
        result.output
    )
    assert ",total,total,persistent_absence_rate_from_bands,10.78688" in result.output


def test_a_small_site_shows_both_sections(tmp_path: Path) -> None:
    config = tmp_path / "site.yml"
    config.write_text("title: Subjects\nengine: pandoc\nschools: false\n")
    out = tmp_path / "site"
    paths = [REPO / "data", need_shared(BANDS), need_shared(MISSED)]
    code, output = build_alone(paths, out, config, ("202",))
    assert code == 0, output
    camden = page_text(out / "la" / "202.html")
    assert (
        "In 2016/17, 94.7% of enrolments in Camden's state-funded primary, secondary and "
        "special schools missed at least one session over the full academic year, compared with 91.7% "
        "in London and 91.8% across England." in camden
    )
    assert (
        "Enrolments missing at least one session, by reason, as a percentage of enrolments: "
        "state-funded primary, secondary and special schools, 2016/17, full academic year" in camden
    )
    assert re.search(
        r"Illness \(not medical or dental appointments\) 15,309 83\.1% 78\.6% 80\.5%", camden
    )
    assert (
        "Extended authorised holiday" not in camden.split("by reason")[-1].split("Statistical")[0]
    )
    england = page_text(out / "national.html")
    assert (
        "In 2016/17, 10.8% of enrolments in England's state-funded primary, secondary and "
        "special schools had an overall absence rate of 10% or more (persistent absence), "
        "summed from the one-point bands (state-funded primary 8.3%, state-funded secondary "
        "13.5%, special 28.5%)." in england
    )
    assert "10.00 - 10.99 134,190 1.9%" in england
    assert "Enrolments missing at least one session, by reason" in england


def _zip_with(tmp_path: Path, relative: str, edit) -> Path:
    """A copy of a shared zip with its data CSV edited."""
    source = need_shared(relative)
    out = tmp_path / Path(relative).name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if not name.endswith(".meta.csv"):
                data = edit(data)
            zout.writestr(name, data)
    return out


def test_a_negative_count_stops_in_one_line(tmp_path: Path) -> None:
    def negative(data: bytes) -> bytes:
        return data.replace(b",Total,0,566965,", b",Total,0,-566965,", 1)

    path = _zip_with(tmp_path, BANDS, negative)
    with pytest.raises(DataError) as raised:
        load([path])
    message = str(raised.value)
    assert "absence_rate_percent_bands.csv:3:8: enrolments_overall is negative (-566965)" in message
    assert "\n" not in message
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and result.output.startswith("Error: ")


def test_more_enrolments_missing_a_session_than_enrolments_is_refused(tmp_path: Path) -> None:
    def too_many(data: bytes) -> bytes:
        text = io.BytesIO(data).read()
        return text.replace(b",Total,6899770,6332800,", b",Total,6899770,7332800,", 1)

    path = _zip_with(tmp_path, MISSED, too_many)
    with pytest.raises(
        DataError, match=r":2:16: enrol_overall \(7332800\) is more than enrolments"
    ):
        load([path])
