"""Regenerate data/ — the small real extract that `make site` and every command use by default.

    python scripts/make_sample_data.py --shared ../shared/data --out data

Takes, unchanged apart from row selection: the national, regional and every LA row of DfE's
2006/07–2018/19 absence file plus the school rows of two LAs; LAIT's absence measures; the
statistical neighbours and LA lookups; DfE's in-year attendance files (year to date, terms,
weeks, the persistent-absence exports and the 2024/25 fortnightly persistent-absence series,
every row; not the daily files); DfE's 2022/23 in-year files by pupil characteristic (every row,
the columns the pages use); ONS's county and unitary authority boundaries (unchanged); and the
school reference rows (names, towns, trusts, places, URN links) of the extract's schools and
the URNs linked to them, with the columns the tool reads. Output is gzip'd with a fixed
timestamp so that the
same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import shutil
from pathlib import Path

SCHOOL_LAS = ("873", "202")  # Cambridgeshire; Camden (a London borough: London benchmarks)
ABSENCE = "absence/Absence_3term201819_nat_reg_la_sch.csv.gz"
LAIT = "lait/lait_absence_measures_long.csv"
BANDS = "absence/absence_bands_la_characteristics_201617_202223.csv.gz"
CIN = "absence/absence_cin_cla_la_201819_202425.csv"
REFERENCE = (
    "statistical_neighbours_2025.csv",
    "statistical_neighbours_2021.csv",
    "las.csv",
    "region_la_hierarchy.csv",
    "regions.csv",
)

#: in-year attendance files copied whole (gzip'd): year to date, terms, weeks, PA exports
INYEAR = (
    *(f"EES_ytd_data_{y}.csv" for y in ("202223", "202324", "202425")),
    *(
        f"EES_{t}_data_{y}.csv"
        for y in ("202223", "202324", "202425")
        for t in ("aut", "spr", "sum")
    ),
    *(f"EES_weekly_data_{y}.csv" for y in ("202324", "202425")),  # the latest two years
    "export_pa_output_2024_01_22.csv",
    "export_autumn_pa_output_2024_01_22.csv",
)
#: in-year files in sub-folders of attendance/, copied whole (gzip'd) under their own names
INYEAR_SERIES = ("persistent_absence_202425/week_29_persistent_absence.csv",)
#: in-year attendance by pupil characteristic, 2022/23 (autumn and spring): every row, only the
#: columns the pages use (ids, the group, overall absence and possible sessions, the attendance,
#: overall absence and persistent absence rates), to keep data/ within 10 MB
CHARACTERISTICS = tuple(
    f"characteristics_202223/{t}_{c}.csv" for t in ("aut", "spr") for c in ("fsm", "gender", "sen")
)
CHARACTERISTIC_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "la_name",
    "old_la_code",
    "school_type",
    "disadvantage_code",
    "gender",
    "sen",
    "overall_absence",
    "possible_sessions",
    "attendance_perc",
    "overall_absence_perc",
    "pa_perc",
    "academic_year",
)
SCHOOLS = "reference/schools"
SPC = "spc_school_level_202223.csv.gz"
GIAS = "gias_establishments_20220706.csv"
LINKS = "links_edubasealldata20250422.csv"
BOUNDARIES = tuple(f"CTYUA_MAY_2023_UK_BUC.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg"))

README = """# Bundled data extract

Contains public sector information licensed under the Open Government Licence v3.0
(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).
Source: Department for Education — "Pupil absence in schools in England" (Explore Education
Statistics), the Local Authority Interactive Tool (LAIT), the children's services statistical
neighbours and the EES geography lookups.

Made by `make sample-data` (scripts/make_sample_data.py) from the full files; do not edit by hand.

| file | what |
|---|---|
| `absence_2006-07_to_2018-19_extract.csv.gz` | every national, regional and LA row of `Absence_3term201819_nat_reg_la_sch.csv` (full years 2006/07–2018/19), and the school rows of {las} |
| `absence_bands_la_characteristics_201617_202223.csv.gz` | DfE's absence-band distributions by FSM, SEN, sex and year group for England, regions and every LA, 2016/17–2022/23 (unchanged: the pupil groups pages) |
| `absence_cin_cla_la_201819_202425.csv.gz` | absence of children in need, on a child protection plan and looked after, England, regions and every LA, 2018/19–2024/25 (unchanged, gzipped: the pupil groups pages) |
| `lait_absence_measures_long.csv.gz` | LAIT's 20 absence measures, 2015/16–2024/25 (rates, 2 d.p.) |
| `reference/` | statistical neighbours (2025 and 2021 models), LA list with terminated codes, region hierarchy |
| `attendance/` | DfE "Pupil attendance in schools" (in-year): year-to-date and term files for 2022/23–2024/25 and weekly files for 2023/24–2024/25 (national, regional, LA; every row), the persistent-absence exports of 22 January 2024 and the 2024/25 year-to-date persistent-absence series at fortnightly points (`week_29_persistent_absence.csv.gz`), gzip'd; a different source from the census files, never joined to them |
| `attendance/inyear_characteristics_202223_*.csv.gz` | DfE "Pupil attendance in schools" by pupil characteristic, 2022/23 autumn and spring terms (`aut_fsm.csv`, `spr_fsm.csv`, `aut_gender.csv`, `spr_gender.csv`, `aut_sen_.csv`, `spr_sen.csv` from the "2023 Week 29" release): every row (England, regions, every LA; `c` and `z` kept), only the columns the pages use (ids, the group, `overall_absence`, `possible_sessions`, `attendance_perc`, `overall_absence_perc`, `pa_perc`), gzip'd: the pupil groups on the "This year" pages |
| `reference/schools/` | the school reference rows of these schools and of the URNs GIAS links to them (two links away): DfE's school census table of January 2023 (`spc_school_level_202223.csv.gz`, the columns the tool reads), GIAS establishments (July 2022) and GIAS links (April 2025, Windows-1252 as published, no final newline) |
| `reference/boundaries/` | ONS Counties and Unitary Authorities (May 2023), UK, ultra-generalised (BUC), unchanged. Source: Office for National Statistics licensed under the Open Government Licence v3.0; contains OS data © Crown copyright and database right 2023 |

