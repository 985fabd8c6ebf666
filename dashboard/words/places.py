"""Sentences about places below the force, written from :class:`dashboard.figures.places.PlacesTable`.

Pure Python: no Streamlit. The Places page, its chart's reading and alt text, and its CSV notes use them.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard.figures.metrics import format_count, format_percent_change
from dashboard.figures.places import PlacesTable
from dashboard.figures.rates import NATIONAL, mid_year
from data_loaders.periods import year_ending_label


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)


def rate_words(rate: object) -> str:
    """'7.15 per 1,000 people', or 'no rate'."""
    return "no rate" if _missing(rate) else f"{float(rate):,.2f} per 1,000 people"


def comparison(rate: object, other: float | None, name: str) -> str:
    """'above Devon and Cornwall (8.34)': where a rate stands against another area's."""
    if _missing(rate) or other is None:
        return f"no comparison with {name}"
    difference = float(rate) - other
    if abs(difference) < 0.005:
        return f"the same as {name} ({other:,.2f})"
    return f"{'above' if difference > 0 else 'below'} {name} ({other:,.2f})"


def place_sentence(table: PlacesTable, row: pd.Series | dict) -> str:
    """One partnership's year in a sentence: count, change, rate and where it stands."""
    period = year_ending_label(table.end)
    if _missing(row["count"]):
        return f"{row['csp']}: no full year of figures to the {period}."
    text = f"{row['csp']} recorded {format_count(row['count'])} offences in the {period}"
    if _missing(row["previous"]):
        text += " (no year before to compare with)"
    else:
        text += f", {format_percent_change(row['percent_change'])} on the year before ({format_count(row['previous'])})"
    if row["unassigned"]:
        return text + ": crimes no partnership could be given, so there is no population and no rate."
    if _missing(row["rate"]):
        return text + ": no population for it is loaded, so there is no rate."
    return (
        f"{text}: {rate_words(row['rate'])} ({mid_year(row['population_year'])} population), "
        f"{comparison(row['rate'], table.force_rate, table.force)} and {comparison(row['rate'], table.national_rate, NATIONAL)}."
    )


def rate_range(period: str, rated: pd.DataFrame, withheld: int = 0) -> str:
    """The lowest and highest rate of ``rated`` (highest first) in words, and how many partnerships' are withheld."""
    high, low = rated.iloc[0], rated.iloc[-1]
    held = f" ({withheld} partnership{'s' if withheld > 1 else ''} withheld)" if withheld else ""
    return (
        f"In the {period} the rate ranged from {rate_words(low['rate'])} in {low['csp']} to "
        f"{rate_words(high['rate'])} in {high['csp']}{held}."
    )


def no_rate(table: PlacesTable) -> str:
    """Why no partnership has a rate in the table's year: the district estimates it needs are not loaded."""
    wanted = f"{mid_year(table.population_wanted)} or earlier" if table.population_wanted else "that year"
    return (
        f"In the {year_ending_label(table.end)} no partnership has a rate: no ONS mid-year estimates by local "
        f"authority for {wanted} are loaded."
    )


def summary(table: PlacesTable) -> list[str]:
    """The key messages: the range of rates, the force and England and Wales, the largest change."""
    period = year_ending_label(table.end)
    rated = table.rated()
    messages = []
    messages.append(rate_range(period, rated) if len(rated) else no_rate(table))
    force = rate_words(table.force_rate) if table.force_rate is not None else "no rate"
    national = rate_words(table.national_rate) if table.national_rate is not None else "no rate"
    messages.append(f"{table.force} as a whole: {force}; {NATIONAL}: {national}.")
    changes = table.frame.dropna(subset=["percent_change"])
    changes = changes[~changes["unassigned"]]
    if len(changes):
        biggest = changes.loc[changes["percent_change"].abs().idxmax()]
        messages.append(
            f"The largest change on the year before was in {biggest['csp']}: "
            f"{format_percent_change(biggest['percent_change'])} ({format_count(biggest['previous'])} to "
            f"{format_count(biggest['count'])}). A change in one partnership can be noise: see its SPC reading."
        )
    return messages


def notes(table: PlacesTable) -> list[str]:
    """What every view of the table must say: boundaries, unassigned crimes, partnerships without a rate."""
    out = [change.sentence() for change in table.changes]
    unassigned = table.frame[table.frame["unassigned"]]
    if len(unassigned):
        out.append(
            f"'{unassigned['csp'].iloc[0]}' is crimes the Home Office could not give a partnership: they count for "
            f"{table.force} but have no population, so no rate."
        )
    if table.unknown:
        out.append(
            "The shipped district lookup does not know "
            + ", ".join(table.unknown)
            + ": no population, so no rate (add the partnership's districts to data_loaders/reference/lad_to_pfa.csv)."
        )
    if table.force_count is not None and table.force_total is not None and table.force_count != table.force_total:
        out.append(
            f"The partnerships add up to {format_count(table.force_count)} for the {year_ending_label(table.end)}; "
            f"the force-level table loaded gives {format_count(table.force_total)}: the two come from different "
            "editions, and each newer edition revises earlier quarters."
        )
    if not table.changes:
        out.append(f"No partnership in {table.force} changed its boundaries since April 2012.")
    return out
