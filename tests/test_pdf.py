"""The committee PDF of a latest data overview: tagged PDF/UA-1, titled, en-GB, reproducible;
its text (pdftotext) holds every figure of the narrative and every table heading; data is
printed literally, never run as Typst markup."""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import subprocess
from dataclasses import replace

import pikepdf
import pytest

from attendance_reports.errors import RenderError
from attendance_reports.model.report_model import (
    Chart,
    Column,
    OverviewReport,
    OverviewSection,
    Series,
    Table,
)
from attendance_reports.render.engines.typst_pdf import LICENCE, overview_data, overview_pdf

NAN = math.nan
HOSTILE = "#set page(width: 1cm) *bold* $x$ <b>"
YEARS = ("2014/15", "2015/16", "2016/17", "2017/18", "2018/19")
SOURCE = "DfE, Pupil absence in schools in England (school census)"

#: skipped locally without poppler-utils; under CI=true (which installs it) a failure instead
NO_POPPLER = shutil.which("pdftotext") is None and os.environ.get("CI", "").lower() != "true"
needs_poppler = pytest.mark.skipif(NO_POPPLER, reason="poppler-utils (pdftotext) is not installed")


def phase_chart(name: str) -> Chart:
    series = (
        Series("Primary", YEARS, (3.9, 3.8, 3.9, 3.9, 3.8), highlight=True),
        Series("Secondary", YEARS, (5.1, 5.2, 5.3, 5.4, 5.5)),
        Series("Special", YEARS, (9.9, NAN, 10.2, 10.4, 10.6)),
    )
    rows = tuple(
        {
            "year": year,
            **{f"s{i}": s.y[j] for i, s in enumerate(series) if not math.isnan(s.y[j])},
            **{
                f"s{i}__status": "ok" if not math.isnan(s.y[j]) else "not-available"
                for i, s in enumerate(series)
            },
        }
        for j, year in enumerate(YEARS)
    )
    table = Table(
        "phases-data",
        f"Overall absence rate by phase and year: {name}",
        (
            Column("year", "Academic year"),
            *(Column(f"s{i}", s.label, "%") for i, s in enumerate(series)),
        ),
        rows,
        notes=("Special schools' 2015/16 figure is not available.",),
        source=SOURCE,
    )
    return Chart(
        "phases",
        "line",
        f"Secondary absence in {name} rose each year to 5.5% in 2018/19",
        f"Overall absence rate by phase, {name}, 2014/15 to 2018/19",
        f"Line chart of the overall absence rate in primary, secondary and special schools in "
        f"{name} from 2014/15 to 2018/19; secondary rose each year. The data table follows.",
        series,
        "%",
        SOURCE,
        (),
        table,
    )


