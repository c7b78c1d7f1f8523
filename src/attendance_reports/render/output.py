"""Write tables for people and spreadsheets: CSV (formula-safe), JSON, or a terminal table."""

from __future__ import annotations

import io
import json
import math
import sys
from pathlib import Path

import pandas as pd

from attendance_reports.indicators.inyear import REGISTRY as INYEAR
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.render.formatting import number

#: a spreadsheet treats a cell starting with one of these as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Make a text cell safe to open in Excel: prefix a formula-like cell with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_csv(frame: pd.DataFrame, *, bom: bool = False) -> str:
    """CSV text where every text cell is neutralised (numbers are written as numbers)."""
    clean = frame.copy()
    for column in clean.columns:
        if not pd.api.types.is_numeric_dtype(clean[column]):
            clean[column] = clean[column].astype("string").fillna("").map(neutralise)
    text = clean.to_csv(index=False, lineterminator="\n")
    return ("\ufeff" if bom else "") + text


def _records(frame: pd.DataFrame) -> list[dict]:
    out = []
    for record in frame.to_dict("records"):
        out.append(
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in record.items()}
        )
    return out


def _terminal(frame: pd.DataFrame) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False)
    shown = [
        "time_period",
        "time_identifier",
        "geographic_level",
        "code",
        "name",
        "phase",
        "breakdown",
        "indicator",
        "value",
        "status",
    ]
    for column in shown:
        table.add_column(column, justify="right" if column == "value" else "left")
    for record in frame[shown].to_dict("records"):
        indicator = REGISTRY.get(record["indicator"])
        places = indicator.decimals if indicator else 1 if record["indicator"] in INYEAR else 2
        value = number(record["value"], places, record["status"])
        table.add_row(*(Text(value if c == "value" else str(record[c])) for c in shown))
    buffer = io.StringIO()
    Console(file=buffer, width=200, force_terminal=False).print(table)
    return buffer.getvalue()


def write_table(frame: pd.DataFrame, fmt: str, output: Path | None) -> None:
    """Write the table as csv, json or a terminal table to ``output`` or stdout."""
    if fmt == "csv":
        text = safe_csv(frame)
    elif fmt == "json":
        text = json.dumps(_records(frame), indent=1, ensure_ascii=False) + "\n"
    else:
        text = _terminal(frame)
    if output is None:
        sys.stdout.write(text)
    else:
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
