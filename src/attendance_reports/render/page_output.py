"""What templates print: report-model parts -> page-source text (Markdown with raw HTML blocks),
and the files a page links to (chart SVGs, table CSVs). Everything from data is escaped here.

Templates get a PageOutput from ``page_output(page, slug)``: in the site build ``page`` is the
build's collector; when Quarto runs a template directly (``quarto render reports/la.qmd``), files
are written into the document's ``<name>_files/data/`` folder (Quarto's own supporting-files
folder, copied to the output folder with the page; git-ignored, so the source folder stays
clean).

The site build prints HTML blocks only. When Quarto runs a template for ``format: typst``
(reports/overview.qmd), blocks print raw Typst too: calls of the committee PDF's layout
functions (pdf/typst-template.typ) with the same JSON parts as the PDF the build makes. Each
output format keeps its own raw blocks and drops the others'.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from pathlib import Path

from attendance_reports.model.report_model import Chart, Headline, Link, Map, Report, Table
from attendance_reports.render.formatting import counted, number, percent
from attendance_reports.symbols import KEY

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~^$@:<&'\"])")


def md_text(text: str) -> str:
    """Text from data, safe inside Markdown (no formatting, no raw HTML, no table pipes, no list
    markers or headings) and shown exactly as published: quotes are escaped too, so that
    pandoc's and Quarto's ``smart`` extension (on by default in both) never turns "King's" into
    "King’s" or "--" into a dash (page titles, headings, breadcrumbs and descriptions are
    Markdown, in the body or the YAML metadata). Runs of whitespace become one space, so a line
    break in data text never starts a new block. The one Markdown escaper: the pages and
    ``overview --format md`` (render/overview_output.py) both use it."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def raw(block: str) -> str:
    """A raw HTML block that pandoc and Quarto pass through untouched."""
    return f"\n```{{=html}}\n{block}\n```\n"


#: what a section says when the files give none of its figures
NO_FIGURES = "The files this site was built from have no figures for this part of the page."


