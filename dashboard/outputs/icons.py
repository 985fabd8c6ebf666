"""The NHS "Making Data Count" variation and assurance icons, drawn here: one shape, as SVG or on a PDF canvas.

Each icon is a list of simple shapes on a 100 x 100 grid (:func:`shapes`), so the app's cards and
slides (SVG) and the meeting pack (reportlab's canvas) draw exactly the same picture. The picture
never stands alone: its label (:data:`dashboard.words.readings.VARIATION_LABELS` and
``ASSURANCE_LABELS``) goes beside it and in its SVG ``<title>``. Pure: no Streamlit, no reportlab.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from xml.sax.saxutils import escape

from dashboard.words.readings import ASSURANCE_LABELS, VARIATION_LABELS

# Darker than the NHS originals so each ring has at least 4.5:1 against white (WCAG non-text contrast is 3:1).
GREY, BLUE, ORANGE, PURPLE, WHITE = "#5F666A", "#1D70B8", "#B15400", "#4C2C92", "#FFFFFF"
VARIATION_COLOURS = {"common": GREY, "improvement": BLUE, "concern": ORANGE, "neutral": PURPLE}
ASSURANCE_COLOURS = {"consistent_pass": BLUE, "consistent_fail": ORANGE, "hit_and_miss": GREY, "none": GREY}
ASSURANCE_LETTERS = {"consistent_pass": "P", "consistent_fail": "F", "hit_and_miss": "?", "none": "\u2013"}


@dataclass(frozen=True)
class Shape:
    """One mark on the 100 x 100 grid (y downwards): a circle, a polyline, a filled polygon or a letter."""

    kind: str  # "circle", "line", "polygon", "text"
    colour: str
    points: tuple[tuple[float, float], ...] = ()  # line and polygon points; a circle's or a letter's centre
    size: float = 0  # circle radius, letter height, line width
    fill: str | None = None  # a circle's fill
    text: str = ""
    dashed: bool = False


def _ring(colour: str) -> Shape:
    return Shape("circle", colour, ((50, 50),), 43, WHITE)


def _arrow(colour: str, up: bool) -> list[Shape]:
    top, bottom = (28, 72) if up else (72, 28)
    head = top + (10 if up else -10)
    return [
        Shape("line", colour, ((70, bottom), (70, head)), 6),
        Shape("polygon", colour, ((60, head), (80, head), (70, top))),
    ]


def shapes(family: str, kind: str) -> list[Shape]:
    """The icon ``kind`` of ``family`` ("variation": ``spc.variation_icon``; "assurance": ``spc.assurance``)."""
    if family == "assurance":
        colour = ASSURANCE_COLOURS[kind]
        return [
            _ring(colour),
            Shape("text", colour, ((50, 45),), 40, text=ASSURANCE_LETTERS[kind]),
            Shape("line", colour, ((24, 76), (76, 76)), 4, dashed=True),
        ]
    if kind == "common_cause":
        points = ((22, 56), (36, 44), (50, 56), (64, 44), (78, 56))
        return [
            _ring(GREY),
            Shape("line", GREY, points, 4),
            *[Shape("circle", GREY, (p,), 5.5, GREY) for p in points],
        ]
    nature, side = kind.rsplit("_", 1)
    colour = VARIATION_COLOURS[nature]
    return [
        _ring(colour),
        Shape("text", colour, ((38, 50),), 40, text="H" if side == "high" else "L"),
        *_arrow(colour, side == "high"),
    ]


def label(family: str, kind: str) -> str:
    """The words written beside the icon."""
    return (ASSURANCE_LABELS if family == "assurance" else VARIATION_LABELS)[kind]


def svg(family: str, kind: str, size: int = 40) -> str:
    """The icon as standalone SVG markup, ``size`` pixels square, named by its label (``role="img"``, ``<title>``)."""
    parts = []
    for shape in shapes(family, kind):
        if shape.kind == "circle":
            (x, y), fill = shape.points[0], shape.fill or "none"
            stroke = f' stroke="{shape.colour}" stroke-width="7"' if fill == WHITE else ""
            parts.append(f'<circle cx="{x}" cy="{y}" r="{shape.size}" fill="{fill}"{stroke}/>')
        elif shape.kind == "line":
            dash = ' stroke-dasharray="8 6"' if shape.dashed else ""
            points = " ".join(f"{x},{y}" for x, y in shape.points)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{shape.colour}" stroke-width="{shape.size}"'
                f' stroke-linejoin="round"{dash}/>'
            )
        elif shape.kind == "polygon":
            points = " ".join(f"{x},{y}" for x, y in shape.points)
            parts.append(f'<polygon points="{points}" fill="{shape.colour}"/>')
        else:
            (x, y) = shape.points[0]
            parts.append(
                f'<text x="{x}" y="{y + shape.size * 0.36:.1f}" font-family="Arial, Helvetica, sans-serif" '
                f'font-weight="bold" font-size="{shape.size}" text-anchor="middle" fill="{shape.colour}">'
                f"{escape(shape.text)}</text>"
            )
    name = escape(label(family, kind))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="{size}" height="{size}" role="img" '
        f'aria-label="{name}"><title>{name}</title>{"".join(parts)}</svg>'
    )


def data_uri(family: str, kind: str, size: int = 40) -> str:
    """The icon's SVG as a ``data:`` address, for an ``<img>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(family, kind, size).encode()).decode()


def img_html(family: str, kind: str, size: int = 40) -> str:
    """An ``<img>`` of the icon followed by its label as visible text (the picture itself is decorative then)."""
    return (
        f'<span class="pcc-icon"><img src="{data_uri(family, kind, size)}" alt="" width="{size}" height="{size}" '
        f'style="vertical-align:middle"> <span>{escape(label(family, kind))}</span></span>'
    )


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def draw(canvas, family: str, kind: str, x: float, y: float, size: float) -> None:
    """Draw the icon on a reportlab canvas with its lower-left corner at (x, y), ``size`` points square."""
    scale = size / 100

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return x + point[0] * scale, y + (100 - point[1]) * scale

    canvas.saveState()
    for shape in shapes(family, kind):
        canvas.setStrokeColorRGB(*_rgb(shape.colour))
        canvas.setFillColorRGB(*_rgb(shape.colour))
        if shape.kind == "circle":
            cx, cy = at(shape.points[0])
            if shape.fill == WHITE:
                canvas.setFillColorRGB(1, 1, 1)
                canvas.setLineWidth(7 * scale)
            canvas.circle(cx, cy, shape.size * scale, stroke=int(shape.fill == WHITE), fill=1)
        elif shape.kind == "line":
            canvas.setLineWidth(shape.size * scale)
            canvas.setLineJoin(1)
            canvas.setDash(8 * scale, 6 * scale) if shape.dashed else canvas.setDash()
            path = canvas.beginPath()
            path.moveTo(*at(shape.points[0]))
            for point in shape.points[1:]:
                path.lineTo(*at(point))
            canvas.drawPath(path, stroke=1, fill=0)
        elif shape.kind == "polygon":
            path = canvas.beginPath()
            path.moveTo(*at(shape.points[0]))
            for point in shape.points[1:]:
                path.lineTo(*at(point))
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)
        else:
            cx, cy = at(shape.points[0])
            canvas.setFont("Helvetica-Bold", shape.size * scale)
            canvas.drawCentredString(cx, cy - shape.size * scale * 0.36, shape.text)
    canvas.restoreState()
