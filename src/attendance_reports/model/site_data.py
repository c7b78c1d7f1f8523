"""Everything the pages of one site draw on, computed once: the indicator table (census counts
and LAIT rates, with ranks), the tidy census rows and the reference lookups.

Templates get it through ``site_data(data)``: in the site build ``data`` is this object,
already built; when an analyst runs ``quarto render reports/la.qmd -P la_code:873`` it is a
path, loaded on the spot.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from attendance_reports.indicators.aggregate import add_london
from attendance_reports.indicators.groups import add_all_pupils, gaps, group_rates
from attendance_reports.indicators.inyear_combine import ReleaseMethod
from attendance_reports.indicators.missed_by_reason import reason_rows
from attendance_reports.indicators.ranks import rank_table
from attendance_reports.indicators.rate_bands import band_rows
from attendance_reports.indicators.registry import HEADLINE_IDS
from attendance_reports.indicators.table import (
    add_lait,
    concat_tables,
    indicator_table,
    with_dtype,
)
from attendance_reports.model import school_facts
from attendance_reports.model.disclosure import DEFAULT_THRESHOLD, suppress
from attendance_reports.model.site_data_inyear import INYEAR, InYearData, add_inyear
from attendance_reports.model.site_data_schools import SCHOOL_INDICATORS, SchoolData, add_schools
from attendance_reports.model.site_frames import CENSUS, LAIT, lookup, row_keys, total_rows
from attendance_reports.render.formatting import period_label
from attendance_reports.sources.geography import Boundaries, read_boundaries
from attendance_reports.sources.load import DEFAULT_DATA, Dataset, FileReport, every_file, load
from attendance_reports.sources.reference import Reference

__all__ = ["CENSUS", "ENGLAND", "INYEAR", "LAIT", "SiteData", "build_site_data", "site_data"]

VALUES_CACHE = 64  # areas whose values (and schools whose rows) are kept between pages
T = TypeVar("T")

#: GSS code of England
ENGLAND = "E92000001"


@dataclass
class SiteData(InYearData, SchoolData):
    """One site's data. Read-only after build; ``rows`` is the fast path for pages."""

    table: pd.DataFrame
    frame: pd.DataFrame
    reference: Reference
    files: tuple[FileReport, ...]
    census_years: tuple[str, ...]
    years: tuple[str, ...]
    #: the pupils the census pages describe (sources/contract.POPULATIONS id)
    population: str = "state-funded"
    #: the period type every census series of the site shows ('full-year' unless the files
    #: have none): one period per series, never spliced
    main_period: str = "full-year"
    #: populations read from the files but not shown in this site's series (e.g. PRU rows)
    other_populations: tuple[str, ...] = ()
    _index: dict = field(default_factory=dict, repr=False)
    #: pupil-group gaps of every area (indicators.groups.gaps), small numbers suppressed
    groups: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: recently used areas' values (England, the region, an LA shown on many school pages);
    #: bounded, so a worker rendering 10,000 school pages does not keep them all
    _values: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _index_by: dict = field(default_factory=dict, repr=False)  # lazily built lookups
    #: the in-year indicator table (indicators/inyear.py): a separate source, never joined to
    #: ``table``; indexed like it by (geographic_level, code)
    inyear: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _inyear_index: dict = field(default_factory=dict, repr=False)
    #: in-year file names (the pages say which files the figures come from)
    inyear_files: tuple[str, ...] = ()
    #: (academic year, file name) and (academic year, file name, kind) of every in-year file
    inyear_year_files: frozenset[tuple[str, ...]] = frozenset()
    #: in-year pupil-group gaps (indicators/inyear_groups.group_gaps, disclosure policy
    #: applied): a separate source from ``groups``
    inyear_groups: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: the in-year pupil-group file names
    inyear_group_files: tuple[str, ...] = ()
    #: in-year file name -> how it combines phases where it has no Total row
    inyear_methods: dict[str, ReleaseMethod] = field(default_factory=dict, repr=False)
    inyear_latest: str = ""  # see inyear_year
    #: academic year -> ISO week -> LAs with a weekly figure that week (half terms: few)
    inyear_la_weeks: dict[str, dict[int, int]] = field(default_factory=dict, repr=False)
    boundaries: Boundaries | None = field(default=None, repr=False)
    boundaries_digest: str = ""  # SHA-256 of the boundary shapefile
    #: 3-digit LA code -> its geographic neighbours' codes (LAs sharing a boundary)
    geographic: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    #: GSS code (as in the boundary file) -> 3-digit LA code
    gss_to_la: dict[str, str] = field(default_factory=dict, repr=False)
    #: school names and places, URN changes, trusts, comparison groups (school_facts.py)
    schools: school_facts.SchoolFacts = field(default_factory=school_facts.SchoolFacts, repr=False)
    #: the indicator rows of academy trusts (geographic level 'trust'), kept apart from
    #: ``table`` so that a national build never copies its 8 million rows to add them
    trust_table: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _trust_index: dict = field(default_factory=dict, repr=False)
    #: the rows of the 2016/17 subjects read on their own (indicators/rate_bands.py and
    #: missed_by_reason.py: one-point bands, enrolments missing a session by reason) for
    #: England, regions and LAs; never joined to ``table``
    file_table: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    _file_index: dict = field(default_factory=dict, repr=False)

    def file_rows(self, level: str, code: str) -> pd.DataFrame:
        """One area's rows of the subjects read on their own (every year, phase, breakdown)."""
        positions = self._file_index.get((level, str(code)))
        if positions is None:
            return self.file_table.iloc[0:0]
        return self.file_table.iloc[positions]

    def _table_of(self, level: str) -> tuple[pd.DataFrame, dict]:
        if level == "trust":
            return self.trust_table, self._trust_index
        return self.table, self._index

    def rows(self, level: str, code: str) -> pd.DataFrame:
        """All indicator rows of one area (every year, phase and indicator)."""
        table, index = self._table_of(level)
        positions = index.get((level, code))
        if positions is None:  # (no trust's schools have figures: no trust table at all)
            return (table if len(table.columns) else self.table).iloc[0:0]
        return table.iloc[positions]

    def values(
        self, level: str, code: str, period: str | None = None
    ) -> dict[tuple[str, str, str], tuple[float, str, str]]:
        """(time_period, phase, indicator) -> (value, status, source) for one area (cached),
        all pupils (breakdown 'total'; a characteristics file's groups are left out).

        ``period`` ('full-year', 'autumn-spring') keeps only that period's rows; without it,
        the site's main period (full year when the files have it): periods are never mixed.
        """
        period = period or self.main_period
        key = (level, code, period)

        def make() -> dict:
            rows = total_rows(self.rows(level, code), period)
            return lookup(rows, ("time_period", "phase", "indicator"), ("source",))

        return self._cached(key, make)

    def _cached(self, key: tuple, make: Callable[[], T]) -> T:
        """The lookup stored under ``key``, made by ``make()`` on first use; the least
        recently used one is dropped past VALUES_CACHE (a national build reads every area)."""
        cached = self._values.get(key)
        if cached is not None:
            self._values.move_to_end(key)
            return cached
        cached = self._values[key] = make()
        if len(self._values) > VALUES_CACHE:
            self._values.popitem(last=False)
        return cached

    def counts(
        self, level: str, code: str, period: str
    ) -> dict[tuple[str, str, str], tuple[float, float]]:
        """(time_period, phase, indicator) -> (numerator, denominator): the summed counts each
        value of one area and period comes from (NaN for LAIT rates, changes and ranks)."""
        rows = total_rows(self.rows(level, code), period)
        keys = row_keys(rows)
        pairs = zip(rows["numerator"].to_numpy(), rows["denominator"].to_numpy(), strict=True)
        return dict(zip(keys, pairs, strict=True))

    def pick(
        self, level: str, codes: list[str], year: str, indicators: tuple[str, ...]
    ) -> dict[tuple[str, str, str], tuple[float, str]]:
        """(code, phase, indicator) -> (value, status) of many areas in one year, all pupils:
        the few figures a table of schools needs, without building each school's values."""
        table, index = self._table_of(level)
        found = [index.get((level, str(c))) for c in codes]
        found = [p for p in found if p is not None]
        if not found:
            return {}
        rows = total_rows(table.iloc[np.concatenate(found)], None)
        keep = (rows["time_period"] == year).to_numpy() & rows["indicator"].isin(
            indicators
        ).to_numpy()
        return lookup(rows[keep], ("code", "phase", "indicator"), ())

    def group_rows(self, level: str, code: str) -> pd.DataFrame:
        """The pupil-group gap rows of one area (every year, group and measure)."""
        if not len(self.groups):
            return self.groups
        if "groups" not in self._index_by:
            self._index_by["groups"] = self.groups.groupby(
                ["geographic_level", "code"], sort=False
            ).indices
        positions = self._index_by["groups"].get((level, str(code)))
        return self.groups.iloc[positions] if positions is not None else self.groups.iloc[0:0]

    def has_area(self, level: str, code: str) -> bool:
        """Whether the data holds any figure of the area (e.g. England: national rows)."""
        return bool(self.values(level, code))

    def has_area_page(self, level: str, code: str) -> bool:
        """Whether England or an LA gets its area page (national.html, la/<code>.html): census
        or LAIT figures, or rows of the subjects read on their own (``file_rows``)."""
        return self.has_area(level, code) or len(self.file_rows(level, code)) > 0

    def area_home(self, level: str, code: str) -> str | None:
        """The first page of England or an LA: its area page (census, LAIT, one-point band or
        missed-by-reason figures), else its "This year" page, else its pupil-group page; None
        when the data has none of them."""
        national = level == "national"
        base = "" if national else f"la/{code}"
        if self.has_area_page(level, code):
            return "national.html" if national else f"{base}.html"
        if (national and self.inyear_year is not None) or (not national and self.has_inyear(code)):
            return "this-year.html" if national else f"{base}-this-year.html"
        if self.has_groups(level, code):
            return "groups.html" if national else f"{base}-groups.html"
        return None

    def has_groups(self, level: str, code: str) -> bool:
        """Whether the data has pupil-group figures for an area (it then gets a groups page)."""
        return len(self.group_rows(level, code)) > 0

    @property
    def latest_year(self) -> str:
        """The latest academic year with figures: census, LAIT, in-year, pupil-group, one-point
        band or missed-by-reason (found once)."""
        if "latest_year" not in self._index_by:
            groups = self.groups
            group_years = [str(y) for y in groups["time_period"].unique()] if len(groups) else []
            files = self.file_table
            file_years = [str(y) for y in files["time_period"].unique()] if len(files) else []
            years = [y for y in (*self.years, *group_years, *file_years, self.inyear_latest) if y]
            self._index_by["latest_year"] = max(years) if years else ""
        return self._index_by["latest_year"]

    @property
    def latest_census_year(self) -> str:
        """The latest year of census figures ("" for data without a census file)."""
        return self.census_years[-1] if self.census_years else ""

    def name_of(self, level: str, code: str) -> str:
        """An area's name: the census or LAIT rows' latest, else (an LA) the first of the
        other files' (las()), else the code."""
        rows = self.rows(level, code)
        if len(rows):
            return str(rows["name"].iloc[-1])
        if level == "la":
            las = self.las()
            found = las["name"][(las["code"] == str(code)).to_numpy()]
            return str(found.iloc[0]) if len(found) else code
        return code

    def las(self) -> pd.DataFrame:
        """Every LA in the data (census, LAIT, in-year, pupil-group, missed-by-reason figures):
        code, name, region code and name (London not split); the census and LAIT names first."""
        if "las" in self._index_by:
            return self._index_by["las"]
        parts = []
        frames = (self.table, self.inyear, self.groups, self.inyear_groups, self.file_table)
        for frame in frames:
            if len(frame) and {"geographic_level", "code", "name"} <= set(frame.columns):
                la = frame[(frame["geographic_level"] == "la").to_numpy()]
                parts.append(
                    pd.DataFrame(
                        {
                            "code": la["code"].astype(str).to_numpy(),
                            "name": la["name"].astype(str).to_numpy(),
                        }
                    ).drop_duplicates("code", keep="last")
                )
        found = pd.concat(parts) if parts else pd.DataFrame({"code": [], "name": []})
        latest = found.drop_duplicates("code", keep="first")
        region = [self.reference.region_of(c) or "" for c in latest["code"]]
        las = pd.DataFrame(
            {
                "code": latest["code"].to_numpy(),
                "name": latest["name"].to_numpy(),
                "region_code": region,
                "region_name": [self.reference.regions.get(r, "Other") for r in region],
            }
        )
        self._index_by["las"] = las
        return las

    def has_full_year(self, la_code: str) -> bool:
        """Whether an LA has full-year figures (school census counts or LAIT rates): it then
        gets a latest data overview."""
        rows = self.rows("la", str(la_code))
        return bool(len(rows)) and bool((rows["period"] == "full-year").to_numpy().any())

    def geographic_neighbours(self, la_code: str) -> tuple[str, ...]:
        """The 3-digit codes of the LAs sharing a boundary with an LA (none for islands, or
        when the boundary file is not among the data)."""
        return self.geographic.get(str(la_code), ())


