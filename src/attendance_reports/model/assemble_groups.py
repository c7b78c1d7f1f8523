"""SiteData -> the pupil groups page (``GroupsReport``) of England or an LA.

Picks values from the group gap table (``SiteData.groups``: indicators/groups.py, with the
small-number policy of disclosure.py already applied); never computes a rate or a gap.
"""

from __future__ import annotations

import math

import pandas as pd

from attendance_reports.errors import ConfigError
from attendance_reports.model.group_sentences import group_gap_sentences
from attendance_reports.model.report_model import (
    Chart,
    Column,
    Figure,
    GroupsReport,
    Link,
    NamedFigure,
    Series,
    Table,
    la_breadcrumbs,
)
from attendance_reports.model.site_data import SiteData
from attendance_reports.render.formatting import period_label, points
from attendance_reports.sources.contract import SCHOOLS
from attendance_reports.sources.group_labels import GROUP_BY_ID, GROUPS, describe

#: the pupils every pupil-group figure is of (census characteristics, absence bands and children
#: in need files alike), as captions and the description name them
WHOSE = SCHOOLS["state-funded"]

ENGLAND = "E92000001"
NAN = float("nan")
BANDS_SOURCE = "DfE, Pupil absence distributions (absence bands by pupil characteristic)"
CHARACTERISTICS_SOURCE = "DfE, Pupil absence in schools in England: pupil characteristics"
CARE_SOURCE = (
    "DfE, Outcomes for children in need, including children looked after by local "
    "authorities in England"
)
#: where a children-in-need table's all-pupil comparison comes from (the file has no all-pupil
#: rows: indicators.groups.add_all_pupils takes them from the census or LAIT)
ALL_PUPILS_SOURCE = "all pupils: DfE school census and LAIT"
NO_ALL_PUPILS = (
    "The comparison for all pupils is not in the files given: the children-in-need file has "
    "no all-pupil figures, so they come from DfE's school census absence file or LAIT. Add one "
    "of them to compare."
)
#: the topic of the children-in-need file (its own section: a cohort, not all pupils)
CARE = "social_care"
#: the groups whose gap is drawn over time
TREND_GROUPS = (("fsm", "eligible"), ("sen", "any_sen"))
SMALL_NOTE = (
    "[c]: fewer than {t} pupils, or figures from which such a number could be worked out, "
    "are not shown to protect pupils' identities (see the methodology page)."
)


def group_sources(rows: pd.DataFrame) -> tuple[str, ...]:
    """The publications the rows come from, by file: band file, children in need, other
    (a characteristics file)."""
    names = {str(n).lower() for n in rows["source"]} if len(rows) else set()
    parts = []
    if any("band" in n for n in names):
        parts.append(BANDS_SOURCE)
    if any("cin" in n for n in names):
        parts.append(CARE_SOURCE)
    if any("band" not in n and "cin" not in n for n in names):
        parts.append(CHARACTERISTICS_SOURCE)
    return tuple(parts)


def _source_line(rows: pd.DataFrame) -> str:
    """'Source: …' of a table's rows; children in need's all-pupil comparison named only when
    the files give it."""
    compared = ((rows["topic"] == CARE) & (rows["comparison_status"] == "ok")).any()
    parts = [
        f"{part}; {ALL_PUPILS_SOURCE}" if part == CARE_SOURCE and compared else part
        for part in group_sources(rows)
    ]
    return "Source: " + "; ".join(parts) if parts else ""


def _latest(rows: pd.DataFrame, measure: str, care: bool = False) -> str:
    """The latest year with a group value of ``measure`` for this area ('' if none), among
    the children-in-need groups when ``care``, else among the others."""
    have = rows[
        (rows["measure"] == measure)
        & (rows["group_status"] != "not-published")
        & ((rows["topic"] == CARE) == care)
    ]
    return str(max(have["time_period"])) if len(have) else ""


