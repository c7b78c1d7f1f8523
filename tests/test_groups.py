"""Pupil groups: the band file reproduces DfE's published national figures, LA group rates
equal hand sums of the file, spellings of groups are read alike, GRT is a ratio of sums, and
the small-number policy leaves nothing small or recoverable on a public page."""

from __future__ import annotations

import csv
import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from attendance_reports.indicators.groups import gaps, group_rates
from attendance_reports.model.disclosure import DEFAULT_THRESHOLD, PARTITIONS, suppress
from attendance_reports.render.formatting import round_half_up_array
from attendance_reports.sources.group_labels import classify, describe
from attendance_reports.sources.load import load

BANDS = "absence/absence_bands_la_characteristics_201617_202223.csv.gz"
NATCHAR = "absence/absence_natcharacteristics_201213_201617.csv"
FIXTURE = Path(__file__).parent / "fixtures" / "absence_characteristics_new_layout.csv"


@pytest.fixture(scope="module")
def band_path(shared_data) -> Path:
    return shared_data / BANDS


@pytest.fixture(scope="module")
def band_rates(band_path) -> pd.DataFrame:
    return group_rates(load([band_path]).groups)


def _rate(rates, level, code, year, topic, group, measure):
    row = rates[
        (rates["geographic_level"] == level)
        & (rates["code"] == code)
        & (rates["time_period"] == year)
        & (rates["topic"] == topic)
        & (rates["group"] == group)
        & (rates["measure"] == measure)
    ]
    assert len(row) == 1, (level, code, year, topic, group, measure)
    return row.iloc[0]


def _shown(value: float, places: int = 1) -> float:
    return float(round_half_up_array(np.array([value]), places)[0]) / 10**places


@pytest.mark.parametrize(
    ("year", "measure", "published"),
    [
        ("201617", "persistent_absence_rate", 10.8),
        ("201819", "persistent_absence_rate", 10.9),
        ("202021", "persistent_absence_rate", 12.1),
        ("202122", "persistent_absence_rate", 22.5),
        ("202223", "persistent_absence_rate", 21.2),
        ("202223", "severe_absence_rate", 2.0),
    ],
)
def test_band_file_reproduces_published_national_figures(
    band_rates, year, measure, published, record_property
):
    row = _rate(band_rates, "national", "E92000001", year, "all", "all", measure)
    assert _shown(row["value"]) == published
    record_property("figure", f"bands: England {measure} {year} = {published}% reproduced")


def test_band_file_england_2018_19_counts_equal_the_census(band_rates):
    row = _rate(
        band_rates, "national", "E92000001", "201819", "all", "all", "persistent_absence_rate"
    )
    assert (row["numerator"], row["denominator"]) == (771_863, 7_105_958)


