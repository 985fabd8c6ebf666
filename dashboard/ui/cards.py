"""Headline-figure cards as one block of HTML: value, change, sparkline and the lines that explain them.

Pure: no Streamlit. ``dashboard.ui.components.headline_cards`` puts the block on a page with one
``st.html`` call. A grid of cards as one element costs a fraction of a bordered container, a metric,
an image and a text block per card (a page of seven cards was a quarter of the Overview's run), and
the grid keeps every row of cards the same height at any window width.

Colour is never the only cue: every change has an arrow and a sign, and where a direction is good
or bad a word beside it says so, on screen and to a screen reader. Everything taken from data or settings is escaped.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from typing import Protocol

from dashboard.figures.overview import ICON_TOKEN, Card

# The change's text on its tint (WCAG 2.2 AA needs 4.5:1 for text this size): neutral 9.9:1,
# better 5.6:1, worse 6.4:1 (tests/test_cards.py checks them).
DELTA_COLOURS = {
    "neutral": ("#3D3D3D", "#F2F4F7"),
    "better": ("#0B6E35", "#E6F4EA"),
    "worse": ("#A4262C", "#FDECEC"),
}
STYLE = """<style>
.pcc-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15.5rem, 1fr)); gap: 1rem;
  list-style: none; margin: 0 0 1rem 0 !important; padding: 0 !important; }