def _gap_table(
    rows: pd.DataFrame,
    measure: str,
    year: str,
    name: str,
    national: bool,
    table_id: str,
    care: bool = False,
) -> Table | None:
    label = {
        "persistent_absence_rate": "Persistent absence (10% or more)",
        "severe_absence_rate": "Severe absence (50% or more)",
        "overall_absence_rate": "Overall absence rate",
    }[measure]
    chosen = rows[
        (rows["measure"] == measure)
        & (rows["time_period"] == year)
        & (rows["topic"] != "year")
        & ((rows["topic"] == CARE) == care)
    ]
    chosen = chosen[chosen["group_status"] != "not-published"]
    if not len(chosen):
        return None
    pupils = measure != "overall_absence_rate"
    columns = [Column("group", "Group (compared with)")]
    if pupils:
        columns.append(Column("enrolments", "Enrolments", "count", 0))
    columns += [
        Column("rate", "Rate", "%"),
        Column("comparison_rate", "Comparison rate", "%"),
        Column("gap", "Gap", "percentage points"),
    ]
    if not national:
        columns.append(Column("national_gap", "England's gap", "percentage points"))
    columns.append(Column("gap_change", "Change in gap", "percentage points"))
    out = []
    for r in chosen.to_dict("records"):
        definition = GROUP_BY_ID[(r["topic"], r["group"])]
        row = {
            "group": f"{definition.label} (vs {definition.comparison_label})",
            "rate": r["group_value"],
            "rate__status": r["group_status"],
            "comparison_rate": r["comparison_value"],
            "comparison_rate__status": r["comparison_status"],
            "gap": r["gap"],
            "gap__status": r["gap_status"],
            "national_gap": r["national_gap"],
            "national_gap__status": r["national_gap_status"],
            "gap_change": r["gap_change"],
            "gap_change__status": r["gap_change_status"],
        }
        if pupils:
            row["enrolments"] = r["group_denominator"]
            row["enrolments__status"] = r["group_status"]
        out.append(row)
    who = "of children in need and looked after" if care else "by pupil group"
    return Table(
        table_id,
        f"{label} {who}, {name}, {WHOSE}, {period_label(year)}: each group's rate, its "
        "comparison group's rate and the gap between them",
        tuple(columns),
        tuple(out),
        notes=(
            "A gap is the group's rate minus its comparison group's rate, in percentage "
            "points, from unrounded rates: a positive gap means more absence in the group. "
            "The change in the gap is since the year before (none for 2020/21, as 2019/20 has "
            "no figures).",
            *((NO_ALL_PUPILS,) if care and not (chosen["comparison_status"] == "ok").any() else ()),
        ),
        source=_source_line(chosen),
    )


def _year_table(rows: pd.DataFrame, year: str, name: str) -> Table | None:
    chosen = rows[
        (rows["measure"] == "persistent_absence_rate")
        & (rows["time_period"] == year)
        & (rows["topic"] == "year")
        & (rows["group_status"] != "not-published")
    ]
    if not len(chosen):
        return None
    out = tuple(
        {
            "group": GROUP_BY_ID[("year", r["group"])].label,
            "enrolments": r["group_denominator"],
            "enrolments__status": r["group_status"],
            "rate": r["group_value"],
            "rate__status": r["group_status"],
            "gap": r["gap"],
            "gap__status": r["gap_status"],
        }
        for r in chosen.to_dict("records")
    )
    return Table(
        "year-groups",
        f"Persistent absence (10% or more) by year group, {name}, {WHOSE}, {period_label(year)}",
        (
            Column("group", "National curriculum year"),
            Column("enrolments", "Enrolments", "count", 0),
            Column("rate", "Persistent absence rate", "%"),
            Column("gap", "Gap to all pupils", "percentage points"),
        ),
        out,
        source=_source_line(chosen),
    )


