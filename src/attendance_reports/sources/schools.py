"""School reference files -> school facts and URN links (the "school-reference" family).

DfE's school-level absence files give a school's URN, LAESTAB and LA, and (newer releases) its
name. Three reference files give the rest:

- DfE "Schools, pupils and their characteristics" school-level table (``spc_school_level_*``,
  one row per school at the January census): name, LAESTAB, LA, phase, type, academy flag,
  academy trust, district, ward, pupils on roll and the share known to be eligible for free
  school meals (FSM). Recognised by ``urn``, ``school_name``, ``phase_type_grouping``.
- A GIAS establishments list (every establishment, open and closed): name, town, postcode,
  open and close dates. Recognised by ``urn``, ``name``, ``town``, ``open_date``, ``close_date``.
- GIAS establishment links (``links_edubasealldata*``, Windows-1252): predecessor and successor
  URNs (academy conversions, mergers, splits). Recognised by ``urn``, ``linkurn``, ``linktype``.

Each fact keeps the date it is "as at": the census month for the SPC table (``time_period``
202223 -> January 2023), and the date in the file name for the GIAS files (``…20220706.csv`` ->
6 July 2022). ``read`` returns one frame per file (``kind``, ``source``, ``line``, ``as_at``,
``urn`` and the kind's columns); ``combine`` makes them a ``SchoolDirectory`` in which each fact
comes from the most recent file that has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from attendance_reports.errors import DataError
from attendance_reports.sources.contract import Recognised, Source, stamp
from attendance_reports.sources.read import RawTable, read_csv

FAMILY = "school-reference"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: kind -> (columns that identify it, file column -> fact). Facts are text; dates ISO.
KINDS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "school-census": (
        ("urn", "school_name", "phase_type_grouping", "time_period"),
        {
            "school_name": "name",
            "laestab": "laestab",
            "old_la_code": "la_code",
            "la_name": "la_name",
            "phase_type_grouping": "phase",
            "typeofestablishment_name": "type",
            "academy_flag": "governance",
            "trust": "trust",
            "district_administrative_code": "district_code",
            "district_administrative_name": "district",
            "ward_name": "ward",
            "of_pupils_known_to_be_eligible_for_free_school_meals": "fsm_percent",
            "headcount_of_pupils": "pupils",
            "opendate": "open_date",
        },
    ),
    "gias-establishments": (
        ("urn", "name", "town", "open_date", "close_date"),
        {
            "name": "name",
            "town": "town",
            "postcode": "postcode",
            "open_date": "open_date",
            "close_date": "close_date",
        },
    ),
    "gias-links": (
        ("urn", "linkurn", "linktype"),
        {"linkurn": "link_urn", "linktype": "link_type", "linkestablisheddate": "link_date"},
    ),
}
TITLES = {
    "school-census": "DfE, Schools, pupils and their characteristics (school census)",
    "gias-establishments": "Get Information about Schools (GIAS), establishments",
    "gias-links": "Get Information about Schools (GIAS), establishment links",
}
#: facts a page may show, in order, with their labels
FACTS: dict[str, str] = {
    "name": "Name",
    "town": "Town",
    "postcode": "Postcode",
    "la_name": "Local authority",
    "laestab": "LAESTAB",
    "phase": "Phase",
    "type": "Type of establishment",
    "governance": "Academy or maintained",
    "trust": "Academy trust",
    "district": "District",
    "district_code": "District code",
    "ward": "Ward",
    "fsm_percent": "Pupils known to be eligible for free school meals (%)",
    "pupils": "Pupils on roll (headcount)",
    "open_date": "Opened",
    "close_date": "Closed",
    "la_code": "Local authority code",
}
DATE_FACTS = ("open_date", "close_date", "link_date")
NUMBER_FACTS = ("fsm_percent", "pupils")
URN = re.compile(r"^\d{5,7}$")
NO_TRUST = ("none", "not applicable", "n/a", "z", "x")
FILE_DATE = re.compile(r"(20\d{2})(\d{2})(\d{2})")


def recognise(table: RawTable) -> Recognised | None:
    """A school reference file, by its columns (a header-only table is enough)."""
    present = set(table.frame.columns) | set(table.file_columns)
    if "sess_possible" in present:
        return None
    for kind, (needed, _) in KINDS.items():
        if all(c in present for c in needed):
            return Recognised(FAMILY, "none", "none", reason=kind)
    return None


def columns_of(recognised: Recognised) -> tuple[str, ...]:
    """The file columns the reader uses (the SPC table has 268; these are all it needs)."""
    needed, mapping = KINDS[recognised.reason]
    return tuple(dict.fromkeys((*needed, *mapping)))


def read_file(path: Path, recognised: Recognised) -> RawTable:
    """Read only the columns needed; GIAS files are Windows-1252 (UTF-8 is read too)."""
    return read_csv(path, columns_of(recognised), fallback="cp1252")


def _as_at(table: RawTable, kind: str, frame: pd.DataFrame) -> str:
    """When the facts of a file are true: the census month, or the date in the file name."""
    if kind == "school-census":
        periods = frame["time_period"].astype(str).str.strip().unique()
        bad = [p for p in periods if not re.fullmatch(r"\d{6}", p)]
        if bad or len(periods) != 1:
            row = (
                int(np.flatnonzero(frame["time_period"].astype(str).str.strip() != periods[0])[0])
                if len(periods) > 1
                else 0
            )
            raise DataError(
                table.where(row, "time_period"),
                f"time_period '{(bad or list(periods))[0 if bad else -1]}' is not one census "
                "year such as 202223",
                "pass the school-level table of one census year, as DfE publishes it",
            )
        return f"January {int(periods[0][:4]) + 1}"
    found = FILE_DATE.search(Path(table.name.split("!")[-1]).name)
    if not found:
        return "date not stated"
    year, month, day = (int(g) for g in found.groups())
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return "date not stated"
    return f"{day} {MONTHS[month - 1]} {year}"


def _iso_dates(table: RawTable, frame: pd.DataFrame, column: str) -> pd.Series:
    """dd-mm-yyyy or dd/mm/yyyy -> yyyy-mm-dd; blank stays blank; anything else is an error."""
    text = frame[column].astype(str).str.strip()
    parts = text.str.extract(r"^(\d{2})[-/](\d{2})[-/](\d{4})$")
    bad = (text != "") & parts[0].isna()
    month = pd.to_numeric(parts[1], errors="coerce")
    day = pd.to_numeric(parts[0], errors="coerce")
    bad |= (text != "") & ~((month >= 1) & (month <= 12) & (day >= 1) & (day <= 31))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            table.where(row, column),
            f"{table.labels.get(column, column)} '{text.iloc[row]}' is not a date (dd-mm-yyyy)",
            "leave the cell blank or write the date as dd-mm-yyyy, as GIAS does",
        )
    iso = parts[2] + "-" + parts[1] + "-" + parts[0]
    return iso.where(text != "", "")


def _urns(table: RawTable, frame: pd.DataFrame, column: str, blank_ok: bool = False) -> pd.Series:
    text = frame[column].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    bad = ~text.str.fullmatch(URN.pattern)
    if blank_ok:
        bad &= text != ""
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            table.where(row, column),
            f"URN '{text.iloc[row]}' is not a school's unique reference number (5 to 7 digits)",
            "check the file is a GIAS or DfE school list with its original URN column",
        )
    return text


def read(table: RawTable, recognised: Recognised, reference=None) -> tuple[pd.DataFrame, list]:
    """One school reference file -> its frame (see the module docstring). Bad URNs, dates or
    census years raise DataError with the file, line and column."""
    kind = recognised.reason
    frame = table.frame
    needed, mapping = KINDS[kind]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataError(
            table.where(None, None),
            f"required column '{missing[0]}' is missing",
            "pass the reference file with its original header",
        )
    out = pd.DataFrame({"urn": _urns(table, frame, "urn")})
    for column, fact in mapping.items():
        if column not in frame.columns:
            continue
        if fact in DATE_FACTS:
            out[fact] = _iso_dates(table, frame, column)
        elif fact == "link_urn":
            out[fact] = _urns(table, frame, column)
        else:
            out[fact] = frame[column].astype(str).str.strip()
    if "trust" in out.columns:  # three foundation schools have the text "None"
        out["trust"] = out["trust"].where(~out["trust"].str.lower().isin(NO_TRUST), "")
    for fact in NUMBER_FACTS:
        if fact in out.columns:
            text = out[fact]
            number = pd.to_numeric(text, errors="coerce")
            symbol = text.str.lower().isin(["z", "x", "c", ":", ".", "..", ""])
            bad = number.isna() & ~symbol
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                column = next(c for c, f in mapping.items() if f == fact)
                raise DataError(
                    table.where(row, column),
                    f"{table.labels.get(column, column)} '{text.iloc[row]}' is not a number",
                    "use a number or an EES symbol (z, x, c)",
                )
            out[fact] = number
    if kind == "school-census" and out["urn"].duplicated().any():
        row = int(np.flatnonzero(out["urn"].duplicated().to_numpy())[0])
        raise DataError(
            table.where(row, "urn"),
            f"URN {out['urn'].iloc[row]} appears twice",
            "pass the school-level table as DfE publishes it (one row per school)",
        )
    out.insert(0, "as_at", _as_at(table, kind, frame))
    out.insert(0, "line", np.arange(len(out)) + 2 if not table.multiline else 0)
    out.insert(0, "source", table.name)
    out.insert(0, "kind", kind)
    return stamp(out, recognised), []


SOURCE = Source(
    family=FAMILY,
    title="School reference: DfE school census table, GIAS establishments and links",
    target="schools",
    recognise=recognise,
    read=read,
    open=read_file,
)


# ---- the combined directory ----------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a fact comes from and when it was true."""

    title: str  # e.g. "DfE, Schools, pupils and their characteristics (school census)"
    as_at: str  # e.g. "January 2023"
    file: str = ""