Point the tool at the full files instead with `attendance-reports build --data PATH...`.
"""


def _gzip_text(text: str, path: Path) -> None:
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def absence_extract(source: Path) -> str:
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        level, la = header.index("geographic_level"), header.index("old_la_code")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for row in reader:
            if row[level] != "School" or row[la] in SCHOOL_LAS:
                writer.writerow(row)
    return out.getvalue()


def columns_extract(source: Path, keep: tuple[str, ...]) -> str:
    """Every row of a CSV, only the columns in ``keep`` (in the file's order), cells as
    published."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        positions = [i for i, name in enumerate(header) if name in keep]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([header[i] for i in positions])
        for row in reader:
            writer.writerow([row[i] for i in positions])
    return out.getvalue()


def school_urns(extract: str) -> set[str]:
    reader = csv.reader(io.StringIO(extract))
    header = next(reader)
    level, urn = header.index("geographic_level"), header.index("urn")
    return {row[urn].strip() for row in reader if row[level] == "School" and row[urn].strip()}


def school_reference(shared: Path, out: Path, urns: set[str]) -> None:
    """The reference rows of ``urns`` and the URNs up to two GIAS links away."""
    folder = shared / SCHOOLS
    raw = (folder / LINKS).read_bytes()
    lines = raw.split(b"\n")
    rows = list(csv.reader(io.StringIO(raw.decode("cp1252"))))
    keep = set(urns)
    for _ in range(2):
        keep |= {r[1] for r in rows[1:] if r and r[0] in keep} | {
            r[0] for r in rows[1:] if r and r[1] in keep
        }
    kept = [lines[0]] + [line for line, r in zip(lines[1:], rows[1:], strict=True) if r[0] in keep]
    kept[-1] = kept[-1].rstrip(b"\r")
    (out / LINKS).write_bytes(b"\n".join(kept))  # CRLF and no final newline, as published
    gias = (folder / GIAS).read_text(encoding="utf-8").split("\n")
    body = [line for line in gias[1:] if line.split(",", 1)[0] in keep]
    (out / GIAS).write_text("\n".join([gias[0], *body]) + "\n", encoding="utf-8")
    from attendance_reports.sources.schools import KINDS

    needed, mapping = KINDS["school-census"]
    with gzip.open(folder / SPC, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        from attendance_reports.sources.read import normalise_name

        wanted = set(needed) | set(mapping)
        columns = [i for i, h in enumerate(header) if normalise_name(h) in wanted]
        urn = header.index("urn")
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow([header[i] for i in columns])
        for row in reader:
            if row[urn] in keep:
                writer.writerow([row[i] for i in columns])
    _gzip_text(text.getvalue(), out / SPC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("data"))
    args = parser.parse_args()
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    (out / "reference").mkdir(parents=True)
    extract = absence_extract(args.shared / ABSENCE)
    _gzip_text(extract, out / "absence_2006-07_to_2018-19_extract.csv.gz")
    (out / SCHOOLS).mkdir(parents=True)
    school_reference(args.shared, out / SCHOOLS, school_urns(extract))
    _gzip_text(
        (args.shared / LAIT).read_text(encoding="utf-8"), out / "lait_absence_measures_long.csv.gz"
    )
    with gzip.open(args.shared / BANDS, "rt", encoding="utf-8", newline="") as handle:
        _gzip_text(handle.read(), out / Path(BANDS).name)
    _gzip_text((args.shared / CIN).read_text(encoding="utf-8"), out / f"{Path(CIN).name}.gz")
    for name in REFERENCE:
        shutil.copyfile(args.shared / "reference" / name, out / "reference" / name)
    (out / "attendance").mkdir()
    for name in INYEAR:
        text = (args.shared / "attendance" / name).read_text(encoding="utf-8")
        _gzip_text(text, out / "attendance" / f"{name}.gz")
    for name in INYEAR_SERIES:
        text = (args.shared / "attendance" / name).read_text(encoding="utf-8")
        _gzip_text(text, out / "attendance" / f"{Path(name).name}.gz")
    for name in CHARACTERISTICS:
        source = args.shared / "attendance" / name
        if not source.exists():  # DfE's autumn SEN file is named aut_sen_.csv
            source = source.with_name(source.stem + "_.csv")
        _gzip_text(
            columns_extract(source, CHARACTERISTIC_COLUMNS),
            out / "attendance" / f"inyear_characteristics_202223_{Path(name).stem}.csv.gz",
        )
    (out / "reference" / "boundaries").mkdir()
    for name in BOUNDARIES:
        source = args.shared / "reference" / "boundaries" / name
        shutil.copyfile(source, out / "reference" / "boundaries" / name)
    (out / "README.md").write_text(README.format(las=" and ".join(SCHOOL_LAS)), encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"data/ written: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
