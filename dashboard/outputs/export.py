"""Charts out of the app: PNG, SVG and PDF at set sizes, branded, with alt text and the figures behind them.

Images are drawn server-side by kaleido in the system Chromium (the Debian package at
``/usr/bin/chromium``, or the browser named by ``BROWSER_PATH``; never downloaded). One browser is
kept running for the process (``kaleido.start_sync_server``) and every export goes through one lock,
so two sessions exporting at once queue instead of colliding in the browser's single tab.

Each export lays the chart out afresh for its size: title and subtitle wrapped to the width, the
legend, the source line, "data as at", the series-break key and the chart's notes never overlap or
run off the edge, and a strip along the foot carries the office's name and logo (``[branding]``).
Everything that leaves the app is first protected by :mod:`dashboard.outputs.suppression`. No Streamlit.
"""

from __future__ import annotations

import base64
import concurrent.futures
import dataclasses
import datetime as dt
import html
import io
import math
import os
import re
import shutil
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import catalogue
from dashboard.charts.base import MUTED, TEMPLATE, TEXT, TimeMarker
from dashboard.charts.catalogue import Chart, Inputs
from dashboard.outputs import suppression
from dashboard.ui.filters import Filters, defaults_for
from data_loaders.sanitise import neutralise_frame
from data_loaders.settings import Branding, Settings

Progress = Callable[[float, str], None]

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
BROWSER_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
RENDER_TIMEOUT = 60  # seconds for one image; the browser is restarted after a render that never returns
CREATOR = "PCC stalking and harassment oversight dashboard"
MIN_SIDE, MAX_SIDE, MAX_SCALE = 300, 4000, 6.0
# The order charts come in wherever several are shown together (presentation mode, the meeting pack).
SECTION_ORDER = ("Recorded crime", "Outcomes", "Prosecutions and orders", "Oversight", "Recommendations")

# Type sizes of the shared template (dashboard.charts.base), scaled per export size.
BODY, TITLE, SUBTITLE, LEGEND, FOOTER, BADGE = 15, 21, 15, 13, 12, 11
CHAR_WIDTH = 0.5  # average width of a character of the sans-serif face, as a share of its size (generous)


class ExportError(RuntimeError):
    """An image could not be made: no browser, or the browser failed."""


@dataclass(frozen=True)
class Size:
    """An export size in layout pixels; ``scale`` multiplies the pixels of a PNG (for print)."""

    key: str
    label: str
    width: int
    height: int
    scale: float = 1.0
    type_scale: float = 1.0  # how much larger than on the page the words are drawn

    def pixels(self) -> tuple[int, int]:
        """The PNG's width and height in pixels."""
        return round(self.width * self.scale), round(self.height * self.scale)


SIZES = {
    "press": Size("press", "Press release or web page (1200 x 675)", 1200, 675),
    "square": Size("square", "Social media, square (1080 x 1080)", 1080, 1080, type_scale=1.15),
    "slide": Size("slide", "Presentation slide (1920 x 1080)", 1920, 1080, type_scale=1.5),
    # A4 landscape is 297 x 210 mm: 1123 x 794 pixels at 96 per inch; x3 gives about 290 dots per inch.
    "a4": Size("a4", "A4 landscape, for print (1123 x 794, x3)", 1123, 794, scale=3.0),
}
CUSTOM = "custom"


def size_for(key: str, *, width: int | None = None, height: int | None = None, scale: float | None = None) -> Size:
    """A preset size (``press``, ``square``, ``slide``, ``a4``) or ``custom`` with ``width`` and ``height``.

    ``scale`` overrides the preset's resolution scale. Raises ``ValueError`` naming what is wrong.
    """
    if key == CUSTOM:
        if not width or not height:
            raise ValueError("a custom size needs a width and a height in pixels")
        for name, value in (("width", width), ("height", height)):
            if not MIN_SIDE <= value <= MAX_SIDE:
                raise ValueError(f"the {name} must be from {MIN_SIDE} to {MAX_SIDE} pixels, not {value}")
        type_scale = min(1.8, max(0.85, math.sqrt(width * height / (1200 * 675))))
        size = Size(CUSTOM, f"Custom ({width} x {height})", int(width), int(height), type_scale=round(type_scale, 2))
    elif key in SIZES:
        size = SIZES[key]
    else:
        raise ValueError(f"unknown size {key!r}: choose one of {', '.join([*SIZES, CUSTOM])}")
    if scale is not None:
        if not 0.5 <= scale <= MAX_SCALE:
            raise ValueError(f"the scale must be from 0.5 to {MAX_SCALE:g}, not {scale:g}")
        size = dataclasses.replace(size, scale=float(scale))
    return size