def build_site_data(dataset: Dataset, small_numbers: int = DEFAULT_THRESHOLD) -> SiteData:
    """Compute every indicator the site shows, once. ``small_numbers``: the small-number
    threshold of the pupil-group figures (disclosure.py)."""
    population = site_population(dataset.absence)
    frame = dataset.absence
    if len(frame):  # one population per site: never AP or four-year-olds in the state-funded series
        frame = frame[(frame["population"] == population).to_numpy()]
        frame = add_london(frame)
        frame["population"] = frame["population"].fillna(population)  # London's summed rows
    areas = frame[frame["geographic_level"] != "school"] if len(frame) else frame
    schools = frame[frame["geographic_level"] == "school"] if len(frame) else frame
    tables = [indicator_table(areas)]
    if len(schools):
        tables.append(indicator_table(schools, None, set(SCHOOL_INDICATORS)))
    table = concat_tables(tables)
    del tables
    if len(dataset.lait):
        table = add_lait(table, with_dtype(dataset.lait, "category"))
        table = concat_tables([table, rank_table(table, HEADLINE_IDS)])
    # source: which publication (the census file's name is not shown on pages)
    table["source"] = pd.Categorical.from_codes(
        (table["source"] == "LAIT").to_numpy().astype("int8"), categories=[CENSUS, LAIT]
    )
    index = table.groupby(["geographic_level", "code"], sort=False, observed=True).indices
    census_years = (
        tuple(sorted(frame["time_period"].astype("string").unique())) if len(frame) else ()
    )
    years = tuple(sorted(str(y) for y in table["time_period"].unique()))
    site = SiteData(
        table=table,
        frame=frame,
        population=population,
        main_period=main_period(frame),
        other_populations=tuple(
            sorted(set(dataset.absence["population"].astype("string")) - {population})
        )
        if len(dataset.absence)
        else (),
        reference=dataset.reference,
        files=dataset.files,
        census_years=census_years,
        years=years,
        _index=dict(index),
    )
    if len(dataset.groups):
        rates = add_all_pupils(group_rates(dataset.groups), table)
        site.groups = gaps(suppress(rates, small_numbers))
    add_inyear(site, dataset)
    _add_file_subjects(site, dataset)
    _add_geography(site, dataset)
    # schools and trusts last: the steps above briefly take much more memory than they keep
    add_schools(site, dataset, schools, small_numbers)
    site.school_rows("")  # build the indexes before workers fork, so they share them
    site.schools.row("")
    site.schools.members("")
    site.has_groups("la", "")
    return site


