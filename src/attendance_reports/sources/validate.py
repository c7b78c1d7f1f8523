"""Raw text tables -> validated tidy frames, or DataError naming file, line, column and value.

Structural errors (a file we cannot trust) stop with one DataError. Data-quality findings
that do not make the numbers wrong are returned as Finding warnings, counted per kind;
``--strict`` turns them into errors (see load.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from attendance_reports.errors import DataError, Location
from attendance_reports.render.formatting import counted, round_half_up_array
from attendance_reports.sources.absence_frame import status_column
from attendance_reports.sources.layouts import (
    ALIASES,
    LEVELS,
    ORDER_RULES,
    PERIODS,
    PHASES,
    PUBLISHED_RATES,
    REQUIRED_ABSENCE,
    is_count,
    is_rate,
)
from attendance_reports.sources.read import RawTable, normalise_name
from attendance_reports.sources.reference import Reference
from attendance_reports.symbols import STATUS_DTYPE, SYMBOLS, parse_numbers

SYMBOL_HINT = "use a number or an EES symbol (" + ", ".join(SYMBOLS) + ")"
TIME_PERIOD = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Finding:
    """A data-quality warning: what, how many rows, and where the first one is."""

    message: str
    count: int
    first: Location

    def __str__(self) -> str:
        return f"{self.first}: {self.message} ({counted(self.count, 'row')})"


def slug(value: str) -> str:
    return normalise_name(str(value))


def map_values(series: pd.Series, function) -> pd.Series:
    """Apply ``function`` once per distinct value (files repeat a few labels many times)."""
    codes, uniques = pd.factorize(series)
    mapped = pa.array([function(u) for u in uniques] + [""], type=pa.large_string())
    return _strings(mapped.take(pa.array(np.where(codes < 0, len(uniques), codes))), series.index)


def _strings(values: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """Arrow text -> a pandas "string" Series (no copy through Python objects)."""
    if values.type != pa.large_string():
        values = values.cast(pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(values), index=index, copy=False)


def _blank(frame: pd.DataFrame) -> pd.Series:
    return _strings(pa.repeat(pa.scalar("", pa.large_string()), len(frame)), frame.index)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column in frame.columns:
        return frame[column].astype("string").str.strip()
    return _blank(frame)


class _Texts:
    """Each column's trimmed text, made once however often the checks ask for it."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._cache: dict[str, pd.Series] = {}

    def __call__(self, column: str) -> pd.Series:
        if column not in self._cache:
            self._cache[column] = _text(self.frame, column)
        return self._cache[column]

    def arrow(self, column: str) -> pa.ChunkedArray:
        return pa.array(self(column).array)


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else None


def column_numbers(
    table: RawTable, column: str, hint: str, *, counts: bool = False
) -> tuple[np.ndarray, np.ndarray | None]:
    """A column's numbers and status codes (symbols.parse_numbers); a cell that is neither a
    number nor a symbol, or (``counts``) a number below 0, is a DataError at its cell."""
    raw = table.frame[column]
    values, status, bad = parse_numbers(raw)
    if len(bad):
        row = int(bad[0])
        raise DataError(
            table.where(row, column),
            f"'{raw.iloc[row]}' in {table.labels[column]} is not a number",
            hint,
        )
    negative = _first(~np.isnan(values) & (values < 0)) if counts else None
    if negative is not None:
        raise DataError(
            table.where(negative, column),
            f"{table.labels[column]} is negative ({raw.iloc[negative]})",
            "counts cannot be below 0: correct the row",
        )
    return values, status


def _check_time_period(table: RawTable, periods: pd.Series) -> None:
    # a file holds a few distinct periods: each is checked once, then mapped back to its rows
    codes, uniques = pd.factorize(periods)
    distinct = pd.Series(uniques, dtype=periods.dtype)
    shape_ok = distinct.str.fullmatch(TIME_PERIOD.pattern).fillna(False).to_numpy(dtype=bool)
    bad = _first(~np.append(shape_ok, False)[codes])  # a missing period (code -1) is bad
    if bad is None:
        start = pd.to_numeric(distinct.str.slice(0, 4)).to_numpy()
        end = pd.to_numeric(distinct.str.slice(4, 6)).to_numpy()
        bad = _first(((start + 1) % 100 != end)[codes])
    if bad is not None:
        raise DataError(
            table.where(bad, "time_period"),
            f"time_period '{periods.to_numpy(dtype=object)[bad]}' is not six digits of "
            "consecutive years",
            "write academic years as 201819 for 2018/19",
        )