def make_report(name: str = "Cambridgeshire") -> OverviewReport:
    """A realistic overview of one LA for 2018/19: five sections, a [x] cell, a chart."""
    overall = Table(
        "overall",
        f"Overall absence, {name} and England, 2018/19",
        (
            Column("measure", "Measure"),
            Column("area", name, "%"),
            Column("england", "England", "%"),
            Column("change", "Change since 2017/18", "percentage points"),
        ),
        (
            {"measure": "Overall absence rate", "area": 4.6489, "england": 4.7012, "change": -0.25},
            {
                "measure": "Authorised absence rate",
                "area": 3.4012,
                "england": 3.3499,
                "change": 0.1,
            },
            {
                "measure": "Unauthorised absence rate",
                "area": 1.2477,
                "england": 1.3513,
                "change": NAN,
                "change__status": "no-previous-year",
            },
        ),
        notes=("Changes are worked out from unrounded rates.",),
        source=SOURCE,
    )
    persistent = Table(
        "persistent",
        f"Persistent absence (10% or more), {name}, 2018/19",
        (
            Column("measure", "Measure"),
            Column("value", "Value", "count"),
        ),
        (
            {"measure": "Persistent absentees", "value": 8_914.0},
            {"measure": "Authorised sessions missed by persistent absentees", "value": 612_334.0},
            {"measure": "Unauthorised sessions missed by persistent absentees", "value": 230_118.0},
            {"measure": "Sessions possible for persistent absentees", "value": 2_880_456.0},
        ),
        source=SOURCE,
    )
    benchmarks = Table(
        "benchmarks",
        f"{name} compared with England, East of England and statistical neighbours, 2018/19",
        (
            Column("measure", "Measure"),
            Column("area", name, "%"),
            Column("england", "England", "%"),
            Column("region", "East of England", "%"),
            Column("neighbours", "Statistical neighbours", "%"),
        ),
        (
            {
                "measure": "Overall absence rate",
                "area": 4.6489,
                "england": 4.7012,
                "region": 4.5,
                "neighbours": 4.62,
            },
            {
                "measure": "Persistent absence rate (10% or more)",
                "area": 10.5,
                "england": 10.9,
                "region": 10.2,
                "neighbours": 10.66,
            },
        ),
        notes=("Statistical neighbours: the mean of the 10 most similar local authorities.",),
        source=SOURCE,
    )
    chart = phase_chart(name)
    sections = (
        OverviewSection(
            "overall",
            "Overall absence",
            (
                f"In 2018/19, 95,432 enrolments in {name} missed 1,234,567 of 26,556,000 "
                "possible sessions: an overall absence rate of 4.6%.",
                "On average each enrolment missed 12.9 sessions.",
                "The rate decreased by 0.3 percentage points since 2017/18; its 3-year "
                "average is 4.5%.",
            ),
            table=overall,
        ),
        OverviewSection(
            "persistent",
            "Persistent absence",
            (
                "10.5% of enrolments (8,914) were persistently absent, missing 10% or more "
                "of their sessions.",
                "A persistent absentee missed 71 more sessions on average than other enrolments.",
                "Without them the overall absence rate would have been 2.8%.",
                "That was 572 fewer pupils than in 2017/18.",
            ),
            table=persistent,
        ),
        OverviewSection(
            "severe",
            "Severe absence",
            ("Severe absence (50% or more) is not published for this period.",),
        ),
        OverviewSection(
            "phases",
            "Trend by phase",
            ("Secondary schools' rate rose from 5.1% in 2014/15 to 5.5% in 2018/19.",),
            table=chart.table,
            chart=chart,
        ),
        OverviewSection(
            "benchmarks",
            "Benchmarks",
            (
                f"{name}'s overall absence rate of 4.6% was lower than England's 4.7% and "
                "higher than the East of England's 4.5%.",
            ),
            table=benchmarks,
        ),
    )
    return OverviewReport(
        slug="la/873/overview",
        title=f"{name}: latest data overview, 2018/19",
        description=f"Pupil absence in {name}'s state-funded schools in 2018/19.",
        summary=(f"Overall absence in {name} was 4.6% in 2018/19.",),
        notices=("2018/19 is a full academic year: compare it only with other full years.",),
        sources=(SOURCE,),
        code="873",
        name=name,
        year="2018/19",
        period="full-year",
        period_label="full academic year",
        sections=sections,
    )


@pytest.fixture(scope="module")
def report() -> OverviewReport:
    return make_report()


@pytest.fixture(scope="module")
def pdf_bytes(report) -> bytes:
    return overview_pdf(report)


@pytest.fixture(scope="module")
def pdf_text(pdf_bytes, tmp_path_factory) -> str:
    return pdftotext(pdf_bytes, tmp_path_factory.mktemp("pdf"))


def pdftotext(data: bytes, folder) -> str:
    if NO_POPPLER:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    path = folder / "overview.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def flat(text: str) -> str:
    """Text with every run of white space (line breaks included) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element of the tagged PDF, depth first."""
    found: list[pikepdf.Dictionary] = []

    def walk(node) -> None:
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


# ---------------------------------------------------------------- the document


def test_pdf_is_tagged_pdf_ua_titled_and_english(pdf_bytes, report):
    assert pdf_bytes.startswith(b"%PDF-")
    with open_pdf(pdf_bytes) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.docinfo["/Title"]) == report.title
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        # A4 portrait: 595 x 842 points
        for page in pdf.pages:
            box = [float(v) for v in page.MediaBox]
            assert box[2] - box[0] == pytest.approx(595.28, abs=0.5)
            assert box[3] - box[1] == pytest.approx(841.89, abs=0.5)


def test_structure_has_headings_paragraphs_tables_and_the_charts_alt_text(pdf_bytes, report):
    with open_pdf(pdf_bytes) as pdf:
        elements = structure(pdf)
    kinds = [str(e.S) for e in elements]
    assert kinds.count("/H1") == 1
    # one H2 per section, then the symbols key and the sources
    assert kinds.count("/H2") == len(report.sections) + 2
    assert kinds.count("/Table") == 4  # the chart's table is the section's: shown once
    assert kinds.count("/TH") >= 4 + 2 + 4 + 5
    assert kinds.count("/P") >= sum(len(s.sentences) for s in report.sections)
    figures = [e for e in elements if str(e.S) == "/Figure"]
    chart = report.sections[3].chart
    assert [str(f.Alt) for f in figures] == [chart.alt]


