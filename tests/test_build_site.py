"""End-to-end build of a small site from the bundled extract, with the pandoc engine."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

from attendance_reports.errors import AttendanceReportsError
from attendance_reports.site.build import build
from attendance_reports.site.config import Config


@pytest.fixture(scope="module")
def small_site(repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "_site"
    result = build(
        Config(), [repo / "data"], out, "pandoc", ("202",), jobs=2, reports=repo / "reports"
    )
    assert result.pages > 10
    return out


def test_every_page_type_is_built(small_site):
    for page in (
        "index.html",
        "national.html",
        "la/202.html",
        "methodology.html",
        "accessibility.html",
        "about.html",
        "search.html",
        "search-index.js",
        "assets/site.css",
    ):
        assert (small_site / page).is_file(), page
    schools = list((small_site / "school").glob("*.html"))
    assert len(schools) >= 50  # Camden's schools in 2018/19
    la = (small_site / "la" / "202.html").read_text(encoding="utf-8")
    assert "Camden: pupil absence" in la and "London" in la
    assert "http://" not in la.replace("http://www.w3.org", "")  # no external requests
    for ref in ("202-trend-overall.svg", "202-benchmarks.csv"):
        assert (small_site / "la" / ref).is_file()


def test_same_inputs_give_the_same_bytes(repo, small_site, tmp_path, digest):
    again = tmp_path / "_site"
    build(Config(), [repo / "data"], again, "pandoc", ("202",), jobs=1, reports=repo / "reports")
    assert digest(again) == digest(small_site)


def test_a_failed_build_leaves_the_previous_site(repo, tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    (out / "index.html").write_text("previous site", encoding="utf-8")
    with pytest.raises(AttendanceReportsError):
        build(Config(), [repo / "data"], out, "pandoc", ("999",), reports=repo / "reports")
    assert (out / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]  # no half-written folder


def test_hostile_names_are_escaped_everywhere(repo, tmp_path):
    """LA names with <script>, HTML and =HYPERLINK( show as text and are neutralised in CSV."""
    source = repo / "data" / "absence_2006-07_to_2018-19_extract.csv.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        text = handle.read()
    evil = '=HYPERLINK("http://evil.example")<script>alert(1)</script><b>Camden</b>'
    text = text.replace(",Camden,", f',"{evil.replace(chr(34), chr(34) * 2)}",')
    data = tmp_path / "data"
    data.mkdir()
    (data / "absence.csv").write_text(text, encoding="utf-8")
    out = tmp_path / "_site"
    build(Config(), [data], out, "pandoc", ("202",), jobs=1, reports=repo / "reports")
    page = (out / "la" / "202.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page and "<b>Camden" not in page
    assert "&lt;script&gt;alert(1)" in page
    csv = (out / "la" / "202-benchmarks.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    index = (out / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in index
    first = index.splitlines()[0]  # the pages; the compact list of named schools follows
    entries = json.loads(first.removeprefix("window.SEARCH_INDEX = ").rstrip().rstrip(";"))
    assert any(e["t"] == f"{evil}: pupil absence" for e in entries)  # data, shown as text


def test_names_with_an_apostrophe_are_shown_as_published(small_site):
    """Real names with a straight apostrophe (Fitzjohn's Primary School, URN 100026, from the
    school census table; King's Cross Academy Trust) keep it in the page title, the heading
    and the breadcrumbs: pandoc's smart quotes never turn them into "Fitzjohn’s"."""
    school = (small_site / "school" / "100026.html").read_text(encoding="utf-8")
    name = "Fitzjohn's Primary School, London (URN 100026)"
    assert f"<title>{name}: pupil absence – School attendance and absence</title>" in school
    assert f"<h1>{name}: pupil absence</h1>" in school
    assert f'<a href="../school/100026.html" aria-current="page">{name}</a></li>' in school
    trust = (small_site / "trust" / "king-s-cross-academy-trust.html").read_text(encoding="utf-8")
    assert "<h1>King's Cross Academy Trust: pupil absence in its schools</h1>" in trust
    assert "’" not in school + trust


def test_a_trust_of_one_school_says_school(small_site):
    """Counts take their noun from one helper (formatting.counted): never '1 schools'."""
    page = (small_site / "trust" / "the-ucl-academy.html").read_text(encoding="utf-8")
    assert "pupils at the 1 school of The UCL Academy with figures missed 5.6%" in page
    assert (
        "<p>0 of its 1 school had overall absence at or below England&#x27;s rate for their "
        "phase in 2018/19, against 1 of 1 in 2017/18.</p>"
    ) in page
    assert "1 schools" not in page


def test_quarto_style_numeric_parameters(repo, bundled_site):
    """`quarto render reports/la.qmd -P la_code:873` passes 873 as a number."""
    from attendance_reports.model.assemble import la_report
    from attendance_reports.model.assemble_school import school_report

    site = bundled_site
    assert la_report(site, 873).title == "Cambridgeshire: pupil absence"
    urn = site.schools_of("873")["code"].iloc[0]
    assert school_report(site, int(urn)).urn == urn


def test_template_runs_as_quarto_would_run_it(repo, tmp_path, monkeypatch):
    """No build context: the parameters cell's defaults load ../data, -P overrides la_code,
    and the chart and CSV files are written beside the document (as Quarto expects)."""
    from attendance_reports.render.page_sources import execute, load_template

    (tmp_path / "reports").mkdir()
    (tmp_path / "data").symlink_to(repo / "data")
    for template in (repo / "reports").glob("*.qmd"):
        (tmp_path / "reports" / template.name).write_text(template.read_text())
    monkeypatch.chdir(tmp_path / "reports")
    front, body, _ = execute(load_template(tmp_path / "reports" / "la.qmd"), {"la_code": 202})
    assert front["title"].startswith("Camden")
    assert "headline-value" in body
    assert (tmp_path / "reports" / "202-trend-overall.svg").is_file()
    assert (tmp_path / "reports" / "202-benchmarks.csv").is_file()


def test_under_quarto_a_template_writes_into_its_files_folder(repo, tmp_path, monkeypatch):
    """Run by Quarto (QUARTO_DOCUMENT_FILE set), the charts and CSV files go into Quarto's own
    la_files/ folder (git-ignored; Quarto moves it to the output), linked from there."""
    from attendance_reports.render.page_sources import execute, load_template

    (tmp_path / "reports").mkdir()
    (tmp_path / "data").symlink_to(repo / "data")
    for template in (repo / "reports").glob("*.qmd"):
        (tmp_path / "reports" / template.name).write_text(template.read_text())
    monkeypatch.chdir(tmp_path / "reports")
    monkeypatch.delenv("QUARTO_EXECUTE_INFO", raising=False)  # an older Quarto: these two
    monkeypatch.setenv("QUARTO_PROJECT_ROOT", str(tmp_path))
    monkeypatch.setenv("QUARTO_DOCUMENT_PATH", "reports")  # relative under `quarto preview`
    monkeypatch.setenv("QUARTO_DOCUMENT_FILE", "la.qmd")
    _, body, _ = execute(load_template(tmp_path / "reports" / "la.qmd"), {"la_code": 202})
    files = tmp_path / "reports" / "la_files" / "data"
    assert (files / "202-trend-overall.svg").is_file() and (files / "202-benchmarks.csv").is_file()
    assert 'src="la_files/data/202-trend-overall.svg"' in body
    assert sorted(p.name for p in (tmp_path / "reports").iterdir() if p.is_file()) == sorted(
        t.name for t in (repo / "reports").glob("*.qmd")
    )  # nothing else beside the templates


def test_overview_page_and_pdf_are_built_and_linked(small_site):
    """Camden has census counts: its LA page links an overview page, which links its PDF."""
    la = (small_site / "la" / "202.html").read_text(encoding="utf-8")
    assert 'href="../la/202-overview.html"' in la and 'href="../la/202-overview.pdf"' in la
    overview = (small_site / "la" / "202-overview.html").read_text(encoding="utf-8")
    assert 'href="202-overview.pdf"' in overview
    assert (small_site / "la" / "202-overview.pdf").read_bytes().startswith(b"%PDF")


def test_pdf_command(repo, tmp_path):
    from click.testing import CliRunner

    from attendance_reports.cli import main

    out = tmp_path / "camden.pdf"
    result = CliRunner().invoke(main, ["pdf", str(repo / "data"), "--la", "202", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and not out.with_name("camden.pdf.tmp").exists()


def test_build_after_a_pdf_in_the_same_process_does_not_hang(repo, tmp_path):
    """Typst's threads do not survive fork(): after a PDF, the build must not fork workers."""
    import subprocess
    import sys

    script = f"""
from pathlib import Path
from attendance_reports.site.build import build
from attendance_reports.site.config import Config
from attendance_reports.render.engines.typst_pdf import overview_pdf
from attendance_reports.model.overview import overview_report
from attendance_reports.model.site_data import site_data
overview_pdf(overview_report(site_data(Path({str(repo / "data")!r})), "202"))
result = build(Config(), [Path({str(repo / "data")!r})], Path({str(tmp_path / "site")!r}),
               "pandoc", ("202",), jobs=2, reports=Path({str(repo / "reports")!r}))
print(result.pages)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip().splitlines()[-1]) > 50


def test_an_la_pages_table_of_schools_shows_each_schools_own_figures(repo, bundled_site):
    """The LA page's table of schools (looked up for all schools at once) agrees, school by
    school, with each school's own values: Cambridgeshire, 2018/19, every school."""
    import math

    from attendance_reports.model.assemble import la_report

    site = bundled_site
    table = la_report(site, "873").schools_table
    schools = site.schools_of("873")
    assert len(table.rows) == len(schools) > 250
    rows = {row["urn"]: row for row in table.rows}  # the table is in name order
    for school in schools.to_dict("records"):
        row = rows[school["urn"]]
        own = site.values("school", school["code"])
        for key in ("enrolments", "overall_absence_rate", "persistent_absence_rate"):
            value, status, _ = own[(site.latest_census_year, school["phase"], key)]
            assert row[f"{key}__status"] == status
            assert row[key] == value or (math.isnan(row[key]) and math.isnan(value))


def test_loaded_data_is_kept_for_a_few_folders_and_read_again_when_a_file_changes(
    repo, tmp_path, monkeypatch
):
    """``site_data.loaded``: a process going back and forth between folders reads each once;
    a changed file is read again."""
    from attendance_reports.model import site_data as module

    monkeypatch.setattr(module, "_LAST", {})
    reads = []
    real_load = module.load
    monkeypatch.setattr(
        module, "load", lambda paths, strict: reads.append(paths) or real_load(paths, strict=strict)
    )
    folders = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        shutil.copy(repo / "tests" / "fixtures" / "absence_2term_new_layout.csv", folder)
        folders.append(folder)
    first = module.loaded([folders[0]])
    module.loaded([folders[1]])
    assert module.loaded([folders[0]]) is first and len(reads) == 2
    changed = folders[0] / "absence_2term_new_layout.csv"
    os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 10**9))
    assert module.loaded([folders[0]]) is not first and len(reads) == 3
