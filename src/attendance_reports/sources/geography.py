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

#: sequential classes, light (lowest) to dark; the legend and the text say which is which
CLASS_COLOURS = ("#D6E4F0", "#8FB3D9", "#3E77B6", "#12436D")
NO_DATA = "#FFFFFF"


def classify(values: dict[str, float], k: int = len(CLASS_COLOURS)) -> tuple[dict[str, int], list]:
    """Areas into ``k`` classes of about equal size by their value *as shown* (1 d.p., half
    up), so that a class's range is written in the numbers the table shows and equal shown
    values are always in one class. Returns (area -> class, [(low, high, count), ...]) with
    low and high in tenths; areas without a value are left out (class -1 on the map)."""
    from attendance_reports.render.formatting import round_half_up_array

    codes = sorted(c for c, v in values.items() if not np.isnan(v))
    if not codes:
        return {}, []
    tenths = round_half_up_array(np.array([values[c] for c in codes]), 1)
    distinct = np.unique(tenths)
    k = min(k, len(distinct))
    # cut the sorted values at the k-quantiles; a cut moves up to the next distinct value
    ordered = np.sort(tenths)
    cuts = [ordered[len(ordered) * q // k] for q in range(1, k)]
    edges = sorted({int(c) for c in cuts} - {int(distinct[0])})
    index = np.searchsorted(np.array(edges, dtype="int64"), tenths, side="right")
    out = {c: int(i) for c, i in zip(codes, index.tolist(), strict=True)}
    classes = []
    for i in range(len(edges) + 1):
        members = tenths[index == i]
        classes.append((int(members.min()), int(members.max()), len(members)))
    return out, classes


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


_DRAWN: dict[int, tuple[Boundaries, float, tuple[str, ...]]] = {}


def _drawn(boundaries: Boundaries) -> tuple[float, tuple[str, ...]]:
    """The map's height and each LA's SVG path, computed once per Boundaries."""
    key = id(boundaries)
    if key not in _DRAWN or _DRAWN[key][0] is not boundaries:
        x0, y0, x1, y1 = shapely.total_bounds(list(boundaries.geometries))
        scale = MAP_WIDTH / (x1 - x0)
        paths = tuple(
            _path(g.simplify(DRAW_TOLERANCE_M, preserve_topology=True), x0, y1, scale)
            for g in boundaries.geometries
        )
        _DRAWN[key] = (boundaries, (y1 - y0) * scale, paths)
    return _DRAWN[key][1:]


def choropleth_svg(
    boundaries: Boundaries,
    classes: dict[str, int],
    colours: tuple[str, ...] = CLASS_COLOURS,
    title: str = "",
) -> str:
    """An SVG map: each LA filled with its class's colour (-1: no data, white). Deterministic:
    the same inputs give the same bytes. ``classes`` is keyed by GSS code."""
    height, drawn = _drawn(boundaries)
    paths = []
    for code, d in zip(boundaries.codes, drawn, strict=True):
        k = classes.get(code, -1)
        fill = colours[k] if 0 <= k < len(colours) else NO_DATA
        paths.append(f'<path d="{d}" fill="{fill}" data-code="{escape(code)}"/>')
    heading = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH:g} {height:.0f}" '
        f'width="{MAP_WIDTH:g}" height="{height:.0f}">{heading}'
        f'<g stroke="#505a5f" stroke-width="0.4" stroke-linejoin="round">{"".join(paths)}</g>'
        "</svg>\n"
    )
