"""Presentation-mode slides: a catalogue chart protected and laid out for a meeting-room screen.

Pure: no Streamlit. ``dashboard/app_pages/presentation.py`` keeps each slide through
``queries.derived``, so moving between slides draws a kept figure instead of laying one out again.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.charts import catalogue
from dashboard.charts.base import ShownFigure
from dashboard.charts.catalogue import Chart, Inputs
from dashboard.outputs import images, layout

SCREEN = images.Size("screen", "Presentation screen", 1600, 480, type_scale=1.3)
SHOWN_PARTS = layout.Parts(title=False, footer=False, band=False)  # the page sets these out as text


@dataclass(frozen=True)
class Slide:
    """One slide: the chart as it may leave the app, its figure for the screen, alt text and small print."""

    chart: Chart
    figure: ShownFigure
    alt: str
    footer: tuple[str, ...]


def slide(inputs: Inputs, key: str) -> Slide | None:
    """Catalogue chart ``key`` as a slide, small numbers suppressed; None when its data is not loaded."""
    built = catalogue.build(key, inputs)
    if built is None:
        return None
    chart = images.protect(built, inputs.settings)
    figure = layout.lay_out(chart, SCREEN, None, SHOWN_PARTS)
    figure.update_layout(width=None, autosize=True)  # the screen's width, whatever it is
    return Slide(chart, ShownFigure(figure), images.alt_text(chart), tuple(layout.footer_lines(chart, 10_000)))
