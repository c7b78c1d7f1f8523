"""The "This year" pages' weekly chart: overall absence week by week against the same ISO
weeks of the previous year, holiday weeks as gaps (never 0), with its data table.
"""

from __future__ import annotations

import datetime as dt

from attendance_reports.model.inyear_common import (
    ALT_LIMIT,
    ENGLAND,
    NAN,
    InYearArea,
    academic_order,
    date_text,
    method_column,
    method_words,
    week_start,
)
from attendance_reports.model.report_model import Chart, Column, Series, Table
from attendance_reports.model.site_data import INYEAR, SiteData
from attendance_reports.render.formatting import counted, percent, period_label
from attendance_reports.sources.inyear_columns import FIRST_WEEK


def weekly_chart(site: SiteData, area: InYearArea, year: str) -> Chart | None:
    """Overall absence week by week this year against the same ISO weeks of the year before;
    half-term and holiday weeks are gaps, never zero."""
    previous = f"{int(year[:4]) - 1}{int(year[4:]) - 1:02d}"
    england = InYearArea(site, "national", ENGLAND)
    lines = [(f"{area.name} {period_label(year)}", area, year, True)]
    if area.weeks(previous) or england.weeks(previous):
        lines.append((f"{area.name} {period_label(previous)}", area, previous, False))
    if area.code != ENGLAND:
        lines.append((f"England {period_label(year)}", england, year, False))
    have = {w for _, a, y, _ in lines for w in a.weeks(y)} | set(england.weeks(year))
    if not have or not area.weeks(year):
        return None
    # every ISO week from the first to the last with a figure: a week no line has (Christmas,
    # a half term everywhere) is shown as [z] with its reason, never dropped and never 0
    weeks = iso_weeks(year, min(have, key=academic_order), max(have, key=academic_order))
    # the weeks each year's files cover: a week inside that range without a row is a holiday
    covered = {}
    for y in {y for _, _, y, _ in lines}:
        got = sorted(set(england.weeks(y)) | set(area.weeks(y)), key=academic_order)
        covered[y] = (academic_order(got[0]), academic_order(got[-1])) if got else None
    x = tuple(f"{d.day} {d:%b}" if (d := week_start(year, w)) else f"Week {w}" for w in weeks)
    series, table_rows = [], []
    for label, a, y, highlight in lines:
        got = a.weeks(y)
        ys = tuple(got[w][0] if w in got and got[w][1] == "ok" else NAN for w in weeks)
        series.append(Series(label, x, ys, highlight))
    for w in weeks:
        row = {"week": f"Week {w}", "starting": date_text(week_start(year, w))}
        reasons = []
        for j, (label, a, y, _) in enumerate(lines):
            got = a.weeks(y)
            if w in got:
                row[f"s{j}"], row[f"s{j}__status"] = got[w][:2]
                continue
            span = covered[y]
            inside = span is not None and span[0] <= academic_order(w) <= span[1]
            row[f"s{j}"] = NAN
            row[f"s{j}__status"] = "not-applicable" if inside else "not-available"
            reasons.append(
                f"{label}: {gap_reason(site, a, y, w) if inside else 'not published yet'}"
            )
        row["note"] = "; ".join(reasons) or "all figures published"
        mine = area.weeks(year).get(w)
        row["method"] = (
            method_words(site, str(mine[2]), str(mine[3]), "inyear_overall_absence_rate")
            if mine
            else ""
        )
        table_rows.append(row)
    method, how = method_column(
        table_rows, "How the figure is made", f"{area.name}'s weekly all-schools figures are"
    )
    columns = (
        Column("week", "ISO week"),
        Column("starting", f"Week starting ({period_label(year)})"),
        *(Column(f"s{j}", s.label, "%") for j, s in enumerate(series)),
        Column("note", "Why a week has no figure"),
        method,
    )
    table = Table(
        "weekly-data",
        f"Overall absence by week, {area.name}",
        columns,
        tuple(table_rows),
        notes=(
            "Weeks are matched by ISO week number. [z]: half-term or holiday week (no sessions "
            "in the area's schools, or too few to publish; DfE publishes no national or regional "
            "figure for a week when most local authorities are on holiday); [x]: not yet "
            "published. The last column says why a week has no figure.",
            *how,
        ),
        source=f"Source: {INYEAR}.",
    )
    last = area.weeks(year)
    latest = max(last, key=academic_order)
    title = (
        f"Overall absence in {area.name}, week starting "
        f"{date_text(week_start(year, latest))}: {percent(last[latest][0], status=last[latest][1])}"
    )
    others = " and ".join(s.label for s in series[1:])
    alt = f"Line chart of weekly overall absence: {series[0].label}" + (
        f", compared with {others}" if others else ""
    )
    alt += ". Half-term and holiday weeks are gaps. The data table follows the chart."
    if len(alt) > ALT_LIMIT:
        alt = f"Line chart of weekly overall absence in {area.name}. The data table follows."
    return Chart(
        "weekly",
        "line",
        title,
        f"Overall absence rate by week, state-funded schools, "
        f"{area.name}, {period_label(year)}"
        + (f" and {period_label(previous)}" if len(lines) > 1 else ""),
        alt,
        tuple(series),
        "%",
        f"Source: {INYEAR}.",
        (),
        table,
    )


def iso_weeks(year: str, first: int, last: int) -> list[int]:
    """The ISO weeks of an academic year from ``first`` to ``last`` in school-year order
    (weeks 32–52 or 53 of the first calendar year, then 1–31)."""
    start = int(year[:4])
    in_year = dt.date(start, 12, 28).isocalendar()[1]  # 52 or 53
    order = [*range(FIRST_WEEK, in_year + 1), *range(1, FIRST_WEEK)]
    return order[order.index(first) : order.index(last) + 1]


