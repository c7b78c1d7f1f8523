"""Benchmark the site build: CPU seconds per LA page, per school page, per academy trust page
and per "This year" (in-year) page; the same one-LA site (873 and its schools) built with each
engine, pandoc and Quarto, and its cost per page; and a full national build (every LA, every
school of the latest year, every academy trust, and the in-year pages) on 2 worker processes,
with the size of its search index.

    make bench-site      (or: python benchmarks/bench_site.py --shared ../shared/data)

Per-page cost = CPU of this process plus its pandoc children, measured over a sample of pages
rendered one after another (charts, tables, template cells and pandoc included). Targets
(issue #4): LA page <= 0.5 s, school page <= 0.1 s, national build <= 30 min, peak memory
<= 2 GiB.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILES = ("absence/Absence_3term201819_nat_reg_la_sch.csv.gz", "lait/lait_absence_measures_long.csv")
#: in-year attendance files, the ONS boundaries and the school reference files (names, trusts,
#: URN links) (folders: every file in them is read)
INYEAR = ("attendance", "reference/boundaries", "reference/schools")
#: the pupil-group files (issue #5); --without-groups leaves them out, to compare LA page cost
GROUP_FILES = (
    "absence/absence_bands_la_characteristics_201617_202223.csv.gz",
    "absence/absence_cin_cla_la_201819_202425.csv",
)


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def per_page(shared: Path, las: int, schools: int, files: tuple[str, ...] = FILES) -> None:
    from attendance_reports.model.site_data import build_site_data
    from attendance_reports.render.page_sources import load_template
    from attendance_reports.site import build as b
    from attendance_reports.site.config import Config
    from attendance_reports.sources.load import load

    started = time.perf_counter()
    site = build_site_data(load([shared / f for f in (*files, *INYEAR)]))
    print(
        f"data and indicators: {time.perf_counter() - started:.1f} s wall "
        f"({len(site.table):,} indicator values)"
    )
    work = Path(tempfile.mkdtemp())
    names = (
        "la.qmd",
        "school.qmd",
        "la_inyear.qmd",
        "national_inyear.qmd",
        "groups.qmd",
        "trust.qmd",
        "trusts.qmd",
    )
    templates = {n: load_template(Path("reports") / n) for n in names}
    b._WORKER.update(
        site=site,
        templates=templates,
        source_dir=work / "src",
        stage_dir=work / "site",
        engine="pandoc",
        config=Config(),
        release="bench",
        nav=b.site_nav(site),
    )
    codes = sorted(site.las()["code"])[:: max(1, len(site.las()) // las)][:las]
    urns = list(site.frame[site.frame["geographic_level"] == "school"]["code"].unique())
    urns = urns[:: max(1, len(urns) // schools)][:schools]
    trusts = list(site.schools.trusts.index)
    trusts = trusts[:: max(1, len(trusts) // schools)][:schools]
    b._render_chunk([b.PageJob("la.qmd", f"la/{codes[0]}", (("la_code", codes[0]),))])  # warm-up
    for kind, jobs in (
        ("LA", [b.PageJob("la.qmd", f"la/{c}", (("la_code", c),)) for c in codes]),
        ("school", [b.PageJob("school.qmd", f"school/{u}", (("urn", u),)) for u in urns]),
        ("academy trust", [b.PageJob("trust.qmd", f"trust/{t}", (("trust", t),)) for t in trusts]),
        ("index of trusts", [b.PageJob("trusts.qmd", "trusts")] * 2),
        (
            "LA 'This year'",
            [
                b.PageJob("la_inyear.qmd", f"la/{c}-this-year", (("la_code", c),))
                for c in codes
                if site.has_inyear(c)
            ],
        ),
        ("England 'This year' (2 maps)", [b.PageJob("national_inyear.qmd", "this-year")] * 3),
        (
            "LA pupil groups",
            [
                b.PageJob("groups.qmd", f"la/{c}-groups", (("code", c), ("small_numbers", 6)))
                for c in codes
                if site.has_groups("la", c)
            ],
        ),
    ):
        if not jobs:
            continue
        before, wall = cpu(), time.perf_counter()
        for start in range(0, len(jobs), b.CHUNK):  # as the build does: pandoc once per chunk
            b._render_chunk(jobs[start : start + b.CHUNK])
        spent = cpu() - before
        print(
            f"{kind} page: {spent / len(jobs):.3f} s CPU per page "
            f"({len(jobs)} pages, {(time.perf_counter() - wall) / len(jobs):.3f} s wall each)"
        )
    shutil.rmtree(work, ignore_errors=True)
    search_index_size(site)


def search_index_size(site) -> None:
    """The national site's search index, from the plan alone (no page rendered): the compact
    list of schools is exact; other pages' titles are taken from their slugs."""
    import gzip as gz

    from attendance_reports.site import build as b
    from attendance_reports.site.config import Config
    from attendance_reports.site.search import search_index

    started = time.perf_counter()
    jobs = b.plan(site, Config(), ())
    names = site.schools.trusts["name"]
    entries = [
        (
            job.slug,
            f"{names.get(job.slug.removeprefix('trust/'), job.slug)}: pupil absence in its schools"
            if job.template == "trust.qmd"
            else job.slug,
            job.search,
            job.search_rank,
            dict(job.card),
        )
        for job in jobs
    ]
    raw = search_index(entries).encode("utf-8")
    schools = sum(1 for job in jobs if job.template == "school.qmd")
    trusts = sum(1 for job in jobs if job.template == "trust.qmd")
    print(
        f"national search index: {len(raw) / 1e6:.2f} MB, {len(gz.compress(raw, 6)) / 1e6:.2f} MB "
        f"gzipped ({len(jobs):,} pages: {schools:,} schools, {trusts:,} trusts; planned in "
        f"{time.perf_counter() - started:.1f} s)"
    )


