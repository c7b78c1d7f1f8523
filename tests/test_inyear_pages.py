"""The "This year" pages' report models, on the bundled extract (data/): weeks with holiday gaps,
England's full years as published, benchmark groups with geographic neighbours, maps with
their classes in words, and the build plan."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import numpy as np
import pytest

from attendance_reports.model.assemble import la_report
from attendance_reports.model.assemble_inyear import inyear_la_report, inyear_national_report
from attendance_reports.model.site_data import INYEAR, build_site_data
from attendance_reports.render.formatting import percent, round_half_up_array
from attendance_reports.render.tables import table_csv, table_html
from attendance_reports.site.config import Config
from attendance_reports.site.incremental import dependencies
from attendance_reports.site.plan import plan
from attendance_reports.sources.load import load


@pytest.fixture(scope="module")
def site(bundled_site):
    return bundled_site


@pytest.fixture(scope="module")
def cambs(site):
    return inyear_la_report(site, "873")


@pytest.fixture(scope="module")
def england(site):
    return inyear_national_report(site)


def test_latest_year_drives_the_pages(site, cambs, england):
    assert site.inyear_year == "202425"
    assert cambs.year == england.year == "2024/25"
    assert "week starting 2 December 2024 (ISO week 49)" in cambs.data_date
    assert cambs.sources[0].startswith(f"Source: {INYEAR}; files ")
    assert "EES_ytd_data_202425.csv.gz" in cambs.sources[0]
    assert "EES_weekly_data_202324.csv.gz" in cambs.sources[0]  # the comparison line
    assert "EES_ytd_data_202324.csv.gz" not in cambs.sources[0]
    assert "week_29_persistent_absence.csv.gz" in cambs.sources[0]  # named 2025, read 2024/25


def test_england_full_years_as_published(england):
    shown = {
        r["year"]: (
            percent(r["inyear_overall_absence_rate"]),
            percent(r["inyear_persistent_absence_rate"]),
        )
        for r in england.years.rows
    }
    assert shown == {
        "2022/23": ("7.5%", "22.3%"),
        "2023/24": ("7.2%", "20.7%"),
        "2024/25": ("6.9%", "18.7%"),
    }


def test_half_term_weeks_are_gaps_never_zero(cambs, england):
    chart = cambs.weekly
    assert [s.label for s in chart.series] == [
        "Cambridgeshire 2024/25",
        "Cambridgeshire 2023/24",
        "England 2024/25",
    ]
    rows = {r["week"]: r for r in chart.table.rows}
    # ISO week 44 of 2024 was Cambridgeshire's half term; week 43 of 2023
    assert rows["Week 44"]["s0__status"] == "not-applicable"
    assert rows["Week 43"]["s1__status"] == "not-applicable"
    # weeks 50 and 51 of 2024 are not published yet (the file stops at week 49)
    assert rows["Week 50"]["s0__status"] == "not-available"
    assert rows["Week 50"]["s1__status"] == "ok"
    for series in chart.series:
        values = np.array(series.y)
        assert np.isnan(values).any() and (values[~np.isnan(values)] > 0).all()
    # England has no rows in half-term weeks (schools are on holiday in most LAs): [z] with
    # the reason, in the table and its CSV
    england_rows = {r["week"]: r for r in england.weekly.table.rows}
    assert england_rows["Week 44"]["s0__status"] == "not-applicable"
    assert england_rows["Week 44"]["note"] == (
        "England 2024/25: half term in most local authorities (26 had school days): DfE "
        "publishes no national or regional figure"
    )
    assert rows["Week 44"]["note"].startswith(
        "Cambridgeshire 2024/25: half term or holiday in its schools (no sessions that week); "
        "England 2024/25: half term in most local authorities"
    )
    assert rows["Week 45"]["note"] == "all figures published"
    assert rows["Week 50"]["note"].startswith("Cambridgeshire 2024/25: not published yet")
    assert [c.label for c in chart.table.columns][-2:] == [
        "Why a week has no figure",
        "How the figure is made",  # in the CSV; on the page, a note
    ]
    assert chart.table.columns[-1].csv_only
    assert chart.table.notes[-1] == (
        "How Cambridgeshire's weekly all-schools figures are made: phases combined as DfE's "
        "release does: weighted by total enrolments."
    )
    assert len(chart.alt) <= 220 and chart.alt.endswith(".")


def test_christmas_week_shows_as_z_not_vanishing(repo, shared_data):
    """2022/23's weekly file has weeks 37-51 and 1-2 and no row at all for ISO week 52: the
    week is in the table as [z] with its reason, and a gap in the chart (never 0)."""
    from dataclasses import replace

    data = load([repo / "data", shared_data / "attendance" / "EES_weekly_data_202223.csv"])
    data = replace(data, inyear=data.inyear[data.inyear["academic_year"] == "202223"])
    site = build_site_data(data)
    for report in (inyear_national_report(site), inyear_la_report(site, "873")):
        weeks = [r["week"] for r in report.weekly.table.rows]
        assert weeks[weeks.index("Week 51") + 1 : weeks.index("Week 51") + 3] == [
            "Week 52",
            "Week 1",
        ]
        christmas = next(r for r in report.weekly.table.rows if r["week"] == "Week 52")
        assert christmas["s0__status"] == "not-applicable" and math.isnan(christmas["s0"])
        assert christmas["starting"] == "26 December 2022"
        assert (
            f"{report.name} 2022/23: Christmas holiday, no figures published" in christmas["note"]
        )
        gap = report.weekly.series[0].y[weeks.index("Week 52")]
        assert math.isnan(gap)


def test_benchmarks_offer_geographic_beside_statistical_neighbours(site, cambs):
    overall = next(h for h in cambs.headlines if h.id == "inyear_overall_absence_rate")
    labels = [c.label for c in overall.comparisons]
    assert labels == [
        "England",
        "East of England",
        "Statistical neighbours",
        "Geographic neighbours",
    ]
    geographic = overall.comparisons[3]
    assert geographic.note == "mean of 9 of 9"
    codes = site.geographic_neighbours("873")
    values = site.inyear_las("ytd", "202425", "Academic year", "inyear_overall_absence_rate")
    assert geographic.value == pytest.approx(np.mean([values[c][0] for c in codes]), abs=1e-12)
    assert [c.label for c in overall.comparisons] == [
        col.label for col in cambs.benchmarks.columns[2:-1]
    ]
    groups = {r["name"]: r["group"] for r in cambs.neighbours.rows}
    assert groups["Hertfordshire"] == "Statistical (rank 2); Geographic (shares a boundary)"
    assert groups["Peterborough"] == "Geographic (shares a boundary)"
    assert len(groups) == 10 + 9 - 2


def test_island_has_no_geographic_neighbours(site):
    report = inyear_la_report(site, "921")  # Isle of Wight
    overall = next(h for h in report.headlines if h.id == "inyear_overall_absence_rate")
    geographic = overall.comparisons[-1]
    assert (geographic.label, geographic.status) == ("Geographic neighbours", "not-applicable")
    assert math.isnan(geographic.value)


def test_pages_say_how_each_all_schools_figure_is_made(cambs, england):
    combined = "phases combined as DfE's release does: weighted by total enrolments"
    assert any(
        "combined by the method that reproduces the same file's own published totals" in n
        and "weighted by total enrolments" in n
        for n in cambs.notices
    )
    assert any("never joined into one series" in n for n in cambs.notices)
    assert all(h.figure.source == INYEAR for h in cambs.headlines)
    assert {h.figure.method for h in cambs.headlines} == {combined}
    tables = [cambs.benchmarks, cambs.periods, cambs.persistent, cambs.reasons, cambs.neighbours]
    assert all("Pupil attendance in schools" in t.source for t in tables)
    # every table with an all-schools figure says how it is made, in the CSV too
    assert [r["method"] for r in cambs.benchmarks.rows] == [combined] * 5
    # one method for the whole table: said once under it, and per figure in its CSV
    page, csv = table_html(cambs.benchmarks, "b.csv"), table_csv(cambs.benchmarks)
    assert escape(f"How Cambridgeshire's figures are made: {combined}.") in page
    assert "figure is made</th>" not in page
    assert csv.splitlines()[0].endswith(",How Cambridgeshire's figure is made")
    assert all(line.endswith(combined) for line in csv.splitlines()[1:])
    periods = {(r["period"], r["phase"]): r["method"] for r in cambs.periods.rows}
    assert periods[("Year to date", "All schools")] == combined
    assert periods[("Year to date", "Primary")] == "DfE's figures"
    # England's figures are DfE's published totals (6.870 % / 18.70 % for 2024/25)
    assert any(
        "England's and the regions' all-schools figures are DfE's published" in n
        for n in england.notices
    )
    shown = {h.id: h.figure for h in england.headlines}
    assert shown["inyear_overall_absence_rate"].method == "DfE's published total"
    assert percent(shown["inyear_overall_absence_rate"].value, 3) == "6.870%"
    assert percent(shown["inyear_persistent_absence_rate"].value, 2) == "18.70%"
    assert {r["method"] for r in england.areas.rows} == {"DfE's published total"}
    # Bracknell Forest's special schools are suppressed: combined without them, said so
    partial = f"{combined}, of the phases with a published figure"
    methods = {r["name"]: r["method"] for r in england.maps[0].table.rows}
    assert methods["Bracknell Forest"] == partial
    assert set(methods.values()) == {combined, partial}
    assert any("on the maps" in n and "weighted by total enrolments" in n for n in england.notices)


FIXTURE = Path(__file__).parent / "fixtures" / "inyear_ytd_sessions_ratio_totals.csv"


@pytest.fixture(scope="module")
def ratio_site(repo: Path):
    """The bundled data with the in-year files replaced by a release that combines phases by
    the sessions ratio and publishes LA Totals for Cambridgeshire and Camden."""
    from dataclasses import replace

    data = load([repo / "data"])
    return build_site_data(replace(data, inyear=load([FIXTURE]).inyear))


def test_la_page_of_a_sessions_ratio_release_says_which(ratio_site):
    southampton = inyear_la_report(ratio_site, "852")  # no Total row in the file
    shown = {h.id: h.figure for h in southampton.headlines}
    overall = shown["inyear_overall_absence_rate"]
    assert overall.method == "phases combined as DfE's release does: sessions ratio"
    assert percent(overall.value, 3) == "8.115%"
    assert shown["inyear_persistent_absence_rate"].method == (
        "phases combined as DfE's release does: weighted by total enrolments"
    )
    notice = next(n for n in southampton.notices if "reproduces" in n)
    assert "attendance and absence rates by the sessions ratio" in notice
    assert "persistent absence by the phases' rates weighted by total enrolments" in notice
    assert "(all 190 published totals of 1 file reproduced)" in notice
    row = next(r for r in southampton.periods.rows if r["phase"] == "All schools")
    assert (
        "authorised absence and unauthorised absence: phases combined as DfE's release does: "
        "sessions ratio; persistent absence: phases combined" in row["method"]
    )

    camden = inyear_la_report(ratio_site, "202")  # a Total row: DfE's figure, as published
    shown = {h.id: h.figure for h in camden.headlines}
    assert shown["inyear_overall_absence_rate"].value == 7.8
    assert shown["inyear_overall_absence_rate"].method == "DfE's published total"
    assert any(
        "Camden's all-schools figures are DfE's published totals" in n for n in camden.notices
    )


def test_reasons_follow_the_register_codes_of_the_year(cambs):
    reasons = [r["reason"] for r in cambs.reasons.rows]
    assert "Parent travelling for work (code T from August 2024) (T)" in reasons
    assert not any("Traveller absence" in r for r in reasons)


def test_maps_describe_their_classes_and_table(site, england):
    assert [m.id for m in england.maps] == ["map-overall-absence", "map-persistent-absence"]
    for chart in england.maps:
        assert len(chart.alt) <= 220 and chart.alt.endswith(".")
        assert len(chart.table.rows) == len(chart.areas) == 153
        assert sum(c.count for c in chart.classes) == 151  # City of London [c], Scilly
        assert "White, no figure: City of London, Isles of Scilly." in chart.description
        for c in chart.classes:
            assert c.label in chart.description[0]
        # every LA's shown value lies in its class's range, written in shown numbers
        shading = ("lightest", "light", "dark", "darkest")
        for row in chart.table.rows:
            if row["value__status"] != "ok":
                assert row["group"] == "white (no figure)"
                continue
            k = shading.index(row["group"])
            low, high = chart.classes[k].label.split(" (")[0].split(" to ")
            tenths = int(round_half_up_array(np.array([row["value"]]), 1)[0])
            assert float(low[:-1]) * 10 <= tenths <= float(high[:-1]) * 10


def test_build_plans_this_year_pages_and_links_them(site):
    slugs = [job.slug for job in plan(site, Config(), ("873", "921"))]
    assert "this-year" in slugs and "la/873-this-year" in slugs and "la/921-this-year" in slugs
    assert la_report(site, "873").this_year[0].href == "la/873-this-year.html"


def test_this_year_page_depends_on_its_geographic_neighbours(site):
    areas = dependencies(site, "la_inyear.qmd", {"la_code": "873"})
    assert ("inyear-la", "881") in areas  # Essex shares a boundary, is no statistical neighbour
    assert ("inyear-national", "E92000001") in areas


def test_census_benchmarks_offer_geographic_neighbours_too(site):
    """The LA page's and the overview's benchmarks: geographic beside statistical neighbours."""
    from attendance_reports.model.overview import overview_report

    report = la_report(site, "873")
    overall = next(h for h in report.headlines if h.id == "overall_absence_rate")
    geographic = overall.comparisons[-1]
    assert (geographic.label, geographic.note) == (
        "Geographic neighbours",
        "mean of 9 of 9 neighbours",
    )
    values = [
        site.values("la", c)[(overall.year.replace("/", ""), "total", overall.id)]
        for c in site.geographic_neighbours("873")
    ]
    assert geographic.value == pytest.approx(np.mean([v[0] for v in values]), abs=1e-12)
    assert report.benchmarks.columns[-3].label == "Geographic neighbours"
    island = la_report(site, "921").headlines[0].comparisons[-1]
    assert (island.status, island.note) == (
        "not-applicable",
        "no local authority shares a boundary",
    )
    benchmarks = {s.id: s for s in overview_report(site, "873").sections}["benchmarks"]
    assert benchmarks.table.columns[-1].label == "Geographic neighbours (mean)"


def test_code_break_is_said_where_2022_23_weeks_are_shown(repo, shared_data, bundled_site):
    """With 2023/24 the latest year, North Yorkshire's comparison line is 2022/23, published
    under its county code: the page says the rows were mapped to the new code."""
    from dataclasses import replace

    data = load([repo / "data", shared_data / "attendance" / "EES_weekly_data_202223.csv"])
    data = replace(data, inyear=data.inyear[data.inyear["academic_year"] != "202425"])
    site = build_site_data(data)
    report = inyear_la_report(site, "815")
    assert [s.label for s in report.weekly.series][1] == "North Yorkshire 2022/23"
    assert any("county code (E10000023)" in n for n in report.notices)
    latest = inyear_la_report(bundled_site, "815")
    assert not any("county code" in n for n in latest.notices)


def test_persistent_absence_series_on_england_page(england):
    chart = england.persistent_series
    assert [s.label for s in chart.series] == ["All schools", "Primary", "Secondary", "Special"]
    assert chart.series[0].highlight and len(chart.series[0].x) == 12
    assert chart.title == (
        "Persistent absence in England so far this year, to the week starting 21 July 2025: 18.7%"
    )
    assert len(chart.alt) <= 220 and "data table follows" in chart.alt
    last = chart.table.rows[-1]
    assert last["point"] == "Week starting 21 July 2025 (ISO week 30)"
    assert (last["s0"], last["s1"], last["s2"], last["s3"]) == (18.7, 13.5, 24.32, 35.8)
    first = chart.table.rows[0]
    assert first["point"] == "Week starting 17 February 2025 (ISO week 8)"


def test_persistent_absence_series_of_an_la_shows_phases_and_says_why(site):
    report = inyear_la_report(site, "852")  # Southampton
    chart = report.persistent_series
    assert [s.label for s in chart.series] == [
        "Southampton primary",
        "Southampton secondary",
        "Southampton special",
    ]
    assert chart.title.endswith("21 July 2025: 16.7% primary, 28.3% secondary, 35.1% special")
    assert chart.subtitle.endswith("Southampton, 2024/25; phases only")
    labels = [c.label for c in chart.table.columns]
    assert labels[:4] == [
        "Year to date to the end of",
        "Southampton, primary",
        "Southampton, secondary",
        "Southampton, special",
    ]
    assert "England, all schools" in labels
    last = chart.table.rows[-1]
    assert (last["s0"], last["s1"], last["s2"]) == (16.7, 28.32, 35.13)
    assert any(
        "no all-schools figure for Southampton" in n and "rates only" in n
        for n in chart.table.notes
    )
    assert any(
        n.startswith(
            "No all-schools figure is shown for Southampton from "
            "week_29_persistent_absence.csv.gz: the file gives rates only"
        )
        for n in report.notices
    )
