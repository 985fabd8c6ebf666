"""Charts out of the app: PNG, SVG and PDF at set sizes, branded, with alt text and the figures behind them.

Images are drawn server-side by kaleido in the system Chromium (the Debian package at
``/usr/bin/chromium``, or the browser named by ``BROWSER_PATH``; never downloaded). One browser is
kept running for the process (``kaleido.start_sync_server``) and every export goes through one lock,
so two sessions exporting at once queue instead of colliding in the browser's single tab.

Each chart is laid out for its size by :mod:`dashboard.outputs.layout`. Everything that leaves the app
is first released by :mod:`dashboard.outputs.release`: small numbers suppressed, demo figures labelled.
No Streamlit.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import html
import io
import math
import os
import re
import shutil
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
from PIL import PngImagePlugin
from PIL.PngImagePlugin import PngInfo

from dashboard.charts.catalogue import Chart
from dashboard.outputs import layout, release, suppression
from data_loaders.settings import Settings

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
BROWSER_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
RENDER_TIMEOUT = 60  # seconds for one image; the browser is restarted after a render that never returns
CREATOR = "PCC stalking and harassment oversight dashboard"
MIN_SIDE, MAX_SIDE, MAX_SCALE = 300, 4000, 6.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEADER_END = 8 + 4 + 4 + 13 + 4  # the signature, then IHDR (always first): length, type, 13 bytes, CRC


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


PRINT_DPI, SCREEN_DPI = 300, 96
SIZES = {
    # Drawn at twice the pixels, so the image stays sharp on high-density screens and in print at a column's width.
    "press": Size("press", "Press release or web page (1200 x 675, x2)", 1200, 675, scale=2.0),
    "square": Size("square", "Social media, square (1080 x 1080)", 1080, 1080, type_scale=1.15),
    "slide": Size("slide", "Presentation slide (1920 x 1080)", 1920, 1080, type_scale=1.5),
    # A4 landscape is 297 x 210 mm: 1123 x 794 pixels at 96 per inch; x3.125 gives 300 dots per inch.
    "a4": Size(
        "a4", "A4 landscape, for print at 300 dpi (1123 x 794, x3.125)", 1123, 794, scale=PRINT_DPI / SCREEN_DPI
    ),
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


def png_with_text(png: bytes, fields: dict[str, str], dpi: float | None = None) -> bytes:
    """``png`` with a text chunk per field after its header (tEXt when Latin-1 will do, iTXt otherwise).

    ``dpi``: its resolution, written as a pHYs chunk so that print software sizes it (A4 at 300 dpi).

    The chunks are spliced in after the header rather than the image saved again, so the pixels'
    compressed bytes stay exactly as the renderer wrote them (and a print-size PNG is not re-encoded).
    """
    if png[:8] != PNG_SIGNATURE:
        raise ExportError("the renderer did not return a PNG")
    info = PngInfo()
    for keyword, value in fields.items():
        info.add_text(keyword, value)
    chunks = io.BytesIO()
    for kind, data, _after_image in info.chunks:
        PngImagePlugin.putchunk(chunks, kind, data)
    if dpi is not None:
        per_metre = round(dpi / 0.0254)
        PngImagePlugin.putchunk(chunks, b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    return png[:HEADER_END] + chunks.getvalue() + png[HEADER_END:]


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
    """The chart's text alternative, written from its data, with what suppression withheld; demo charts say so first."""
    alt = chart.alt.strip() or _alt_from_data(chart)
    withheld = [n for n in chart.notes if n.startswith((suppression.SUPPRESSED, suppression.LOW_BASE))]
    return " ".join([*([release.DEMO_NOTICE] if chart.illustrative else []), alt, *withheld])


def _alt_from_data(chart: Chart) -> str:
    data = chart.data
    return (
        f"Chart: {chart.text.title}. {chart.text.subtitle}. It draws {len(data):,} rows of figures "
        f"({', '.join(map(str, data.columns))}); the CSV beside it holds them all."
    ).replace(". .", ".")


def protect(chart: Chart, settings: Settings) -> Chart:
    """The chart fit to leave the app: small numbers suppressed, demo figures labelled (see ``outputs.release``)."""
    return release.release(chart, settings)


def csv_bytes(chart: Chart, settings: Settings, *, protected: bool = False) -> bytes:
    """The figures behind the chart as CSV (UTF-8), suppressed as the image is, formulas neutralised.

    A chart from the illustrative demo has the demo notice as its first line. ``protected``: the
    chart has been through :func:`protect` already (releasing twice changes nothing either way).
    """
    chart = protect(chart, settings)  # nothing to do when ``protected``
    return release.csv_bytes(chart.data, illustrative=chart.illustrative)


def stem(chart: Chart) -> str:
    """The file name (without extension) for a chart's files: its catalogue key."""
    return re.sub(r"[^a-z0-9-]+", "-", chart.key.lower()).strip("-") or "chart"


def export_chart(
    chart: Chart,
    settings: Settings,
    fmt: str,
    size: Size,
    *,
    protected: bool = False,
    press: layout.Press | None = None,
) -> Export:
    """The chart as a branded PNG, SVG or PDF of ``size``, with its alt text in the file's metadata.

    ``press``: the press style (the home force against grey peers, few markers; see ``layout.Press``).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    chart = protect(chart, settings)  # nothing to do when ``protected``: a released chart stays as it is
    branding = settings.branding
    figure = layout.lay_out(chart, size, branding, press=press)
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
                "Source": layout.footer_lines(chart, 10_000, notes=False)[0],
                "Software": CREATOR,
                **({"Warning": release.DEMO_NOTICE} if chart.illustrative else {}),
            },
            dpi=SCREEN_DPI * size.scale,
        )
    elif fmt == "svg":
        content = svg_with_text(content, title, alt)
    else:
        content = pdf_with_info(
            content,
            {
                "Title": title,
                "Subject": alt,
                "Author": branding.office,
                "Creator": CREATOR,
                "Producer": CREATOR,
                **({"Keywords": release.DEMO_NOTICE} if chart.illustrative else {}),
            },
        )
    return Export(content, file_name(chart, fmt, size, press=press), FORMATS[fmt], alt)


def file_name(chart: Chart, fmt: str, size: Size, *, press: layout.Press | None = None) -> str:
    """'recorded-spc.png' at the press size, 'recorded-spc-square.png' at the others; '-highlighted' in the press style."""
    suffix = ("" if size.key == "press" else f"-{size.key}") + ("-highlighted" if press is not None else "")
    return f"{stem(chart)}{suffix}.{fmt}"


def unavailable() -> str | None:
    """Why images cannot be made here (no Chromium), or None when they can."""
    try:
        browser_path()
    except ExportError as exc:
        return str(exc)
    return None
