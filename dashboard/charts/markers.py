"""Dated markers on a chart's time axis: series breaks and local events, drawn as lines with numbered badges.

The badges are numbered in date order; their key (number, label, date) is written beside the chart on
a page and under it in an export. Badges too near to stand side by side are stacked in rows, worked
out for the width the plot is drawn at. Pure Plotly: no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import BADGE_ROW, BADGE_STEP, MUTED, NARROWEST_PLOT, TEXT


@dataclass(frozen=True)
class TimeMarker:
    """A dated event drawn on every time axis: a series break or a local event."""

    date: dt.date
    label: str
    kind: str = "series break"


def markers_in(markers: Sequence[TimeMarker], start: dt.date, end: dt.date) -> list[TimeMarker]:
    """The markers that fall inside [start, end], in date order."""
    return sorted((m for m in markers if start <= m.date <= end), key=lambda m: m.date)


def marker_key(markers: Sequence[TimeMarker]) -> str:
    """The key printed under a chart: '1 Label (20 Jan 2020); 2 ...'."""
    return "; ".join(f"{i} {m.label} ({m.date:%-d %b %Y})" for i, m in enumerate(markers, start=1))


def badge_rows(dates: Sequence[dt.date], start: dt.date, end: dt.date, plot_width: float) -> list[int]:
    """The row of each numbered badge (0 on the plot's top edge, 1 above it, ...) so that none overlap.

    A badge is ``BADGE_STEP`` pixels wide on a plot ``plot_width`` pixels wide: two badges nearer than
    that on the axis go on different rows, each on its own line, so every number stays readable.
    """
    span = max((end - start).days, 1)
    near = span * BADGE_STEP / max(plot_width, 1.0)
    last_in_row: list[dt.date] = []
    rows: list[int] = []
    for date in dates:
        row = next((r for r, last in enumerate(last_in_row) if (date - last).days >= near), len(last_in_row))
        if row == len(last_in_row):
            last_in_row.append(date)
        last_in_row[row] = date
        rows.append(row)
    return rows


def _marker_meta(figure: go.Figure) -> dict:
    meta = figure.layout.meta
    return meta if isinstance(meta, dict) else {}


def drawn_markers(figure: go.Figure) -> list[TimeMarker]:
    """The markers a figure draws, numbered in date order as its badges are."""
    return [
        TimeMarker(dt.date.fromisoformat(m["date"]), m["label"], m["kind"])
        for m in _marker_meta(figure).get("markers", [])
    ]


def _is_marker_line(shape) -> bool:
    return shape.type == "line" and shape.xref == "x" and shape.yref == "paper" and (shape.y0, shape.y1) == (0, 1)


def is_badge(annotation) -> bool:
    """Whether a layout annotation is a marker's numbered badge (on a date, on the plot's top edge)."""
    return annotation.yref == "paper" and annotation.y == 1 and annotation.xref not in (None, "paper")


def add_time_markers(
    fig: go.Figure,
    markers: Sequence[TimeMarker],
    start: dt.date,
    end: dt.date,
    *,
    plot_width: float | None = None,
) -> go.Figure:
    """Draw each marker inside [start, end] as a vertical line with a numbered badge at the top.

    Series breaks are dashed, local events dotted. The badges are numbered and the key is written
    beside the chart, so that markers a few weeks apart never overwrite each other or the data:
    badges too near to stand side by side on a plot ``plot_width`` pixels wide (by default the
    narrowest a page draws, on a phone) are stacked in rows. The figure's ``meta`` keeps the markers
    drawn, the axis span and the number of badge rows, for the page's key and for each export's layout.
    """
    shown = markers_in(markers, start, end)
    rows = badge_rows([m.date for m in shown], start, end, plot_width or NARROWEST_PLOT)
    shapes, badges = [], []
    for number, (marker, row) in enumerate(zip(shown, rows, strict=True), start=1):
        x = pd.Timestamp(marker.date).to_pydatetime()
        dash = "dash" if marker.kind == "series break" else "dot"
        shapes.append(
            dict(
                type="line",
                x0=x,
                x1=x,
                xref="x",
                y0=0,
                y1=1,
                yref="paper",
                line=dict(color=MUTED, width=1.2, dash=dash),
                layer="below",
            )
        )
        badges.append(
            dict(
                x=x,
                y=1,
                xref="x",
                yref="paper",
                text=f"<b>{number}</b>",
                yanchor="bottom",
                yshift=2 + row * BADGE_ROW,
                showarrow=False,
                font=dict(size=11, color=TEXT),
                bgcolor="#FFFFFF",
                bordercolor=MUTED,
                borderwidth=1,
                borderpad=2,
            )
        )
    # One layout update for all markers: adding them one by one validates the layout each time.
    if shapes:
        fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *badges])
    fig.layout.meta = {
        **_marker_meta(fig),
        "marker_key": marker_key(shown),
        "markers": [{"date": m.date.isoformat(), "label": m.label, "kind": m.kind} for m in shown],
        "marker_span": [start.isoformat(), end.isoformat()],
        "badge_rows": (max(rows) + 1) if rows else 0,
    }
    return fig


def redraw_time_markers(figure: go.Figure, plot_width: float, kinds: Sequence[str] | None = None) -> go.Figure:
    """``figure`` (changed in place) with its markers drawn again for a plot ``plot_width`` pixels wide.

    ``kinds``: only the markers of these kinds (e.g. series breaks), numbered afresh; None keeps all.
    """
    meta = _marker_meta(figure)
    if not meta.get("marker_span"):
        return figure
    start, end = (dt.date.fromisoformat(d) for d in meta["marker_span"])
    if kinds is None:  # the same badges, restacked in place: cheaper than drawing every marker again
        badges = [a for a in figure.layout.annotations if is_badge(a)]
        rows = badge_rows([m.date for m in drawn_markers(figure)], start, end, plot_width)
        for badge, row in zip(badges, rows, strict=True):
            badge.yshift = 2 + row * BADGE_ROW
        figure.layout.meta = {**meta, "badge_rows": (max(rows) + 1) if rows else 0}
        return figure
    figure.layout.annotations = [a for a in figure.layout.annotations if not is_badge(a)]
    figure.layout.shapes = [s for s in figure.layout.shapes if not _is_marker_line(s)]
    kept = [m for m in drawn_markers(figure) if m.kind in kinds]
    return add_time_markers(figure, kept, start, end, plot_width=plot_width)
