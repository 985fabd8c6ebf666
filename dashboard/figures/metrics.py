"""Headline figures: year-ending totals and changes, rates per 1,000 population, charge rates.

Pure pandas: no Streamlit, no database. Inputs are the tidy frames that ``queries`` returns.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from data_loaders.periods import add_months, month_end, period_end


@dataclass(frozen=True)
class YearEndingComparison:
    """The latest year ending against the one before it."""

    end: dt.date  # last day of the latest period included
    current: int | None
    previous: int | None

    @property
    def change(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent_change(self) -> float | None:
        """Percentage change, or None when there is no previous year or it was zero."""
        if self.change is None or not self.previous:
            return None
        return 100.0 * self.change / self.previous


def year_ending_series(series: pd.DataFrame, months_per_period: int) -> pd.DataFrame:
    """Rolling 12-month totals: one row per period end that has a complete year behind it.

    ``series`` has ``period_start`` (dates) and ``count``; periods must be contiguous. Returns
    ``period_end`` and ``year_ending`` (the sum of the 12 months ending then). Rolling totals are
    for headlines only: they are autocorrelated and must never go on an SPC chart.
    """
    per_year = 12 // months_per_period
    ordered = series.sort_values("period_start").reset_index(drop=True)
    if ordered.empty:
        return pd.DataFrame({"period_end": [], "year_ending": []})
    expected = [add_months(ordered["period_start"].iloc[0], i * months_per_period) for i in range(len(ordered))]
    if list(ordered["period_start"]) != expected:
        full = pd.DataFrame({"period_start": _contiguous_starts(ordered["period_start"], months_per_period)})
        ordered = full.merge(ordered, on="period_start", how="left")
    totals = ordered["count"].rolling(per_year, min_periods=per_year).sum()
    out = pd.DataFrame(
        {
            "period_end": [period_end(start, months_per_period) for start in ordered["period_start"]],
            "year_ending": totals,
        }
    ).dropna()
    out["year_ending"] = out["year_ending"].astype(int)
    return out.reset_index(drop=True)


def _contiguous_starts(starts: pd.Series, months_per_period: int) -> list[dt.date]:
    first, last = min(starts), max(starts)
    out = [first]
    while out[-1] < last:
        out.append(add_months(out[-1], months_per_period))
    return out


def compare_year_ending(series: pd.DataFrame, months_per_period: int) -> YearEndingComparison | None:
    """The latest complete year ending against the year ending twelve months before; None without data."""
    rolling = year_ending_series(series, months_per_period)
    if series.empty:
        return None
    latest_end = period_end(max(series["period_start"]), months_per_period)
    current = rolling.loc[rolling["period_end"] == latest_end, "year_ending"]
    previous_end = month_end(add_months(latest_end.replace(day=1), -12))
    previous = rolling.loc[rolling["period_end"] == previous_end, "year_ending"]
    return YearEndingComparison(
        end=latest_end,
        current=int(current.iloc[0]) if len(current) else None,
        previous=int(previous.iloc[0]) if len(previous) else None,
    )


def rate_per_1000(count: float | None, population: float | None) -> float | None:
    """Offences per 1,000 population, or None without a population."""
    if count is None or not population or (isinstance(count, float) and math.isnan(count)):
        return None
    return 1000.0 * count / population


def format_count(value: int | float | None) -> str:
    return "no figure" if value is None else f"{value:,.0f}"


def format_percent_change(percent: float | None) -> str:
    if percent is None:
        return "n/a"
    return f"{percent:+.0f}%" if abs(percent) >= 0.5 else f"{percent:+.1f}%"