.pcc-cards > li.pcc-card { border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 1rem;
  margin: 0; color: #0B0C0C; }
.pcc-card h3.pcc-card-title { font-size: 0.875rem; font-weight: 400; line-height: 1.4; margin: 0 0 0.25rem 0;
  padding: 0; scroll-margin-top: 0; }
.pcc-card p { margin: 0 0 0.5rem 0; font-size: 1rem; line-height: 1.5; }
.pcc-card p.pcc-card-value { font-size: 2.25rem; line-height: 1.2; margin: 0; }
.pcc-card p.pcc-card-delta { display: inline-block; font-size: 0.875rem; border-radius: 0.75rem;
  padding: 0.05rem 0.5rem; margin: 0.25rem 0 0.5rem 0; background: #F2F4F7; color: #3D3D3D; }
.pcc-card p.pcc-card-delta.pcc-better { background: #E6F4EA; color: #0B6E35; }
.pcc-card p.pcc-card-delta.pcc-worse { background: #FDECEC; color: #A4262C; }
.pcc-card img.pcc-sparkline { display: block; width: 100%; height: 44px; margin: 0.25rem 0 0.5rem 0; }
.pcc-card p.pcc-card-small { font-size: 0.875rem; }
.pcc-card img.pcc-mdc-icon { vertical-align: middle; margin-right: 0.35rem; }
.pcc-card p.pcc-card-delta .pcc-judgement { font-weight: 600; }
</style>"""

# The symbols card lines may carry (as Streamlit Markdown icons), drawn as text and hidden from
# screen readers: the words beside each say the same.
SYMBOLS = {
    "arrow_upward": "↑",
    "arrow_downward": "↓",
    "horizontal_rule": "–",
    "check_circle": "✓",
    "cancel": "✗",
    "help": "?",
}


class CardLike(Protocol):
    """What a card shows (``dashboard.figures.overview.Card``)."""

    title: str
    value: str
    period: str
    delta: str | None
    change: float | None
    neutral: bool
    rising_is_better: bool
    lines: tuple[str, ...]
    sparkline: tuple[float, ...]
    sparkline_words: str


def sparkline_svg(values: Sequence[float], *, width: int = 240, height: int = 44, colour: str = "#12436D") -> str:
    """A small trend line as SVG markup, the last point marked.

    Drawn as an image rather than a chart: a card needs no axes or tooltips, and a page of cards
    then loads no charting library of its own (Streamlit's metric sparklines load Vega-Lite).
    """
    pad = 4
    low, high = min(values), max(values)
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = [
        (pad + i * step, height - pad - (v - low) / ((high - low) or 1) * (height - 2 * pad))
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    last_x, last_y = points[-1]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
        f'<polyline fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round" points="{path}"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="3.5" fill="{colour}"/></svg>'
    )


def inline_html(line: str) -> str:
    """A card line (plain text with ``**bold**`` and ``:material/name:`` symbols) as escaped HTML."""
    text = html.escape(line, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = mdc_icons(text)
    return re.sub(
        r":material/([a-z_]+):",
        lambda match: f'<span aria-hidden="true">{SYMBOLS.get(match.group(1), "")}</span>',
        text,
    )


def mdc_icons(text: str) -> str:
    """``:mdc/<family>/<kind>:`` tokens (``dashboard.figures.overview.icon_token``) as the Making Data Count icon.

    The picture is decorative (empty alt): the label written after it on the line says what it means.
    """
    from dashboard.outputs import icons

    def picture(match: re.Match) -> str:
        family, kind = match.groups()
        return f'<img class="pcc-mdc-icon" src="{icons.data_uri(family, kind, 28)}" alt="" width="28" height="28">'

    return ICON_TOKEN.sub(picture, text)


def delta_html(card: CardLike) -> str:
    """The change on the year before: an arrow and the signed words, and where a direction is good a tint and the
    word "better" or "worse" written beside them (the tint alone would leave it to colour)."""
    if not card.delta:
        return ""
    arrow, judged, spoken = "", "", ""
    if card.change:
        rising = card.change > 0
        arrow = f'<span aria-hidden="true">{"↑" if rising else "↓"}</span> '
        if not card.neutral:  # a direction is good here (a higher charge rate): say so in words, and tint it
            better = rising == card.rising_is_better
            judged = " pcc-better" if better else " pcc-worse"
            spoken = f'<span class="pcc-judgement"> ({"better" if better else "worse"})</span>'
    return f'<p class="pcc-card-delta{judged}">{arrow}{html.escape(card.delta)}{spoken}</p>'


def card_html(card: CardLike) -> str:
    """One card as a list item: title (a level-3 heading), value, change, sparkline, period and lines."""
    parts = [
        f'<h3 class="pcc-card-title">{html.escape(card.title)}</h3>',
        f'<p class="pcc-card-value">{html.escape(card.value)}</p>',
        delta_html(card),
    ]
    words = [card.period] if card.period else []
    if card.sparkline:
        data = base64.b64encode(sparkline_svg(card.sparkline).encode()).decode()
        alt = html.escape(f"Sparkline: {card.sparkline_words}")
        parts.append(f'<img class="pcc-sparkline" src="data:image/svg+xml;base64,{data}" alt="{alt}">')
        words.append(f"Line: {card.sparkline_words[:1].lower()}{card.sparkline_words[1:]}")
    if words:
        parts.append(f'<p class="pcc-card-small">{html.escape(". ".join(words))}.</p>')
    parts += [f"<p>{inline_html(line)}</p>" for line in card.lines]
    return '<li class="pcc-card">' + "".join(part for part in parts if part) + "</li>"


def key_figure_card(figure) -> Card:
    """A ``dashboard.charts.outcomes.KeyFigure`` as a card, its definition shown under the value, not in a tooltip.

    Its ``delta_color`` follows ``st.metric``: "normal" a rise is better, "inverse" a rise is worse,
    "off" neither; the arrow follows the sign the change is written with.
    """
    delta = None if figure.delta in (None, "", 0) else str(figure.delta)
    change = None
    if delta:
        change = -1.0 if delta.startswith(("-", "−")) else 1.0 if delta.startswith("+") else None
    return Card(
        title=figure.label,
        value=figure.value,
        period=figure.help.rstrip("."),
        delta=delta,
        change=change,
        neutral=figure.delta_color == "off",
        rising_is_better=figure.delta_color != "inverse",
    )


def grid_html(cards: Sequence[CardLike], label: str) -> str:
    """Every card as one list, named ``label`` for screen readers, laid out as a grid that wraps."""
    return f'<ul class="pcc-cards" aria-label="{html.escape(label)}">' + "".join(map(card_html, cards)) + "</ul>"