def _add_file_subjects(site: SiteData, dataset: Dataset) -> None:
    """The one-point bands and the enrolments missing a session by reason (not schools: no
    page shows a school's), indexed by area."""
    missed = dataset.missed_by_reason
    if len(missed):
        missed = missed[(missed["geographic_level"] != "school").to_numpy()]
    parts = [p for p in (band_rows(dataset.rate_bands), reason_rows(missed)) if len(p)]
    if not parts:
        return
    table = pd.concat(parts, ignore_index=True)
    site.file_table = table
    site._file_index = dict(table.groupby(["geographic_level", "code"], sort=False).indices)


def _add_geography(site: SiteData, dataset: Dataset) -> None:
    """The LA boundaries (maps) and each LA's geographic neighbours, once."""
    if dataset.boundaries is not None:
        boundaries = read_boundaries(dataset.boundaries)
        las = dataset.reference.las
        live = las[las["new_la_code"].isin(list(boundaries.codes))].drop_duplicates("new_la_code")
        to_la = dict(zip(live["new_la_code"], live["old_la_code"], strict=True))
        site.boundaries = boundaries
        site.boundaries_digest = hashlib.sha256(dataset.boundaries.read_bytes()).hexdigest()
        site.gss_to_la = to_la
        site.geographic = {
            to_la[gss]: tuple(sorted(to_la[n] for n in near if n in to_la))
            for gss, near in boundaries.neighbours().items()
            if gss in to_la
        }


