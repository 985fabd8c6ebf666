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
MAX_CLASSES = 5
MAP_HEIGHT = 560  # pixels for the map itself


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
    count = min(MAX_CLASSES, len(np.unique(shown)))
    cuts = np.unique(np.quantile(shown, np.linspace(0, 1, count + 1)[1:-1], method="higher"))
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


def _area_size(shape: Shape) -> float:
    ring = shape.rings[0]
    return float(np.ptp(ring[:, 0]) * np.ptp(ring[:, 1]))


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
        if labelled or area.name == highlight:
            x, y = project(np.array([area.shape.label[0]]), np.array([area.shape.label[1]]))
            figure.add_annotation(
                x=float(x[0]),
                y=float(y[0]),
                text=f"<b>{area.name}</b><br>{area.shown}",
                showarrow=False,
                font=dict(size=11, color=TEXT),
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
