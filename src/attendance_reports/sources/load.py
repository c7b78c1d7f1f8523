"""Data paths -> one validated Dataset: census absence rows, LAIT rates and reference lookups.

A path may be a file or a folder (its recognised CSV files are read, in name order). Every
file is read and validated before anything else happens, so a bad file stops the command
before a single output is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from attendance_reports.errors import DataError, Location
from attendance_reports.indicators.groups import characteristic_counts, combine_counts
from attendance_reports.sources import schools as school_reference
from attendance_reports.sources.contract import TARGETS, Recognised, Source
from attendance_reports.sources.inyear import combine as combine_inyear
from attendance_reports.sources.inyear_characteristics import combine as combine_inyear_groups
from attendance_reports.sources.layouts import ALIASES, REQUIRED_ABSENCE, kind_of
from attendance_reports.sources.read import RawTable, is_csv_path, read_csv
from attendance_reports.sources.reference import Reference, read_reference
from attendance_reports.sources.registry import recognise, recognise_header
from attendance_reports.sources.validate import Finding, with_categories

DEFAULT_DATA = Path("data")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


@dataclass(frozen=True)
class FileReport:
    """What was made of one input file."""

    name: str
    kind: str
    rows: int
    sha256: str
    findings: tuple[Finding, ...] = ()
    skipped: str = ""  # why a file in a folder was not used
    population: str = ""  # contract.POPULATIONS id
    period_type: str = ""  # contract.PERIOD_TYPES id, or "mixed"


@dataclass(frozen=True)
class Dataset:
    """Everything the indicators need, validated."""

    absence: pd.DataFrame  # tidy census absence rows (validate.ID_COLUMNS + measures)
    lait: pd.DataFrame  # LAIT rates in the indicator-table layout
    reference: Reference
    files: tuple[FileReport, ...] = field(default_factory=tuple)
    #: in-year attendance rows (inyear.ID_COLUMNS + measures): a separate source, never joined
    #: to ``absence``
    inyear: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: year-to-date files replaced by a later version of the same year
    superseded: tuple[str, ...] = ()
    #: the ONS boundary shapefile (.shp) when one is among the paths
    boundaries: Path | None = None
    #: pupil-group counts (indicators/groups.py COUNT_COLUMNS): the absence-bands file and the
    #: group rows of characteristics files
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: in-year attendance by pupil group (sources/inyear_characteristics.py): a separate
    #: source, never joined to ``groups``
    inyear_groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: school names, places, trusts and URN links (sources/schools.py), for the URNs in
    #: ``absence`` and those linked to them
    schools: school_reference.SchoolDirectory = field(
        default_factory=school_reference.SchoolDirectory
    )

    @property
    def findings(self) -> list[Finding]:
        return [f for report in self.files for f in report.findings]


def expand(paths: list[Path]) -> list[tuple[Path, bool]]:
    """Files to read, each with whether the user named it (True) or it came from a folder."""
    out: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            out += [(p, False) for p in sorted(path.rglob("*")) if p.is_file() and is_csv_path(p)]
        elif path.suffix.lower() not in SHAPEFILE_PARTS:
            out.append((path, True))
    return out


def find_boundaries(paths: list[Path]) -> Path | None:
    """The first ONS boundary shapefile (.shp) named or inside a folder, in name order."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.shp") if p.is_file())
            if found:
                return found[0]
        elif path.suffix.lower() == ".shp":
            return path
    return None


#: family -> the kind name `validate` has always printed
KIND_NAMES = {
    "census-absence": "absence",
    "children-in-need": "cin-absence",
    "attendance-pa-export": "attendance-pa",
    "school-reference": "school reference ({reason})",
}


