"""Pure functions: tidy absence frame -> indicator values. No I/O, no rounding, no formatting.

Every function returns a Result: unrounded ``value``, the ``numerator`` and ``denominator``
it came from, and a ``status`` per row ("ok" or why the value is missing). Values are computed
as numerator / denominator * 100 in float64, as DfE computes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attendance_reports.indicators.registry import Indicator, Terms
from attendance_reports.sources.absence_frame import measure
from attendance_reports.symbols import CODE, OK_CODE, combine

#: columns that identify one row's area over time (a school is its laestab)
SERIES_KEY = ("period", "geographic_level", "area", "phase", "breakdown")


@dataclass(frozen=True)
class Result:
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    status: np.ndarray  # int8 status codes (symbols.CODE; 0 is ok)
    rows: np.ndarray | None = None  # positions in the frame these values belong to (None: all)

    def __len__(self) -> int:
        return len(self.value)


def sum_terms(frame: pd.DataFrame, terms: Terms) -> tuple[np.ndarray, np.ndarray | None]:
    """Sum of signed count columns, with the first missing input's status."""
    total = np.zeros(len(frame))
    statuses = []
    for column, sign in terms:
        values, status = measure(frame, column)
        total = total + sign * values
        statuses.append(status)
    return total, combine(*statuses, length=len(frame))


def compute(frame: pd.DataFrame, indicator: Indicator) -> Result:
    """A ratio-of-sums (or count) indicator for every row of ``frame``."""
    n = len(frame)
    numerator, num_status = sum_terms(frame, indicator.numerator)
    if indicator.denominator is None:
        status = num_status if num_status is not None else np.zeros(n, dtype="int8")
        value = np.where(status == OK_CODE, numerator, np.nan)
        return Result(value, value, np.full(n, np.nan), status)
    denominator, den_status = sum_terms(frame, indicator.denominator)
    status = combine(num_status, den_status, length=n)
    status = status if status is not None else np.zeros(n, dtype="int8")
    status[(status == OK_CODE) & (denominator == 0)] = CODE["zero-denominator"]
    ok = status == OK_CODE
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ok, numerator / denominator * indicator.scale, np.nan)
    return Result(value, np.where(ok, numerator, np.nan), np.where(ok, denominator, np.nan), status)


def series_index(frame: pd.DataFrame, offset: int) -> np.ndarray:
    """For each row, the position of the same area/phase/breakdown ``offset`` years earlier, or -1."""
    return SeriesPositions(frame).earlier(offset)


def _key_codes(values: pd.Series) -> np.ndarray:
    """Integer codes of a column, equal where its values are equal as text (a missing value is
    a value of its own). A categorical column's categories are compared, not its rows."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        text = pd.Series(values.cat.categories).astype("string")
        of_category = pd.factorize(text, use_na_sentinel=False)[0].astype("int64")
        codes = values.cat.codes.to_numpy()
        return np.append(of_category, len(text))[codes]  # a missing value (-1): its own code
    return pd.factorize(values.astype("string"), use_na_sentinel=False)[0].astype("int64")


def combined_codes(columns: list[pd.Series]) -> np.ndarray:
    """One integer per row, equal exactly where the rows agree on every column."""
    key = np.zeros(len(columns[0]) if columns else 0, dtype="int64")
    for values in columns:
        codes = _key_codes(values)
        key = pd.factorize(key * (int(codes.max(initial=0)) + 1) + codes)[0].astype("int64")
    return key


class SeriesPositions:
    """Each row's series (area, phase, breakdown, period type) and year, found once for any
    number of offsets: ``earlier(1)`` last year's row, ``earlier(2)`` the year before."""

    def __init__(self, frame: pd.DataFrame) -> None:
        school = (frame["geographic_level"] == "school").to_numpy() & (
            frame["laestab"].astype("string") != ""
        ).to_numpy(dtype=bool, na_value=False)
        codes = frame["code"].astype("string")
        area = codes.where(~school, frame["laestab"].astype("string")) if school.any() else codes
        self.group = combined_codes(
            [
                frame["period"],
                frame["geographic_level"],
                area,
                frame["phase"],
                frame["breakdown"],
            ]
        )
        self.year = _start_years(frame["time_period"])
        lookup = pd.Index(self.group * 10_000 + self.year)
        if not lookup.is_unique:  # repeated URNs: keep the first row
            lookup = pd.Index(np.where(pd.Index(lookup).duplicated(), -1, lookup))
        self.lookup = lookup

    def earlier(self, offset: int) -> np.ndarray:
        return self.lookup.get_indexer(self.group * 10_000 + self.year - offset)


def _start_years(periods: pd.Series) -> np.ndarray:
    """'201819' -> 2018 for each row, read once per distinct period."""
    codes, uniques = pd.factorize(periods)
    if (codes < 0).any():  # a missing period: read row by row, as ever
        return pd.to_numeric(periods.astype("string").str.slice(0, 4)).to_numpy()
    distinct = pd.Series(uniques).astype("string").str.slice(0, 4)
    return pd.to_numeric(distinct).to_numpy()[codes]


def change(current: Result, previous_index: np.ndarray) -> Result:
    """Year-on-year change: this year's unrounded value minus last year's (or count change)."""
    has = previous_index >= 0
    prev_value = np.where(has, current.value[np.maximum(previous_index, 0)], np.nan)
    prev_status = np.where(
        has, current.status[np.maximum(previous_index, 0)], CODE["no-previous-year"]
    ).astype("int8")
    status = current.status.copy()
    replace = (status == OK_CODE) & (prev_status != OK_CODE)
    status[replace] = prev_status[replace]
    value = np.where(status == OK_CODE, current.value - prev_value, np.nan)
    nan = np.full(len(value), np.nan)
    return Result(value, nan, nan, status)


def three_year_average(
    current: Result, previous: np.ndarray, before: np.ndarray, scale: float
) -> Result:
    """Ratio of the counts summed over this year and the two before (all three needed)."""
    num, den = current.numerator.copy(), current.denominator.copy()
    status = current.status.copy()
    for idx in (previous, before):
        has = idx >= 0
        safe = np.maximum(idx, 0)
        num = num + np.where(has, current.numerator[safe], np.nan)
        den = den + np.where(has, current.denominator[safe], np.nan)
        other = np.where(has, current.status[safe], CODE["no-previous-year"]).astype("int8")
        replace = (status == OK_CODE) & (other != OK_CODE)
        status[replace] = other[replace]
    ok = status == OK_CODE
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ok, num / den * scale, np.nan)
    return Result(value, np.where(ok, num, np.nan), np.where(ok, den, np.nan), status)


def difference(first: Result, second: Result) -> Result:
    """first - second, e.g. sessions missed per persistent absentee minus per other enrolment."""
    status = first.status.copy()
    replace = (status == OK_CODE) & (second.status != OK_CODE)
    status[replace] = second.status[replace]
    value = np.where(status == OK_CODE, first.value - second.value, np.nan)
    nan = np.full(len(value), np.nan)
    return Result(value, nan, nan, status)
