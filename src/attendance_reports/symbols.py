"""GSS / EES symbols: parse them into typed missing values that keep their reason, and show them.

A value read from a DfE file is either a number or a *status* saying why there is no number.
Statuses are short stable tokens (part of the public output contract, column ``status``):

=================  ===================  =======  =========================================
status             symbols in files     shown    meaning
=================  ===================  =======  =========================================
ok                 (a number)           —        a value
not-applicable     ``z`` ``.``          [z]      not applicable (e.g. a phase with no schools)
not-available      ``x`` ``:`` ``..``   [x]      not available / not collected
suppressed         ``c``                [c]      confidential, suppressed to protect pupils
low                ``low`` ``k``        [low]    rounds to 0 but is not 0
low-reliability    ``u``                [u]      low reliability
blank              (empty cell)         [x]      the cell is empty in the file
not-published      (column absent)      [x]      the release does not publish this measure
zero-denominator   —                    [z]      nothing to divide by (e.g. no sessions possible)
no-previous-year   —                    [x]      no figure for the year before (or a gap)
series-break       —                    [x]      not comparable across a break in the series
not-in-data        —                    [x]      the area (e.g. England) is not in the files given
not-ranked         —                    [x]      no rank: the files do not hold every LA of England
=================  ===================  =======  =========================================

Anything derived from a missing value is missing too, with the first input's status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

OK = "ok"

#: symbol as written in a file (lower-cased, stripped) -> status token
SYMBOLS: dict[str, str] = {
    "z": "not-applicable",
    ".": "not-applicable",
    "x": "not-available",
    ":": "not-available",
    "..": "not-available",
    "c": "suppressed",
    "low": "low",
    "k": "low",
    "u": "low-reliability",
}

#: status token -> what a page shows instead of a number
DISPLAY: dict[str, str] = {
    "not-applicable": "[z]",
    "not-available": "[x]",
    "suppressed": "[c]",
    "low": "[low]",
    "low-reliability": "[u]",
    "blank": "[x]",
    "not-published": "[x]",
    "zero-denominator": "[z]",
    "no-previous-year": "[x]",
    "series-break": "[x]",
    "not-in-data": "[x]",
    "not-ranked": "[x]",
}

#: the key printed beside tables (symbol -> words)
KEY: dict[str, str] = {
    "[c]": "confidential: suppressed to protect pupils' identities",
    "[x]": "not available (not collected, not published, or no earlier figure)",
    "[z]": "not applicable (for example, a phase with no schools)",
    "[low]": "rounds to 0 but is not 0",
    "[u]": "low reliability",
}

STATUSES: tuple[str, ...] = (
    OK,
    *dict.fromkeys(SYMBOLS.values()),
    *("blank", "not-published", "zero-denominator", "no-previous-year", "series-break"),
    *("not-in-data", "not-ranked"),
)

STATUSES = tuple(dict.fromkeys(STATUSES))
STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))
#: status token -> int8 code used inside the package (0 is ok)
CODE: dict[str, int] = {s: i for i, s in enumerate(STATUSES)}
OK_CODE = 0


def codes_of(tokens: np.ndarray) -> np.ndarray:
    """Status tokens -> int8 codes."""
    return np.array([CODE[t] for t in tokens], dtype="int8") if len(tokens) else np.empty(0, "int8")


def tokens_of(codes: np.ndarray) -> np.ndarray:
    """int8 codes -> status tokens (object array)."""
    return np.asarray(STATUSES, dtype=object)[codes]


def parse_numbers(raw: pd.Series) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Parse a text column into float values and statuses.

    Returns ``(values, status, bad)``: ``values`` float64 with NaN where there is no number;
    ``status`` int8 status codes (see CODE), or None when every cell is a number;
    ``bad`` the positions of cells that are neither a number nor a known symbol.
    """
    arrow = pa.array(raw.astype("string").array)
    try:  # fast path: every cell is a number. A cell with spaces around it fails this cast
        # (Arrow reads a number only when the whole cell is one), so the result is the same
        # as casting the trimmed text
        values = pc.cast(arrow, pa.float64())
        return values.to_numpy(zero_copy_only=False), None, np.empty(0, dtype=np.int64)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    try:  # every cell is a number once trimmed
        values = pc.cast(pc.utf8_trim_whitespace(arrow), pa.float64())
        return values.to_numpy(zero_copy_only=False), None, np.empty(0, dtype=np.int64)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    # Symbols or bad cells: each distinct text is parsed once (pandas.to_numeric reads each
    # cell on its own, and a column holds few distinct symbols) and mapped back to its cells
    text = raw.astype("string").str.strip()
    codes, uniques = pd.factorize(text)
    parsed = pd.to_numeric(pd.Series(uniques, dtype=text.dtype), errors="coerce")
    unique_values = np.append(parsed.to_numpy(dtype="float64", na_value=np.nan), np.nan)
    values = unique_values[codes]  # code -1 (a missing cell) takes the NaN appended last
    missing = np.isnan(unique_values)
    if not missing[codes].any():
        return values, None, np.empty(0, dtype=np.int64)
    cells = np.append(pd.Series(uniques, dtype=text.dtype).to_numpy(dtype=object, na_value=""), "")
    unique_status = np.zeros(len(cells), dtype="int8")
    lowered = np.array([c.lower() for c in cells[missing]], dtype=object)
    mapped = np.array([CODE.get(SYMBOLS.get(c, ""), -1) for c in lowered], dtype="int8")
    mapped[lowered == ""] = CODE["blank"]
    # "NaN" written as text is a number to pandas; treat literal nan as not available
    mapped[lowered == "nan"] = CODE["not-available"]
    unique_status[missing] = mapped
    status = unique_status[codes]
    bad = np.flatnonzero(status == -1)
    return values, status, bad


def combine(*statuses: np.ndarray | None, length: int) -> np.ndarray | None:
    """The status of a value derived from several inputs: the first input's non-ok status."""
    present = [s for s in statuses if s is not None]
    if not present:
        return None
    out = np.zeros(length, dtype="int8")
    for s in reversed(present):
        mask = s != OK_CODE
        out[mask] = s[mask]
    return out


def display(status: str) -> str:
    """The bracketed symbol a page shows for a status, e.g. ``[c]``."""
    return DISPLAY.get(status, "[x]")
