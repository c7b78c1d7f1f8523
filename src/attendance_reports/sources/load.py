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
from attendance_reports.sources.bands import validate_bands
from attendance_reports.sources.inyear import combine as combine_inyear
from attendance_reports.sources.inyear import validate_inyear
from attendance_reports.sources.inyear_characteristics import SOURCE as INYEAR_GROUPS
from attendance_reports.sources.inyear_characteristics import combine as combine_inyear_groups
from attendance_reports.sources.inyear_pa_series import SOURCE as INYEAR_PA_SERIES
from attendance_reports.sources.lait import validate_lait
from attendance_reports.sources.layouts import ALIASES, READ_KINDS, REQUIRED_ABSENCE, kind_of
from attendance_reports.sources.read import RawTable, is_csv_path, read_csv
from attendance_reports.sources.reference import Reference, read_reference
from attendance_reports.sources.social_care import validate_social_care
from attendance_reports.sources.validate import Finding, validate_absence, with_categories

DEFAULT_DATA = Path("data")
#: file families read through their contract module (sources/contract.py), tried first
SOURCES = (INYEAR_PA_SERIES, INYEAR_GROUPS)
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
    for path, named in files:
        table = read_csv(path)
        source = next((src for src in SOURCES if src.recognise(table)), None)
        if source is not None:  # a file family with a contract module (sources/contract.py)
            tables.setdefault(f"source:{source.family}", []).append((table, path))
            continue
        kind = kind_of(list(table.frame.columns))
        present = {ALIASES.get(c, c) for c in table.frame.columns}
        lacking = [c for c in REQUIRED_ABSENCE if c not in present]
        if kind == "absence" and not named:
            if lacking:  # another EES absence subject (e.g. four-year-olds: overall absence only)
                kind = f"absence without {', '.join(lacking)}"
            elif "breakdown" in present:
                kind = "pupil characteristics"
        if kind not in READ_KINDS:
            reason = "not a file this tool reads yet" if kind else "not a recognised DfE layout"
            if kind == "pupil characteristics":
                reason = (
                    "pupil characteristics are read only when the file is named (their "
                    "England totals repeat the main file's)"
                )
            columns = list(table.frame.columns)
            missing = [c for c in REQUIRED_ABSENCE if c not in columns]
            if named and 0 < len(missing) <= 2:
                raise DataError(
                    Location(table.name, 1, 1),
                    f"required column '{missing[0]}' is missing",
                    "pass an EES pupil-absence file with its original header",
                )
            if named:
                raise DataError(
                    Location(table.name, 1, 1),
                    f"{reason} ({kind or 'unknown columns'})",
                    "pass EES pupil-absence CSVs, LAIT's long export or DfE lookups",
                )
            reports.append(
                FileReport(
                    table.name, kind or "unknown", len(table.frame), _sha256(path), skipped=reason
                )
            )
            continue
        tables.setdefault(kind, []).append((table, path))

    reference = read_reference({k: [t for t, _ in v] for k, v in tables.items()})
    absence_frames, lait_frames, inyear_frames, band_frames = [], [], [], []
    inyear_group_frames: list[pd.DataFrame] = []
    for kind, entries in tables.items():
        for table, path in entries:
            findings: list[Finding] = []
            if kind == "absence":
                frame, findings = validate_absence(table, reference)
                absence_frames.append(frame)
            elif kind == "lait":
                frame, findings = validate_lait(table, reference)
                lait_frames.append(frame)
            elif kind in ("attendance", "attendance-pa"):
                inyear_frames.append(validate_inyear(table, reference))
            elif kind == "absence-bands":
                band_frames.append(validate_bands(table))
            elif kind == "cin-absence":
                band_frames.append(validate_social_care(table))
            elif kind.startswith("source:"):
                source = next(src for src in SOURCES if f"source:{src.family}" == kind)
                frame, findings = source.read(table, source.recognise(table), reference)
                if source.target == "inyear":
                    inyear_frames.append(frame)
                else:
                    inyear_group_frames.append(frame)
            name = kind.removeprefix("source:")
            reports.append(
                FileReport(table.name, name, len(table.frame), _sha256(path), tuple(findings))
            )
    absence = _combine(
        absence_frames,
        ["time_period", "period", "geographic_level", "code", "laestab", "phase", "breakdown"],
    )
    lait = _combine(lait_frames, ["time_period", "geographic_level", "code", "phase", "indicator"])
    inyear, superseded = combine_inyear(inyear_frames)
    groups = combine_counts([*band_frames, characteristic_counts(absence)])
    dataset = Dataset(
        absence=absence,
        lait=lait,
        reference=reference,
        files=tuple(reports),
        inyear=inyear,
        superseded=superseded,
        boundaries=boundaries,
        groups=groups,
        inyear_groups=combine_inyear_groups(inyear_group_frames),
    )
    if strict and dataset.findings:
        first = dataset.findings[0]
        raise DataError(
            first.first,
            f"{first.message} ({first.count:,} rows)",
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