# ---- the catalogue and its inputs, without Streamlit -------------------------------------------


def load_charts() -> dict[str, catalogue.Entry]:
    """The whole chart catalogue (see ``catalogue.CHART_MODULES``)."""
    return catalogue.load_all()


def ordered_charts() -> list[catalogue.Entry]:
    """Every chart in the catalogue, section by section in :data:`SECTION_ORDER` (others after), as registered within."""
    entries = list(load_charts().values())
    found = list(dict.fromkeys(e.section for e in entries))
    sections = [s for s in SECTION_ORDER if s in found] + [s for s in found if s not in SECTION_ORDER]
    return [e for section in sections for e in entries if e.section == section]


def cut_to(inputs: Inputs, last_month: dt.date) -> Inputs:
    """``inputs`` with every table cut to the periods that start on or before ``last_month``."""
    cut = pd.Timestamp(last_month)
    tables = {}
    for name in ("recorded", "outcomes", "prosecutions"):
        frame = getattr(inputs, name)
        if "period_start" in frame.columns and len(frame):
            frame = frame[pd.to_datetime(frame["period_start"]) <= cut]
        tables[name] = frame
    return dataclasses.replace(inputs, **tables)


def default_filters(settings: Settings, recorded: pd.DataFrame) -> Filters:
    """The view with no choices made: home force, its peers, every category, the whole period loaded."""
    chosen = defaults_for(settings)
    if len(recorded):
        starts = pd.to_datetime(recorded["period_start"])
        chosen = dataclasses.replace(chosen, start=starts.min().date().replace(day=1), end=starts.max().date())
    return chosen


def inputs_from_database(engine, settings: Settings, chosen: Filters | None = None, *, today: dt.date | None = None):
    """The catalogue's inputs read straight from the database (for the command line): no Streamlit, no cache.

    ``chosen`` defaults to the home force and the latest data. Recommendation tables are read when
    the catalogue's inputs carry them, as of ``today``.
    """
    from data_loaders import reads
    from data_loaders.recommendations import queries as recommendation_queries
    from data_loaders.sources import events
    from data_loaders.status import read_status

    recorded = reads.recorded_crime(engine)
    status = read_status(engine)
    dates = [s.edition_date or s.loaded_at.date() for s in status.sources]
    markers = tuple(
        TimeMarker(row.date, row.label, "series break" if row.source == "series break" else "local event")
        for row in events.all_events(engine, settings).itertuples()
    )
    fields = {f.name for f in dataclasses.fields(Inputs)}
    extra = {}
    today = today or dt.date.today()
    if "recommendations" in fields:
        extra["recommendations"] = recommendation_queries.recommendations_frame(engine, settings, today)
    if "recommendation_updates" in fields:
        extra["recommendation_updates"] = recommendation_queries.updates_frame(engine)
    if "reports" in fields:
        extra["reports"] = recommendation_queries.reports_frame(engine, settings, today)
    return Inputs(
        settings=settings,
        filters=chosen or default_filters(settings, recorded),
        recorded=recorded,
        population=reads.population(engine),
        published=reads.published_figures(engine),
        outcomes=reads.outcomes(engine),
        prosecutions=reads.prosecutions(engine),
        markers=markers,
        data_as_at=max(dates, default=None),
        **extra,
    )


def key_messages(inputs: Inputs) -> list[str]:
    """The Overview's key-message sentences for ``inputs`` (the same words as the page), or why there are none."""
    from dashboard.figures import overview

    summary = overview.summary(inputs)
    if summary is None:
        return [f"No recorded crime is loaded for {inputs.filters.force}."]
    return list(summary.messages)


# ---- laying a figure out for its size ----------------------------------------------------------


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


# ---- rendering ---------------------------------------------------------------------------------


