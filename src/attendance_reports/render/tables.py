"""A report Table as page HTML (great_tables) and as a CSV download.

Both outputs start from the same unrounded values in ``Table.rows``:

- ``table_html`` turns each value into text through formatting.py (half up, once), shows a
  missing value as its bracketed symbol (``[c]``, ``[x]``, …), and renders the strings with
  great_tables. The result is wrapped in a focusable, labelled scroll region (so a wide table
  scrolls inside it on a 320 px screen) and followed by notes, the source line and the CSV link.
- ``table_csv`` writes the values unrounded, missing values as the bare letters EES uses in its
  CSV files (``c``, ``x``, ``z``, ``low``, ``u``), and every text cell made formula-safe.

great_tables output is adjusted in three documented ways (each checked, so a change in
great_tables fails loudly rather than silently): its page-wide stylesheet is replaced by a short
one scoped to the table's id (no fonts, no unscoped ``tr``/``td`` rules), its container loses its
inline overflow styles (the ``.table-wrap`` region scrolls instead), and a ``<caption>`` is put
first in the ``<table>`` (great_tables renders a title as a ``<td>`` in the ``<thead>``, which is
not a caption). great_tables itself escapes data, column labels and the stub heading, and marks
headers with ``<th scope="col">`` / ``<th scope="row">``; the tests check all of that.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import io
import math
import numbers
import re
from collections.abc import Iterable

import pandas as pd
from great_tables import GT, _tbl_data
from great_tables._tbl_data_align import NUMBER_LIKE_PATTERN

from attendance_reports.errors import RenderError
from attendance_reports.model.report_model import Column, Table
from attendance_reports.render.formatting import count, number, percent, signed
from attendance_reports.render.output import neutralise
from attendance_reports.symbols import KEY, OK, display

#: Column.unit values a table can show
UNITS = ("%", "percentage points", "count", "")

#: status of a missing value -> the symbol EES writes in its CSV files (anything else: "x")
CSV_SYMBOLS: dict[str, str] = {
    "suppressed": "c",
    "not-applicable": "z",
    "zero-denominator": "z",
    "low": "low",
    "low-reliability": "u",
}

#: the stylesheet for one table, scoped to its container id; colours as in site.css
_CSS = """\
#{id} .gt_table {{ border-collapse: collapse; color: #0b0c0c; background-color: #ffffff; font-variant-numeric: tabular-nums; }}
#{id} .gt_col_heading {{ padding: 0.5rem 0.75rem 0.5rem 0; border-bottom: 2px solid #0b0c0c; font-weight: 700; vertical-align: bottom; }}
#{id} .gt_row {{ padding: 0.5rem 0.75rem 0.5rem 0; border-bottom: 1px solid #b1b4b6; vertical-align: top; }}
#{id} .gt_stub {{ font-weight: 700; }}
#{id} .gt_left {{ text-align: left; }}
#{id} .gt_right {{ text-align: right; font-variant-numeric: tabular-nums; }}
#{id} td.gt_right {{ white-space: nowrap; }}
#{id} :is(th, td):last-child {{ padding-right: 0; }}"""

_STYLE_BLOCK = re.compile(r"<style>.*?</style>\n?", re.DOTALL)


class _Cells(pd.DataFrame):
    """The formatted cells handed to great_tables. great_tables copies them into an empty
    frame of pandas "string" columns and sets every cell with ``iloc`` (about 0.2 ms a cell
    under pandas 3); registered below, the empty frame has object columns set with ``iat``
    (about 0.015 ms): the same HTML, ten times faster for a page of tables."""

    @property
    def _constructor(self):
        return _Cells


@_tbl_data.create_empty_frame.register(_Cells)
def _(frame: _Cells) -> _Cells:
    return _Cells(pd.NA, index=frame.index, columns=frame.columns, dtype=object)


@_tbl_data._set_cell.register(_Cells)
def _(frame: _Cells, row: int, column: str, value: object) -> None:
    frame.iat[row, frame.columns.get_loc(column)] = value


