"""Maps of areas shaded by a rate (choropleths), drawn from the shipped boundaries: no tiles, no network.

Each area is a filled outline on plain axes, projected with a transverse Mercator centred on Great
Britain (the projection of the British National Grid, on a sphere: shapes and areas true to within
a few per cent across England and Wales). Plotly's own geographic choropleth is not used: for any
choropleth its map fetches a world outline from the internet, which the app must never need, and
its areas cannot carry a fill pattern.

Colour is never the only cue: the classes are told apart by a fill pattern as well as a shade, the
legend names each class's range, an area may carry its value as a label, and every chart built on
this keeps a table of the values beside it. Pure Plotly: no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from dashboard.charts import fonts
from dashboard.charts.style import MUTED, TEXT
from data_loaders.boundaries import Shape

RADIUS_KM = 6371.0
CENTRAL_MERIDIAN = -2.0  # degrees: the British National Grid's
# Light to dark blues (ColorBrewer "Blues", colour-blind safe), each with its own pattern, so that a class
# is told by its pattern in print, in greyscale and to a reader who does not see the shades apart.
SHADES = ("#DEEBF7", "#9ECAE1", "#6BAED6", "#2171B5", "#08306B")
PATTERNS = ("", ".", "/", "x", "+")
PATTERN_INK = ("#0B0C0C", "#0B0C0C", "#0B0C0C", "#FFFFFF", "#FFFFFF")  # the pattern's lines, seen on the shade
WITHHELD_FILL, WITHHELD_PATTERN = "#F3F2F1", "\\"
MISSING_FILL = "#FFFFFF"
OUTLINE = "#505A5F"
LABEL_SIZE = 11  # points: an area's label
LABEL_SPILL = 24  # pixels a label may stand beyond the map's sides, into the figure's margins
# Where a crowded label may go instead (pixels right and down of its point): the nearest free spot wins.
LABEL_OFFSETS = ((0, 0), *((dx * w, dy * h) for w, h in ((70, 34), (100, 56), (130, 80)) for dx, dy in
                          ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1))))  # fmt: skip
MAX_CLASSES = 5
PAGE_PLOT_WIDTH = 520  # pixels: about the width a page gives a map beside its table
MAP_HEIGHTS = (320, 640)  # pixels: the least and the most height a map is given on a page


@dataclass(frozen=True)
class Area:
    """One area on the map: its name, outline and either its value or the word shown instead ('[c]', 'no rate')."""

    name: str
    shape: Shape
    value: float | None
    shown: str  # the label: the value to two places, or why there is none


@dataclass(frozen=True)
class Band:
    """A class of values: from ``low`` up to ``high``, both as shown (two decimal places), with its shade and pattern."""

    low: float
    high: float
    shade: str
    pattern: str
    ink: str

    def label(self, unit: str) -> str:
        return f"{self.low:,.2f} to {self.high:,.2f} {unit}"


def project(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kilometres east and north on a transverse Mercator (sphere) centred on the British National Grid's meridian."""
    lam, phi = np.radians(np.asarray(lon) - CENTRAL_MERIDIAN), np.radians(np.asarray(lat))
    b = np.cos(phi) * np.sin(lam)
    x = 0.5 * np.log((1 + b) / (1 - b))
    y = np.arctan2(np.tan(phi), np.cos(lam))
    return RADIUS_KM * x, RADIUS_KM * y


def bands(values: Sequence[float]) -> list[Band]:
    """Up to five classes holding about equal numbers of areas (quantiles), on the values as shown (two places).

    Each class runs from its lowest shown value to the hundredth below the next class's lowest, so
    every value falls in exactly one class and the legend's ranges neither overlap nor leave a gap.
    """
    shown = np.sort(np.round(np.asarray(values, dtype=float), 2))
    if shown.size == 0:
        return []
    distinct = np.unique(shown)
    if len(distinct) <= MAX_CLASSES:  # few values: each its own class
        lows = [float(v) for v in distinct]
    else:
        cuts = np.unique(np.quantile(shown, np.linspace(0, 1, MAX_CLASSES + 1)[1:-1], method="higher"))
        lows = [float(shown[0]), *(float(c) for c in cuts if c > shown[0])]
    highs = [round(low - 0.01, 2) for low in lows[1:]] + [float(shown[-1])]
    # Fewer classes than five spread over the shades from the lightest to the darkest.
    steps = [0] if len(lows) == 1 else [round(i * (MAX_CLASSES - 1) / (len(lows) - 1)) for i in range(len(lows))]
    return [Band(lo, hi, SHADES[s], PATTERNS[s], PATTERN_INK[s]) for lo, hi, s in zip(lows, highs, steps, strict=True)]


