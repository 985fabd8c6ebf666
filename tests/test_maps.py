"""The maps of Places: shipped boundaries with known areas, the projection, the classes, and protection on release."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from test_places import hand_built_inputs

from dashboard.charts import catalogue, maps
from dashboard.outputs import images, layout, release
from data_loaders import boundaries
from data_loaders.settings import load_settings
from data_loaders.sources import mid_year_estimates


def area_km2(shape: boundaries.Shape) -> float:
    """The area inside a shape's rings (holes taken off), in square kilometres on the map's projection."""
    total = 0.0
    for ring in shape.rings:
        x, y = maps.project(ring[:, 0], ring[:, 1])
        total += 0.5 * (np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))
    return abs(total)


# ---- the shipped boundaries ------------------------------------------------------------------------------


def test_every_partnership_the_lookup_names_has_a_boundary_in_its_own_force():
    lookup = mid_year_estimates.lookup()
    for force, rows in lookup.groupby("pfa_name"):
        assert set(boundaries.partnerships(force)) == set(rows["csp_name"]), force
    features = json.loads(boundaries.CSP_FILE.read_text(encoding="utf-8"))["features"]
    current = [f for f in features if f["properties"]["in_use_to"] is None]
    assert (len(features), len(current)) == (359, 317)
    assert {f["properties"]["csp"] for f in features if f["properties"]["in_use_to"] == 2023} >= {
        "Allerdale", "Harrogate", "Mendip", "Somerset West and Taunton"
    }  # fmt: skip


def test_every_police_force_area_in_the_settings_has_a_boundary(settings):
    assert sorted(boundaries.force_areas()) == sorted(settings.territorial_forces)


def test_the_boundaries_have_their_known_areas_and_stay_small():
    # Land areas to mean high water, as ONS gives them: Plymouth 79.8 km2, Torbay 62.9, Exeter 47.0,
    # Cornwall and the Isles of Scilly 3,562; England and Wales about 151,000.
    partnerships = boundaries.partnerships("Devon and Cornwall")
    known = {"Plymouth": 79.8, "Torbay": 62.9, "Exeter": 47.0, "Cornwall and Isles of Scilly": 3562}
    for name, km2 in known.items():
        assert area_km2(partnerships[name]) == pytest.approx(km2, rel=0.03), name
    areas = boundaries.force_areas()
    assert sum(area_km2(shape) for shape in areas.values()) == pytest.approx(151_000, rel=0.02)
    # The force's area is its partnerships' (simplified less finely, so within a per cent).
    total = sum(area_km2(shape) for shape in partnerships.values())
    assert area_km2(areas["Devon and Cornwall"]) == pytest.approx(total, rel=0.01)
    assert boundaries.CSP_FILE.stat().st_size < 1_000_000
    assert boundaries.PFA_FILE.stat().st_size < 150_000


def test_every_ring_is_closed_within_england_and_wales_with_its_label_inside_its_extent():
    shapes = [*boundaries.force_areas().values()]
    shapes += [s for force in boundaries.force_areas() for s in boundaries.partnerships(force).values()]
    for shape in shapes:
        for ring in shape.rings:
            assert (ring[0] == ring[-1]).all() and len(ring) >= 4
            assert ring[:, 0].min() > -6.5 and ring[:, 0].max() < 2.0
            assert ring[:, 1].min() > 49.8 and ring[:, 1].max() < 55.9
        points = np.concatenate(shape.rings)
        lon, lat = shape.label
        assert points[:, 0].min() <= lon <= points[:, 0].max() and points[:, 1].min() <= lat <= points[:, 1].max()


# ---- the projection and the classes ---------------------------------------------------------------------


def test_the_projection_is_true_on_its_central_meridian_and_symmetric_about_it():
    x, y = maps.project(np.array([-2.0, -1.0, -3.0]), np.array([49.0, 49.0, 49.0]))
    assert x[0] == 0 and y[0] == pytest.approx(maps.RADIUS_KM * math.radians(49))
    # A degree of longitude at 49 degrees north is 111.19 km x cos(49) = 72.95 km.
    assert x[1] == pytest.approx(72.95, abs=0.05) and x[2] == pytest.approx(-x[1])


def test_ten_values_make_five_classes_of_two_whose_ranges_meet():
    classes = maps.bands([float(v) for v in range(10, 0, -1)])
    assert [(b.low, b.high) for b in classes] == [(1, 2.99), (3, 4.99), (5, 6.99), (7, 8.99), (9, 10)]
    assert [b.label("per 1,000") for b in classes][0] == "1.00 to 2.99 per 1,000"
    assert [b.pattern for b in classes] == ["", ".", "/", "x", "+"]
    assert [maps.band_of(v, classes).low for v in (1, 2.99, 2.994, 3, 10)] == [1, 1, 1, 3, 9]


def test_a_few_distinct_values_each_get_a_class_spread_over_the_shades():
    classes = maps.bands([2.0, 2.0, 5.0])
    assert [(b.low, b.high, b.shade) for b in classes] == [(2.0, 4.99, maps.SHADES[0]), (5.0, 5.0, maps.SHADES[4])]
    assert maps.bands([]) == []


# ---- the maps as charts: labelled, protected on release ---------------------------------------------------


def labels(chart) -> dict[str, str]:
    """Each area label on a map: the area's name and what it shows."""
    found = {}
    for annotation in chart.figure.layout.annotations:
        if annotation.name == "area-label":
            name, shown = annotation.text.split("<br>")
            found[name.removeprefix("<b>").removesuffix("</b>")] = shown
    return found


