"""Framing shared by the outcome and return charts: the plot's height above the footer, the legend, hover dates,
and the table of the figures drawn."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import base as charts
from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Inputs
from dashboard.figures.selection import Filters

PLOT_HEIGHT = 330  # pixels of plotting area, kept whatever the length of the markers key below it


SIDE_LEGEND_FROM = 100  # characters of legend text that no longer fit one row above the plot


QUARTER_HOVER = "quarter from %b %Y"


def figures_table(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The figures behind a chart: the columns of ``frame`` that ``names`` keys, headed as it says, numbered from 0."""
    return frame[list(names)].rename(columns=names).reset_index(drop=True)


def period_hover(filters: Filters) -> str:
    """How a hovered date reads: the quarter it starts, or the year ending on it."""
    return "year ending %b %Y" if filters.granularity == "year_ending" else QUARTER_HOVER


def finish(figure: go.Figure, hover: str = QUARTER_HOVER) -> go.Figure:
    """Size a framed figure so the plot keeps its height above the footer; a long legend goes to the right.

    The footer grows with the markers' key, so a fixed height would squeeze the plot. A legend that
    would wrap onto a second row above the plot would run into the subtitle, so it stands at the side.
    A hovered date says which period it stands for (``hover``, a date format).
    """
    figure.update_xaxes(hoverformat=hover)
    margin = figure.layout.margin
    top = margin.t if margin.t is not None else charts.TEMPLATE.layout.margin.t
    bottom = margin.b if margin.b is not None else charts.TEMPLATE.layout.margin.b
    figure.update_layout(height=PLOT_HEIGHT + top + bottom)
    names = [trace.name or "" for trace in figure.data if trace.showlegend is not False]
    if sum(len(name) + 6 for name in names) > SIDE_LEGEND_FROM:
        figure.update_layout(legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"))
    for trace in figure.data:
        if trace.type == "bar":
            # Draw each pattern over the bar's own colour: on its default transparent ground a white
            # pattern would vanish against the white page.
            trace.marker.pattern.fillmode = "overlay"
    return figure


def bars_on_time_axis(
    figure: go.Figure, text: ChartText, inputs: Inputs, x: pd.Series, hover: str = QUARTER_HOVER
) -> go.Figure:
    """Draw the series breaks and events on a bar chart's time axis, with their key in the footer.

    ``charts.bar_chart`` frames a figure without markers; the footer it wrote is replaced so that
    it carries the markers' key, as every other time axis does.
    """
    figure.layout.annotations = figure.layout.annotations[:-1]
    charts.add_time_markers(figure, inputs.markers, x.min().date(), x.max().date())
    return finish(charts._frame(figure, text), hover)
