"""School pages from the bundled data/ (Cambridgeshire's and Camden's schools with their
reference rows): names everywhere, one school across a real URN change from the GIAS links
file, comparisons with local and similar schools checked by hand, the search index, and data
from the reference files escaped."""

from __future__ import annotations

import csv
import gzip
import json
import math
import shutil

import pytest

from attendance_reports.model.assemble import la_report
from attendance_reports.model.assemble_school import school_report
from attendance_reports.model.site_data import site_data
from attendance_reports.site.plan import school_card, school_keywords
from attendance_reports.site.search import search_index

EXTRACT = "absence_2006-07_to_2018-19_extract.csv.gz"


@pytest.fixture(scope="module")
def site(bundled_site):
    return bundled_site


def test_every_school_of_the_default_site_has_a_name(site):
    latest = site.schools_of("873")["code"].tolist() + site.schools_of("202")["code"].tolist()
    assert len(latest) > 300
    info = site.schools.info
    assert info.loc[latest, "named"].all()
    assert not any(site.schools.label(u).startswith("School URN") for u in latest)


def test_townley_is_named_in_title_breadcrumbs_tables_and_links(site):
    report = school_report(site, "110630")
    label = "Townley Primary School, Wisbech (URN 110630)"
    assert report.title == f"{label}: pupil absence"
    assert report.breadcrumbs[-1].text == label
    assert report.compared.caption.startswith(label)
    about = {r["fact"]: (r["value"], r["as_at"]) for r in report.about.rows}
    assert about["Name"] == ("Townley Primary School", "January 2023")
    assert about["Town"] == ("Wisbech", "6 July 2022")
    assert about["District"][0] == "Fenland"
    la = la_report(site, "873")
    assert any(link.text.startswith(label) for link in la.schools)
    row = next(r for r in la.schools_table.rows if r["urn"] == "110630")
    assert row["school"] == label and row["school__href"] == "school/110630.html"


def test_a_converted_school_runs_across_its_two_urns_with_the_break_marked(site):
    """Fen Ditton Primary School: URN 110605 to 2017/18; academy URN 145423 from 1 March 2018
    (GIAS links: 110605 Successor 145423, 145423 Predecessor 110605)."""
    facts = site.schools
    assert facts.page_of("110605") == facts.page_of("145423") == "145423"
    old, new = school_report(site, "110605"), school_report(site, "145423")
    assert old == new  # both URNs give the same page
    assert new.urns == ("110605", "145423")
    rows = new.trend.rows
    assert [r["urn"] for r in rows] == ["110605"] * 12 + ["145423"]
    assert rows[-1]["note"] == "became an academy (new URN 145423), March 2018"
    assert all(r["note"] == "" for r in rows[:-1])
    chart = new.chart
    assert [s.label for s in chart.series[:2]] == ["URN 110605", "URN 145423"]
    assert "2018/19" in chart.breaks
    assert chart.break_labels[chart.breaks.index("2018/19")] == "new URN 145423"
    # the two URNs are two series, never one line: no year has both
    both = [
        x
        for x, a, b in zip(chart.series[0].x, chart.series[0].y, chart.series[1].y, strict=True)
        if not math.isnan(a) and not math.isnan(b)
    ]
    assert both == []
    assert any("became an academy" in n and "110605" in n for n in new.notices)
    keywords = school_keywords(site, "145423", "Cambridgeshire").split()
    assert {"110605", "145423", "8732009"} <= set(keywords)


def test_the_svg_marks_the_change(site):
    from attendance_reports.render.charts import chart_svg

    svg = chart_svg(school_report(site, "145423").chart)
    assert "new URN 145423" in svg and "stroke-dasharray" in svg
    assert svg == chart_svg(school_report(site, "145423").chart)  # same bytes


