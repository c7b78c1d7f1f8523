"""Indicator engine on small frames built by hand, and on real rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from attendance_reports.indicators.aggregate import add_london, aggregate
from attendance_reports.indicators.benchmarks import benchmarks
from attendance_reports.indicators.compute import compute
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.indicators.table import indicator_table, results
from attendance_reports.symbols import tokens_of


def _frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "time_identifier": "Academic year",
        "period": "full-year",
        "geographic_level": "la",
        "name": "",
        "phase": "total",
        "breakdown": "total",
        "laestab": "",
        "source": "t",
    }
    return pd.DataFrame([base | r for r in rows])


counts = st.lists(st.tuples(st.integers(1, 10**6), st.integers(0, 10**6)), min_size=1, max_size=30)


@given(counts)
def test_aggregation_is_a_ratio_of_sums(pairs):
    possible = [p + o for p, o in pairs]
    overall = [o for _, o in pairs]
    frame = pd.DataFrame(
        {"group": ["a"] * len(pairs), "sess_possible": possible, "sess_overall": overall}
    ).astype({"sess_possible": float, "sess_overall": float})
    summed = aggregate(frame, ["group"])
    rate = compute(summed, REGISTRY["overall_absence_rate"]).value[0]
    assert rate == sum(overall) / sum(possible) * 100
    # aggregating in two steps gives the same sums as in one
    frame["half"] = np.arange(len(pairs)) % 2
    two_step = aggregate(aggregate(frame, ["group", "half"]), ["group"])
    assert two_step["sess_possible"].iloc[0] == summed["sess_possible"].iloc[0]


def test_change_three_year_average_and_breaks():
    years = ["201516", "201617", "201718", "201819", "202021"]
    frame = _frame(
        [
            {
                "time_period": y,
                "code": "873",
                "sess_overall": o,
                "sess_possible": 100.0,
                "enrolments": 10.0,
            }
            for y, o in zip(years, [4.0, 5.0, 5.0, 3.0, 6.0], strict=True)
        ]
    )
    out = results(frame, {"overall_absence_rate_change", "overall_absence_rate_3yr_average"})
    change = out["overall_absence_rate_change"]
    assert tokens_of(change.status)[0] == "no-previous-year"
    assert np.allclose(change.value[1:4], [1.0, 0.0, -2.0])
    # 2020/21 follows a gap (no 2019/20): no change is computed across it
    assert tokens_of(change.status)[4] == "no-previous-year"
    average = out["overall_absence_rate_3yr_average"]
    assert np.isclose(average.value[3], (5 + 5 + 3) / 300 * 100)
    assert average.numerator[3] == 13 and average.denominator[3] == 300


def _ranked_frame(england: bool, las: int = 8) -> pd.DataFrame:
    rates = [8.0, 1.0, 2.0, 2.0, 5.0, 6.0, 7.0, 3.0][:las]
    rows = [
        {"time_period": "201819", "code": str(i + 1), "sess_overall": o, "sess_possible": 100.0}
        for i, o in enumerate(rates)
    ]
    if england:  # England's row: the sum of all 8 LAs (whether or not all are in the frame)
        rows.append(
            {
                "time_period": "201819",
                "geographic_level": "national",
                "code": "E92000001",
                "sess_overall": 34.0,
                "sess_possible": 800.0,
            }
        )
    return _frame(rows)


def test_rank_and_quartile_lower_is_better():
    frame = _ranked_frame(england=True)
    out = results(frame, {"overall_absence_rate_rank", "overall_absence_rate_quartile"})
    assert list(out["overall_absence_rate_rank"].value) == [8, 1, 2, 2, 5, 6, 7, 4]
    assert list(out["overall_absence_rate_quartile"].value) == [4, 1, 1, 1, 3, 3, 4, 2]
    assert set(out["overall_absence_rate_rank"].denominator) == {8}


@pytest.mark.parametrize(("england", "las"), [(False, 8), (True, 3)])
def test_no_rank_among_fewer_than_all_las_of_england(england, las):
    """Issue 14, item 5: without England's row, or with LAs missing from the sum, no rank."""
    out = results(
        _ranked_frame(england, las), {"overall_absence_rate_rank", "overall_absence_rate_quartile"}
    )
    for indicator in ("overall_absence_rate_rank", "overall_absence_rate_quartile"):
        assert np.isnan(out[indicator].value).all()
        assert set(tokens_of(out[indicator].status)) == {"not-ranked"}


def test_regional_benchmark_for_london_matches_lait(full_dataset):
    frame = full_dataset.absence
    frame = add_london(frame[frame["geographic_level"].isin(["national", "regional", "la"])])
    table = indicator_table(frame, None, {"overall_absence_rate"})
    found = benchmarks(
        table, full_dataset.reference, "202", "201819", "total", "overall_absence_rate"
    )
    region = next(b for b in found if b.kind == "region")
    assert region.label == "London"
    lait = full_dataset.lait
    published = lait[
        (lait["code"] == "E12000007")
        & (lait["time_period"] == "201819")
        & (lait["indicator"] == "overall_absence_rate")
        & (lait["phase"] == "total")
    ]
    assert abs(region.value - published["value"].iloc[0]) <= 0.0051
    neighbours = next(b for b in found if b.kind == "neighbours")
    assert (neighbours.members, neighbours.of) == (10, 10)


def test_every_indicator_is_in_the_registry_with_a_definition():
    for indicator in REGISTRY.values():
        assert indicator.definition.endswith(".")
        assert indicator.decimals in (0, 1)
        assert indicator.polarity