def test_every_body_row_has_its_first_cell_as_row_header(pdf_bytes, report):
    """As <th scope="row"> on the web page: a screen reader reads each figure with its row's
    heading and its column's."""
    with open_pdf(pdf_bytes) as pdf:
        ids = pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree)
        rows = [
            row
            for body in structure(pdf)
            if str(body.S) == "/TBody"
            for row in body.K
            if isinstance(row, pikepdf.Dictionary)
        ]
        expected = sum(len(s.table.rows) for s in report.sections if s.table is not None)
        assert len(rows) == expected
        for row in rows:
            cells = [c for c in row.K if isinstance(c, pikepdf.Dictionary)]
            header, figures = cells[0], cells[1:]
            assert str(header.S) == "/TH"
            table = next(a for a in header.A if a.get("/O") == "/Table")
            assert table.Scope == "/Row"
            assert ids[str(header.ID)].objgen == header.objgen
            for cell in figures:
                assert str(cell.S) == "/TD"
                headers = [str(h) for a in cell.A if a.get("/O") == "/Table" for h in a.Headers]
                assert len(headers) == 2 and headers[-1] == str(header.ID)


@needs_poppler
def test_text_holds_the_title_every_figure_of_the_narrative_and_the_table_headings(
    pdf_text, report
):
    text = flat(pdf_text)
    assert report.title in text
    sentences = [*report.summary, *(s for section in report.sections for s in section.sentences)]
    for sentence in sentences:
        for figure in re.findall(r"\d[\d,]*(?:\.\d+)?%?", sentence):
            assert figure in text, (figure, sentence)
        assert flat(sentence) in text
    for section in report.sections:
        assert section.heading in text
        if section.table is not None:
            assert section.table.caption in text
            for column in section.table.columns:
                assert column.label in text, column.label
    assert LICENCE in text
    assert "Page 1 of" in text
    assert f"Source: {SOURCE}" in text


@needs_poppler
def test_table_cells_are_formatted_as_on_the_web_page(pdf_text):
    text = flat(pdf_text)
    # half up, once, from the unrounded values; signed changes; the symbol of a missing value
    assert "Overall absence rate 4.6% 4.7% -0.3" in text
    assert "Authorised absence rate 3.4% 3.3% +0.1" in text
    assert "Unauthorised absence rate 1.2% 1.4% [x]" in text
    assert "Change since 2017/18 (percentage points)" in text
    assert "2,880,456" in text
    assert "Statistical neighbours: the mean of the 10 most similar local authorities." in text


@needs_poppler
def test_symbols_key_lists_the_symbols_used(pdf_text, tmp_path):
    text = flat(pdf_text)
    assert "Symbols used in this document" in text
    assert "[x]: not available" in text
    assert "[c]:" not in text  # only the symbols that appear
    clean = make_report()
    clean_sections = tuple(
        replace(s, table=None, chart=None) if s.id in ("overall", "phases") else s
        for s in clean.sections
    )
    clean_text = flat(pdftotext(overview_pdf(replace(clean, sections=clean_sections)), tmp_path))
    assert "Symbols used" not in clean_text


def test_the_same_report_gives_the_same_bytes(pdf_bytes, report):
    assert overview_pdf(make_report()) == pdf_bytes
    assert overview_pdf(report) == pdf_bytes


def test_fonts_are_embedded_and_none_comes_from_the_machine(pdf_bytes):
    """DejaVu Sans (matplotlib's copy, the charts' font) and Typst's own fonts only."""
    names = set()
    with open_pdf(pdf_bytes) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                names.add(str(font.BaseFont).split("+", 1)[-1])
                for descendant in font.get("/DescendantFonts", []):
                    assert "/FontFile2" in descendant.FontDescriptor or (
                        "/FontFile3" in descendant.FontDescriptor
                    )
    assert names
    assert all(n.startswith(("DejaVuSans", "LibertinusSerif")) for n in names), names


def test_publisher_is_the_author(report):
    data = overview_pdf(report, publisher="Cambridgeshire County Council")
    with open_pdf(data) as pdf:
        assert str(pdf.docinfo["/Author"]) == "Cambridgeshire County Council"


