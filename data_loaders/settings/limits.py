"""Settings of the plausibility bounds a loader holds every figure and date to (``[limits]``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from data_loaders.settings.base import SettingsError

SECTION = "limits"
DEFAULTS = {
    "max_population": 20_000_000,
    "max_count": 1_000_000,
    "earliest_year": 2000,
    "years_ahead": 1,
    "max_cells": 4_000_000,
}


@dataclass(frozen=True)
class Limits:
    """The largest population of a police force area, the largest count of one period, and the plausible dates.

    A date is plausible from 1 January ``earliest_year`` to ``years_ahead`` years after today.
    ``max_cells`` is the most cells the sheets of a workbook read whole may span (each sheet's rows down to
    its last filled row times its columns across to its widest): a larger workbook of recorded crime or
    outcomes is read as a stream instead, any other is refused before it is read.
    """

    max_population: int = DEFAULTS["max_population"]
    max_count: int = DEFAULTS["max_count"]
    earliest_year: int = DEFAULTS["earliest_year"]
    years_ahead: int = DEFAULTS["years_ahead"]
    max_cells: int = DEFAULTS["max_cells"]

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.earliest_year, 1, 1)

    def latest(self, today: dt.date | None = None) -> dt.date:
        """The last plausible day: ``years_ahead`` years after ``today`` (29 February becomes 28 February)."""
        today = today or dt.date.today()
        year = min(today.year + self.years_ahead, dt.MAXYEAR)
        return today.replace(year=year, day=28) if (today.month, today.day) == (2, 29) else today.replace(year=year)


def _limits(raw: dict[str, Any]) -> Limits:
    section = raw.get(SECTION, {})
    values = {}
    for key, default in DEFAULTS.items():
        value = section.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SettingsError(f"settings [{SECTION}] {key} {value!r} must be a whole number of 0 or more")
        values[key] = value
    limits = Limits(**values)
    if not 1900 <= limits.earliest_year <= dt.date.today().year:
        raise SettingsError(
            f"settings [{SECTION}] earliest_year {limits.earliest_year!r} must be from 1900 to this year"
        )
    if limits.years_ahead > 100:
        raise SettingsError(f"settings [{SECTION}] years_ahead {limits.years_ahead!r} must be at most 100")
    for key in ("max_population", "max_count", "max_cells"):
        if not 0 < values[key] < 2**63:
            raise SettingsError(f"settings [{SECTION}] {key} {values[key]!r} must be above 0 and below 2**63")
    return limits
