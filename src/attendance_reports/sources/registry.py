"""Every DfE file family the tool reads, in the order ``load`` tries them.

Adding a family is one module exposing ``SOURCE`` (see contract.py) plus a line here and a
fixture; ``tests/test_corpus.py`` fails when a file in the shared data is read by none.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from attendance_reports.sources import (
    absence_rate_bands,
    bands,
    census,
    documents,
    inyear,
    inyear_characteristics,
    inyear_pa_series,
    lait,
    lookups,
    schools,
    sessions_missed_by_reason,
    social_care,
    unshown_subjects,
)
from attendance_reports.sources.contract import Recognised, Source
from attendance_reports.sources.read import RawTable, read_header

SOURCES: tuple[Source, ...] = (
    documents.SOURCE,
    lait.SOURCE,
    *lookups.SOURCES,
    bands.SOURCE,
    social_care.SOURCE,
    inyear_pa_series.SOURCE,
    inyear_characteristics.SOURCE,
    inyear.SOURCE,
    inyear.PA_EXPORT_SOURCE,
    absence_rate_bands.SOURCE,
    sessions_missed_by_reason.SOURCE,
    unshown_subjects.SOURCE,
    census.SOURCE,
    schools.SOURCE,
)


def recognise(table: RawTable) -> tuple[Source, Recognised] | None:
    """The first source that recognises the table, with what it made of it."""
    for source in SOURCES:
        recognised = source.recognise(table)
        if recognised is not None:
            return source, recognised
    return None


def recognise_path(path: Path) -> tuple[Source, Recognised] | None:
    """A source that knows the file from its name alone (documentation, shapefile parts)."""
    for source in SOURCES:
        if source.recognise_path is not None:
            recognised = source.recognise_path(path)
            if recognised is not None:
                return source, recognised
    return None


def recognise_header(path: Path) -> tuple[Source, Recognised] | None:
    """A source that opens its files itself (``Source.open``), recognised from the header alone."""
    header = RawTable(str(path), pd.DataFrame(columns=read_header(path)), {})
    for source in SOURCES:
        if source.open is not None:
            recognised = source.recognise(header)
            if recognised is not None:
                return source, recognised
    return None