@needs_poppler
def test_hostile_names_print_literally(tmp_path):
    report = make_report(HOSTILE)
    data = overview_pdf(report)
    text = flat(pdftotext(data, tmp_path))
    assert HOSTILE in text
    assert f"{HOSTILE}: latest data overview, 2018/19" in text
    with open_pdf(data) as pdf:
        assert str(pdf.docinfo["/Title"]) == report.title
        # the page is still A4 (the name was not run as `#set page(width: 1cm)`)
        assert float(pdf.pages[0].MediaBox[2]) == pytest.approx(595.28, abs=0.5)
    # every other character Typst markup gives a meaning to
    name = r"A\B [c] _u_ @ref `code` // no comment ~ -- = # \\ ]"
    text = flat(pdftotext(overview_pdf(make_report(name)), tmp_path))
    assert flat(name) in text


# ---------------------------------------------------------------- refusals


def test_a_chart_without_alt_text_is_refused(report):
    sections = list(report.sections)
    sections[3] = replace(sections[3], chart=replace(sections[3].chart, alt="  "))
    with pytest.raises(RenderError, match="alt text"):
        overview_pdf(replace(report, sections=tuple(sections)))


def test_a_report_without_a_title_is_refused(report):
    with pytest.raises(RenderError, match="title"):
        overview_pdf(replace(report, title=""))


def test_a_table_with_an_unknown_unit_is_refused(report):
    sections = list(report.sections)
    table = sections[0].table
    bad = replace(table, columns=(*table.columns[:-1], Column("change", "Change", "pp")))
    sections[0] = replace(sections[0], table=bad)
    with pytest.raises(RenderError, match="unit"):
        overview_pdf(replace(report, sections=tuple(sections)))


def test_data_is_json_text_with_numbers_already_formatted(report):
    data = overview_data(report)
    overall = data["sections"][0]["table"]
    assert overall["rows"][0] == ["Overall absence rate", "4.6%", "4.7%", "-0.3"]
    assert overall["columns"][0] == {"label": "Measure", "numeric": False}
    assert data["sections"][3]["chart"]["svg"].lstrip().startswith("<?xml")
    assert data["sections"][3]["chart"]["table"] is None  # it is the section's table
    assert data["symbols"] == [
        {
            "symbol": "[x]",
            "meaning": "not available (not collected, not published, or no earlier figure)",
        }
    ]


# ---------------------------------------------------------------- the real overview


def test_overview_of_real_data_compiles(repo, tmp_path, bundled_site):
    from attendance_reports.model import overview

    site = bundled_site
    report = overview.overview_report(site, "873", None, "full-year")
    data = overview_pdf(report)
    assert overview_pdf(report) == data
    with open_pdf(data) as pdf:
        assert str(pdf.docinfo["/Title"]) == report.title
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
    text = flat(pdftotext(data, tmp_path))
    for section in report.sections:
        assert section.heading in text
        for sentence in section.sentences:
            for figure in re.findall(r"\d[\d,]*(?:\.\d+)?%?", sentence):
                assert figure in text, (figure, sentence)


# ---------------------------------------------------------------- Quarto's format: typst
# Quarto's pipeline replayed without Quarto (tests/test_quarto.py runs the real one): the
# template's cells run as Quarto runs them (no build collector, QUARTO_EXECUTE_INFO naming the
# typst format), Pandoc turns the Markdown into Typst through a main template that includes
# our two partials as Quarto's does, and Typst compiles it as PDF/UA-1.

PUBLISHER = "Cambridgeshire County Council"


def quarto_info(folder, target: str) -> str:
    info = folder / f"execute-info-{target}.json"
    identifier = {"target-format": target, "base-format": target}
    info.write_text(
        json.dumps({"document-path": "overview.qmd", "format": {"identifier": identifier}})
    )
    return str(info)


def quarto_markdown(repo, folder, monkeypatch, target: str | None) -> str:
    """The Markdown Quarto hands Pandoc for reports/overview.qmd (873, 2018/19)."""
    from attendance_reports.render.page_sources import execute, load_template

    monkeypatch.chdir(folder)
    if target is None:
        monkeypatch.delenv("QUARTO_EXECUTE_INFO", raising=False)
    else:
        monkeypatch.setenv("QUARTO_EXECUTE_INFO", quarto_info(folder, target))
    params = {"la_code": "873", "year": "2018/19", "data": str(repo / "data")}
    _, body, _ = execute(
        load_template(repo / "reports" / "overview.qmd"),
        {**params, "page": None, "publisher": PUBLISHER},
    )
    return body


