"""The sections of England's and the LAs' pages drawn from the 2016/17 subjects read on their
own (``SiteData.file_rows``): enrolments missing at least one session by reason (an LA against
its region and England) and England's enrolments by one-point overall absence band. Picks
values from the indicator rows, never computes them; latest year of each file. A page of these
figures alone (no census or LAIT figures for the area) says so in its lead (``file_only``);
``file_subjects`` names them for the home page.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from attendance_reports.indicators.missed_by_reason import LONDON_METHOD
from attendance_reports.indicators.rate_bands import PERSISTENT_METHOD
from attendance_reports.model.narrative import PERIOD_WORDS
from attendance_reports.model.report_model import Column, Section, Table
from attendance_reports.render.formatting import percent, period_label
from attendance_reports.sources.contract import SCHOOLS
from attendance_reports.sources.reference import normalise_region
from attendance_reports.sources.sessions_missed_by_reason import REASONS

ENGLAND = "E92000001"
SOURCE = (
    "Source: DfE, Pupil absence in schools in England: {start} to {end} (Explore Education "
    "Statistics, {file})"
)


def _source(file: str, year: str) -> str:
    """The release a file of the year's figures comes from ('201617': 2016 to 2017)."""
    start = int(str(year)[:4])
    return SOURCE.format(start=start, end=start + 1, file=file)


MISSED_FILE = "absence_number_missing_at_least_one_session_by_reason"
BANDS_FILE = "absence_rate_percent_bands"
PHASE_LABELS = (
    ("total", "All schools"),
    ("primary", "State-funded primary"),
    ("secondary", "State-funded secondary"),
    ("special", "Special"),
)


def _lookup(rows: pd.DataFrame, indicator: str) -> dict[tuple[str, str], tuple[float, str]]:
    """(phase, breakdown) -> (value, status) of one indicator's rows."""
    rows = rows[(rows["indicator"] == indicator).to_numpy()]
    return {
        (p, b): (float(v), str(s))
        for p, b, v, s in zip(
            rows["phase"], rows["breakdown"], rows["value"], rows["status"], strict=True
        )
    }


def _latest(rows: pd.DataFrame, indicator: str) -> str | None:
    if not len(rows):  # the files given have none of these figures (most sites)
        return None
    rows = rows[(rows["indicator"] == indicator).to_numpy()]
    return str(rows["time_period"].max()) if len(rows) else None


def _of_year(rows: pd.DataFrame, year: str) -> pd.DataFrame:
    return rows[(rows["time_period"] == year).to_numpy()]


def _period(rows: pd.DataFrame) -> str:
    """The period the rows cover, in words ('full academic year'), from their ``period``."""
    periods = sorted(set(rows["period"].astype(str))) if len(rows) else ["full-year"]
    return " and ".join(PERIOD_WORDS.get(p, p) for p in periods)


def _where(population: str, year: str, rows: pd.DataFrame) -> str:
    """'state-funded primary, secondary and special schools, 2016/17, full academic year'."""
    return f"{SCHOOLS[population]}, {period_label(year)}, {_period(rows)}"


#: each subject in words, by the indicator whose latest year is the year shown
SUBJECTS = (
    ("enrolments_missing_a_session_rate", "enrolments missing at least one session by reason"),
    ("overall_band_share", "enrolments by one-point overall absence band"),
)


def file_subjects(site, level: str | None = None, code: str = "") -> tuple[tuple[str, str], ...]:
    """(words, latest year) of each subject the files give: for one area, or for any area."""
    rows = site.file_table if level is None else site.file_rows(level, code)
    found = ((words, _latest(rows, indicator)) for indicator, words in SUBJECTS)
    return tuple((words, year) for words, year in found if year)


