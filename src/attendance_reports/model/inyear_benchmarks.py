"""The "This year" pages' benchmarks: England, the region, statistical and geographic
neighbours of an LA (headline comparisons, benchmark and neighbour tables), England's regions
and the choropleth maps of LAs. Picks values; the one piece of arithmetic, a benchmark group's
mean, is the indicator layer's (``indicators.inyear.group_mean``).
"""

from __future__ import annotations

from attendance_reports.indicators.inyear import REGISTRY, group_mean
from attendance_reports.model.inyear_common import (
    ENGLAND,
    HEADLINES,
    MAPPED,
    MEASURE_WORDS,
    NAN,
    InYearArea,
    cumulative,
    method_column,
    method_words,
    row_method,
)
from attendance_reports.model.report_model import (
    Column,
    Comparison,
    Headline,
    Map,
    MapClass,
    Table,
)
from attendance_reports.model.site_data import INYEAR, SiteData
from attendance_reports.render.formatting import counted, percent, period_label
from attendance_reports.sources.geography import CLASS_COLOURS, classify
from attendance_reports.sources.reference import normalise_region


def _group(site: SiteData, codes: tuple[str, ...], key: tuple) -> tuple[float, int, int]:
    """(mean, LAs with a value, LAs in the group) of one figure over a group of LAs."""
    kind, year, period, _, phase, indicator = key
    return group_mean(site.inyear_las(kind, year, period, indicator, phase), list(codes))


def _benchmark_groups(site: SiteData, la_code: str) -> list[tuple[str, tuple[str, ...]]]:
    statistical = tuple(str(c) for c in site.reference.neighbours_of(la_code)["neighbour_code"])
    return [
        ("Statistical neighbours", statistical),
        ("Geographic neighbours", site.geographic_neighbours(la_code)),
    ]


def comparisons_of(
    site: SiteData, area: InYearArea, year: str, kind: str, period: str, indicator: str
) -> tuple[Comparison, ...]:
    """England, the region and (for an LA) its statistical and geographic neighbours."""
    out = []
    if area.code != ENGLAND:
        out.append(
            Comparison(
                "England",
                *InYearArea(site, "national", ENGLAND).get(kind, year, period, indicator)[:2],
            )
        )
    if area.level == "la":
        region = site.reference.region_of(area.code)
        if region:
            region = normalise_region(region)
            label = site.reference.regions.get(region, region)
            out.append(
                Comparison(
                    label,
                    *InYearArea(site, "regional", region, label).get(kind, year, period, indicator)[
                        :2
                    ],
                )
            )
        key = (kind, year, period, 0, "total", indicator)
        for label, codes in _benchmark_groups(site, area.code):
            if not codes:
                out.append(
                    Comparison(label, NAN, "not-applicable", "no local authority shares a boundary")
                )
                continue
            value, have, of = _group(site, codes, key)
            status = "ok" if have else "not-available"
            out.append(Comparison(label, value, status, f"mean of {have} of {of}"))
    return tuple(out)


def benchmark_table(headlines: tuple[Headline, ...], name: str) -> Table | None:
    if not headlines:
        return None
    labels = [c.label for c in headlines[0].comparisons]
    columns = [Column("measure", "Measure"), Column("area", name, "%")]
    columns += [Column(f"b{i}", label, "%") for i, label in enumerate(labels)]
    rows = []
    for h in headlines:
        row = {"measure": h.figure.label, "area": h.figure.value, "area__status": h.figure.status}
        row["method"] = h.figure.method
        for i, c in enumerate(h.comparisons):
            row[f"b{i}"], row[f"b{i}__status"] = c.value, c.status
        rows.append(row)
    notes = (
        "Statistical neighbours: the mean of the 10 most similar local authorities' rates "
        "(DfE children's services model, 2025), as LAIT computes it. Geographic neighbours: the "
        "mean of the local authorities that share a boundary (ONS boundaries, May 2023).",
    )
    method, how = method_column(rows, f"How {name}'s figure is made", f"{name}'s figures are")
    return Table(
        "benchmarks",
        f"{name} compared with England, its region, its statistical neighbours and its "
        f"geographic neighbours, {headlines[0].year}",
        (*columns, method),
        tuple(rows),
        notes=(*(notes if len(labels) > 1 else ()), *how),
        source=f"Source: {INYEAR}.",
    )


def neighbours_table(site: SiteData, area: InYearArea, year: str) -> Table | None:
    kind, period, label = cumulative(InYearArea(site, "national", ENGLAND), year)
    statistical = {
        str(r["neighbour_code"]): int(r["rank"])
        for r in site.reference.neighbours_of(area.code).to_dict("records")
    }
    geographic = site.geographic_neighbours(area.code)
    codes = list(statistical) + [c for c in geographic if c not in statistical]
    if not codes:
        return None
    rows = []
    names = site.reference.las.drop_duplicates("old_la_code").set_index("old_la_code")["la_name"]
    for code in codes:
        groups = []
        if code in statistical:
            groups.append(f"Statistical (rank {statistical[code]})")
        if code in geographic:
            groups.append("Geographic (shares a boundary)")
        row = {"name": str(names.get(code, code)), "group": "; ".join(groups)}
        how = []
        for m in ("inyear_overall_absence_rate", "inyear_persistent_absence_rate"):
            found = site.inyear_las(kind, year, period, m).get(code)
            value, status, method, source = found or (NAN, "not-available", "", "")
            row[m], row[f"{m}__status"] = value, status
            how.append((MEASURE_WORDS[m], method_words(site, method, source, m)))
        row["method"] = row_method(how)
        rows.append(row)
    method, how = method_column(
        rows, "How the figures are made", "the local authorities' figures are"
    )
    return Table(
        "neighbours",
        f"Statistical and geographic neighbours of {area.name}, {period_label(year)}, "
        f"{label.lower()}",
        (
            Column("name", "Local authority"),
            Column("group", "Neighbour group"),
            Column("inyear_overall_absence_rate", "Overall absence rate", "%"),
            Column("inyear_persistent_absence_rate", "Persistent absence rate", "%"),
            method,
        ),
        tuple(rows),
        notes=(
            "Statistical neighbours: DfE children's services model, 2025 (rank 1 = most "
            "similar). Geographic neighbours: local authorities sharing a boundary in ONS's "
            "county and unitary authority boundaries (May 2023), within 30 metres.",
            *how,
        ),
        source=f"Source: {INYEAR}.",
    )