def site_population(absence: pd.DataFrame) -> str:
    """The pupils a site's census pages describe: state-funded schools when the files have
    them, otherwise the one population they hold (e.g. pupil referral units)."""
    if not len(absence):
        return "state-funded"
    present = list(pd.unique(absence["population"].astype("string")))
    return "state-funded" if "state-funded" in present else sorted(present)[0]


def main_period(frame: pd.DataFrame) -> str:
    """The period a site's series show: the full year when the files have it, otherwise the
    autumn and spring terms (a site built from 2-term files says so). Never both in one series."""
    if not len(frame):
        return "full-year"
    periods = set(frame["period"].astype("string"))
    for period in ("full-year", "autumn-spring", "autumn", "spring", "summer"):
        if period in periods:
            return period
    return sorted(periods)[0]


def site_data(data: SiteData | str | Path | list | None = None) -> SiteData:
    """The site's data: ``data`` itself when already built, else load the path(s) given."""
    if isinstance(data, SiteData):
        return data
    paths = [Path(p) for p in (data if isinstance(data, list) else [data or "data"])]
    return loaded(paths)[1]


#: the files last loaded in this process and what was made of them, most recent last (see
#: ``loaded``): a few, so that a process alternating between two folders reads each once
_LAST: dict = {}
_KEEP = 3


