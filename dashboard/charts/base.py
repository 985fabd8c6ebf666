"""Chart builders: DataFrame (+ options) -> plotly Figure, all on one explicit template.

Pure Plotly: no Streamlit. Importing Streamlit changes Plotly's default template, so every
figure names ``TEMPLATE`` itself and looks the same on a page, in an export and in a pack.
Colour is never the only cue: each series also has its own marker symbol and line dash, and
special-cause points have their own symbols and legend entries.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from afcharts.af_colours import get_af_colours

from dashboard.charts.markers import TimeMarker as TimeMarker
from dashboard.charts.markers import add_time_markers as add_time_markers
from dashboard.charts.markers import marker_key as marker_key
from dashboard.charts.markers import markers_in as markers_in
from dashboard.charts.style import FONT as FONT
from dashboard.charts.style import GRID, MUTED, TEXT

# UK Government Analysis Function palettes from afcharts, in their recommended order. Read once here:
# get_af_colours reads the package's YAML file on every call.
PALETTE = tuple(get_af_colours("categorical", number_of_colours=6))
DUO = tuple(get_af_colours("duo"))
# Beyond the palette's six (a CPS Area's measures for two areas): GOV.UK purple, brown, blue, green, red and grey.
MORE_COLOURS = ("#4C2C92", "#912B88", "#1D70B8", "#00703C", "#D4351C", "#505A5F")


def series_colours(count: int) -> tuple[str, ...]:
    """The colours of ``count`` series in order: the Analysis Function's duo pair for two, else its palette and
    ``MORE_COLOURS`` (the duo's dark blue and orange are further apart than the palette's first two)."""
    return DUO if count == 2 else (*PALETTE, *MORE_COLOURS)


MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")

# Special-cause colours after NHS "Making Data Count": blue improvement, orange concern,
# purple neutral, grey common cause; each with its own marker symbol too.
POINT_STYLES = {
    "common_cause": ("Usual variation", "#7F7F7F", "circle"),
    "special_cause_improvement": ("Unusual: improvement", "#1D70B8", "triangle-up"),
    "special_cause_concern": ("Unusual: concern", "#B15400", "triangle-down"),
    "special_cause_neutral_high": ("Unusually high", "#6F4A9E", "diamond"),
    "special_cause_neutral_low": ("Unusually low", "#6F4A9E", "diamond-open"),
}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=15, color=TEXT),
        title=dict(font=dict(size=21, color=TEXT), x=0, xanchor="left", xref="paper", y=0.97),
        colorway=list(PALETTE),
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        xaxis=dict(showgrid=False, linecolor=TEXT, ticks="outside", tickcolor=TEXT, automargin=True),
        yaxis=dict(gridcolor=GRID, zeroline=True, zerolinecolor=GRID, rangemode="tozero", automargin=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.09, xanchor="left", x=0, font=dict(size=13)),
        hoverlabel=dict(font=dict(family=FONT, size=14)),
        margin=dict(l=70, r=30, t=150, b=110),
    )
)


@dataclass(frozen=True)
class ChartText:
    """The words every chart carries: title, subtitle, source line and 'data as at'."""

    title: str
    subtitle: str = ""
    source: str = "Source: Home Office police recorded crime"
    data_as_at: dt.date | None = None

    def footer(self) -> str:
        as_at = f" Data as at {self.data_as_at:%-d %B %Y}." if self.data_as_at else ""
        return f"{self.source.rstrip('.')}.{as_at}"


def file_stem(title: str) -> str:
    """A file name from a chart title: lower case, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80] or "chart"


def plotly_config(text: ChartText) -> dict:
    """``st.plotly_chart`` config: no modebar. Its icons are faint (1.7:1) and add eight tab stops to every chart;
    the Export control beside each chart downloads it (named after ``text.title``), the data view gives the figures."""
    return {"displayModeBar": False, "displaylogo": False}


class ShownFigure(go.Figure):
    """A finished figure whose plain form is worked out once, for drawing on a page again and again.

    ``st.plotly_chart`` turns a Figure into a dict (a deep copy) and then into JSON on every run of
    the page, which costs more than everything else a page does for its chart. A catalogue chart
    never changes once built, so this keeps its JSON-ready dict and hands it over as it is:
    identical JSON, none of the copying. It is for drawing only; exports use the chart's own figure.
    """

    def __init__(self, figure: go.Figure) -> None:
        super().__init__()
        self._shown = json.loads(figure.to_json())

    def to_dict(self) -> dict:
        return self._shown