def _gap_chart(rows: pd.DataFrame, year: str, name: str, national: bool) -> Chart | None:
    chosen = rows[
        (rows["measure"] == "persistent_absence_rate")
        & (rows["time_period"] == year)
        & ~rows["topic"].isin(["year", CARE])
        & (rows["gap_status"] == "ok")
    ]
    if not len(chosen):
        return None
    series = tuple(
        Series(
            GROUP_BY_ID[(r["topic"], r["group"])].label
            + f" (vs {GROUP_BY_ID[(r['topic'], r['group'])].comparison_label})",
            (period_label(year),),
            (float(r["gap"]),),
            True,
        )
        for r in chosen.to_dict("records")
    )
    widest = max(chosen.to_dict("records"), key=lambda r: r["gap"])
    widest_label = describe(widest["topic"], widest["group"])
    return Chart(
        "gaps",
        "bar",
        f"The widest gap in persistent absence in {name} in {period_label(year)} was for "
        f"{widest_label}",
        f"Gap in persistent absence rate (10% or more) between each pupil group and its "
        f"comparison group, percentage points, {name}, {WHOSE}, {period_label(year)}",
        f"Bar chart of the gap in persistent absence between each pupil group and its "
        f"comparison group in {name} in {period_label(year)}. The data table follows.",
        series,
        "percentage points",
        _source_line(chosen),
        (),
        _gap_table(rows, "persistent_absence_rate", year, name, national, "gaps-data"),
    )


def _trend(rows: pd.DataFrame, topic: str, group: str, name: str, national: bool) -> Chart | None:
    chosen = rows[
        (rows["measure"] == "persistent_absence_rate")
        & (rows["topic"] == topic)
        & (rows["group"] == group)
        & (rows["group_status"] != "not-published")
    ].sort_values("time_period")
    if not len(chosen) or not (chosen["gap_status"] == "ok").any():
        return None
    definition = GROUP_BY_ID[(topic, group)]
    years = tuple(sorted(str(y) for y in chosen["time_period"]))
    first, last = years[0], years[-1]
    # every academic year in the span, so 2019/20 (no data) is a gap, not joined
    start, end = int(first[:4]), int(last[:4])
    span = tuple(f"{y}{(y + 1) % 100:02d}" for y in range(start, end + 1))
    by_year = {str(r["time_period"]): r for r in chosen.to_dict("records")}

    def values(key: str, status: str) -> tuple[float, ...]:
        return tuple(
            float(by_year[y][key])
            if y in by_year and by_year[y][status] == "ok" and not math.isnan(by_year[y][key])
            else NAN
            for y in span
        )

    series = [Series(name, tuple(period_label(y) for y in span), values("gap", "gap_status"), True)]
    if not national:
        series.append(
            Series(
                "England",
                tuple(period_label(y) for y in span),
                values("national_gap", "national_gap_status"),
            )
        )
    rows_out = tuple(
        {
            "year": period_label(y),
            "gap": by_year[y]["gap"] if y in by_year else NAN,
            "gap__status": by_year[y]["gap_status"] if y in by_year else "not-available",
            "national_gap": by_year[y]["national_gap"] if y in by_year else NAN,
            "national_gap__status": by_year[y]["national_gap_status"]
            if y in by_year
            else "not-available",
        }
        for y in span
    )
    columns = [Column("year", "Academic year"), Column("gap", f"Gap, {name}", "percentage points")]
    if not national:
        columns.append(Column("national_gap", "Gap, England", "percentage points"))
    latest = by_year[last]
    shown = points(latest["gap"], 1, latest["gap_status"])
    who = describe(topic, group)
    chart_id = f"trend-{topic}"
    return Chart(
        chart_id,
        "line",
        f"Gap in persistent absence for {who} in {name}: {shown} in {period_label(last)}",
        f"Persistent absence rate (10% or more) of {who} minus that of the "
        f"comparison group ({definition.comparison_label}), percentage points, {name}, "
        f"{period_label(first)} to {period_label(last)}",
        (
            f"Line chart of the gap in persistent absence for {who} in {name}"
            + ("" if national else " and England")
            + f", {period_label(first)} to {period_label(last)}. The data table follows."
        )[:220],
        tuple(series),
        "percentage points",
        _source_line(chosen),
        ("2019/20",),
        Table(
            f"{chart_id}-data",
            f"Gap in persistent absence for {who}, {name}, by year",
            tuple(columns),
            rows_out,
            notes=("There are no full-year figures for 2019/20 (COVID-19): the lines have a gap.",),
            source=_source_line(chosen),
        ),
    )