def _counts(repo) -> dict[str, dict[str, float]]:
    out = {}
    with gzip.open(repo / "data" / EXTRACT, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["geographic_level"] == "School" and row["time_period"] == "201819":
                out[row["urn"]] = {
                    c: float(row[c])
                    for c in ("sess_overall", "sess_possible", "enrolments", "school_type")
                    if c != "school_type"
                } | {"phase": row["school_type"]}
    return out


def test_local_comparison_is_checked_by_hand(repo, site):
    counts = _counts(repo)
    facts = site.schools
    c = facts.comparisons.loc["110630"]
    assert (c["local_kind"], c["local_place"]) == ("district", "Fenland")
    members = facts.local_members[c["local_key"]]
    # every state-funded primary school of the data in Fenland (this one included)
    fenland = {
        u
        for u in counts
        if counts[u]["phase"] == "State-funded primary"
        and facts.info.at[u, "district"] == "Fenland"
        and counts[u]["enrolments"] >= 6
    }
    assert set(members) == fenland
    overall = sum(counts[u]["sess_overall"] for u in fenland)
    possible = sum(counts[u]["sess_possible"] for u in fenland)
    assert c["local_overall"] == pytest.approx(overall / possible * 100, rel=1e-12)
    mine = counts["110630"]["sess_overall"] / counts["110630"]["sess_possible"]
    higher = sum(
        counts[u]["sess_overall"] / counts[u]["sess_possible"] > mine
        for u in fenland
        if u != "110630"
    )
    assert c["local_higher"] == higher
    report = school_report(site, "110630")
    assert (
        f"Townley Primary School had lower overall absence than {higher} of the other "
        f"{len(fenland) - 1} primary schools in Fenland" in report.comparison[0]
    )
    assert report.local is not None and len(report.local.rows) <= 11
    assert any(r["school"].endswith("(this school)") for r in report.local.rows)


def test_a_school_with_one_other_school_in_its_group_reads_singular(site):
    """Carlton Primary School (Camden) and St Aloysius are the only primary schools of their
    local group in the bundled data: 'the 1 other primary school', never 'all the other 1
    primary schools'."""
    for urn, words in (("100012", "lower"), ("100037", "higher")):
        c = site.schools.comparisons.loc[urn]
        assert int(c["local_higher"] + c["local_same"] + c["local_lower"]) == 1
        sentence = school_report(site, urn).comparison[0]
        assert f"had {words} overall absence than the 1 other primary school in Camden." in (
            sentence
        )
        assert "schools in Camden" not in sentence


def test_similar_schools_are_the_nearest_of_the_same_phase(site):
    facts = site.schools
    similar = facts.similar["110630"]
    assert len(similar) == 10 and "110630" not in similar
    info = facts.info
    assert set(info.loc[list(similar), "phase"]) == {"primary"}
    report = school_report(site, "110630")
    assert "most like it in free school meals eligibility and size" in report.comparison[1]
    assert "Cambridgeshire and Camden" in report.comparison[1]  # not 'England': 2 LAs here
    assert len(report.similar.rows) == 11


def test_search_index_finds_schools_compactly(site):
    entries = []
    for urn in ("110630", "145423"):
        card = dict(school_card(site, urn))
        entries.append(
            (f"school/{urn}", "title", school_keywords(site, urn, "Cambridgeshire"), 0, card)
        )
    entries.append(("la/873", "Cambridgeshire: pupil absence", "873", 0, {}))
    text = search_index(entries)
    pages, schools = text.splitlines()
    assert json.loads(pages.removeprefix("window.SEARCH_INDEX = ").rstrip(";")) == [
        {"k": "873", "r": 0, "t": "Cambridgeshire: pupil absence", "u": "la/873.html"}
    ]
    compact = json.loads(schools.removeprefix("window.SEARCH_SCHOOLS = ").rstrip(";"))
    assert compact["a"] == ["Cambridgeshire"]
    assert compact["s"][0][:3] == ["110630", "Townley Primary School", "Wisbech"]
    assert compact["s"][1][0] == "145423" and "110605" in compact["s"][1][5].split()


def test_names_from_the_reference_files_are_escaped(repo, tmp_path):
    """A school name with markup and a spreadsheet formula: text on the page, neutralised in
    the CSV, inert in the search index."""
    from attendance_reports.render.page_output import PageOutput

    evil = '=HYPERLINK("http://evil.example")<script>alert(1)</script>'
    data = tmp_path / "data"
    shutil.copytree(repo / "data" / "reference", data / "reference")
    shutil.copy(repo / "data" / EXTRACT, data / EXTRACT)
    spc = data / "reference" / "schools" / "spc_school_level_202223.csv.gz"
    with gzip.open(spc, "rt", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    name = rows[0].index("school_name")
    for row in rows[1:]:
        if row[0 if rows[0][0] == "urn" else rows[0].index("urn")] == "110630":
            row[name] = evil
    with gzip.open(spc, "wt", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    site = site_data([data])
    report = school_report(site, "110630")
    assert report.name == f"{evil}, Wisbech (URN 110630)"
    page = PageOutput("school/110630", "../")
    html = page.summary(report) + page.facts(report.about) + page.table(report.local)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    about = page.files["110630-about.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK(" in about and ",=HYPERLINK" not in about
    card = dict(school_card(site, "110630"))
    index = search_index([("school/110630", report.title, "110630", 0, card)])
    assert "<" not in index and "\\u003cscript" in index
