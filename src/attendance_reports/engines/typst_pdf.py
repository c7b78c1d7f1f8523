"""The committee PDF of a latest data overview: an OverviewReport -> A4, tagged PDF/UA-1 bytes.

``overview_pdf(report)`` turns the report into plain JSON (every number already text, made by
formatting.py through the same cell formatting as the HTML tables, and every chart an SVG from
charts.py) and compiles the Typst template ``pdf/overview.typ`` with it. The template reads the
JSON with ``json(...)`` and inserts each string as text, never as markup, so data cannot change
the document (a name with ``#``, ``*``, ``$``, ``<`` … prints as it is).

The output is reproducible: the same report gives the same bytes. The creation date is fixed
(``TIMESTAMP``), system fonts are ignored (Typst's own fonts plus DejaVu Sans from matplotlib,
the charts' font, which is a pinned dependency) and Typst makes no random ids. Typst refuses a
PDF/UA-1 document without a title, a language or alt text on an image; its error is raised as
RenderError.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import fields
from pathlib import Path

from attendance_reports.charts import chart_svg
from attendance_reports.config import Config
from attendance_reports.errors import RenderError
from attendance_reports.report_model import Chart, OverviewReport, Table
from attendance_reports.symbols import KEY
from attendance_reports.tables import _check, _display_text, _heading, _value_status, symbols_used

TEMPLATE = Path(__file__).resolve().parent.parent / "pdf" / "overview.typ"
#: the PDF's creation date, fixed so that the same report always gives the same bytes
TIMESTAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
DEFAULT_PUBLISHER = next(f.default for f in fields(Config) if f.name == "publisher")

_SYMBOL = re.compile(r"\[(?:c|x|z|low|u)\]")


def _font_dir() -> str:
    """matplotlib's font folder: DejaVu Sans, the font the charts' SVG text is measured in."""
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")


def initialised() -> bool:
    """Whether this process has started Typst. Typst's worker threads do not survive fork():
    a process that has compiled a PDF must not fork workers that compile more (build.py
    checks this and renders in-process instead)."""
    return _compiler.cache_info().currsize > 0


@functools.cache
def _compiler():
    """One Typst compiler per process (fonts are read once): the template, no system fonts."""
    import typst

    return typst.Compiler(
        str(TEMPLATE),
        root=str(TEMPLATE.parent),
        font_paths=[_font_dir()],
        ignore_system_fonts=True,
    )


# ---------------------------------------------------------------------------------------------
# report -> JSON


def _table_data(table: Table) -> dict:
    """A table as text cells: headings, and each cell formatted as the HTML table shows it."""
    _check(table)
    return {
        "caption": table.caption,
        "columns": [
            # the first column holds the rows' headings, always left-aligned
            {"label": _heading(column), "numeric": bool(column.unit) and i > 0}
            for i, column in enumerate(table.columns)
        ],
        "rows": [
            [_display_text(*_value_status(table, row, column), column) for column in table.columns]
            for row in table.rows
        ],
        "notes": list(table.notes),
        "source": _source_line(table.source),
    }


def _source_line(source: str) -> str:
    if source and not source.lower().startswith("source"):
        return f"Source: {source}"
    return source


def _chart_data(chart: Chart, shown: Table | None) -> dict:
    """A chart: its SVG text, alt text, title, subtitle, source and data table (unless that
    table is the section's own, which is shown anyway)."""
    if not chart.alt.strip():
        raise RenderError(
            f"chart {chart.id!r} has no alt text — hint: set Chart.alt (what the chart shows, "
            "at most 220 characters, pointing to its data table)"
        )
    table = chart.table if chart.table is not None and chart.table != shown else None
    return {
        "title": chart.title,
        "subtitle": chart.subtitle,
        "alt": chart.alt,
        "svg": chart_svg(chart),
        "source": _source_line(chart.source),
        "table": _table_data(table) if table is not None else None,
    }


def _symbols(report: OverviewReport) -> list[dict]:
    """The key to the symbols shown in the tables or the text, in the order of symbols.KEY."""
    tables = [s.table for s in report.sections if s.table is not None]
    tables += [s.chart.table for s in report.sections if s.chart and s.chart.table is not None]
    found = set(symbols_used(tables))
    texts = [*report.summary, *report.notices, *(t for s in report.sections for t in s.sentences)]
    for text in texts:
        found.update(_SYMBOL.findall(text))
    return [{"symbol": s, "meaning": KEY[s]} for s in KEY if s in found]


def _subtitle(report: OverviewReport) -> str:
    place = f"{report.name} (local authority {report.code})" if report.code else report.name
    when = ", ".join(p for p in (report.year, report.period_label) if p)
    return " · ".join(p for p in (place, when) if p)


def overview_data(report: OverviewReport, *, publisher: str = DEFAULT_PUBLISHER) -> dict:
    """Everything the template shows, as JSON-ready text (numbers already formatted)."""
    if not report.title.strip():
        raise RenderError("the overview has no title — hint: set OverviewReport.title")
    return {
        "title": report.title,
        "subtitle": _subtitle(report),
        "description": report.description,
        "publisher": publisher,
        "summary": list(report.summary),
        "notices": list(report.notices),
        "sections": [
            {
                "id": section.id,
                "heading": section.heading,
                "sentences": list(section.sentences),
                "chart": _chart_data(section.chart, section.table) if section.chart else None,
                "table": _table_data(section.table) if section.table is not None else None,
            }
            for section in report.sections
        ],
        "symbols": _symbols(report),
        "sources": list(report.sources),
        "footer_source": "Source: " + "; ".join(report.sources) if report.sources else "",
        "licence": LICENCE,
        "published": f"Published by {publisher}." if publisher else "",
    }


# ---------------------------------------------------------------------------------------------
# JSON -> PDF


def overview_pdf(
    report: OverviewReport,
    *,
    publisher: str = DEFAULT_PUBLISHER,
    timestamp: dt.datetime = TIMESTAMP,
) -> bytes:
    """The overview as an A4 PDF/UA-1 document (tagged, titled, en-GB); same report, same bytes."""
    import typst

    data = json.dumps(overview_data(report, publisher=publisher), ensure_ascii=False)
    try:
        return _compiler().compile(
            format="pdf",
            sys_inputs={"data": data},
            pdf_standards="ua-1",
            timestamp=timestamp,
        )
    except typst.TypstError as exc:
        hints = "; ".join(exc.hints) if exc.hints else "check the template"
        raise RenderError(f"{TEMPLATE.name}: {exc.message} — hint: {hints}") from None
