"""Laying a chart out for an export size: the words wrapped to the width, nothing overlapping or cut off.

Each export lays the chart out afresh for its size: title and subtitle wrapped to the width, the
legend, the source line, "data as at", the series-break key and the chart's notes never overlap or
run off the edge, and a strip along the foot carries the office's name and logo (``[branding]``).
Pure Plotly: no Streamlit.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from dashboard.charts import fonts
from dashboard.charts.base import MUTED, TEMPLATE, TEXT
from dashboard.charts.catalogue import Chart
from dashboard.charts.markers import drawn_markers, is_badge, marker_key, redraw_time_markers
from dashboard.charts.page import LEGEND_LINE, badge_room, is_footer, legend_item, legend_names, legend_rows
from dashboard.outputs.suppression import LOW_BASE, SUPPRESSED
from data_loaders.settings import Branding

if TYPE_CHECKING:
    from dashboard.outputs.images import Size

# Type sizes of the shared template (dashboard.charts.base), scaled per export size.
BODY, TITLE, SUBTITLE, LEGEND, FOOTER, BADGE = 15, 21, 15, 13, 12, 11
LINE = 1.3  # a line of text's height as a multiple of its type size
GREYS = ("#6B6B6B", "#949494", "#4D4D4D", "#B3B3B3")  # the press style's other series: greys, told apart by dash
BAND_GREY = "rgba(148, 148, 148, 0.3)"
ANNOTATIONS = {"breaks": "Series breaks only", "none": "None"}
BREAK = "series break"
SIDE_LEGEND_ROWS = 2  # a legend that would take more rows than this above the plot stands beside it
WITHHELD = (SUPPRESSED, LOW_BASE)  # the notes that say what suppression withheld: kept in every style


@dataclass(frozen=True)
class Press:
    """The press style: the home force in its colour against grey peers, and few words on the chart.

    ``annotations``: ``breaks`` keeps only the series breaks among the numbered markers; ``none`` draws
    none. The notes stay beside the image (its alt text and CSV), apart from what suppression withheld.
    """

    annotations: str = "breaks"

    def __post_init__(self) -> None:
        if self.annotations not in ANNOTATIONS:
            raise ValueError(f"unknown annotations {self.annotations!r}: choose one of {', '.join(ANNOTATIONS)}")


def footer_lines(
    chart: Chart, pixels: float, size: float = FOOTER, *, notes: bool = True, figure: go.Figure | None = None
) -> list[str]:
    """The small print under a chart, in lines no wider than ``pixels`` at ``size``: source and data as at,
    the key to the numbered markers ``figure`` draws (the chart's own by default), the notes."""
    text = chart.text
    as_at = f"Data as at {text.data_as_at:%-d %B %Y}." if text.data_as_at else "Data as at: not recorded."
    lines = fonts.wrap(f"{text.source.rstrip('.')}. {as_at}", pixels, size)
    key = marker_key(drawn_markers(figure if figure is not None else chart.figure))
    if key:
        lines += fonts.wrap(f"Marked: {key}.", pixels, size, separator="; ")
    for note in chart.notes if notes else ():
        lines += fonts.wrap(note, pixels, size)
    return lines


@dataclass(frozen=True)
class Parts:
    """Which of a chart's words are drawn in the image (the rest are written beside it, as in the pack)."""

    title: bool = True
    footer: bool = True
    band: bool = True


def _tick_lines(figure: go.Figure, plot_width: float, size: float) -> int:
    """Lines of the x axis's category labels, each wrapped to its share of the plot's width (changed in place)."""
    categories = list(figure.layout.xaxis.categoryarray or ())
    if not categories:
        values = [v for trace in figure.data for v in (trace.x if trace.x is not None else ())]
        if not values or not all(isinstance(v, str) for v in values):
            return 1
        categories = list(dict.fromkeys(values))
    room = max(plot_width / len(categories) - 8, 40)
    labels = [fonts.wrap(fonts.BREAK.sub(" ", str(c)), room, size) for c in categories]
    figure.update_xaxes(tickvals=categories, ticktext=["<br>".join(lines) for lines in labels], tickangle=0)
    return max(len(lines) for lines in labels)


def press_style(figure: go.Figure, press: Press, plot_width: float) -> go.Figure:
    """``figure`` (changed in place) in the press style: every series but the home force's grey, few markers."""
    meta = figure.layout.meta if isinstance(figure.layout.meta, dict) else {}
    home = meta.get("highlight")
    if home is not None:
        others = 0
        for trace in figure.data:
            if trace.name == home or trace.name is None and trace.legendgroup == home:
                continue
            if trace.type == "bar":
                trace.marker.color = GREYS[others % len(GREYS)]
            else:
                grey = GREYS[others % len(GREYS)]
                trace.update(line_color=grey, marker_color=grey)
                if trace.fill and trace.fill != "none":
                    trace.fillcolor = BAND_GREY
            others += trace.showlegend is not False
    kinds = (BREAK,) if press.annotations == "breaks" else ()
    return redraw_time_markers(figure, plot_width, kinds)


def lay_out(
    chart: Chart, size: Size, branding: Branding | None, parts: Parts = Parts(), press: Press | None = None
) -> go.Figure:
    """A copy of the chart's figure laid out for ``size``: type scaled, nothing overlapping or cut off.

    Every line of words is measured in pixels (:mod:`dashboard.charts.fonts`) and wrapped to the
    plot's width; vertical positions are worked out in pixels from the top and the foot of the
    image, so the title, subtitle, legend, numbered markers (stacked in rows where they are near),
    the axis labels, footer and the branded strip each keep their own room at any size.
    ``press``: the press style (:class:`Press`).
    """
    f = size.type_scale
    width, height = size.width, size.height
    left, right = round(72 * f), round(36 * f)
    text_width = width - left - right  # the title and the small print run the image's width
    figure = go.Figure(chart.figure)
    figure.layout.annotations = [a for a in figure.layout.annotations if not is_footer(a)]
    names = legend_names(figure)
    legend_rows_ = legend_rows(names, text_width, LEGEND * f)
    side = legend_rows_ > SIDE_LEGEND_ROWS  # a legend of many long names stands beside the plot, not above it
    if side:
        right += round(max(legend_item(name, LEGEND * f) for name in names) + 12 * f)
        legend_rows_ = 0
    plot_width = width - left - right
    if press is not None:
        press_style(figure, press, plot_width / f)
    else:
        redraw_time_markers(figure, plot_width / f)
    for annotation in figure.layout.annotations:
        annotation.font.size = round((annotation.font.size or BODY) * f, 1)
        if is_badge(annotation):
            annotation.yshift = (annotation.yshift or 0) * f

    top = 14 * f
    title_lines: list[str] = []
    subtitle_lines: list[str] = []
    if parts.title:
        title_lines = fonts.wrap(chart.text.title, text_width, TITLE * f)
        subtitle_lines = fonts.wrap(chart.text.subtitle, text_width, SUBTITLE * f)
        top += len(title_lines) * LINE * TITLE * f + len(subtitle_lines) * 1.35 * SUBTITLE * f + 20 * f
        top += 0.8 * TITLE * f if len(title_lines) > 1 else 0
    badges = badge_room(figure, f)
    top += legend_rows_ * LEGEND_LINE * LEGEND * f + badges + 6 * f

    x_title = bool(figure.layout.xaxis.title.text)
    ticks = _tick_lines(figure, plot_width, BODY * f)
    footer_offset = (20 + 1.25 * BODY * ticks + 8 + (28 if x_title else 0)) * f
    keep_notes = press is None
    lines = footer_lines(chart, text_width, FOOTER * f, notes=keep_notes, figure=figure) if parts.footer else []
    if parts.footer and press is not None:
        withheld = [n for n in chart.notes if n.startswith(WITHHELD)]
        lines += [line for note in withheld for line in fonts.wrap(note, text_width, FOOTER * f)]
    band = 46 * f if parts.band and branding else 0
    bottom = footer_offset + len(lines) * LINE * FOOTER * f + (14 * f if lines else 0) + band
    bottom = max(bottom, footer_offset)
    plot_height = height - top - bottom
    if plot_height < 0.3 * height:  # under that the plot is too small to read; a larger size gives it room
        raise ValueError(f"{width} x {height} pixels leaves too little room for the chart; choose a larger size")

    figure.update_layout(
        template=TEMPLATE,
        width=width,
        height=height,
        autosize=False,
        font=dict(size=round(BODY * f, 1)),
        margin=dict(l=left, r=right, t=round(top), b=round(bottom), autoexpand=False),
        legend=dict(
            font=dict(size=round(LEGEND * f, 1)),
            y=1 if side else 1 + (badges + 4 * f) / plot_height,
            yanchor="top" if side else "bottom",
            x=1 + 12 * f / plot_width if side else 0,
            xanchor="left",
            orientation="v" if side else "h",
            entrywidth=None,
        ),
    )
    if parts.title:
        figure.update_layout(
            title=dict(
                text="<br>".join(html.escape(line) for line in title_lines),
                font=dict(size=round(TITLE * f, 1), color=TEXT),
                x=0,
                xref="paper",
                xanchor="left",
                # A one-line title hangs from y (Plotly shifts its baseline down 0.7em); a title of several
                # lines has its first baseline at y, so it is put one line's ascent lower.
                y=1 - (14 * f + (0.8 * TITLE * f if len(title_lines) > 1 else 0)) / height,
                yref="container",
                yanchor="top",
                subtitle=dict(
                    text="<br>".join(html.escape(line) for line in subtitle_lines),
                    font=dict(size=round(SUBTITLE * f, 1), color=MUTED),
                ),
            )
        )
    else:
        figure.update_layout(title=dict(text="", subtitle=dict(text="")))
    if lines:
        figure.add_annotation(
            text="<br>".join(html.escape(line) for line in lines),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-footer_offset,
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font=dict(size=round(FOOTER * f, 1), color=MUTED),
        )
    if band:
        _add_band(figure, branding, band, bottom, text_width, plot_width, plot_height, f)
    return figure


def _add_band(
    figure: go.Figure,
    branding: Branding,
    band: float,
    bottom: float,
    text_width: float,
    plot_width: float,
    plot_height: float,
    f: float,
) -> None:
    """The office's strip along the foot of the image: its colour edge to edge, its name, its logo at the right."""
    figure.add_shape(
        type="rect",
        xref="paper",
        x0=-1,
        x1=2,
        yref="paper",
        ysizemode="pixel",
        yanchor=0,
        y0=-bottom - 200,
        y1=-(bottom - band),
        fillcolor=branding.colour,
        line=dict(width=0),
        layer="below",  # under the logo: plotly draws images of the top layer before its shapes
    )
    logo_width = 0.0
    if branding.logo is not None:
        logo_height = band * 0.7
        logo_width = min(text_width * 0.25, logo_height * 4)
        figure.add_layout_image(
            source=logo_data_uri(branding.logo),
            xref="paper",
            yref="paper",
            x=text_width / plot_width,  # the image's right margin, beyond a legend beside the plot
            y=-(bottom - band / 2) / plot_height,
            sizex=logo_width / plot_width,
            sizey=logo_height / plot_height,
            xanchor="right",
            yanchor="middle",
            sizing="contain",
            layer="above",
        )
    room = text_width - logo_width - 16 * f
    font = min(15 * f, 15 * f * room / max(fonts.width(branding.office, 15 * f, bold=True), 1.0))
    figure.add_annotation(
        text=f"<b>{html.escape(branding.office)}</b>",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(bottom - band / 2),
        xanchor="left",
        yanchor="middle",
        showarrow=False,
        font=dict(size=round(font, 1), color=branding.text_colour),
    )


def logo_data_uri(path: Path) -> str:
    """The logo file as a data URI: embedded in the figure, so the browser never fetches anything."""
    kinds = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
    return f"data:{kinds[path.suffix.lower()]};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