def loaded(
    paths: list[Path] | None,
    strict: bool = False,
    small_numbers: int = DEFAULT_THRESHOLD,
    check: Callable[[Dataset], None] | None = None,
) -> tuple[Dataset, SiteData]:
    """``load``, ``check(dataset)`` (raises to stop), then ``build_site_data``, kept for the
    last files read in this process: the same paths with every file's size and modification
    time unchanged give the same objects again (read only), without reading anything (a
    notebook, or several commands in one process; the last ``_KEEP`` sets of files). A changed,
    added or removed file loads afresh."""
    files = every_file([Path(p) for p in paths] if paths else [DEFAULT_DATA])
    try:
        stats = tuple((str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    except OSError:
        stats = None  # load says what is wrong
    key = (stats, strict, small_numbers)
    if stats and key in _LAST:
        value = _LAST[key] = _LAST.pop(key)  # now the most recent
        if check is not None:
            check(value[0])
        return value
    dataset = load(paths, strict=strict)
    if check is not None:
        check(dataset)
    value = (dataset, build_site_data(dataset, small_numbers))
    if stats:
        while len(_LAST) >= _KEEP:
            del _LAST[next(iter(_LAST))]  # the least recently used
        _LAST[key] = value
    return value


def year_label(time_period: str) -> str:
    return period_label(time_period)
