"""The committee PDF of a latest data overview: an OverviewReport -> A4, tagged PDF/UA-1 bytes.

``overview_pdf(report)`` turns the report into plain JSON (every number already text, made by
formatting.py through the same cell formatting as the HTML tables, and every chart an SVG from
charts.py) and compiles ``pdf/overview.typ`` with it, which lays the parts out with the
functions of ``pdf/typst-template.typ``. The template reads the JSON with ``json(...)`` and
inserts each string as text, never as markup, so data cannot change the document (a name with
``#``, ``*``, ``$``, ``<`` … prints as it is).

Quarto users render reports/overview.qmd with ``format: typst``: the same typst-template.typ is
its template partial, and the template's cells print ``typst_block(...)`` calls of the same
functions with the same JSON parts (page_output.py), so both PDFs have one layout.

The output is reproducible: the same report gives the same bytes. The creation date is fixed
(``TIMESTAMP``), system fonts are ignored (Typst's own fonts plus DejaVu Sans from matplotlib,
the charts' font, which is a pinned dependency) and Typst makes no random ids. Typst refuses a
PDF/UA-1 document without a title, a language or alt text on an image; its error is raised as
RenderError. pdf_tags.py then tags each table row's first cell as the row's header.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import fields
from pathlib import Path

from attendance_reports.errors import RenderError
from attendance_reports.model.report_model import Chart, OverviewReport, Report, Table
from attendance_reports.render.charts import chart_svg
from attendance_reports.render.engines.pdf_tags import mark_row_headers
from attendance_reports.render.tables import (
    _check,
    _display_text,
    _heading,
    _value_status,
    symbols_used,
)
from attendance_reports.site.config import Config
from attendance_reports.symbols import KEY

PDF_DIR = Path(__file__).resolve().parent.parent / "pdf"
TEMPLATE = PDF_DIR / "overview.typ"
#: the layout, shared with Quarto's ``format: typst`` as its template partials
PARTIALS = (PDF_DIR / "typst-template.typ", PDF_DIR / "typst-show.typ")
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


def table_data(table: Table) -> dict:
    """A table as the template's ``data-table`` takes it: headings, and each cell formatted as
    the HTML table shows it."""
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


def chart_data(chart: Chart, shown: Table | None = None) -> dict:
    """A chart as the template's ``chart-with-table`` takes it: its SVG text, alt text, title,
    subtitle, source and data table (unless that table is ``shown`` anyway)."""
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
        "table": table_data(table) if table is not None else None,
    }


def _symbols(report: OverviewReport) -> list[dict]:
    """The key to the symbols shown in the report's tables or text."""
    tables = [s.table for s in report.sections if s.table is not None]
    tables += [s.chart.table for s in report.sections if s.chart and s.chart.table is not None]
    texts = [*report.summary, *report.notices, *(t for s in report.sections for t in s.sentences)]
    return symbols_data(tables, texts)


def _subtitle(report: Report) -> str:
    name, code = getattr(report, "name", ""), getattr(report, "code", "")
    kind = {"school": "URN", "trust": "academy trust"}.get(report.slug.split("/")[0], "")
    what = f"URN {code}" if kind == "URN" else kind or f"local authority {code}"
    place = f"{name} ({what})" if code and name else name
    year, period = getattr(report, "year", ""), getattr(report, "period_label", "")
    when = ", ".join(p for p in (year, period) if p)
    return " · ".join(p for p in (place, when) if p)


def document_meta(report: Report, *, publisher: str = DEFAULT_PUBLISHER) -> dict:
    """The title block, summary, document metadata, sources and footer (``overview-start``)."""
    if not report.title.strip():
        raise RenderError("the overview has no title — hint: set OverviewReport.title")
    return {
        "title": report.title,
        "subtitle": _subtitle(report),
        "description": report.description,
        "publisher": publisher,
        "summary": list(report.summary),
        "sources": list(report.sources),
        "footer_source": "Source: " + "; ".join(report.sources) if report.sources else "",
        "licence": LICENCE,
        "published": f"Published by {publisher}." if publisher else "",
    }


def symbols_data(tables: list[Table], texts: list[str]) -> list[dict]:
    """The key to the symbols shown in these tables or texts, in the order of symbols.KEY."""
    found = set(symbols_used(tables))
    for text in texts:
        found.update(_SYMBOL.findall(text))
    return [{"symbol": s, "meaning": KEY[s]} for s in KEY if s in found]


def overview_data(report: OverviewReport, *, publisher: str = DEFAULT_PUBLISHER) -> dict:
    """Everything the template shows, as JSON-ready text (numbers already formatted)."""
    return {
        **document_meta(report, publisher=publisher),
        "notices": list(report.notices),
        "sections": [
            {
                "id": section.id,
                "heading": section.heading,
                "sentences": list(section.sentences),
                "chart": chart_data(section.chart, section.table) if section.chart else None,
                "table": table_data(section.table) if section.table is not None else None,
            }
            for section in report.sections
        ],
        "symbols": _symbols(report),
    }


def typst_string(text: str) -> str:
    """A Typst string literal holding ``text`` (read as text, never as markup)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_block(function: str, value: object) -> str:
    """A raw Typst block for a page source (Pandoc's and Quarto's ``{=typst}``) that calls a
    function of typst-template.typ with ``value`` as JSON. The JSON is ASCII on one line, so
    it cannot end the block; inside a Typst string it cannot become markup."""
    data = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return f"\n```{{=typst}}\n#{function}(json(bytes({typst_string(data)})))\n```\n"


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
        pdf = _compiler().compile(
            format="pdf",
            sys_inputs={"data": data},
            pdf_standards="ua-1",
            timestamp=timestamp,
        )
    except typst.TypstError as exc:
        hints = "; ".join(exc.hints) if exc.hints else "check the template"
        raise RenderError(f"{TEMPLATE.name}: {exc.message} — hint: {hints}") from None
    return mark_row_headers(pdf)
