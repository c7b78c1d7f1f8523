"""Report templates (reports/*.qmd) -> one pre-executed page source per page.

A template is a real Quarto document: YAML front matter, Markdown, and Python cells. Its first
cell is tagged ``parameters``; the others print Markdown (``#| output: asis``) by calling the
package. The site build runs the cells here, in-process, with each page's parameters (compiled
once per template, never a Jupyter kernel per page), and hands the engine the result: front
matter + Markdown + raw HTML, with no code left in it.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import Any

import yaml

from attendance_reports.errors import RenderError
from attendance_reports.render.page_output import md_text

INCLUDE = re.compile(r"^\{\{< include (\S+) >\}\}[ \t]*$", re.M)
CELL = re.compile(r"^```\{python\}[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
#: front-matter keys that only make sense when Quarto executes the template itself
EXECUTION_KEYS = ("jupyter", "execute", "engine")


@dataclass(frozen=True)
class Cell:
    code: CodeType
    options: dict
    source: str
    line: int


@dataclass(frozen=True)
class Template:
    path: Path
    front_matter: dict
    parts: tuple[str | Cell, ...]  # Markdown text or a cell


def parse_options(code: str) -> dict:
    lines = [line[3:] for line in code.splitlines() if line.startswith("#| ")]
    return yaml.safe_load("\n".join(lines)) or {} if lines else {}


def _partial(template: Path, name: str) -> str:
    """The text of a partial included with Quarto's ``{{< include _name.qmd >}}`` shortcode."""
    path = template.parent / name
    if not path.is_file():
        raise RenderError(f"{template}: included partial {name} not found — check the name")
    return path.read_text(encoding="utf-8").rstrip("\n")


def load_template(path: Path) -> Template:
    """Parse and compile a template once."""
    text = path.read_text(encoding="utf-8")
    text = INCLUDE.sub(lambda m: _partial(path, m.group(1)), text)
    match = FRONT_MATTER.match(text)
    if not match:
        raise RenderError(f"{path}:1: a template starts with YAML front matter between --- lines")
    front = yaml.safe_load(match.group(1)) or {}
    body_start = match.end()
    parts: list[str | Cell] = []
    position = body_start
    for cell in CELL.finditer(text, body_start):
        parts.append(text[position : cell.start()])
        line = text.count("\n", 0, cell.start()) + 2
        source = cell.group(1)
        try:
            code = compile(source, f"{path}:{line}", "exec")
        except SyntaxError as exc:
            raise RenderError(
                f"{path}:{line + (exc.lineno or 1) - 1}: {exc.msg} — fix the template's Python cell"
            ) from None
        parts.append(Cell(code, parse_options(source), source, line))
        position = cell.end()
    parts.append(text[position:])
    cells = [p for p in parts if isinstance(p, Cell)]
    if not cells or "parameters" not in (cells[0].options.get("tags") or []):
        raise RenderError(f"{path}: the first Python cell must be tagged `#| tags: [parameters]`")
    return Template(path, front, tuple(parts))


def execute(template: Template, params: dict[str, Any]) -> tuple[dict, str, dict]:
    """Run a template's cells with ``params``; return (front matter, Markdown, namespace)."""
    namespace: dict[str, Any] = {"__name__": "__template__"}
    body: list[str] = []
    static: list[int] = []  # the template's own Markdown parts (not cell output)
    for part in template.parts:
        if isinstance(part, str):
            static.append(len(body))
            body.append(part)
            continue
        output = io.StringIO()
        try:
            with contextlib.redirect_stdout(output):
                exec(part.code, namespace)
        except Exception as exc:
            if getattr(exc, "exit_code", None) is not None:
                raise
            raise RenderError(
                f"{template.path}:{part.line}: the cell failed with "
                f"{exc.__class__.__name__}: {exc} — check the template"
            ) from exc
        if "parameters" in (part.options.get("tags") or []):
            namespace.update(params)  # Quarto injects parameters after the parameters cell
            continue
        if part.options.get("include") is False:
            continue
        if part.options.get("output") != "asis" and output.getvalue():
            raise RenderError(
                f"{template.path}:{part.line}: a cell that prints must have `#| output: asis`"
            )
        body.append(output.getvalue())
    front = {k: v for k, v in template.front_matter.items() if k not in EXECUTION_KEYS}
    if isinstance(front.get("format"), dict):  # the site is HTML (PDFs are made by the build)
        front["format"] = {k: v for k, v in front["format"].items() if k == "html"}
    report = namespace.get("report")
    note = getattr(report, "heading_note", "") if report is not None else ""
    if note:  # e.g. a site of autumn and spring terms only: every section heading says so
        body = [_with_note(part, note) if i in static else part for i, part in enumerate(body)]
    if report is not None:  # metadata is read as Markdown: escape what came from data
        front["title"] = md_text(report.title)
        front["description"] = md_text(report.description)
    return front, "".join(body), namespace


def _with_note(markdown: str, note: str) -> str:
    """Every ATX section heading (## …) of a Markdown part, followed by '(note)'."""
    return re.sub(
        r"(?m)^(#{2,6} +)(.+?)[ \t]*$", lambda m: f"{m.group(1)}{m.group(2)} ({note})", markdown
    )


def page_source(front: dict, body: str) -> str:
    """Front matter + body as a .qmd page source (stable key order, no timestamps)."""
    header = yaml.safe_dump(front, sort_keys=True, allow_unicode=True, width=1 << 30)
    return f"---\n{header}---\n{body.strip()}\n"
