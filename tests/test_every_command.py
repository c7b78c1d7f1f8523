"""Issue #14 items 6 and 7 on real rows: one validation for every command, and a file that holds
fewer measures (DfE's 2016/17 "absence by term" layout: sessions by term, no enrolments) read for
what it has.

Item 6: a check is an error or a warning everywhere. Authorised + unauthorised sessions that do
not add up to overall is an error in ``validate``, ``indicators``, ``build``, ``overview`` and
``pdf`` alike (the same one line, exit 2, nothing written); a warning (a school row with no URN)
is summarised at the end of every command and ``--strict`` turns it into that command's error.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pytest

from tests.test_bad_input import (
    CAMBRIDGESHIRE,
    SCHOOLS,
    Base,
    _write,
    assert_one_clean_line,
    read_base,
    run,
    text,
)


@pytest.fixture(scope="module")
def base(absence_path: Path) -> Base:
    return read_base(absence_path)


#: each command as a user types it, on one file (``{path}``) and the LA of the slice
COMMANDS = {
    "validate": ["validate", "{path}"],
    "indicators": ["indicators", "{path}", "--la", "873", "-o", "out.csv"],
    "build": ["build", "--data", "{path}", "--la", "873", "--engine", "pandoc", "--out", "site"],
    "overview": ["overview", "{path}", "--la", "873"],
    "pdf": ["pdf", "{path}", "--la", "873", "--out", "overview.pdf"],
}


def _command(name: str, path: Path, *extra: str) -> list[str]:
    return [a.format(path=path) for a in COMMANDS[name]] + list(extra)


def _not_adding_up(base: Base, d: Path) -> tuple[Path, str]:
    """Cambridgeshire's all-schools row with one more authorised session than DfE published."""
    line = CAMBRIDGESHIRE[0]
    authorised = int(base.cell(line, "sess_authorised"))
    path = _write(
        d, "a_plus_u.csv", text(base.with_cell(line, "sess_authorised", f"{authorised + 1}"))
    )
    return path, f"{path}:{line}:{base.column('sess_overall')}:"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_sessions_that_do_not_add_up_are_the_same_error_in_every_command(
    command: str, base: Base, tmp_path: Path
) -> None:
    path, where = _not_adding_up(base, tmp_path)
    result = run(_command(command, path), tmp_path)
    line = assert_one_clean_line(result, where, "authorised + unauthorised sessions")
    assert "differ from overall" in line and "in 1 row " in line
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing written


def _no_urn(base: Base, d: Path) -> tuple[Path, str]:
    """A school row with its URN blanked: a warning (laestab identifies the school)."""
    line = SCHOOLS[3]
    path = _write(d, "no_urn.csv", text(base.with_cell(line, "urn", "")))
    return path, f"{path}:{line}:{base.column('urn')}:"


@pytest.mark.parametrize("command", ["validate", "indicators", "build", "overview"])
def test_a_warning_is_summarised_by_every_command_and_strict_makes_it_an_error(
    command: str, base: Base, tmp_path: Path
) -> None:
    path, where = _no_urn(base, tmp_path)
    result = run(_command(command, path), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warned = result.stdout + result.stderr
    assert f"{where} school row with no URN" in warned
    if command == "validate":  # validate lists every warning
        assert warned.rstrip().endswith("1 file valid, 1 warning.")
    else:  # the others summarise them at the end
        assert (
            warned.rstrip()
            .splitlines()[-1]
            .startswith("Warning: 1 data-quality warning in the files, the first: ")
        )

    strict = tmp_path / "strict"
    strict.mkdir()
    result = run(_command(command, path, "--strict"), strict)
    line = assert_one_clean_line(result, where, "no URN")
    assert "--strict" in line
    assert list(strict.iterdir()) == []  # nothing written


# ---- item 7: the by-term layout --------------------------------------------------------------


def _by_term(absence_path: Path, d: Path) -> Path:
    """DfE's 2016/17 'absence by term' layout from real rows: 2017/18 national, regional and LA
    rows of the full file, one row per term (time_identifier 'Autumn term' …), sessions and
    their rates only — no enrolments, no persistent absence, no school rows."""
    dropped = ("enrolments", "pa_10", "num_schools", "year_breakdown", "estab", "urn")
    with gzip.open(absence_path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        keep = [c for c in reader.fieldnames or [] if not any(p in c for p in dropped)]
        keep = [c for c in keep if c not in ("academy_type", "academy_open_date", "all_through")]
        rows = [
            r for r in reader if r["time_period"] == "201718" and r["geographic_level"] != "School"
        ]
    out = io.StringIO()
    writer = csv.DictWriter(out, keep, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for term in ("Autumn term", "Spring term", "Summer term"):
        writer.writerows({**r, "time_identifier": term} for r in rows)
    path = d / "absence_by_term.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_by_term_layout_is_read_for_what_it_has(absence_path: Path, tmp_path: Path) -> None:
    path = _by_term(absence_path, tmp_path)
    result = run(["validate", str(path)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"ok       {path}: absence, " in result.stdout
    assert "state-funded primary, secondary and special schools; one term" in result.stdout

    result = run(["indicators", str(path), "--la", "873", "--phase", "total"], tmp_path)
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    by = {(r["time_identifier"], r["indicator"]): r for r in table}
    assert {t for t, _ in by} == {"Autumn term", "Spring term", "Summer term"}
    # rates from the sessions the file has: 873's 2017/18 overall absence, from its counts
    with gzip.open(absence_path, "rt", encoding="utf-8", newline="") as handle:
        row = next(
            r
            for r in csv.DictReader(handle)
            if r["time_period"] == "201718"
            and r["geographic_level"] == "Local authority"
            and r["old_la_code"] == "873"
            and r["school_type"] == "Total"
        )
    expected = 100 * int(row["sess_overall"]) / int(row["sess_possible"])
    for term in ("Autumn term", "Spring term", "Summer term"):
        rate = by[(term, "overall_absence_rate")]
        assert rate["status"] == "ok"
        assert float(rate["value"]) == pytest.approx(expected, abs=1e-9)
        # what the layout does not have is said, never computed or shown as 0
        assert by[(term, "enrolments")]["status"] == "not-published"
        assert by[(term, "enrolments")]["value"] == ""
        assert by[(term, "persistent_absence_rate")]["status"] == "not-published"