def _parse_measures(
    table: RawTable, frame: pd.DataFrame
) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    measures: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    for column in frame.columns:
        meta_type = table.meta.get(column, {}).get("col_type", "")
        count, rate = is_count(column), is_rate(column)
        if not (count or rate or meta_type.lower() == "indicator"):
            continue
        values, status = column_numbers(table, column, SYMBOL_HINT, counts=count)
        if count:
            ok = ~np.isnan(values)
            fractional = _first(ok & (np.floor(values) != values))
            if fractional is not None:
                raise DataError(
                    table.where(fractional, column),
                    f"{table.labels[column]} is not a whole number "
                    f"({frame[column].iloc[fractional]})",
                    "counts of sessions and enrolments are whole numbers",
                )
        measures[column] = (values, status)
    return measures


def _check_order(table: RawTable, measures: dict) -> None:
    for smaller, larger, meaning in ORDER_RULES:
        if smaller in measures and larger in measures:
            a, b = measures[smaller][0], measures[larger][0]
            with np.errstate(invalid="ignore"):
                bad = _first(a > b)
            if bad is not None:
                raise DataError(
                    table.where(bad, smaller),
                    f"{smaller} {a[bad]:,.0f} is greater than {larger} {b[bad]:,.0f} ({meaning})",
                    "the row is inconsistent: re-download the file or correct the counts",
                )


def _codes(
    table: RawTable, frame: pd.DataFrame, level: np.ndarray, text: _Texts
) -> tuple[pd.Series, pd.Series]:
    """The area code and name of each row, by geographic level."""

    def either(first: str, second: str) -> pa.ChunkedArray:  # first, or second where blank
        a = text.arrow(first)
        return pc.if_else(pc.equal(a, ""), text.arrow(second), a)

    def or_default(column: str, default: str) -> pa.ChunkedArray:
        a = text.arrow(column)
        return pc.if_else(pc.equal(a, ""), pa.scalar(default, a.type), a)

    national = level == "national"
    regional = level == "regional"
    la = level == "la"
    school = level == "school"
    blank = pa.scalar("", pa.large_string())

    def by_level(*choices: tuple[np.ndarray, pa.ChunkedArray]) -> pd.Series:
        out: pa.ChunkedArray | pa.Scalar = blank
        for mask, values in reversed(choices):
            if mask.any():
                out = pc.if_else(pa.array(mask), values, out)
        if isinstance(out, pa.Scalar):
            return _blank(frame)
        return _strings(out, frame.index)

    code = by_level(
        (national, or_default("country_code", "E92000001")),
        (regional, text.arrow("region_code")),
        (la, either("old_la_code", "new_la_code")),
        (school, either("urn", "laestab")),
    )
    name = by_level(
        (national, or_default("country_name", "England")),
        (regional, text.arrow("region_name")),
        (la, text.arrow("la_name")),
        (school, text.arrow("school_name")),
    )
    missing = _first(((la | regional | school) & (code == "")).to_numpy())
    if missing is not None:
        column = {"la": "old_la_code", "regional": "region_code", "school": "urn"}[level[missing]]
        raise DataError(
            table.where(missing, column if column in frame.columns else None),
            f"a {level[missing]} row has no {column}",
            f"add the {column} column or fill the code",
        )
    return code, name


def _check_la_codes(
    table: RawTable, frame: pd.DataFrame, level: np.ndarray, reference: Reference, text: _Texts
) -> None:
    rows = np.isin(level, ["la", "school"])
    for column, known in (
        ("old_la_code", reference.old_codes),
        ("new_la_code", reference.new_codes),
    ):
        if column not in frame.columns:
            continue
        values = text(column)
        unknown = (
            rows
            & ~values.isin(known).to_numpy()
            & (values != "").to_numpy()
            & ~values.str.lower().isin(list(SYMBOLS)).to_numpy()
        )
        bad = _first(unknown)
        if bad is not None:
            raise DataError(
                table.where(bad, column),
                f"unknown LA code '{values.iloc[bad]}' in {table.labels[column]}",
                "check the code, or pass an updated las.csv lookup with the data",
            )
    regional = level == "regional"
    if regional.any() and "region_code" in frame.columns:
        values = text("region_code")
        bad = _first(regional & ~values.isin(list(reference.regions)).to_numpy())
        if bad is not None:
            raise DataError(
                table.where(bad, "region_code"),
                f"unknown region code '{values.iloc[bad]}'",
                "regions are E12000001–E12000009 (E13000001/2 for Inner/Outer London)",
            )


