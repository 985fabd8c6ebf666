"""Text measured in pixels, as the browser draws it, so a chart's words can be wrapped or moved before they clip.

The template names Arial first (``base.FONT``); where Arial is missing (the server drawing exports)
the browser falls back to DejaVu Sans, which is the wider of the two. Widths are measured with
Pillow on DejaVu Sans, so a line that fits here fits wherever Arial or Helvetica draws it. Where
no DejaVu Sans file is found the width of each character is taken as that face's widest average.
Pure: no Streamlit, no Plotly.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

# Where the distributions put DejaVu Sans (Debian and Ubuntu; Fedora; Arch), regular and bold.
FACES = {
    False: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    ),
}
FALLBACK_WIDTH = 0.62  # DejaVu Sans's average character width over English text, as a share of the size, rounded up
TAG = re.compile(r"<[^>]+>")
BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


@lru_cache(maxsize=64)
def _face(size: float, bold: bool) -> ImageFont.FreeTypeFont | None:
    for candidate in FACES[bold]:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return None


def plain(text: str) -> str:
    """``text`` as it is drawn: Plotly's tags (``<b>``, ``<i>``...) dropped and entities read."""
    return html.unescape(TAG.sub("", text or ""))


def width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in pixels of one line of ``text`` (tags and entities as Plotly draws them) at ``size`` pixels."""
    shown = plain(text)
    face = _face(round(size, 1), bold or "<b>" in (text or ""))
    if face is None:
        return len(shown) * FALLBACK_WIDTH * size * (1.08 if bold else 1.0)
    return float(face.getlength(shown))


def widest(text: str, size: float, *, bold: bool = False) -> float:
    """The width in pixels of the longest of ``text``'s lines (split at ``<br>``)."""
    return max((width(line, size, bold=bold) for line in BREAK.split(text or "")), default=0.0)


def wrap(text: str, pixels: float, size: float, *, separator: str = " ", bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``pixels`` at ``size``, broken at ``separator`` (and at its own ``<br>``).

    A single word wider than the line is broken between characters rather than left to run off the edge.
    """
    lines: list[str] = []
    for paragraph in BREAK.split(text or ""):
        current = ""
        for part in paragraph.split(separator):
            joined = f"{current}{separator}{part}" if current else part
            if width(joined.strip(), size, bold=bold) <= pixels:
                current = joined
                continue
            if current.strip():
                lines.append(current.strip())
            current = part
            while width(current.strip(), size, bold=bold) > pixels and len(current) > 1:
                cut = _longest_fitting(current, pixels, size, bold)
                lines.append(current[:cut].strip())
                current = current[cut:]
        if current.strip():
            lines.append(current.strip())
    return lines


def _longest_fitting(text: str, pixels: float, size: float, bold: bool) -> int:
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if width(text[:middle], size, bold=bold) <= pixels:
            low = middle
        else:
            high = middle - 1
    return low
