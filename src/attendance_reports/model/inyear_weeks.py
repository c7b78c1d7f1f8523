"""The "This year" pages' weekly chart: overall absence week by week against the same ISO
weeks of the previous year, holiday weeks as gaps (never 0), with its data table.
"""

from __future__ import annotations

from attendance_reports.model.inyear_common import (
    ALT_LIMIT,
    ENGLAND,
    NAN,
    InYearArea,
    academic_order,
    date_text,
    week_start,
)
from attendance_reports.model.report_model import Chart, Column, Series, Table
from attendance_reports.model.site_data import INYEAR, SiteData
from attendance_reports.render.formatting import percent, period_label


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
    weeks = sorted(
        {w for _, a, y, _ in lines for w in a.weeks(y)} | set(england.weeks(year)),
        key=academic_order,
    )
    if not weeks or not area.weeks(year):
        return None
    # the weeks each year's files cover: a week inside that range without a row is a holiday
    covered = {}
    for y in {y for _, _, y, _ in lines}:
        have = sorted(set(england.weeks(y)) | set(area.weeks(y)), key=academic_order)
        covered[y] = (academic_order(have[0]), academic_order(have[-1])) if have else None
    x = tuple(f"{d.day} {d:%b}" if (d := week_start(year, w)) else f"Week {w}" for w in weeks)
    series, table_rows = [], []
    for label, a, y, highlight in lines:
        got = a.weeks(y)
        ys = tuple(got[w][0] if w in got and got[w][1] == "ok" else NAN for w in weeks)
        series.append(Series(label, x, ys, highlight))
    for w in weeks:
        row = {"week": f"Week {w}", "starting": date_text(week_start(year, w))}
        for j, (_, a, y, _) in enumerate(lines):
            got = a.weeks(y)
            if w in got:
                row[f"s{j}"], row[f"s{j}__status"] = got[w][:2]
            else:
                span = covered[y]
                inside = span is not None and span[0] <= academic_order(w) <= span[1]
                row[f"s{j}"] = NAN
                row[f"s{j}__status"] = "not-applicable" if inside else "not-available"
        table_rows.append(row)
    columns = (
        Column("week", "ISO week"),
        Column("starting", f"Week starting ({period_label(year)})"),
        *(Column(f"s{j}", s.label, "%") for j, s in enumerate(series)),
    )
    table = Table(
        "weekly-data",
        f"Overall absence by week, {area.name}",
        columns,
        tuple(table_rows),
        notes=(
            "Weeks are matched by ISO week number. [z]: half-term or holiday week (no sessions "
            "in the area's schools, or too few to publish); [x]: not yet published.",
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
        f"Overall absence rate by week, state-funded primary, secondary and special schools, "
        f"{area.name}, {period_label(year)}"
        + (f" and {period_label(previous)}" if len(lines) > 1 else ""),
        alt,
        tuple(series),
        "%",
        f"Source: {INYEAR}.",
        (),
        table,
    )
