"""Academy trust figures against sums done by hand from the absence file itself, for real
trusts: two of primary schools only, one with primary, secondary and special schools.

The trusts' members are the school census table's (January 2023). The hand sums read the raw
2006/07–2018/19 file with the csv module (not the package's reader) and add up the member
schools' counts; the site's figures come from the whole pipeline (load -> site data), on the
national, regional and LA rows plus the member schools' rows of the real file."""

from __future__ import annotations

import csv
import dataclasses
import gzip
from collections import defaultdict

import pandas as pd
import pytest

from attendance_reports.model.assemble_trust import trust_report, trusts_index_report
from attendance_reports.model.overview_schools import trust_overview_report
from attendance_reports.model.school_facts import slug, trust_display_name
from attendance_reports.model.site_data import build_site_data
from attendance_reports.render.formatting import percent
from attendance_reports.sources import schools
from tests.conftest import need_shared
from tests.test_schools_source import GIAS, LINKS, SPC, _read

#: published name -> what it is
TRUSTS = {
    "ALL SAINTS SCHOOLS TRUST": "primary only",
    "THE DIOCESE OF ELY MULTI-ACADEMY TRUST": "primary only",
    "BECKFOOT TRUST": "primary, secondary and special",
}
YEARS = ("201718", "201819")


@pytest.fixture(scope="module")
def directory() -> schools.SchoolDirectory:
    return schools.combine([_read(need_shared(name)) for name in (SPC, GIAS, LINKS)])


@pytest.fixture(scope="module")
def members(directory) -> dict[str, set[str]]:
    facts = directory.facts
    return {name: set(facts.index[facts["trust"] == name]) for name in TRUSTS}


@pytest.fixture(scope="module")
def site(full_dataset, directory, members):
    absence = full_dataset.absence
    everyone = set().union(*members.values())
    keep = (absence["geographic_level"] != "school").to_numpy() | absence["code"].astype(str).isin(
        everyone
    ).to_numpy()
    dataset = dataclasses.replace(
        full_dataset,
        absence=absence[keep].reset_index(drop=True),
        lait=full_dataset.lait.iloc[0:0],
        groups=pd.DataFrame(),
        schools=directory,
    )
    return build_site_data(dataset)


