"""LAIT (Local Authority Interactive Tool) long-format rates -> tidy indicator rows.

LAIT publishes rates only (no counts), to 2 decimal places, with float artefacts in the file
("4.4000000000000004"): values are rounded half up to the dictionary's ``dps`` (2) on read,
and never rounded again. ``-`` means no data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from attendance_reports.errors import DataError, Location
from attendance_reports.render.formatting import round_half_up_array
from attendance_reports.sources.contract import Recognised, Source, stamp
from attendance_reports.sources.layouts import kind_of
from attendance_reports.sources.read import RawTable
from attendance_reports.sources.reference import Reference
from attendance_reports.sources.validate import Finding
from attendance_reports.symbols import STATUS_DTYPE, parse_numbers

REQUIRED = ("short_desc", "years", "la_number", "la_and_regions", "values")

#: LAIT short description -> (indicator id, phase)
MEASURES: dict[str, tuple[str, str]] = {
    "TotAbs": ("overall_absence_rate", "total"),
    "PriTotAbs": ("overall_absence_rate", "primary"),
    "PriAuth": ("authorised_absence_rate", "primary"),
    "PriUnauth": ("unauthorised_absence_rate", "primary"),
    "SecTotAbs": ("overall_absence_rate", "secondary"),
    "SecAuth": ("authorised_absence_rate", "secondary"),
    "SecUnauth": ("unauthorised_absence_rate", "secondary"),
    "total_absence_special": ("overall_absence_rate", "special"),
    "authorised_absence_special": ("authorised_absence_rate", "special"),
    "unauthorised_absence_special": ("unauthorised_absence_rate", "special"),
    "TotPerAbNew": ("persistent_absence_rate", "total"),
    "SFPriPerAbNew": ("persistent_absence_rate", "primary"),
    "SFSecPerAbNew": ("persistent_absence_rate", "secondary"),
    "SpecPerAbNew": ("persistent_absence_rate", "special"),
    "TotSevPerAbNew": ("severe_absence_rate", "total"),
    "SFPriSevPerAbNew": ("severe_absence_rate", "primary"),
    "SFSecSevPerAbNew": ("severe_absence_rate", "secondary"),
    "SpecSevPerAbNew": ("severe_absence_rate", "special"),
    "4yrAbsence": ("overall_absence_rate_four_year_olds", "total"),
    "CINPermAbsent_3Term": ("persistent_absence_rate_children_in_need", "total"),
}

PHASE_LABELS = {
    "total": "Total",
    "primary": "State-funded primary",
    "secondary": "State-funded secondary",
    "special": "Special",
}

#: LAIT entity numbers for England and the regions
AREAS: dict[str, tuple[str, str]] = {
    "970": ("national", "E92000001"),
    "980": ("regional", "E12000001"),
    "981": ("regional", "E12000002"),
    "982": ("regional", "E12000003"),
    "983": ("regional", "E12000004"),
    "984": ("regional", "E12000005"),
    "985": ("regional", "E12000006"),
    "986": ("regional", "E12000007"),
    "987": ("regional", "E13000001"),
    "988": ("regional", "E13000002"),
    "989": ("regional", "E12000008"),
    "990": ("regional", "E12000009"),
}

LAIT_DECIMALS = 2


def validate_lait(table: RawTable, reference: Reference) -> tuple[pd.DataFrame, list[Finding]]:
    """LAIT long file -> rows in the indicator-table layout (source 'LAIT')."""
    f = table.frame
    for column in REQUIRED:
        if column not in f.columns:
            raise DataError(
                Location(table.name, 1, 1),
                f"required column '{column}' is missing",
                "pass LAIT's long-format export with its original header",
            )
    years = f["years"].str.strip()
    bad = np.flatnonzero(~years.str.fullmatch(r"\d{4}").fillna(False).to_numpy(dtype=bool))
    if len(bad):
        raise DataError(
            table.where(int(bad[0]), "years"),
            f"Years '{years.iloc[bad[0]]}' is not a year",
            "LAIT gives the academic year's end year, e.g. 2019 for 2018/19",
        )
    end = years.astype(int)
    time_period = ((end - 1).astype(str) + (end % 100).astype(str).str.zfill(2)).astype("string")
    raw = f["values"].str.strip()
    raw = raw.where(raw != "-", "x")  # LAIT's '-' means no data
    values, status, bad_values = parse_numbers(raw)
    if len(bad_values):
        row = int(bad_values[0])
        raise DataError(
            table.where(row, "values"),
            f"'{f['values'].iloc[row]}' is not a number",
            "LAIT values are numbers or '-' for no data",
        )
    status = status if status is not None else np.zeros(len(values), dtype="int8")
    values = np.where(
        np.isnan(values),
        np.nan,
        round_half_up_array(np.nan_to_num(values), LAIT_DECIMALS) / 10**LAIT_DECIMALS,
    )

    number = f["la_number"].str.strip()
    areas = number.map(lambda n: AREAS.get(n, ("la", n)))
    level = areas.map(lambda a: a[0])
    code = areas.map(lambda a: a[1])
    unknown = np.flatnonzero(((level == "la") & ~number.isin(reference.old_codes)).to_numpy())
    if len(unknown):
        row = int(unknown[0])
        raise DataError(
            table.where(row, "la_number"),
            f"unknown LA number '{number.iloc[row]}'",
            "check the code, or pass an updated las.csv lookup with the data",
        )
    short = f["short_desc"].str.strip()
    known = short.isin(list(MEASURES)).to_numpy()
    findings = []
    if not known.all():
        first = int(np.flatnonzero(~known)[0])
        findings.append(
            Finding(
                f"LAIT measure '{short.iloc[first]}' is not used",
                int((~known).sum()),
                table.where(first, "short_desc"),
            )
        )
    indicator = short.map(lambda s: MEASURES.get(s, ("", ""))[0])
    phase = short.map(lambda s: MEASURES.get(s, ("", ""))[1])
    out = pd.DataFrame(
        {
            "time_period": time_period,
            "time_identifier": "Academic year",
            "period": "full-year",
            "geographic_level": level,
            "code": code,
            "name": f["la_and_regions"].str.strip(),
            "phase": phase,
            "phase_label": phase.map(PHASE_LABELS),
            "breakdown": "total",
            "indicator": indicator,
            "value": values,
            "numerator": np.nan,
            "denominator": np.nan,
            "status": pd.Categorical.from_codes(status, dtype=STATUS_DTYPE),
            "source": "LAIT",
            "line": np.arange(len(f)) + 2,
        }
    )[known]
    dup = out.duplicated(["time_period", "geographic_level", "code", "phase", "indicator"])
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(
            table.where(int(out.index[row]), "short_desc"),
            "duplicate LAIT row (same measure, year and area)",
            "remove the repeated row (or pass each file only once)",
        )
    return out.reset_index(drop=True), findings


def _recognise(table: RawTable) -> Recognised | None:
    if kind_of(list(table.frame.columns)) != "lait":
        return None
    return Recognised("lait", "state-funded", "full-year", reason="LAIT long export columns")


def _read(
    table: RawTable, recognised: Recognised, reference: Reference
) -> tuple[pd.DataFrame, list[Finding]]:
    frame, findings = validate_lait(table, reference)
    indicator = frame["indicator"].astype("string")
    population = np.select(
        [indicator.str.endswith("_four_year_olds"), indicator.str.endswith("_children_in_need")],
        ["four-year-olds", "children-in-need"],
        "state-funded",
    )
    frame["population"] = pd.Categorical(population)
    return stamp(frame, recognised), findings


SOURCE = Source(
    family="lait",
    title="Local Authority Interactive Tool (LAIT): absence measures, long format",
    target="lait",
    recognise=_recognise,
    read=_read,
)