@dataclass(frozen=True)
class SchoolDirectory:
    """Every school reference fact, one row per URN, and the links between URNs."""

    #: index urn (text); one column per fact (text, or float for NUMBER_FACTS; "" / NaN when
    #: unknown) and ``<fact>__from``: the position of its Origin in ``origins`` (-1: unknown)
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)
    origins: tuple[Origin, ...] = ()
    #: urn, link_urn, link_type (as GIAS spells it), link_date (ISO or "")
    links: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["urn", "link_urn", "link_type", "link_date"])
    )

    def __len__(self) -> int:
        return len(self.facts)

    def get(self, urn: str, fact: str) -> tuple[object, Origin | None]:
        """(value, origin) of one fact of one URN; ("", None) when unknown."""
        if fact not in self.facts.columns or urn not in self.facts.index:
            return "", None
        value = self.facts.at[urn, fact]
        origin = int(self.facts.at[urn, f"{fact}__from"])
        if origin < 0 or value is None or (isinstance(value, float) and np.isnan(value)):
            return "", None
        return value, self.origins[origin]


def _order(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Most recent first: the SPC table before GIAS (a later census wins over an older one)."""

    def key(frame: pd.DataFrame) -> tuple:
        as_at = str(frame["as_at"].iloc[0]) if len(frame) else ""
        parts = as_at.split()
        year = int(parts[-1]) if parts and parts[-1].isdigit() else 0
        month = next((i for i, m in enumerate(MONTHS) if m in parts), 0)
        day = int(parts[0]) if len(parts) == 3 and parts[0].isdigit() else 1
        return (-year, -month, -day, str(frame["source"].iloc[0]) if len(frame) else "")

    return sorted(frames, key=key)


def combine(frames: list[pd.DataFrame], keep: set[str] | None = None) -> SchoolDirectory:
    """The files' frames -> one directory. For each URN and fact, the most recent file with a
    value wins (the SPC table of January 2023 before the GIAS list of July 2022). ``keep``:
    only these URNs (the schools in the data and the URNs linked to them)."""
    facts_frames = [f for f in frames if len(f) and f["kind"].iloc[0] != "gias-links"]
    link_frames = [f for f in frames if len(f) and f["kind"].iloc[0] == "gias-links"]
    links = (
        pd.concat(link_frames, ignore_index=True)[["urn", "link_urn", "link_type", "link_date"]]
        if link_frames
        else SchoolDirectory().links
    )
    links = links.drop_duplicates(["urn", "link_urn", "link_type"]).reset_index(drop=True)
    if keep is not None:  # the URNs in the data and those up to two links away
        keep = set(keep)
        for _ in range(2):
            linked = links[links["urn"].isin(keep) | links["link_urn"].isin(keep)]
            keep |= set(linked["urn"]) | set(linked["link_urn"])
        links = links[links["urn"].isin(keep)].reset_index(drop=True)
    ordered = [f[f["urn"].isin(keep)] if keep is not None else f for f in _order(facts_frames)]
    origins = tuple(
        Origin(TITLES[str(f["kind"].iloc[0])], str(f["as_at"].iloc[0]), str(f["source"].iloc[0]))
        for f in _order(facts_frames)
    )
    urns = pd.Index(sorted(set().union(*(set(f["urn"]) for f in ordered))), dtype=object)
    facts = pd.DataFrame(index=urns)
    for fact in FACTS:
        pieces = []
        for origin, frame in enumerate(ordered):
            if fact not in frame.columns:
                continue
            value = frame[fact]
            have = value.notna() & (value.astype(str).str.strip() != "")
            pieces.append(
                pd.DataFrame({"urn": frame["urn"][have], "value": value[have], "from": origin})
            )
        found = (
            pd.concat(pieces).drop_duplicates("urn").set_index("urn")  # most recent first
            if pieces
            else pd.DataFrame(columns=["value", "from"])
        )
        empty = np.nan if fact in NUMBER_FACTS else ""
        values = found["value"].reindex(urns)
        facts[fact] = values.astype(float) if fact in NUMBER_FACTS else values.fillna(empty)
        facts[f"{fact}__from"] = found["from"].reindex(urns).fillna(-1).astype("int8")
    facts.index.name = "urn"
    return SchoolDirectory(facts.sort_index(), tuple(origins), links)
