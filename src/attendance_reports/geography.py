"""LA boundaries (ONS counties and unitary authorities, BUC): geographic neighbours and
choropleth maps as SVG. Read with pyshp, geometry with shapely; nothing is fetched.

Geographic neighbours are LAs whose boundaries touch or come within ``TOLERANCE_M`` metres of
each other (British National Grid). The generalised (BUC) file leaves small gaps between some
neighbours (Peterborough and Rutland are 19 m apart): 30 m closes them and adds no other pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np
import shapefile
import shapely
from shapely.geometry import shape

from attendance_reports.errors import DataError, Location

TOLERANCE_M = 30.0
ENGLAND_PREFIX = "E"
#: the map's width in SVG units; the height follows England's shape
MAP_WIDTH = 560.0
#: simplification of the drawn outline (metres): invisible at this size, a tenth of the bytes
DRAW_TOLERANCE_M = 400.0


@dataclass(frozen=True)
class Boundaries:
    """England's LA polygons, keyed by the 9-character GSS code (new_la_code)."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    geometries: tuple  # shapely (Multi)Polygons in British National Grid metres

    def neighbours(self, tolerance: float = TOLERANCE_M) -> dict[str, tuple[str, ...]]:
        """GSS code -> the codes of LAs within ``tolerance`` metres (sorted; none for islands)."""
        tree = shapely.STRtree(list(self.geometries))
        left, right = tree.query(list(self.geometries), predicate="dwithin", distance=tolerance)
        out: dict[str, set[str]] = {c: set() for c in self.codes}
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i != j:
                out[self.codes[i]].add(self.codes[j])
        return {c: tuple(sorted(v)) for c, v in out.items()}


def read_boundaries(path: Path) -> Boundaries:
    """England's county and unitary authority polygons from an ONS shapefile."""
    try:
        reader = shapefile.Reader(str(path))
    except (shapefile.ShapefileException, OSError) as exc:
        raise DataError(
            Location(str(path)),
            f"cannot read the boundary shapefile ({exc})",
            "pass the .shp with its .shx and .dbf beside it (ONS CTYUA BUC file)",
        ) from None
    with reader:
        fields = [f[0] for f in reader.fields[1:]]
        code_field = next((f for f in fields if f.upper().endswith("CD")), None)
        name_field = next((f for f in fields if f.upper().endswith("NM")), None)
        if code_field is None or name_field is None:
            raise DataError(
                Location(str(path)),
                f"the boundary file has no code and name fields (has {', '.join(fields)})",
                "pass the ONS counties and unitary authorities file (CTYUA23CD, CTYUA23NM)",
            )
        codes, names, geometries = [], [], []
        for record in reader.iterShapeRecords():
            code = str(record.record[code_field])
            if not code.startswith(ENGLAND_PREFIX):
                continue
            geometry = shape(record.shape.__geo_interface__)
            if not geometry.is_valid:
                geometry = shapely.make_valid(geometry)
            codes.append(code)
            names.append(str(record.record[name_field]))
            geometries.append(geometry)
    order = np.argsort(codes, kind="stable")
    return Boundaries(
        tuple(codes[i] for i in order),
        tuple(names[i] for i in order),
        tuple(geometries[i] for i in order),
    )


# ---- maps ------------------------------------------------------------------------------------

#: sequential classes, light (lowest absence) to dark; text in the legend says which is which
CLASS_COLOURS = ("#D6E4F0", "#8FB3D9", "#3E77B6", "#12436D")
NO_DATA = "#FFFFFF"


@dataclass(frozen=True)
class MapClass:
    label: str  # e.g. "5.0% to 5.9%"
    colour: str
    count: int


def _path(geometry, x0: float, y1: float, scale: float) -> str:
    polygons = getattr(geometry, "geoms", [geometry])
    parts = []
    for polygon in polygons:
        if polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            px = np.round((xy[:, 0] - x0) * scale, 1)
            py = np.round((y1 - xy[:, 1]) * scale, 1)
            points = " ".join(f"{a:g} {b:g}" for a, b in zip(px, py, strict=True))
            parts.append(f"M{points}Z")
    return "".join(parts)


def choropleth_svg(
    boundaries: Boundaries,
    classes: dict[str, int],
    colours: tuple[str, ...] = CLASS_COLOURS,
    title: str = "",
) -> str:
    """An SVG map: each LA filled with its class's colour (-1: no data, white). Deterministic:
    the same inputs give the same bytes. ``classes`` is keyed by GSS code."""
    x0, y0, x1, y1 = shapely.total_bounds(list(boundaries.geometries))
    scale = MAP_WIDTH / (x1 - x0)
    height = (y1 - y0) * scale
    paths = []
    for code, geometry in zip(boundaries.codes, boundaries.geometries, strict=True):
        drawn = geometry.simplify(DRAW_TOLERANCE_M, preserve_topology=True)
        k = classes.get(code, -1)
        fill = colours[k] if 0 <= k < len(colours) else NO_DATA
        paths.append(
            f'<path d="{_path(drawn, x0, y1, scale)}" fill="{fill}" data-code="{escape(code)}"/>'
        )
    heading = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH:g} {height:.0f}" '
        f'width="{MAP_WIDTH:g}" height="{height:.0f}">{heading}'
        f'<g stroke="#505a5f" stroke-width="0.4" stroke-linejoin="round">{"".join(paths)}</g>'
        "</svg>\n"
    )
