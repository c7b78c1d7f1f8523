"""Render engines: the same page sources through Quarto (when installed) or pandoc.

Both turn ``<source>/<slug>.qmd`` into ``<out>/<slug>.html`` (same URLs); ENGINES maps the
``--engine`` choice to a module with ``available()`` and ``render(...)``.
"""

from __future__ import annotations

import shutil

from attendance_reports.errors import RenderError


def choose(engine: str) -> str:
    """'auto' -> 'quarto' when it is on PATH, else 'pandoc'. A named engine must be available."""
    from attendance_reports.render.engines import pandoc, quarto

    engines = {"quarto": quarto, "pandoc": pandoc}
    if engine == "auto":
        return "quarto" if quarto.available() else "pandoc"
    if engine not in engines:
        raise RenderError(f"unknown engine '{engine}' — use auto, quarto or pandoc")
    if not engines[engine].available():
        hint = (
            f"quarto is not on PATH: {quarto.INSTALL_HINT}, or use --engine pandoc"
            if engine == "quarto"
            else "run `make install` (pandoc comes with the pypandoc-binary package)"
        )
        raise RenderError(f"the {engine} engine is not available — {hint}")
    return engine


def which(name: str) -> str | None:
    return shutil.which(name)