def _frame(fig: go.Figure, text: ChartText) -> go.Figure:
    key = (fig.layout.meta or {}).get("marker_key", "")
    lines = [text.footer(), *_wrap(f"Marked: {key}." if key else "", 150)]
    footer = "<br>".join(line for line in lines if line)
    fig.update_layout(
        margin=dict(b=80 + 17 * footer.count("<br>")),
        template=TEMPLATE,
        title=dict(text=text.title, subtitle=dict(text=text.subtitle, font=dict(size=15, color=MUTED))),
    )
    fig.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-62,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font=dict(size=12, color=MUTED),
        align="left",
    )
    return fig


def _wrap(text: str, width: int) -> list[str]:
    """Split a '; '-separated key into lines of at most about ``width`` characters."""
    lines: list[str] = []
    for part in text.split("; ") if text else []:
        if lines and len(lines[-1]) + len(part) + 2 <= width:
            lines[-1] += "; " + part
        else:
            lines.append(part)
    return lines


def _segmented(x: list[object], y: pd.Series, segments: pd.Series | None) -> tuple[list[object], list[object]]:
    """x and y with a gap between segments, so recalculated limits are not joined by a slope."""
    if segments is None:
        return x, list(y)
    out_x: list[object] = []
    out_y: list[object] = []
    previous = None
    for x_value, y_value, segment in zip(x, y, segments, strict=True):
        if previous is not None and segment != previous:
            out_x.append(x_value)
            out_y.append(None)
        out_x.append(x_value)
        out_y.append(y_value)
        previous = segment
    return out_x, out_y


def mark_home(figure: go.Figure, name: str) -> go.Figure:
    """Name the series that stands for the home force: the press style keeps its colour and greys the rest."""
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    figure.layout.meta = {**meta, "highlight": name}
    return figure


def spc_chart(
    frame: pd.DataFrame,
    x: Sequence[object],
    text: ChartText,
    *,
    value_label: str = "Recorded offences",
    markers: Sequence[TimeMarker] = (),
    target: float | None = None,
    target_label: str = "Target",
) -> go.Figure:
    """An XmR chart from :func:`dashboard.figures.spc.xmr` output: values, mean, process limits and signals.

    ``target``: a target set by the office, drawn as a long-dashed line of its own colour and named
    in the legend (``target_label``), as NHS "Making Data Count" charts draw one.
    """
    x = list(x)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=frame["value"],
            name=value_label,
            mode="lines",
            line=dict(color=PALETTE[0], width=2),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for point_type, (label, colour, symbol) in POINT_STYLES.items():
        mask = frame["point_type"] == point_type
        if not mask.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=[v for v, m in zip(x, mask, strict=True) if m],
                y=frame.loc[mask, "value"],
                name=label,
                mode="markers",
                marker=dict(color=colour, symbol=symbol, size=9 if point_type == "common_cause" else 12),
                hovertemplate=f"%{{x|%b %Y}}: %{{y:,}}<br>{label}<extra></extra>",
            )
        )
    for column, name, dash in (("mean", "Average", "solid"), ("upl", "Usual range", "dash"), ("lpl", None, "dash")):
        if column in frame and frame[column].notna().any():
            line_x, line_y = _segmented(x, frame[column], frame.get("segment"))
            fig.add_trace(
                go.Scatter(
                    x=line_x,
                    y=line_y,
                    name=name or "Usual range",
                    showlegend=name is not None,
                    legendgroup=name or "Usual range",
                    mode="lines",
                    line=dict(color="#3D3D3D" if column == "mean" else "#7F7F7F", width=1.4, dash=dash),
                    hovertemplate=f"{name or 'Usual range'}: %{{y:,.1f}}<extra></extra>",
                )
            )
    if target is not None and x:
        fig.add_trace(
            go.Scatter(
                x=[x[0], x[-1]],
                y=[target, target],
                name=target_label,
                mode="lines",
                line=dict(color=PALETTE[3], width=2, dash="longdash"),
                hovertemplate=f"{target_label}<extra></extra>",
            )
        )
    fig.update_yaxes(title_text=value_label, rangemode="normal" if (frame["value"] < 0).any() else "tozero")
    if x:
        add_time_markers(fig, markers, pd.Timestamp(min(x)).date(), pd.Timestamp(max(x)).date())
    return _frame(fig, text)


