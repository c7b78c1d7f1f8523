"""Pick the rows of the indicator table a user asked for, computing only what is needed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attendance_reports.errors import ConfigError, NoMatch
from attendance_reports.indicators.groups import group_rates
from attendance_reports.indicators.inyear import REGISTRY as INYEAR
from attendance_reports.indicators.inyear_select import EXTRA_COLUMNS, inyear_rows
from attendance_reports.indicators.missed_by_reason import REGISTRY as MISSED
from attendance_reports.indicators.missed_by_reason import reason_rows
from attendance_reports.indicators.rate_bands import REGISTRY as BANDS
from attendance_reports.indicators.rate_bands import band_rows
from attendance_reports.indicators.registry import REGISTRY
from attendance_reports.indicators.table import (
    OUTPUT_COLUMNS,
    add_lait,
    concat_tables,
    empty_table,
    indicator_table,
    lexical,
    long_table,
    results,
    with_dtype,
)
from attendance_reports.render.formatting import period_code
from attendance_reports.sources.layouts import PHASES
from attendance_reports.sources.load import Dataset
from attendance_reports.sources.validate import slug


@dataclass(frozen=True)
class Selection:
    la_codes: tuple[str, ...] = ()
    urns: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()


def _phase_ids(phases: tuple[str, ...]) -> set[str]:
    return {PHASES.get(slug(p), slug(p).replace("_", "-")) for p in phases}


def _la_codes(dataset: Dataset, codes: tuple[str, ...]) -> set[str]:
    """Accept 3-digit or E-codes; return 3-digit old codes (or the code itself if unknown)."""
    las = dataset.reference.las
    out = set()
    for code in codes:
        code = code.strip()
        match = las.loc[las["new_la_code"] == code, "old_la_code"]
        if code in dataset.reference.old_codes:
            out.add(code)
        elif len(match):
            out.update(match)
        else:
            raise ConfigError(
                f"--la {code}: unknown LA code — use the 3-digit code (873) or the "
                "E-code (E10000003)"
            )
    return out


def _mask(
    frame: pd.DataFrame, selection: Selection, levels: set[str], las: set[str], use_years: bool
) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    if levels:
        mask &= frame["geographic_level"].isin(list(levels)).to_numpy()
    if las:
        in_la = frame["code"].isin(list(las)).to_numpy()
        if "old_la_code" in frame.columns:
            in_la = in_la | (
                (frame["geographic_level"] == "school").to_numpy()
                & frame["old_la_code"].isin(list(las)).to_numpy()
            )
        mask &= in_la
    if selection.urns:
        mask &= (
            ~(frame["geographic_level"] == "school").to_numpy()
            | frame["code"].isin(list(selection.urns)).to_numpy()
        )
    if selection.phases:
        mask &= frame["phase"].isin(list(_phase_ids(selection.phases))).to_numpy()
    if use_years and selection.years:
        mask &= frame["time_period"].isin([period_code(y) for y in selection.years]).to_numpy()
    return mask


def select_indicators(dataset: Dataset, selection: Selection) -> pd.DataFrame:
    """The indicator table filtered to the selection, in the public column order."""
    known = {*REGISTRY, *INYEAR, *BANDS, *MISSED}
    unknown = [i for i in selection.indicators if i not in known]
    if unknown:
        raise ConfigError(
            f"--indicator {unknown[0]}: unknown indicator id — the README lists the ids"
        )
    chosen = set(selection.indicators)
    wanted = chosen & set(REGISTRY) if chosen else set(REGISTRY)
    levels = set(selection.levels)
    if not levels and selection.urns:
        levels = {"school"}
    elif not levels and selection.la_codes:
        levels = {"la"}
    las = _la_codes(dataset, selection.la_codes)
    frame = dataset.absence
    table = empty_table()
    if len(frame) and wanted:
        # every year of the chosen areas, so changes and 3-year averages can look back
        sub = frame[_mask(frame, selection, levels, las, use_years=False)]
        plain = {w for w in wanted if not w.endswith(("_rank", "_quartile"))}
        table = indicator_table(sub, None, plain)
        ranked = wanted - plain
        if ranked and (not levels or "la" in levels):
            # ranks need England's row too: an LA is ranked only among all of England's LAs
            la_rows = frame[frame["geographic_level"].isin(["la", "national"]).to_numpy()]
            ranks = long_table(la_rows, results(la_rows, ranked))
            table = concat_tables([table, ranks[_mask(ranks, selection, {"la"}, las, False)]])
    lait = dataset.lait
    if len(lait) and wanted:
        lait = lait[_mask(lait, selection, levels, las, use_years=False)]
        table = add_lait(table, lait, wanted)
    groups = _group_rows(dataset, selection, levels, las, wanted)
    if len(groups):  # pupil-group files: all pupils where no census row says it already
        table = concat_tables([table, _not_in(groups, table)])
    keep = _mask(table, selection, set(), set(), use_years=True) if len(table) else []
    table = table[keep] if len(table) else table
    order = ["time_period", "geographic_level", "code", "phase", "breakdown", "indicator"]
    table = lexical(with_dtype(table, "category"))
    table = table.sort_values(order, kind="stable").reset_index(drop=True)[list(OUTPUT_COLUMNS)]
    # in-year rows (a different source: after the census rows, with method and published)
    inyear = inyear_rows(
        dataset.inyear,
        dataset.inyear_groups,
        wanted=chosen & set(INYEAR) if chosen else set(INYEAR),
        levels=levels,
        las=las,
        years=selection.years,
        phases=_phase_ids(selection.phases) if selection.phases else set(),
    )
    files = _file_rows(dataset, selection, levels, las, chosen)
    if not len(table) and not len(inyear) and not len(files):
        raise NoMatch(_no_match(dataset, selection))
    if not len(inyear) and not len(files):
        return table
    parts = [p for p in (table.astype(object), inyear, files) if len(p)]
    return pd.concat(parts, ignore_index=True)


def _file_rows(
    dataset: Dataset, selection: Selection, levels: set[str], las: set[str], chosen: set[str]
) -> pd.DataFrame:
    """The rows of the 2016/17 subjects read on their own (one-point absence bands, enrolments
    missing a session by reason) in the public layout with ``method`` and ``published``:
    after the census and in-year rows; ``breakdown`` names the band or the reason."""
    parts = []
    for frame, ids, make in (
        (dataset.rate_bands, BANDS, band_rows),
        (dataset.missed_by_reason, MISSED, reason_rows),
    ):
        wanted = chosen & set(ids) if chosen else set(ids)
        if not len(frame) or not wanted:
            continue
        keep = _mask(frame, selection, levels, set(), use_years=True)
        if las:  # an LA's rows, and its schools' (old_la_code) when schools are asked for
            in_la = frame["code"].isin(list(las)).to_numpy() & (frame["geographic_level"] == "la")
            if "old_la_code" in frame.columns:
                in_la |= (frame["geographic_level"] == "school").to_numpy() & frame[
                    "old_la_code"
                ].isin(list(las)).to_numpy()
            keep &= np.asarray(in_la)
        if make is reason_rows and (not levels or "regional" in levels):
            keep |= _london_parts(frame, selection)  # London = Inner + Outer London
        rows = make(frame[keep])
        rows = rows[rows["indicator"].isin(list(wanted)).to_numpy()]
        rows = rows[_mask(rows, selection, levels, las, use_years=True)]
        parts.append(rows[[*OUTPUT_COLUMNS, *EXTRA_COLUMNS]])
    if not parts:
        return pd.DataFrame(columns=[*OUTPUT_COLUMNS, *EXTRA_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def _london_parts(frame: pd.DataFrame, selection: Selection) -> np.ndarray:
    """Inner and Outer London's rows, which London's row is summed from."""
    keep = (frame["geographic_level"] == "regional").to_numpy() & frame["code"].isin(
        ["E13000001", "E13000002"]
    ).to_numpy()
    return keep & _mask(frame, selection, set(), set(), use_years=True)


def _group_rows(
    dataset: Dataset, selection: Selection, levels: set[str], las: set[str], wanted: set[str]
) -> pd.DataFrame:
    """Pupil-group rates (absence bands, children in need, characteristics) as indicator-table
    rows: ``breakdown`` = 'total' for all pupils, else '<topic>/<group>' (e.g. 'fsm/eligible')."""
    if not len(dataset.groups) or (
        selection.phases and "total" not in _phase_ids(selection.phases)
    ):
        return empty_table()
    rates = group_rates(dataset.groups)
    rates = rates[rates["measure"].isin(list(wanted)).to_numpy()]
    if not len(rates):
        return empty_table()
    topic, group = rates["topic"].astype("string"), rates["group"].astype("string")
    out = pd.DataFrame(
        {
            "time_period": rates["time_period"].astype("string"),
            "time_identifier": "Academic year",
            "period": rates["period"].astype("string"),
            "geographic_level": rates["geographic_level"].astype("string"),
            "code": rates["code"].astype("string"),
            "name": rates["name"].astype("string"),
            "phase": "total",
            "breakdown": (topic + "/" + group).where(topic != "all", "total"),
            "indicator": rates["measure"].astype("string"),
            "value": rates["value"].to_numpy(dtype="float64"),
            "numerator": rates["numerator"].to_numpy(dtype="float64"),
            "denominator": rates["denominator"].to_numpy(dtype="float64"),
            "status": rates["status"].astype("string"),
            "source": rates["source"].astype("string"),
        }
    )
    out = out[_mask(out, selection, levels, las, use_years=False)]
    return with_dtype(out, "category")


def _not_in(rows: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """``rows`` whose key the table has no row for."""
    if not len(table):
        return rows
    key = ["time_period", "geographic_level", "code", "phase", "breakdown", "indicator"]
    have = pd.MultiIndex.from_frame(table[key].astype("string"))
    mine = pd.MultiIndex.from_frame(rows[key].astype("string"))
    return rows[~mine.isin(have)]


def _no_match(dataset: Dataset, selection: Selection) -> str:
    """One line naming the filter that matched nothing and what the data holds."""
    census = (dataset.absence, dataset.lait, dataset.groups)
    frames = [f for f in (*census, dataset.inyear, dataset.inyear_groups) if len(f)]
    if not frames:
        return "the files hold no census, LAIT, pupil-group or in-year figures — see the README"

    def present(column: str) -> list[str]:
        return sorted({str(v) for f in frames if column in f.columns for v in pd.unique(f[column])})

    years = sorted({*present("time_period"), *present("academic_year")})
    if selection.years:
        wanted = [period_code(y) for y in selection.years]
        if not set(wanted) & set(years):
            shown = ", ".join(f"{y[:4]}/{y[4:]}" for y in years)
            return f"--year {', '.join(selection.years)}: no figures for that year — the data has {shown}"
    if selection.la_codes:
        las = present("old_la_code") + present("code")
        missing = [c for c in selection.la_codes if c not in las]
        if missing:
            return (
                f"--la {missing[0]}: this LA is not in the files given — pass a file with its rows"
            )
    if selection.urns:
        return f"--school {selection.urns[0]}: no such school in the files given — check the URN"
    if selection.phases:
        return (
            f"--phase {', '.join(selection.phases)}: no figures for that phase with the other "
            f"filters — phases in the data: {', '.join(present('phase'))}"
        )
    if selection.levels:
        return (
            f"--level {', '.join(selection.levels)}: no figures at that level — levels in the "
            f"data: {', '.join(present('geographic_level'))}"
        )
    return "no figures match these filters — run without them to see what the data holds"
