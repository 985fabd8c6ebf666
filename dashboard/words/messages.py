"""Key messages: plain sentences written from the figures, correct for any data.

Used on the Overview, in press packs and in the Panel's meeting pack, so the same figures always
read the same way. Pure Python: no Streamlit.
"""

from __future__ import annotations

import math

from dashboard.figures.metrics import YearEndingComparison
from data_loaders.periods import year_ending_label


def _lower_first(subject: str) -> str:
    return subject[:1].lower() + subject[1:] if subject[:2] != subject[:2].upper() else subject


def change_sentence(subject: str, comparison: YearEndingComparison | None) -> str:
    """'Recorded stalking rose 9% to 1,624 in the year ending March 2025 (from 1,490).'

    ``subject`` is the lower-case name of what is counted ("stalking"). Rises, falls, no change,
    a previous year of zero and too little data each get a sentence that is true.
    """
    name = f"Recorded {_lower_first(subject)}"
    if comparison is None or comparison.current is None:
        return f"There is not yet a full year of data on {_lower_first(subject)} to report."
    period = year_ending_label(comparison.end)
    current = f"{comparison.current:,}"
    if comparison.previous is None:
        return f"{name} was {current} in the {period}; there is no earlier full year to compare it with."
    previous = f"{comparison.previous:,}"
    change = comparison.change or 0
    if change == 0:
        return f"{name} was unchanged at {current} in the {period}."
    direction = "rose" if change > 0 else "fell"
    percent = comparison.percent_change
    if percent is None:  # the previous year was zero
        return f"{name} {direction} to {current} in the {period}, from none the year before."
    if abs(percent) < 0.5:
        by = f"by {abs(change):,}"
    else:
        by = f"{abs(percent):.0f}%"
    return f"{name} {direction} {by} to {current} in the {period} (from {previous})."


def rate_sentence(area: str, rate: float | None, comparison_name: str, comparison_rate: float | None) -> str:
    """'At 8.6 per 1,000 people, Devon and Cornwall's rate is below England and Wales's (10.0).'"""
    if rate is None:
        return f"No rate per 1,000 people can be given for {area}: its population is not loaded."
    if comparison_rate is None:
        return f"{area} recorded {rate:.1f} offences per 1,000 people."
    if round(rate, 1) == round(comparison_rate, 1):
        relation = "the same as"
    elif rate > comparison_rate:
        relation = "above"
    else:
        relation = "below"
    return (
        f"{area} recorded {rate:.1f} offences per 1,000 people, {relation} the {comparison_name} rate of "
        f"{comparison_rate:.1f}."
    )


def share_text(share: float | None) -> str:
    """A share as every card, table and sentence writes it: '3.4%', to one decimal place; 'no figure' without one."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "no figure"
    return f"{100 * share:.1f}%"


def points_change(now: float | None, before: float | None) -> str | int | None:
    """The change in percentage points, signed, to one decimal place; the number 0 when it rounds to none.

    Worked out from the shares as they are shown (one decimal place each), so the change always
    equals the difference a reader sees: 8.8% to 5.0% is -3.8 points, never -3.7.
    """
    if now is None or before is None:
        return None
    change = round(float(share_text(now)[:-1]) - float(share_text(before)[:-1]), 1)
    if change == 0:
        return 0
    unit = "percentage point" if abs(change) == 1 else "percentage points"
    return f"{change:+.1f} {unit}"


def share_change(share: float, previous: float | None) -> str:
    """How a share ends its sentence against the year before: '.', ', the same as ...' or ', up from 9.2% ...'.

    Compared as the sentence shows them (one decimal place), so "the same" never sits beside two
    different figures.
    """
    if previous is None:
        return "."
    if share_text(share) == share_text(previous):
        return ", the same as the year before."
    return f", {'up' if share > previous else 'down'} from {share_text(previous)} the year before."


# Each sentence about a share: with the share ({share}, then its change on the year before), and without one.
SHARE_SENTENCES = {
    "assigned": (
        "{share} of outcomes assigned in the {period} were {what}",
        "No outcomes have been assigned in the {period}, so no share of {what} can be given.",
    ),
    "so far": (
        "{share} of the outcomes so far of offences recorded in the {period} were {what}",
        "Too few offences recorded in the {period} have outcomes yet to give a share of {what}.",
    ),
    "charge": (
        "Charges or summonses were {share} of outcomes in the {period} ({count})",
        "No outcomes were assigned in the {period}, so no charge rate can be given.",
    ),
    "conviction": (
        "{share} of prosecutions completed in {area} in the {period} ended in a conviction",
        "No conviction rate can be given for {area} in the {period}: too few prosecutions completed.",
    ),
}


def compared_share(sentence: str, share: float | None, previous: float | None, **words: str) -> str:
    """The ``sentence`` of ``SHARE_SENTENCES`` with ``words`` and the share, ended against the year before."""
    with_share, without = SHARE_SENTENCES[sentence]
    if share is None:
        return without.format(**words)
    return with_share.format(share=share_text(share), **words) + share_change(share, previous)


def share_sentence(what: str, share: float | None, previous: float | None, period: str) -> str:
    """'7% of outcomes assigned in the year ending March 2025 were charges or summonses, down from 9%.'"""
    return compared_share("assigned", share, previous, what=what, period=period)


def overdue_sentence(overdue: int, recommendations: int) -> str:
    """How many of the recommendations loaded are overdue, as the slide and the pack both say it (no full stop)."""
    if recommendations == 0:
        return "No recommendations are loaded"
    if overdue == 0:
        return f"None of the {recommendations:,} recommendations loaded is overdue"
    verb = "is" if overdue == 1 else "are"
    return f"{overdue:,} of {recommendations:,} recommendations {verb} overdue"
