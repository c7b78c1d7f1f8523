"""How every in-year attendance file is read (inyear.py, inyear_pa_series.py,
inyear_characteristics.py): the vocabulary of their columns (levels, phases, terms, ISO weeks,
the LA codes DfE replaced in April 2023) and the column readers, all by column name: text
cells, named values, measures with their symbols (``c``, ``z``, DfE's literal ``NaN`` and
``NA``) and each row's area. Every problem raises DataError at its row and column.
"""

from __future__ import annotations

import re

import numpy as np

from attendance_reports.errors import DataError
from attendance_reports.sources.read import RawTable
from attendance_reports.sources.reference import Reference
from attendance_reports.symbols import CODE, OK_CODE, SYMBOLS, parse_numbers

ENGLAND = "E92000001"


PHASES = {
    "primary": "primary",
    "state-funded primary": "primary",
    "secondary": "secondary",
    "state-funded secondary": "secondary",
    "special": "special",
    "total": "total",
    "all schools": "total",
    "pru/academy/free school ap": "alternative-provision",
    "state-funded nursery": "nursery",
}

LEVELS = {"national": "national", "regional": "regional", "local authority": "la"}

TERMS = {"autumn term": "autumn", "spring term": "spring", "summer term": "summer"}

#: pre-April-2023 codes in the 2022/23 weekly and daily files -> successor (new code, old code,
#: note). Cumbria was split in two, so its rows are kept as Cumbria and the break is flagged.
PREDECESSORS: dict[str, tuple[str, str, str]] = {
    "E10000023": (
        "E06000065",
        "815",
        "North Yorkshire became a unitary authority (E06000065) in April 2023; earlier rows "
        "under its county code (E10000023) cover the same area and are shown under the new code.",
    ),
    "E10000027": (
        "E06000066",
        "933",
        "Somerset became a unitary authority (E06000066) in April 2023; earlier rows under its "
        "county code (E10000027) cover the same area and are shown under the new code.",
    ),
    "E10000006": (
        "E10000006",
        "909",
        "Cumbria was replaced by Cumberland (942) and Westmorland and Furness (943) in April "
        "2023; its earlier rows stay under Cumbria and are not joined to either successor.",
    ),
}

#: ISO weeks from this one start an academic year (early August); earlier ones end one
FIRST_WEEK = 32
WEEK = re.compile(r"^week\s+(\d{1,2})$", re.IGNORECASE)


def fail(table: RawTable, row: int | None, column: str | None, problem: str, hint: str):
    raise DataError(table.where(row, column), problem, hint)


def require(table: RawTable, *names: str) -> None:
    for name in names:
        if name not in table.frame.columns:
            fail(
                table,
                None,
                None,
                f"required column '{name}' is missing from this in-year attendance file",
                "pass DfE's 'Pupil attendance in schools' file with its original header",
            )


def text_of(table: RawTable, column: str) -> np.ndarray:
    if column not in table.frame.columns:
        return np.full(len(table.frame), "", dtype=object)
    values = table.frame[column].astype("string").str.strip().fillna("")
    out = values.to_numpy(dtype=object)
    out[np.isin(out, ["NA", "z", "x"])] = ""
    return out


def read_measures(table: RawTable, columns: list[str]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for column in columns:
        raw = table.frame[column]
        literal = raw.astype("string").str.strip().str.lower().fillna("").to_numpy(dtype=object)
        if (literal == "na").any():  # DfE's R export writes NA for no value
            raw = raw.mask(literal == "na", "x")
        values, status, bad = parse_numbers(raw)
        if len(bad):
            cell = str(table.frame[column].iloc[int(bad[0])]).strip()
            fail(
                table,
                int(bad[0]),
                column,
                f"'{cell}' is not a number or a known symbol",
                "use a number or an EES symbol (" + ", ".join(SYMBOLS) + ", NaN)",
            )
        if status is None:
            status = np.zeros(len(values), dtype="int8")
        status = status.copy()
        # DfE writes NaN for a rate with no possible sessions and NA where there is no value
        status[literal == "nan"] = CODE["zero-denominator"]
        status[literal == "na"] = CODE["not-available"]
        values = values.copy()
        values[status != OK_CODE] = np.nan
        negative = np.flatnonzero(values < 0)
        if len(negative):
            fail(
                table,
                int(negative[0]),
                column,
                f"{column} is negative ({values[negative[0]]:g})",
                "counts and rates cannot be negative: re-download the file",
            )
        out[column] = values
        out[f"{column}__status"] = status
    return out


def named_values(
    table: RawTable, column: str, names: dict, problem: str, hint: str
) -> tuple[np.ndarray, np.ndarray]:
    """The column's text and each cell's entry in ``names`` (matched in lower case); a cell
    not there is an error."""
    labels = text_of(table, column)
    found = np.array([names.get(v.lower(), "") for v in labels], dtype=object)
    bad = np.flatnonzero(found == "")
    if len(bad):
        fail(table, int(bad[0]), column, problem.format(labels[bad[0]]), hint)
    return labels, found


def levels_of(table: RawTable) -> np.ndarray:
    """Each row's geographic level: 'national', 'regional' or 'la' (any other is an error)."""
    return named_values(
        table,
        "geographic_level",
        LEVELS,
        "geographic_level '{}' is not National, Regional or Local authority",
        "in-year files are read at national, regional and LA level",
    )[1]


def phases_of(
    table: RawTable, column: str, listed: str = "Primary, Secondary, Special or Total"
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's phase as published and as an id (PHASES); ``listed`` says in the error what
    the file's phase column holds."""
    return named_values(
        table, column, PHASES, f"phase '{{}}' is not {listed}", "pass the file as DfE published it"
    )


def areas(
    table: RawTable, levels: np.ndarray, reference: Reference
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each row's area: (code, name, region code, new LA code, code-break note). England is
    E92000001, a region its code, an LA its 3-digit code (from ``old_la_code``, else its new
    code); pre-April-2023 codes are mapped to their successors (PREDECESSORS)."""
    n = len(levels)
    new_codes = text_of(table, "new_la_code")
    old_codes = text_of(table, "old_la_code")
    names = text_of(table, "la_name")
    region_codes = text_of(table, "region_code")
    region_names = text_of(table, "region_name")
    code = np.empty(n, dtype=object)
    name = np.empty(n, dtype=object)
    breaks = np.full(n, "", dtype=object)
    by_new = reference.las.drop_duplicates("new_la_code").set_index("new_la_code")["old_la_code"]
    for i in range(n):
        level = levels[i]
        if level == "national":
            code[i], name[i] = ENGLAND, "England"
        elif level == "regional":
            if not region_codes[i]:
                fail(table, i, "region_code", "a regional row has no region_code", "fix the row")
            code[i], name[i] = region_codes[i], region_names[i]
        else:
            new = new_codes[i]
            if new in PREDECESSORS:
                successor, old, note = PREDECESSORS[new]
                new_codes[i], old_codes[i], breaks[i] = successor, old, note
            old = old_codes[i] or str(by_new.get(new_codes[i], "") or "")
            if not re.fullmatch(r"\d{3}", old):
                fail(
                    table,
                    i,
                    "old_la_code" if "old_la_code" in table.frame.columns else "new_la_code",
                    f"LA row '{names[i]}' has no 3-digit old_la_code and its new_la_code "
                    f"'{new_codes[i]}' is not a known LA",
                    "check the row's LA codes against DfE's LA list",
                )
            code[i], name[i] = old, names[i]
    return code, name, region_codes, new_codes, breaks