def _skip_reason(table: RawTable, found: tuple[Source, Recognised] | None, named: bool) -> str:
    """Why a file is not read ('' when it is); a named file that cannot be read is an error."""
    columns = list(table.frame.columns)
    kind = kind_of(columns)
    present = {ALIASES.get(c, c) for c in columns}
    lacking = [c for c in REQUIRED_ABSENCE if c not in present]
    if found is not None and found[0].family == "census-absence":
        if not named and lacking:  # another EES absence subject (e.g. four-year-olds)
            return f"absence without {', '.join(lacking)}: not a file this tool reads yet"
        if not named and "breakdown" in present:
            return (
                "pupil characteristics are read only when the file is named (their "
                "England totals repeat the main file's)"
            )
        if named and lacking:
            raise DataError(
                Location(table.name, 1, 1),
                f"required column '{lacking[0]}' is missing",
                "pass an EES pupil-absence file with its original header",
            )
        return ""
    if found is not None:
        return ""
    reason = "not a file this tool reads yet" if kind else "not a recognised DfE layout"
    if named and 0 < len(lacking) <= 2:  # an absence file with a column cut off
        raise DataError(
            Location(table.name, 1, 1),
            f"required column '{lacking[0]}' is missing",
            "pass an EES pupil-absence file with its original header",
        )
    if named:
        raise DataError(
            Location(table.name, 1, 1),
            f"{reason} ({kind or 'unknown columns'})",
            "pass EES pupil-absence CSVs, LAIT's long export or DfE lookups",
        )
    return reason


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load(paths: list[Path] | None = None, *, strict: bool = False) -> Dataset:
    """Read and validate every file under ``paths`` (default: ./data)."""
    paths = list(paths) if paths else [DEFAULT_DATA]
    for path in paths:
        if not path.exists():
            raise DataError(
                Location(str(path)),
                "no such file or folder",
                "pass the path of a DfE CSV file or a folder of them",
            )
    tables: dict[str, list[tuple[RawTable, Path]]] = {}
    reports: list[FileReport] = []
    boundaries = find_boundaries(paths)
    files = expand(paths)
    if not files:
        raise DataError(
            Location(str(paths[0]), 1, 1),
            "no CSV, .csv.gz or .zip files found",
            "pass DfE CSV files or a folder that holds them",
        )
    seen: dict[Path, Path] = {}
    for path, _ in files:
        if path.resolve() in seen:
            raise DataError(
                Location(str(path), 1, 1),
                "this file is given twice",
                "pass each file once (a folder and a file inside it count twice)",
            )
        seen[path.resolve()] = path
    read_with: list[tuple[RawTable, Path, Source, Recognised]] = []
    for path, named in files:
        found = recognise_header(path)  # a source that reads only the columns it needs
        table = found[0].open(path, found[1]) if found and found[0].open else read_csv(path)
        found = found or recognise(table)
        if found is not None and found[1].problem:
            raise DataError(Location(table.name, 1, 1), found[1].problem, found[1].hint)
        skip = _skip_reason(table, found, named)
        if skip:
            kind = found[1].family if found else kind_of(list(table.frame.columns))
            reports.append(
                FileReport(
                    table.name, kind or "unknown", len(table.frame), _sha256(path), skipped=skip
                )
            )
            continue
        source, recognised = found
        tables.setdefault(source.family, []).append((table, path))
        read_with.append((table, path, source, recognised))

    reference = read_reference({k: [t for t, _ in v] for k, v in tables.items()})
    parts: dict[str, list[pd.DataFrame]] = {target: [] for target in TARGETS}
    for table, path, source, recognised in read_with:
        findings: list[Finding] = []
        if source.read is not None:
            frame, findings = source.read(table, recognised, reference)
            parts[source.target].append(frame)
        reports.append(
            FileReport(
                table.name,
                KIND_NAMES.get(source.family, source.family).format(reason=recognised.reason),
                len(table.frame),
                _sha256(path),
                tuple(findings),
                population=recognised.population,
                period_type=recognised.period_type,
            )
        )
    absence_frames, lait_frames = parts["absence"], parts["lait"]
    inyear_frames, band_frames = parts["inyear"], parts["groups"]
    absence = _combine(
        absence_frames,
        [
            "population",
            "time_period",
            "period",
            "geographic_level",
            "code",
            "laestab",
            "phase",
            "breakdown",
        ],
    )
    lait = _combine(lait_frames, ["time_period", "geographic_level", "code", "phase", "indicator"])
    inyear, superseded = combine_inyear(inyear_frames)
    groups = combine_counts([*band_frames, characteristic_counts(absence)])
    directory = school_reference.SchoolDirectory()
    if parts["schools"]:
        in_data = absence["code"][absence["geographic_level"] == "school"] if len(absence) else []
        directory = school_reference.combine(
            parts["schools"], set(pd.unique(pd.Series(in_data).astype(str)))
        )
    dataset = Dataset(
        absence=absence,
        lait=lait,
        reference=reference,
        files=tuple(reports),
        inyear=inyear,
        superseded=superseded,
        boundaries=boundaries,
        groups=groups,
        inyear_groups=combine_inyear_groups(parts["inyear-groups"]),
        schools=directory,
    )
    if strict and dataset.findings:
        first = dataset.findings[0]
        raise DataError(
            first.first,
            f"{first.message} ({first.count:,} row{'s' if first.count != 1 else ''})",
            "fix the data, or run without --strict to accept warnings",
        )
    return dataset


def _combine(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Concatenate per-file frames; a key present in two files is an error naming both."""
    if not frames:
        return pd.DataFrame()
    if len(frames) == 1:
        return frames[0]
    combined = with_categories(pd.concat(frames, ignore_index=True))
    present = [k for k in keys if k in combined.columns]
    dup = combined.duplicated(present, keep=False)
    if dup.any():
        rows = combined[dup]
        later = combined[combined.duplicated(present, keep="first")].iloc[0]
        earlier = rows[(rows[present] == later[present]).all(axis=1)].iloc[0]
        raise DataError(
            Location(str(later["source"]), int(later["line"]), 1),
            f"the same row is also in {earlier['source']} line {int(earlier['line'])}",
            "pass each file once (a folder and a file inside it count twice)",
        )
    return combined
