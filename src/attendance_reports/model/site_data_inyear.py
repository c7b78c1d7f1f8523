"""The in-year ("This year") part of the site's data: DfE's in-year attendance figures and
their pupil-group gaps, a separate source never joined to the census table. ``InYearData``
holds the lookups the pages use (``SiteData`` has them); ``add_inyear`` computes them once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pandas as pd

from attendance_reports.indicators.inyear import inyear_parts
from attendance_reports.indicators.inyear_combine import ReleaseMethod
from attendance_reports.indicators.inyear_groups import group_gaps as inyear_group_gaps
from attendance_reports.indicators.inyear_groups import group_rates as inyear_group_rates
from attendance_reports.model.disclosure import inyear_group_policy
from attendance_reports.model.site_frames import file_name, lookup
from attendance_reports.sources.load import Dataset

T = TypeVar("T")

INYEAR = "DfE, Pupil attendance in schools (in-year, from schools' daily registers)"
#: in-year text columns kept as categories (small, and shared by forked workers)
INYEAR_CATEGORIES = (
    "kind",
    "academic_year",
    "period",
    "date",
    "geographic_level",
    "phase",
    "method",
    "source",
)


class InYearData:
    """The in-year lookups of ``SiteData`` (its fields ``inyear``, ``inyear_groups``,
    ``inyear_latest``… are declared there)."""

    inyear: pd.DataFrame
    _inyear_index: dict
    inyear_groups: pd.DataFrame
    inyear_latest: str
    inyear_methods: dict[str, ReleaseMethod]
    _index_by: dict
    _cached: Callable[..., dict]

    @property
    def inyear_year(self) -> str | None:
        """The latest academic year of in-year figures (it drives the "This year" pages)."""
        return self.inyear_latest or None

    def inyear_rows(self, level: str, code: str) -> pd.DataFrame:
        """All in-year indicator rows of one area."""
        positions = self._inyear_index.get((level, code))
        if positions is None:
            return self.inyear.iloc[0:0]
        return self.inyear.iloc[positions]

    def inyear_values(
        self, level: str, code: str
    ) -> dict[tuple[str, str, str, int, str, str], tuple[float, str, str]]:
        """(kind, academic_year, period, week, phase, indicator) -> (value, status, method,
        source file) of one area's in-year figures (cached)."""
        key_columns = ("kind", "academic_year", "period", "week", "phase", "indicator")
        return self._cached(
            ("inyear", level, code),
            lambda: lookup(self.inyear_rows(level, code), key_columns, ("method", "source")),
        )

    def inyear_las(
        self, kind: str, year: str, period: str, indicator: str, phase: str = "total"
    ) -> dict[str, tuple[float, str, str, str]]:
        """LA code -> (value, status, method, source file) of one in-year figure for every LA
        (cached): benchmark groups and maps read many LAs' figures for one period."""
        key = ("inyear-las", kind, year, period, phase, indicator)
        if key not in self._index_by:
            t = self.inyear
            rows = (
                t[
                    (t["geographic_level"] == "la").to_numpy()
                    & (t["kind"] == kind).to_numpy()
                    & (t["academic_year"] == year).to_numpy()
                    & (t["period"] == period).to_numpy()
                    & (t["phase"] == phase).to_numpy()
                    & (t["indicator"] == indicator).to_numpy()
                    & (t["week"] == 0).to_numpy()
                ]
                if len(t)
                else t
            )
            self._index_by[key] = (
                dict(
                    zip(
                        rows["code"].to_numpy(dtype=object),
                        zip(
                            rows["value"].to_numpy(),
                            rows["status"].to_numpy(dtype=object),
                            rows["method"].to_numpy(dtype=object),
                            rows["source"].to_numpy(dtype=object),
                            strict=True,
                        ),
                        strict=True,
                    )
                )
                if len(rows)
                else {}
            )
        return self._index_by[key]

    def has_inyear(self, la_code: str) -> bool:
        """Whether an LA has in-year figures for the latest in-year year (a "This year" page)."""
        year = self.inyear_year
        if year is None:
            return False
        for rows in (
            self.inyear_rows("la", str(la_code)),
            self.inyear_group_rows("la", str(la_code)),
        ):
            if len(rows) and bool((rows["academic_year"].astype(str) == year).to_numpy().any()):
                return True
        return False

    def inyear_group_rows(self, level: str, code: str) -> pd.DataFrame:
        """The in-year pupil-group gap rows of one area (every term, phase, group, measure)."""
        if not len(self.inyear_groups):
            return self.inyear_groups
        if "inyear-groups" not in self._index_by:
            self._index_by["inyear-groups"] = self.inyear_groups.groupby(
                ["geographic_level", "code"], sort=False, observed=True
            ).indices
        positions = self._index_by["inyear-groups"].get((level, str(code)))
        frame = self.inyear_groups
        return frame.iloc[positions] if positions is not None else frame.iloc[0:0]


def add_inyear(site: InYearData, dataset: Dataset) -> None:
    """The in-year indicator table and pupil-group gaps, once."""
    if len(dataset.inyear):
        table, methods = inyear_parts(dataset.inyear)
        names = {s: file_name(s) for s in pd.unique(table["source"])}
        table["source"] = table["source"].map(names)
        table = table.astype({c: "category" for c in INYEAR_CATEGORIES})
        site.inyear = table
        site._inyear_index = dict(
            table.groupby(["geographic_level", "code"], sort=False, observed=True).indices
        )
        # a persistent-absence export is a snapshot: it sets the year only on its own
        years = table.loc[(table["kind"] != "pa-export").to_numpy(), "academic_year"]
        years = years if len(years) else table["academic_year"]
        site.inyear_latest = str(max(years.astype(str).unique())) if len(years) else ""
        site.inyear_files = tuple(sorted({file_name(s) for s in dataset.inyear["source"]}))
        site.inyear_methods = {file_name(s): m for s, m in methods.items()}
        pairs = table[["academic_year", "source", "kind"]].drop_duplicates().astype(str)
        site.inyear_year_files = frozenset(
            {(y, f) for y, f, _ in pairs.itertuples(index=False)}
            | {(y, f, k) for y, f, k in pairs.itertuples(index=False)}
        )
        weekly = table[
            (table["kind"] == "week").to_numpy() & (table["geographic_level"] == "la").to_numpy()
        ]
        counts = weekly.groupby(["academic_year", "week"], observed=True)["code"].nunique()
        for (year, week), n in counts.items():
            site.inyear_la_weeks.setdefault(str(year), {})[int(week)] = int(n)
    else:  # no in-year headline rows: the empty table, with the columns pages look up
        site.inyear = inyear_parts(dataset.inyear)[0]
    if len(dataset.inyear_groups):
        rates, methods = inyear_group_rates(dataset.inyear_groups)
        shown = inyear_group_policy(inyear_group_gaps(rates))
        site.inyear_groups = shown.astype(
            {c: "category" for c in ("academic_year", "period", "geographic_level", "phase")}
        )
        site.inyear_methods.update({file_name(s): m for s, m in methods.items()})
        site.inyear_group_files = tuple(sorted(file_name(s) for s in methods))
        if not site.inyear_latest and len(shown):  # in-year figures by pupil group only
            site.inyear_latest = str(max(shown["academic_year"].astype(str)))
