"""Tidy absence rows (+ LAIT rates) -> the indicator table, one row per area × indicator.

Columns (public contract): time_period, time_identifier, geographic_level, code, name, phase,
breakdown, indicator, value, numerator, denominator, status — plus ``period`` and ``source``
used inside the package. ``value`` is unrounded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from attendance_reports.indicators.compute import (
    Result,
    SeriesPositions,
    change,
    compute,
    difference,
    three_year_average,
)
from attendance_reports.indicators.ranks import LaGroups, rank_among_las
from attendance_reports.indicators.registry import BASE, REGISTRY
from attendance_reports.symbols import STATUS_DTYPE

OUTPUT_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "code",
    "name",
    "phase",
    "breakdown",
    "indicator",
    "value",
    "numerator",
    "denominator",
    "status",
)
ID_COLUMNS = (
    "time_period",
    "time_identifier",
    "period",
    "geographic_level",
    "code",
    "name",
    "phase",
    "breakdown",
    "source",
)


#: the table's text columns (labels and codes)
TEXT_COLUMNS = (
    "time_period",
    "time_identifier",
    "period",
    "geographic_level",
    "code",
    "name",
    "phase",
    "breakdown",
    "indicator",
    "status",
    "source",
)


def with_dtype(table: pd.DataFrame, dtype: str) -> pd.DataFrame:
    """The table with its text columns as ``dtype`` ("string" to compare, "category" to slice)."""
    return table.astype({c: dtype for c in TEXT_COLUMNS if c in table.columns})


def results(frame: pd.DataFrame, wanted: set[str] | None = None) -> dict[str, Result]:
    """Every indicator (or the ``wanted`` ids) for every row of a tidy absence frame."""
    wanted = set(REGISTRY) if wanted is None else set(wanted)
    out: dict[str, Result] = {}
    base_needed = (
        {i.id for i in BASE if i.id in wanted or any(w.startswith(i.id + "_") for w in wanted)}
        | (
            {"sessions_missed_per_persistent_absentee", "sessions_missed_per_other_enrolment"}
            if "extra_sessions_missed_per_persistent_absentee" in wanted
            else set()
        )
        | (
            {"sessions_missed_per_severe_absentee", "sessions_missed_per_non_severe_enrolment"}
            if "extra_sessions_missed_per_severe_absentee" in wanted
            else set()
        )
    )
    for indicator in BASE:
        if indicator.id in base_needed:
            out[indicator.id] = compute(frame, indicator)
    previous = before = positions = groups = None
    for indicator in BASE:
        if indicator.id not in out:
            continue
        if f"{indicator.id}_change" in wanted and indicator.change:
            positions = positions or SeriesPositions(frame)
            previous = positions.earlier(1) if previous is None else previous
            out[f"{indicator.id}_change"] = change(out[indicator.id], previous)
        if f"{indicator.id}_3yr_average" in wanted and indicator.headline:
            positions = positions or SeriesPositions(frame)
            previous = positions.earlier(1) if previous is None else previous
            before = positions.earlier(2) if before is None else before
            out[f"{indicator.id}_3yr_average"] = three_year_average(
                out[indicator.id], previous, before, indicator.scale
            )
        if indicator.headline and ({f"{indicator.id}_rank", f"{indicator.id}_quartile"} & wanted):
            groups = groups or LaGroups(frame)
            rank, band = rank_among_las(frame, out[indicator.id], groups)
            out[f"{indicator.id}_rank"], out[f"{indicator.id}_quartile"] = rank, band
    for cohort, other in (
        ("persistent_absentee", "other_enrolment"),
        ("severe_absentee", "non_severe_enrolment"),
    ):
        extra = f"extra_sessions_missed_per_{cohort}"
        if extra in wanted:
            out[extra] = difference(
                out[f"sessions_missed_per_{cohort}"], out[f"sessions_missed_per_{other}"]
            )
    return {k: v for k, v in out.items() if k in wanted}


def long_table(frame: pd.DataFrame, computed: dict[str, Result]) -> pd.DataFrame:
    """Stack per-indicator results into the long indicator table."""
    n = len(frame)
    if n == 0 or not computed:
        return empty_table()
    ids = frame[[c for c in ID_COLUMNS if c in frame.columns]].copy()
    for column in ids.columns:
        if not isinstance(ids[column].dtype, pd.CategoricalDtype):
            ids[column] = ids[column].astype("category")
    names = list(computed)
    sizes = [n if r.rows is None else len(r.rows) for r in computed.values()]
    total = sum(sizes)
    # every column is filled block by block, in its final dtype (no row-position array, no
    # copy when the frame is made: the table has millions of rows)
    id_codes = {c: ids[c].cat.codes.to_numpy() for c in ids.columns}
    out_codes = {c: np.empty(total, dtype=codes.dtype) for c, codes in id_codes.items()}
    columns = {c: np.empty(total) for c in ("value", "numerator", "denominator")}
    codes = np.empty(total, dtype="int8")
    start = 0
    for name, size in zip(names, sizes, strict=True):
        result = computed.pop(name)  # fill the table while letting each result go
        end = start + size
        for column, array in out_codes.items():
            array[start:end] = (
                id_codes[column] if result.rows is None else id_codes[column][result.rows]
            )
        for column, array in columns.items():
            array[start:end] = getattr(result, column)
        codes[start:end] = result.status
        start = end
    out = {
        c: pd.Categorical.from_codes(out_codes.pop(c), dtype=ids[c].dtype) for c in list(out_codes)
    }
    out["indicator"] = pd.Categorical.from_codes(
        np.repeat(np.arange(len(names), dtype="int16"), sizes), categories=names
    )
    out |= {column: columns.pop(column) for column in list(columns)}
    out["status"] = pd.Categorical.from_codes(codes, dtype=STATUS_DTYPE)
    return pd.DataFrame(out, copy=False)


def empty_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series(
                dtype="float64" if c in ("value", "numerator", "denominator") else "string"
            )
            for c in (*OUTPUT_COLUMNS, "period", "source")
        }
    )


def concat_tables(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack indicator tables, keeping text columns categorical (categories unioned): a national
    table has millions of rows, and text as strings would take gigabytes."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_table()
    if len(parts) == 1:
        return parts[0]
    columns = list(dict.fromkeys(c for p in parts for c in p.columns))
    out = {}
    for column in columns:
        pieces = [p[column] if column in p.columns else pd.Series([np.nan] * len(p)) for p in parts]
        if column in TEXT_COLUMNS:
            out[column] = union_categoricals(
                [_as_text_categorical(x) for x in pieces], ignore_order=True
            )
        else:
            out[column] = np.concatenate([np.asarray(x, dtype="float64") for x in pieces])
    return pd.DataFrame(out)


def _as_text_categorical(values: pd.Series) -> pd.Categorical:
    """A column as a categorical whose categories are text (so categoricals can be unioned)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return pd.Categorical(values.astype("string").fillna("").astype(str))
    categories = values.cat.categories
    return values.cat.rename_categories(categories.astype(str)).array