def band_of(value: float, classes: Sequence[Band]) -> Band:
    """The class a value (rounded to two places, as shown) falls in."""
    shown = round(value, 2)
    return next(band for band in reversed(classes) if shown >= band.low)


def _path(shape: Shape) -> tuple[list[float | None], list[float | None]]:
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in shape.rings:
        x, y = project(ring[:, 0], ring[:, 1])
        xs += [*x.round(2).tolist(), None]
        ys += [*y.round(2).tolist(), None]
    return xs, ys


def _fill(name: str, legend: str, shade: str, pattern: str, ink: str, **trace) -> go.Scatter:
    return go.Scatter(
        name=name,
        legendgroup=legend,
        mode="lines",
        fill="toself",
        fillcolor=shade,
        fillpattern=dict(shape=pattern, fgcolor=ink, bgcolor=shade, solidity=0.25, size=8) if pattern else None,
        line=dict(color=OUTLINE, width=0.8),
        **trace,
    )


def _extent(areas: Sequence[Area]) -> tuple[list[float], list[float]]:
    """The x and y ranges that hold every area, with a margin of 3% on each side."""
    points = np.concatenate([ring for area in areas for ring in area.shape.rings])
    x, y = project(points[:, 0], points[:, 1])
    pad_x, pad_y = 0.03 * float(np.ptp(x)), 0.03 * float(np.ptp(y))
    return [float(x.min()) - pad_x, float(x.max()) + pad_x], [float(y.min()) - pad_y, float(y.max()) + pad_y]


def _page_height(x_range: Sequence[float], y_range: Sequence[float]) -> int:
    """The map's height on a page: its shape at :data:`PAGE_PLOT_WIDTH`, within :data:`MAP_HEIGHTS`."""
    height = PAGE_PLOT_WIDTH * (y_range[1] - y_range[0]) / (x_range[1] - x_range[0])
    return int(min(max(height, MAP_HEIGHTS[0]), MAP_HEIGHTS[1]))


def plot_height(figure: go.Figure) -> int:
    """The height that fits the map's shape at about the width a page gives it (wide areas get a shorter map)."""
    return _page_height(figure.layout.xaxis.range, figure.layout.yaxis.range)


def _box(x: float, y: float, area: Area) -> tuple[float, float, float, float]:
    """The pixels a label centred on (x, y) covers: left, bottom, right, top (y upwards)."""
    half_width = max(fonts.width(area.name, LABEL_SIZE, bold=True), fonts.width(area.shown, LABEL_SIZE)) / 2 + 4
    half_height = LABEL_SIZE * 1.3 + 4
    return x - half_width, y - half_height, x + half_width, y + half_height


def _overlaps(box: tuple[float, float, float, float], others: list[tuple[float, float, float, float]]) -> bool:
    return any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in others)


def place_labels(areas: Sequence[Area]) -> list[tuple[float, float, int, int]]:
    """Where each area's label goes: its point (x, y) on the map and, when its neighbours' labels would cover it
    there, an offset in pixels to a free spot nearby, drawn with a leader line back to the point.

    Worked out at the scale a page draws the map (:data:`PAGE_PLOT_WIDTH`); larger areas are placed
    first and keep their spot. A larger image has more room, so nothing that is apart here touches there.
    """
    if not areas:
        return []
    x_range, y_range = _extent(areas)
    height = _page_height(x_range, y_range)
    per_km = min(PAGE_PLOT_WIDTH / (x_range[1] - x_range[0]), height / (y_range[1] - y_range[0]))
    width, height = (x_range[1] - x_range[0]) * per_km, (y_range[1] - y_range[0]) * per_km
    points = {}
    for area in areas:
        x, y = project(np.array([area.shape.label[0]]), np.array([area.shape.label[1]]))
        points[area.name] = (float(x[0]), float(y[0]))
    placed: list[tuple[float, float, float, float]] = []
    offsets: dict[str, tuple[int, int]] = {}
    for area in sorted(areas, key=lambda a: _area_size(a.shape), reverse=True):
        px, py = (points[area.name][0] - x_range[0]) * per_km, (points[area.name][1] - y_range[0]) * per_km
        for dx, dy in LABEL_OFFSETS:
            box = _box(px + dx, py - dy, area)  # a positive ay moves the label down the screen
            inside = box[0] >= -LABEL_SPILL and box[2] <= width + LABEL_SPILL and box[1] >= 0 and box[3] <= height
            if inside and not _overlaps(box, placed):
                break
        else:
            dx, dy = 0, 0
            box = _box(px, py, area)
        placed.append(box)
        offsets[area.name] = (dx, dy)
    return [(*points[a.name], *offsets[a.name]) for a in areas]