def _christmas(year: str, week: int) -> bool:
    monday = week_start(year, week)
    if monday is None:
        return False
    days = {monday + dt.timedelta(days=d) for d in range(7)}
    start = int(year[:4])
    return bool(days & {dt.date(start, 12, 25), dt.date(start + 1, 1, 1)})


def gap_reason(site: SiteData, area: InYearArea, year: str, week: int) -> str:
    """Why an area has no figure for a week its files cover, in words."""
    if _christmas(year, week):
        return "Christmas holiday, no figures published"
    in_term = site.inyear_la_weeks.get(year, {}).get(week, 0)
    if area.level != "la":
        if in_term:
            return (
                f"half term in most local authorities ({in_term} had school days): DfE "
                "publishes no national or regional figure"
            )
        return "school holiday, no figures published"
    return "half term or holiday in its schools (no sessions that week)"


# ---- persistent absence to date at fortnightly points -----------------------------------------

SERIES = "pa-series"
PERSISTENT = "inyear_persistent_absence_rate"
SERIES_PHASES = (
    ("total", "all schools"),
    ("primary", "primary"),
    ("secondary", "secondary"),
    ("special", "special"),
)


def _series_points(area: InYearArea, year: str) -> dict[int, str]:
    """ISO week -> the file's period label of each point of an area's series."""
    points = {
        w: p for (k, y, p, w, _, i) in area.values if k == SERIES and y == year and i == PERSISTENT
    }
    return dict(sorted(points.items(), key=lambda kv: academic_order(kv[0])))


def persistent_series(site: SiteData, area: InYearArea, year: str) -> Chart | None:
    """Persistent absence so far this year at each point of DfE's fortnightly series: all
    schools and each phase (an LA: its phases only; the file has no LA all-schools row and
    no counts to combine them by), with England beside an LA in the table."""
    points = _series_points(area, year)
    if not points:
        return None
    england = InYearArea(site, "national", ENGLAND)

    def get(a: InYearArea, week: int, phase: str) -> tuple[float, str]:
        return a.get(SERIES, year, points[week], PERSISTENT, phase, week)[:2]

    latest = max(points, key=academic_order)
    phases = [
        (p, label)
        for p, label in SERIES_PHASES
        if any(get(area, w, p)[1] != "not-available" for w in points)
    ]
    x = tuple(f"{d.day} {d:%b}" if (d := week_start(year, w)) else f"Week {w}" for w in points)
    series = tuple(
        Series(
            label.capitalize() if area.code == ENGLAND else f"{area.name} {label}",
            x,
            tuple(v if s == "ok" else NAN for v, s in (get(area, w, p) for w in points)),
            area.code == ENGLAND and p == "total",
        )
        for p, label in phases
    )
    lines = [(area, p, f"{area.name}, {label}") for p, label in phases]
    if area.code != ENGLAND:
        lines += [(england, p, f"England, {label}") for p, label in SERIES_PHASES]
    rows = []
    for w in points:
        row = {"point": f"Week starting {date_text(week_start(year, w))} (ISO week {w})"}
        for j, (a, p, _) in enumerate(lines):
            row[f"s{j}"], row[f"s{j}__status"] = get(a, w, p)
        rows.append(row)
    when = date_text(week_start(year, latest))
    notes = [
        "Persistent absence: pupils who missed 10% or more of their possible sessions from the "
        "start of the year to the end of the ISO week shown (DfE publishes the series "
        "fortnightly, as rates only)."
    ]
    combined = ""
    if area.level != "national" and not any(p == "total" for p, _ in phases):
        total = area.get(SERIES, year, points[latest], PERSISTENT, "total", latest)
        reason = area.how(SERIES, year, points[latest], PERSISTENT, "total", latest)
        combined = reason.removeprefix("no all-schools figure: ") if total[2] == "none" else ""
        notes.append(
            f"DfE's file gives no all-schools figure for {area.name}"
            + (f", and {combined}" if combined else "")
            + ": its primary, secondary and special figures are shown separately, not combined."
        )
    table = Table(
        "persistent-series-data",
        f"Persistent absence so far this year at each point of DfE's series, {area.name}, "
        f"{period_label(year)}",
        (
            Column("point", "Year to date to the end of"),
            *(Column(f"s{j}", label, "%") for j, (_, _, label) in enumerate(lines)),
        ),
        tuple(rows),
        notes=tuple(notes),
        source=f"Source: {INYEAR} (persistent absence series, as published).",
    )
    shown = [
        f"{percent(v, status=s)} {label}"
        for (p, label) in phases
        for v, s in [get(area, latest, p)]
    ]
    title = f"Persistent absence in {area.name} so far this year, to the week starting {when}: " + (
        shown[0].removesuffix(" all schools") if area.code == ENGLAND else ", ".join(shown)
    )
    alt = (
        f"Line chart of persistent absence so far this year in {area.name}, "
        + ("all schools and each phase" if area.code == ENGLAND else "by phase")
        + f", at {counted(len(points), 'point')} of {period_label(year)}. The data table follows the chart."
    )
    if len(alt) > ALT_LIMIT:
        alt = (
            f"Line chart of persistent absence so far this year in {area.name}. Data table follows."
        )
    return Chart(
        "persistent-series",
        "line",
        title,
        "Persistent absence rate (10% or more of possible sessions missed), year to date, "
        f"state-funded schools, {area.name}, "
        f"{period_label(year)}" + ("" if not combined else "; phases only"),
        alt,
        series,
        "%",
        f"Source: {INYEAR}.",
        (),
        table,
    )