def area_fill(chart, name: str) -> tuple[str, str]:
    trace = next(t for t in chart.figure.data if t.name == name and t.showlegend is False)
    return trace.fillcolor, trace.fillpattern.shape if trace.fillpattern else ""


def test_the_partnership_map_labels_each_partnership_with_its_rate(settings):
    chart = catalogue.build("places-map", hand_built_inputs(settings))
    # Year ending March 2025: Exeter 12 over 120,000 people, Plymouth 440 over 200,000, Torbay 200 over 130,000.
    assert labels(chart) == {"Exeter": "0.10", "Plymouth": "2.20", "Torbay": "1.54"}
    assert "Unassigned" not in json.dumps(chart.figure.layout.annotations[0].to_plotly_json())
    assert chart.alt.startswith("Map of the community safety partnerships of Devon and Cornwall")
    assert "Plymouth 2.20; Torbay 1.54; Exeter 0.10" in chart.alt
    legend = [t.name for t in chart.figure.data if t.showlegend is not False]
    assert legend == ["0.10 to 1.53 per 1,000", "1.54 to 2.19 per 1,000", "2.20 to 2.20 per 1,000"]


def test_on_release_a_small_partnership_and_the_one_that_gives_it_away_are_withheld_on_the_map(settings):
    chart = catalogue.build("places-map", hand_built_inputs(settings))
    released = release.release(chart, settings)
    # Unassigned's 4 is small; Exeter's 12 is the next smallest, or the force's total would give the 4 back.
    assert labels(released) == {"Exeter": "[c]", "Plymouth": "2.20", "Torbay": "1.54"}
    assert area_fill(released, "Exeter") == (maps.WITHHELD_FILL, maps.WITHHELD_PATTERN)
    assert "Withheld ([c] or [x])" in [t.name for t in released.figure.data if t.showlegend is not False]
    assert "0.10" not in released.figure.to_json()
    assert released.data["count"].tolist() == ["[c]", 440, 200, "[c]"]
    assert labels(chart)["Exeter"] == "0.10"  # the page's own chart keeps the true figure
    # Its words are told again from the protected figures, on the map and on the bar chart alike.
    assert "Plymouth 2.20; Torbay 1.54; Exeter [c]." in released.alt and "0.10" not in released.alt
    for key in ("places-map", "places-rates"):
        told = release.release(catalogue.build(key, hand_built_inputs(settings)), settings)
        assert told.reading == (
            "In the year ending March 2025 the rate ranged from 1.54 per 1,000 people in Torbay to 2.20 per 1,000 "
            "people in Plymouth (1 partnership withheld)."
        ), key


