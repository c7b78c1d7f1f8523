"""Files that travel with DfE data but hold no figures: documentation (READMEs, EES data
guidance, technical guidance, footnotes, LAIT's data dictionary, a shapefile's metadata),
reference lookups no page reads (ethnicity, SEN and school-type filter lists, the ONS
lower- to upper-tier LA lookup) and the parts of the ONS boundary shapefile.

Each is recognised for what it is and reported as skipped with the reason — never as an
unknown file — so a downloaded release folder (or any one file of it) validates. A site built
from such files alone has nothing to show: ``site/build.py`` refuses it and says what to add.
Text files (.md, .txt, .xml) and the shapefile's parts are recognised from the name alone
(``recognise_path``); the CSV ones from their columns.
"""

from __future__ import annotations

import re
from pathlib import Path

from attendance_reports.sources.contract import Recognised, Source
from attendance_reports.sources.layouts import kind_of
from attendance_reports.sources.read import RawTable

#: the shapefile's parts: the .shp is read by sources/geography.py with the others beside it
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")

DOCUMENT = "documentation"
LOOKUP = "reference lookup"


def _skip(family: str, what: str, why: str) -> Recognised:
    return Recognised(family, "none", "none", reason=what, skip=f"{what}: {why}")


def recognise_path(path: Path) -> Recognised | None:
    """A documentation or boundary file, from its name alone (no need to parse it)."""
    name = path.name.lower()
    if name.endswith(".shp.xml"):
        return _skip(
            "shapefile-metadata",
            "the boundary shapefile's ArcGIS metadata (XML)",
            "documentation, no figures; the .shp beside it is the boundary file",
        )
    if name.endswith(SHAPEFILE_PARTS):
        if name.endswith(".shp"):
            return Recognised(
                "boundaries",
                "none",
                "none",
                reason="ONS county and unitary authority boundaries (shapefile)",
            )
        return _skip(
            "boundaries",
            f"a part ({path.suffix.lower()}) of the boundary shapefile {path.stem}.shp",
            "read with the .shp beside it",
        )
    if name.endswith(".txt") and re.search(r"data[-_ ]?guidance", name):
        return _skip(
            "ees-data-guidance",
            "EES data guidance (text)",
            "documentation of a release's files and variables, no figures",
        )
    if name.endswith((".md", ".txt")) or name in ("readme", "licence", "license"):
        return _skip(DOCUMENT, "a text document", "documentation, no figures")
    return None


def _columns(table: RawTable) -> set[str]:
    return set(table.frame.columns) | set(table.file_columns)


def recognise(table: RawTable) -> Recognised | None:
    """A documentation or lookup CSV, from its columns."""
    present = _columns(table)
    if present == {"indicator", "description"}:
        return _skip(
            "ees-technical-guidance",
            "EES technical guidance (indicator definitions)",
            "documentation, no figures",
        )
    if kind_of(sorted(present)) == "lait-dictionary":
        return _skip(
            "lait-data-dictionary",
            "LAIT's data dictionary (measure definitions)",
            "documentation, no figures; LAIT's figures are in its long export",
        )
    if {"footnote", "subject"} <= present:
        return _skip("ees-footnotes", "EES footnotes", "documentation, no figures")
    if {"ethnicity_major", "ethnicity_minor"} <= present:
        return _skip(
            "ethnicity-lookup",
            "GSS ethnicity groups (major and minor)",
            "a lookup no page reads (the absence files carry their own labels)",
        )
    if {"col_name", "filter_item"} <= present:
        return _skip(
            "ees-filter-lookup",
            "EES screener filter items (school types, SEN …)",
            "a lookup no page reads (the absence files carry their own labels)",
        )
    if any(re.fullmatch(r"ltla\d\dcd", c) for c in present) and any(
        re.fullmatch(r"utla\d\dcd", c) for c in present
    ):
        return _skip(
            "ltla-utla-lookup",
            "ONS lower- to upper-tier local authority lookup",
            "a lookup no page reads (the absence files give upper-tier LAs only)",
        )
    return None


SOURCE = Source(
    family=DOCUMENT,
    title="Documentation, unused lookups and boundary shapefile parts",
    target="reference",
    recognise=recognise,
    read=None,
    recognise_path=recognise_path,
)
