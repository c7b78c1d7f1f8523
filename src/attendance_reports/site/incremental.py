"""Incremental builds: a manifest of content hashes per page, so unchanged pages are reused.

A page's hash covers everything its output depends on: the package's code (`code_digest`: its
version and the bytes of its modules and theme, so an edited install rebuilds), its template (and
the partials and page layout), the site configuration, its parameters, and a digest of the
indicator rows of every area the page reads — an LA page reads its LA, England, its region,
its statistical neighbours and its schools. A rebuild renders only pages whose hash changed
and copies the rest from the previous site; the manifest is kept in the site folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from attendance_reports import __version__
from attendance_reports.model.assemble_file_subjects import file_subjects
from attendance_reports.model.site_data import SiteData
from attendance_reports.site.config import Config
from attendance_reports.sources.load import every_file
from attendance_reports.sources.reference import normalise_region

MANIFEST = ".build-manifest.json"
#: the fingerprint of everything a build read (see ``inputs_fingerprint``) and its warnings
INPUTS = ".build-inputs.json"
#: libraries whose version can change a page's bytes
LIBRARIES = (
    "pandas",
    "numpy",
    "great-tables",
    "plotnine",
    "matplotlib",
    "pypandoc-binary",
    "pyyaml",
)
ENGLAND = ("national", "E92000001")


CENSUS_COLUMNS = (
    "time_period",
    "phase",
    "indicator",
    "status",
    "source",
    "value",
    "numerator",
    "denominator",
)
INYEAR_COLUMNS = (
    "kind",
    "academic_year",
    "period",
    "week",
    "phase",
    "indicator",
    "status",
    "method",
    "value",
)


#: the columns of the one-point bands' and by-reason rows a page shows
FILE_COLUMNS = ("time_period", "phase", "breakdown", "indicator", "status", "value")


def _row_hashes(table: pd.DataFrame, columns: tuple[str, ...] = CENSUS_COLUMNS) -> np.ndarray:
    """One uint64 per row from the text and number columns a page shows. Text columns are
    categorical: each category's text is hashed once and looked up through the codes, so no
    column is ever turned into millions of strings."""
    out = np.zeros(len(table), dtype="uint64")
    prime = np.uint64(1099511628211)
    for column in columns:
        series = table[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            labels = pd.util.hash_array(series.cat.categories.astype(str).to_numpy(dtype=object))
            codes = series.cat.codes.to_numpy()
            hashed = np.where(codes >= 0, labels[np.maximum(codes, 0)], np.uint64(0))
        else:
            hashed = pd.util.hash_array(series.to_numpy())
        with np.errstate(over="ignore"):
            out = (out * prime) ^ hashed.astype("uint64")
    return out


def area_digests(site: SiteData) -> dict[tuple[str, str], str]:
    """A digest of each area's indicator rows (every year, phase, indicator, value, status);
    an area's in-year rows under ('inyear-<level>', code)."""
    out = {}
    sources = [(site.table, site._index, "", CENSUS_COLUMNS)]
    if len(site.trust_table):
        sources.append((site.trust_table, site._trust_index, "", CENSUS_COLUMNS))
    if len(site.inyear):
        sources.append((site.inyear, site._inyear_index, "inyear-", INYEAR_COLUMNS))
    if len(site.file_table):
        sources.append((site.file_table, site._file_index, "files-", FILE_COLUMNS))
    for table, index, prefix, columns in sources:
        rows = _row_hashes(table, columns)
        for key, positions in index.items():
            mixed = np.bitwise_xor.reduce(rows[positions]) if len(positions) else 0
            out[(prefix + str(key[0]), str(key[1]))] = f"{int(mixed):016x}{len(positions):x}"
    return out


def _inyear_areas(codes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"inyear-{level}", code) for level, code in codes]


def _benchmarked_la(site: SiteData, code: str) -> list[tuple[str, str]]:
    """An LA and what it is compared with: England, its region, its statistical neighbours."""
    region = site.reference.region_of(code)
    areas = [("la", code), ENGLAND]
    if region:
        areas.append(("regional", normalise_region(region)))
    areas += [("la", str(c)) for c in site.reference.neighbours_of(code)["neighbour_code"]]
    return areas


def dependencies(site: SiteData, template: str, params: dict) -> list[tuple[str, str]]:
    """The areas whose indicator rows a page reads."""
    if template in ("la.qmd", "overview.qmd"):
        code = str(params["la_code"])
        areas = _benchmarked_la(site, code)
        if template == "la.qmd":
            areas += [("la", c) for c in site.geographic_neighbours(code)]
            areas += [("school", str(u)) for u in site.schools_of(code)["code"]]
            if len(site.file_table):  # the by-reason section: the LA, England, its region
                areas += [(f"files-{level}", c) for level, c in _benchmarked_la(site, code)[:3]]
        return areas
    if template == "school.qmd":
        urn = str(params["urn"])
        rows = site.school_rows(urn)
        la = str(rows["old_la_code"].iloc[-1]) if len(rows) else ""
        facts = site.schools
        schools = [*facts.chains.get(urn, (urn,)), *facts.similar.get(urn, ())]
        if urn in facts.comparisons.index:
            schools += facts.local_members.get(str(facts.comparisons.at[urn, "local_key"]), ())
        return [*(("school", s) for s in dict.fromkeys(schools)), ("la", la), ENGLAND]
    if template == "trust.qmd":
        code = str(params["trust"])
        members = site.schools.members(code)
        las = sorted(set(site.schools.info.loc[members, "la_code"].astype(str)))
        return [
            ("trust", code),
            ENGLAND,
            *(("school", u) for u in members),
            *(("la", c) for c in las),
        ]
    if template == "trusts.qmd":
        return [("trust", str(c)) for c in site.schools.trusts.index]
    if template == "national.qmd":
        areas = [ENGLAND, *(("regional", c) for c in sorted(site.reference.regions))]
        return areas + ([("files-national", ENGLAND)] if len(site.file_table) else [])
    if template == "la_inyear.qmd":
        code = str(params["la_code"])
        areas = _benchmarked_la(site, code)
        areas += [("la", c) for c in site.geographic_neighbours(code)]
        return _inyear_areas(areas)
    if template == "national_inyear.qmd":
        areas = [ENGLAND, *(("regional", c) for c in sorted(site.reference.regions))]
        areas += [("la", c) for c in sorted(site.gss_to_la.values())]
        return _inyear_areas(areas)
    return []


