"""Pick the rows of the indicator table a user asked for, computing only what is needed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from attendance_reports.errors import ConfigError
from attendance_reports.indicators.inyear import REGISTRY as INYEAR
from attendance_reports.indicators.inyear_select import inyear_rows
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
    unknown = [i for i in selection.indicators if i not in REGISTRY and i not in INYEAR]
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
            la_rows = frame[(frame["geographic_level"] == "la").to_numpy()]
            ranks = long_table(la_rows, results(la_rows, ranked))
            table = concat_tables([table, ranks[_mask(ranks, selection, {"la"}, las, False)]])
    lait = dataset.lait
    if len(lait) and wanted:
        lait = lait[_mask(lait, selection, levels, las, use_years=False)]
        table = add_lait(table, lait, wanted)
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
    if not len(inyear):
        return table
    return pd.concat([table.astype(object), inyear], ignore_index=True)
