"""Command line: `attendance-reports validate | indicators`. The only place errors become exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click

from attendance_reports import __version__
from attendance_reports.errors import AttendanceReportsError

DATA_HELP = "DfE CSV files or folders (default: ./data, the bundled extract)."
STRICT_HELP = "Treat data-quality warnings as errors."


def say_warnings(findings) -> None:
    """The files' data-quality warnings, summarised on stderr after a command's output (the
    same findings `validate` lists; --strict makes them errors)."""
    if not findings:
        return
    from attendance_reports.render.formatting import counted

    count = len(findings)
    click.echo(
        f"Warning: {counted(count, 'data-quality warning')} in the files, the "
        f"first: {findings[0]} — 'attendance-reports validate' lists them; --strict makes them "
        "errors",
        err=True,
    )


def _site_data(paths: tuple[Path, ...], strict: bool):
    """Load and compute the site's data the way every command does (one validation)."""
    from attendance_reports.model.site_data import loaded

    return loaded(list(paths) or None, strict=strict)[1]


def reports_errors(command: Callable) -> Callable:
    """Turn AttendanceReportsError into one line on stderr and its exit code (no traceback)."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except AttendanceReportsError as exc:
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except MemoryError:
            click.echo("Error: out of memory — pass fewer or smaller files", err=True)
            sys.exit(1)
        except Exception as exc:  # a bug, not the user's fault: one line, details on --debug
            if debug:
                raise
            click.echo(
                f"Error: internal error ({exc.__class__.__name__}: {exc}) — run again with "
                "--debug and report the traceback",
                err=True,
            )
            sys.exit(70)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="attendance-reports")
@click.option("--debug", is_flag=True, help="Show a traceback for errors.")
def main(debug: bool) -> None:
    """Turn DfE pupil absence statistics into checked indicators, web pages and PDFs."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@reports_errors
def validate(paths: tuple[Path, ...], strict: bool) -> None:
    """Check DfE files: structure, symbols, codes, keys and consistency of counts."""
    from attendance_reports.render.formatting import counted
    from attendance_reports.sources.contract import PERIOD_TYPES, POPULATIONS
    from attendance_reports.sources.load import load

    dataset = load(list(paths), strict=strict)
    for report in dataset.files:
        if report.skipped:
            click.echo(f"skipped  {report.name}: {report.skipped} ({report.kind})")
            continue
        warnings = len(report.findings)
        covers = (
            f" — {POPULATIONS[report.population]}; {PERIOD_TYPES.get(report.period_type, 'mixed periods')}"
            if report.population and report.population != "none"
            else ""
        )
        click.echo(
            f"ok       {report.name}: {report.kind}, {counted(report.rows, 'row')}, "
            f"{counted(warnings, 'warning')}{covers}"
        )
        for finding in report.findings:
            click.echo(f"  warning {finding}")
    total = len(dataset.findings)
    valid = sum(not r.skipped for r in dataset.files)
    click.echo(f"{counted(valid, 'file')} valid, {counted(total, 'warning')}.")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--la",
    "la_codes",
    multiple=True,
    help="LA code: 3-digit (873) or E-code (E10000003). Repeatable.",
)
@click.option("--school", "urns", multiple=True, help="School URN. Repeatable.")
@click.option("--year", "years", multiple=True, help="Academic year, e.g. 2018/19. Repeatable.")
@click.option(
    "--level",
    "levels",
    multiple=True,
    type=click.Choice(["national", "regional", "la", "school"]),
    help="Geographic level.",
)
@click.option(
    "--phase",
    "phases",
    multiple=True,
    help="Phase: total, primary, secondary, special (or the file's label).",
)
@click.option("--indicator", "indicators", multiple=True, help="Indicator id. Repeatable.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "table"]),
    default="csv",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write to a file, not stdout."
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@reports_errors
def indicators(
    paths: tuple[Path, ...],
    la_codes: tuple[str, ...],
    urns: tuple[str, ...],
    years: tuple[str, ...],
    levels: tuple[str, ...],
    phases: tuple[str, ...],
    indicators: tuple[str, ...],
    fmt: str,
    output: Path | None,
    strict: bool,
) -> None:
    """Write the indicator table (one row per area, year, phase and indicator)."""
    from attendance_reports.indicators.select import Selection, select_indicators
    from attendance_reports.render.output import write_table
    from attendance_reports.sources.load import load

    selection = Selection(
        la_codes=la_codes,
        urns=urns,
        years=years,
        levels=levels,
        phases=phases,
        indicators=indicators,
    )
    dataset = load(list(paths), strict=strict)
    table = select_indicators(dataset, selection)
    write_table(table, fmt, output)
    say_warnings(dataset.findings)


@main.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Site configuration (default: site.yml if present).",
)
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path), help=DATA_HELP)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("_site"),
    show_default=True,
    help="Output folder (replaced only when the build succeeds).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "quarto", "pandoc"]),
    default=None,
    help="auto: Quarto when it is on PATH, else pandoc.",
)
@click.option("--la", "las", multiple=True, help="Build only these LAs (3-digit codes).")
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="Worker processes."
)
@click.option(
    "--release",
    help="Publish as a new release under OUT/<release>/ (e.g. 2023-24); "
    "earlier releases are left untouched and latest/ is updated.",
)
@click.option(
    "--shard",
    help="Render part i of N of the pages into --out (for CI matrices), e.g. 1/2; "
    "then 'attendance-reports merge' the parts.",
)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@reports_errors
def build(
    config_path: Path | None,
    data: tuple[Path, ...],
    out: Path,
    engine: str | None,
    las: tuple[str, ...],
    jobs: int,
    release: str | None,
    shard: str | None,
    strict: bool,
) -> None:
    """Build the website (national, LA and school pages) into --out."""
    from attendance_reports.site import shards
    from attendance_reports.site.build import build as build_site
    from attendance_reports.site.config import read_config
    from attendance_reports.site.progress import reporter

    if config_path is None and Path("site.yml").exists():
        config_path = Path("site.yml")
    config = read_config(config_path)
    paths = list(data) or [Path(p) for p in config.data]
    with reporter() as progress:
        result = build_site(
            config,
            paths,
            out,
            engine or config.engine,
            las,
            jobs,
            progress=progress,
            release=release,
            shard=shards.parse(shard) if shard else None,
            strict=strict,
        )
    click.echo(result.summary())
    for note in result.notes:
        click.echo(f"Note: {note}", err=True)
    say_warnings(result.findings)


