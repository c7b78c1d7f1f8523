"""Symbols become typed missing values that keep their reason; derived values stay missing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.indicators.compute import compute
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.sources.absence_frame import status_column
from attendance_reports.symbols import CODE, display, parse_numbers, tokens_of


def test_every_symbol_keeps_its_reason():
    raw = pd.Series(
        ["12", "z", "x", "c", "low", "k", "u", ":", ".", "..", "", " 7 "], dtype="string"
    )
    values, status, bad = parse_numbers(raw)
    assert len(bad) == 0
    assert values[0] == 12 and values[-1] == 7
    assert np.isnan(values[1:-1]).all()  # never 0
    assert list(tokens_of(status)) == [
        "ok",
        "not-applicable",
        "not-available",
        "suppressed",
        "low",
        "low",
        "low-reliability",
        "not-available",
        "not-applicable",
        "not-available",
        "blank",
        "ok",
    ]
    assert [display(s) for s in ("suppressed", "not-applicable", "low")] == ["[c]", "[z]", "[low]"]


def test_unknown_text_is_reported_not_guessed():
    _, _, bad = parse_numbers(pd.Series(["1", "n/a", "3"], dtype="string"))
    assert list(bad) == [1]


def test_a_rate_from_a_suppressed_count_is_suppressed():
    frame = pd.DataFrame({"sess_overall": [10.0, np.nan], "sess_possible": [200.0, 300.0]})
    frame[status_column("sess_overall")] = pd.Categorical.from_codes(
        [0, CODE["suppressed"]], dtype=pd.CategoricalDtype(list(CODE))
    )
    result = compute(frame, REGISTRY["overall_absence_rate"])
    assert result.value[0] == 5.0
    assert np.isnan(result.value[1]) and tokens_of(result.status)[1] == "suppressed"


def test_a_measure_the_release_lacks_is_not_published():
    frame = pd.DataFrame({"enrolments": [100.0]})
    result = compute(frame, REGISTRY["severe_absence_rate"])
    assert tokens_of(result.status)[0] == "not-published"