def _figures(rows: pd.DataFrame, year: str, care: bool = False) -> tuple[NamedFigure, ...]:
    chosen = rows[
        (rows["measure"] == "persistent_absence_rate")
        & (rows["time_period"] == year)
        & (rows["topic"] != "year")
        & ((rows["topic"] == CARE) == care)
    ]
    out = []
    for r in chosen.to_dict("records"):
        key = f"{r['topic']}_{r['group']}"
        label = GROUP_BY_ID[(r["topic"], r["group"])].label
        for suffix, column, status in (
            ("gap", "gap", "gap_status"),
            ("national_gap", "national_gap", "national_gap_status"),
        ):
            out.append(
                NamedFigure(
                    f"{key}_{suffix}",
                    Figure(label, float(r[column]), str(r[status]), "percentage points"),
                )
            )
    return tuple(out)


def groups_report(site: SiteData, code: str, threshold: int = 6) -> GroupsReport:
    """The pupil groups page of England (``code`` 'E92000001' or 'national') or an LA."""
    code = str(code).strip()
    national = code in (ENGLAND, "national")
    level, code = ("national", ENGLAND) if national else ("la", code)
    rows = site.group_rows(level, code)
    if not len(rows):
        raise ConfigError(
            f"no pupil-group figures for {code} — pass the absence-bands file with --data"
        )
    name = "England" if national else site.name_of("la", code)
    if name == code:
        name = str(rows["name"].iloc[-1])
    year = _latest(rows, "persistent_absence_rate")
    overall_year = _latest(rows, "overall_absence_rate")
    care_year = _latest(rows, "persistent_absence_rate", care=True)
    figures = _figures(rows, year)
    care_figures = _figures(rows, care_year, care=True) if care_year else ()
    labels = {g.label for g in GROUPS}
    sentences = group_gap_sentences(name, period_label(year), figures, national)
    if care_year:
        sentences += group_gap_sentences(
            name, period_label(care_year), care_figures, national, top=1, care=True
        )
    slug = "groups" if national else f"la/{code}-groups"
    home = site.area_home("national" if national else "la", code)
    here = Link("Pupil groups", f"{slug}.html")
    if national:
        crumbs = (Link("Home", "index.html"), Link(name, home or "groups.html"), here)
        crumbs = crumbs if home != "groups.html" else crumbs[:2]
    else:
        crumbs = la_breadcrumbs(name, code, here, home=home)
    trends = tuple(
        chart
        for topic, group in TREND_GROUPS
        if (chart := _trend(rows, topic, group, name, national)) is not None
    )
    assert labels  # the group list is never empty
    return GroupsReport(
        slug=slug,
        title=f"{name}: absence by pupil group",
        description=f"Persistent and severe absence of pupil groups in {name}'s {WHOSE} (free "
        "school meals, special educational needs, sex, year group, children in need and looked "
        "after) against their comparison groups.",
        breadcrumbs=crumbs,
        summary=sentences,
        notices=(
            "There are no figures for 2019/20 (COVID-19); 2020/21 and 2021/22 were recorded "
            "during the pandemic."
            + (f" Pupil-group figures run to {period_label(year)}." if year else "")
            + (f" Children in need figures run to {period_label(care_year)}." if care_year else ""),
        ),
        sources=group_sources(rows),
        code=code,
        name=name,
        year=period_label(year),
        gaps=_gap_table(rows, "persistent_absence_rate", year, name, national, "gaps-persistent"),
        severe=_gap_table(rows, "severe_absence_rate", year, name, national, "gaps-severe"),
        overall=_gap_table(rows, "overall_absence_rate", overall_year, name, national, "overall")
        if overall_year
        else None,
        years=_year_table(rows, year, name),
        care=tuple(
            table
            for measure, table_id in (
                ("persistent_absence_rate", "care-persistent"),
                ("severe_absence_rate", "care-severe"),
                ("overall_absence_rate", "care-overall"),
            )
            if care_year
            and (table := _gap_table(rows, measure, care_year, name, national, table_id, care=True))
            is not None
        ),
        gap_chart=_gap_chart(rows, year, name, national),
        trends=trends,
        figures=figures + care_figures,
        links=(Link(f"{name}: all pupils' absence", home),) if home != here.href else (),
        threshold=threshold,
    )


def small_number_note(threshold: int) -> str:
    return SMALL_NOTE.format(t=threshold)