def _area_size(shape: Shape) -> float:
    points = np.concatenate(shape.rings)
    return float(np.ptp(points[:, 0]) * np.ptp(points[:, 1]))


def area_map(
    areas: Sequence[Area],
    *,
    unit: str,
    labelled: bool = True,
    highlight: str | None = None,
    withheld_words: str = "Withheld ([c] or [x])",
    missing_words: str = "No figure",
) -> go.Figure:
    """A choropleth of ``areas``: each shaded and patterned by its class, its value as a label when ``labelled``.

    ``highlight`` names an area drawn with a thick outline and always labelled (the home force on a
    national map). Areas without a value are drawn pale: hatched when withheld, plain when missing.
    Larger areas are drawn first, so an area lying inside another stays on top.
    """
    classes = bands([a.value for a in areas if a.value is not None])
    figure = go.Figure()
    legend: dict[str, tuple[str, str, str]] = {}
    for band in classes:
        legend[band.label(unit)] = (band.shade, band.pattern, band.ink)
    for area in sorted(areas, key=lambda a: _area_size(a.shape), reverse=True):
        if area.value is not None:
            band = band_of(area.value, classes)
            group, style = band.label(unit), (band.shade, band.pattern, band.ink)
        elif area.shown in ("[c]", "[x]"):
            group, style = withheld_words, (WITHHELD_FILL, WITHHELD_PATTERN, MUTED)
        else:
            group, style = missing_words, (MISSING_FILL, "", MUTED)
        legend.setdefault(group, style)
        xs, ys = _path(area.shape)
        figure.add_trace(
            _fill(
                area.name,
                group,
                *style,
                x=xs,
                y=ys,
                showlegend=False,
                hoveron="fills",
                text=f"{area.name}: {area.shown}",
                hoverinfo="text",
            )
        )
        if area.name == highlight:
            figure.add_trace(
                go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=TEXT, width=3), hoverinfo="skip", showlegend=False)
            )
    labelled_areas = [a for a in areas if labelled or a.name == highlight]
    for area, (x, y, dx, dy) in zip(labelled_areas, place_labels(labelled_areas), strict=True):
        figure.add_annotation(
            x=x,
            y=y,
            text=f"<b>{area.name}</b><br>{area.shown}",
            showarrow=bool(dx or dy),
            ax=dx,
            ay=dy,
            arrowhead=0,
            arrowwidth=1,
            arrowcolor=TEXT,
            font=dict(size=LABEL_SIZE, color=TEXT),
            bgcolor="rgba(255,255,255,0.85)",
            borderpad=2,
            name="area-label",
        )
    # The key: one entry a class, in order, each showing its shade and pattern.
    for group, (shade, pattern, ink) in legend.items():
        figure.add_trace(_fill(group, group, shade, pattern, ink, x=[None], y=[None], hoverinfo="skip"))
    x_range, y_range = _extent(areas)
    figure.update_xaxes(visible=False, showgrid=False, zeroline=False, range=x_range)
    figure.update_yaxes(
        visible=False, showgrid=False, zeroline=False, range=y_range, rangemode="normal", scaleanchor="x", scaleratio=1
    )
    figure.update_layout(legend_traceorder="normal", hovermode="closest", dragmode=False)
    return figure


def values_by_name(
    names: Sequence[str], values: Mapping[str, float | str | None], *, missing: str = "no figure"
) -> list[tuple[str, float | None, str]]:
    """Each name's value and its label: a number to two places, the withheld marker as given, or ``missing``."""
    out = []
    for name in names:
        value = values.get(name)
        if isinstance(value, str):
            out.append((name, None, value))
        elif value is None or (isinstance(value, float) and math.isnan(value)):
            out.append((name, None, missing))
        else:
            out.append((name, float(value), f"{float(value):,.2f}"))
    return out