@functools.cache
def code_digest() -> str:
    """The package version and a digest of its own files (modules, templates, theme)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix != ".pyc" and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inputs_fingerprint(data: list[Path], reports: Path, config: Config, settings: object) -> str:
    """A digest of everything a build's output depends on: the bytes of every data file and
    template, the package's code, the libraries' versions, the configuration and the build's
    settings (LAs, engine, strictness). Equal digests give the same site, byte for byte."""
    from importlib import metadata

    digest = hashlib.sha256()
    try:
        for path in [
            *every_file(data),
            *sorted(p for p in Path(reports).rglob("*") if p.is_file()),
        ]:
            digest.update(f"{path.name}\0{path.stat().st_size}\0".encode())
            with open(path, "rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
    except OSError:  # a missing or unreadable file: the build reads it and says so
        return ""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(metadata.version(name))
        except metadata.PackageNotFoundError:
            versions.append("")
    return fingerprint([digest.hexdigest(), code_digest(), versions, asdict(config), settings])


def unchanged_site(out_dir: Path, inputs: str) -> tuple[int, list[str]] | None:
    """(pages, warnings) of the site in ``out_dir`` when it was built from the same inputs and
    every file of its manifest is still there: nothing to build. Else None."""
    try:
        recorded = json.loads((out_dir / INPUTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if recorded.get("inputs") != inputs:
        return None
    manifest = read_manifest(out_dir)
    if not manifest or not all(
        (out_dir / name).is_file() for entry in manifest.values() for name in entry.get("files", ())
    ):
        return None
    return len(manifest), list(recorded.get("warnings", []))


def write_inputs(stage: Path, inputs: str, warnings: list[str]) -> None:
    (stage / INPUTS).write_text(
        json.dumps({"inputs": inputs, "warnings": warnings}, indent=0) + "\n", encoding="utf-8"
    )


def fingerprint(parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def page_hash(
    site: SiteData, digests: dict, template_text: str, config: Config, job, extra: str = ""
) -> str:
    """The content hash of one page (see the module docstring)."""
    params = dict(job.params)
    areas = dependencies(site, job.template, params)
    data = [digests.get(a, "") for a in areas]
    if job.template == "index.qmd":
        data.append(fingerprint(site.las().to_dict("records")))
        if len(site.file_table):  # what the figures are: the one-point bands, missed by reason
            data.append(fingerprint(file_subjects(site)))
    if job.template == "groups.qmd":
        code = str(params["code"])
        level = "national" if code == ENGLAND[1] else "la"
        for area in dict.fromkeys([(level, code), ENGLAND]):  # in order: same bytes each run
            rows = site.group_rows(*area)
            data.append(str(int(pd.util.hash_pandas_object(rows, index=False).sum())))
    if job.template in ("school.qmd", "trust.qmd", "trusts.qmd", "la.qmd", "index.qmd"):
        data.append(site.schools.digest)  # names, places, links, trusts, comparison groups
    if job.template == "release_notes.qmd":
        data.append(fingerprint([(f.name, f.sha256) for f in site.files]))
    if job.template in ("la_inyear.qmd", "national_inyear.qmd"):
        methods = sorted((k, repr(v)) for k, v in site.inyear_methods.items())
        data.append(fingerprint([site.inyear_files, methods, site.boundaries_digest]))
        code = str(params.get("la_code", ENGLAND[1]))
        level = "national" if code == ENGLAND[1] else "la"
        for area in dict.fromkeys([(level, code), ENGLAND]):  # pupil groups: own table
            rows = site.inyear_group_rows(*area)
            data.append(str(int(pd.util.hash_pandas_object(rows, index=False).sum())))
    return fingerprint(
        [
            code_digest(),
            template_text,
            asdict(config),
            job.slug,
            params,
            data,
            job.search,
            list(getattr(job, "card", ())),
            extra,
        ]
    )


def read_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:
        return {}  # a damaged manifest only means a full rebuild


def write_manifest(stage: Path, pages: dict) -> None:
    (stage / MANIFEST).write_text(
        json.dumps(pages, sort_keys=True, indent=0) + "\n", encoding="utf-8"
    )


def reuse(entry: dict, old_site: Path, stage: Path) -> bool:
    """Copy a page's files from the previous site (hard links where possible)."""
    files = entry.get("files", [])
    if not files or not all((old_site / f).is_file() for f in files):
        return False
    for name in files:
        target = stage / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(old_site / name, target)
        except OSError:
            shutil.copy2(old_site / name, target)
    return True
