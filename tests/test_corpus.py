"""The real-file corpus (issue #14): every file and zip of the shared DfE data, on its own.

Default run: every file validates alone (exit 0, its family named; documentation and unused
lookups recognised and skipped with the reason, never "unknown"), the check fails on a
corpus with a file of a kind no source module reads, and one representative file per family
is built alone (and all of them together with the bundled data/). The every-file build sweep
is marked ``corpus`` (``make corpus``, run by .ci/run after ``make test``).

Under CI=true missing shared data is a failure, never a skip (conftest.need_shared).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from corpus_check import (
    build_alone,
    check_corpus,
    corpus_files,
    page_text,
    validate_file,
    wording_problems,
    write_config,
)

from tests.conftest import SHARED, need_shared

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"

#: files that are documentation, lookups no page reads, boundary parts or an EES subject no
#: page shows: validate skips them with a reason; a site of one of them alone is refused
NO_FIGURES = (
    "README.md",
    "absence/data-guidance_absence_2term_202122.txt",
    "absence/ees_2016-17/pupil_absence_footnotes.csv",
    "attendance/Tech_guidance_la.csv",
    "attendance/characteristics_202223/data-guidance.txt",
    "attendance/characteristics_202223/ees_pa_chart.csv",
    "lait/lait_data_dictionary.csv",
    "reference/ethnicity.csv",
    "reference/sen.csv",
    "reference/school-types.csv",
    "reference/ltla_utla_lookup_apr2023.csv",
    "reference/boundaries/CTYUA_MAY_2023_UK_BUC.shp.xml",
    "reference/boundaries/CTYUA_MAY_2023_UK_BUC.dbf",
)


def _files() -> list[str]:
    if not SHARED.exists():
        return ["<shared data missing>"]
    return [p.relative_to(SHARED).as_posix() for p in corpus_files(SHARED)]


@pytest.mark.parametrize("relative", _files())
def test_every_file_validates_alone_with_its_family_named(relative: str) -> None:
    checked = validate_file(need_shared(relative))
    assert checked.problem == "", checked.output
    if relative in NO_FIGURES or relative.endswith((".md", ".txt", ".xml")):
        assert checked.skipped, checked.output
        assert ": " in checked.output.split("skipped", 1)[1]  # the reason


def test_documentation_and_lookups_are_named_for_what_they_are() -> None:
    said = {
        "attendance/Tech_guidance_la.csv": "EES technical guidance",
        "lait/lait_data_dictionary.csv": "LAIT's data dictionary",
        "absence/ees_2016-17/pupil_absence_footnotes.csv": "EES footnotes",
        "absence/data-guidance_absence_2term_202122.txt": "EES data guidance",
        "reference/ethnicity.csv": "ethnicity",
        "reference/ltla_utla_lookup_apr2023.csv": "lower- to upper-tier",
        "reference/boundaries/CTYUA_MAY_2023_UK_BUC.shp.xml": "metadata",
        "attendance/characteristics_202223/ees_pa_chart.csv": "EES chart",
    }
    for relative, words in said.items():
        checked = validate_file(need_shared(relative))
        assert words in checked.output, checked.output
        assert "0 files valid" in checked.output


def test_the_boundary_shapefile_is_read_alone() -> None:
    checked = validate_file(need_shared("reference/boundaries/CTYUA_MAY_2023_UK_BUC.shp"))
    assert checked.problem == ""
    assert "boundaries, 153 rows" in checked.output  # England's 153 upper-tier LAs


def test_the_check_fails_when_a_file_of_an_unknown_kind_is_added(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "reference").mkdir(parents=True)
    for relative in ("reference/regions.csv", "reference/sen.csv", "README.md"):
        shutil.copy(need_shared(relative), corpus / relative)
    assert check_corpus(corpus) == []
    (corpus / "new_release.csv").write_text(
        "time_period,geographic_level,country_code,exclusions_fixed,exclusions_perm\n"
        "202324,National,E92000001,786961,9376\n"
    )
    (corpus / "sheet.csv").write_text("Name,Value\nA,1\n")
    problems = check_corpus(corpus)
    assert len(problems) == 2, problems
    assert any("new_release.csv" in p and "no source module" in p for p in problems), problems
    assert any("sheet.csv" in p and "no source module" in p for p in problems), problems


# ---- builds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative", ["reference/sen.csv", "README.md", "lait/lait_data_dictionary.csv"]
)
def test_a_file_with_no_figures_alone_is_refused_in_one_line(relative: str, tmp_path: Path) -> None:
    out = tmp_path / "site"
    code, output = build_alone([need_shared(relative)], out, write_config(tmp_path))
    assert code == 2, output
    error = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(error) == 1, output
    assert "add" in error[0] and "pupil absence file" in error[0], error[0]
    assert not out.exists()
    assert not list(tmp_path.glob(".site*"))  # no half-built folder left


def test_a_school_level_four_year_olds_file_builds_alone_and_says_whose_figures(
    tmp_path: Path,
) -> None:
    path = need_shared("absence/ees_2016-17/absence_for_four_year_olds.zip")
    out = tmp_path / "site"
    started = time.perf_counter()
    code, output = build_alone([path], out, write_config(tmp_path), ("201",))
    assert code == 0, output
    assert (out / "national.html").exists() and (out / "la" / "201.html").exists()
    assert list((out / "school").glob("*.html"))  # the file has school rows: school pages
    for page in ("national.html", "la/201.html"):
        text = page_text(out / page)
        assert "four-year-olds" in text, page
        assert "primary, secondary and special" not in text, page
        assert "state-funded schools (four-year-olds)" in text
        # the file publishes overall absence only: no empty chart, no column of [x]
        assert "The files give no authorised absence, unauthorised absence, persistent " in text
        assert "Persistent absence rate (10% or more) in " not in text, page  # no chart
        assert "COVID-19" not in text and "five half terms" not in text  # 2012/13-2016/17
    national = page_text(out / "national.html")
    assert (
        "Not in the files: Authorised absence rate, Unauthorised absence rate, Persistent "
        "absence rate (10% or more), Severe absence rate (50% or more)." in national
    )
    print(f"four-year-olds alone: {time.perf_counter() - started:.1f} s")


def test_a_national_characteristics_file_builds_alone(tmp_path: Path) -> None:
    path = need_shared("absence/absence_natcharacteristics_201213_201617.csv")
    out = tmp_path / "site"
    code, output = build_alone([path], out, write_config(tmp_path))
    assert code == 0, output
    text = page_text(out / "national.html")
    assert "2016/17" in text and "state-funded" in text
    assert not list((out / "la").glob("*.html")) if (out / "la").exists() else True


#: one file per family, built together with data/ in the default run (the sweep builds each)
REPRESENTATIVES = (
    "absence/ees_2016-17/absence_for_four_year_olds.zip",
    "absence/absence_natcharacteristics_201213_201617.csv",
    "lait/lait_absence_measures_long.csv",
    "attendance/ytd_202425_education_phase_layout/EES_ytd_data.csv",
    "attendance/EES_ytd_data_202324_autumn_spring.csv",
    "attendance/persistent_absence_202425/week_29_persistent_absence.csv",
    "attendance/characteristics_202223/aut_fsm.csv",
    "absence/absence_cin_cla_la_201819_202425.csv",
    "reference/sen.csv",
    "README.md",
    "reference/boundaries/CTYUA_MAY_2023_UK_BUC.shp",
    "absence/ees_2016-17/absence_rate_percent_bands.zip",
)


def test_one_file_of_each_family_builds_with_the_bundled_data(tmp_path: Path) -> None:
    """data/ (which holds extracts of the census, LAIT and in-year files) plus a file of each
    family: rows both hold with the same figures are read once, and the site is the state-funded
    one (four-year-olds are their own population, never mixed into its series)."""
    paths = [REPO / "data", *(need_shared(r) for r in REPRESENTATIVES)]
    out = tmp_path / "site"
    started = time.perf_counter()
    code, output = build_alone(paths, out, write_config(tmp_path, schools=False), ("935",))
    assert code == 0, output
    for page in ("national.html", "this-year.html", "la/935.html", "la/935-this-year.html"):
        assert (out / page).exists(), page
    text = page_text(out / "national.html")
    assert "state-funded primary, secondary and special schools" in text
    assert "four-year-olds" not in text.split("Files")[0]
    print(f"data/ + {len(REPRESENTATIVES)} files: {time.perf_counter() - started:.1f} s")


#: a file without census absence rows, alone: (file, the pages Cambridgeshire (873) gets, the
#: page the home page links it to, what the home page says the figures are, a sentence of an
#: LA page)
ALONE = (
    (
        "attendance/EES_ytd_data_202425.csv",
        ("la/873-this-year",),
        "in-year attendance in 2024/25",
        "In 2024/25, year to date, pupils in Cambridgeshire's state-funded schools missed 6.6% "
        "of their possible sessions, compared with 6.9% across England.",
    ),
    (
        "lait/lait_absence_measures_long.csv",
        ("la/873", "la/873-overview"),
        "LAIT rates to 2024/25",
        "In 2024/25, pupils in Cambridgeshire's state-funded primary, secondary and special "
        "schools missed 6.6% of their possible sessions, compared with 6.8% across England.",
    ),
    (
        "absence/absence_bands_la_characteristics_201617_202223.csv.gz",
        ("la/873-groups",),
        "pupil-group figures to 2022/23",
        "In 2022/23, the widest gap in persistent absence in Cambridgeshire was for pupils "
        "eligible for free school meals: their rate was 24.1 percentage points higher",
    ),
    (
        "absence/absence_cin_cla_la_201819_202425.csv",
        ("la/873-groups",),
        "pupil-group figures to 2024/25",
        "Looked after for 12 months or more (vs all pupils) 237 15.2%",
    ),
    (
        "attendance/characteristics_202223/aut_fsm.csv",
        ("la/873-this-year",),
        "in-year attendance in 2022/23",
        "47.8% of pupils eligible for free school meals in Cambridgeshire's state-funded "
        "secondary schools were persistently absent, against 22.0% of those not eligible",
    ),
    (
        "attendance/export_pa_output_2024_01_22.csv",
        ("la/873-this-year",),
        "in-year attendance in 2023/24",
        "Year to date (the persistent absence export) 18.4% 20.3% 19.3% 18.8%",
    ),
    (
        "attendance/persistent_absence_202425/week_29_persistent_absence.csv",
        ("la/873-this-year",),
        "in-year attendance in 2024/25",
        "Persistent absence to date",
    ),
    (
        "absence/ees_2016-17/absence_number_missing_at_least_one_session_by_reason.zip",
        ("la/873",),
        "enrolments missing at least one session by reason in 2016/17",
        "In 2016/17, 92.3% of enrolments in Cambridgeshire's state-funded primary, secondary "
        "and special schools missed at least one session over the full academic year, compared with "
        "91.8% in East of England and 91.8% across England.",
    ),
)


@pytest.mark.parametrize(("relative", "pages", "held", "sentence"), ALONE)
def test_a_file_without_census_rows_builds_alone(
    relative: str, pages: tuple[str, ...], held: str, sentence: str, tmp_path: Path
) -> None:
    """Any subset builds (issue #14 item 4): an LA gets the pages its figures make and no
    other, the home page links each LA to its first page and says what the figures are, and
    no page links to a page the site does not have."""
    out = tmp_path / "site"
    code, output = build_alone([need_shared(relative)], out, write_config(tmp_path), ("873",))
    assert code == 0, output
    built = {str(p.relative_to(out).with_suffix("")) for p in out.rglob("*.html")}
    assert {b for b in built if b.startswith("la/")} == set(pages)
    home = page_text(out / "index.html")
    assert f"published statistics: {held}." in home
    assert f'href="{pages[0]}.html"' in (out / "index.html").read_text()
    assert sentence in page_text(out / f"{pages[0]}.html")
    if "la/873" not in pages:
        assert "school census figures on the" not in page_text(out / f"{pages[0]}.html")
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#:]+\.html)', page.read_text()):
            assert (page.parent / href).resolve().exists(), (page, href)


def test_the_missed_by_reason_file_alone_gives_england_and_the_la_and_no_census_wording(
    tmp_path: Path,
) -> None:
    """Enrolments missing a session by reason alone: England's page and the LA's, each leading
    with the figures it has; every other part of the page says the files have none (no
    headline, chart or comparison notice); no school pages (no page shows a school's)."""
    path = need_shared(
        "absence/ees_2016-17/absence_number_missing_at_least_one_session_by_reason.zip"
    )
    out = tmp_path / "site"
    code, output = build_alone([path], out, write_config(tmp_path), ("873",))
    assert code == 0, output
    assert not (out / "school").exists()
    for page, name in (("national.html", "England"), ("la/873.html", "Cambridgeshire")):
        text = page_text(out / page)
        assert (
            f"The files this site was built from give {name}'s enrolments missing at least one "
            "session by reason in 2016/17 (state-funded primary, secondary and special schools, "
            "full academic year) and no other figures for it" in text
        ), page
        assert text.count("have no figures for this part of the page") >= 4, page
        assert "Data to 2016/17" in text
        assert "<svg" not in (out / page).read_text()  # no chart, empty or not
        assert "The files given do not include" not in text  # no census comparisons to miss
        assert "possible sessions" not in text  # no census sentence
    home = page_text(out / "index.html")
    assert "England: enrolments missing at least one session by reason" in home
    assert "Choose a local authority for its enrolments missing at least one session" in home
    notes = page_text(out / "release-notes.html")
    assert "This release shows data to 2016/17: enrolments missing at least one session" in notes


@pytest.mark.parametrize("las", [(), ("873",)])
def test_the_one_point_bands_file_alone_gives_englands_page(
    las: tuple[str, ...], tmp_path: Path
) -> None:
    """England's one-point bands alone (with or without --la: the file has no LA): England's
    page with its bands section, the other parts saying the files have none; no LA page."""
    path = need_shared("absence/ees_2016-17/absence_rate_percent_bands.zip")
    out = tmp_path / "site"
    code, output = build_alone([path], out, write_config(tmp_path), las)
    assert code == 0, output
    said = (
        "Note: No LA pages for 873: the files given have no LA's figures (England's only), so "
        "the site has England's pages and its home page says so"
    )
    assert (said in output) == bool(las), output
    built = {str(p.relative_to(out).with_suffix("")) for p in out.rglob("*.html")}
    assert built == {
        "index",
        "national",
        "methodology",
        "accessibility",
        "about",
        "release-notes",
        "search",
    }
    home = page_text(out / "index.html")
    assert (
        "Absence figures for England, from the Department for Education's published "
        "statistics: enrolments by one-point overall absence band in 2016/17." in home
    )
    assert "The files this site was built from have no figures for any local authority." in home
    assert (
        'href="national.html">England: enrolments by one-point overall absence band'
        in (out / "index.html").read_text()
    )
    england = page_text(out / "national.html")
    assert (
        "In 2016/17, 10.8% of enrolments in England's state-funded primary, secondary and "
        "special schools had an overall absence rate of 10% or more (persistent absence), "
        "summed from the one-point bands (state-funded primary 8.3%, state-funded secondary "
        "13.5%, special 28.5%)." in england
    )
    assert england.count("have no figures for this part of the page") == 5
    assert "<svg" not in (out / "national.html").read_text()
    assert "possible sessions" not in england
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#:]+\.html)', page.read_text()):
            assert (page.parent / href).resolve().exists(), (page, href)


def test_a_school_reference_file_alone_is_refused_in_one_line(tmp_path: Path) -> None:
    """A file of names and places holds no figures: refused, nothing written."""
    out = tmp_path / "site"
    relative = "reference/schools/gias_establishments_20220706.csv"
    code, output = build_alone([need_shared(relative)], out, write_config(tmp_path), ("873",))
    assert code == 2, output
    assert (
        output.strip()
        .splitlines()[-1]
        .startswith(
            "Error: no figures a page can show: gias_establishments_20220706.csv (school reference"
        )
    )
    assert not out.exists()


# ---- the every-file sweep (make corpus) ----------------------------------------------------

#: LAs tried in turn for a build of one file (the first the file has); data/ has all three
CANDIDATE_LAS = ("201", "935", "873")
#: families refused alone, in one line: files of names and places (no figures)
REFUSED_ALONE = ("school reference",)


def _build_one(paths: list[Path], tmp_path: Path, name: str) -> tuple[int, str, Path, str]:
    config = write_config(tmp_path)
    for la in CANDIDATE_LAS:
        out = tmp_path / f"{name}-{la}"
        code, output = build_alone(paths, out, config, (la,))
        if "no such LA in the data" not in output:
            return code, output, out, la
    out = tmp_path / f"{name}-all"
    code, output = build_alone(paths, out, config)
    return code, output, out, ""


@pytest.mark.corpus
@pytest.mark.parametrize("relative", _files())
def test_every_file_builds_alone_and_with_the_bundled_data(relative: str, tmp_path: Path) -> None:
    path = need_shared(relative)
    checked = validate_file(path)
    started = time.perf_counter()
    code, output, out, la = _build_one([REPO / "data", path], tmp_path, "with-data")
    assert code == 0, output
    assert (out / "index.html").exists()
    if la:
        assert (out / "la" / f"{la}.html").exists()
    if (
        checked.skipped
        or set(checked.populations) <= {"none"}  # a lookup: no pupils, no figures
        or checked.kinds == ("boundaries",)
        or checked.kinds[0].startswith(REFUSED_ALONE)
    ):
        code, output, out, _ = _build_one([path], tmp_path, "alone")
        assert code == 2, output
        assert [line for line in output.splitlines() if line.startswith("Error:")]
        assert "add a DfE pupil absence file" in output
        assert not out.exists()
    else:
        code, output, out, la = _build_one([path], tmp_path, "alone")
        assert code == 0, output
        assert (out / "index.html").exists()
        assert wording_problems(checked, out) == [], (checked.output, la)
    print(f"{relative}: {time.perf_counter() - started:.1f} s")