def browser_path() -> str:
    """The Chromium to draw with: ``BROWSER_PATH``, else the Debian package's; never a downloaded one."""
    named = os.environ.get("BROWSER_PATH")
    if named:
        if not Path(named).is_file():
            raise ExportError(f"BROWSER_PATH names {named}, which does not exist")
        return named
    for candidate in BROWSER_CANDIDATES:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    raise ExportError(
        "Images need Chromium, which is not installed: install the Debian package (apt-get install chromium) "
        "or name a Chromium in BROWSER_PATH."
    )


class Renderer:
    """One kaleido browser for the process, shared by every session; one image at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaleido")

    def _start(self) -> None:
        import kaleido

        kaleido.start_sync_server(path=browser_path(), mathjax=False, timeout=RENDER_TIMEOUT, silence_warnings=True)

    def render(self, figure: go.Figure | dict, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
        """The figure drawn as ``fmt`` (png, svg or pdf) at ``width`` x ``height`` layout pixels."""
        import kaleido

        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        with self._lock:
            self._start()
            job = self._worker.submit(kaleido.calc_fig_sync, figure, opts=opts)
            try:
                return job.result(timeout=RENDER_TIMEOUT + 30)
            except concurrent.futures.TimeoutError as exc:
                # The browser stopped answering: leave the waiting thread behind, and stop the server
                # (in the background: stopping waits for its thread) so that the next export starts afresh.
                self._worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="kaleido")
                threading.Thread(
                    target=kaleido.stop_sync_server, kwargs={"silence_warnings": True}, daemon=True
                ).start()
                raise ExportError("The image renderer did not answer; try again.") from exc
            except ExportError:
                raise
            except Exception as exc:  # kaleido and the browser raise many kinds
                raise ExportError(f"The image could not be drawn: {exc}") from exc


RENDERER = Renderer()


# ---- metadata -----------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with_text(png: bytes, fields: dict[str, str]) -> bytes:
    """``png`` with a text chunk per field after its header (tEXt when Latin-1 will do, iTXt otherwise)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ExportError("the renderer did not return a PNG")
    header_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    chunks = b""
    for keyword, value in fields.items():
        try:
            chunks += _png_chunk(b"tEXt", keyword.encode("latin-1") + b"\x00" + value.encode("latin-1"))
        except UnicodeEncodeError:
            data = keyword.encode("latin-1") + b"\x00\x00\x00\x00\x00" + value.encode("utf-8")
            chunks += _png_chunk(b"iTXt", data)
    return png[:header_end] + chunks + png[header_end:]


