"""Summing school rows to LAs, phases to Total, and LAs to regions and England reproduces the
published counts of the full file (there are no exceptions; a future file's exceptions would be
listed here with their reasons)."""

from __future__ import annotations

import pandas as pd
import pytest

from attendance_reports.indicators.aggregate import aggregate
from attendance_reports.sources.layouts import is_count

#: published count rows that do not equal the sum of their parts, with the reason
KNOWN_EXCEPTIONS: dict[tuple[str, str, str], str] = {}


@pytest.fixture(scope="module")
def frame(full_dataset):
    return full_dataset.absence


def _counts(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if is_count(c) and not c.endswith("__status") and not c.startswith("sess_auth_ext")
    ]


def _compare(parts: pd.DataFrame, whole: pd.DataFrame, keys: list[str], counts: list[str]) -> list:
    summed = aggregate(parts, keys)
    merged = summed.merge(whole[keys + counts], on=keys, suffixes=("_sum", ""), how="inner")
    assert len(merged) == len(summed)
    problems = []
    for column in counts:
        differ = merged[merged[f"{column}_sum"] != merged[column]]
        for record in differ[keys].astype(str).to_dict("records"):
            key = tuple(record.values())
            if key not in KNOWN_EXCEPTIONS:
                problems.append((column, key))
    return problems


def test_schools_sum_to_their_la(frame):
    schools = frame[frame["geographic_level"] == "school"]
    las = frame[frame["geographic_level"] == "la"]
    keys = ["time_period", "old_la_code", "phase"]
    assert _compare(schools, las, keys, _counts(frame)) == []
    # every LA phase row with schools has them; LA Total rows are the phases' sum (next test)
    assert len(aggregate(schools, keys)) == (las["phase"] != "total").sum()


def test_phases_sum_to_la_total(frame):
    las = frame[frame["geographic_level"] == "la"]
    assert (
        _compare(
            las[las["phase"] != "total"],
            las[las["phase"] == "total"],
            ["time_period", "old_la_code"],
            _counts(frame),
        )
        == []
    )


def test_las_sum_to_regions_and_england(frame):
    las = frame[frame["geographic_level"] == "la"]
    regions = frame[frame["geographic_level"] == "regional"]
    national = frame[frame["geographic_level"] == "national"]
    counts = _counts(frame)
    assert _compare(las, regions, ["time_period", "region_code", "phase"], counts) == []
    assert _compare(las, national, ["time_period", "phase"], counts) == []