class PageOutput:
    """Collects a page's linked files and renders report-model parts for one page."""

    def __init__(
        self,
        slug: str,
        root: str,
        directory: Path | None = None,
        *,
        html: bool = True,
        typst: bool = False,
        folder: str = "",
    ):
        self.slug = slug  # e.g. "la/873"
        self.root = root  # relative path from the page to the site root, e.g. "../"
        self.prefix = slug.rsplit("/", 1)[-1]
        self.directory = directory  # None: files are collected, not written
        self.folder = folder  # links to the files go through this folder (Quarto's <name>_files)
        self.files: dict[str, bytes] = {}  # path relative to the page's folder -> content
        self.tables: list[Table] = []
        self.texts: list[str] = []  # sentences printed by summary() and notices()
        self.html = html  # print raw HTML blocks
        self.typst = typst  # print raw Typst blocks (Quarto's format: typst)

    def _raw(self, block: str) -> str:
        return raw(block) if self.html else ""

    def _typst(self, function: str, value: object) -> str:
        if not self.typst:
            return ""
        from attendance_reports.render.engines.typst_pdf import typst_block

        return typst_block(function, value)

    def _add(self, name: str, content: str | bytes) -> str:
        if name in self.files:
            raise ValueError(f"{self.slug}: two outputs named {name}")
        self.files[name] = content.encode("utf-8") if isinstance(content, str) else content
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / name).write_bytes(self.files[name])
        return f"{self.folder}/{name}" if self.folder else name

    def href(self, site_path: str) -> str:
        """A link from this page to a path relative to the site root."""
        return self.root + site_path

    # ---- blocks -------------------------------------------------------------------------

    def summary(self, report: Report) -> str:
        """The key sentences (Typst: the title block too, and the document's metadata)."""
        self.texts += report.summary
        typst = ""
        if self.typst:
            from attendance_reports.render.engines.typst_pdf import document_meta

            typst = self._typst("overview-start", document_meta(report))
        return typst + self._raw(
            "".join(
                f'<p class="lead">{esc(s)}</p>' if i == 0 else f"<p>{esc(s)}</p>"
                for i, s in enumerate(report.summary)
            )
        )

    def notices(self, report: Report) -> str:
        if not report.notices:
            return ""
        self.texts += report.notices
        items = "".join(f"<li>{esc(n)}</li>" for n in report.notices)
        return self._typst("notices-block", list(report.notices)) + self._raw(
            f'<div class="notice" role="note"><p><strong class="notice-label">Important'
            f"</strong></p><ul>{items}</ul></div>"
        )

    def headlines(self, headlines: tuple[Headline, ...]) -> str:
        cards = []
        for h in headlines:
            f = h.figure
            value = (
                percent(f.value, f.decimals, f.status)
                if f.unit == "%"
                else number(f.value, f.decimals, f.status)
            )
            context = "".join(
                f"<li>{esc(c.label)}: {esc(percent(c.value, 1, c.status))}"
                f"{' (' + esc(c.note) + ')' if c.note else ''}</li>"
                for c in h.comparisons
            )
            rank = ""
            if h.ranked and not math.isnan(h.rank):
                rank = (
                    f'<p class="headline-rank">Rank {int(h.rank):,} of {h.ranked:,} local '
                    f"authorities (1 = lowest absence); quartile band {esc(h.band)}</p>"
                )
            source = (
                "LAIT"
                if "LAIT" in f.source
                else "In-year attendance"
                if "Pupil attendance" in f.source
                else "School census"
            )
            cards.append(
                f'<div class="headline"><h3 class="headline-label">{esc(f.label)}</h3>'
                f'<p class="headline-value">{esc(value)}</p>'
                f'<div class="headline-context"><p>{esc(h.year)}, {esc(source)}'
                + (f'<br><span class="headline-method">{esc(f.method)}</span>' if f.method else "")
                + f"</p>{'<ul>' + context + '</ul>' if context else ''}{rank}</div></div>"
            )
        return self._raw(f'<div class="headlines">{"".join(cards)}</div>') if cards else ""

    def chart(self, chart: Chart | None) -> str:
        if chart is None:
            return ""
        typst = ""
        if self.typst:
            from attendance_reports.render.engines.typst_pdf import chart_data

            typst = self._typst("chart-with-table", chart_data(chart))
        if not self.html:
            self.tables += [chart.table] if chart.table is not None else []
            return typst
        from attendance_reports.render.charts import chart_svg

        name = self._add(f"{self.prefix}-{chart.id}.svg", chart_svg(chart))
        figure = (
            f'<figure class="chart"><figcaption><strong>{esc(chart.title)}</strong><br>'
            f"{esc(chart.subtitle)}</figcaption>"
            f'<img src="{esc(name)}" alt="{esc(chart.alt)}">'
            f'<p class="chart-source">{esc(chart.source)}</p></figure>'
        )
        data = ""
        if chart.table is not None:
            data = (
                f"<details><summary>Data for this chart (table)</summary>"
                f"{self._table_html(chart.table)}</details>"
            )
        return typst + raw(figure + data)

    def map(self, chart: Map | None, boundaries) -> str:
        """A choropleth (an image with alt text), its classes in words and its data table."""
        if chart is None or boundaries is None or not self.html:
            return ""
        from attendance_reports.sources.geography import choropleth_svg

        svg = choropleth_svg(boundaries, dict(chart.areas), title=chart.title)
        name = self._add(f"{self.prefix}-{chart.id}.svg", svg)
        legend = "".join(
            f'<li><span class="map-swatch" style="background:{esc(c.colour)}" '
            f'aria-hidden="true"></span>{esc(c.label)}</li>'
            for c in chart.classes
        )
        words = "".join(f"<p>{esc(s)}</p>" for s in chart.description)
        figure = (
            f'<figure class="chart map"><figcaption><strong>{esc(chart.title)}</strong><br>'
            f"{esc(chart.subtitle)}</figcaption>"
            f'<img src="{esc(name)}" alt="{esc(chart.alt)}">'
            f'<div class="map-key"><p><strong>Key</strong> (lightest to darkest)</p>'
            f'<ul class="map-legend">{legend}</ul>{words}</div>'
            f'<p class="chart-source">{esc(chart.source)}</p></figure>'
        )
        data = ""
        if chart.table is not None:
            data = (
                f"<details><summary>Data for this map (table of every local authority)"
                f"</summary>{self._table_html(chart.table)}</details>"
            )
        return raw(figure + data)

    def either(self, *parts: str, none: str = NO_FIGURES) -> str:
        """The parts that have content, or one sentence saying the files have none (a
        heading is never left standing alone)."""
        shown = [p for p in parts if p.strip()]
        return "\n".join(shown) if shown else self.paragraphs([none])

    def all_or_none(self, *parts: str) -> str:
        """The parts one after another, as printed one by one (empty ones too: a page with
        figures is the same), or one sentence saying the files have none of them."""
        if not any(p.strip() for p in parts):
            return self.paragraphs([NO_FIGURES])
        return "\n".join(parts)

    def paragraphs(self, texts: tuple[str, ...] | list[str]) -> str:
        """Plain paragraphs of text (escaped)."""
        texts = [t for t in texts if t]
        return self._raw("".join(f"<p>{esc(t)}</p>" for t in texts)) if texts else ""

    def table(self, table: Table | None) -> str:
        if table is None:
            return ""
        typst = ""
        if self.typst:
            from attendance_reports.render.engines.typst_pdf import table_data

            typst = self._typst("data-table", table_data(table))
        if not self.html:
            self.tables.append(table)
            return typst
        return typst + raw(self._table_html(table))

    def _table_html(self, table: Table) -> str:
        from attendance_reports.render.tables import table_csv, table_html

        self.tables.append(table)
        name = self._add(f"{self.prefix}-{table.id}.csv", table_csv(table))
        return table_html(table, name, self.root)

    def pdf(self, report, publisher: str = "") -> str:
        """The committee PDF of an overview, written beside the page, and a link to it.
        (Typst: the document's publisher, when one is given.)"""
        from attendance_reports.render.engines.typst_pdf import overview_pdf

        typst = ""
        if publisher:
            typst = self._typst(
                "overview-update",
                {"publisher": publisher, "published": f"Published by {publisher}."},
            )
        if not self.html:
            return typst
        options = {"publisher": publisher} if publisher else {}
        content = overview_pdf(report, **options)
        name = self._add(f"{self.prefix}.pdf", content)
        return typst + raw(
            f'<p class="download"><a href="{esc(name)}" download>Download this overview '
            f"as a PDF for committee papers (A4, {max(1, len(content) // 1024):,} KB)"
            "</a></p>"
        )

    def facts(self, table: Table | None) -> str:
        """A table of facts (first column: the fact, second: its value, then when and where it
        is from) as a description list, with its CSV: one fact per line on a phone."""
        if table is None or not self.html:
            return ""
        from attendance_reports.render.tables import cell_text, table_csv

        self.tables.append(table)
        name = self._add(f"{self.prefix}-{table.id}.csv", table_csv(table))
        key, value, *more = table.columns
        items = []
        for row in table.rows:
            detail = "; ".join(cell_text(table, row, c) for c in more if cell_text(table, row, c))
            items.append(
                f"<dt>{esc(cell_text(table, row, key))}</dt><dd>{esc(cell_text(table, row, value))}"
                + (f' <span class="fact-source">({esc(detail)})</span>' if detail else "")
                + "</dd>"
            )
        notes = "".join(f'<p class="table-note">{esc(n)}</p>' for n in table.notes)
        return raw(
            f'<dl class="facts">{"".join(items)}</dl>{notes}'
            f'<p class="download"><a href="{esc(name)}" download>Download '
            f"{esc(table.caption)} (CSV)</a></p>"
        )

    def download(self, table: Table | None) -> str:
        """Only a CSV download of a table (for long lists whose rows have their own pages)."""
        if table is None or not self.html:
            return ""
        from attendance_reports.render.tables import table_csv

        name = self._add(f"{self.prefix}-{table.id}.csv", table_csv(table))
        return raw(
            f'<p class="download"><a href="{esc(name)}" download>Download '
            f"{esc(table.caption)} (CSV, {counted(len(table.rows), 'row')})</a></p>"
        )

    def links(self, links: tuple[Link | None, ...], css: str = "link-list") -> str:
        links = tuple(link for link in links if link is not None)  # a page not built
        if not links:
            return ""
        items = "".join(
            f'<li><a href="{esc(self.href(link.href))}">{esc(link.text)}</a></li>' for link in links
        )
        return self._raw(f'<ul class="{esc(css)}">{items}</ul>')

    def la_list(self, regions) -> str:
        """Local authorities grouped by region, as a multi-column list of links."""
        blocks = []
        for region in regions:
            items = "".join(
                f'<li><a href="{esc(self.href(link.href))}">{esc(link.text)}</a></li>'
                for link in region.links
            )
            blocks.append(
                f'<div class="la-region"><h3>{esc(region.name)}</h3><ul>{items}</ul></div>'
            )
        return self._raw(f'<div class="la-list">{"".join(blocks)}</div>')

    def symbols_key(self) -> str:
        """The key to the symbols used on this page (always includes [x] and [z])."""
        from attendance_reports.render.tables import symbols_used

        typst = ""
        if self.typst:
            from attendance_reports.render.engines.typst_pdf import symbols_data

            typst = self._typst("symbols-key", symbols_data(self.tables, self.texts))
        used = set(symbols_used(self.tables)) | {"[x]", "[z]"}
        rows = "".join(f"<dt>{esc(s)}</dt><dd>{esc(KEY[s])}</dd>" for s in KEY if s in used)
        return typst + self._raw(
            f'<div class="symbols-key"><h2>Symbols used in tables</h2><dl>{rows}</dl></div>'
        )


