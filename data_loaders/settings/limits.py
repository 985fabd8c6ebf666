"""Settings of the plausibility bounds a loader holds every figure and date to (``[limits]``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from data_loaders.settings.base import SettingsError, number, with_defaults

SECTION = "limits"


@dataclass(frozen=True)
class Limits:
    """The largest population of a police force area, the largest count of one period, and the plausible dates.

    A date is plausible from 1 January ``earliest_year`` to ``years_ahead`` years after today.
    ``max_cells`` is the most cells the sheets of a workbook read whole may span (each sheet's rows down to
    its last filled row times its columns across to its widest): a larger workbook of recorded crime or
    outcomes is read as a stream instead, any other is refused before it is read.
    """

    max_population: int = 20_000_000
    max_count: int = 1_000_000
    earliest_year: int = 2000
    years_ahead: int = 1
    max_cells: int = 4_000_000

    @property
    def earliest(self) -> dt.date:
        return dt.date(self.earliest_year, 1, 1)

    def latest(self, today: dt.date | None = None) -> dt.date:
        """The last plausible day: ``years_ahead`` years after ``today`` (29 February becomes 28 February)."""
        today = today or dt.date.today()
        year = min(today.year + self.years_ahead, dt.MAXYEAR)
        return today.replace(year=year, day=28) if (today.month, today.day) == (2, 29) else today.replace(year=year)


def _limits(raw: dict[str, Any]) -> Limits:
    section = with_defaults(raw, SECTION, Limits)
    limits = Limits(**{f.name: number(SECTION, f.name, section[f.name], whole=True, least=0) for f in fields(Limits)})
    if not 1900 <= limits.earliest_year <= dt.date.today().year:
        raise SettingsError(
            f"settings [{SECTION}] earliest_year {limits.earliest_year!r} must be from 1900 to this year"
        )
    if limits.years_ahead > 100:
        raise SettingsError(f"settings [{SECTION}] years_ahead {limits.years_ahead!r} must be at most 100")
    for key in ("max_population", "max_count", "max_cells"):
        if not 0 < getattr(limits, key) < 2**63:
            raise SettingsError(f"settings [{SECTION}] {key} {getattr(limits, key)!r} must be above 0 and below 2**63")
    return limits
