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
from attendance_reports.render.formatting import counted
from attendance_reports.sources import schools as school_reference
from attendance_reports.sources.absence_frame import empty_absence, with_categories
from attendance_reports.sources.contract import TARGETS, Recognised, Source
from attendance_reports.sources.inyear import combine as combine_inyear
from attendance_reports.sources.inyear_characteristics import combine as combine_inyear_groups
from attendance_reports.sources.layouts import ALIASES, REQUIRED_ABSENCE, kind_of
from attendance_reports.sources.read import RawTable, is_csv_path, read_csv
from attendance_reports.sources.reference import Reference, read_reference
from attendance_reports.sources.registry import recognise, recognise_header, recognise_path
from attendance_reports.sources.validate import Finding

DEFAULT_DATA = Path("data")


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

    absence: pd.DataFrame  # tidy census absence rows (absence_frame.ID_COLUMNS + measures)
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
    #: enrolments by one-point absence-rate band (sources/absence_rate_bands.py): England's
    #: distribution, shown beside the census figures, never joined to them
    rate_bands: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: enrolments missing at least one session, by reason (sources/sessions_missed_by_reason.py)
    missed_by_reason: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def findings(self) -> list[Finding]:
        return [f for report in self.files for f in report.findings]


def every_file(paths: list[Path]) -> list[Path]:
    """Every file a build may read under ``paths`` (folders: all their files, the boundary
    shapefile's parts too), sorted: what decides whether the data changed."""
    files: list[Path] = []
    for path in map(Path, paths):
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return files


def expand(paths: list[Path]) -> list[tuple[Path, bool]]:
    """Files to read, each with whether the user named it (True) or it came from a folder."""
    out: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            out += [(p, False) for p in sorted(path.rglob("*")) if p.is_file() and is_csv_path(p)]
        else:  # a named file is always looked at, whatever its kind
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


def _by_name_report(path: Path, source: Source, recognised: Recognised) -> FileReport:
    """A file known from its name: documentation (skipped) or the boundary shapefile (read
    here to check it; the site reads it again from ``Dataset.boundaries``)."""
    if recognised.skip:
        return FileReport(str(path), recognised.family, 0, _sha256(path), skipped=recognised.skip)
    from attendance_reports.sources.geography import read_boundaries

    boundaries = read_boundaries(path)
    return FileReport(
        str(path),
        recognised.family,
        len(boundaries.codes),
        _sha256(path),
        population=recognised.population,
        period_type=recognised.period_type,
    )


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
    read_with: list[tuple[RawTable, str, Source, Recognised]] = []
    digests: dict[str, str] = {}  # SHA-256 -> the file read with those bytes
    for path, named in files:
        by_name = recognise_path(path)
        if by_name is not None:
            reports.append(_by_name_report(path, *by_name))
            continue
        found = recognise_header(path)  # a source that reads only the columns it needs
        table = found[0].open(path, found[1]) if found and found[0].open else read_csv(path)
        found = found or recognise(table)
        if found is not None and found[1].problem:
            raise DataError(Location(table.name, 1, 1), found[1].problem, found[1].hint)
        skip = found[1].skip if found is not None else ""
        skip = skip or _skip_reason(table, found, named)
        if skip:
            kind = found[1].family if found else kind_of(list(table.frame.columns))
            reports.append(
                FileReport(
                    table.name, kind or "unknown", len(table.frame), _sha256(path), skipped=skip
                )
            )
            continue
        source, recognised = found
        digest = _sha256(path)
        if digest in digests:  # a copy (data/'s lookup and the same file elsewhere): read once
            reports.append(
                FileReport(
                    table.name,
                    recognised.family,
                    len(table.frame),
                    digest,
                    skipped=f"the same bytes as {digests[digest]}, read once",
                )
            )
            continue
        digests[digest] = table.name
        tables.setdefault(source.family, []).append((table, path))
        read_with.append((table, digest, source, recognised))

    reference = read_reference({k: [t for t, _ in v] for k, v in tables.items()})
    parts: dict[str, list[pd.DataFrame]] = {target: [] for target in TARGETS}
    for table, digest, source, recognised in read_with:
        findings: list[Finding] = []
        if source.read is not None:
            frame, findings = source.read(table, recognised, reference)
            parts[source.target].append(frame)
        reports.append(
            FileReport(
                table.name,
                KIND_NAMES.get(source.family, source.family).format(reason=recognised.reason),
                len(table.frame),
                digest,
                tuple(findings),
                population=recognised.population,
                period_type=recognised.period_type,
            )
        )
    absence_frames, lait_frames = parts["absence"], parts["lait"]
    inyear_frames, band_frames = parts["inyear"], parts["groups"]
    absence = (
        _combine(_without_repeated_totals(absence_frames), [*ABSENCE_KEYS, "breakdown"])
        if absence_frames
        else empty_absence()
    )
    lait = _combine(lait_frames, ["time_period", "geographic_level", "code", "phase", "indicator"])
    inyear, superseded = combine_inyear(_drop_repeated(inyear_frames))
    groups = combine_counts([*_drop_repeated(band_frames), characteristic_counts(absence)])
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
        inyear_groups=combine_inyear_groups(_drop_repeated(parts["inyear-groups"])),
        schools=directory,
        rate_bands=_one_version(parts["rate-bands"], RATE_BAND_KEYS),
        missed_by_reason=_one_version(parts["missed-by-reason"], MISSED_KEYS),
    )
    if strict and dataset.findings:
        first = dataset.findings[0]
        raise DataError(
            first.first,
            f"{first.message} ({counted(first.count, 'row')})",
            "fix the data, or run without --strict to accept warnings",
        )
    return dataset