def quarto_formats() -> tuple[bool, bool]:
    """(HTML, Typst): which raw blocks a template run by Quarto prints. Quarto names the format
    it renders in the file QUARTO_EXECUTE_INFO points to (newer releases); without it, both
    (each format drops the other's raw blocks)."""
    try:
        with open(os.environ["QUARTO_EXECUTE_INFO"], encoding="utf-8") as file:
            identifier = json.load(file)["format"]["identifier"]
        target = str(identifier.get("base-format") or identifier["target-format"])
    except (KeyError, OSError, ValueError, TypeError):
        return True, True
    typst = target.startswith("typst")
    return not typst, typst


def quarto_document() -> Path | None:
    """The document Quarto is running, as an absolute path: QUARTO_EXECUTE_INFO's
    ``document-path``, else QUARTO_DOCUMENT_PATH and QUARTO_DOCUMENT_FILE (relative to the
    project under `quarto preview`); None outside Quarto."""
    try:
        with open(os.environ["QUARTO_EXECUTE_INFO"], encoding="utf-8") as file:
            return Path(str(json.load(file)["document-path"])).resolve()
    except (KeyError, OSError, ValueError, TypeError):
        pass
    name = os.environ.get("QUARTO_DOCUMENT_FILE")
    if not name:
        return None
    folder = Path(os.environ.get("QUARTO_DOCUMENT_PATH") or ".")
    if not folder.is_absolute():
        folder = Path(os.environ.get("QUARTO_PROJECT_ROOT") or Path.cwd()) / folder
    return (folder / name).resolve()


def page_output(page: PageOutput | None, slug: str) -> PageOutput:
    """The build's collector for this page; or, when Quarto runs the template, one writing into
    the document's ``<name>_files/data/`` (Quarto's supporting-files folder, whose entries must
    be folders); or, run from plain Python, one writing into the current folder."""
    if page is not None:
        return page
    html, typst = quarto_formats()
    document = quarto_document()
    if document is None:
        return PageOutput(slug, "", Path.cwd(), html=html, typst=typst)
    folder = f"{document.stem}_files/data"
    return PageOutput(slug, "", document.parent / folder, html=html, typst=typst, folder=folder)
