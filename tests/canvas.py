"""The boxes of every line of words in an SVG drawn by Plotly (kaleido in Chromium), for the layout tests.

Each ``<text>`` element is placed by its own x and y and the translations of the groups around it;
its width is measured on the face the browser drew it with: the face fontconfig gives for Arial, the
template's first choice (Liberation Sans where it is installed, as on most Linux desktops), else DejaVu Sans
as ``dashboard.charts.fonts`` measures it. Its height comes from its type size and lines. Rotated text (the
y axis's title) is left out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageFont

from dashboard.charts import fonts

SVG = "{http://www.w3.org/2000/svg}"
OPERATION = re.compile(r"(translate|scale|rotate)\(([^)]*)\)")
ROTATE = re.compile(r"rotate\(\s*(-?[\d.e]+)")
SIZE = re.compile(r"font-size:\s*([\d.]+)px")
ANCHOR = {"start": 0.0, "middle": 0.5, "end": 1.0}


@dataclass(frozen=True)
class Box:
    text: str
    kind: str
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box, slack: float = 1.0) -> bool:
        return (
            self.left < other.right - slack
            and other.left < self.right - slack
            and self.top < other.bottom - slack
            and other.top < self.bottom - slack
        )


def _transform(transform: str | None) -> tuple[float, float, float, bool]:
    """An element's transform as (scale, x, y): a local point p is drawn at scale * p + (x, y); and if it rotates."""
    scale, x, y = 1.0, 0.0, 0.0
    if not transform:
        return scale, x, y, False
    rotated = any(abs(float(angle)) > 0.01 for angle in ROTATE.findall(transform))
    for op in OPERATION.finditer(transform):
        name, values = op.group(1), [float(v) for v in re.findall(r"[-\d.e]+", op.group(2))]
        if name == "translate":
            x, y = x + scale * values[0], y + scale * (values[1] if len(values) > 1 else 0.0)
        elif name == "scale":
            scale *= values[0]
    return scale, x, y, rotated


def text_boxes(svg: bytes) -> tuple[float, float, list[Box]]:
    """The SVG's width, height and the box of every piece of visible, unrotated text in it."""
    root = ET.fromstring(svg)
    boxes: list[Box] = []

    def walk(element, place: tuple[float, float, float], kind: str) -> None:
        scale, x, y, rotated = _transform(element.get("transform"))
        if rotated:
            return
        outer, dx, dy = place
        place = (outer * scale, dx + outer * x, dy + outer * y)
        kind = element.get("class") or kind
        if element.tag == f"{SVG}text":
            boxes.extend(_boxes(element, place, kind))
            return
        for child in element:
            walk(child, place, kind)

    walk(root, (1.0, 0.0, 0.0), "")
    return float(root.get("width")), float(root.get("height")), boxes


def _boxes(element, place: tuple[float, float, float], kind: str) -> list[Box]:
    match = SIZE.search(element.get("style") or "")
    if match is None:
        return []
    size = float(match.group(1))
    bold = "font-weight: bold" in (element.get("style") or "")
    anchor = ANCHOR.get(element.get("text-anchor") or "start", 0.0)
    x, y = float(element.get("x") or 0), float(element.get("y") or 0) + _em(element.get("dy"), size)
    lines = [span for span in element if span.tag == f"{SVG}tspan" and "line" in (span.get("class") or "")]
    if not lines:
        text = "".join(element.itertext()).strip()
        return [_box(text, kind, place, x, y, size, bold, anchor)] if text else []
    out = []
    for span in lines:
        text = "".join(span.itertext()).strip()
        # Plotly gives each line the element's y and a growing dy (1.3em a line).
        line_y = (float(span.get("y")) if span.get("y") else y) + _em(span.get("dy"), size)
        line_x = float(span.get("x") or x)
        if text:
            out.append(_box(text, kind, place, line_x, line_y, size, bold or "<b>" in text, anchor))
    return out


def _em(value: str | None, size: float) -> float:
    if not value:
        return 0.0
    return float(value.removesuffix("em")) * size if value.endswith("em") else float(value)


@lru_cache(maxsize=4)
def _arial_file(bold: bool) -> str | None:
    """The font file fontconfig draws Arial with on this machine, or None to measure as the product does."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(
        ["fc-match", "--format=%{file}", f"Arial:{'bold' if bold else 'regular'}"], capture_output=True, text=True
    ).stdout.strip()
    return found or None


@lru_cache(maxsize=64)
def _face(file: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(file, size)


def _width(text: str, size: float, bold: bool) -> float:
    file = _arial_file(bold)
    if file is None:
        return fonts.width(text, size, bold=bold)
    return float(_face(file, round(size, 1)).getlength(fonts.plain(text)))


def _box(
    text: str, kind: str, place: tuple[float, float, float], x: float, baseline: float, size: float, bold: bool,
    anchor: float,
) -> Box:  # fmt: skip
    scale, dx, dy = place
    width = _width(text, size, bold)
    left = x - anchor * width
    top, bottom = baseline - 0.76 * size, baseline + 0.24 * size
    return Box(text, kind, dx + scale * left, dy + scale * top, dx + scale * (left + width), dy + scale * bottom)


def problems(svg: bytes) -> list[str]:
    """Every word cut off by the canvas's edge and every pair of overlapping lines, in words."""
    width, height, boxes = text_boxes(svg)
    found = [
        f"{box.kind} {box.text!r} runs off the canvas ({box.left:.0f}, {box.top:.0f}, {box.right:.0f}, {box.bottom:.0f})"
        for box in boxes
        if box.left < -0.5 or box.top < -0.5 or box.right > width + 0.5 or box.bottom > height + 0.5
    ]
    for index, box in enumerate(boxes):
        for other in boxes[index + 1 :]:
            if box.overlaps(other):
                found.append(f"{box.kind} {box.text!r} overlaps {other.kind} {other.text!r}")
    return found
