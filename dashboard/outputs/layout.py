"""Laying a chart out for an export size: the words wrapped to the width, nothing overlapping or cut off.

Each export lays the chart out afresh for its size: title and subtitle wrapped to the width, the
legend, the source line, "data as at", the series-break key and the chart's notes never overlap or
run off the edge, and a strip along the foot carries the office's name and logo (``[branding]``).
Pure Plotly: no Streamlit.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from dashboard.charts.base import MUTED, TEMPLATE, TEXT
from dashboard.charts.catalogue import Chart
from data_loaders.settings import Branding

if TYPE_CHECKING:
    from dashboard.outputs.images import Size

# Type sizes of the shared template (dashboard.charts.base), scaled per export size.
BODY, TITLE, SUBTITLE, LEGEND, FOOTER, BADGE = 15, 21, 15, 13, 12, 11
CHAR_WIDTH = 0.5  # average width of a character of the sans-serif face, as a share of its size (generous)


def wrap(text: str, width: int, separator: str = " ") -> list[str]:
    """``text`` in lines of at most about ``width`` characters, broken at ``separator``."""
    lines: list[str] = []
    for part in text.split(separator) if text else []:
        if lines and len(lines[-1]) + len(separator) + len(part) <= width:
            lines[-1] += separator + part
        else:
            lines.append(part)
    return [line.strip() for line in lines if line.strip()]


def wrap_text(text: str, width: int) -> list[str]:
    """A chart title or subtitle in lines of about ``width`` characters, keeping its own line breaks (``<br>``)."""
    return [line for part in re.split(r"<br\s*/?>", text or "", flags=re.IGNORECASE) for line in wrap(part, width)]


def _chars(pixels: float, font_size: float) -> int:
    return max(20, int(pixels / (CHAR_WIDTH * font_size)))


def _legend_names(figure: go.Figure) -> list[str]:
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


def _legend_rows(names: Sequence[str], width: float, font: float) -> int:
    if not names:
        return 0
    rows, used = 1, 0.0
    for name in names:
        item = 46 * font / LEGEND + len(name) * CHAR_WIDTH * font
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _is_footer(annotation) -> bool:
    return annotation.yref == "paper" and annotation.y == 0 and (annotation.yshift or 0) < 0


def footer_lines(chart: Chart, width_chars: int, *, notes: bool = True) -> list[str]:
    """The small print under a chart: source and data as at, the key to the numbered markers, the notes."""
    text = chart.text
    as_at = f"Data as at {text.data_as_at:%-d %B %Y}." if text.data_as_at else "Data as at: not recorded."
    lines = wrap_text(f"{text.source.rstrip('.')}. {as_at}", width_chars)
    key = (chart.figure.layout.meta or {}).get("marker_key", "") if isinstance(chart.figure.layout.meta, dict) else ""
    if key:
        lines += wrap(f"Marked: {key}.", width_chars, "; ")
    for note in chart.notes if notes else ():
        lines += wrap_text(note, width_chars)
    return lines


@dataclass(frozen=True)
class Parts:
    """Which of a chart's words are drawn in the image (the rest are written beside it, as in the pack)."""

    title: bool = True
    footer: bool = True
    band: bool = True


def lay_out(chart: Chart, size: Size, branding: Branding | None, parts: Parts = Parts()) -> go.Figure:
    """A copy of the chart's figure laid out for ``size``: type scaled, nothing overlapping or cut off.

    Vertical positions are worked out in pixels from the top and the foot of the image, so the
    title, subtitle, legend, numbered markers, footer and the branded strip each keep their own
    room at any size.
    """
    f = size.type_scale
    width, height = size.width, size.height
    left, right = round(72 * f), round(36 * f)
    plot_width = width - left - right
    figure = go.Figure(chart.figure)
    figure.layout.annotations = [a for a in figure.layout.annotations if not _is_footer(a)]
    for annotation in figure.layout.annotations:
        annotation.font.size = round((annotation.font.size or BODY) * f, 1)
    annotations = figure.layout.annotations
    has_badges = any(a.yref == "paper" and a.y == 1 and a.xref not in (None, "paper") for a in annotations)

    top = 14 * f
    title_lines: list[str] = []
    subtitle_lines: list[str] = []
    if parts.title:
        title_lines = wrap_text(chart.text.title, _chars(plot_width, TITLE * f))
        subtitle_lines = wrap_text(chart.text.subtitle, _chars(plot_width, SUBTITLE * f))
        top += len(title_lines) * 1.3 * TITLE * f + len(subtitle_lines) * 1.35 * SUBTITLE * f + 28 * f
    names = _legend_names(figure)
    legend_rows = _legend_rows(names, plot_width, LEGEND * f)
    badge_room = (26 if has_badges else 10) * f
    top += legend_rows * 1.75 * LEGEND * f + badge_room

    x_title = bool(figure.layout.xaxis.title.text)
    footer_offset = (44 + (28 if x_title else 0)) * f
    lines = footer_lines(chart, _chars(plot_width, FOOTER * f)) if parts.footer else []
    band = 46 * f if parts.band and branding else 0
    bottom = footer_offset + len(lines) * 1.3 * FOOTER * f + (14 * f if lines else 0) + band
    bottom = max(bottom, footer_offset)
    plot_height = height - top - bottom
    if plot_height < 0.35 * height:
        raise ValueError(f"{width} x {height} pixels leaves too little room for the chart; choose a larger size")

    figure.update_layout(
        template=TEMPLATE,
        width=width,
        height=height,
        autosize=False,
        font=dict(size=round(BODY * f, 1)),
        margin=dict(l=left, r=right, t=round(top), b=round(bottom), autoexpand=True),
        legend=dict(
            font=dict(size=round(LEGEND * f, 1)),
            y=1 + badge_room / plot_height,
            yanchor="bottom",
            x=0,
            xanchor="left",
            orientation="h",
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
                y=1 - 14 * f / height,
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
        _add_band(figure, branding, band, bottom, plot_width, plot_height, f)
    return figure


def _add_band(
    figure: go.Figure, branding: Branding, band: float, bottom: float, plot_width: float, plot_height: float, f: float
) -> None:
    """The office's strip along the foot of the image: its colour edge to edge, its name, its logo."""
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
        logo_width = min(plot_width * 0.25, logo_height * 4)
        figure.add_layout_image(
            source=logo_data_uri(branding.logo),
            xref="paper",
            yref="paper",
            x=1,
            y=-(bottom - band / 2) / plot_height,
            sizex=logo_width / plot_width,
            sizey=logo_height / plot_height,
            xanchor="right",
            yanchor="middle",
            sizing="contain",
            layer="above",
        )
    room = plot_width - logo_width - 16 * f
    font = min(15 * f, room / (CHAR_WIDTH * 1.08 * max(len(branding.office), 1)))
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
