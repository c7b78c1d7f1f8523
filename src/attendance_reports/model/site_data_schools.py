"""The schools and academy trusts part of the site's data: each school's census rows, the
schools of an LA, and the trusts' indicator rows (sums of their schools' counts) with how many
of their schools are at or better than England. ``SchoolData`` holds the lookups (``SiteData``
has them); ``add_schools`` computes the rest once."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.indicators.school_groups import at_or_better, trust_rows
from attendance_reports.indicators.table import indicator_table
from attendance_reports.model import school_facts
from attendance_reports.model.site_frames import CENSUS, LAIT
from attendance_reports.sources.load import Dataset

#: indicators computed for school rows (the school page shows these; the rest are for areas)
SCHOOL_INDICATORS = frozenset(
    {
        "enrolments",
        "sessions_possible",
        "sessions_missed",
        "overall_absence_rate",
        "authorised_absence_rate",
        "unauthorised_absence_rate",
        "persistent_absence_rate",
        "persistent_absentees",
        "overall_absence_rate_change",
        "persistent_absence_rate_change",
        "sessions_missed_per_enrolment",
        "persistent_cohort_overall_absence_rate",
        "overall_absence_rate_excluding_persistent",
        "severe_absence_rate",
        "severe_absentees",
        *(i for i in REGISTRY if i.startswith("reason_")),
    }
)

#: indicators computed for trust rows (sums of their schools' counts)
TRUST_INDICATORS = frozenset(
    {
        "schools",
        "enrolments",
        "sessions_possible",
        "sessions_missed",
        "overall_absence_rate",
        "authorised_absence_rate",
        "unauthorised_absence_rate",
        "persistent_absence_rate",
        "persistent_absentees",
        "severe_absence_rate",
        "severe_absentees",
        "overall_absence_rate_change",
        "persistent_absence_rate_change",
        "severe_absence_rate_change",
    }
)


class SchoolData:
    """The school lookups of ``SiteData`` (its fields ``frame``, ``schools``… are declared
    there)."""

    frame: pd.DataFrame
    table: pd.DataFrame
    schools: school_facts.SchoolFacts
    trust_table: pd.DataFrame
    _trust_index: dict
    _index_by: dict
    _cached: Callable[..., pd.DataFrame]
    latest_census_year: str

    def school_rows(self, urn: str) -> pd.DataFrame:
        """The tidy census rows of one school (every year), via an index built once; the last
        few schools' rows are kept (a school page reads them five times). Read only."""
        return self._cached(("school rows", urn), lambda: self._school_rows(urn))

    def _school_rows(self, urn: str) -> pd.DataFrame:
        if "schools" not in self._index_by:
            f = self.frame
            school = f[(f["geographic_level"] == "school").to_numpy()]
            self._index_by["schools"] = school.groupby("code", sort=False, observed=True).indices
            self._index_by["school_frame"] = school
        positions = self._index_by["schools"].get(urn)
        frame = self._index_by["school_frame"]
        return frame.iloc[positions] if positions is not None else frame.iloc[0:0]

    def schools_of(self, la_code: str, year: str | None = None) -> pd.DataFrame:
        """Schools of an LA in a census year (default: the latest): urn, laestab, phase."""
        year = year or self.latest_census_year
        f = self.frame
        rows = f[
            (f["geographic_level"] == "school")
            & (f["old_la_code"] == la_code)
            & (f["time_period"] == year)
        ]
        return rows[["code", "urn", "laestab", "phase", "phase_label"]].reset_index(drop=True)


def add_schools(
    site: SchoolData, dataset: Dataset, schools: pd.DataFrame, small_numbers: int
) -> None:
    """School names, URN changes and comparison groups; the trusts' indicator rows."""
    facts = site.schools = school_facts.build(dataset.schools, site.frame, small_numbers)
    if not len(facts.membership):
        return
    trusts = trust_rows(schools, facts.membership, facts.trusts["name"])
    trusts = indicator_table(trusts, None, set(TRUST_INDICATORS))
    trusts["source"] = pd.Categorical([CENSUS] * len(trusts), categories=[CENSUS, LAIT])
    site.trust_table = trusts
    site._trust_index = dict(
        trusts.groupby(["geographic_level", "code"], sort=False, observed=True).indices
    )
    _add_at_or_better(site)


def _add_at_or_better(site: SchoolData) -> None:
    """For each trust, year and phase: its schools at or better than England's rate."""
    t = site.table
    total = (t["breakdown"] == "total").to_numpy()
    for indicator in ("overall_absence_rate", "persistent_absence_rate"):
        wanted = total & (t["indicator"] == indicator).to_numpy()
        school = t[wanted & (t["geographic_level"] == "school").to_numpy()]
        england = t[wanted & (t["geographic_level"] == "national").to_numpy()]
        england = england[(england["status"] == "ok").to_numpy()]
        benchmark = dict(
            zip(
                zip(
                    england["time_period"].astype(str),
                    england["phase"].astype(str),
                    strict=True,
                ),
                england["value"].to_numpy(),
                strict=True,
            )
        )
        columns = ["code", "time_period", "phase", "value", "status"]
        site.schools.at_or_better[indicator] = at_or_better(
            school[columns], benchmark, site.schools.membership
        )
