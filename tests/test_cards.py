"""Headline-figure cards as HTML: what they show, what a screen reader hears, and that data cannot inject markup."""

import base64
import re

from dashboard.figures.overview import Card
from dashboard.ui import cards


def test_a_card_shows_title_value_change_sparkline_period_and_lines_in_reading_order():
    card = Card(
        title="Stalking",
        value="2,084",
        period="Year ending October 2026 against the year before",
        delta="-1% (-23)",
        change=-23,
        lines=("**1.14** per 1,000 people", ":material/horizontal_rule: No signal beyond normal variation"),
        sparkline=(3.0, 1.0, 2.0),
        sparkline_words="Monthly values, November 2024 to October 2026",
    )
    item = cards.card_html(card)
    assert item.startswith('<li class="pcc-card"><h3 class="pcc-card-title">Stalking</h3>')
    assert '<p class="pcc-card-value">2,084</p>' in item
    # A fall in recorded crime is neither better nor worse: an arrow and a sign, no tint, no judgement.
    assert '<p class="pcc-card-delta"><span aria-hidden="true">↓</span> -1% (-23)</p>' in item
    assert 'alt="Sparkline: Monthly values, November 2024 to October 2026"' in item
    assert (
        '<p class="pcc-card-small">Year ending October 2026 against the year before. '
        "Line: monthly values, November 2024 to October 2026.</p>"
    ) in item
    assert "<p><strong>1.14</strong> per 1,000 people</p>" in item
    assert '<p><span aria-hidden="true">–</span> No signal beyond normal variation</p>' in item
    order = [item.index(part) for part in ("pcc-card-title", "pcc-card-value", "pcc-card-delta", "pcc-sparkline")]
    assert order == sorted(order)


def test_where_a_direction_is_good_the_change_is_tinted_and_said_in_words():
    better = Card(title="Charge or summons rate", value="5%", period="", delta="+1 percentage point", change=1.0)
    worse = Card(title="Charge or summons rate", value="3%", period="", delta="-1 percentage point", change=-1.0)
    assert '<p class="pcc-card-delta pcc-better">' in cards.card_html(Card(**{**better.__dict__, "neutral": False}))
    assert "(better)</span>" in cards.card_html(Card(**{**better.__dict__, "neutral": False}))
    worse_html = cards.card_html(Card(**{**worse.__dict__, "neutral": False}))
    assert '<p class="pcc-card-delta pcc-worse"><span aria-hidden="true">↓</span> -1 percentage point' in worse_html
    assert '<span class="pcc-judgement"> (worse)</span>' in worse_html  # shown, not only spoken
    assert "clip" not in cards.STYLE and "pcc-hidden" not in cards.STYLE  # nothing on a card is hidden from sight


def test_no_change_and_no_previous_year_draw_no_arrow():
    level = cards.card_html(Card(title="Stalking", value="10", period="", delta="No change (0)", change=0))
    assert '<p class="pcc-card-delta">No change (0)</p>' in level
    assert "pcc-card-delta" not in cards.card_html(Card(title="Stalking", value="10", period=""))


def test_text_from_data_is_escaped_so_it_cannot_add_markup():
    hostile = '<img src=x onerror="alert(1)">'
    card = Card(title=hostile, value=hostile, period=hostile, delta=hostile, lines=(hostile + " **x**",))
    grid = cards.grid_html([card], label='Figures "for" <b>')
    assert "<img" not in grid  # every one of the five is text, not a tag
    assert grid.count("&lt;img src=x onerror=") == 5
    assert grid.startswith('<ul class="pcc-cards" aria-label="Figures &quot;for&quot; &lt;b&gt;">')


def test_the_sparkline_is_an_svg_line_ending_in_a_marked_point():
    svg = cards.sparkline_svg([0, 10, 5], width=100, height=20)
    assert re.search(r'points="4.0,16.0 50.0,4.0 96.0,10.0"', svg)
    assert '<circle cx="96.0" cy="10.0"' in svg
    item = cards.card_html(Card(title="t", value="1", period="", sparkline=(0, 10, 5), sparkline_words="w"))
    encoded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', item).group(1)
    assert base64.b64decode(encoded).decode().startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_a_flat_line_sits_at_the_bottom_instead_of_dividing_by_zero():
    assert 'points="4.0,16.0 96.0,16.0"' in cards.sparkline_svg([7, 7], width=100, height=20)


def test_a_key_figure_becomes_a_card_with_its_definition_shown_and_its_direction_judged():
    from dashboard.figures.key_figures import KeyFigure

    breaches = KeyFigure("Breaches", "34", "+36%", "inverse", "Devon and Cornwall, year ending September 2026.", "")
    card = cards.key_figure_card(breaches)
    assert (card.title, card.value, card.delta, card.change) == ("Breaches", "34", "+36%", 1.0)
    assert card.period == "Devon and Cornwall, year ending September 2026"
    item = cards.card_html(card)
    assert '<p class="pcc-card-delta pcc-worse"><span aria-hidden="true">↑</span> +36%' in item  # a rise is worse
    assert '<p class="pcc-card-small">Devon and Cornwall, year ending September 2026.</p>' in item
    falling_rate = KeyFigure("Charge rate", "3.4%", "-0.6 percentage points", "normal", "", "")
    assert "pcc-worse" in cards.card_html(cards.key_figure_card(falling_rate))
    undirected = cards.key_figure_card(KeyFigure("Outcomes assigned", "14,433", "+1%", "off", "", ""))
    assert undirected.neutral and '<p class="pcc-card-delta"><span aria-hidden="true">↑</span> +1%</p>' in (
        cards.card_html(undirected)
    )
    assert cards.key_figure_card(KeyFigure("Awaiting", "2,374", 0, "off", "", "")).delta is None


def test_the_assurance_symbols_are_drawn_and_hidden_from_screen_readers_which_hear_the_words():
    assert cards.inline_html(":material/check_circle: Consistently meets the target of 5%") == (
        '<span aria-hidden="true">✓</span> Consistently meets the target of 5%'
    )
    assert cards.inline_html(":material/cancel: x").startswith('<span aria-hidden="true">✗</span>')
    assert cards.inline_html(":material/help: x").startswith('<span aria-hidden="true">?</span>')


def test_every_change_colour_passes_aa_contrast_on_its_tint_and_is_the_one_styled():
    from data_loaders.settings import contrast_ratio

    for name, (text, tint) in cards.DELTA_COLOURS.items():
        assert contrast_ratio(text, tint) >= 4.5, name
        assert f"background: {tint}; color: {text};" in cards.STYLE, name


def test_a_making_data_count_icon_is_drawn_beside_its_words():
    from dashboard.outputs import icons

    line = cards.inline_html(":mdc/variation/concern_high: Concern: high (quarterly, since Jul 2023)")
    picture = f'<img class="pcc-mdc-icon" src="{icons.data_uri("variation", "concern_high", 28)}" alt="" width="28" height="28">'
    assert line == picture + " Concern: high (quarterly, since Jul 2023)"
    assert cards.inline_html(":mdc/assurance/hit_and_miss: Sometimes meets the target (5%)").endswith(
        "> Sometimes meets the target (5%)"
    )