def line_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    text: ChartText,
    y_label: str,
    highlight: str | None = None,
    markers: Sequence[TimeMarker] = (),
    y_format: str = ",.1f",
) -> go.Figure:
    """One line per value of ``series``; ``highlight`` is drawn first and thickest.

    Each line has a colour of its own (:func:`series_colours`): more lines than the palette and ``MORE_COLOURS`` would
    share colours and are refused (draw the home force against the range of its peers, ``charts.peers``).
    """
    fig = go.Figure()
    names = list(dict.fromkeys(frame[series]))
    colours = series_colours(len(names))
    if len(names) > len(colours):
        raise ValueError(f"{len(names)} lines would share colours (there are {len(colours)}): draw a range instead")
    if highlight in names:
        names.remove(highlight)
        names.insert(0, highlight)
    for index, name in enumerate(names):
        rows = frame[frame[series] == name].sort_values(x)
        fig.add_trace(
            go.Scatter(
                x=rows[x],
                y=rows[y],
                name=str(name),
                mode="lines+markers",
                line=dict(
                    color=colours[index],
                    dash=DASHES[index % len(DASHES)],
                    width=3.5 if name == highlight else 2,
                ),
                marker=dict(symbol=MARKERS[index % len(MARKERS)], size=8),
                hovertemplate=f"{name}<br>%{{x}}: %{{y:{y_format}}}<extra></extra>",
            )
        )
    fig.update_yaxes(title_text=y_label)
    if not frame.empty and pd.api.types.is_datetime64_any_dtype(pd.to_datetime(frame[x], errors="coerce")):
        dates = pd.to_datetime(frame[x])
        add_time_markers(fig, markers, dates.min().date(), dates.max().date())
    return _frame(fig, text)


def bar_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    text: ChartText,
    y_label: str,
    series: str | None = None,
    barmode: str = "group",
    y_format: str = ",",
    markers: Sequence[TimeMarker] = (),
) -> go.Figure:
    """Bars, grouped or stacked by ``series``; each series also has its own fill pattern.

    The pattern is overlaid on the series colour (``fillmode="overlay"``): on its own a white
    pattern would draw on a transparent bar and every series after the first would vanish.
    """
    fig = go.Figure()
    groups = [(None, frame)] if series is None else list(frame.groupby(series, sort=False))
    patterns = ("", "/", ".", "x", "\\", "+", "-", "|")
    colours = series_colours(len(groups))
    for index, (name, rows) in enumerate(groups):
        fig.add_trace(
            go.Bar(
                x=rows[x],
                y=rows[y],
                name=str(name) if name is not None else y_label,
                marker=dict(
                    color=colours[index % len(colours)],
                    pattern=dict(
                        shape=patterns[index % len(patterns)], fgcolor="#FFFFFF", solidity=0.3, fillmode="overlay"
                    ),
                ),
                hovertemplate=f"{name if name is not None else y_label}<br>%{{x}}: %{{y:{y_format}}}<extra></extra>",
                showlegend=series is not None,
            )
        )
    fig.update_layout(barmode=barmode, bargap=0.25)
    fig.update_yaxes(title_text=y_label)
    if markers and not frame.empty and pd.api.types.is_datetime64_any_dtype(pd.to_datetime(frame[x], errors="coerce")):
        dates = pd.to_datetime(frame[x])
        add_time_markers(fig, markers, dates.min().date(), dates.max().date())
    return _frame(fig, text)


def sparkline(values: Sequence[float], x: Sequence[object] | None = None) -> go.Figure:
    """A small trend line for a KPI card: no axes, last point marked."""
    values = list(values)
    x = list(x) if x is not None else list(range(len(values)))
    fig = go.Figure(go.Scatter(x=x, y=values, mode="lines", line=dict(color=PALETTE[0], width=2), hoverinfo="skip"))
    if values:
        fig.add_trace(
            go.Scatter(
                x=[x[-1]], y=[values[-1]], mode="markers", marker=dict(color=PALETTE[0], size=7), hoverinfo="skip"
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        height=70,
        margin=dict(l=0, r=0, t=4, b=4),
        showlegend=False,
        xaxis=dict(visible=False),
        yaxis=dict(visible=False, rangemode="normal"),
    )
    return fig