def _breakdowns(frame: pd.DataFrame, text: _Texts) -> tuple[pd.Series, pd.Series]:
    if "breakdown" not in frame.columns:
        n = len(frame)
        return (
            _strings(pa.repeat(pa.scalar("total", pa.large_string()), n), frame.index),
            _strings(pa.repeat(pa.scalar("Total", pa.large_string()), n), frame.index),
        )
    value = text("breakdown")
    label = value
    if "breakdown_topic" in frame.columns:
        topic = text("breakdown_topic")
        both = topic + " " + value
        label = (topic + ": " + value).where(value.str.lower() != "total", "Total")
        ident = map_values(both, slug).where(value.str.lower() != "total", "total")
    else:
        ident = map_values(value, slug)
    return ident.astype("string"), label.astype("string")


def _duplicates(table: RawTable, keys: pd.DataFrame) -> None:
    dup = keys.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    first_dup = keys.duplicated(keep="first").to_numpy()
    row = _first(first_dup)
    same = keys.iloc[:row][(keys.iloc[:row] == keys.iloc[row]).all(axis=1)].index[0]
    raise DataError(
        table.where(row, "time_period"),
        f"duplicate row: same period, level, area, phase and breakdown as line "
        f"{table.line(int(same))}",
        "remove the repeated row (or pass each file only once)",
    )


def _published_rates_warning(
    table: RawTable, measures: dict, frame: pd.DataFrame
) -> Finding | None:
    mismatched, first = 0, None
    for column, (num, den) in PUBLISHED_RATES.items():
        if column not in measures or num not in measures or den not in measures:
            continue
        published = measures[column][0]
        n, d = measures[num][0], measures[den][0]
        with np.errstate(divide="ignore", invalid="ignore"):
            computed = n / d * 100
        text = frame[column].astype("string").str.strip()
        places = (text.str.len() - text.str.find(".") - 1).where(
            text.str.contains(".", regex=False), 0
        )
        places = places.fillna(0).astype("int64").to_numpy().clip(0, 9)
        check = ~np.isnan(published) & ~np.isnan(computed) & (d > 0)
        got = round_half_up_array(np.where(check, computed, 0.0), places)
        want = round_half_up_array(np.where(check, published, 0.0), places)
        bad = check & (got != want)
        if bad.any():
            mismatched += int(bad.sum())
            first = first if first is not None else (_first(bad), column)
    if not mismatched:
        return None
    return Finding(
        "published rate disagrees with the rate computed from the counts",
        mismatched,
        table.where(first[0], first[1]),
    )


