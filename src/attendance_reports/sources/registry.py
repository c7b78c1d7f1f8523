"""Every DfE file family the tool reads, in the order ``load`` tries them.

Adding a family is one module exposing ``SOURCE`` (see contract.py) plus a line here and a
fixture; ``tests/test_corpus.py`` fails when a file in the shared data is read by none.
"""

from __future__ import annotations

from attendance_reports.sources import (
    bands,
    census,
    inyear,
    inyear_characteristics,
    inyear_pa_series,
    lait,
    lookups,
    social_care,
)
from attendance_reports.sources.contract import Recognised, Source
from attendance_reports.sources.read import RawTable

SOURCES: tuple[Source, ...] = (
    lait.SOURCE,
    *lookups.SOURCES,
    bands.SOURCE,
    social_care.SOURCE,
    inyear_pa_series.SOURCE,
    inyear_characteristics.SOURCE,
    inyear.SOURCE,
    inyear.PA_EXPORT_SOURCE,
    census.SOURCE,
)


def recognise(table: RawTable) -> tuple[Source, Recognised] | None:
    """The first source that recognises the table, with what it made of it."""
    for source in SOURCES:
        recognised = source.recognise(table)
        if recognised is not None:
            return source, recognised
    return None
