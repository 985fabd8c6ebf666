"""A chart as a page draws it: the plot, its legend and its numbered markers; the words are the page's own text.

A page is drawn at any width, from a 320-pixel phone to a 1920-pixel screen, and at 200% zoom: the
title, subtitle, source line and the key to the numbered markers are written on the page around the
chart (they wrap as any text does) instead of inside the figure (where Plotly never wraps them). The
legend stands above the plot and its numbered badges, and grows a row at a time as the width narrows.
Pure Plotly: no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard.charts import fonts
from dashboard.charts.base import ChartText
from dashboard.charts.markers import drawn_markers
from dashboard.charts.style import BADGE_ROW

LEGEND_SIZE = 13  # the template's legend type size
LEGEND_ITEM = 46  # pixels of a legend entry besides its words (its symbol and the gap after it), at 13 pixels
LEGEND_LINE = 1.75  # a legend row's height as a multiple of its type size
PAGE_NAME = 200  # pixels: the widest a legend entry's line of words is on the page (a phone's plot is 260 wide)
PAGE_PLOT = 640  # pixels: the plot's width on a 1366-pixel screen beside the sidebar (the legend's first guess)
PAGE_LEFT, PAGE_RIGHT, PAGE_BOTTOM = 64, 16, 40  # margins (pixels); the axes' labels widen them as they need


def legend_names(figure: go.Figure) -> list[str]:
    """The entries a figure's legend shows: one per named trace or legend group."""
    names, groups = [], set()
    for trace in figure.data:
        if trace.showlegend is False or not trace.name:
            continue
        if trace.legendgroup:
            if trace.legendgroup in groups:
                continue
            groups.add(trace.legendgroup)
        names.append(str(trace.name))
    shown = figure.layout.showlegend
    if shown is False or (shown is None and len(names) < 2):
        return []
    return names


def legend_item(name: str, size: float) -> float:
    """The width in pixels of one legend entry: its symbol, its (longest line of) words and the gap after it."""
    return LEGEND_ITEM * size / LEGEND_SIZE + fonts.widest(name, size)


def legend_rows(names: Sequence[str], width: float, size: float) -> int:
    """How many rows a horizontal legend of ``names`` takes on a plot ``width`` pixels wide, at ``size``.

    As Plotly lays it out: on one row when every entry fits side by side; otherwise in columns as wide
    as the widest entry.
    """
    if not names:
        return 0
    items = [legend_item(name, size) for name in names]
    if sum(items) <= width:
        return 1
    columns = max(1, int(width // max(items)))
    return math.ceil(len(items) / columns)


def is_footer(annotation) -> bool:
    """Whether a layout annotation is the chart's small print under the plot (source, markers' key)."""
    return annotation.yref == "paper" and annotation.y == 0 and (annotation.yshift or 0) < 0


def badge_room(figure: go.Figure, scale: float = 1.0) -> float:
    """Pixels above the plot that the rows of numbered badges take (a small gap when there are none)."""
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    rows = meta.get("badge_rows", 0)
    return (rows * BADGE_ROW + 8) * scale if rows else 8 * scale


def page_figure(figure: go.Figure) -> go.Figure:
    """A copy of a catalogue chart's figure for the page: no title or footer, the legend above the plot.

    The plot keeps the height the chart was built with. Plotly widens the top margin by itself when
    a narrow screen wraps the legend onto more rows, and the legend stands far enough above the
    plot that the badges fit below it even then.
    """
    shown = go.Figure(figure)
    shown.layout.annotations = [a for a in shown.layout.annotations if not is_footer(a)]
    for trace in shown.data:  # a long legend entry on lines of its own, so that it fits a phone's width
        if trace.name and fonts.width(trace.name, LEGEND_SIZE) > PAGE_NAME:
            trace.name = "<br>".join(fonts.wrap(trace.name, PAGE_NAME, LEGEND_SIZE))
    margin = figure.layout.margin
    plot_height = (figure.layout.height or 450) - (margin.t or 0) - (margin.b or 0)
    badges = badge_room(figure)
    rows = legend_rows(legend_names(shown), PAGE_PLOT, LEGEND_SIZE)
    top = badges + rows * LEGEND_LINE * LEGEND_SIZE + 6
    # The words the page writes around the plot stay with the figure, for anything that reads it without the page.
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    words = {"title": figure.layout.title.text or "", "subtitle": figure.layout.title.subtitle.text or ""}
    shown.update_layout(
        meta={**meta, **words},
        title=dict(text="", subtitle=dict(text="")),
        margin=dict(l=PAGE_LEFT, r=PAGE_RIGHT, t=round(top), b=PAGE_BOTTOM, autoexpand=True),
        height=round(plot_height + top + PAGE_BOTTOM),
        legend=dict(
            orientation="h", x=0, xanchor="left", y=1 + (badges + 6) / plot_height, yanchor="bottom", entrywidth=None
        ),
    )
    return shown


@dataclass(frozen=True)
class PageWords:
    """The words a page writes around a chart: heading, subtitle lines, source line and the markers' key."""

    title: str
    subtitle: list[str]
    source: str
    key: list[str]


def page_words(figure: go.Figure, text: ChartText) -> PageWords:
    """What the page writes around a chart: its words in full, each numbered marker with its date and kind."""
    key = [
        f"{number} {marker.label} ({marker.date:%-d %b %Y}, {marker.kind})"
        for number, marker in enumerate(drawn_markers(figure), start=1)
    ]
    subtitle = [fonts.plain(line) for line in fonts.BREAK.split(text.subtitle or "") if line.strip()]
    return PageWords(text.title, subtitle, text.footer(), key)
