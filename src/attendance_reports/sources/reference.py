"""Reference lookups: LA codes (live and terminated), regions, statistical neighbours.

The package ships DfE's lookups (reference/*.csv). A user may pass newer copies among the
data paths; read_reference() takes those instead of the packaged ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from attendance_reports.errors import DataError
from attendance_reports.sources.read import RawTable, read_csv

LONDON = "E12000007"
INNER_OUTER_LONDON = ("E13000001", "E13000002")
BANDS = ("Extremely close", "Very close", "Close", "Somewhat close", "Not close")


@dataclass(frozen=True)
class Reference:
    """Everything the pipeline knows about geography."""

    las: pd.DataFrame  # old_la_code, new_la_code, la_name, region_code, status, operation dates
    regions: dict[str, str]  # region code (E12…, E13…) -> name
    neighbours: pd.DataFrame  # model, old_la_code, rank, neighbour_code, band
    old_codes: frozenset[str] = field(default_factory=frozenset)
    new_codes: frozenset[str] = field(default_factory=frozenset)

    def region_of(self, old_la_code: str) -> str | None:
        """The English region (E12…) of an LA; London LAs map to London, not Inner/Outer."""
        rows = self.las.loc[self.las["old_la_code"] == old_la_code, "region_code"]
        return str(rows.iloc[0]) if len(rows) else None

    def neighbours_of(self, old_la_code: str, model: str = "2025") -> pd.DataFrame:
        """The 10 statistical neighbours of an LA (rank, neighbour_code, band), nearest first."""
        table = self.neighbours
        rows = table[(table["model"] == model) & (table["old_la_code"] == old_la_code)]
        return rows.sort_values("rank").reset_index(drop=True)


def normalise_region(code: str) -> str:
    """Inner and Outer London (E13…) -> London (E12000007) for regional benchmarks."""
    return LONDON if code in INNER_OUTER_LONDON else code


def _band(text: str) -> str:
    cleaned = " ".join(str(text).split()).capitalize()
    return cleaned


def _packaged(name: str) -> RawTable:
    with resources.as_file(
        resources.files("attendance_reports") / "sources" / "reference_data" / name
    ) as path:
        return read_csv(Path(path))


def las_from(table: RawTable) -> pd.DataFrame:
    """las.csv (EES screener) -> one row per (old, new) code pair."""
    f = table.frame
    rows = []
    for rec in f.to_dict("records"):
        olds = [c.strip() for c in str(rec["old_la_code"]).split("/")]
        news = [c.strip() for c in str(rec["new_la_code"]).split("/")]
        names = [c.strip() for c in str(rec["la_name"]).split(" / ")]
        if len(olds) != len(news):
            continue  # combined rows such as "940 / 941" are also listed singly
        for i, (old, new) in enumerate(zip(olds, news, strict=True)):
            rows.append(
                {
                    "old_la_code": old,
                    "new_la_code": new,
                    "la_name": names[i] if len(names) == len(olds) else rec["la_name"],
                    "region_code": rec["parent_geography_code"],
                    "status": rec["status"],
                    "date_of_operation": rec["date_of_operation"],
                    "date_of_termination": rec["date_of_termination"],
                }
            )
    return pd.DataFrame(rows).drop_duplicates().reset_index(drop=True)


def neighbours_from(table: RawTable) -> pd.DataFrame:
    """Either statistical-neighbour layout (2025: SN_1/SN_1P; 2021: SN1/SN1_band) -> long."""
    f = table.frame
    if "sn_1" in f.columns:
        model, code_col = "2025", "old_la_code"
        pairs = [(f"sn_{i}", f"sn_{i}p") for i in range(1, 11)]
    elif "sn1" in f.columns:
        model, code_col = "2021", "la_num"
        pairs = [(f"sn{i}", f"sn{i}_band") for i in range(1, 11)]
    else:
        raise DataError(
            table.where(),
            "not a statistical-neighbours file",
            "pass DfE's children's services statistical neighbours CSV",
        )
    for needed in [code_col, *(c for pair in pairs for c in pair)]:
        if needed not in f.columns:
            raise DataError(
                table.where(),
                f"required column '{needed}' is missing",
                "pass the statistical-neighbours file as DfE publishes it",
            )
    rows = []
    for i, rec in enumerate(f.to_dict("records")):
        own = str(rec[code_col]).strip()
        if not own.isdigit():
            raise DataError(
                table.where(i, code_col),
                f"LA code '{own}' is not a number",
                "use the 3-digit LA codes",
            )
        for rank, (code, band) in enumerate(pairs, start=1):
            neighbour = str(rec[code]).strip()
            if neighbour:
                rows.append(
                    {
                        "model": model,
                        "old_la_code": own,
                        "rank": rank,
                        "neighbour_code": neighbour,
                        "band": _band(rec[band]),
                    }
                )
    return pd.DataFrame(rows)


def read_reference(tables: dict[str, list[RawTable]] | None = None) -> Reference:
    """Build the Reference from user-passed tables, falling back to the packaged lookups."""
    tables = tables or {}
    las = las_from((tables.get("las") or [_packaged("las.csv")])[-1])
    hierarchy = (tables.get("region-hierarchy") or [_packaged("region_la_hierarchy.csv")])[-1]
    regions_raw = (tables.get("regions") or [_packaged("regions.csv")])[-1].frame
    regions = dict(zip(regions_raw["region_code"], regions_raw["region_name"], strict=True))
    h = hierarchy.frame
    old_codes = set(las["old_la_code"]) | set(h["old_la_code"])
    new_codes = set(las["new_la_code"]) | set(h["new_la_code"])
    old_codes -= {"x", "z", ""}
    new_codes -= {"x", "z", ""}
    # region from the hierarchy where las.csv has none
    region_by_old = dict(zip(h["old_la_code"], h["region_code"], strict=False))
    las["region_code"] = [
        rc if str(rc).startswith("E12") else region_by_old.get(old, rc)
        for old, rc in zip(las["old_la_code"], las["region_code"], strict=True)
    ]
    neighbour_tables = tables.get("neighbours") or [
        _packaged("statistical_neighbours_2021.csv"),
        _packaged("statistical_neighbours_2025.csv"),
    ]
    neighbours = pd.concat([neighbours_from(t) for t in neighbour_tables], ignore_index=True)
    neighbours = neighbours.drop_duplicates(["model", "old_la_code", "rank"], keep="last")
    return Reference(
        las=las,
        regions=regions,
        neighbours=neighbours.reset_index(drop=True),
        old_codes=frozenset(old_codes),
        new_codes=frozenset(new_codes),
    )