@pytest.fixture(scope="module")
def by_hand(absence_path, members):
    """(trust, year, phase) -> summed counts; (year, phase) -> England's counts; and each
    member school's (year) -> (phase, overall, possible)."""
    sums: dict = defaultdict(lambda: defaultdict(float))
    england: dict = {}
    school: dict = {}
    trust_of = {urn: name for name, urns in members.items() for urn in urns}
    phases = {"State-funded primary": "primary", "State-funded secondary": "secondary"}
    phases |= {"Special": "special", "Total": "total"}
    with gzip.open(absence_path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            year, phase = row["time_period"], phases[row["school_type"]]
            if year not in YEARS:
                continue
            if row["geographic_level"] == "National":
                england[(year, phase)] = (float(row["sess_overall"]), float(row["sess_possible"]))
            elif row["geographic_level"] == "School" and row["urn"] in trust_of:
                counts = {
                    c: float(row[c])
                    for c in (
                        "sess_overall",
                        "sess_possible",
                        "enrolments",
                        "enrolments_pa_10_exact",
                    )
                }
                for p in (phase, "total"):
                    total = sums[(trust_of[row["urn"]], year, p)]
                    for c, v in counts.items():
                        total[c] += v
                    total["schools"] += 1
                school[(row["urn"], year)] = (
                    phase,
                    counts["sess_overall"],
                    counts["sess_possible"],
                )
    return sums, england, school


def test_the_two_trusts_are_what_they_should_be(site, members):
    facts = site.schools
    for name, kind in TRUSTS.items():
        code = slug(name)
        counted = facts.members(code)
        assert counted, name
        phases = set(facts.info.loc[counted, "phase"])
        assert (phases == {"primary"}) == (kind == "primary only"), (name, phases)
    assert set(facts.info.loc[facts.members("beckfoot-trust"), "phase"]) == {
        "primary",
        "secondary",
        "special",
    }


@pytest.mark.parametrize("name", list(TRUSTS))
def test_trust_rates_are_the_ratio_of_the_hand_sums(site, by_hand, name):
    sums, _, _ = by_hand
    code = slug(name)
    values = site.values("trust", code)
    checked = 0
    for (trust, year, phase), total in sums.items():
        if trust != name:
            continue
        overall = total["sess_overall"] / total["sess_possible"] * 100
        persistent = total["enrolments_pa_10_exact"] / total["enrolments"] * 100
        assert values[(year, phase, "overall_absence_rate")][:2] == (
            pytest.approx(overall, rel=1e-12),
            "ok",
        )
        assert values[(year, phase, "persistent_absence_rate")][0] == pytest.approx(
            persistent, rel=1e-12
        )
        assert values[(year, phase, "schools")][0] == total["schools"]
        assert values[(year, phase, "enrolments")][0] == total["enrolments"]
        checked += 1
    assert checked >= 2 * (2 if TRUSTS[name] == "primary only" else 4) - 2


@pytest.mark.parametrize("name", list(TRUSTS))
def test_schools_at_or_better_than_england_counted_by_hand(site, by_hand, members, name):
    _, england, school = by_hand
    code = slug(name)
    table = site.schools.at_or_better["overall_absence_rate"]
    for year in YEARS:
        expected = 0
        compared = 0
        for urn in members[name]:
            if (urn, year) not in school:
                continue
            phase, overall, possible = school[(urn, year)]
            e_overall, e_possible = england[(year, phase)]
            compared += 1
            expected += overall / possible * 100 <= e_overall / e_possible * 100
        row = table[
            (table["trust"] == code) & (table["time_period"] == year) & (table["phase"] == "total")
        ]
        found = (int(row["compared"].sum()), int(row["at_or_better"].sum()))
        assert found == (compared, expected), (year, found)
    report = trust_report(site, name)  # by its published name, in capitals
    last = next(r for r in report.at_or_better.rows if r["year"] == "2018/19")
    assert last["overall"] == float(expected)
    assert f"{expected:,} of its {compared:,} schools" in " ".join(report.summary)


def test_the_trust_page_states_membership_and_never_counts_earlier_urns(site):
    report = trust_report(site, "beckfoot-trust")
    text = " ".join(report.notices)
    assert "January 2023" in text
    assert "joining or leaving" in text
    assert "before it joined" in text or "before they joined" in text
    assert report.schools is not None
    later = site.schools.later
    counted = set(site.schools.members("beckfoot-trust"))
    assert not counted & set(later["earlier"])  # an earlier URN is listed, never counted
    assert report.phases is not None and {r["phase"] for r in report.phases.rows} >= {
        "State-funded primary",
        "State-funded secondary",
        "Special",
        "All its schools",
    }
    index = trusts_index_report(site)
    listed = {r["trust"]: r["trust__href"] for r in index.trusts.rows}
    for name in TRUSTS:
        assert listed[trust_display_name(name)] == f"trust/{slug(name)}.html"


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("THE DIOCESE OF ELY MULTI-ACADEMY TRUST", "The Diocese of Ely Multi-Academy Trust"),
        ("THE UCL ACADEMY", "The UCL Academy"),
        ("ASPIRE LEARNING TRUST (WHITTLESEY)", "Aspire Learning Trust (Whittlesey)"),
        ("KING'S CROSS ACADEMY TRUST", "King's Cross Academy Trust"),
        ("ARDEN FOREST C OF E MULTI ACADEMY TRUST", "Arden Forest C of E Multi Academy Trust"),
        ("The North Tyneside Learning Trust", "The North Tyneside Learning Trust"),
        ("ST LUKE'S CHURCH OF ENGLAND SCHOOL", "St Luke's Church of England School"),
    ],
)
def test_trust_names_in_capitals_are_shown_in_title_case(published, shown):
    assert trust_display_name(published) == shown


def test_a_trust_page_gives_the_name_as_dfe_spells_it(bundled_site):
    """Names are shown in ordinary letters for reading, and the page says how DfE spells it."""

    report = trust_report(bundled_site, "united-learning-trust")
    assert report.name == "United Learning Trust"
    assert (
        "DfE's school census writes the trust's name in capital letters (\"UNITED LEARNING "
        'TRUST"); this site writes it in ordinary letters, which are easier to read.'
    ) in report.notices


def test_one_member_under_an_earlier_urn_takes_the_singular(bundled_site):
    """United Learning Trust has 1 member in the bundled data whose figures are under an
    earlier URN; the Diocese of Ely MAT has 2."""

    bundled = bundled_site
    one = " ".join(trust_report(bundled, "united-learning-trust").notices)
    assert (
        "1 of its schools in January 2023 has figures here only from before it joined (under "
        "an earlier URN): it is listed below and not counted." in one
    )
    two = " ".join(trust_report(bundled, "the-diocese-of-ely-multi-academy-trust").notices)
    assert (
        "2 of its schools in January 2023 have figures here only from before they joined "
        "(under an earlier URN): they are listed below and not counted." in two
    )


@pytest.fixture(scope="module")
def published_england(absence_path) -> dict[str, str]:
    """England's overall absence rate in 2018/19 by phase, as the file publishes it (national
    rows carry 1 d.p.)."""
    phases = {"State-funded primary": "primary", "State-funded secondary": "secondary"}
    phases |= {"Special": "special", "Total": "total"}
    with gzip.open(absence_path, "rt", encoding="utf-8", newline="") as handle:
        return {
            phases[row["school_type"]]: row["sess_overall_percent"]
            for row in csv.DictReader(handle)
            if row["time_period"] == "201819" and row["geographic_level"] == "National"
        }