def add_lait(
    table: pd.DataFrame, lait: pd.DataFrame, wanted: set[str] | None = None
) -> pd.DataFrame:
    """Add LAIT rates for keys the census table lacks: census counts win where both exist."""
    extra = lait if wanted is None else lait[lait["indicator"].isin(list(wanted))]
    if extra.empty:
        return table
    key = ["time_period", "geographic_level", "code", "phase", "breakdown", "indicator"]
    if len(table):
        areas = table[(table["geographic_level"] != "school").to_numpy()]  # LAIT has no schools
        have = pd.MultiIndex.from_frame(areas[key].astype("string"))
        extra = extra[~pd.MultiIndex.from_frame(extra[key].astype("string")).isin(have)]
    return concat_tables([table, extra[[c for c in table.columns if c in extra.columns]]])


def lexical(table: pd.DataFrame) -> pd.DataFrame:
    """Reorder each categorical column's categories alphabetically (so sorting is lexical)."""
    for column in table.columns:
        if isinstance(table[column].dtype, pd.CategoricalDtype):
            categories = table[column].cat.categories
            table[column] = table[column].cat.reorder_categories(sorted(categories, key=str))
    return table


def indicator_table(
    frame: pd.DataFrame, lait: pd.DataFrame | None = None, wanted: set[str] | None = None
) -> pd.DataFrame:
    """The full indicator table: census indicators, then LAIT rates for keys the census lacks."""
    table = long_table(frame, results(frame, wanted)) if len(frame) else empty_table()
    return add_lait(table, lait, wanted) if lait is not None and len(lait) else table