def regions_table(site: SiteData, year: str) -> Table:
    kind, period, label = cumulative(InYearArea(site, "national", ENGLAND), year)
    rows = []
    for code, name in sorted(site.reference.regions.items(), key=lambda kv: kv[1]):
        if not code.startswith("E12"):
            continue
        region = InYearArea(site, "regional", code, name)
        row = {"region": name}
        for m in HEADLINES:
            row[m], row[f"{m}__status"] = region.get(kind, year, period, m)[:2]
        row["method"] = row_method(
            [(MEASURE_WORDS[m], region.how(kind, year, period, m)) for m in HEADLINES]
        )
        rows.append(row)
    method, how = method_column(rows, "How the figures are made", "the regions' figures are")
    return Table(
        "regions",
        f"Attendance and absence by region, {period_label(year)}, {label.lower()}",
        (
            Column("region", "Region"),
            *(Column(m, REGISTRY[m].label, "%") for m in HEADLINES),
            method,
        ),
        tuple(rows),
        notes=how,
        source=f"Source: {INYEAR}.",
    )


def maps(site: SiteData, year: str) -> tuple[Map, ...]:
    if site.boundaries is None:
        return ()
    kind, period, label = cumulative(InYearArea(site, "national", ENGLAND), year)
    to_la = site.gss_to_la
    out = []
    for indicator in MAPPED:
        spec = REGISTRY[indicator]
        values, statuses, names, how = {}, {}, {}, {}
        for gss, name in zip(site.boundaries.codes, site.boundaries.names, strict=True):
            value, status, method, source = site.inyear_las(kind, year, period, indicator).get(
                to_la.get(gss, ""), (NAN, "not-available", "", "")
            )
            values[gss] = value if status == "ok" else NAN
            statuses[gss], names[gss] = status, name
            how[gss] = method_words(site, method, source, indicator)
        classes, ranges = classify(values)
        legend = tuple(
            MapClass(
                f"{percent(lo / 10)} to {percent(hi / 10)} ({n} local authorities)",
                CLASS_COLOURS[i],
                n,
            )
            for i, (lo, hi, n) in enumerate(ranges)
        )
        missing = sorted(names[g] for g in values if g not in classes)
        shade = (
            ["lightest", "light", "dark", "darkest"]
            if len(legend) == 4
            else [f"shade {i + 1}" for i in range(len(legend))]
        )
        description = [
            f"Each local authority is shaded by its {spec.label.lower()} in {period_label(year)} "
            f"({label.lower()}), in {counted(len(legend), 'group')} of about equal size: "
            + "; ".join(f"{shade[i]}, {c.label}" for i, c in enumerate(legend))
            + ". Darker means higher absence."
        ]
        if missing:
            description.append("White, no figure: " + ", ".join(missing) + ".")
        order = sorted(values, key=lambda g: names[g])
        rows = tuple(
            {
                "name": names[g],
                "value": values[g],
                "value__status": statuses[g],
                "group": shade[classes[g]] if g in classes else "white (no figure)",
                "method": how[g],
            }
            for g in order
        )
        method, method_note = method_column(
            list(rows), "How the figure is made", "the local authorities' figures are"
        )
        table = Table(
            f"map-{indicator.removeprefix('inyear_').removesuffix('_rate').replace('_', '-')}-data",
            f"{spec.label} by local authority, {period_label(year)}, {label.lower()}",
            (
                Column("name", "Local authority"),
                Column("value", spec.label, "%"),
                Column("group", "Map shading"),
                method,
            ),
            rows,
            notes=method_note,
            source=f"Source: {INYEAR}; boundaries: Office for National Statistics (OGL v3.0), "
            "contains OS data © Crown copyright and database right 2023.",
        )
        id_ = f"map-{indicator.removeprefix('inyear_').removesuffix('_rate').replace('_', '-')}"
        out.append(
            Map(
                id_,
                f"{spec.label} by local authority, {period_label(year)}",
                f"{spec.label}, state-funded schools, local "
                f"authorities in England, {period_label(year)}, {label.lower()}",
                f"Map of England's local authorities shaded by {spec.label.lower()} in "
                f"{period_label(year)}, in {counted(len(legend), 'group')}. The groups are described "
                "below and every value is in the table that follows.",
                legend,
                tuple((g, classes.get(g, -1)) for g in site.boundaries.codes),
                tuple(description),
                table.source,
                table,
            )
        )
    return tuple(out)