def png_text(png: bytes) -> dict[str, str]:
    """The text chunks of a PNG (tEXt and iTXt), keyword to value."""
    out, position = {}, 8
    while position < len(png):
        length = struct.unpack(">I", png[position : position + 4])[0]
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if kind == b"tEXt":
            keyword, value = data.split(b"\x00", 1)
            out[keyword.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            keyword, rest = data.split(b"\x00", 1)
            _, _, rest = rest[0], rest[1], rest[2:]
            _, rest = rest.split(b"\x00", 1)
            _, value = rest.split(b"\x00", 1)
            out[keyword.decode("latin-1")] = value.decode("utf-8")
        position += 12 + length
    return out


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    return struct.unpack(">II", png[16:24])


def svg_with_text(svg: bytes, title: str, description: str) -> bytes:
    """``svg`` with a ``<title>`` and ``<desc>`` as the root's first children, named as its accessible label."""
    text = svg.decode("utf-8")
    match = re.search(r"<svg\b[^>]*>", text)
    if match is None:
        raise ExportError("the renderer did not return an SVG")
    tag = match.group(0)
    opened = tag[:-1] + ' role="img" aria-labelledby="chart-title chart-desc">'
    inserted = (
        f'<title id="chart-title">{html.escape(title, quote=False)}</title>'
        f'<desc id="chart-desc">{html.escape(description, quote=False)}</desc>'
    )
    return (text[: match.start()] + opened + inserted + text[match.end() :]).encode("utf-8")


def pdf_with_info(pdf: bytes, info: dict[str, str]) -> bytes:
    """``pdf`` with its document information replaced (Title, Subject, Author, ...)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_metadata({f"/{key}": value for key, value in info.items()})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- one chart out ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """One exported chart: the file's bytes, name and type, and the text alternative offered beside it."""

    content: bytes
    file_name: str
    mime: str
    alt: str


def alt_text(chart: Chart) -> str:
    """The chart's text alternative, written from its data, with what suppression withheld."""
    alt = chart.alt.strip() or _alt_from_data(chart)
    withheld = [n for n in chart.notes if n.startswith((suppression.SUPPRESSED, suppression.LOW_BASE))]
    return " ".join([alt, *withheld])


def _alt_from_data(chart: Chart) -> str:
    data = chart.data
    return (
        f"Chart: {chart.text.title}. {chart.text.subtitle}. It draws {len(data):,} rows of figures "
        f"({', '.join(map(str, data.columns))}); the CSV beside it holds them all."
    ).replace(". .", ".")


def protect(chart: Chart, settings: Settings) -> Chart:
    """The chart fit to leave the app: small numbers suppressed (see :mod:`dashboard.outputs.suppression`)."""
    return suppression.protect_chart(chart, settings.suppression)


def csv_bytes(chart: Chart, settings: Settings, *, protected: bool = False) -> bytes:
    """The figures behind the chart as CSV (UTF-8), suppressed as the image is, formulas neutralised.

    ``protected``: the chart has been through :func:`protect` already.
    """
    chart = chart if protected else protect(chart, settings)
    return neutralise_frame(chart.data).to_csv(index=False).encode("utf-8")


def stem(chart: Chart) -> str:
    """The file name (without extension) for a chart's files: its catalogue key."""
    return re.sub(r"[^a-z0-9-]+", "-", chart.key.lower()).strip("-") or "chart"


def export_chart(chart: Chart, settings: Settings, fmt: str, size: Size, *, protected: bool = False) -> Export:
    """The chart as a branded PNG, SVG or PDF of ``size``, with its alt text in the file's metadata."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    chart = chart if protected else protect(chart, settings)
    branding = settings.branding
    figure = lay_out(chart, size, branding)
    scale = size.scale if fmt == "png" else 1.0
    content = RENDERER.render(figure, fmt, size.width, size.height, scale)
    alt = alt_text(chart)
    title = chart.text.title
    if fmt == "png":
        content = png_with_text(
            content,
            {
                "Title": title,
                "Description": alt,
                "Author": branding.office,
                "Source": footer_lines(chart, 10_000, notes=False)[0],
                "Software": CREATOR,
            },
        )
    elif fmt == "svg":
        content = svg_with_text(content, title, alt)
    else:
        content = pdf_with_info(
            content,
            {"Title": title, "Subject": alt, "Author": branding.office, "Creator": CREATOR, "Producer": CREATOR},
        )
    return Export(content, file_name(chart, fmt, size), FORMATS[fmt], alt)


def file_name(chart: Chart, fmt: str, size: Size) -> str:
    """'recorded-spc.png' at the press size, 'recorded-spc-square.png' at the others."""
    suffix = "" if size.key == "press" else f"-{size.key}"
    return f"{stem(chart)}{suffix}.{fmt}"


def unavailable() -> str | None:
    """Why images cannot be made here (no Chromium), or None when they can."""
    try:
        browser_path()
    except ExportError as exc:
        return str(exc)
    return None


# ---- the press pack ---------------------------------------------------------------------------


def key_figures_text(inputs: Inputs, charts: Sequence[Chart], *, today: dt.date | None = None) -> str:
    """The press pack's key figures: the Overview's key messages for the chosen force, with their provenance."""
    settings, chosen = inputs.settings, inputs.filters
    today = today or dt.date.today()
    as_at = f"{inputs.data_as_at:%-d %B %Y}" if inputs.data_as_at else "not recorded"
    lines = [
        f"{settings.total_label}: key figures for {chosen.force}",
        settings.branding.office,
        f"Prepared {today:%-d %B %Y}. Data as at {as_at}.",
        "",
        *(f"- {sentence}" for sentence in key_messages(inputs)),
        "",
        "Charts in this pack:",
        *(f"- {chart.text.title} ({stem(chart)})" for chart in charts),
    ]
    notes = list(dict.fromkeys(n for chart in charts for n in chart.notes if n.startswith(("[c]", "[x]"))))
    if notes:
        lines += ["", "Small numbers:", *(f"- {note}" for note in notes)]
    sources = list(dict.fromkeys(chart.text.source.rstrip(".") for chart in charts))
    lines += ["", "Sources:", *(f"- {source.removeprefix('Source: ')}" for source in sources)]
    return "\n".join(lines) + "\n"


def press_pack(
    inputs: Inputs,
    keys: Iterable[str],
    fmt: str,
    size: Size,
    *,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> tuple[bytes, list[str]]:
    """One ZIP for the press office: per chart its image, alt text (.txt) and CSV, plus ``key-figures.txt``.

    Returns the ZIP's bytes and the keys left out because their data is not loaded.
    """
    load_charts()
    settings = inputs.settings
    keys = list(keys)
    built, missing = [], []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, key in enumerate(keys):
            if progress:
                progress(index / (len(keys) + 1), f"Drawing {key}")
            chart = catalogue.build(key, inputs)
            if chart is None:
                missing.append(key)
                continue
            chart = protect(chart, settings)
            exported = export_chart(chart, settings, fmt, size, protected=True)
            archive.writestr(f"{stem(chart)}.{fmt}", exported.content)
            archive.writestr(f"{stem(chart)}-alt-text.txt", exported.alt + "\n")
            archive.writestr(f"{stem(chart)}.csv", csv_bytes(chart, settings, protected=True))
            built.append(chart)
        archive.writestr("key-figures.txt", key_figures_text(inputs, built, today=today))
    if progress:
        progress(1.0, "Press pack ready")
    return buffer.getvalue(), missing


def describe_filters(chosen: Filters) -> str:
    """The filters in words, for a pack's cover and the command line."""
    period = ""
    if chosen.start and chosen.end:
        period = f", {chosen.start:%B %Y} to {chosen.end:%B %Y}"
    peers = f"; compared with {', '.join(chosen.peers)}" if chosen.peers else ""
    return f"{chosen.force}: {', '.join(chosen.categories) or 'all categories'}{period}{peers}"


def filters_from_options(
    settings: Settings,
    recorded: pd.DataFrame,
    *,
    force: str | None = None,
    peers: str | None = None,
    categories: str | None = None,
    start: str | None = None,
    end: str | None = None,
    granularity: str | None = None,
    measure: str | None = None,
    outcome_count: str | None = None,
) -> Filters:
    """Filters from command-line options (defaults: the home force, its peers, every category, all loaded data).

    Raises ``ValueError`` naming the option that is wrong, with the closest force name where one is near.
    """
    from dashboard.ui.filters import GRANULARITIES, MEASURES, OUTCOME_COUNTS
    from data_loaders.forces import ForceNames

    chosen = default_filters(settings, recorded)
    names = ForceNames(settings)

    def force_name(text: str, option: str) -> str:
        canonical = names.resolve(text)
        if canonical is None or not names.is_territorial(canonical):
            raise ValueError(f"{option} {text!r}: {names.suggestion(text)}")
        return canonical

    def month(text: str, option: str) -> dt.date:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{option} {text!r}: expected a month written 2024-03")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def choice(text: str, options: dict[str, str], option: str) -> str:
        if text not in options:
            raise ValueError(f"{option} {text!r}: choose one of {', '.join(options)}")
        return text

    changes: dict[str, object] = {}
    if force:
        changes["force"] = force_name(force, "--force")
    if peers is not None:
        changes["peers"] = tuple(force_name(p, "--peers") for p in peers.split(",") if p.strip())
    if categories is not None:
        chosen_categories = tuple(c.strip() for c in categories.split(",") if c.strip())
        unknown = [c for c in chosen_categories if c not in settings.categories]
        if unknown or not chosen_categories:
            raise ValueError(f"--categories: choose from {', '.join(settings.categories)}")
        changes["categories"] = chosen_categories
    if start:
        changes["start"] = month(start, "--from")
    if end:
        changes["end"] = month(end, "--to")
    if granularity:
        changes["granularity"] = choice(granularity, GRANULARITIES, "--granularity")
    if measure:
        changes["measure"] = choice(measure, MEASURES, "--measure")
    if outcome_count:
        changes["outcome_count"] = choice(outcome_count, OUTCOME_COUNTS, "--outcome-count")
    chosen = dataclasses.replace(chosen, **changes)
    if chosen.start and chosen.end and chosen.start > chosen.end:
        raise ValueError("--from is after --to")
    return chosen