def _hand(by_hand, name):
    sums, england, _ = by_hand
    total = sums[(name, "201819", "total")]
    rate = total["sess_overall"] / total["sess_possible"] * 100
    return (
        int(total["schools"]),
        rate,
        {p: o / q * 100 for (y, p), (o, q) in england.items() if y == "201819"},
    )


def test_a_trust_of_primary_schools_is_compared_with_englands_primary_schools(
    site, by_hand, published_england
):
    """The Diocese of Ely MAT has primary schools only: its lead sentence, chart and overview
    compare it with England's primary rate (4.0% in 2018/19), not all schools' (4.7%)."""
    name = "THE DIOCESE OF ELY MULTI-ACADEMY TRUST"
    schools, rate, england = _hand(by_hand, name)
    assert published_england["primary"] == "4.0" and published_england["total"] == "4.7"
    assert percent(england["primary"]) == "4.0%"  # the hand sum, as the file publishes it
    report = trust_report(site, name)
    assert report.summary[0] == (
        f"In 2018/19, pupils at the {schools} schools of The Diocese of Ely Multi-Academy Trust "
        f"with figures missed {percent(rate)} of their possible sessions, compared with "
        "4.0% across England's state-funded primary schools."
    )
    figure = dict((f.name, f.figure) for f in report.figures)["overall_england"]
    assert figure.value == pytest.approx(england["primary"], rel=1e-12)
    chart = report.chart
    assert chart.subtitle.endswith("and England's state-funded primary schools")
    assert "compared with England's state-funded primary schools" in chart.alt
    line = chart.series[1]
    assert line.label == "England (primary)"
    assert line.y[line.x.index("2018/19")] == pytest.approx(england["primary"], rel=1e-12)
    assert chart.table.columns[-1].label == "England (primary)"
    last = next(r for r in chart.table.rows if r["year"] == "2018/19")
    assert last["s1"] == pytest.approx(england["primary"], rel=1e-12)
    overview = trust_overview_report(site, name)
    compared = next(s for s in overview.sections if s.id == "benchmarks")
    figures = {f.name: f.figure for f in compared.figures}
    assert figures["overall_england"].value == pytest.approx(england["primary"], rel=1e-12)
    assert compared.sentences[0] == (
        "In 2018/19, The Diocese of Ely Multi-Academy Trust's overall absence rate was "
        f"{percent(rate)}: higher than England's state-funded primary schools (4.0%)."
    )
    assert [c.label for c in compared.table.columns][-1] == "England (primary)"


def test_a_trust_of_several_phases_says_englands_figure_is_a_different_mix(
    site, by_hand, published_england
):
    """Beckfoot Trust has primary, secondary and special schools: England's all-schools rate,
    said plainly to be a different mix of phases."""
    name = "BECKFOOT TRUST"
    schools, rate, england = _hand(by_hand, name)
    assert percent(england["total"]) == f"{published_england['total']}%" == "4.7%"
    report = trust_report(site, name)
    assert report.summary[0] == (
        f"In 2018/19, pupils at the {schools} schools of Beckfoot Trust with figures missed "
        f"{percent(rate)} of their possible sessions, compared with 4.7% across all England's "
        "state-funded primary, secondary and special schools — a different mix of phases: see "
        "the table by phase."
    )
    chart = report.chart
    line = chart.series[1]
    assert line.label == "England (all phases)"
    assert line.y[line.x.index("2018/19")] == pytest.approx(england["total"], rel=1e-12)
    assert "all England's state-funded primary, secondary and special schools" in chart.subtitle
    overview = trust_overview_report(site, name)
    compared = next(s for s in overview.sections if s.id == "benchmarks")
    figures = {f.name: f.figure for f in compared.figures}
    assert figures["overall_england"].value == pytest.approx(england["total"], rel=1e-12)
    assert compared.sentences[-1] == (
        "England's figures are for all its state-funded primary, secondary and special "
        "schools, a different mix of phases from the trust's: see the figures by phase."
    )


def test_trust_pages_say_so_when_no_trust_school_has_figures(repo, tmp_path):
    """Data whose schools with figures are none of them in a trust (no trust rows at all):
    each trust page and the index are still made and say so (it once stopped the build)."""
    import shutil

    from attendance_reports.model.assemble_trust import built_trusts
    from attendance_reports.model.site_data import site_data
    from tests.conftest import keep_schools

    data = tmp_path / "data"
    shutil.copytree(repo / "data", data)
    keep_schools(data, 6, academies=False)
    site = site_data(data)
    assert not len(site.trust_table)
    trusts = built_trusts(site, ("202", "873"))
    assert trusts
    for code in trusts:
        assert "has figures in 2018/19 under the URN it had in January 2023" in " ".join(
            trust_report(site, code).summary
        )
    assert len(trusts_index_report(site, ("202", "873")).links) == len(trusts)
