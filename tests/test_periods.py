"""Periods never spliced (issue #14 item 2): a series holds one period type only.

With full-year and autumn-and-spring census files together, the LA and England pages show the
2-term figures in their own table ("Autumn and spring terms", with its years), never in the
full-year trend; a site built only from 2-term files says "autumn and spring terms" in its
title and every heading and drops the full-year notices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus_check import build_alone, page_text, write_config

from attendance_reports.model.assemble import la_report, national_report
from attendance_reports.model.site_data import site_data
from attendance_reports.render.page_sources import execute, load_template

REPO = Path(__file__).resolve().parents[1]
TWO_TERM = REPO / "tests" / "fixtures" / "absence_2term_new_layout.csv"
HEADING = re.compile(r"<h([12])[^>]*>(.*?)</h\1>", re.S)


@pytest.fixture(scope="module")
def mixed():
    """data/ (full years 2006/07–2018/19, LAIT to 2024/25) plus the 2-term fixture."""
    return site_data([str(REPO / "data"), str(TWO_TERM)])


@pytest.fixture(scope="module")
def two_term_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("two-term")
    out = folder / "site"
    code, output = build_alone([TWO_TERM], out, write_config(folder))
    assert code == 0, output
    return out


def test_the_2_term_figures_are_their_own_table_on_the_la_page(mixed) -> None:
    report = la_report(mixed, "873")
    table = report.other_period
    assert report.other_period_heading == "Autumn and spring terms"
    assert table is not None and table.caption.startswith("Autumn and spring terms only:")
    assert "Cambridgeshire" in table.caption and "2021/22 to 2022/23" in table.caption
    rows = {r["year"]: r for r in table.rows}
    assert list(rows) == ["2021/22", "2022/23"]
    # the fixture's counts: 1,180,000 of 16,000,000 sessions; 15,400 of 70,000 enrolments
    assert rows["2021/22"]["overall_absence_rate"] == pytest.approx(7.375)
    assert rows["2021/22"]["persistent_absence_rate"] == pytest.approx(22.0)
    assert any("never with full-year figures" in n for n in table.notes)


def test_the_full_year_trend_holds_no_2_term_figure(mixed) -> None:
    report = la_report(mixed, "873")
    full_year = mixed.values("la", "873", "full-year")
    indicators = {
        "trend-overall": "overall_absence_rate",
        "trend-persistent": "persistent_absence_rate",
    }
    checked = 0
    for chart in report.trends:
        line = next(s for s in chart.series if s.highlight)
        for year, value in zip(line.x, line.y, strict=True):
            if value == value:  # not NaN: each point is the full-year figure (census or LAIT)
                published = full_year[(year[:4] + year[5:], "total", indicators[chart.id])][0]
                assert value == pytest.approx(published), (chart.id, year)
                assert value != pytest.approx(7.375), (chart.id, year)
                checked += 1
    assert checked > 20
    assert report.title == "Cambridgeshire: pupil absence"  # the site is a full-year one
    assert "autumn and spring" not in " ".join(report.summary)


def test_england_page_shows_the_2_term_table_under_its_heading(
    mixed, tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the page cell writes its downloads beside it
    report = national_report(mixed)
    assert report.other_period is not None
    assert {r["year"] for r in report.other_period.rows} == {"2021/22", "2022/23"}
    _, body, _ = execute(
        load_template(REPO / "reports" / "national.qmd"), {"data": mixed, "page": None}
    )
    assert "## Autumn and spring terms" in body
    assert body.index("## Autumn and spring terms") < body.index("## By phase of education")


def test_a_2_term_only_site_says_so_in_every_heading(two_term_site: Path) -> None:
    for page in ("national.html", "la/873.html"):
        html = (two_term_site / page).read_text()
        headings = [re.sub(r"<[^>]+>", "", h).strip() for _, h in HEADING.findall(html)]
        for heading in headings:
            if heading != "Symbols used in tables":
                assert "autumn and spring terms" in heading, (page, heading)
        text = page_text(two_term_site / page)
        assert "There are no full-year figures" not in text
        assert "five half terms" not in text
        assert "These figures cover the autumn and spring terms only" in text
        assert "In the autumn and spring terms of 2022/23, pupils in" in text
    england = page_text(two_term_site / "national.html")
    assert "England: pupil absence, autumn and spring terms" in england
    assert "missed 7.4% of their possible sessions" in england  # 118,000,000 / 1,600,000,000
