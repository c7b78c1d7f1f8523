"""The one place numbers become text.

Rates are kept unrounded (float64, computed as numerator / denominator * 100, the way DfE's
pipeline computes them) and rounded here, once, half up, on the float's exact binary value.
That rule reproduces every percentage published in DfE's absence files: see
tests/test_published_rates.py. Python's round() is banker's rounding: never use it here.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from attendance_reports.symbols import OK, display


def round_half_up(value: float, places: int) -> Decimal:
    """Round the exact value of a float half up to ``places`` decimals (0.125 -> 0.13 at 2)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_half_up_array(values: np.ndarray, places: int | np.ndarray) -> np.ndarray:
    """Vectorised :func:`round_half_up`, returning the rounded value scaled to an integer.

    ``round_half_up_array([4.56062499], 5) -> [456062]``. NaN gives a sentinel of -2**62.
    Fast numpy path, with the cells within 1e-6 of a tie re-done exactly with Decimal.
    """
    values = np.asarray(values, dtype="float64")
    places = np.broadcast_to(np.asarray(places, dtype="int64"), values.shape)
    scaled = values * np.power(10.0, places)
    out = np.floor(scaled + 0.5)
    frac = scaled - np.floor(scaled)
    near = np.flatnonzero(np.abs(frac - 0.5) < 1e-6)
    for i in near:
        out[i] = float(
            Decimal(float(values[i]))
            .scaleb(int(places[i]))
            .quantize(Decimal(1), rounding=ROUND_HALF_UP)
        )
    result = np.where(np.isnan(values), -(2**62), out)
    return result.astype("int64")


def period_label(time_period: str) -> str:
    """'201819' -> '2018/19'."""
    text = str(time_period)
    return f"{text[:4]}/{text[4:]}" if len(text) == 6 else text


def period_code(label: str) -> str:
    """'2018/19' or '2018-19' or '201819' -> '201819'."""
    text = str(label).strip().replace("/", "").replace("-", "")
    return text


def number(value: float | None, places: int = 1, status: str = OK) -> str:
    """A figure with thousands separators and fixed decimals, or its symbol: '1,234.5', '[c]'."""
    if status != OK or value is None or (isinstance(value, float) and math.isnan(value)):
        return display(status if status != OK else "not-available")
    rounded = round_half_up(float(value), places)
    return f"{rounded:,.{places}f}"


def count(value: float | None, status: str = OK) -> str:
    """A whole count: '7,105,958'."""
    return number(value, 0, status)


def noun(amount: float | str, singular: str, plural: str | None = None) -> str:
    """The noun for a count as shown: the singular only for exactly one ('1'), otherwise the
    plural (``singular`` + 's' unless given): 'school', 'schools', '1.0 sessions'."""
    text = amount if isinstance(amount, str) else count(amount)
    return singular if text == "1" else plural or f"{singular}s"


def counted(amount: float | str, singular: str, plural: str | None = None) -> str:
    """A count and its noun: '1 school', '0 schools', '6,949 enrolments'. ``amount`` is a
    number (shown as a whole count) or a figure already as shown."""
    text = amount if isinstance(amount, str) else count(amount)
    return f"{text} {noun(text, singular, plural)}"


def percent(value: float | None, places: int = 1, status: str = OK) -> str:
    """A rate: '4.7%'."""
    text = number(value, places, status)
    return text if text.startswith("[") else f"{text}%"


def signed(change: float, places: int = 1) -> str:
    """A change without its unit, signed on the value as shown: '+0.2', '-1.0', '0.0'."""
    text = number(abs(change), places)
    rounded = round_half_up(float(change), places)
    return ("+" if rounded > 0 else "-" if rounded < 0 else "") + text


def points(change: float | None, places: int = 1, status: str = OK) -> str:
    """A change in percentage points, signed: '+0.2 percentage points', '-1.0 percentage points'.

    The change is rounded from the unrounded difference, never from two rounded rates. The unit
    follows ``noun``'s rule for every figure as shown: singular only for exactly '1' (a whole
    point), so '1.0 percentage points', as '1.0 sessions'.
    """
    text = number(abs(change) if change is not None else None, places, status)
    if text.startswith("["):
        return text
    rounded = round_half_up(float(change), places)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return f"{sign}{text} {noun(text, 'percentage point')}"
