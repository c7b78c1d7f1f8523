"""Malformed input: every bad file gives exit 2, one clear line on stderr, and nothing written.

Each malformed file is built in ``tmp_path`` from a small slice of the REAL DfE file (the header
plus 40 rows of 2018/19: England, the East of England, Cambridgeshire 873 and Bristol 801 LA
rows, and 24 Cambridgeshire schools), then mutated in one known place. The command is run as a
user runs it (``python -m attendance_reports validate FILE``) and the message must name the
exact line and column of the mutation:

    Error: FILE:LINE:COLUMN: what is wrong — what to do
"""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

#: 1-based line numbers of the rows in the base slice (line 1 is the header)
NATIONAL = (2, 3, 4, 5)
REGIONAL = (6, 7, 8, 9)
CAMBRIDGESHIRE = (10, 11, 12, 13)  # Total, primary, secondary, special
BRISTOL = (14, 15, 16, 17)
SCHOOLS = tuple(range(18, 42))  # 24 Cambridgeshire schools
LAST_LINE = 41


# ---- the real base slice ------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """The header and 40 real rows, as text lines without their line endings."""

    header: list[str]
    rows: list[str]

    @property
    def lines(self) -> list[str]:
        return [",".join(self.header), *self.rows]

    def column(self, name: str) -> int:
        """1-based position of a column."""
        return self.header.index(name) + 1

    def cells(self, line: int) -> list[str]:
        return self.lines[line - 1].split(",")

    def cell(self, line: int, name: str) -> str:
        return self.cells(line)[self.column(name) - 1]

    def with_cell(self, line: int, name: str, value: str) -> list[str]:
        """All lines, with one cell replaced (the base has no quoted cells)."""
        lines = self.lines
        cells = lines[line - 1].split(",")
        cells[self.column(name) - 1] = value
        lines[line - 1] = ",".join(cells)
        return lines


@pytest.fixture(scope="session")
def base(absence_path: Path) -> Base:
    """Header + 40 real 2018/19 rows of the full EES file, in the file's own order."""
    return read_base(absence_path)


def read_base(absence_path: Path) -> Base:
    """The base slice (the fixture ``base``; other test modules read it with this)."""
    header: list[str] = []
    rows: list[str] = []
    schools = 0
    with gzip.open(absence_path, "rt", encoding="utf-8", newline="") as handle:
        header = handle.readline().rstrip("\n").split(",")
        for raw in handle:
            cells = raw.split(",", 10)
            if cells[2] != "201819":
                continue
            level, region, la = cells[3], cells[6], cells[8]
            if (
                level == "National"
                or (level == "Regional" and region == "E12000006")
                or (level == "Local authority" and la in ("873", "801"))
            ):
                rows.append(raw.rstrip("\n"))
            elif level == "School" and la == "873" and schools < len(SCHOOLS):
                rows.append(raw.rstrip("\n"))
                schools += 1
    result = Base(header, rows)
    # the line-number constants above describe this slice: check them once
    assert len(rows) == LAST_LINE - 1
    assert [result.cell(n, "geographic_level") for n in (*NATIONAL, *REGIONAL)] == (
        ["National"] * 4 + ["Regional"] * 4
    )
    assert {result.cell(n, "old_la_code") for n in CAMBRIDGESHIRE} == {"873"}
    assert result.cell(CAMBRIDGESHIRE[0], "school_type") == "Total"
    assert {result.cell(n, "old_la_code") for n in BRISTOL} == {"801"}
    assert {result.cell(n, "geographic_level") for n in SCHOOLS} == {"School"}
    return result


def text(lines: list[str], *, final_newline: bool = True) -> bytes:
    return ("\n".join(lines) + ("\n" if final_newline else "")).encode("utf-8")


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset, as an editor shows it."""
    return data.count(b"\n", 0, offset) + 1


# ---- running the tool as a user does -------------------------------------------------------


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "attendance_reports", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def assert_one_clean_line(
    result: subprocess.CompletedProcess[str], where: str, keyword: str
) -> str:
    """Exit 2, nothing on stdout, exactly one 'Error: FILE:LINE:COLUMN: problem — hint' line."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stderr.endswith("\n")
    line = lines[0]
    assert line.startswith("Error: "), line
    assert line.startswith(f"Error: {where} "), f"expected location {where!r} in: {line}"
    message = line.removeprefix(f"Error: {where} ")  # the keyword must not match the path
    assert " — " in message, line
    problem, hint = message.split(" — ", 1)
    assert problem.strip() and hint.strip(), line
    assert keyword.lower() in message.lower(), f"expected {keyword!r} in: {line}"
    return line