def validate_absence(table: RawTable, reference: Reference) -> tuple[pd.DataFrame, list[Finding]]:
    """An EES pupil-absence file -> tidy frame (one row per key) and data-quality findings."""
    frame = table.frame.rename(
        columns={
            c: ALIASES[c]
            for c in table.frame.columns
            if c in ALIASES and ALIASES[c] not in table.frame.columns
        }
    )
    labels = {ALIASES.get(k, k): v for k, v in table.labels.items()} | table.labels
    table = RawTable(table.name, frame, labels, table.meta, table.multiline, table.text)
    for column in REQUIRED_ABSENCE:
        if column not in frame.columns:
            raise DataError(
                Location(table.name, 1, 1),
                f"required column '{column}' is missing",
                "pass an EES pupil-absence file with its original header",
            )

    text = _Texts(frame)
    periods = text("time_period")
    _check_time_period(table, periods)
    level_text = text("geographic_level")
    empty = _first((level_text == "").to_numpy())
    if empty is not None:
        raise DataError(
            table.where(empty, "geographic_level"),
            "geographic_level is empty",
            "fill it with National, Regional, Local authority or School",
        )
    level = map_values(level_text, lambda v: LEVELS.get(slug(v), slug(v))).to_numpy(dtype=object)
    measures = _parse_measures(table, frame)
    _check_order(table, measures)
    _check_la_codes(table, frame, level, reference, text)
    code, name = _codes(table, frame, level, text)
    breakdown, breakdown_label = _breakdowns(frame, text)
    phase_label = text("phase").replace("", "Total")
    phase = map_values(phase_label, lambda v: PHASES.get(slug(v), slug(v).replace("_", "-")))
    identifier = text("time_identifier")
    period = map_values(identifier, lambda v: PERIODS.get(slug(v), slug(v).replace("_", "-")))

    area = code
    school = level == "school"
    if "laestab" in frame.columns and school.any():  # a school is its laestab where it has one
        laestab = text.arrow("laestab")
        own = pc.and_(pa.array(school), pc.not_equal(laestab, ""))
        area = _strings(pc.if_else(own, laestab, pa.array(code.array)), frame.index)
    keys = pd.DataFrame(
        {"t": periods, "p": period, "l": level, "a": area, "ph": phase, "b": breakdown}
    )
    _duplicates(table, keys)

    findings: list[Finding] = []
    if {"sess_authorised", "sess_unauthorised", "sess_overall"} <= measures.keys():
        a, u, o = (measures[c][0] for c in ("sess_authorised", "sess_unauthorised", "sess_overall"))
        mismatch = ~np.isnan(a + u + o) & (a + u != o)
        if mismatch.any():  # an error everywhere: DfE's files always add up, and a page
            # would otherwise publish authorised and unauthorised rates DfE does not
            first = _first(mismatch)
            raise DataError(
                table.where(first, "sess_overall"),
                f"authorised + unauthorised sessions ({a[first]:,.0f} + {u[first]:,.0f}) differ "
                f"from overall ({o[first]:,.0f}) in {counted(int(mismatch.sum()), 'row')}",
                "DfE's files always add up: use the file as published, or correct the counts",
            )
    if school.any():
        urn = text("urn")
        blank = school & (urn == "").to_numpy()
        if blank.any():
            findings.append(
                Finding(
                    "school row with no URN (laestab used instead)",
                    int(blank.sum()),
                    table.where(_first(blank), "urn"),
                )
            )
        repeated = (
            school
            & ~blank
            & pd.DataFrame({"t": periods, "u": urn, "p": phase, "b": breakdown})
            .duplicated(keep="first")
            .to_numpy()
        )
        if repeated.any():
            findings.append(
                Finding(
                    "URN appears on more than one school row in the same year",
                    int(repeated.sum()),
                    table.where(_first(repeated), "urn"),
                )
            )
    rates = _published_rates_warning(table, measures, frame)
    if rates:
        findings.append(rates)

    n = len(frame)
    lines = np.arange(n) + 2 if not table.multiline else table.lines()
    out = {
        "source": pd.Categorical.from_codes(np.zeros(n, dtype="int8"), categories=[table.name]),
        "line": lines,
        "time_period": periods.astype("category"),
        "time_identifier": identifier.astype("category"),
        "period": period.astype("category"),
        "geographic_level": pd.Categorical(level),
        "code": code,
        "name": name,
        "country_code": text("country_code").astype("category"),
        "region_code": text("region_code").astype("category"),
        "region_name": text("region_name").astype("category"),
        "old_la_code": text("old_la_code").astype("category"),
        "new_la_code": text("new_la_code").astype("category"),
        "la_name": text("la_name").astype("category"),
        "urn": text("urn"),
        "laestab": text("laestab"),
        "phase": phase.astype("category"),
        "phase_label": phase_label.astype("category"),
        "breakdown": breakdown.astype("category"),
        "breakdown_label": breakdown_label.astype("category"),
    }
    for column, (values, status) in measures.items():
        out[column] = values
        if status is not None:
            out[status_column(column)] = pd.Categorical.from_codes(status, dtype=STATUS_DTYPE)
    tidy = pd.DataFrame(out, copy=False)  # the measures' arrays are the frame's (no copy)
    return tidy, findings
