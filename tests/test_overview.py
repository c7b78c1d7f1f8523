"""The latest data overview on real data: every number in the text is one of the section's
named figures, the figures are the indicator table's values (and DfE's published ones), and the
2-term release is never compared with a full year. Also the `overview` command and the page."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from attendance_reports.cli import main
from attendance_reports.errors import ConfigError
from attendance_reports.model.narrative import display
from attendance_reports.model.overview import TWO_TERM_NOTICE, overview_report
from attendance_reports.model.overview_sections import OVERALL, cohort_counts, cohort_figures
from attendance_reports.model.site_data import LAIT, site_data
from attendance_reports.render.formatting import number, period_label
from attendance_reports.render.overview_output import overview_markdown
from attendance_reports.render.page_output import md_text

TWO_TERM = Path(__file__).parent / "fixtures" / "absence_2term_new_layout.csv"
YEAR = re.compile(r"\b\d{4}/\d{2}\b")
#: words, not figures: the definitions of persistent and severe absence, and COVID-19
DEFINITIONS = re.compile(r"\b(10|50)% or more\b|COVID-19")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")


@pytest.fixture(scope="module")
def site(bundled_site):
    return bundled_site


@pytest.fixture(scope="module")
def report(site):
    return overview_report(site, "873", "2018/19")


@pytest.fixture(scope="module")
def two_term():
    return overview_report(site_data(TWO_TERM), "873", period="autumn-spring")


def sections(report) -> dict:
    return {s.id: s for s in report.sections}


def figures(report, section: str) -> dict:
    return {f.name: f.figure for f in sections(report)[section].figures}


def numbers_in(sentence: str) -> list[str]:
    return NUMBER.findall(DEFINITIONS.sub("", YEAR.sub("", sentence)))


def shown(figure) -> set[str]:
    """The ways a sentence may show a figure: as shown, or its size without the sign."""
    if figure.status != "ok":
        return set()
    size = number(abs(figure.value), figure.decimals)
    return {display(figure).split(" ")[0], size, f"{size}%" if figure.unit == "%" else size}


def assert_every_number_is_a_figure(report):
    checked = 0
    for section in report.sections:
        allowed = set().union(*(shown(f.figure) for f in section.figures))
        for sentence in section.sentences:
            for token in numbers_in(sentence):
                assert token in allowed, (section.id, token, sentence)
                checked += 1
    return checked


# ---------------------------------------------------------------- Cambridgeshire 2018/19


def test_every_number_in_the_text_is_a_figure_of_its_section(report):
    assert assert_every_number_is_a_figure(report) > 30


def test_the_published_figures(report):
    overall, persistent = figures(report, "overall"), figures(report, "persistent")
    assert display(overall["enrolments"]) == "77,145"
    assert display(overall["rate"]) == "4.4%"
    assert display(persistent["rate"]) == "9.0%"
    assert display(persistent["count"]) == "6,949"
    text = " ".join(s for section in report.sections for s in section.sentences)
    for phrase in ("77,145 enrolments", "absence rate of 4.4%", "9.0% of all enrolments"):
        assert phrase in text
    assert "6,949 enrolments were persistently absent" in text
    assert "decreased by 0.2 percentage points since 2017/18" in text
    assert "There were 400 fewer persistently absent enrolments than in 2017/18." in text
    assert display(persistent["extra_sessions_per_absentee"]) == "54"  # whole sessions


def test_figures_are_the_indicator_values(site, report):
    values = site.values("la", "873", "full-year")
    counts = site.counts("la", "873", "full-year")
    specs = {"overall": OVERALL, "persistent": cohort_figures("persistent")}
    for section, spec in specs.items():
        named = figures(report, section)
        for name, indicator, _ in spec:
            value, status, _ = values[("201819", "total", indicator)]
            assert (named[name].value, named[name].status) == (value, status), name
    named = figures(report, "persistent")
    for name, indicator, part, _ in cohort_counts("persistent"):
        numerator, denominator = counts[("201819", "total", indicator)]
        assert named[name].value == (numerator if part == "numerator" else denominator)


def test_severe_absence_is_not_published_in_the_2018_19_release(report):
    severe = sections(report)["severe"]
    assert severe.sentences == ("Severe absence (50% or more) is not published in this release.",)
    assert {f.figure.status for f in severe.figures} == {"not-published"}
    assert severe.table is None


def test_phases_and_benchmarks(report):
    phases = sections(report)["phases"]
    assert phases.table.rows[-1]["year"] == "2018/19"
    assert phases.chart is not None and len(phases.chart.alt) <= 220
    benchmarks = sections(report)["benchmarks"]
    assert "lower than England (4.7%)" in benchmarks.sentences[0]
    assert [c.label for c in benchmarks.table.columns][-2:] == [
        "Statistical neighbours (mean)",
        "Geographic neighbours (mean)",
    ]
    assert "the mean of its geographic neighbours (" in benchmarks.sentences[0]


def test_default_year_is_the_latest_with_census_counts(site, report):
    assert overview_report(site, "873").year == "2018/19"
    by_e_code = overview_report(site, "E10000003")
    assert by_e_code.title == report.title
    assert by_e_code.sections[0].sentences == report.sections[0].sentences


def test_unknown_la_year_and_period_are_config_errors(site):
    with pytest.raises(ConfigError, match="no data for LA 999"):
        overview_report(site, "999")
    with pytest.raises(ConfigError, match="not an academic year"):
        overview_report(site, "873", "2018")
    with pytest.raises(ConfigError, match="try --period full-year"):
        overview_report(site, "873", None, "autumn-spring")


def test_an_la_with_rates_only_gets_its_latest_rates(site):
    report = overview_report(site, "838")  # Dorset (838): created 2019, LAIT rates only
    latest = max(
        y
        for (y, _, i), (_, s, _) in site.values("la", "838", "full-year").items()
        if i == "overall_absence_rate" and s == "ok"
    )
    assert report.year == period_label(latest) and report.sources == (LAIT,)
    assert any("rates DfE publishes in LAIT" in n for n in report.notices)
    overall = sections(report)["overall"]
    enrolments = next(nf for nf in overall.figures if nf.name == "enrolments")
    assert enrolments.figure.status != "ok" and enrolments.figure.value != 0
    rate = next(nf for nf in overall.figures if nf.name == "rate")
    assert rate.figure.status == "ok"
    assert display(rate.figure) in " ".join(overall.sentences)
    assert assert_every_number_is_a_figure(report) > 0


def test_2020_21_says_there_are_no_figures_for_2019_20(site):
    report = overview_report(site, "873", "2020/21")
    overall = sections(report)["overall"].sentences
    assert any("no figures for 2019/20" in s for s in overall)
    assert not any("since" in s for s in overall)
    assert assert_every_number_is_a_figure(report) > 0


def test_a_new_la_says_its_series_starts_at_the_reorganisation(site):
    report = overview_report(site, "940", "2021/22")
    text = " ".join(sections(report)["overall"].sentences)
    assert "no figure for the previous year" in text and "Northamptonshire (928)" in text


# ---------------------------------------------------------------- 2-term release, new layout


def fixture_row(year: str, phase: str = "Total") -> dict[str, float]:
    with TWO_TERM.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if (
                row["time_period"] == year
                and row["old_la_code"] == "873"
                and row["education_phase"] == phase
                and row["breakdown"] == "Total"
            ):
                return {k: float(v) for k, v in row.items() if re.fullmatch(r"[\d.]+", v)}
    raise AssertionError("row not in the fixture")


def test_two_term_severe_figures_are_the_files_counts(two_term):
    assert two_term.period == "autumn-spring" and two_term.year == "2022/23"
    row = fixture_row("202223")
    severe = figures(two_term, "severe")
    assert severe["count"].value == row["enrolments_pa_50_exact"] == 1365
    assert severe["cohort_authorised_sessions"].value == row["sess_authorised_pa_50_exact"]
    assert severe["cohort_unauthorised_sessions"].value == row["sess_unauthorised_pa_50_exact"]
    assert severe["cohort_possible_sessions"].value == row["sess_possible_pa_50_exact"]
    assert severe["rate"].value == pytest.approx(
        row["enrolments_pa_50_exact"] / row["enrolments"] * 100
    )
    assert display(severe["rate"]) == "1.9%"
    mean = row["sess_overall_pa_50_exact"] / row["enrolments_pa_50_exact"]
    others = (row["sess_overall"] - row["sess_overall_pa_50_exact"]) / (
        row["enrolments"] - row["enrolments_pa_50_exact"]
    )
    assert severe["mean_sessions_missed"].value == pytest.approx(mean)
    assert severe["extra_sessions_per_absentee"].value == pytest.approx(mean - others)
    assert severe["rate_excluding_cohort"].value == pytest.approx(
        (row["sess_overall"] - row["sess_overall_pa_50_exact"])
        / (row["sess_possible"] - row["sess_possible_pa_50_exact"])
        * 100
    )
    previous = fixture_row("202122")
    assert (
        severe["change_count"].value
        == row["enrolments_pa_50_exact"] - (previous["enrolments_pa_50_exact"])
    )
    text = " ".join(sections(two_term)["severe"].sentences)
    assert "1,365 enrolments were severely absent" in text
    assert "missed 130.8 sessions: 116 sessions more than" in text
    assert "There were 65 more severely absent enrolments than in the autumn and spring" in text


def test_two_term_text_never_compares_with_a_full_year(two_term):
    assert assert_every_number_is_a_figure(two_term) > 30
    for section in two_term.sections:
        for sentence in section.sentences:
            if YEAR.search(sentence):
                assert "autumn and spring terms of" in sentence, sentence
    assert TWO_TERM_NOTICE in two_term.notices
    overall = sections(two_term)["overall"].sentences
    # the rate was 7.375% in both years: a zero change
    assert "The overall absence rate did not change since the autumn and spring terms of " in (
        " ".join(overall)
    )


def test_two_term_and_full_year_data_together_keep_their_periods(repo):
    site = site_data([repo / "data", TWO_TERM])
    full = overview_report(site, "873")
    assert full.year == "2018/19" and display(figures(full, "overall")["rate"]) == "4.4%"
    two = overview_report(site, "873", "2021/22", "autumn-spring")
    assert display(figures(two, "overall")["enrolments"]) == "70,000"  # not the FSM row
    assert site.values("la", "873", "autumn-spring")[("202122", "total", "enrolments")][0] == 70000
    # issue 14, item 2: the site's series hold the full year only; 2-term figures never join it
    assert site.main_period == "full-year"
    assert ("202122", "total", "enrolments") not in site.values("la", "873")
    text = " ".join(sections(two)["overall"].sentences)
    # 2020/21 has full-year (LAIT) figures only: said, not compared
    assert "full-year figures are not compared with autumn and spring term figures" in text


# ---------------------------------------------------------------- the command and the page


def run(*args: str):
    return CliRunner().invoke(main, ["overview", *args])


def test_cli_json_names_every_figure(repo, report):
    result = run(str(repo / "data"), "--la", "873", "--year", "2018/19", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data["sections"]) == ["overall", "persistent", "severe", "phases", "benchmarks"]
    rate = data["sections"]["overall"]["figures"]["rate"]
    assert rate["text"] == "4.4%" and rate["unit"] == "%" and rate["status"] == "ok"
    assert rate["value"] == figures(report, "overall")["rate"].value  # unrounded
    severe = data["sections"]["severe"]["figures"]["rate"]
    assert severe["value"] is None and severe["status"] == "not-published"
    assert set(data["sections"]["persistent"]["figures"]) >= {
        "rate",
        "count",
        "change_pp",
        "change_count",
        "three_year_average",
        "extra_sessions_per_absentee",
    }


def test_cli_text_and_markdown(repo):
    text = run(str(repo / "data"), "--la", "873", "--year", "2018/19")
    assert text.exit_code == 0
    assert "77,145 enrolments" in text.stdout and "Overall absence\n" in text.stdout
    md = run(str(repo / "data"), "--la", "873", "--format", "md")
    assert md.exit_code == 0
    # data text is escaped as on the pages (page_output.md_text): pandoc shows it as written
    assert md.stdout.startswith("# Cambridgeshire\\: latest data overview, 2018/19\n")
    assert "## Persistent absence \\(10% or more\\)" in md.stdout
    assert "| 2018/19 | 77,145 | 1,206,252 | 4.4% | -0.2 | 4.5% |" in md.stdout


def test_cli_two_term_file(tmp_path):
    result = run(str(TWO_TERM), "--la", "873", "--period", "autumn-spring", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["period"] == "autumn-spring"
    assert data["sections"]["severe"]["figures"]["count"]["text"] == "1,365"


def test_cli_unknown_la_is_one_line_and_exit_2(repo):
    result = run(str(repo / "data"), "--la", "999")
    assert result.exit_code == 2
    assert result.stderr == "Error: no data for LA 999 — check the code or the data paths\n"


def test_markdown_escapes_data():
    """One escaper (page_output.md_text) for the pages and `overview --format md`."""
    assert md_text("A*b_|c [x](y) <b>") == r"A\*b\_\|c \[x\]\(y\) \<b\>"
    assert md_text("1. Not a list") == r"1\. Not a list"
    assert md_text("- not a bullet") == r"\- not a bullet"
    assert md_text("# not\n=== a heading") == r"\# not === a heading"
    assert md_text('King\'s "Cross" -- 1') == r"King\'s \"Cross\" \-\- 1"


def test_hostile_la_name_is_escaped(tmp_path):
    text = TWO_TERM.read_text(encoding="utf-8-sig").replace(
        "Cambridgeshire", "Cambs <script>x</script> | *bold* [link](http://x)"
    )
    path = tmp_path / "absence.csv"
    path.write_text(text, encoding="utf-8")
    report = overview_report(site_data(path), "873", period="autumn-spring")
    md = overview_markdown(report)
    assert "<script>" not in md and "*bold*" not in md and "[link](" not in md
    assert r"\<script\>" in md


def test_the_page_template(repo, site):
    from attendance_reports.render.page_output import PageOutput, md_text
    from attendance_reports.render.page_sources import execute, load_template

    page = PageOutput("la/873-overview", "../")
    front, body, namespace = execute(
        load_template(repo / "reports" / "overview.qmd"),
        {"data": site, "page": page, "la_code": 873},
    )
    assert namespace["report"].slug == "la/873-overview"
    assert front["title"] == r"Cambridgeshire\: latest data overview, 2018/19"
    assert "## Severe absence (50% or more)" in body
    assert md_text("Severe absence (50% or more) is not published in this release.") in body
    assert md_text("an overall absence rate of 4.4%.") in body
    assert '<caption id="tbl-overall--caption">' in body
    assert "873-overview-phases-trend.svg" in page.files