def _hand(band_path: Path, la: str, year: str, column: str, value: str) -> tuple[int, int, int]:
    """Enrolments, persistent (10%+) and severe (50%+) absentees of one LA group, summed by
    hand from the file's band columns."""
    enrolments = persistent = severe = 0
    with gzip.open(band_path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if (
                row["geographic_level"] == "Local authority"
                and row["old_la_code"] == la
                and row["time_period"] == year
                and row[column] == value
            ):
                bands = [int(row[c]) for c in list(row)[15:26]]
                enrolments += sum(bands)
                persistent += sum(bands[2:])
                severe += bands[-1]
    return enrolments, persistent, severe


@pytest.mark.parametrize(
    ("la", "year", "column", "value", "topic", "group"),
    [
        ("873", "202223", "fsm_eligible", "Eligible", "fsm", "eligible"),
        ("202", "201819", "sen_status", "Any special educational need", "sen", "any_sen"),
        ("380", "202122", "NCyearActual", "9", "year", "year_9"),
        ("420", "201617", "gender", "Female", "sex", "female"),
    ],
)
def test_la_group_rates_equal_hand_sums(
    band_path, band_rates, la, year, column, value, topic, group
):
    enrolments, persistent, severe = _hand(band_path, la, year, column, value)
    assert enrolments > 0
    pa = _rate(band_rates, "la", la, year, topic, group, "persistent_absence_rate")
    assert (pa["numerator"], pa["denominator"]) == (persistent, enrolments)
    assert pa["value"] == persistent / enrolments * 100
    sa = _rate(band_rates, "la", la, year, topic, group, "severe_absence_rate")
    assert (sa["numerator"], sa["denominator"]) == (severe, enrolments)


def test_cambridgeshire_fsm_gap_against_not_eligible_and_england(band_rates):
    table = gaps(band_rates)
    row = table[
        (table["code"] == "873")
        & (table["time_period"] == "202223")
        & (table["group"] == "eligible")
        & (table["measure"] == "persistent_absence_rate")
    ].iloc[0]
    assert (row["group_numerator"], row["group_denominator"]) == (6503, 17547)
    assert row["gap"] == row["group_value"] - row["comparison_value"]
    assert _shown(row["gap"]) == 24.1
    assert _shown(row["national_gap"]) == 20.9
    # 2020/21 is not compared with 2018/19 across the 2019/20 gap
    after_gap = table[
        (table["code"] == "873")
        & (table["time_period"] == "202021")
        & (table["group"] == "eligible")
        & (table["measure"] == "persistent_absence_rate")
    ].iloc[0]
    assert after_gap["gap_change_status"] == "no-previous-year"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FSM_eligible", ("fsm", "eligible")),
        ("FSM: FSM eligible", ("fsm", "eligible")),
        ("fsm_eligible Not Eligible", ("fsm", "not_eligible")),
        ("FSM_eligible_in_last_6_years", None),
        ("First_language_Known_or_believed_to_be_other_than_English", ("language", "eal")),
        ("First language: Known or believed to be other than English", ("language", "eal")),
        ("SEN_provision_Statement_or_EHCP", ("sen", "ehcp")),
        ("SEN provision: EHC plan", ("sen", "ehcp")),
        ("SEN_provision_With_statement", ("sen", "ehcp")),
        ("Ethnicity_Minor_Gypsy_Roma", ("ethnicity", "gypsy_roma")),
        ("Ethnicity minor: Gypsy / Roma", ("ethnicity", "gypsy_roma")),
        ("Ethnicity minor: Gypsy/Roma", ("ethnicity", "gypsy_roma")),
        ("Gypsy, Roma", ("ethnicity", "gypsy_roma")),
        ("Traveller of Irish heritage", ("ethnicity", "traveller_irish")),
        ("Ethnicity_Major_White", None),
        ("NC_Year_12_and_above", None),
        ("gender Male", ("sex", "male")),
    ],
)
def test_group_labels_tolerate_dfe_spellings(text, expected):
    assert classify(text) == expected


def test_grt_is_a_ratio_of_sums(shared_data):
    groups = load([shared_data / NATCHAR]).groups
    rows = groups[(groups["time_period"] == "201617") & (groups["topic"] == "ethnicity")]
    parts = rows[rows["group"].isin(["gypsy_roma", "traveller_irish"])]
    grt = rows[rows["group"] == "grt"].iloc[0]
    for column in ("enrolments", "persistent", "sess_possible", "sess_overall"):
        assert grt[column] == parts[column].sum()
    rates = group_rates(groups)
    value = _rate(
        rates, "national", "E92000001", "201617", "ethnicity", "grt", "overall_absence_rate"
    )
    assert value["value"] == grt["sess_overall"] / grt["sess_possible"] * 100
    # published parts, as in the 2016/17 release
    gr = _rate(
        rates, "national", "E92000001", "201617", "ethnicity", "gypsy_roma", "overall_absence_rate"
    )
    assert _shown(gr["value"]) == 12.9
    assert _shown(value["value"]) == 13.8  # combined: between 12.9 and 18.1, weighted by sessions


def test_new_layout_characteristics_fixture():
    """breakdown_topic / breakdown (newer EES layout): the same groups, the same gaps. The
    fixture holds the real 2016/17 England rows of the characteristics file, written in the
    newer layout's columns and spellings ('FSM' / 'FSM eligible', 'Ethnicity minor' /
    'Gypsy / Roma', 'NC year' / 'Year 7'); it has no severe-absence columns."""
    groups = load([FIXTURE]).groups
    assert {("fsm", "eligible"), ("fsm", "not_eligible"), ("ethnicity", "grt")} <= set(
        zip(groups["topic"], groups["group"], strict=True)
    )
    table = gaps(group_rates(groups))
    fsm = table[
        (table["group"] == "eligible") & (table["measure"] == "persistent_absence_rate")
    ].iloc[0]
    assert _shown(fsm["group_value"]) == 22.6  # the 2016/17 published FSM figure
    severe = table[(table["group"] == "eligible") & (table["measure"] == "severe_absence_rate")]
    assert severe.iloc[0]["group_status"] == "not-published"
    year7 = table[(table["group"] == "year_7") & (table["measure"] == "overall_absence_rate")]
    assert len(year7) == 1 and year7.iloc[0]["comparison_status"] == "ok"