ABSENCE_KEYS = [
    "population",
    "time_period",
    "period",
    "geographic_level",
    "code",
    "laestab",
    "phase",
]


#: what makes a row of each subject: a second file's row with the same key and figures is
#: read once; with other figures it is an error naming both files
RATE_BAND_KEYS = ["time_period", "geographic_level", "code", "phase", "band"]
MISSED_KEYS = ["time_period", "geographic_level", "code", "phase"]


def _one_version(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """One subject's frames stacked, each row once (``_combine``); empty when no file has it."""
    if not frames:
        return pd.DataFrame()
    return _combine(frames, keys) if len(frames) > 1 else frames[0]


def _without_repeated_totals(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """A pupil-characteristics file repeats the all-pupils rows of the main absence file (with
    enrolments rounded to 5 and rates to 1 d.p.): where both are given, the main file's row
    is the figure, and the characteristics file's copy is left out."""
    if len(frames) < 2 or not any(_has_groups(f) for f in frames):
        return frames
    main = [f for f in frames if not _has_groups(f)]
    if not main:
        return frames
    keys = [k for k in ABSENCE_KEYS if all(k in f.columns for f in frames)]
    seen = pd.concat([f[keys] for f in main], ignore_index=True).drop_duplicates()
    seen_index = pd.MultiIndex.from_frame(seen.astype(str))
    out = []
    for frame in frames:
        if _has_groups(frame):
            total = (frame["breakdown"].astype(str) == "total").to_numpy()
            repeated = pd.MultiIndex.from_frame(frame[keys].astype(str)).isin(seen_index)
            frame = frame[~(total & repeated)]
        out.append(frame)
    return out


def _drop_repeated(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """Rows two files both hold with the same figures (the bundled extract beside the full
    file it was cut from, which may carry more columns) are read once: from the file with
    more columns, else the first. A file left with no rows of its own is dropped. Rows that
    differ are left for the family's own combine, which names both files."""
    kept: list[pd.DataFrame] = []
    for frame in frames:
        for i, earlier in enumerate(kept):
            common = [
                c for c in earlier.columns if c in frame.columns and c not in ("source", "line")
            ]
            if not common or not len(earlier) or not len(frame) or _disjoint(earlier, frame):
                continue
            before = pd.MultiIndex.from_frame(earlier[common].astype("string").fillna("\0"))
            now = pd.MultiIndex.from_frame(frame[common].astype("string").fillna("\0"))
            if len(frame.columns) > len(earlier.columns):
                kept[i] = earlier[~before.isin(now)]
            else:
                frame = frame[~now.isin(before)]
        kept.append(frame)
    return [f for f in kept if len(f)] or frames[:1]


#: columns whose values tell two files apart cheaply (a year, a period, a kind of file)
_TELLING = ("time_period", "academic_year", "kind", "time_identifier", "period", "time_frame")


def _disjoint(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two files cannot share a row: they have no value in common in a column that
    tells files apart (checked before comparing whole rows, which is costly for wide files)."""
    for column in _TELLING:
        if column in a.columns and column in b.columns:
            left = set(pd.unique(a[column].astype("string").fillna("\0")))
            if left.isdisjoint(pd.unique(b[column].astype("string").fillna("\0"))):
                return True
    return False


def _has_groups(frame: pd.DataFrame) -> bool:
    return "breakdown" in frame.columns and bool((frame["breakdown"].astype(str) != "total").any())


def _combine(frames: list[pd.DataFrame], keys: list[str]) -> pd.DataFrame:
    """Concatenate per-file frames. A row present in two files with the same figures (the
    bundled extract and the full file it was cut from) is read once, from the first file; a
    key present in two files with different figures is an error naming both."""
    if not frames:
        return pd.DataFrame()
    if len(frames) == 1:
        return frames[0]
    combined = with_categories(pd.concat(frames, ignore_index=True))
    present = [k for k in keys if k in combined.columns]
    dup = combined.duplicated(present, keep=False)
    if dup.any():
        rows = combined[dup]
        figures = rows.drop(columns=[c for c in ("source", "line") if c in rows.columns])
        distinct = figures.drop_duplicates()
        conflicting = distinct.duplicated(present, keep="first")
        if conflicting.any():
            later = combined.loc[distinct.index[conflicting.to_numpy()][0]]
            same_key = rows[(rows[present] == later[present]).all(axis=1)]
            earlier = same_key.iloc[0]
            raise DataError(
                Location(str(later["source"]), int(later["line"]), 1),
                f"the same row is also in {earlier['source']} line {int(earlier['line'])}, "
                "with different figures",
                "pass one version of each file (a folder and a file inside it count twice)",
            )
        combined = combined[~combined.duplicated(present, keep="first")].reset_index(drop=True)
    return combined
