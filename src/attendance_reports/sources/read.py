"""DfE CSV files -> raw text tables.

Reads plain ``.csv``, ``.csv.gz`` and EES ``.zip`` downloads (the data CSV plus its
``.meta.csv``). Every cell is kept as text: codes such as ``old_la_code`` and ``time_period``
must not become numbers, and symbols (``c``, ``x``, ``z``…) are parsed later by validate.py.
Structural problems (not a CSV, wrong encoding, ragged rows, …) raise DataError naming the
file, line and column.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from attendance_reports.errors import DataError, Location
from attendance_reports.render.formatting import counted

CSV_SUFFIXES = (".csv", ".csv.gz", ".zip")


@dataclass
class RawTable:
    """A CSV file read as text. Column names are normalised; ``labels`` keeps the published ones."""

    name: str  # the path as the user gave it, used in messages
    frame: pd.DataFrame  # every column as text (pandas "string" dtype), normalised names
    labels: dict[str, str]  # normalised column name -> header as published
    meta: dict[str, dict[str, str]] = field(default_factory=dict)  # from an EES .meta.csv
    multiline: bool = False  # True when quoted cells span lines (line numbers need a re-scan)
    text: str = ""  # the decoded file, kept only when multiline
    #: every column of the file, in order, when only some were kept (read_csv ``columns``)
    file_columns: tuple[str, ...] = ()

    def line(self, row: int) -> int:
        """The 1-based line in the file where data row ``row`` (0-based) starts."""
        if not self.multiline:
            return row + 2
        import csv

        reader = csv.reader(io.StringIO(self.text))
        next(reader)
        index, start = -1, reader.line_num + 1
        for cells in reader:
            if cells:
                index += 1
                if index == row:
                    return start
            start = reader.line_num + 1
        return 0

    def lines(self) -> np.ndarray:
        """The line where each data row starts (``line`` of every row, in one pass)."""
        if not self.multiline:
            return np.arange(len(self.frame)) + 2
        reader = csv.reader(io.StringIO(self.text))
        next(reader)
        out, start = [], reader.line_num + 1
        for cells in reader:
            if cells:
                out.append(start)
            start = reader.line_num + 1
        out += [0] * (len(self.frame) - len(out))
        return np.array(out[: len(self.frame)], dtype="int64")

    def column(self, name: str) -> int:
        """The 1-based position of a column in the file."""
        return list(self.file_columns or self.frame.columns).index(name) + 1

    def where(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(
            self.name,
            self.line(row) if row is not None else 1,
            self.column(column)
            if column is not None and column in (self.file_columns or self.frame.columns)
            else 0,
        )


def normalise_name(header: str) -> str:
    """'Short Desc' -> 'short_desc'; 'enrolments_PA_10_exact' -> 'enrolments_pa_10_exact'."""
    text = header.replace("\ufeff", "").strip().lower()
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def is_csv_path(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(CSV_SUFFIXES) and not name.endswith(".meta.csv")


def _load_bytes(path: Path) -> tuple[bytes, dict[str, dict[str, str]], str]:
    """The CSV bytes of a file, the EES metadata if a zip carries it, and the display name."""
    name = str(path)
    if not path.exists():
        raise DataError(Location(name), "file not found", "check the path")
    if path.is_dir():
        raise DataError(Location(name), "is a folder, not a file", "pass the CSV files in it")
    lower = path.name.lower()
    try:
        if lower.endswith(".gz"):
            return _gunzip(path), {}, name
        if lower.endswith(".zip"):
            return _load_zip(path)
        return path.read_bytes(), {}, name
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise DataError(
            Location(name, 1, 1),
            f"cannot be opened ({exc.__class__.__name__}: {exc})",
            "download the file again; it may be damaged or not what its name says",
        ) from None


def _gunzip(path: Path) -> bytes:
    """A .gz file's bytes: one zlib call for a file of one gzip member (DfE's), else (several
    members, trailing bytes, a damaged file) the gzip module, which also says what is wrong."""
    packed = path.read_bytes()
    try:
        inflate = zlib.decompressobj(wbits=31)
        data = inflate.decompress(packed)
        if inflate.eof and not inflate.unused_data:
            return data
    except zlib.error:
        pass
    with gzip.open(path, "rb") as handle:
        return handle.read()


def _zip_csvs(archive: zipfile.ZipFile) -> tuple[list[str], list[str]]:
    """The CSV files in an EES zip, and those of them that are data (not ``.meta.csv``)."""
    names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
    return names, [n for n in names if not n.lower().endswith(".meta.csv")]


def _load_zip(path: Path) -> tuple[bytes, dict[str, dict[str, str]], str]:
    with zipfile.ZipFile(path) as archive:
        names, data = _zip_csvs(archive)
        if len(data) != 1:
            raise DataError(
                Location(str(path), 1, 1),
                f"the zip holds {len(data)} data CSV files ({', '.join(data) or 'none'})",
                "pass a zip with exactly one data CSV and its .meta.csv",
            )
        meta_name = data[0][:-4] + ".meta.csv"
        meta: dict[str, dict[str, str]] = {}
        if meta_name in names:
            meta_frame = pd.read_csv(
                io.BytesIO(archive.read(meta_name)),
                dtype=str,
                keep_default_na=False,
                encoding="utf-8-sig",
            )
            for record in meta_frame.to_dict("records"):
                meta[normalise_name(record.get("col_name", ""))] = record
        return archive.read(data[0]), meta, f"{path}!{data[0]}"


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """The 1-based line of a byte offset and the 1-based column it falls in, counted as every
    other location counts it: the field (the column a spreadsheet shows), never a character
    position. A line that starts inside a quoted cell (an odd number of quotes before it)
    continues the record of an earlier line, so fields are counted from that record's start."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    inside = data.count(b'"', 0, start) % 2
    while start and inside:
        previous = data.rfind(b"\n", 0, start - 1) + 1
        inside ^= data.count(b'"', previous, start) % 2
        start = previous
    field, quoted = 1, False
    for byte in data[start:offset]:
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x2C and not quoted:
            field += 1
    return line, field