# ---- the corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """A malformed input: the paths to pass and the location the message must start with."""

    paths: list[Path]
    where: str  # "FILE:LINE:COLUMN:"


@dataclass(frozen=True)
class Case:
    id: str
    keyword: str
    build: Callable[[Base, Path], Built]


def _write(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def empty_file(base: Base, d: Path) -> Built:
    path = _write(d, "empty.csv", b"")
    return Built([path], f"{path}:1:1:")


def header_only(base: Base, d: Path) -> Built:
    path = _write(d, "header_only.csv", text(base.lines[:1]))
    return Built([path], f"{path}:2:1:")


def _without(base: Base, column: str) -> list[str]:
    index = base.column(column) - 1
    out = []
    for line in base.lines:
        cells = line.split(",")
        del cells[index]
        out.append(",".join(cells))
    return out


def missing_sess_possible(base: Base, d: Path) -> Built:
    path = _write(d, "dropped_column.csv", text(_without(base, "sess_possible")))
    return Built([path], f"{path}:1:1:")


def missing_sess_overall(base: Base, d: Path) -> Built:
    path = _write(d, "dropped_column.csv", text(_without(base, "sess_overall")))
    return Built([path], f"{path}:1:1:")


def non_numeric_count(base: Base, d: Path) -> Built:
    line = CAMBRIDGESHIRE[1]
    path = _write(d, "abc.csv", text(base.with_cell(line, "enrolments", "abc")))
    return Built([path], f"{path}:{line}:{base.column('enrolments')}:")


def truncated_last_row(base: Base, d: Path) -> Built:
    lines = base.lines
    cut = lines[-1][: len(lines[-1]) // 2]
    lines[-1] = cut
    path = _write(d, "truncated.csv", text(lines, final_newline=False))
    # the row keeps cut.count(",") + 1 cells; the first missing cell is the next column
    return Built([path], f"{path}:{LAST_LINE}:{cut.count(',') + 2}:")


def short_row_mid_file(base: Base, d: Path) -> Built:
    """A row cut to its first 6 cells in the middle of the file (its text also starts line 18)."""
    lines = base.lines
    line = SCHOOLS[13]
    lines[line - 1] = ",".join(lines[line - 1].split(",")[:6])
    path = _write(d, "short_row.csv", text(lines))
    return Built([path], f"{path}:{line}:7:")


def _unclosed_quote(base: Base, repeat: int) -> tuple[list[str], int]:
    line = SCHOOLS[13]
    lines = base.with_cell(line, "la_name", '"Cambridgeshire')  # the quote is never closed
    return lines + base.rows * repeat, line


def unclosed_quote(base: Base, d: Path) -> Built:
    lines, line = _unclosed_quote(base, 0)
    path = _write(d, "unclosed_quote.csv", text(lines))
    return Built([path], f"{path}:{line}:{base.column('la_name')}:")


def unclosed_quote_large(base: Base, d: Path) -> Built:
    """The same, with the open cell running over two of the parser's 1 MB blocks (2.7 MB)."""
    lines, line = _unclosed_quote(base, 200)
    path = _write(d, "unclosed_quote_large.csv", text(lines))
    assert path.stat().st_size > 2 << 20
    return Built([path], f"{path}:{line}:{base.column('la_name')}:")


def quoted_newline_then_bad_count(base: Base, d: Path) -> Built:
    """A quoted cell holding a line break shifts every later row down by one physical line."""
    lines = base.with_cell(BRISTOL[0], "la_name", '"Bristol\nCity of"')
    row = SCHOOLS[7]
    cells = lines[row - 1].split(",")
    cells[base.column("enrolments") - 1] = "abc"
    lines[row - 1] = ",".join(cells)
    path = _write(d, "multiline.csv", text(lines))
    return Built([path], f"{path}:{row + 1}:{base.column('enrolments')}:")


def latin1_name(base: Base, d: Path) -> Built:
    """An é in la_name, a quoted cell holding a comma: the column is la_name's field number."""
    line = BRISTOL[0]
    lines = base.with_cell(line, "la_name", '"Bristol, Cité of"')
    data = ("\n".join(lines) + "\n").encode("latin-1")
    path = _write(d, "latin1.csv", data)
    assert line_of(data, data.index(b"\xe9")) == line
    return Built([path], f"{path}:{line}:{base.column('la_name')}:")


def semicolons(base: Base, d: Path) -> Built:
    path = _write(d, "exported.csv", text([x.replace(",", ";") for x in base.lines]))
    return Built([path], f"{path}:1:1:")


def _png() -> bytes:
    """The first bytes of a real PNG: signature and IHDR chunk of a 1 × 1 image."""
    return (
        b"\x89PNG\r\n\x1a\n"
        b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


def png_named_csv(base: Base, d: Path) -> Built:
    data = _png()
    path = _write(d, "chart.csv", data)
    assert line_of(data, data.index(b"\x00")) == 3
    return Built([path], f"{path}:3:1:")  # the first field of line 3


def zip_named_csv(base: Base, d: Path) -> Built:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("base.csv", text(base.lines))
    data = buffer.getvalue()
    path = _write(d, "spreadsheet.csv", data)
    assert data.index(b"\x00") == 5  # PK\x03\x04, version 20 = \x14\x00: no comma before it
    return Built([path], f"{path}:1:1:")


def nul_byte(base: Base, d: Path) -> Built:
    line = SCHOOLS[2]
    lines = base.with_cell(line, "la_name", "Cambridge\x00shire")
    path = _write(d, "nul.csv", text(lines))
    return Built([path], f"{path}:{line}:{base.column('la_name')}:")


def duplicate_row(base: Base, d: Path) -> Built:
    lines = base.lines
    first = SCHOOLS[0]
    lines.insert(first, lines[first - 1])  # the copy becomes line first + 1
    path = _write(d, "duplicate.csv", text(lines))
    return Built([path], f"{path}:{first + 1}:{base.column('time_period')}:")


def overall_above_possible(base: Base, d: Path) -> Built:
    line = SCHOOLS[7]
    possible = int(base.cell(line, "sess_possible"))
    lines = base.with_cell(line, "sess_overall", str(possible + 1))
    path = _write(d, "overall_gt_possible.csv", text(lines))
    return Built([path], f"{path}:{line}:{base.column('sess_overall')}:")


def negative_enrolments(base: Base, d: Path) -> Built:
    line = SCHOOLS[12]
    path = _write(d, "negative.csv", text(base.with_cell(line, "enrolments", "-5")))
    return Built([path], f"{path}:{line}:{base.column('enrolments')}:")


def pa_above_enrolments(base: Base, d: Path) -> Built:
    line = SCHOOLS[15]
    enrolments = int(base.cell(line, "enrolments"))
    lines = base.with_cell(line, "enrolments_pa_10_exact", str(enrolments + 1))
    path = _write(d, "pa_gt_enrolments.csv", text(lines))
    return Built([path], f"{path}:{line}:{base.column('enrolments_pa_10_exact')}:")


def unknown_la(base: Base, d: Path) -> Built:
    line = CAMBRIDGESHIRE[0]
    path = _write(d, "la999.csv", text(base.with_cell(line, "old_la_code", "999")))
    return Built([path], f"{path}:{line}:{base.column('old_la_code')}:")


def bad_time_period(value: str) -> Callable[[Base, Path], Built]:
    def build(base: Base, d: Path) -> Built:
        line = REGIONAL[1]
        name = f"time_period_{value.replace('-', '_')}.csv"
        path = _write(d, name, text(base.with_cell(line, "time_period", value)))
        return Built([path], f"{path}:{line}:{base.column('time_period')}:")

    return build


def gz_not_gzip(base: Base, d: Path) -> Built:
    path = _write(d, "plain.csv.gz", text(base.lines))
    return Built([path], f"{path}:1:1:")


def zip_two_csvs(base: Base, d: Path) -> Built:
    path = d / "two.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("absence_a.csv", text(base.lines))
        archive.writestr("absence_b.csv", text(base.lines))
    return Built([path], f"{path}:1:1:")


def zip_with_bad_csv(base: Base, d: Path) -> Built:
    line = CAMBRIDGESHIRE[1]
    path = d / "one.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("absence.csv", text(base.with_cell(line, "enrolments", "abc")))
    return Built([path], f"{path}!absence.csv:{line}:{base.column('enrolments')}:")


def same_file_twice(base: Base, d: Path) -> Built:
    path = _write(d, "base.csv", text(base.lines))
    return Built([path, path], f"{path}:1:1:")


def copy_with_other_figures(base: Base, d: Path) -> Built:
    """A second version of the file (a byte-identical copy is read once: test_sources)."""
    first = _write(d, "base.csv", text(base.lines))
    enrolments = int(base.lines[1].split(",")[base.column("enrolments") - 1])
    copy = _write(d, "copy.csv", text(base.with_cell(2, "enrolments", str(enrolments + 1))))
    # the first row of the copy is line 2 of the first file with another enrolment count
    return Built([first, copy], f"{copy}:2:1:")


CASES = [
    Case("empty", "empty", empty_file),
    Case("header-only", "no data rows", header_only),
    Case("missing-sess_possible", "sess_possible", missing_sess_possible),
    Case("missing-sess_overall", "sess_overall", missing_sess_overall),
    Case("non-numeric-count", "not a number", non_numeric_count),
    Case("truncated-row", "truncated", truncated_last_row),
    Case("short-row-mid-file", "truncated", short_row_mid_file),
    Case("unclosed-quote", "quote", unclosed_quote),
    Case("unclosed-quote-large-file", "quote", unclosed_quote_large),
    Case("quoted-line-break-then-bad-count", "not a number", quoted_newline_then_bad_count),
    Case("latin-1", "UTF-8", latin1_name),
    Case("semicolon", "semicolon", semicolons),
    Case("png-named-csv", "NUL", png_named_csv),
    Case("zip-named-csv", "NUL", zip_named_csv),
    Case("nul-byte", "NUL", nul_byte),
    Case("duplicate-key", "duplicate", duplicate_row),
    Case("overall-gt-possible", "greater than", overall_above_possible),
    Case("negative-count", "negative", negative_enrolments),
    Case("pa-gt-enrolments", "greater than", pa_above_enrolments),
    Case("unknown-la", "unknown LA code", unknown_la),
    Case("time_period-201820", "time_period", bad_time_period("201820")),
    Case("time_period-2018", "time_period", bad_time_period("2018")),
    Case("time_period-18-19", "time_period", bad_time_period("18-19")),
    Case("gz-not-gzip", "gzip", gz_not_gzip),
    Case("zip-two-csvs", "2 data CSV", zip_two_csvs),
    Case("zip-bad-csv", "not a number", zip_with_bad_csv),
    Case("same-file-twice", "given twice", same_file_twice),
    Case("copy-with-other-figures", "with different figures", copy_with_other_figures),
]


def test_base_slice_is_valid(base: Base, tmp_path: Path) -> None:
    """The unmutated slice passes, so each failure below is caused by its one mutation."""
    path = _write(tmp_path, "base.csv", text(base.lines))
    result = run(["validate", str(path)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (
        f"ok       {path}: absence, 40 rows, 0 warnings — pupils in state-funded" in result.stdout
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_gives_one_clean_line(case: Case, base: Base, tmp_path: Path) -> None:
    built = case.build(base, tmp_path)
    before = sorted(tmp_path.rglob("*"))
    result = run(["validate", *map(str, built.paths)], tmp_path)
    assert_one_clean_line(result, built.where, case.keyword)
    assert sorted(tmp_path.rglob("*")) == before  # nothing written


@pytest.mark.parametrize("value", ["201820", "2018", "18-19"])
def test_time_period_message_quotes_the_value(value: str, base: Base, tmp_path: Path) -> None:
    built = bad_time_period(value)(base, tmp_path)
    line = assert_one_clean_line(
        run(["validate", str(built.paths[0])], tmp_path), built.where, "time_period"
    )
    assert f"'{value}'" in line
    assert "201819" in line  # the hint shows the expected form


def test_duplicate_names_the_first_copy(base: Base, tmp_path: Path) -> None:
    built = duplicate_row(base, tmp_path)
    line = assert_one_clean_line(
        run(["validate", str(built.paths[0])], tmp_path), built.where, "duplicate"
    )
    assert f"line {SCHOOLS[0]}" in line


def test_encoding_and_nul_errors_give_the_field_number_and_say_so(base: Base, tmp_path: Path):
    """The COLUMN of every location is a field number (the column a spreadsheet shows), also
    for bytes that are not UTF-8 or NUL: never a character position."""
    la_name = base.column("la_name")
    built = latin1_name(base, tmp_path)
    line = assert_one_clean_line(run(["validate", str(built.paths[0])], tmp_path), built.where, "")
    assert line == (
        f"Error: {built.where} byte 0xE9 in column {la_name} (la_name) is not UTF-8 (the file "
        "looks like Latin-1 / Windows-1252) — re-save it as 'CSV UTF-8' or convert it with "
        "iconv -f cp1252 -t utf-8"
    )
    built = nul_byte(base, tmp_path)
    line = assert_one_clean_line(run(["validate", str(built.paths[0])], tmp_path), built.where, "")
    assert line == (
        f"Error: {built.where} contains a NUL byte in column {la_name} (la_name): this is a "
        "binary file, not a CSV — pass the CSV itself (not a spreadsheet or a damaged download)"
    )
    built = zip_named_csv(base, tmp_path)
    line = assert_one_clean_line(run(["validate", str(built.paths[0])], tmp_path), built.where, "")
    assert "contains a NUL byte in column 1 of the header line: " in line


def test_binary_bytes_with_a_carriage_return_before_the_nul_give_one_clean_line(tmp_path: Path):
    """A zip's header bytes vary with its timestamp: a lone carriage return before the first
    NUL byte once stopped the header reader with an internal error (exit 70)."""
    path = _write(tmp_path, "spreadsheet.csv", b"PK\x03\x04\x14\x00\x08\x00\rzz,yy\nabc\n")
    line = assert_one_clean_line(run(["validate", str(path)], tmp_path), f"{path}:1:1:", "")
    assert "contains a NUL byte in column 1 of the header line" in line


def test_a_byte_after_a_quoted_line_break_is_in_the_field_of_its_record(tmp_path: Path) -> None:
    """Fields are counted from the start of the record, across a quoted cell's line break."""
    from attendance_reports.errors import DataError
    from attendance_reports.sources.read import decode

    data = b'a,b,c\n1,"two\nlines, one comma",x\xff\n'
    with pytest.raises(DataError) as error:
        decode(data, "f.csv")
    assert str(error.value.where) == "f.csv:3:3"
    assert "byte 0xFF in column 3 (c) is not UTF-8" in str(error.value)


def test_indicators_writes_nothing_for_a_bad_file(base: Base, tmp_path: Path) -> None:
    built = overall_above_possible(base, tmp_path)
    out = tmp_path / "out.csv"
    result = run(["indicators", str(built.paths[0]), "-o", "out.csv"], tmp_path)
    assert_one_clean_line(result, built.where, "greater than")
    assert not out.exists()
    assert not (tmp_path / "out.csv.tmp").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [built.paths[0].name]


def test_indicators_output_for_the_valid_slice(base: Base, tmp_path: Path) -> None:
    """Control for the test above: the same command on the unmutated slice writes out.csv."""
    path = _write(tmp_path, "base.csv", text(base.lines))
    result = run(["indicators", str(path), "-o", "out.csv", "--la", "873"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("time_period,")


# ---- --strict on the real full file ------------------------------------------------------------

#: the two data-quality warnings of the full 2006/07–2018/19 file
NO_URN = ":7821:14: school row with no URN (laestab used instead) (2 rows)"
REPEATED_URN = ":48038:14: URN appears on more than one school row in the same year (1 row)"


def test_full_file_validates_with_two_warnings(absence_path: Path, tmp_path: Path) -> None:
    result = run(["validate", str(absence_path)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"ok       {absence_path}: absence, 285,263 rows, 2 warnings — ")
    assert lines[0].endswith(
        "state-funded primary, secondary and special schools; the full school year"
    )
    assert lines[1] == f"  warning {absence_path}{NO_URN}"
    assert lines[2] == f"  warning {absence_path}{REPEATED_URN}"
    assert lines[-1].endswith("2 warnings.")
    assert len(lines) == 4


def test_full_file_strict_fails_on_the_first_warning(absence_path: Path, tmp_path: Path) -> None:
    result = run(["validate", "--strict", str(absence_path)], tmp_path)
    line = assert_one_clean_line(result, f"{absence_path}:7821:14:", "no URN")
    assert "--strict" in line
    assert sorted(tmp_path.iterdir()) == []
