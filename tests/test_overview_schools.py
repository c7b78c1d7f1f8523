"""The latest data overview of a school and of an academy trust (model/overview_schools.py),
from the bundled data/: `overview --school URN` / `--trust NAME` and `pdf` likewise, with the
LA overview's sentence rules."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from attendance_reports.cli import main
from attendance_reports.model.overview_schools import (
    school_overview_report,
    trust_overview_report,
)


@pytest.fixture(scope="module")
def site(bundled_site):
    return bundled_site


def _figures(report, section: str) -> dict:
    found = next(s for s in report.sections if s.id == section)
    return {f.name: f.figure for f in found.figures}


def test_a_school_overview_says_each_figure_in_a_sentence(site):
    report = school_overview_report(site, "110630")
    assert (
        report.title
        == "Townley Primary School, Wisbech (URN 110630): latest data overview, 2018/19"
    )
    overall = next(s for s in report.sections if s.id == "overall")
    assert overall.sentences[0] == "In 2018/19, there were 82 enrolments at Townley Primary School."
    assert overall.sentences[1] == (
        "Between them they missed 1,159 of 28,924 possible sessions: an overall absence rate of "
        "4.0%."
    )
    assert "decreased by 1.2 percentage points since 2017/18" in " ".join(overall.sentences)
    severe = next(s for s in report.sections if s.id == "severe")
    assert severe.sentences == ("Severe absence (50% or more) is not published in this release.",)
    compared = _figures(report, "benchmarks")
    c = site.schools.comparisons.loc["110630"]
    assert compared["overall_local"].value == c["local_overall"]
    assert compared["overall_similar"].value == c["similar_overall"]
    text = " ".join(next(s for s in report.sections if s.id == "benchmarks").sentences)
    assert "the primary schools in Fenland" in text


def test_a_converted_school_is_not_compared_with_its_earlier_urn(site):
    report = school_overview_report(site, "110605")  # the earlier URN finds the school
    assert report.code == "145423"
    overall = next(s for s in report.sections if s.id == "overall")
    text = " ".join(overall.sentences)
    assert "There is no figure for the previous year to compare with." in text
    assert "became an academy (new URN 145423), March 2018" in text
    assert _figures(report, "overall")["change_pp"].status != "ok"


def test_a_trust_overview_sums_its_schools(site):
    report = trust_overview_report(site, "the diocese of ely multi-academy trust")
    values = site.values("trust", "the-diocese-of-ely-multi-academy-trust")
    rate = _figures(report, "overall")["rate"]
    assert rate.value == pytest.approx(values[("201819", "total", "overall_absence_rate")][0])
    phases = next(s for s in report.sections if s.id == "phases")
    assert phases.sentences == (
        "In 2018/19, the overall absence rate was 4.2% in state-funded primary schools.",
        "In 2018/19, the persistent absence rate was 8.2% in state-funded primary schools.",
    )  # a primary-only trust: no 'not available' for phases it has no schools of
    assert "January 2023" in report.notices[0]


def test_cli_overview_and_pdf_for_a_school_and_a_trust(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(repo / "data", tmp_path / "data")
    runner = CliRunner()
    result = runner.invoke(main, ["overview", "--school", "110630", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sections"]["overall"]["figures"]["rate"]["text"] == "4.0%"
    result = runner.invoke(main, ["pdf", "--trust", "The Cam Academy Trust", "--out", "cam.pdf"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cam.pdf").read_bytes().startswith(b"%PDF")
    both = runner.invoke(main, ["overview", "--la", "873", "--school", "110630"])
    assert both.exit_code == 2
    assert "give exactly one of --la 873, --school URN or --trust NAME" in both.output
    two_terms = runner.invoke(main, ["overview", "--school", "110630", "--period", "autumn-spring"])
    assert two_terms.exit_code == 2
    unknown = runner.invoke(main, ["overview", "--trust", "No Such Trust"])
    assert unknown.exit_code == 2 and "no academy trust 'No Such Trust'" in unknown.output


def test_markdown_overview_keeps_an_apostrophe_straight_through_pandoc(repo, tmp_path, monkeypatch):
    """`overview --format md` escapes data text with the pages' escaper (quotes included), so
    pandoc's smart quotes leave "Fitzjohn's" (URN 100026) as published."""
    from attendance_reports.render.engines import pandoc

    if not pandoc.available():
        pytest.fail("pandoc (pypandoc-binary) is missing — run `make install`")
    monkeypatch.chdir(tmp_path)
    shutil.copytree(repo / "data", tmp_path / "data")
    result = CliRunner().invoke(main, ["overview", "--school", "100026", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "Fitzjohn\\'s Primary School" in result.output
    html = subprocess.run(
        [pandoc.executable(), "--from", "markdown", "--to", "html"],
        input=result.output,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Fitzjohn's Primary School" in html or "Fitzjohn&#39;s Primary School" in html
    assert "Fitzjohn’s" not in html and "’" not in html
