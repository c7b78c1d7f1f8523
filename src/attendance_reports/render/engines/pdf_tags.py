"""Row headers in the committee PDF's tables: a pass over the tagged PDF Typst writes.

Typst tags a table's header row as TH cells (scope Column) and every other cell as TD. Our
tables' first column holds each row's heading ("2018/19", "Overall absence rate"), as
``<th scope="row">`` does on the web page, and a screen reader should announce it with every
figure of its row. Typst can tag a row-header cell (``pdf.header-cell``) only behind a feature
flag its Python binding does not expose, so this pass does it on the finished PDF:

- each body row's first cell becomes TH with the Table attribute ``/Scope /Row`` and an ID
  (registered in the structure tree's IDTree, as Typst registers the column headers' IDs),
- every other cell of the row lists that ID in its ``/Headers`` after its column header.

Nothing else changes: page content, text, fonts and the PDF/UA-1 metadata stay as Typst wrote
them. The same input gives the same bytes (the file ID is derived from the content).
"""

from __future__ import annotations

import io

import pikepdf


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    """The structure elements directly under ``element`` (not marked content or objects)."""
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def _tables(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    found = []
    for kid in _kids(element):
        found += [kid] if str(kid.S) == "/Table" else _tables(kid)
    return found


def _rows(table: pikepdf.Dictionary, part: str) -> list[pikepdf.Dictionary]:
    return [row for section in _kids(table) if str(section.S) == part for row in _kids(section)]


def _table_attributes(cell: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """The cell's attribute dictionary owned by /Table (made if missing)."""
    attributes = cell.get("/A")
    if attributes is None:
        attributes = cell.A = pikepdf.Array()
    elif isinstance(attributes, pikepdf.Dictionary):
        attributes = cell.A = pikepdf.Array([attributes])
    for entry in attributes:
        if isinstance(entry, pikepdf.Dictionary) and entry.get("/O") == "/Table":
            return entry
    entry = pikepdf.Dictionary(O=pikepdf.Name.Table)
    attributes.append(entry)
    return entry


def mark_row_headers(pdf_bytes: bytes) -> bytes:
    """The PDF with each table body row's first cell tagged as its row header."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return pdf_bytes
        ids = pikepdf.NameTree(root.IDTree) if "/IDTree" in root else None
        changed = False
        for number, table in enumerate(_tables(root), start=1):
            if ids is None:
                root.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array()))
                ids = pikepdf.NameTree(root.IDTree)
            for y, row in enumerate(_rows(table, "/TBody"), start=1):
                cells = _kids(row)
                if len(cells) < 2 or str(cells[0].S) != "/TD":
                    continue
                header = cells[0]
                header_id = str(header.get("/ID", f"R{number}x0y{y}"))
                header.S = pikepdf.Name.TH
                header.ID = pikepdf.String(header_id)
                _table_attributes(header).Scope = pikepdf.Name.Row
                ids[header_id] = header
                for cell in cells[1:]:
                    attributes = _table_attributes(cell)
                    headers = attributes.get("/Headers", pikepdf.Array())
                    attributes.Headers = pikepdf.Array([*headers, pikepdf.String(header_id)])
                changed = True
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