@main.command()
@click.argument("parts", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("_site"),
    show_default=True,
    help="Output folder (replaced only when the merge succeeds).",
)
@reports_errors
def merge(parts: tuple[Path, ...], out: Path) -> None:
    """Assemble the parts of a sharded build (build --shard i/N) into one site."""
    from attendance_reports.render.formatting import counted
    from attendance_reports.site.build import merge as merge_parts

    result = merge_parts(list(parts), out)
    click.echo(
        f"Merged {counted(len(parts), 'part')} into {counted(result.pages, 'page')} in "
        f"{result.seconds:.1f} s "
        f"({result.size_bytes / 1e6:.1f} MB) into {result.out_dir}"
    )


def overview_report_for(
    paths: tuple[Path, ...],
    strict: bool,
    la_code: str | None,
    urn: str | None,
    trust: str | None,
    year: str | None,
    period: str,
):
    """The site's data and the overview of the LA, school or trust chosen (exactly one)."""
    from attendance_reports.errors import ConfigError

    chosen = [
        name for name, value in (("--la", la_code), ("--school", urn), ("--trust", trust)) if value
    ]
    if len(chosen) != 1:
        raise ConfigError(
            "choose one LA, school or trust — give exactly one of --la 873, --school URN or "
            "--trust NAME" + (f" (you gave {', '.join(chosen)})" if chosen else "")
        )
    if (urn or trust) and period != "full-year":
        raise ConfigError(
            f"--period {period}: school and trust overviews are full-year only — leave --period out"
        )
    site = _site_data(paths, strict)
    if urn:
        from attendance_reports.model.overview_schools import school_overview_report

        return site, school_overview_report(site, urn, year)
    if trust:
        from attendance_reports.model.overview_schools import trust_overview_report

        return site, trust_overview_report(site, trust, year)
    from attendance_reports.model.overview import overview_report

    return site, overview_report(site, la_code, year, period)


def overview_options(command: Callable) -> Callable:
    """The options that choose an overview: data, LA / school / trust, year, period."""
    for option in reversed(
        (
            click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
            click.option(
                "--la",
                "la_code",
                help="LA code: 3-digit (873) or E-code (E10000003).",
            ),
            click.option(
                "--school",
                "urn",
                help="A school's URN (any URN of a school whose URN changed); needs the school "
                "reference files among the data for its name.",
            ),
            click.option(
                "--trust",
                help="An academy trust's name as in DfE's school census table (any case), "
                "e.g. 'The Cam Academy Trust'.",
            ),
            click.option(
                "--year",
                help="Academic year, e.g. 2018/19 (default: the latest with census counts).",
            ),
            click.option(
                "--period",
                type=click.Choice(["full-year", "autumn-spring"]),
                default="full-year",
                show_default=True,
                help="Full academic year, or the autumn and spring terms of a 2-term release.",
            ),
            click.option("--strict", is_flag=True, help=STRICT_HELP),
        )
    ):
        command = option(command)
    return command


@main.command()
@overview_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="Sentences (text), every figure by name (json) or Markdown with tables (md).",
)
@reports_errors
def overview(
    paths: tuple[Path, ...],
    la_code: str | None,
    urn: str | None,
    trust: str | None,
    year: str | None,
    period: str,
    strict: bool,
    fmt: str,
) -> None:
    """The latest data overview of one LA, school or academy trust: each figure in a sentence."""
    from attendance_reports.render.overview_output import (
        overview_json,
        overview_markdown,
        overview_text,
    )

    site, report = overview_report_for(paths, strict, la_code, urn, trust, year, period)
    write = {"text": overview_text, "json": overview_json, "md": overview_markdown}[fmt]
    click.echo(write(report), nl=False)
    say_warnings([f for r in site.files for f in r.findings])


@main.command()
@overview_options
@click.option(
    "--out", "out", required=True, type=click.Path(path_type=Path), help="The PDF file to write."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Site configuration for the publisher's name (default: site.yml if present).",
)
@reports_errors
def pdf(
    paths: tuple[Path, ...],
    la_code: str | None,
    urn: str | None,
    trust: str | None,
    year: str | None,
    period: str,
    strict: bool,
    out: Path,
    config_path: Path | None,
) -> None:
    """The latest data overview of one LA, school or academy trust as an accessible A4 PDF
    (PDF/UA-1) for committees and governing boards."""
    from attendance_reports.render.engines.typst_pdf import overview_pdf
    from attendance_reports.site.config import read_config

    if config_path is None and Path("site.yml").exists():
        config_path = Path("site.yml")
    config = read_config(config_path)
    site, report = overview_report_for(paths, strict, la_code, urn, trust, year, period)
    content = overview_pdf(report, publisher=config.publisher)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(content)
    tmp.replace(out)
    click.echo(f"Wrote {out} ({len(content) // 1024:,} KB)")
    say_warnings([f for r in site.files for f in r.findings])


if __name__ == "__main__":  # pragma: no cover
    main()
