"""The site build: data -> indicators -> report models -> page sources -> engine -> _site/.

    attendance-reports build [--config site.yml] [--data PATH...] [--out DIR] [--engine ...]

Reads like the pipeline: every stage logs its count, and the build ends with one summary line.
Output is written to a temporary folder beside ``--out`` and swapped in only when every page
rendered, so a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from attendance_reports.errors import AttendanceReportsError, ConfigError, RenderError
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.model.report_model import Link
from attendance_reports.model.site_data import loaded
from attendance_reports.render.engines import choose
from attendance_reports.render.engines import pandoc as pandoc_engine
from attendance_reports.render.engines import quarto as quarto_engine
from attendance_reports.render.formatting import period_label
from attendance_reports.render.page_output import PageOutput
from attendance_reports.render.page_sources import execute, page_source
from attendance_reports.site import incremental, releases, shards
from attendance_reports.site.config import Config
from attendance_reports.site.plan import NAV, PageJob, chosen_las, page_metadata, plan, site_nav
from attendance_reports.site.refusal import has_figures, nothing_to_build
from attendance_reports.site.result import BuildResult
from attendance_reports.site.search import render_search, search_body, search_index
from attendance_reports.site.templates import load_templates, template_texts, templates_dir

#: templates of in-year pages: a different source, said in the page footer
INYEAR_TEMPLATES = ("la_inyear.qmd", "national_inyear.qmd")
INYEAR_FOOTER = (
    "Source: Department for Education, Pupil attendance in schools (in-year, from schools' "
    "daily registers); boundaries: Office for National Statistics."
)


# The site data and templates are handed to worker processes by fork (no pickling): set just
# before the pool starts, cleared after. Nothing else is kept between builds.
_WORKER: dict = {}


CHUNK = 25  # pages a worker renders per pandoc process


def _render_chunk(chunk: list[PageJob]) -> list[tuple[str, str, str, list[str], dict]]:
    """Run each page's template and write its files and its source: with pandoc, then one
    pandoc for the chunk; with Quarto, into its Quarto project (rendered once all are written)."""
    site, templates, source_dir, stage_dir, engine, config, release = (
        _WORKER[k]
        for k in ("site", "templates", "source_dir", "stage_dir", "engine", "config", "release")
    )
    done, to_render = [], []
    for job in chunk:
        root = "../" * job.slug.count("/")
        page = PageOutput(job.slug, root)
        front, body, namespace = execute(
            templates[job.template], {"data": site, "page": page, **dict(job.params)}
        )
        out_folder = (stage_dir / job.slug).parent
        out_folder.mkdir(parents=True, exist_ok=True)
        for name, content in page.files.items():
            (out_folder / name).write_bytes(content)
        report = namespace.get("report")
        inyear = job.template in INYEAR_TEMPLATES
        page_release = (
            f"School census data to {period_label(site.latest_census_year)}"
            if job.template in ("school.qmd", "trust.qmd", "trusts.qmd")
            else f"In-year data: {period_label(site.inyear_year or '')}"
            if inyear
            else release
        )
        switch = _WORKER.get("switch")
        versions = releases.switcher(*switch, job.slug) if switch else None
        metadata = page_metadata(
            config,
            page_release,
            job.slug,
            getattr(report, "breadcrumbs", ()),
            versions,
            nav=_WORKER["nav"],
        )
        if inyear:
            metadata["footer_source"] = INYEAR_FOOTER
        if engine == "quarto":
            project = _WORKER["projects"][_WORKER["parts"][job.slug]]
            source = project / f"{job.slug}.qmd"
            text = quarto_engine.page_source(front, body, metadata)
        else:
            source = source_dir / f"{job.slug}.qmd"
            text = page_source(front, body)
            to_render.append((source, stage_dir / f"{job.slug}.html", metadata))
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(text, encoding="utf-8")
        if engine == "pandoc":  # beside the source too, for keep_sources (golden tests)
            for name, content in page.files.items():
                (source.parent / name).write_bytes(content)
        title = report.title if report is not None else str(front.get("title", job.slug))
        folder = str(Path(job.slug).parent).replace(".", "")
        files = [f"{job.slug}.html", *(f"{folder}/{n}".lstrip("/") for n in page.files)]
        done.append((job.slug, title, job.search, files, dict(job.card)))
    if engine == "pandoc":
        pandoc_engine.render_pages(to_render)
    return done


def _has_figures(dataset) -> None:
    """Stop before anything is computed when the files hold no figures a page shows."""
    if not has_figures(dataset):
        raise ConfigError(nothing_to_build(dataset))


def _typst_started() -> bool:
    """Typst (PDFs) already ran in this process: forked workers would hang in it."""
    import sys

    module = sys.modules.get("attendance_reports.render.engines.typst_pdf")
    return bool(module and module.initialised())


def build(
    config: Config,
    data: list[Path],
    out_dir: Path,
    engine: str = "auto",
    las: tuple[str, ...] = (),
    jobs: int = 2,
    reports: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    release: str | None = None,
    shard: shards.Shard | None = None,
    keep_sources: Path | None = None,
    strict: bool = False,
) -> BuildResult:
    """Build the whole site into ``out_dir`` (atomically), or with ``release`` into
    ``out_dir/<release>/`` as a new, never-modified release (see releases.py), or with
    ``shard`` one part of the pages into ``out_dir`` for ``merge`` (see shards.py).
    ``keep_sources`` receives a copy of the page sources and their CSV files (golden tests)."""
    started = time.perf_counter()
    reports = reports if reports is not None else templates_dir()
    stages: list[tuple[str, float]] = []
    say = progress or (lambda stage, done, total: None)
    engine = choose(engine)
    out_dir = out_dir.resolve()
    published = releases.read_versions(out_dir) if release else []
    if release:
        releases.check_name(release, out_dir)
    if shard and release:
        raise ConfigError(
            f"--shard {shard} with --release: merge the shards first, then publish the "
            "release with an unsharded build (see docs/publishing.md)"
        )

    mark = time.perf_counter()
    engine_tag = f"quarto {quarto_engine.version()}" if engine == "quarto" else "pandoc"
    inputs = ""
    if not release and keep_sources is None:  # nothing changed: nothing to do
        settings = [sorted(las), engine_tag, strict]
        inputs = incremental.inputs_fingerprint(data, reports, config, settings)
        unchanged = None if shard else incremental.unchanged_site(out_dir, inputs)
        if unchanged is not None:
            count, warnings = unchanged
            stages.append(("inputs unchanged", time.perf_counter() - mark))
            result = BuildResult.finished(count, started, out_dir, engine, stages)
            return dataclasses.replace(result, findings=tuple(warnings))
    dataset, site = loaded(data, strict, config.small_numbers, _has_figures)
    say("data", 1, 1)
    stages.append(("data and indicators", time.perf_counter() - mark))

    mark = time.perf_counter()
    templates = load_templates(reports)
    pages = plan(site, config, las)
    notes = tuple(n for n in (chosen_las(site, config, las)[1],) if n)
    previous = published[-1] if published else {}
    pages.append(
        PageJob(
            "release_notes.qmd",
            "release-notes",
            (
                ("release", release or ""),
                ("previous", previous.get("release", "")),
                ("previous_indicators", tuple(previous.get("indicators", ()))),
                ("corrections", tuple(config.corrections)),
            ),
        )
    )

    work = out_dir.parent / f".{out_dir.name}.building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    source_dir, stage_dir = work / "source", work / "site"
    source_dir.mkdir(parents=True)
    stage_dir.mkdir(parents=True)
    label = f"Data to {period_label(site.latest_year)}"
    label = f"Release {release}: data to {period_label(site.latest_year)}" if release else label
    _WORKER.update(
        switch=(out_dir, published, release) if release else None,
        site=site,
        templates=templates,
        source_dir=source_dir,
        stage_dir=stage_dir,
        engine=engine,
        config=config,
        release=label,
        nav=site_nav(site),
    )
    # incremental: hash every page; reuse the previous site's files where nothing changed
    old = incremental.read_manifest(out_dir) if not release else {}
    digests = incremental.area_digests(site)
    texts = template_texts(reports, templates, engine_tag)
    hashes = {
        job.slug: incremental.page_hash(site, digests, texts[job.template], config, job)
        for job in pages
    }
    manifest: dict[str, dict] = {}
    quarto_root: Path | None = None
    try:
        todo = []
        for job in shards.select(pages, shard) if shard else pages:
            before = old.get(job.slug, {})
            if before.get("hash") == hashes[job.slug] and incremental.reuse(
                before, out_dir, stage_dir
            ):
                manifest[job.slug] = before
            else:
                todo.append(job)
        if engine == "quarto":  # projects of at most BATCH pages, dealt in turn
            count = max(1, min(jobs, len(todo)), -(-len(todo) // quarto_engine.BATCH))
            quarto_root, projects = quarto_engine.new_projects(count)
            _WORKER.update(
                projects=projects,
                parts={job.slug: k % len(projects) for k, job in enumerate(todo)},
            )
        stages.append(("plan and hashes", time.perf_counter() - mark))
        mark = time.perf_counter()
        chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
        rendered, rendered_pages = 0, []

        def record(done: list) -> None:
            nonlocal rendered
            for slug, title, keywords, files, card in done:
                rendered_pages.append(slug)
                manifest[slug] = {
                    "hash": hashes[slug],
                    "title": title,
                    "search": keywords,
                    "files": files,
                }
                if card:
                    manifest[slug]["card"] = card
            rendered += len(done)
            say("pages", rendered, len(todo))

        if jobs > 1 and len(chunks) > 1 and not _typst_started():
            context = multiprocessing.get_context("fork")
            with context.Pool(jobs) as pool:
                for done in pool.imap(_render_chunk, chunks):
                    record(done)
        else:
            for chunk in chunks:
                record(_render_chunk(chunk))
        stages.append(("pages", time.perf_counter() - mark))
        mark = time.perf_counter()
        theme = pandoc_engine.theme_dir()
        search_entry = {"files": ["search.html"], "title": "Search", "search": ""}
        if shard:  # the assets and the search page travel with shard 1
            search_hash = ""  # set by the merge, which knows the search index
            search_page = shard.index == 1
        else:
            entries = [
                (
                    job.slug,
                    manifest[job.slug]["title"],
                    manifest[job.slug]["search"],
                    job.search_rank,
                    manifest[job.slug].get("card", {}),
                )
                for job in pages
            ]
            index_text = search_index(entries)
            (stage_dir / "search-index.js").write_text(index_text, encoding="utf-8")
            search_hash = incremental.fingerprint([index_text, texts["search"], label])
            before = old.get("search", {})
            search_page = not (
                before.get("hash") == search_hash and incremental.reuse(before, out_dir, stage_dir)
            )
        if not shard or shard.index == 1:
            shutil.copytree(theme / "assets", stage_dir / "assets")
            manifest["search"] = {"hash": search_hash, **search_entry}
        if search_page:
            rendered += 1
            rendered_pages.append("search")
            versions = releases.switcher(out_dir, published, release, "search") if release else None
            metadata = _search_metadata(config, label, versions)
            if engine == "quarto":
                (projects[0] / "search.qmd").write_text(
                    quarto_engine.page_source({"title": "Search"}, search_body(), metadata),
                    encoding="utf-8",
                )
            else:
                render_search(source_dir, stage_dir, metadata)
        if engine == "quarto":
            quarto_engine.render(
                projects, stage_dir, lambda done, total: say("quarto", done, total), jobs
            )
            stages.append(("quarto", time.perf_counter() - mark))
            mark = time.perf_counter()
        _check_written(stage_dir, manifest, engine)
        incremental.write_manifest(stage_dir, manifest)
        if inputs:
            incremental.write_inputs(stage_dir, inputs, [str(f) for f in dataset.findings])
        if shard:
            fingerprint = shards.plan_fingerprint(pages, hashes, label, texts["search"])
            search = {"label": label, "text": texts["search"]}
            shards.write_part(stage_dir, shard, pages, fingerprint, search, engine)
            _swap(stage_dir, out_dir)
            stages.append(("search and assets", time.perf_counter() - mark))
            return dataclasses.replace(
                BuildResult.finished(
                    len(manifest), started, out_dir, engine, stages, rendered, rendered_pages
                ),
                findings=tuple(dataset.findings),
                notes=notes,
            )
        say("engine", 1, 1)
        if keep_sources is not None:
            shutil.copytree(
                source_dir,
                keep_sources,
                ignore=shutil.ignore_patterns("*.svg", "*.pdf", "assets", "search-index.js", "_*"),
                dirs_exist_ok=True,
            )
        stages.append(("search, assets and engine", time.perf_counter() - mark))
        if release:
            entry = {
                "release": release,
                "data_to": period_label(site.latest_year),
                "pages": len(pages) + 1,
                "indicators": sorted(REGISTRY),
            }
            listed = releases.publish(stage_dir, out_dir, entry)
            releases.site_level_pages(config, listed, work, out_dir)
            out_dir = out_dir / release
        else:
            _swap(stage_dir, out_dir)
    except (AttendanceReportsError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise RenderError(
            f"build failed: {exc.__class__.__name__}: {exc} — the previous site is unchanged"
        ) from exc
    finally:
        _WORKER.clear()
        shutil.rmtree(work, ignore_errors=True)
        if quarto_root is not None:
            shutil.rmtree(quarto_root, ignore_errors=True)
    return dataclasses.replace(
        BuildResult.finished(
            len(pages) + 1, started, out_dir, engine, stages, rendered, rendered_pages
        ),
        findings=tuple(dataset.findings),
        notes=notes,
    )


def _search_metadata(config: Config, label: str, versions: list[dict] | None) -> dict:
    return page_metadata(
        config,
        label,
        "search",
        (Link("Home", "index.html"), Link("Search", "search.html")),
        versions,
        nav=_WORKER.get("nav", NAV),
    )


def _check_written(stage_dir: Path, manifest: dict[str, dict], engine: str) -> None:
    """Every page of the manifest is in the folder about to be published: a build never
    reports pages its engine did not write."""
    missing = [slug for slug in manifest if not (stage_dir / f"{slug}.html").is_file()]
    if missing:
        raise RenderError(
            f"the {engine} engine wrote {len(manifest) - len(missing):,} of {len(manifest):,} "
            f"pages ({missing[0]}.html is missing) — the previous site is unchanged"
        )


def merge(parts: list[Path], out_dir: Path) -> BuildResult:
    """Assemble the parts of a sharded build into ``out_dir`` (atomically): the same bytes as
    a single build of the same inputs."""
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    infos = shards.read_parts([Path(part).resolve() for part in parts])
    work = out_dir.parent / f".{out_dir.name}.merging-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    stage = work / "site"
    stage.mkdir(parents=True)
    try:
        manifest = shards.gather(infos, stage)
        entries = [
            (
                slug,
                manifest[slug]["title"],
                manifest[slug]["search"],
                rank,
                manifest[slug].get("card", {}),
            )
            for slug, rank in infos[0]["pages"]
        ]
        index_text = search_index(entries)
        (stage / "search-index.js").write_text(index_text, encoding="utf-8")
        search = infos[0]["search"]
        manifest["search"]["hash"] = incremental.fingerprint(
            [index_text, search["text"], search["label"]]
        )
        incremental.write_manifest(stage, manifest)
        shards.merge_inputs(infos, stage)
        _swap(stage, out_dir)
    except (AttendanceReportsError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise RenderError(
            f"merge failed: {exc.__class__.__name__}: {exc} — the previous site is unchanged"
        ) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    engine = infos[0].get("engine", "pandoc")
    return BuildResult.finished(
        len(entries) + 1, started, out_dir, engine, [("merge", time.perf_counter() - started)]
    )


def _swap(new: Path, out_dir: Path) -> None:
    """Replace out_dir by new in two renames: the old site stays whole until the last moment."""
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if out_dir.exists():
        out_dir.rename(old)
    new.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
