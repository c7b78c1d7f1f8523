"""The README lists every indicator id (a public contract) and the table's columns."""

from __future__ import annotations

from attendance_reports.indicators.inyear import REGISTRY as INYEAR
from attendance_reports.indicators.missed_by_reason import REGISTRY as MISSED
from attendance_reports.indicators.rate_bands import REGISTRY as BANDS
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.indicators.table import OUTPUT_COLUMNS


def test_readme_lists_every_indicator_id_and_column(repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    missing = [i for i in (*REGISTRY, *INYEAR, *BANDS, *MISSED) if f"`{i}`" not in readme]
    assert missing == []
    assert all(f"`{c}`" in readme for c in OUTPUT_COLUMNS)


def test_architecture_names_every_module(repo):
    text = (repo / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = repo / "src" / "attendance_reports"
    modules = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py")
    ]
    assert [m for m in modules if m not in text] == []
