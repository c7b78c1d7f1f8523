"""Geographic neighbours and maps from ONS's county and unitary authority boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from attendance_reports.sources.geography import choropleth_svg, read_boundaries

BOUNDARIES = "reference/boundaries/CTYUA_MAY_2023_UK_BUC.shp"


@pytest.fixture(scope="module", params=["shared", "bundled"])
def boundaries(request, repo: Path):
    if request.param == "shared":
        return read_boundaries(request.getfixturevalue("shared_data") / BOUNDARIES)
    return read_boundaries(repo / "data" / BOUNDARIES)


def _names(boundaries, codes) -> list[str]:
    names = dict(zip(boundaries.codes, boundaries.names, strict=True))
    return sorted(names[c] for c in codes)


def test_england_has_153_las(boundaries) -> None:
    assert len(boundaries.codes) == 153


def test_cambridgeshire_has_nine_neighbours(boundaries) -> None:
    neighbours = boundaries.neighbours()
    assert _names(boundaries, neighbours["E10000003"]) == [
        "Bedford",
        "Central Bedfordshire",
        "Essex",
        "Hertfordshire",
        "Lincolnshire",
        "Norfolk",
        "North Northamptonshire",
        "Peterborough",
        "Suffolk",
    ]


def test_islands_have_none(boundaries) -> None:
    neighbours = boundaries.neighbours()
    assert neighbours["E06000046"] == ()  # Isle of Wight
    assert neighbours["E06000053"] == ()  # Isles of Scilly


def test_tolerance_closes_the_peterborough_rutland_gap_and_nothing_else(boundaries) -> None:
    touching, tolerant = boundaries.neighbours(0.0), boundaries.neighbours()
    pairs = lambda n: {tuple(sorted((a, b))) for a, bs in n.items() for b in bs}  # noqa: E731
    assert len(pairs(touching)) == 374
    # Rutland (E06000017) and Peterborough (E06000031): 19 m apart in the generalised file
    assert pairs(tolerant) - pairs(touching) == {("E06000017", "E06000031")}
    assert len(pairs(tolerant)) == 375
    # neighbours are symmetric
    assert all(a in tolerant[b] for a, bs in tolerant.items() for b in bs)


def test_map_svg_is_deterministic_and_draws_every_la(boundaries) -> None:
    classes = {c: i % 4 for i, c in enumerate(boundaries.codes)}
    svg = choropleth_svg(boundaries, classes, title="test")
    assert svg == choropleth_svg(boundaries, classes, title="test")
    assert svg.count("<path ") == 153
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