# ---- small-number policy -------------------------------------------------------------------


@pytest.fixture(scope="module")
def suppressed(band_rates) -> pd.DataFrame:
    return suppress(band_rates, DEFAULT_THRESHOLD)


def test_tiny_las_have_their_small_groups_suppressed(suppressed, record_property):
    for la in ("201", "420"):  # City of London, Isles of Scilly
        rows = suppressed[(suppressed["code"] == la) & (suppressed["topic"] != "all")]
        assert (rows["status"] == "suppressed").sum() > 0
        shown = rows[rows["status"] == "ok"]
        assert not ((shown["denominator"] < DEFAULT_THRESHOLD).any())
        pupils = shown[shown["measure"] != "overall_absence_rate"]
        assert not ((pupils["numerator"] > 0) & (pupils["numerator"] < DEFAULT_THRESHOLD)).any()
    local = suppressed[suppressed["geographic_level"] != "national"]
    count = int((local["status"] == "suppressed").sum())
    record_property(
        "figure", f"groups: {count:,} LA/region group rates suppressed of {len(local):,}"
    )


def test_no_visible_figure_is_small(suppressed):
    shown = suppressed[
        (suppressed["status"] == "ok")
        & (suppressed["geographic_level"] != "national")
        & (suppressed["topic"] != "all")
    ]
    assert not (shown["denominator"] < DEFAULT_THRESHOLD).any()
    assert not ((shown["numerator"] > 0) & (shown["numerator"] < DEFAULT_THRESHOLD)).any()


def test_no_hidden_figure_is_recoverable_by_subtraction(band_rates, suppressed):
    """In every set of groups that adds up to all pupils, a measure is hidden for no group or
    for at least two present groups, so total minus the visible parts never gives one."""
    frame = suppressed[suppressed["geographic_level"] != "national"]
    keys = ["time_period", "geographic_level", "code", "topic", "measure"]
    totals = frame[frame["topic"] == "all"].set_index(["time_period", "code", "measure"])["status"]
    checked = 0
    for (year, _, code, topic, measure), rows in frame.groupby(keys, sort=False):
        if totals.get((year, code, measure)) == "suppressed":
            continue  # the total itself is not shown (Dorset 838's 5 rows of 2018/19)
        for partition in PARTITIONS.get(topic, ()):
            present = rows[rows["group"].isin(partition)]
            if partition[0] in ("any_sen", "grt") and len(present) < 2:
                continue  # a sum with no parts present: nothing to subtract
            hidden = int((present["status"] == "suppressed").sum())
            assert hidden != 1, present[["code", "group", "status"]].to_string()
            checked += 1
    assert checked > 5_000


def test_suppressed_rates_make_their_gaps_suppressed(suppressed):
    table = gaps(suppressed)
    hidden = table[
        (table["group_status"] == "suppressed") | (table["comparison_status"] == "suppressed")
    ]
    assert len(hidden) > 0
    assert (hidden["gap_status"] == "suppressed").all()
    assert hidden["gap"].isna().all()
    after = table[table["gap_status"] == "suppressed"]
    assert (after["gap_change_status"] == "suppressed").all()


def test_threshold_is_configurable(band_rates):
    strict = suppress(band_rates, 50)
    default = suppress(band_rates, DEFAULT_THRESHOLD)
    assert (strict["status"] == "suppressed").sum() > (default["status"] == "suppressed").sum()
    assert describe("fsm", "eligible") == "pupils eligible for free school meals"


# ---- bad band files ------------------------------------------------------------------------


def _band_slice(repo: Path, rows: int = 30) -> list[str]:
    """The header and the first real rows of the bundled band file."""
    path = repo / "data" / "absence_bands_la_characteristics_201617_202223.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [next(handle).rstrip("\n") for _ in range(rows + 1)]