_TABLE_OPEN = re.compile(r'<table class="gt_table"[^>]*>')


# ---------------------------------------------------------------------------------------------
# cells


def _as_number(value: object) -> float | None:
    """The value as a float if it is a number (bool is not), else None."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return None


def _missing_status(value: object, status: str) -> str | None:
    """Why a cell has no value to show (a status token), or None when it has one.

    A cell is missing when its status is not ok, or when its value is None, NaN, infinite,
    pandas' NA or empty text; a missing cell with status ok is "not-available".
    """
    if status != OK:
        return status
    if value is None or value is pd.NA:
        return "not-available"
    as_float = _as_number(value)
    if as_float is not None and not math.isfinite(as_float):
        return "not-available"
    if isinstance(value, str) and not value.strip():
        return "blank"
    return None


def _value_status(table: Table, row: dict, column: Column) -> tuple[object, str]:
    """A cell's value and status; a row must carry the column's value or its status."""
    status_key = column.key + "__status"
    if column.key not in row and status_key not in row:
        raise RenderError(
            f"table {table.id!r}: a row has neither {column.key!r} nor {status_key!r} — "
            "hint: give every row a value (NaN with a status when it is missing) for each column"
        )
    return row.get(column.key), row.get(status_key) or OK


def _plain_number(value: float, column: Column) -> str:
    """An unrounded number: a whole count or code as an integer, anything else as repr(float)."""
    if column.unit in ("count", "") and value.is_integer():
        return str(int(value))
    return repr(value)


def _display_text(value: object, status: str, column: Column) -> str:
    """What the page shows in a cell: a formatted number, text, or a bracketed symbol."""
    missing = _missing_status(value, status)
    if missing is not None:
        return display(missing)
    as_float = _as_number(value)
    if as_float is None:  # text (also text given in a numeric column)
        return str(value)
    if column.unit == "%":
        return percent(as_float, column.decimals)
    if column.unit == "percentage points":
        return signed(as_float, column.decimals)  # unit in the header
    if column.unit == "count":
        return count(as_float)
    if as_float.is_integer():  # a number in a text column, e.g. a URN or an LA code
        return str(int(as_float))
    return number(as_float, column.decimals)


def cell_text(table: Table, row: dict, column: Column) -> str:
    """What a page shows in one cell (formatted as in the table's HTML)."""
    return _display_text(*_value_status(table, row, column), column)


def _csv_text(value: object, status: str, column: Column) -> str:
    """What the CSV holds in a cell: an unrounded number, neutralised text, or an EES symbol."""
    missing = _missing_status(value, status)
    if missing is not None:
        return CSV_SYMBOLS.get(missing, "x")
    as_float = _as_number(value)
    if as_float is None:
        return neutralise(str(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return _plain_number(as_float, column)


def _heading(column: Column) -> str:
    """A column heading; a change column names its unit, since its cells don't."""
    if column.unit == "percentage points" and "percentage point" not in column.label.lower():
        return f"{column.label} (percentage points)"
    return column.label


def _check(table: Table) -> None:
    if not table.columns:
        raise RenderError(
            f"table {table.id!r} has no columns — hint: the first column is the row header"
        )
    for column in table.columns:
        if column.unit not in UNITS:
            raise RenderError(
                f"table {table.id!r}: column {column.key!r} has unit {column.unit!r} — "
                "hint: use '%', 'percentage points', 'count' or '' (text)"
            )


# ---------------------------------------------------------------------------------------------
# HTML


def html_id(table_id: str) -> str:
    """A deterministic HTML id for a table: 'tbl-' + its id, made safe (and kept unique)."""
    if not table_id:
        raise RenderError("a table has an empty id — hint: give each table a unique id on its page")
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", table_id).strip("-")
    if safe != table_id:  # distinct ids must not meet after cleaning
        safe = f"{safe}-{hashlib.sha1(table_id.encode()).hexdigest()[:8]}".lstrip("-")
    return f"tbl-{safe}"


def _replace_once(pattern: re.Pattern[str], replacement: str, text: str, what: str) -> str:
    new, found = pattern.subn(lambda _: replacement, text, count=1)
    if found != 1:
        raise RenderError(
            f"great_tables output has no {what} — hint: check the great-tables version"
        )
    return new


def _great_table(table: Table, element_id: str) -> str:
    """great_tables HTML for the table's formatted cells (the stub is the first column;
    ``csv_only`` columns are left out: the page says them in a note).

    A site has tens of thousands of tables of a few dozen shapes, and great_tables takes about
    15 ms a table whatever its text. So each shape (stub heading, stub alignment, which columns
    are numbers, row count) is rendered once per process with placeholder text (``_layout``),
    and each table is that HTML with its own id, headings and cells put in, escaped as
    great_tables escapes them (``html.escape``). ``tests/test_tables.py`` checks the result
    equals great_tables' own rendering of the table, byte for byte, for every table of a site.
    """
    columns, cells = _shown(table)
    stub_right = all(NUMBER_LIKE_PATTERN.match(text) for text in cells[0])
    html_of = {"id": element_id}
    html_of.update((f"h{j}", html.escape(_heading(c))) for j, c in enumerate(columns) if j)
    html_of.update(
        (f"{i}_{j}", html.escape(text))
        for j, column in enumerate(cells)
        for i, text in enumerate(column)
    )
    layout = _layout(
        columns[0].label, stub_right, tuple(bool(c.unit) for c in columns[1:]), len(table.rows)
    )
    return _PLACEHOLDER.sub(lambda m: html_of[m.group(1)], layout)


def _shown(table: Table) -> tuple[list[Column], list[list[str]]]:
    """The columns a page shows (not ``csv_only``) and their cells' text, a list per column."""
    columns = [c for c in table.columns if not c.csv_only]
    return columns, [[cell_text(table, row, c) for row in table.rows] for c in columns]


#: a placeholder in a layout: letters and digits only, so great_tables' escaping leaves it whole
_PLACEHOLDER = re.compile(r"zzq(id|h\d+|\d+_\d+)qzz")


@functools.lru_cache(maxsize=1024)
def _layout(stub_label: str, stub_right: bool, numeric: tuple[bool, ...], rows: int) -> str:
    """great_tables HTML of one table shape, with placeholders for the id, the column headings
    and the cells (``_great_table`` puts the table's own in)."""
    heads = ["", *(f"zzqh{j}qzz" for j in range(1, len(numeric) + 1))]
    cells = [[f"zzq{i}_{j}qzz" for i in range(rows)] for j in range(len(heads))]
    return _render(stub_label, heads, cells, numeric, "zzqidqzz", "right" if stub_right else "left")


def _render(
    stub_label: str,
    headings: list[str],
    cells: list[list[str]],
    numeric: tuple[bool, ...],
    element_id: str,
    stub_align: str | None = None,
) -> str:
    """great_tables' own HTML for a table of text cells (one list per column, the stub first);
    the stub is aligned by great_tables from its text unless ``stub_align`` is given."""
    names = [f"c{i}" for i in range(len(cells))]
    frame = _Cells(dict(zip(names, cells, strict=True)), columns=names, dtype=object)
    gt = (
        GT(frame, rowname_col=names[0], id=element_id)
        .tab_stubhead(label=stub_label)
        .cols_label(**dict(zip(names[1:], headings[1:], strict=True)))
    )
    right = [n for n, is_number in zip(names[1:], numeric, strict=True) if is_number]
    left = [n for n, is_number in zip(names[1:], numeric, strict=True) if not is_number]
    if stub_align:
        gt = gt.cols_align(stub_align, columns=names[0])
    if right:
        gt = gt.cols_align("right", columns=right)
    if left:
        gt = gt.cols_align("left", columns=left)
    return gt.as_raw_html()


def _link_row_headers(table: Table, element_id: str, out: str, root: str) -> str:
    """Make each row header whose row carries ``<first column>__href`` (a path from the site
    root) a link; the header text stays as great_tables escaped it."""
    key = table.columns[0].key + "__href"
    for i, row in enumerate(table.rows):
        href = row.get(key)
        if not href:
            continue
        if re.match(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|/)", str(href)):
            raise RenderError(
                f"table {table.id!r}: link {href!r} is not a path from the site root — "
                "hint: link to pages of this site only"
            )
        target = html.escape(root + str(href), quote=True)
        cell = re.compile(
            rf'(<th scope="row" id="{re.escape(element_id)}-stub-{i + 1}"[^>]*>)(.*?)(</th>)', re.S
        )
        out, found = cell.subn(
            lambda m, t=target: f'{m.group(1)}<a href="{t}">{m.group(2)}</a>{m.group(3)}',
            out,
            count=1,
        )
        if found != 1:
            raise RenderError(
                f"table {table.id!r}: row header {i + 1} not found in great_tables output — "
                "hint: check the great-tables version"
            )
    return out


def table_html(table: Table, csv_href: str, root: str = "") -> str:
    """great_tables HTML for a Table, wrapped for the page, with its CSV download link. Row
    headers link to ``root`` + the row's ``<first column>__href`` where a row has one."""
    _check(table)
    if re.match(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)", csv_href):
        raise RenderError(
            f"table {table.id!r}: CSV link {csv_href!r} is not a relative path — "
            "hint: link to the CSV relative to the page, so the site makes no external request"
        )
    element_id = html_id(table.id)
    caption_id = (
        f"{element_id}--caption"  # great_tables never makes an id with '--' after the prefix
    )
    caption = html.escape(table.caption)

    out = _great_table(table, element_id)
    out = _link_row_headers(table, element_id, out, root)
    out = _replace_once(
        _STYLE_BLOCK, f"<style>\n{_CSS.format(id=element_id)}\n</style>\n", out, "<style> block"
    )
    out = _replace_once(
        re.compile(rf'<div id="{re.escape(element_id)}" style="[^"]*">'),
        f'<div id="{element_id}">',
        out,
        "container <div>",
    )
    table_open = _TABLE_OPEN.search(out)
    if table_open is None:
        raise RenderError(
            "great_tables output has no <table> — hint: check the great-tables version"
        )
    out = (
        out[: table_open.end()]
        + f'\n<caption id="{caption_id}">{caption}</caption>'
        + out[table_open.end() :]
    )

    parts = [
        f'<div class="table-wrap" role="region" aria-labelledby="{caption_id}" tabindex="0">',
        out.strip(),
        "</div>",
    ]
    parts += [f'<p class="table-note">{html.escape(note)}</p>' for note in table.notes]
    if table.source:
        source = table.source
        if not source.lower().startswith("source"):
            source = f"Source: {source}"
        parts.append(f'<p class="table-source">{html.escape(source)}</p>')
    parts.append(
        f'<p class="download"><a href="{html.escape(csv_href, quote=True)}" download>'
        f"Download this table as CSV ({caption})</a></p>"
    )
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------------------
# CSV and the symbols key


def table_csv(table: Table) -> str:
    """The table's data for download: UTF-8 with BOM, text cells neutralised, numbers unrounded."""
    _check(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(_heading(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [_csv_text(*_value_status(table, row, column), column) for column in table.columns]
        )
    return "\ufeff" + buffer.getvalue()


def symbols_used(tables: Iterable[Table]) -> list[str]:
    """The bracketed symbols ('[c]', '[x]', …) that appear in these tables, for the page's key."""
    found: set[str] = set()
    for table in tables:
        for row in table.rows:
            for column in (c for c in table.columns if not c.csv_only):
                value, status = _value_status(table, row, column)
                missing = _missing_status(value, status)
                if missing is not None:
                    found.add(display(missing))
                elif isinstance(value, str) and value in KEY:  # a symbol given as text
                    found.add(value)
    return [symbol for symbol in KEY if symbol in found] + sorted(found.difference(KEY))
