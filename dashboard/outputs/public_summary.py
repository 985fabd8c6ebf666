"""The Overview's headline figures as they may leave the app: the feed, the key figures file, the meeting pack.

The orders card and key message come from the local return: where its measures are protected
(settings ``[suppression] protected``), a year's small figures, and the ones that would give them
away, leave as ``[c]`` (see :mod:`dashboard.outputs.release`). Home Office figures leave as the page
shows them. Pure: no Streamlit.
"""

from __future__ import annotations

import dataclasses

from dashboard.outputs import suppression

ORDER_PARTS = {"full": "spo_full_granted", "interim": "spo_interim_granted"}


def _orders_withheld(inputs) -> dict[str, str] | None:
    """The orders card's figures as they may leave the app (``[c]`` where withheld); None when nothing is withheld."""
    from dashboard.figures import measures

    rules = inputs.settings.suppression
    reading = measures.orders_granted(inputs)
    parts = {name for name, key in ORDER_PARTS.items() if key in rules.protected}
    if reading is None or not parts:
        return None
    comparison = reading.comparison
    values = {"full": reading.full, "interim": reading.interim, "total": comparison.current}
    values["previous"] = comparison.previous
    whole = parts | ({"total", "previous"} if len(parts) == len(ORDER_PARTS) else set())
    primary, secondary = suppression.protect_cells(
        {k: v for k, v in values.items() if v is not None},
        [suppression.Line(("full", "interim"), "total")],
        threshold=rules.threshold,
        suppressible=lambda cell: cell in whole,
    )
    small_quarters = any(suppression.is_small(v, rules.threshold) for v in reading.series["count"])
    if not (primary or secondary or small_quarters):
        return None
    hidden = primary | secondary
    shown = {k: suppression.SUPPRESSED if k in hidden else f"{v:,}" for k, v in values.items() if v is not None}
    shown["period"] = comparison.end
    shown["withheld"] = bool(hidden)
    return shown


def summary(inputs):
    """The Overview's cards and key messages as they may leave the app (the feed, key figures, the meeting pack).

    The orders card comes from the local return: where its measures are protected, small figures and
    the ones that would give them away are ``[c]``, its quarterly sparkline is left out, and its key
    message says the same. Home Office figures are as the page shows them.
    """
    from dashboard.figures import measures, overview
    from data_loaders import periods

    found = overview.summary(inputs)
    withheld = _orders_withheld(inputs) if found is not None else None
    if found is None or withheld is None:
        return found
    if not withheld["withheld"]:  # only some quarter is small: the year's figures may leave, the quarters may not
        cards = tuple(
            dataclasses.replace(card, sparkline=(), sparkline_words="") if card.title == overview.ORDERS_TITLE else card
            for card in found.cards
        )
        return dataclasses.replace(found, cards=cards)
    reading = measures.orders_granted(inputs)
    original = overview.orders_sentence(reading.comparison, reading.full, reading.interim)
    hidden_change = suppression.SUPPRESSED in (withheld["total"], withheld.get("previous"))
    sentence = (
        f"Stalking Protection Orders granted in the {periods.year_ending_label(withheld['period'])}: "
        f"{withheld['total']} ({withheld['full']} full, {withheld['interim']} interim)"
    )
    if "previous" in withheld:
        sentence += f", against {withheld['previous']} the year before"
    sentence += f". Small numbers are withheld ({suppression.SUPPRESSED})."
    cards = []
    for card in found.cards:
        if card.title == overview.ORDERS_TITLE:
            card = dataclasses.replace(
                card,
                value=withheld["total"],
                delta=None if hidden_change else card.delta,
                change=None if hidden_change else card.change,
                lines=(f"{withheld['full']} full and {withheld['interim']} interim orders", *card.lines[1:]),
                sparkline=(),
                sparkline_words="",
            )
        cards.append(card)
    messages = tuple(sentence if message == original else message for message in found.messages)
    return dataclasses.replace(found, cards=tuple(cards), messages=messages)
