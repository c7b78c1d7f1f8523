"""Every published percentage in the full 2006/07–2018/19 file equals ours, at its own precision.

National rows carry rates rounded to 1 d.p.; every other row 5 d.p. We compute each rate from
the counts with the indicator engine and round half up once (formatting.round_half_up_array).
"""

from __future__ import annotations

import numpy as np
import pytest

from attendance_reports.indicators.compute import compute
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.render.formatting import round_half_up_array
from attendance_reports.symbols import CODE

#: published column -> our indicator id
PUBLISHED = {
    "sess_overall_percent": "overall_absence_rate",
    "sess_authorised_percent": "authorised_absence_rate",
    "sess_unauthorised_percent": "unauthorised_absence_rate",
    "enrolments_pa_10_exact_percent": "persistent_absence_rate",
    "sess_overall_percent_pa_10_exact": "persistent_cohort_overall_absence_rate",
    "sess_authorised_percent_pa_10_exact": "persistent_cohort_authorised_absence_rate",
    "sess_unauthorised_percent_pa_10_exact": "persistent_cohort_unauthorised_absence_rate",
}


@pytest.fixture(scope="module")
def frame(full_dataset):
    return full_dataset.absence


def test_every_published_rate_is_reproduced(frame, record_property):
    places = np.where((frame["geographic_level"] == "national").to_numpy(), 1, 5)
    compared = mismatches = empty_cohorts = 0
    for column, indicator_id in PUBLISHED.items():
        result = compute(frame, REGISTRY[indicator_id])
        published = frame[column].to_numpy()
        ok = result.status == 0
        # a PA cohort with no members: DfE publishes 0.0, we say there is nothing to divide by
        empty = result.status == CODE["zero-denominator"]
        assert (published[empty] == 0).all()
        empty_cohorts += int(empty.sum())
        ours = round_half_up_array(np.where(ok, result.value, 0.0), places)
        theirs = np.round(np.where(ok, published, 0.0) * 10.0**places).astype("int64")
        bad = ok & (ours != theirs)
        compared += int(ok.sum())
        mismatches += int(bad.sum())
        assert ok.sum() + empty.sum() == len(frame), column
    record_property(
        "figure",
        f"{compared:,} published rates compared, {mismatches} mismatches "
        f"({empty_cohorts:,} empty PA cohorts published as 0.0)",
    )
    assert compared > 1_900_000
    assert mismatches == 0


def test_cambridgeshire_2018_19_headlines(frame):
    row = frame[
        (frame["code"] == "873")
        & (frame["time_period"] == "201819")
        & (frame["phase"] == "total")
        & (frame["geographic_level"] == "la")
    ]
    assert len(row) == 1
    rate = compute(row, REGISTRY["overall_absence_rate"])
    assert (rate.numerator[0], rate.denominator[0]) == (1_206_252, 27_399_386)
    assert round_half_up_array(rate.value, 5)[0] == 440248
    pa = compute(row, REGISTRY["persistent_absence_rate"])
    assert round_half_up_array(pa.value, 5)[0] == 900771


def test_england_2018_19_headlines(frame):
    row = frame[
        (frame["geographic_level"] == "national")
        & (frame["time_period"] == "201819")
        & (frame["phase"] == "total")
    ]
    values = {
        i: compute(row, REGISTRY[i]).value[0]
        for i in (
            "overall_absence_rate",
            "authorised_absence_rate",
            "unauthorised_absence_rate",
            "persistent_absence_rate",
        )
    }
    assert {k: round_half_up_array(np.array([v]), 1)[0] for k, v in values.items()} == {
        "overall_absence_rate": 47,
        "authorised_absence_rate": 33,
        "unauthorised_absence_rate": 14,
        "persistent_absence_rate": 109,
    }
    assert compute(row, REGISTRY["persistent_absentees"]).value[0] == 771_863
