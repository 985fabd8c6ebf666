"""The home force against the range of its peer forces: a line for the force, a line for England and Wales and a
shaded band from the lowest to the highest peer, instead of a line per force.

Eight lines of eight colours cannot be told apart (and a seventh would repeat the first colour); a band
says at a glance whether the force sits inside its peers' range, and the hover names the peer at each
edge. The figures of every peer stay in the chart's data and CSV. Pure Plotly: no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import DASHES, MARKERS, PALETTE, ChartText, _frame, mark_home
from dashboard.charts.markers import TimeMarker, add_time_markers

BAND = "rgba(61, 61, 61, 0.16)"  # the peers' band: the palette's dark grey, light enough for the lines over it
BAND_EDGE = "#767676"  # 4.5:1 on white


def range_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    area: str,
    home: str,
    national: str,
    text: ChartText,
    y_label: str,
    markers: Sequence[TimeMarker] = (),
    unit: str = "%",
) -> go.Figure:
    """The ``home`` area's line, the ``national`` line and a band over every other area of ``frame``.

    ``frame`` is long: one row per ``area`` and ``x`` with the value ``y``. Periods where no peer has a
    value leave a gap in the band. The figure's ``meta`` names ``home`` as the highlighted series.
    """
    fig = go.Figure()
    peers = frame[~frame[area].isin([home, national])].dropna(subset=[y])
    if not peers.empty:
        count = peers[area].nunique()
        ordered = peers.sort_values([x, y])
        low = ordered.groupby(x, sort=True).head(1).set_index(x)
        high = ordered.groupby(x, sort=True).tail(1).set_index(x)
        name = "Range of the peer force" if count == 1 else f"Range of the {count} peer forces (lowest to highest)"
        for edge, label, fill in ((low, "Lowest", None), (high, "Highest", "tonexty")):
            fig.add_trace(
                go.Scatter(
                    x=list(edge.index),
                    y=edge[y],
                    name=name,
                    legendgroup="peers",
                    showlegend=fill is not None,
                    mode="lines",
                    line=dict(color=BAND_EDGE, width=1, dash="dot"),
                    fill=fill,
                    fillcolor=BAND if fill else None,
                    customdata=edge[area],
                    hovertemplate=f"{label} of the peers: %{{customdata}}<br>%{{x}}: %{{y:.1f}}{unit}<extra></extra>",
                )
            )
    for name in (national, home):
        rows = frame[frame[area] == name].dropna(subset=[y]).sort_values(x)
        if rows.empty:
            continue
        own = name == home
        fig.add_trace(
            go.Scatter(
                x=rows[x],
                y=rows[y],
                name=name,
                mode="lines+markers",
                line=dict(color=PALETTE[0 if own else 1], dash=DASHES[0 if own else 1], width=3.5 if own else 2),
                marker=dict(symbol=MARKERS[0 if own else 1], size=8),
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.1f}}{unit}<extra></extra>",
            )
        )
    fig.update_yaxes(title_text=y_label)
    mark_home(fig, home)
    if not frame.empty and pd.api.types.is_datetime64_any_dtype(frame[x]):
        add_time_markers(fig, markers, frame[x].min().date(), frame[x].max().date())
    return _frame(fig, text)
