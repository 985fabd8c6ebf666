"""The boundaries shipped for the maps: community safety partnerships and police force areas of England and Wales.

Generalised from ONS's boundaries (Open Government Licence v3.0) by ``reference/build_boundaries.py``
(see ``reference/README.md``): no tiles and no network. A shape is a list of rings, each an array
of (longitude, latitude), and a point inside it for its label.

>>> "Plymouth" in partnerships("Devon and Cornwall")
True
>>> len(force_areas())
43
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

REFERENCE = Path(__file__).resolve().parent / "reference"
CSP_FILE = REFERENCE / "csp_boundaries.geojson"
PFA_FILE = REFERENCE / "pfa_boundaries.geojson"
# The source and licence, to print under every map (the files carry it too, as ``attribution``).
ATTRIBUTION = (
    "boundaries: Office for National Statistics, Open Government Licence v3.0; "
    "contains OS data (c) Crown copyright and database right 2011"
)


@dataclass(frozen=True)
class Shape:
    """An area's outline: its rings (outer edges and holes alike) and a point inside it for a label."""

    rings: tuple[np.ndarray, ...]  # each (n, 2): longitude, latitude
    label: tuple[float, float]


def _shape(feature: dict) -> Shape:
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = tuple(np.asarray(ring, dtype=float) for polygon in polygons for ring in polygon)
    return Shape(rings, tuple(feature["properties"]["label"]))


@cache
def _features(path: Path) -> tuple[dict, ...]:
    return tuple(json.loads(path.read_text(encoding="utf-8"))["features"])


@cache
def partnerships(force: str) -> dict[str, Shape]:
    """The force's partnerships by name as the lookup spells them, those that ended in a merger included.

    Kept once read (a chart and its export both ask): callers must not change it.
    """
    return {f["properties"]["csp"]: _shape(f) for f in _features(CSP_FILE) if f["properties"]["force"] == force}


@cache
def force_areas() -> dict[str, Shape]:
    """Every police force area of England and Wales by name, as ``[[forces]]`` in the settings spells it (kept once
    read: callers must not change it)."""
    return {f["properties"]["force"]: _shape(f) for f in _features(PFA_FILE)}
