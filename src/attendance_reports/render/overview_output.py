"""An OverviewReport as plain text, JSON or Markdown (the `attendance-reports overview` command).

- text: the title, notices and each section's sentences, one sentence a line;
- JSON: every figure by section id and figure name, unrounded ``value`` (null when missing),
  ``status``, ``unit`` and the ``text`` the pages show, so scripts can use them;
- Markdown: headings, sentences and each section's table as a pipe table. Text is escaped by
  the pages' own escaper (page_output.md_text), so an LA or school name can never become
  Markdown formatting and its quote marks stay as published through pandoc's smart quotes.

Numbers become text through narrative.display / formatting.py only.
"""

from __future__ import annotations

import json
import math

from attendance_reports.model.narrative import display
from attendance_reports.model.report_model import Column, OverviewReport, Table
from attendance_reports.render.formatting import count, number, percent, round_half_up
from attendance_reports.render.page_output import md_text
from attendance_reports.symbols import KEY, OK
from attendance_reports.symbols import display as symbol

# ---------------------------------------------------------------------------------------------
# web page (reports/overview.qmd)


def paragraphs(sentences: tuple[str, ...]) -> str:
    """Sentences as Markdown paragraphs for a page source, escaped as page_output escapes."""
    return "".join(f"\n{md_text(s)}\n" for s in sentences)


# ---------------------------------------------------------------------------------------------
# text


def overview_text(report: OverviewReport) -> str:
    lines = [report.title, ""]
    lines += [f"Note: {n}" for n in report.notices]
    if report.notices:
        lines.append("")
    for section in report.sections:
        lines.append(section.heading)
        lines.extend(section.sentences)
        lines.append("")
    lines.append("Sources: " + "; ".join(report.sources) + ".")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# JSON


def _number(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def overview_data(report: OverviewReport) -> dict:
    """The report as plain data: section id -> figure name -> value, status, unit, text."""
    return {
        "code": report.code,
        "name": report.name,
        "year": report.year,
        "period": report.period,
        "period_label": report.period_label,
        "title": report.title,
        "notices": list(report.notices),
        "sources": list(report.sources),
        "sections": {
            section.id: {
                "heading": section.heading,
                "sentences": list(section.sentences),
                "figures": {
                    nf.name: {
                        "label": nf.figure.label,
                        "value": _number(float(nf.figure.value)),
                        "status": nf.figure.status,
                        "unit": nf.figure.unit,
                        "decimals": nf.figure.decimals,
                        "text": display(nf.figure),
                        "source": nf.figure.source,
                    }
                    for nf in section.figures
                },
            }
            for section in report.sections
        },
    }


def overview_json(report: OverviewReport) -> str:
    return json.dumps(overview_data(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------------------------
# Markdown


def _cell(row: dict, column: Column) -> str:
    """A table cell as the pages show it: a formatted number, text, or a bracketed symbol."""
    value, status = row.get(column.key), row.get(f"{column.key}__status") or OK
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if status != OK or value is None or (is_number and not math.isfinite(value)):
        return md_text(symbol(status if status != OK else "not-available"))
    if not is_number:
        return md_text(value)
    if column.unit == "%":
        return percent(value, column.decimals)
    if column.unit == "percentage points":
        sign = round_half_up(value, column.decimals)
        return ("+" if sign > 0 else "-" if sign < 0 else "") + number(abs(value), column.decimals)
    if column.unit == "count":
        return count(value)
    return number(value, column.decimals)


def markdown_table(table: Table) -> str:
    header = [md_text(c.label) for c in table.columns]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(":--" if i == 0 else "--:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(_cell(row, c) for c in table.columns) + " |" for row in table.rows]
    lines += ["", f"Table: {md_text(table.caption)}"]
    lines += [f"\n{md_text(note)}" for note in table.notes]
    if table.source:
        lines.append(f"\n{md_text(table.source)}")
    return "\n".join(lines)


def overview_markdown(report: OverviewReport) -> str:
    parts = [f"# {md_text(report.title)}"]
    parts += [md_text(s) for s in report.summary]
    parts += [f"> **Important:** {md_text(n)}" for n in report.notices]
    used: set[str] = set()
    for section in report.sections:
        parts.append(f"## {md_text(section.heading)}")
        parts += [md_text(s) for s in section.sentences]
        if section.table is not None:
            table = markdown_table(section.table)
            parts.append(table)
            used |= {s for s in KEY if s in table.replace("\\", "")}
    if used:
        key = "; ".join(f"{s} {KEY[s]}" for s in KEY if s in used)
        parts.append(md_text(f"Symbols: {key}."))
    parts.append(md_text("Sources: " + "; ".join(report.sources) + "."))
    return "\n\n".join(parts) + "\n"
