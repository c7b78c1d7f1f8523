"""The school reference source (sources/schools.py) on the real files in
../shared/data/reference/schools: recognised by their columns, read (only the columns needed,
the GIAS links file as Windows-1252), facts kept with the date they are as at, and bad input
refused in one line with the file, line and column."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from attendance_reports.errors import DataError
from attendance_reports.sources import schools
from attendance_reports.sources.read import RawTable, read_header
from tests.conftest import need_shared

SPC = "reference/schools/spc_school_level_202223.csv.gz"
GIAS = "reference/schools/gias_establishments_20220706.csv"
LINKS = "reference/schools/links_edubasealldata20250422.csv"
FIXTURE = Path(__file__).parent / "fixtures" / "absence_school_new_layout.csv"


def _read(path: Path) -> pd.DataFrame:
    header = RawTable(str(path), pd.DataFrame(columns=read_header(path)), {})
    recognised = schools.recognise(header)
    assert recognised is not None, path
    table = schools.read_file(path, recognised)
    frame, findings = schools.read(table, recognised)
    assert findings == []
    return frame


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {name: _read(need_shared(name)) for name in (SPC, GIAS, LINKS)}


@pytest.fixture(scope="module")
def directory(frames) -> schools.SchoolDirectory:
    return schools.combine(list(frames.values()))


def test_each_file_is_recognised_by_its_columns_and_read_whole(frames):
    assert frames[SPC]["kind"].iloc[0] == "school-census"
    assert frames[GIAS]["kind"].iloc[0] == "gias-establishments"
    assert frames[LINKS]["kind"].iloc[0] == "gias-links"
    assert [len(frames[n]) for n in (SPC, GIAS, LINKS)] == [24_442, 49_514, 33_801]
    assert frames[SPC]["trust"].replace("", pd.NA).dropna().nunique() == 2_561


def test_only_the_columns_needed_are_read_from_the_wide_census_table():
    path = need_shared(SPC)
    header = RawTable(str(path), pd.DataFrame(columns=read_header(path)), {})
    recognised = schools.recognise(header)
    table = schools.read_file(path, recognised)
    assert len(table.file_columns) == 268
    assert len(table.frame.columns) == len(schools.columns_of(recognised)) < 20
    # an error still names the column's position in the file
    assert table.column("trust") == table.file_columns.index("trust") + 1


def test_facts_keep_the_date_they_are_as_at(directory):
    name, origin = directory.get("110630", "name")
    assert name == "Townley Primary School"
    assert origin.as_at == "January 2023"
    town, origin = directory.get("110630", "town")
    assert town == "Wisbech"
    assert origin.as_at == "6 July 2022"
    assert directory.get("110630", "district")[0] == "Fenland"
    assert directory.get("110630", "laestab")[0] == "8732064"
    assert directory.get("110630", "fsm_percent")[0] == pytest.approx(21.6)


def test_the_links_file_is_windows_1252(frames):
    links = frames[LINKS]
    assert len(links[links["urn"] == "145731"]) >= 1
    # every name decodes to text; a UTF-8 read of these bytes would stop at the first accent
    raw = need_shared(LINKS).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert set(links["link_type"]) >= {"Successor", "Predecessor", "Predecessor - merged"}


def test_every_2018_19_urn_has_a_name(directory, absence_path):
    absence = pd.read_csv(
        absence_path, dtype=str, usecols=["time_period", "geographic_level", "urn"]
    )
    urns = absence[(absence["geographic_level"] == "School") & (absence["time_period"] == "201819")]
    names = directory.facts["name"].reindex(urns["urn"]).fillna("")
    assert (names != "").all()
    assert len(names) == 21_214


def test_the_modern_layout_carries_its_own_school_names():
    """A newer EES school file (school_urn, school_laestab, school_name, education_phase):
    names come from it first, as at its year."""
    from attendance_reports.model.site_data import build_site_data
    from attendance_reports.sources.load import load

    site = build_site_data(load([FIXTURE]))
    info = site.schools.info
    assert info.at["110630", "name"] == "Townley Primary School"
    assert info.at["110630", "name_as_at"] == "201819"
    assert site.schools.label("110630") == "Townley Primary School (URN 110630)"


def _cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "attendance_reports", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("case", "where", "keyword"),
    [
        ("bad-urn", "links_edubasealldata20250422.csv:3:1", "URN '10O012'"),
        ("bad-date", "gias_establishments_20220706.csv:3:6", "'31/02/99'"),
        ("two-years", "spc_school_level_202223.csv.gz:3:1", "not one census year"),
        ("not-cp1252", "links_edubasealldata20250422.csv:2:", "not UTF-8 or cp1252"),
    ],
)
def test_bad_reference_files_give_one_line_and_exit_2(tmp_path, case, where, keyword):
    if case == "bad-urn":
        lines = need_shared(LINKS).read_bytes().split(b"\n")[:5]
        lines[2] = lines[2].replace(b"100012", b"10O012", 1)
        path = tmp_path / "links_edubasealldata20250422.csv"
        path.write_bytes(b"\n".join(lines))
    elif case == "bad-date":
        lines = need_shared(GIAS).read_text(encoding="utf-8").split("\n")[:5]
        cells = lines[2].split(",")
        cells[5] = "31/02/99"
        lines[2] = ",".join(cells)
        path = tmp_path / "gias_establishments_20220706.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif case == "two-years":
        with gzip.open(need_shared(SPC), "rt", encoding="utf-8") as handle:
            lines = [handle.readline() for _ in range(4)]
        lines[2] = lines[2].replace("202223", "202122", 1)
        path = tmp_path / "spc_school_level_202223.csv.gz"
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write("".join(lines))
    else:
        path = tmp_path / "links_edubasealldata20250422.csv"
        path.write_bytes(b'"URN","LinkURN","LinkName","LinkType","LinkEstablishedDate"\n1,\x81\n')
    result = _cli(["validate", str(path)], tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path.parent}/{where}"), lines[0]
    assert keyword in lines[0], lines[0]
    assert " — " in lines[0]


def test_recognise_never_raises_and_ignores_other_files():
    assert schools.recognise(RawTable("x", pd.DataFrame(columns=["a", "b"]), {})) is None
    absence = ["time_period", "time_identifier", "school_urn", "school_name", "sess_possible"]
    assert schools.recognise(RawTable("x", pd.DataFrame(columns=absence), {})) is None


def test_a_date_that_is_not_a_date_is_refused(tmp_path):
    path = tmp_path / "gias_establishments_20220706.csv"
    path.write_text(
        "urn,name,town,postcode,lead_school,open_date,close_date\n"
        "100000,A School,Town,AB1 2CD,false,13-13-2020,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r":2:6: open_date '13-13-2020' is not a date"):
        _read(path)