@pytest.mark.parametrize(
    ("line", "column", "value", "message"),
    [
        (5, "pct15_OARate", "lots", "'lots' in pct15_OARate is not a number"),
        (9, "pct50plus_OARate", "-3", "pct50plus_OARate is negative (-3)"),
        (12, "time_period", "2018", "time_period '2018' is not six digits"),
        (20, "geographic_level", "Ward", "geographic_level 'Ward' is not National"),
    ],
)
def test_bad_band_file_gives_one_line_and_exit_2(repo, tmp_path, line, column, value, message):

    _assert_one_line_error(_band_slice(repo), tmp_path / "bands.csv", line, column, value, message)


def _assert_one_line_error(lines, path, line: int, column: str, value: str, message: str) -> None:
    """Write ``lines`` with one cell changed to ``path``; `validate` must fail on that cell with
    exit 2 and exactly one line naming file, line and column."""
    import subprocess
    import sys

    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines = [*lines[: line - 1], ",".join(cells), *lines[line:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "attendance_reports", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
    )
    assert run.returncode == 2, run.stderr
    error = run.stderr.strip().splitlines()
    assert len(error) == 1 and "Traceback" not in run.stderr
    assert f"{path}:{line}:{header.index(column) + 1}: {message}" in error[0]


def test_no_hidden_la_figure_is_recoverable_from_england(suppressed):
    """England's figure of a group is shown and is the sum of its LAs': a measure of a group
    is hidden for no LA or for at least two, so England minus the visible LAs gives none."""
    la = suppressed[(suppressed["geographic_level"] == "la") & (suppressed["topic"] != "all")]
    hidden = (
        (la["status"] == "suppressed")
        .groupby([la[k] for k in ("time_period", "topic", "group", "measure")])
        .agg(["sum", "size"])
    )
    shown_groups = hidden.xs("eligible", level="group")  # a group the pages show
    assert (shown_groups["sum"] >= 2).any()  # the rule has been needed
    several = hidden[hidden["size"] > 1]
    assert (several["sum"] != 1).all(), several[several["sum"] == 1]


# ---- children in need and looked after ------------------------------------------------------


@pytest.fixture(scope="module")
def care(repo) -> pd.DataFrame:
    """Group rates of the children-in-need file (bundled gzipped, unchanged), with the
    all-pupil comparison rows of the census and LAIT."""
    from attendance_reports.indicators.groups import add_all_pupils
    from attendance_reports.model.site_data import build_site_data

    dataset = load([repo / "data"])
    site = build_site_data(dataset)
    return add_all_pupils(group_rates(dataset.groups), site.table)


def test_children_in_need_rates_equal_the_file(care):
    # Cambridgeshire 2024/25, Total rows: CINO 342 of 687 persistently absent (published
    # 49.8%), CLA 36 of 237 (15.2%), CPPO 36 severe of 200 (18.0%)
    cin = _rate(care, "la", "873", "202425", "social_care", "cin", "persistent_absence_rate")
    assert (cin["numerator"], cin["denominator"]) == (342, 687) and _shown(cin["value"]) == 49.8
    cla = _rate(care, "la", "873", "202425", "social_care", "cla", "persistent_absence_rate")
    assert (cla["numerator"], cla["denominator"]) == (36, 237) and _shown(cla["value"]) == 15.2
    cpp = _rate(care, "la", "873", "202425", "social_care", "cpp", "severe_absence_rate")
    assert (cpp["numerator"], cpp["denominator"]) == (36, 200) and _shown(cpp["value"]) == 18.0
    overall = _rate(care, "la", "873", "202425", "social_care", "cin", "overall_absence_rate")
    assert (overall["numerator"], overall["denominator"]) == (48402, 244352)
    # all pupils: LAIT's published rate for Cambridgeshire (TotPerAbNew 2024/25)
    everyone = _rate(care, "la", "873", "202425", "all", "all", "persistent_absence_rate")
    assert everyone["value"] == 16.17


def test_children_in_need_symbols_keep_their_reason(care):
    # City of London 2022/23: CINO persistent absentees 'c'; no child looked after ('z')
    cin = _rate(care, "la", "201", "202223", "social_care", "cin", "persistent_absence_rate")
    assert cin["status"] == "suppressed" and np.isnan(cin["value"])
    cla = _rate(care, "la", "201", "202223", "social_care", "cla", "persistent_absence_rate")
    assert cla["status"] == "not-applicable" and cla["denominator"] == 0
    # 2019/20: every row 'x'
    covid = _rate(care, "la", "873", "201920", "social_care", "cin", "persistent_absence_rate")
    assert covid["status"] == "not-available"
    gap = gaps(suppress(care))
    row = gap[
        (gap["code"] == "873")
        & (gap["time_period"] == "202425")
        & (gap["group"] == "cin")
        & (gap["measure"] == "persistent_absence_rate")
    ].iloc[0]
    assert row["gap"] == cin_value(care) - 16.17
    assert row["gap_status"] == "ok" and row["national_gap_status"] == "ok"


def cin_value(care: pd.DataFrame) -> float:
    return _rate(care, "la", "873", "202425", "social_care", "cin", "persistent_absence_rate")[
        "value"
    ]


# ---- sentences -----------------------------------------------------------------------------


def test_group_sentences_name_the_widest_gaps():
    from attendance_reports.model.group_sentences import group_gap_sentences
    from attendance_reports.model.report_model import Figure, NamedFigure

    def gap(name: str, value: float, status: str = "ok") -> NamedFigure:
        return NamedFigure(name, Figure("", value, status, "percentage points"))

    figures = (
        gap("fsm_eligible_gap", 24.06),
        gap("fsm_eligible_national_gap", 20.9),
        gap("sen_any_sen_gap", 16.04),
        gap("sen_any_sen_national_gap", 16.04),
        gap("sex_male_gap", -0.5),
        gap("sex_male_national_gap", -0.4),
        gap("ethnicity_grt_gap", float("nan"), "suppressed"),
    )
    assert group_gap_sentences("Cambridgeshire", "2022/23", figures, national=False) == (
        "In 2022/23, the widest gap in persistent absence in Cambridgeshire was for pupils "
        "eligible for free school meals: their rate was 24.1 percentage points higher than "
        "that of pupils not eligible for free school meals.",
        "The gap for pupils eligible for free school meals was wider than the gap across "
        "England (+20.9 percentage points).",
        "The next widest was for pupils with any special educational needs: 16.0 percentage "
        "points higher than pupils with no identified SEN.",
        "The gap for pupils with any special educational needs was the same as the gap across "
        "England (+16.0 percentage points).",
        "Figures for Gypsy, Roma and Traveller pupils are not shown: they concern very few "
        "pupils, or could be used to work out figures that do.",
    )
    negative = (gap("sex_male_gap", -0.04),)
    assert group_gap_sentences("England", "2022/23", negative, national=True) == (
        "In 2022/23, no pupil group shown here had a higher persistent absence rate in England "
        "than its comparison group.",
    )


# ---- built pages: nothing small is public --------------------------------------------------


class _Tables(HTMLParser):
    """Every <table> of a page: caption, then rows of cell texts (stub first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1] = (" ".join("".join(self._caption).split()), self.tables[-1][1])
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][1].append(self._row)
            self._row = None

    def handle_data(self, data):
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


TINY_LAS = ("201", "420")  # City of London, Isles of Scilly: the smallest cohorts in England


@pytest.fixture(scope="module")
def tiny_site(repo, tmp_path_factory) -> Path:
    from attendance_reports.site.build import build
    from attendance_reports.site.config import Config

    out = tmp_path_factory.mktemp("tiny") / "_site"
    build(Config(), [repo / "data"], out, "pandoc", TINY_LAS, jobs=2, reports=repo / "reports")
    return out


def test_no_group_figure_below_the_threshold_on_built_pages(repo, tiny_site, record_property):
    """Every number in the group pages' tables of the two tiny LAs is checked against the
    file's own counts: a shown rate never rests on 1-5 pupils or a group under 6."""
    from attendance_reports.sources.group_labels import GROUPS

    raw = group_rates(load([repo / "data"]).groups)
    raw = raw[raw["geographic_level"] == "la"]
    counts = {
        (r.code, r.time_period, r.topic, r.group, r.measure): (r.numerator, r.denominator)
        for r in raw.itertuples()
    }
    by_label = {g.label: g for g in GROUPS}
    by_words = {describe(g.topic, g.group): g for g in GROUPS}
    measures = {
        "Persistent absence": "persistent_absence_rate",
        "Severe absence": "severe_absence_rate",
        "Overall absence": "overall_absence_rate",
        "Gap in persistent absence": "persistent_absence_rate",
    }
    checked = hidden = 0

    def safe(code, year, topic, group, measure) -> None:
        numerator, denominator = counts[(code, year, topic, group, measure)]
        if measure != "overall_absence_rate":
            assert numerator == 0 or numerator >= DEFAULT_THRESHOLD, (code, year, group)
            assert denominator >= DEFAULT_THRESHOLD, (code, year, group)

    for code in TINY_LAS:
        parser = _Tables()
        parser.feed((tiny_site / "la" / f"{code}-groups.html").read_text(encoding="utf-8"))
        assert len(parser.tables) >= 5
        for caption, rows in parser.tables:
            measure = next(m for prefix, m in measures.items() if caption.startswith(prefix))
            heads = rows[0]
            for row in rows[1:]:  # the first row holds the headings
                cells = dict(zip(heads[1:], row[1:], strict=True))
                hidden += sum(c == "[c]" for c in cells.values())
                if caption.startswith("Gap in"):  # a trend: rows are years, one group
                    group = next(g for w, g in by_words.items() if f" for {w}, " in caption)
                    year = row[0][:4] + row[0][5:7]
                else:
                    group = by_label[row[0].split(" (vs ")[0]]
                    year = re.search(r"(\d{4})/(\d{2})(:|$)", caption).expand(r"\1\2")
                shown = {h for h, c in cells.items() if re.search(r"\d", c)}
                own = {h for h in shown if "England" not in h and "Comparison" not in h}
                other = {h for h in shown if "Comparison" in h or h.startswith(("Gap", "Change"))}
                other -= {h for h in shown if "England" in h}
                if own:
                    safe(code, year, group.topic, group.group, measure)
                if other and group.comparison != "all":
                    safe(code, year, group.topic, group.comparison, measure)
                checked += 1
    assert checked > 20 and hidden > 20
    record_property(
        "figure", f"groups: {checked} rows checked on built pages of 201, 420 ({hidden} [c])"
    )


@pytest.mark.parametrize(
    ("line", "column", "value", "message"),
    [
        (4, "t_pupils", "-3", "t_pupils is negative (-3)"),
        (7, "t_sess_overall", "many", "'many' in t_sess_overall is not a number"),
        (9, "time_period", "24/25", "time_period '24/25' is not six digits"),
    ],
)
def test_bad_children_in_need_file_gives_one_line_and_exit_2(
    repo, tmp_path, line, column, value, message
):

    path = repo / "data" / "absence_cin_cla_la_201819_202425.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = [next(handle).rstrip("\n") for _ in range(12)]
    _assert_one_line_error(lines, tmp_path / "cin.csv", line, column, value, message)


def test_an_la_with_children_in_need_figures_only(bundled_site):
    """Cumberland (942, created 2023) has no absence-band rows, only children in need ones:
    its page says so and shows them against all pupils (LAIT)."""
    from attendance_reports.model.assemble_groups import groups_report

    report = groups_report(bundled_site, "942")
    assert report.gaps is None and report.years is None
    assert [t.id for t in report.care] == ["care-persistent", "care-severe", "care-overall"]
    assert report.summary[0].startswith(
        "In 2024/25, among children in need and children looked after in Cumberland, the "
        "widest gap in persistent absence was for children on a child protection plan"
    )
    assert "Pupil-group figures" not in report.notices[0]


def test_children_in_need_alone_says_the_all_pupil_comparison_is_not_in_the_files(shared_data):
    """The children-in-need file has no all-pupil rows: alone, its tables say where the
    comparison would come from and the source line names only the file's publication."""
    from attendance_reports.model.assemble_groups import groups_report
    from attendance_reports.model.site_data import site_data

    cin = shared_data / "absence/absence_cin_cla_la_201819_202425.csv"
    report = groups_report(site_data([cin]), "873")
    table = report.care[0]
    assert {r["comparison_rate__status"] for r in table.rows} != {"ok"}
    assert any("The comparison for all pupils is not in the files given" in n for n in table.notes)
    assert table.source == (
        "Source: DfE, Outcomes for children in need, including children looked after by local "
        "authorities in England"
    )