def test_the_minimum_base_setting_changes_which_rates_the_map_withholds(settings, tmp_path, monkeypatch):
    chart = catalogue.build("places-map", hand_built_inputs(settings))
    withheld = {}
    for minimum in (125_000, 150_000):
        own = tmp_path / f"settings-{minimum}.toml"
        own.write_text(f"[suppression]\nminimum_base = {minimum}\n")
        monkeypatch.setenv("PCC_SETTINGS_FILE", str(own))
        withheld[minimum] = labels(release.release(chart, load_settings()))
    # Exeter (120,000 people) is withheld as [c] already; Torbay (130,000) loses its rate only under 150,000.
    assert withheld == {
        125_000: {"Exeter": "[c]", "Plymouth": "2.20", "Torbay": "1.54"},
        150_000: {"Exeter": "[c]", "Plymouth": "2.20", "Torbay": "[x]"},
    }


@pytest.mark.slow
def test_an_exported_map_shows_the_withheld_marker_and_never_the_small_figure(settings, chromium):
    chart = catalogue.build("places-map", hand_built_inputs(settings))
    for press in (None, layout.Press()):  # the export, and its press variant
        exported = images.export_chart(chart, settings, "svg", images.SIZES["press"], press=press)
        texts = re.findall(r"<text[^>]*>(.*?)</text>", exported.content.decode("utf-8"), flags=re.DOTALL)
        words = " ".join(re.sub(r"<[^>]+>", " ", text) for text in texts)
        assert "[c]" in words and "Plymouth" in words and "2.20" in words, press
        assert "Suppression applied" in words and "Withheld ([c] or [x])" in words, press
        assert "0.10" not in words and "0.10" not in exported.alt, press
    csv = images.csv_bytes(chart, settings).decode("utf-8")
    assert "Exeter,[c]" in csv and ",12," not in csv


def test_the_national_map_draws_every_force_and_outlines_the_home_force(demo_charts):
    settings, charts = demo_charts
    chart = charts["places-forces-map"]
    areas = [t for t in chart.figure.data if t.showlegend is False and t.fill == "toself"]
    assert sorted(t.name for t in areas) == sorted(settings.territorial_forces)
    outlines = [t for t in chart.figure.data if t.line.width == 3]
    assert len(outlines) == 1 and list(labels(chart)) == [settings.home_force]
    for force in settings.territorial_forces:
        assert force in chart.alt
    assert chart.data.shape == (43, 5) and chart.reading == charts["places-forces"].reading


def test_a_merged_partnership_covers_exactly_the_districts_it_replaced_which_keep_their_own_shapes():
    # North Yorkshire (2023) replaced seven districts; York was never part of it.
    shapes = boundaries.partnerships("North Yorkshire")
    retired = ["Craven", "Hambleton", "Harrogate", "Richmondshire", "Ryedale", "Scarborough", "Selby"]
    assert sorted(shapes) == sorted([*retired, "North Yorkshire", "York"])
    assert area_km2(shapes["North Yorkshire"]) == pytest.approx(sum(area_km2(shapes[n]) for n in retired), rel=0.005)
    # North Yorkshire is England's largest district: 8,037 km2 to mean high water.
    assert area_km2(shapes["North Yorkshire"]) == pytest.approx(8037, rel=0.02)
    # Somerset (2023) took in Somerset West and Taunton (2019), itself two districts of 2011.
    somerset = boundaries.partnerships("Avon and Somerset")
    assert area_km2(somerset["Somerset West and Taunton"]) == pytest.approx(
        area_km2(somerset["Taunton Deane"]) + area_km2(somerset["West Somerset"]), rel=0.005
    )