def _in_column(data: bytes, line: int, field: int) -> str:
    """'column 9 (la_name)': the field of a location in words, named by the header when the
    header can be read, so that no one takes the number for a character position."""
    if line == 1:
        return f"column {field} of the header line"
    try:
        headers = _split_header(data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r"))
    except (UnicodeDecodeError, csv.Error):
        headers = []
    if len(headers) < 2 or field > len(headers):
        return f"column {field}"
    published = headers[field - 1].removeprefix("\ufeff").strip()
    return f"column {field} ({published})"


def decode(data: bytes, name: str, fallback: str | None = None) -> bytes:
    """Check the bytes are a UTF-8 text file; return them without a BOM. With ``fallback``
    (e.g. ``"cp1252"``: GIAS files are Windows-1252), bytes that are not UTF-8 are decoded
    from that encoding instead and returned as UTF-8."""
    if not data or data.isspace():  # (not data.strip(), without copying the file)
        raise DataError(
            Location(name, 1, 1),
            "the file is empty",
            "download the file again or pass the right file",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position(data, nul)
        raise DataError(
            Location(name, line, column),
            f"contains a NUL byte in {_in_column(data, line, column)}: this is a binary file, "
            "not a CSV",
            "pass the CSV itself (not a spreadsheet or a damaged download)",
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = exc
        if fallback:
            try:
                return data.decode(fallback).encode("utf-8").removeprefix(b"\xef\xbb\xbf")
            except UnicodeDecodeError as again:
                error = again
        line, column = _position(data, error.start)
        raise DataError(
            Location(name, line, column),
            f"byte 0x{data[error.start]:02X} in {_in_column(data, line, column)} is not UTF-8"
            + (f" or {fallback}" if fallback else " (the file looks like Latin-1 / Windows-1252)"),
            "re-save it as 'CSV UTF-8' or convert it with iconv -f cp1252 -t utf-8",
        ) from None
    return data.removeprefix(b"\xef\xbb\xbf")


def read_header(path: Path, fallback: str | None = "cp1252") -> list[str]:
    """The normalised column names of a CSV (its first line only: cheap for a large file).
    Empty when the first line cannot be read as a header; read_csv then says why."""
    path = Path(path)
    lower = path.name.lower()
    try:
        if lower.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                first = handle.readline(1 << 20)
        elif lower.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                data = _zip_csvs(archive)[1]
                if len(data) != 1:
                    return []
                with archive.open(data[0]) as handle:
                    first = handle.readline(1 << 20)
        else:
            with path.open("rb") as handle:
                first = handle.readline(1 << 20)
    except (OSError, EOFError, zipfile.BadZipFile):
        return []
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        if not fallback:
            return []
        text = first.decode(fallback, errors="replace")
    text = text.removeprefix("\ufeff").rstrip("\r\n")
    if not text or "\x00" in text:  # not a text header: the full read says what is wrong
        return []
    try:
        return [normalise_name(h) for h in _split_header(text)]
    except csv.Error:  # e.g. a lone carriage return in binary bytes
        return []


def read_csv(
    path: Path, columns: tuple[str, ...] | None = None, fallback: str | None = None
) -> RawTable:
    """Read one DfE CSV as text, with structural checks. ``columns`` (normalised names): keep
    only these (a wide file is parsed whole but converted only where needed); ``fallback``:
    the encoding of a file that is not UTF-8 (see ``decode``)."""
    data, meta, name = _load_bytes(Path(path))
    data = decode(data, name, fallback)
    end = data.find(b"\n")
    header_line = (data[:end] if end >= 0 else data).decode("utf-8").rstrip("\r")
    if header_line.count(";") > header_line.count(",") or header_line.count(
        "\t"
    ) > header_line.count(","):
        delimiter = "semicolon" if header_line.count(";") > header_line.count("\t") else "tab"
        raise DataError(
            Location(name, 1, 1),
            f"the file is {delimiter}-delimited",
            "export it as comma-separated CSV (EES files use commas)",
        )
    headers = _split_header(header_line)
    if len(headers) < 2:
        raise DataError(
            Location(name, 1, 1),
            "the first line is not a CSV header",
            "pass a comma-separated file whose first line names the columns",
        )
    names = [normalise_name(h) for h in headers]
    for i, n in enumerate(names):
        if not n:
            raise DataError(
                Location(name, 1, i + 1), "a column has no name", "give every column a header"
            )
        if n in names[:i]:
            raise DataError(
                Location(name, 1, i + 1),
                f"column '{headers[i]}' appears twice",
                "remove the duplicate column",
            )

    bad_rows: list[pacsv.InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad_rows.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},  # pandas' own type
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                include_columns=[n for n in names if n in columns] if columns else None,
            ),
        )
    except pa.ArrowInvalid as exc:
        _locate_problem(data, name, len(names))
        raise DataError(
            Location(name, 0, 0),
            f"cannot be parsed as CSV ({exc})",
            "check the file is a comma-separated CSV",
        ) from None
    if bad_rows:
        _locate_problem(data, name, len(names))
        row = bad_rows[0]
        line = _line_of_text(data, row.text) if row.number is None else row.number
        raise DataError(
            Location(name, line, min(row.actual_columns, row.expected_columns) + 1),
            f"row has {counted(row.actual_columns, 'cell')} but the header has "
            f"{row.expected_columns} "
            "(a truncated or ragged row)",
            "re-download the file or repair that line",
        )
    frame = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype()}.get)
    del table
    pa.default_memory_pool().release_unused()  # hand the parser's buffers back to the system
    if frame.empty:
        raise DataError(
            Location(name, 2, 1), "the file has a header but no data rows", "pass a file with data"
        )
    physical_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    multiline = physical_lines != len(frame) + 1
    labels = dict(zip(names, headers, strict=True))
    if columns:
        labels = {n: h for n, h in labels.items() if n in frame.columns}
    return RawTable(
        name=name,
        frame=frame,
        labels=labels,
        meta=meta,
        multiline=multiline,
        text=data.decode("utf-8") if multiline else "",
        file_columns=tuple(names) if columns else (),
    )


def _split_header(line: str) -> list[str]:
    return next(csv.reader([line]))


def _line_of_text(data: bytes, fragment: str) -> int:
    offset = data.find(fragment.encode("utf-8")) if fragment else -1
    return data.count(b"\n", 0, offset) + 1 if offset >= 0 else 0


def _locate_problem(data: bytes, name: str, expected: int) -> None:
    """Find the first ragged row or unclosed quote with the csv module; raise DataError there."""
    text = data.decode("utf-8")
    reader = csv.reader(io.StringIO(text), strict=True)
    next(reader)
    start = reader.line_num + 1
    try:
        for cells in reader:
            if cells and len(cells) != expected:
                raise DataError(
                    Location(name, start, min(len(cells), expected) + 1),
                    f"row has {counted(len(cells), 'cell')} but the header has {expected} "
                    "(a truncated or ragged row)",
                    "re-download the file or repair that line",
                )
            start = reader.line_num + 1
    except csv.Error:
        line_text = text.splitlines()[start - 1]
        column = len(next(csv.reader([line_text])))
        raise DataError(
            Location(name, start, column),
            "a quoted cell is never closed (a '\"' with no closing quote)",
            "close the quote or remove it",
        ) from None