def joined(words: list[str] | tuple[str, ...]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def file_only(report, site, level: str, code: str):
    """An area page whose only figures are these subjects (no census or LAIT figures for the
    area): its lead and description say which figures it has; any other page unchanged."""
    subjects = file_subjects(site, level, code)
    if site.has_area(level, code) or not subjects:
        return report
    name = report.name
    what = joined([f"{words} in {period_label(year)}" for words, year in subjects])
    period = _period(site.file_rows(level, code))
    lead = (
        f"The files this site was built from give {name}'s {what} ({SCHOOLS[site.population]}, "
        f"{period}) and no other figures for it: the other parts of this page have none."
    )
    return replace(report, summary=(lead,), description=f"School absence in {name}: {what}.")


def missed_by_reason_section(
    site, level: str, code: str, name: str, population: str
) -> Section | None:
    """Enrolments missing at least one session for each reason, as a % of enrolments: the area
    (an LA: with its region and England), all schools, the file's latest year."""
    rows = site.file_rows(level, code)
    indicator = "enrolments_missing_a_session_rate"
    year = _latest(rows, indicator)
    if year is None:
        return None
    areas = [(name, _of_year(rows, year))]
    notes = [
        "The percentage of enrolments that missed at least one session for each reason: the "
        "file's counts divided by its enrolments, computed here (the file publishes counts "
        "only). An enrolment can miss sessions for several reasons, so the reasons add up to "
        "more than the overall figure.",
    ]
    if level == "la":
        region = site.reference.region_of(code)
        region = normalise_region(region) if region else ""
        region_rows = _of_year(site.file_rows("regional", region), year) if region else None
        if region_rows is not None and len(region_rows):
            region_name = str(region_rows["name"].iloc[0])
            areas.append((region_name, region_rows))
            if (region_rows["method"].astype(str).str.contains(LONDON_METHOD)).any():
                notes.append(
                    "London: Inner and Outer London added together (the file has no London row)."
                )
        england = _of_year(site.file_rows("national", ENGLAND), year)
        if len(england):
            areas.append(("England", england))
    values = [_lookup(r, indicator) for _, r in areas]
    counts = _lookup(areas[0][1], "enrolments_missing_a_session")
    columns = [
        Column("reason", "Reason"),
        Column("count", f"{name}: enrolments", "count", 0),
        *(Column(f"a{i}", label, "%") for i, (label, _) in enumerate(areas)),
    ]
    table_rows = []
    for reason, (_, label) in REASONS.items():
        key = ("total", f"reason/{reason}")
        if all(v.get(key, (0, "not-applicable"))[1] == "not-applicable" for v in values):
            continue  # extended holiday: no separate code from 2013/14 (the file's '.')
        count, count_status = counts.get(key, (float("nan"), "not-available"))
        row = {"reason": label, "count": count, "count__status": count_status}
        for i, found in enumerate(values):
            row[f"a{i}"], row[f"a{i}__status"] = found.get(key, (float("nan"), "not-available"))
        table_rows.append(row)
    where = _where(population, year, areas[0][1])
    key = ("total", "reason/overall")
    overall = [found.get(key, (float("nan"), "not-available")) for found in values]
    compared = [
        f"{percent(value, status=status)} {'across' if label == 'England' else 'in'} {label}"
        for (label, _), (value, status) in zip(areas[1:], overall[1:], strict=True)
    ]
    text = [
        f"In {period_label(year)}, {percent(overall[0][0], status=overall[0][1])} of "
        f"enrolments in {name}'s {SCHOOLS[population]} missed at least one session over the "
        f"{_period(areas[0][1])}"
        + (f", compared with {' and '.join(compared)}." if compared else "."),
    ]
    return Section(
        "Enrolments missing at least one session, by reason",
        tuple(text),
        Table(
            "missed-by-reason",
            f"Enrolments missing at least one session, by reason, as a percentage of "
            f"enrolments: {where}",
            tuple(columns),
            tuple(table_rows),
            notes=tuple(notes),
            source=_source(MISSED_FILE, year),
        ),
    )


def rate_bands_section(site, population: str) -> Section | None:
    """England's enrolments by one-point overall absence band, by phase, as published, with
    persistent absence summed from the bands (computed)."""
    rows = site.file_rows("national", ENGLAND)
    year = _latest(rows, "overall_band_share")
    if year is None:
        return None
    rows = _of_year(rows, year)
    shares = _lookup(rows, "overall_band_share")
    counts = _lookup(rows, "overall_band_enrolments")
    persistent = _lookup(rows, "persistent_absence_rate_from_bands")
    bands = rows[(rows["indicator"] == "overall_band_share").to_numpy()]
    bands = bands[(bands["phase"] == "total").to_numpy()]
    order = bands.sort_values("breakdown", key=_band_order, kind="stable")["breakdown"]
    columns = [
        Column("band", "Overall absence rate (%)"),
        Column("count", "Enrolments, all schools", "count", 0),
        *(Column(phase, f"{label}: % of enrolments", "%") for phase, label in PHASE_LABELS),
    ]
    table_rows = []
    for breakdown in order:
        band = str(breakdown).removeprefix("band/").replace("-", " - ")
        count, count_status = counts.get(("total", breakdown), (float("nan"), "not-available"))
        row = {"band": band, "count": count, "count__status": count_status}
        for phase, _ in PHASE_LABELS:
            row[phase], row[f"{phase}__status"] = shares.get(
                (phase, breakdown), (float("nan"), "not-available")
            )
        table_rows.append(row)
    where = _where(population, year, rows)
    total = persistent.get(("total", "total"), (float("nan"), "not-available"))
    missing = (float("nan"), "not-available")
    by_phase = ", ".join(
        f"{label.lower()} {percent(value, status=status)}"
        for phase, label in PHASE_LABELS[1:]
        for value, status in (persistent.get((phase, "total"), missing),)
    )
    text = (
        f"In {period_label(year)}, {percent(total[0], status=total[1])} of enrolments in "
        f"England's {SCHOOLS[population]} had an overall absence rate of 10% or more "
        f"(persistent absence), summed from the one-point bands ({by_phase}).",
    )
    return Section(
        "Enrolments by overall absence rate",
        text,
        Table(
            "absence-rate-bands",
            f"Enrolments by overall absence rate, in one-point bands, England: {where}",
            tuple(columns),
            tuple(table_rows),
            notes=(
                "Percentages as published (1 d.p.); band counts rounded to the nearest 5. "
                f"Persistent absence above: {PERSISTENT_METHOD}, computed here.",
            ),
            source=_source(BANDS_FILE, year),
        ),
    )


def _band_order(breakdown: pd.Series) -> pd.Series:
    """Bands in order of their lower bound ('band/0' first, 'band/99.00+' last)."""
    text = breakdown.astype(str).str.removeprefix("band/")
    return pd.to_numeric(text.str.extract(r"^([\d.]+)")[0], errors="coerce")
