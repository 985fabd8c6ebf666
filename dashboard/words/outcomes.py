"""Sentences about outcomes, prosecutions and orders, written from their figures."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.figures import metrics
from dashboard.words.messages import compared_share, share_sentence
from data_loaders import periods


def in_period_words(period: str) -> str:
    """'in 2024/25 Q1', 'in the year ending Jun 2025'."""
    return f"in the {period}" if period.startswith("year ending") else f"in {period}"


def percent_words(value: float | None) -> str:
    return "no figure" if value is None or pd.isna(value) else f"{value:.1f}%"


def small_base_note(periods: Sequence[str], what: str, minimum: int) -> list[str]:
    if not periods:
        return []
    listed = ", ".join(periods[:6]) + (f" and {len(periods) - 6} more" if len(periods) > 6 else "")
    return [f"No {what} is shown where fewer than {minimum} outcomes make the base ({listed})."]


def outcome_share_sentence(what: str, share, previous, period: str, outcome_count: str) -> str:
    """As :func:`messages.share_sentence`, worded for the count in use."""
    if outcome_count == "recorded":
        return share_sentence(what, share, previous, period)
    return compared_share("so far", share, previous, what=what, period=period)


def compare_sentence(noun: str, force: str, own: float | None, country: float | None, period: str) -> str:
    """'The charge rate for Devon and Cornwall was 3.3% in 2026/27 Q1, below England and Wales (3.5%).'"""
    if own is None or pd.isna(own):
        return f"No {noun} can be given for {force} {in_period_words(period)}: too few outcomes."
    if country is None or pd.isna(country):
        return f"The {noun} for {force} was {own:.1f}% {in_period_words(period)}."
    if round(own, 1) == round(country, 1):
        relation = "the same as"
    else:
        relation = "above" if own > country else "below"
    return f"The {noun} for {force} was {own:.1f}% {in_period_words(period)}, {relation} England and Wales ({country:.1f}%)."


def change_sentence(subject: str, comparison: metrics.YearEndingComparison | None) -> str:
    """'Prosecutions completed in Devon and Cornwall rose 9% to 1,020 in the year ending June 2026 (from 936).'"""
    if comparison is None or comparison.current is None:
        return f"There is not yet a full year of figures on {subject[:1].lower()}{subject[1:]}."
    period = periods.year_ending_label(comparison.end)
    current = f"{comparison.current:,}"
    if comparison.previous is None:
        return f"{subject} numbered {current} in the {period}; there is no earlier full year to compare with."
    change = comparison.change or 0
    if change == 0:
        return f"{subject} were unchanged at {current} in the {period}."
    direction = "rose" if change > 0 else "fell"
    percent = comparison.percent_change
    if percent is None:
        return f"{subject} {direction} to {current} in the {period}, from none the year before."
    by = f"by {abs(change):,}" if abs(percent) < 0.5 else f"{abs(percent):.0f}%"
    return f"{subject} {direction} {by} to {current} in the {period} (from {comparison.previous:,})."


def conviction_sentence(area: str, rate: float | None, before: float | None, period: str) -> str:
    return compared_share("conviction", rate, before, area=area, period=period)