def engines(data: Path, la: str, jobs: int) -> None:
    """The same one-LA site (from the bundled data/: the LA, its schools, England and the
    site-wide pages) built with pandoc and with Quarto: each engine's cost per page.

    "rendering" is the pages' stage (the templates' cells, charts, tables, PDFs and, with
    pandoc, pandoc itself) plus, with Quarto, the `quarto render` stage; CPU counts every
    process of the build except the data load (worker processes, pandoc, Quarto)."""
    from attendance_reports.render.engines import quarto
    from attendance_reports.site.build import build
    from attendance_reports.site.config import Config

    for engine in ("pandoc", "quarto"):
        if engine == "quarto" and not quarto.available():
            print("quarto engine: quarto is not on PATH (make quarto-check) — skipped")
            continue
        work = Path(tempfile.mkdtemp())
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        before = children.ru_utime + children.ru_stime
        result = build(Config(), [data], work / "_site", engine, (la,), jobs=jobs)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = children.ru_utime + children.ru_stime - before
        stages = dict(result.stages)
        pages = result.pages
        rendering = stages["pages"] + stages.get("quarto", 0.0)
        engine_part = (
            f"quarto render {stages['quarto'] / pages:.3f} s"
            if engine == "quarto"
            else "pandoc included"
        )
        print(
            f"{engine} engine, LA {la}: {pages:,} pages, rendering {rendering:.1f} s wall "
            f"({rendering / pages:.3f} s per page on {jobs} processes: cells and pandoc "
            f"{stages['pages'] / pages:.3f} s, {engine_part}), {spent / pages:.3f} s CPU per "
            f"page; whole build {result.seconds:.1f} s"
        )
        shutil.rmtree(work, ignore_errors=True)


def _build(command: list[str]) -> tuple[float, float, str]:
    """Run one build: (wall seconds, CPU seconds of all its processes, its last line)."""
    started, before = time.perf_counter(), cpu()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    return time.perf_counter() - started, cpu() - before, line


def _change_one_la(source: Path, target: Path, la: str = "873") -> None:
    """A copy of the full file where one LA's 2018/19 total has 1,000 more absence sessions."""
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    h = rows[0]
    level, code, year, phase = (
        h.index(c) for c in ("geographic_level", "old_la_code", "time_period", "school_type")
    )
    for row in rows[1:]:
        if (row[level], row[code], row[year], row[phase]) == (
            "Local authority",
            la,
            "201819",
            "Total",
        ):
            for column in ("sess_overall", "sess_authorised"):
                row[h.index(column)] = str(int(row[h.index(column)]) + 1000)
    with gzip.open(target, "wt", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def national(shared: Path, jobs: int) -> None:
    work = Path(tempfile.mkdtemp())
    out = work / "_site"
    data = work / "data"
    data.mkdir()
    for f in FILES + GROUP_FILES:
        shutil.copy(shared / f, data / Path(f).name)
    for folder in INYEAR:
        shutil.copytree(shared / folder, data / Path(folder).name)
    command = [
        sys.executable,
        "-m",
        "attendance_reports",
        "build",
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--engine",
        "pandoc",  # the national target is pandoc's; Quarto's national build is sharded (README)
        "--data",
        str(data),
    ]
    wall, spent, line = _build(command)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = sum(1 for _ in out.rglob("*.html"))
    index = out / "search-index.js"
    raw = index.read_bytes()
    import gzip as gz

    print(
        f"search index: {len(raw) / 1e6:.2f} MB ({len(gz.compress(raw, 6)) / 1e6:.2f} MB "
        f"gzipped, as a web server sends it), {raw.count(b'],[') + 1:,} schools in its compact "
        "list"
    )
    print(line)
    print(
        f"national build (cold): {wall / 60:.1f} min wall, {spent / 60:.1f} min CPU (all "
        f"processes; on {jobs} otherwise idle cores the wall time is about CPU / {jobs}), "
        f"{pages:,} pages, peak memory of the largest process {peak:,.0f} MiB (jobs={jobs})"
    )
    wall, spent, line = _build(command)
    print(f"no-op rebuild: {wall:.1f} s wall, {spent:.1f} s CPU — {line}")
    absence = data / Path(FILES[0]).name
    _change_one_la(absence, absence)
    wall, spent, line = _build(command)
    print(
        f"one-LA change rebuild (873, 2018/19 total): {wall:.1f} s wall, {spent:.1f} s CPU — {line}"
    )
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("ATTENDANCE_REPORTS_SHARED_DATA", "../shared/data")),
    )
    parser.add_argument("--las", type=int, default=20)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-national", action="store_true")
    parser.add_argument("--engines-la", default="873", help="the one-LA site of the engines")
    parser.add_argument("--skip-engines", action="store_true")
    parser.add_argument("--without-groups", action="store_true", help="leave out GROUP_FILES")
    args = parser.parse_args()
    files = FILES if args.without_groups else FILES + GROUP_FILES
    per_page(args.shared, args.las, args.schools, files)
    if not args.skip_engines:
        engines(Path("data"), args.engines_la, args.jobs)
    if not args.skip_national:
        national(args.shared, args.jobs)


if __name__ == "__main__":
    main()
