"""The one contract every DfE file family's module keeps, and the vocabulary its rows carry.

A source module (one per file family: census absence, LAIT, absence bands, children in need,
in-year attendance, lookups, …) exposes ``SOURCE = Source(...)``:

- ``recognise(table)`` looks at the columns, filter values, the EES ``.meta.csv`` and the file
  name and says what the file is (``Recognised``: family, population, period type), or returns
  None when the file is not of this family. It never raises.
- ``read(table, recognised, reference)`` validates the file and returns one tidy frame and its
  findings (``Finding``: warnings; errors raise ``DataError`` with file, line and column). Every
  row of the frame carries ``source`` (the file), ``population``, ``period_type`` and
  ``published`` (True: DfE's published figure; False: combined by us — the method says how).

- ``recognise_path(path)`` (optional, for files that are not CSV: documentation, boundary
  shapefiles) recognises a file from its name before anything is parsed.
- ``open(path, recognised)`` (optional, for wide files such as the school census table of 268
  columns): ``recognise`` is first given a table of the header alone, and a source that says
  yes opens the file itself, reading only the columns it needs.

``sources/registry.py`` lists the sources in the order ``load`` tries them; a file no source
recognises is refused in one line (named) or skipped with the reason (inside a folder).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from attendance_reports.sources.read import RawTable
    from attendance_reports.sources.reference import Reference
    from attendance_reports.sources.validate import Finding

#: who a figure is about: id -> the words used in headings, sentences, captions and CSVs
POPULATIONS: dict[str, str] = {
    "state-funded": "pupils in state-funded primary, secondary and special schools",
    "special": "pupils in special schools",
    "alternative-provision": "pupils in pupil referral units and alternative provision",
    "four-year-olds": "four-year-olds in state-funded primary schools",
    "children-in-need": "children in need, on a protection plan or looked after",
    "state-funded-inyear": "pupils in state-funded schools (in-year attendance data)",
    "none": "no pupils (a lookup or reference file)",
}

#: the schools a population's figures come from, as sentences and captions say it
SCHOOLS: dict[str, str] = {
    "state-funded": "state-funded primary, secondary and special schools",
    "special": "special schools",
    "alternative-provision": "pupil referral units and alternative provision",
    "four-year-olds": "state-funded schools (four-year-olds)",
    "children-in-need": "state-funded schools (children in need)",
    "state-funded-inyear": "state-funded schools",
    "none": "",
}

#: which part of the school year a figure covers: id -> words
PERIOD_TYPES: dict[str, str] = {
    "full-year": "the full school year",
    "autumn-spring": "the autumn and spring terms",
    "term": "one term",
    "week": "one week",
    "day": "one day",
    "year-to-date": "the year to date",
    "none": "no period (a lookup or reference file)",
}

#: the Dataset part a family's rows go to
TARGETS = (
    "absence",
    "lait",
    "groups",
    "inyear",
    "inyear-groups",
    "reference",
    "schools",
    "rate-bands",
    "missed-by-reason",
)


@dataclass(frozen=True)
class Recognised:
    """What a file is: its family, the pupils it covers and the period type of its rows
    (``"mixed"`` when its rows say it, e.g. a file of several terms)."""

    family: str
    population: str
    period_type: str
    reason: str = ""  # how it was recognised, for `validate`'s report
    #: set when the file is of this family but cannot be read right: load refuses it with
    #: ``FILE:1:1: problem — hint``
    problem: str = ""
    hint: str = ""
    #: set when the file is recognised but holds no figures a page shows (documentation, a
    #: lookup no page reads, a subject not shown yet): load reports it skipped with this reason
    skip: str = ""

    def __post_init__(self) -> None:
        assert self.population in POPULATIONS, self.population
        assert self.period_type in (*PERIOD_TYPES, "mixed"), self.period_type


Reader = Callable[["RawTable", Recognised, "Reference"], tuple[pd.DataFrame, list["Finding"]]]


@dataclass(frozen=True)
class Source:
    """One DfE file family."""

    family: str  # id, e.g. "census-absence"
    title: str  # what DfE calls these files
    target: str  # one of TARGETS
    recognise: Callable[[RawTable], Recognised | None]
    read: Reader | None  # None: a lookup read by reference.py from the recognised tables
    #: a family of wide files opens them itself from the header alone (recognise is given a
    #: table of the header only), reading only the columns it needs
    open: Callable[[Path, Recognised], RawTable] | None = None
    #: a family recognised from the file name alone, before any parsing (documentation such
    #: as READMEs and data guidance, the parts of a boundary shapefile)
    recognise_path: Callable[[Path], Recognised | None] | None = None

    def __post_init__(self) -> None:
        assert self.target in TARGETS, self.target


def stamp(
    frame: pd.DataFrame, recognised: Recognised, *, published: bool | pd.Series = True
) -> pd.DataFrame:
    """The contract's columns on every row: population, period type (unless the rows carry
    their own) and the published flag."""
    # a shallow copy: the caller's frame never gains the columns (copy on write), and no
    # column is copied
    out = frame.copy(deep=False) if "population" in frame.columns else frame
    if "population" not in out.columns:
        out["population"] = pd.Categorical([recognised.population] * len(out))
    if "period_type" not in out.columns:
        out["period_type"] = pd.Categorical([recognised.period_type] * len(out))
    if "published" not in out.columns:
        out["published"] = published
    return out


def stamped(validate: Callable[[RawTable], pd.DataFrame]) -> Reader:
    """The reader of a family whose validation gives its tidy frame and no warnings: that
    frame with the contract's columns (``stamp``)."""

    def read(
        table: RawTable, recognised: Recognised, reference: Reference
    ) -> tuple[pd.DataFrame, list[Finding]]:
        return stamp(validate(table), recognised), []

    return read