def quarto_typst_pdf(markdown: str, folder) -> bytes:
    import pypandoc
    import typst

    from attendance_reports.render.engines.typst_pdf import PARTIALS, _font_dir

    for partial in PARTIALS:
        shutil.copy(partial, folder / partial.name)
    main = folder / "template.typ"
    main.write_text("$typst-template.typ()$\n\n$typst-show.typ()$\n\n$body$\n")
    source = pypandoc.convert_text(
        markdown, "typst", format="markdown", extra_args=["--template", str(main)]
    )
    (folder / "overview.typ").write_text(source)
    compiler = typst.Compiler(
        str(folder / "overview.typ"),
        root=str(folder),
        font_paths=[_font_dir()],
        ignore_system_fonts=True,
    )
    return compiler.compile(format="pdf", pdf_standards="ua-1")


@needs_poppler
def test_quarto_typst_format_makes_the_same_document(repo, tmp_path, monkeypatch, bundled_site):
    from attendance_reports.model.overview import overview_report

    markdown = quarto_markdown(repo, tmp_path, monkeypatch, "typst")
    assert "```{=html}" not in markdown  # only Typst blocks, and no PDF compiled beside
    assert not list(tmp_path.glob("*.pdf"))
    quarto = quarto_typst_pdf(markdown, tmp_path)
    report = overview_report(bundled_site, "873", "2018/19", "full-year")
    with open_pdf(quarto) as pdf:
        assert str(pdf.docinfo["/Title"]) == report.title
        assert str(pdf.docinfo["/Author"]) == PUBLISHER
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.open_metadata().get("pdfuaid:part") == "1"
        kinds = [str(e.S) for e in structure(pdf)]
    assert kinds.count("/Table") == 4 and kinds.count("/Figure") == 1
    # word for word the PDF the site build makes (Pandoc only curls the apostrophes)
    ours = flat(pdftotext(overview_pdf(report, publisher=PUBLISHER), tmp_path))
    assert flat(pdftotext(quarto, tmp_path)).replace("\u2019", "'") == ours


def test_quarto_html_format_prints_no_typst(repo, tmp_path, monkeypatch):
    markdown = quarto_markdown(repo, tmp_path, monkeypatch, "html")
    assert "```{=typst}" not in markdown and "```{=html}" in markdown
    # written into Quarto's supporting-files folder of the document (git-ignored)
    pdf = tmp_path / "overview_files" / "data" / "873-overview.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert 'href="overview_files/data/873-overview.pdf"' in markdown


def test_an_older_quarto_gets_both_formats_blocks(repo, tmp_path, monkeypatch):
    # without QUARTO_EXECUTE_INFO each format keeps its own raw blocks and drops the other's
    markdown = quarto_markdown(repo, tmp_path, monkeypatch, None)
    assert "```{=typst}" in markdown and "```{=html}" in markdown
    assert markdown.count("#data-table(") == 3 and markdown.count("#chart-with-table(") == 1


def test_the_partials_are_pandoc_templates_without_variables():
    from attendance_reports.render.engines.typst_pdf import PARTIALS

    for partial in PARTIALS:
        assert "$" not in partial.read_text(encoding="utf-8"), partial.name


@needs_poppler
def test_typst_blocks_print_hostile_text_literally(tmp_path):
    from attendance_reports.render.engines.typst_pdf import PARTIALS, typst_block

    name = 'A "quoted" \\ back\\slash ``` #set page(width: 1cm) $x$ \n [c] '
    meta = {
        "title": name,
        "subtitle": "",
        "description": "",
        "publisher": "",
        "summary": [name],
        "sources": [],
        "footer_source": "",
        "licence": LICENCE,
        "published": "",
    }
    source = (
        PARTIALS[0].read_text()
        + PARTIALS[1].read_text()
        + typst_block("overview-start", meta).split("\n")[2]  # the line inside the fences
    )
    import typst

    data = typst.compile(source.encode(), format="pdf", pdf_standards="ua-1")
    text = flat(pdftotext(data, tmp_path))
    assert text.count(flat(name)) == 2  # the title and the summary
    with open_pdf(data) as pdf:
        assert flat(str(pdf.docinfo["/Title"])) == flat(name)
        assert float(pdf.pages[0].MediaBox[2]) == pytest.approx(595.28, abs=0.5)
