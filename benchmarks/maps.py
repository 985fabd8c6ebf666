"""Time the Places maps and weigh what they send to the browser, against Plotly's own geographic choropleth.

    .venv/bin/python benchmarks/maps.py --database sqlite:////tmp/demo.sqlite --repeats 5

Measured in the same run, on the demo: reading the shipped boundaries (first read, then cached); building each
map (the partnerships of the home force, every police force area) as the catalogue does, classes, patterns,
placed labels and words included; the figure's JSON (what a page sends to the browser); and drawing a press
PNG of each (kaleido). The baseline is what an analyst would write with Plotly's ``go.Choropleth`` on the same
GeoJSON (``featureidkey``, ``fitbounds="locations"``): built and weighed, not drawn, since its map fetches a
world outline from the internet for any choropleth, and the app has no network.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import plotly.graph_objects as go

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.places import demo_inputs  # noqa: E402
from dashboard.charts import catalogue, maps  # noqa: E402
from dashboard.outputs import images  # noqa: E402
from data_loaders import boundaries  # noqa: E402


def timed(function, repeats: int) -> tuple[float, object]:
    """The median seconds of ``repeats`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def baseline(features: list[dict], key: str, values: dict[str, float]) -> go.Figure:
    """A choropleth as Plotly's documentation shows it, on the same boundaries and values."""
    collection = {"type": "FeatureCollection", "features": features}
    figure = go.Figure(
        go.Choropleth(
            geojson=collection,
            featureidkey=f"properties.{key}",
            locations=list(values),
            z=list(values.values()),
            colorscale="Blues",
        )
    )
    figure.update_geos(fitbounds="locations", visible=False)
    return figure


def weight(figure: go.Figure) -> int:
    return len(figure.to_json().encode("utf-8"))


def main() -> None:
    arguments, settings, inputs = demo_inputs(__doc__.splitlines()[0])

    start = time.perf_counter()
    boundaries.partnerships(settings.home_force), boundaries.force_areas()
    first = time.perf_counter() - start
    cached, _ = timed(lambda: (boundaries.partnerships(settings.home_force), boundaries.force_areas()), 5)
    print(
        f"boundaries: {boundaries.CSP_FILE.stat().st_size:,} + {boundaries.PFA_FILE.stat().st_size:,} bytes; "
        f"first read {first:.3f} s, then {cached * 1000:.1f} ms"
    )
    all_features = {
        "csp": json.loads(boundaries.CSP_FILE.read_text(encoding="utf-8"))["features"],
        "force": json.loads(boundaries.PFA_FILE.read_text(encoding="utf-8"))["features"],
    }
    for key, property_name in (("places-map", "csp"), ("places-forces-map", "force")):
        ours, chart = timed(lambda key=key: catalogue.build(key, inputs), arguments.repeats)
        if property_name == "csp":
            values = {row.csp: row.rate for row in chart.data.itertuples() if row.rate == row.rate}
            features = [f for f in all_features["csp"] if f["properties"]["force"] == settings.home_force]
        else:
            values = dict(zip(chart.data["force"], chart.data["rate"], strict=True))
            features = all_features["force"]
        theirs, plain = timed(lambda f=features, v=values, p=property_name: baseline(f, p, v), arguments.repeats)
        shapes = boundaries.partnerships(settings.home_force) if property_name == "csp" else boundaries.force_areas()
        areas = [maps.Area(n, shapes[n], v, s) for n, v, s in maps.values_by_name([n for n in values if n in shapes],
                                                                                  values)]  # fmt: skip
        drawing, _ = timed(lambda a=areas, p=property_name: maps.area_map(a, unit="per 1,000", labelled=p == "csp"),
                           arguments.repeats)  # fmt: skip
        drawn, _ = timed(lambda c=chart: images.export_chart(c, settings, "png", images.SIZES["press"]), 2)
        print(f"{key}: {len(values)} areas")
        print(f"  the chart, as the catalogue builds it (its figures, words and map): {ours * 1000:,.0f} ms")
        print(f"  the map alone (classes, patterns, labels placed): {drawing * 1000:,.0f} ms; go.Choropleth "
              f"{theirs * 1000:,.0f} ms; ratio {drawing / theirs:.1f}x")  # fmt: skip
        print(f"  JSON to the browser: {weight(chart.figure):,} bytes; go.Choropleth {weight(plain):,} bytes; "
              f"ratio {weight(chart.figure) / weight(plain):.2f}x")  # fmt: skip
        print(f"  press PNG (2400 x 1350): {drawn:.2f} s (go.Choropleth: cannot be drawn without the network)")


if __name__ == "__main__":
    main()
