"""The boxes of every line of words in an SVG drawn by Plotly (kaleido in Chromium), for the layout tests.

Each ``<text>`` element is placed by its own x and y and the translations of the groups around it;
its width is measured on the face the browser drew it with (``dashboard.charts.fonts``), its height
from its type size and lines. Rotated text (the y axis's title) is left out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from dashboard.charts import fonts

SVG = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(\s*([-\d.e]+)[ ,]*([-\d.e]+)?\s*\)")
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


def _shift(transform: str | None) -> tuple[float, float, bool]:
    if not transform:
        return 0.0, 0.0, False
    rotated = any(abs(float(angle)) > 0.01 for angle in ROTATE.findall(transform))
    x = y = 0.0
    for dx, dy in TRANSLATE.findall(transform):
        x, y = x + float(dx), y + float(dy or 0)
    return x, y, rotated


def text_boxes(svg: bytes) -> tuple[float, float, list[Box]]:
    """The SVG's width, height and the box of every piece of visible, unrotated text in it."""
    root = ET.fromstring(svg)
    boxes: list[Box] = []

    def walk(element, x0: float, y0: float, kind: str) -> None:
        dx, dy, rotated = _shift(element.get("transform"))
        if rotated:
            return
        x0, y0 = x0 + dx, y0 + dy
        kind = element.get("class") or kind
        if element.tag == f"{SVG}text":
            boxes.extend(_boxes(element, x0, y0, kind))
            return
        for child in element:
            walk(child, x0, y0, kind)

    walk(root, 0.0, 0.0, "")
    return float(root.get("width")), float(root.get("height")), boxes


def _boxes(element, x0: float, y0: float, kind: str) -> list[Box]:
    match = SIZE.search(element.get("style") or "")
    if match is None:
        return []
    size = float(match.group(1))
    bold = "font-weight: bold" in (element.get("style") or "")
    anchor = ANCHOR.get(element.get("text-anchor") or "start", 0.0)
    x, y = float(element.get("x") or 0), float(element.get("y") or 0)
    lines = [span for span in element if span.tag == f"{SVG}tspan" and "line" in (span.get("class") or "")]
    out = []
    if not lines:
        text = "".join(element.itertext()).strip()
        return [_box(text, kind, x0 + x, y0 + y, size, bold, anchor)] if text else []
    line_y = y
    for span in lines:
        text = "".join(span.itertext()).strip()
        if span.get("y"):
            line_y = float(span.get("y"))
        elif span.get("dy"):
            line_y += float(span.get("dy").removesuffix("em")) * size
        line_x = float(span.get("x") or x)
        if text:
            out.append(_box(text, kind, x0 + line_x, y0 + line_y, size, bold or "<b>" in text, anchor))
    return out


def _box(text: str, kind: str, x: float, baseline: float, size: float, bold: bool, anchor: float) -> Box:
    width = fonts.width(text, size, bold=bold)
    left = x - anchor * width
    return Box(text, kind, left, baseline - 0.76 * size, left + width, baseline + 0.24 * size)


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
