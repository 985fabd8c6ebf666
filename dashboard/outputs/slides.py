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
    """One slide: the chart as it may leave the app (small numbers suppressed) and its figure for the screen."""

    chart: Chart
    figure: ShownFigure


def small_print(chart: Chart) -> tuple[str, ...]:
    """A slide's small print under it (source, data as at, notes), one unbroken line each: the page wraps them."""
    return tuple(layout.footer_lines(chart, 10_000))


def slide(inputs: Inputs, key: str) -> Slide | None:
    """Catalogue chart ``key`` as a slide, small numbers suppressed; None when its data is not loaded."""
    built = catalogue.build(key, inputs)
    if built is None:
        return None
    chart = images.protect(built, inputs.settings)
    figure = layout.lay_out(chart, SCREEN, None, SHOWN_PARTS)
    figure.update_layout(width=None, autosize=True)  # the screen's width, whatever it is
    return Slide(chart, ShownFigure(figure))


# ---- the Panel's slides: the scorecard first, then the key messages, the charts, the overdue recommendations ----

SCORECARD, HEADLINE, OVERDUE = "at-a-glance", "key-messages", "overdue-recommendations"
PANEL_SLIDES = {
    SCORECARD: "At a glance",
    HEADLINE: "Key messages",
    OVERDUE: "Overdue recommendations",
}


def deck(chart_keys: list[str]) -> list[str]:
    """Every slide in order: the scorecard, the key messages, each chart, and the overdue recommendations last."""
    return [SCORECARD, HEADLINE, *chart_keys, OVERDUE]


def _cells(cells: list[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{cell}</{tag}>" for cell in cells) + "</tr>"


def scorecard_html(card, size: int = 36) -> str:
    """The scorecard as an HTML table for the screen: each measure, its icon with the icon's words, and its reading."""
    from html import escape

    from dashboard.outputs import icons

    head = _cells(["Measure", "Latest", "Change on the year before", "Icon", "Reading"], "th")
    rows = []
    for row in card.rows:
        picture = icons.img_html("variation", row.variation, size) if row.variation else "A count only"
        if row.assurance:
            picture += "<br>" + icons.img_html("assurance", row.assurance, size)
        rows.append(
            _cells(
                [
                    f"<strong>{escape(row.measure)}</strong><br><small>{escape(row.period)}</small>",
                    f"<strong>{escape(row.latest)}</strong>",
                    escape(row.change),
                    picture,
                    escape(row.reading),
                ]
            )
        )
    return f'<table class="pcc-slide-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def overdue_html(card) -> str:
    """The overdue recommendations as an HTML table, the longest overdue first."""
    from html import escape

    head = _cells(["Report", "Ref", "Recommendation", "Due", "Overdue by", "Status"], "th")
    rows = [
        _cells(
            [
                escape(item.report),
                escape(item.reference),
                escape(item.text),
                f"{item.due:%-d %b %Y}",
                f"{item.days_overdue:,} days",
                escape(item.status),
            ]
        )
        for item in card.overdue
    ]
    return f'<table class="pcc-slide-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
