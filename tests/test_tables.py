"""Tables as page HTML (great_tables) and as CSV downloads."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re
from dataclasses import replace

import numpy as np
import pytest

from attendance_reports.errors import RenderError
from attendance_reports.model.report_model import Column, Table
from attendance_reports.render.tables import html_id, symbols_used, table_csv, table_html

NAN = math.nan

COLUMNS = (
    Column("name", "Area"),
    Column("rate", "Overall absence rate", "%"),
    Column("pa", "Persistent absence rate", "%", decimals=2),
    Column("change", "Change since 2017/18", "percentage points"),
    Column("enrolments", "Enrolments", "count"),
    Column("band", "Quartile band"),
)


def _row(name, rate=4.402478132, pa=10.9, change=0.2, enrolments=7105958.0, band="A", **extra):
    return {
        "name": name,
        "rate": rate,
        "pa": pa,
        "change": change,
        "enrolments": enrolments,
        "band": band,
        **extra,
    }


ROWS = (
    _row("England"),
    _row("<script>alert(1)</script>", rate=4.45, pa=0.125, change=-0.25),
    _row('=HYPERLINK("http://x")', rate=NAN, rate__status="suppressed", change=-0.04),
    _row("+1", pa=NAN, pa__status="zero-denominator", change=1.0),
    _row("@x", change=NAN, change__status="no-previous-year", enrolments=np.float64(12.0)),
    _row("-x", rate=np.float64(0.1 + 0.2), enrolments=NAN, enrolments__status="low"),
    _row("Bath & North East Somerset", band=NAN, band__status="not-applicable"),
)

TABLE = Table(
    id="overall_absence",
    caption="Overall absence rate by local authority, 2018/19",
    columns=COLUMNS,
    rows=ROWS,
    notes=("Rates are of possible sessions.",),
    source="Department for Education, Pupil absence in schools in England",
)

HREF = "leeds-2018-19-overall_absence.csv"


@pytest.fixture(scope="module")
def page() -> str:
    return table_html(TABLE, HREF)


def _cells(page: str) -> list[list[str]]:
    """Body rows as lists of cell text (the row header first)."""
    body = page[page.index("<tbody") : page.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.DOTALL)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL) for row in rows]


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


# ---------------------------------------------------------------------------------- HTML


def test_caption_is_first_child_of_table(page):
    caption_id = f"{html_id(TABLE.id)}--caption"
    assert re.search(
        rf'<table class="gt_table"[^>]*>\s*<caption id="{caption_id}">'
        r"Overall absence rate by local authority, 2018/19</caption>",
        page,
    )
    assert page.count("<caption") == 1


def test_headers_have_scope(page):
    assert page.count('scope="col"') == len(COLUMNS)
    assert page.count('scope="row"') == len(ROWS)
    stubhead = re.search(r'<th [^>]*scope="col"[^>]*>(.*?)</th>', page)
    assert stubhead and stubhead.group(1) == "Area"  # the stub heading is not empty
    for cells in _cells(page):
        assert len(cells) == len(COLUMNS)


def test_ids_unique_and_headers_resolve(page):
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for headers in re.findall(r'\bheaders="([^"]+)"', page):
        assert set(headers.split()) <= set(ids)


def test_region_wrapper_and_download_link(page):
    caption_id = f"{html_id(TABLE.id)}--caption"
    assert page.startswith(
        f'<div class="table-wrap" role="region" aria-labelledby="{caption_id}" tabindex="0">'
    )
    assert '<p class="table-note">Rates are of possible sessions.</p>' in page
    assert (
        '<p class="table-source">Source: Department for Education, '
        "Pupil absence in schools in England</p>"
    ) in page
    assert page.rstrip().endswith(
        f'<p class="download"><a href="{HREF}" download>Download this table as CSV '
        "(Overall absence rate by local authority, 2018/19)</a></p>"
    )
    # the notes and link come after the scroll region closes
    assert page.index("</table>") < page.index('class="table-note"')


def test_data_text_is_escaped():
    hostile = "<script>alert(1)</script>"
    table = Table(
        id="x",
        caption=f"Caption {hostile}",
        columns=(Column("name", f"Area {hostile}"), Column("v", f"Rate {hostile}", "%")),
        rows=({"name": hostile, "v": 1.0}, {"name": '=HYPERLINK("http://x")', "v": 2.0}),
        notes=(hostile,),
        source=hostile,
    )
    page = table_html(table, 'a"b.csv')
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '=HYPERLINK("' not in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page
    assert 'href="a&quot;b.csv"' in page


def test_formatted_cells(page):
    cells = _cells(page)
    assert cells[0] == ["England", "4.4%", "10.90%", "+0.2", "7,105,958", "A"]
    # half up on the float's exact value: 4.45 -> 4.5 and 0.125 -> 0.13 (round() gives 0.12)
    assert cells[1][1:4] == ["4.5%", "0.13%", "-0.3"]
    assert cells[2][3] == "0.0"  # rounds to zero: no sign
    assert cells[3][3] == "+1.0"
    assert cells[5][1] == "0.3%"  # numpy float
    assert ">Change since 2017/18 (percentage points)</th>" in page


def test_missing_values_show_their_symbol_never_blank_or_zero(page):
    cells = _cells(page)
    assert cells[2][1] == "[c]"
    assert cells[3][2] == "[z]"
    assert cells[4][3] == "[x]"
    assert cells[5][4] == "[low]"
    assert cells[6][5] == "[z]"
    assert all(cell.strip() for row in cells for cell in row)


def test_missing_without_a_status_is_not_available():
    table = Table(
        "t",
        "Caption",
        (Column("name", "Area"), Column("v", "Rate", "%"), Column("n", "Count", "count")),
        ({"name": "", "v": NAN, "n": None},),
    )
    assert _cells(table_html(table, "t.csv")) == [["[x]", "[x]", "[x]"]]
    assert _csv_rows(table_csv(table))[1] == ["x", "x", "x"]
    assert symbols_used([table]) == ["[x]"]


def test_numbers_right_aligned_with_tabular_figures(page):
    assert re.search(r'class="gt_row gt_right">4\.4%<', page)
    assert re.search(r'class="gt_row gt_left">A<', page)
    assert "font-variant-numeric: tabular-nums" in page


def test_html_is_deterministic():
    rebuilt = replace(TABLE, rows=tuple(dict(r) for r in ROWS))
    assert table_html(TABLE, HREF) == table_html(TABLE, HREF) == table_html(rebuilt, HREF)


def test_no_external_requests_and_scoped_style(page):
    safe = replace(TABLE, rows=ROWS[:2])
    text = table_html(safe, HREF)
    assert "http" not in text
    assert "@import" not in text and "url(" not in text and "font-face" not in text
    styles = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    assert len(styles) == 1
    selectors = [line.split("{")[0] for line in styles[0].strip().splitlines()]
    assert all(s.startswith(f"#{html_id(TABLE.id)} ") for s in selectors)
    assert "overflow-x:auto" not in page  # the .table-wrap region scrolls, not an inner div


def test_html_ids():
    assert html_id("overall_absence") == "tbl-overall_absence"
    assert html_id("a b") != html_id("a-b")  # distinct ids stay distinct after cleaning
    assert re.fullmatch(r"tbl-[A-Za-z0-9_-]+", html_id("1 <x>"))


def test_bad_tables_are_refused():
    bad_unit = Table(
        "t", "c", (Column("a", "A"), Column("b", "B", "sessions")), ({"a": "x", "b": 1},)
    )
    with pytest.raises(RenderError, match="unit 'sessions'"):
        table_html(bad_unit, "t.csv")
    no_value = Table("t", "c", (Column("a", "A"), Column("b", "B", "%")), ({"a": "x"},))
    with pytest.raises(RenderError, match="neither 'b' nor 'b__status'"):
        table_csv(no_value)
    with pytest.raises(RenderError, match="not a relative path"):
        table_html(TABLE, "https://example.com/t.csv")


# ---------------------------------------------------------------------------------- CSV


def test_csv_bom_header_and_line_endings():
    text = table_csv(TABLE)
    assert text.startswith("\ufeffArea,Overall absence rate,")
    assert "\r" not in text and text.endswith("\n")
    assert _csv_rows(text)[0] == [
        "Area",
        "Overall absence rate",
        "Persistent absence rate",
        "Change since 2017/18 (percentage points)",
        "Enrolments",
        "Quartile band",
    ]
    assert table_csv(TABLE) == text


def test_csv_numbers_unrounded_and_counts_whole():
    rows = _csv_rows(table_csv(TABLE))
    assert rows[1] == ["England", "4.402478132", "10.9", "0.2", "7105958", "A"]
    assert rows[2][1:4] == ["4.45", "0.125", "-0.25"]  # negative numbers stay numbers
    assert rows[6][1] == repr(0.1 + 0.2)  # numpy float64 written as the float, unrounded
    assert rows[5][4] == "12"


def test_csv_neutralises_text_cells_only():
    names = [row[0] for row in _csv_rows(table_csv(TABLE))[1:]]
    assert names == [
        "England",
        "<script>alert(1)</script>",
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'@x",
        "'-x",
        "Bath & North East Somerset",
    ]


def test_csv_symbols_are_ees_letters():
    rows = _csv_rows(table_csv(TABLE))
    assert rows[3][1] == "c"
    assert rows[4][2] == "z"  # zero denominator
    assert rows[5][3] == "x"  # no previous year
    assert rows[6][4] == "low"
    assert rows[7][5] == "z"
    reliability = Table(
        "t",
        "c",
        (Column("a", "A"), Column("b", "B", "%")),
        ({"a": "x", "b": 3.0, "b__status": "low-reliability"},),
    )
    assert _csv_rows(table_csv(reliability))[1] == ["x", "u"]


# ---------------------------------------------------------------------------------- key


def test_symbols_used_in_key_order():
    assert symbols_used([TABLE]) == ["[c]", "[x]", "[z]", "[low]"]
    clean = replace(TABLE, rows=ROWS[:2])
    assert symbols_used([clean]) == []
    assert symbols_used([]) == []


def test_codes_in_text_columns_are_whole_numbers():
    table = Table(
        "t",
        "Schools",
        (Column("urn", "School (URN)"), Column("v", "Rate", "%")),
        ({"urn": 100000.0, "v": 1.0}, {"urn": 873, "v": 2.0}),
    )
    assert [row[0] for row in _cells(table_html(table, "t.csv"))] == ["100000", "873"]
    assert [row[0] for row in _csv_rows(table_csv(table))[1:]] == ["100000", "873"]


def test_symbols_given_as_text_are_in_the_key():
    table = Table("t", "c", (Column("a", "A"), Column("b", "Band")), ({"a": "x", "b": "[x]"},))
    assert symbols_used([table]) == ["[x]"]


def _tables_in(report) -> list[Table]:
    """Every Table a report model holds (its fields, and tuples, lists and dicts of them)."""
    if isinstance(report, Table):
        return [report]
    if dataclasses.is_dataclass(report):
        parts = [getattr(report, f.name) for f in dataclasses.fields(report)]
    elif isinstance(report, (tuple, list)):
        parts = list(report)
    elif isinstance(report, dict):
        parts = list(report.values())
    else:
        return []
    return [table for part in parts for table in _tables_in(part)]


def test_every_table_of_a_site_is_great_tables_own_html(bundled_site):
    """Tables are rendered from one great_tables layout per shape (placeholders filled in):
    for every table of the bundled site's pages of England, Cambridgeshire (873), a third of
    its schools and its trusts, the result is byte for byte great_tables' own rendering of that table."""
    from attendance_reports.model.assemble import la_report, national_report
    from attendance_reports.model.assemble_groups import groups_report
    from attendance_reports.model.assemble_inyear import inyear_la_report, inyear_national_report
    from attendance_reports.model.assemble_school import school_report
    from attendance_reports.model.assemble_site_pages import definitions_table
    from attendance_reports.model.assemble_trust import built_trusts, trust_report
    from attendance_reports.model.overview import overview_report
    from attendance_reports.render import tables

    tables._layout.cache_clear()
    site = bundled_site
    reports = [
        national_report(site),
        la_report(site, "873"),
        inyear_national_report(site),
        inyear_la_report(site, "873"),
        groups_report(site, "873"),
        overview_report(site, "873"),
        definitions_table(),
        *(school_report(site, urn) for urn in site.schools_of("873")["code"][::3]),
        *(trust_report(site, trust) for trust in built_trusts(site, ("873",))),
    ]
    found = [table for report in reports for table in _tables_in(report)]
    for table in found:
        element_id = html_id(table.id)
        columns, cells = tables._shown(table)
        own = tables._render(
            columns[0].label,
            [tables._heading(c) for c in columns],
            cells,
            tuple(bool(c.unit) for c in columns[1:]),
            element_id,
        )
        assert tables._great_table(table, element_id) == own, table.id
    assert len(found) > 600  # a hundred school pages, and every other page type
    # the layouts are shared: far fewer shapes than tables
    assert tables._layout.cache_info().currsize < len(found) / 5
    assert any("<" in text or "&" in text for t in found for c in tables._shown(t)[1] for text in c)
