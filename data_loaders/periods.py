"""Periods: months, financial quarters, year endings and the population year a rate uses.

Dates are ``datetime.date``; a month or quarter is named by its first day, a year ending by its
last day (31 March 2019 is "the year ending March 2019").
"""

from __future__ import annotations

import calendar
import datetime as dt


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept within the month it lands in (31 January + 1 month is 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def population_year(period_end: dt.date, lag_months: int) -> int:
    """The ONS mid-year estimate a rate for the 12 months ending ``period_end`` is divided by.

    The year of the day ``lag_months`` before the year ending's last day. With the shipped 15 this
    is the estimate ONS itself used in its police force area tables, which is the latest one ready
    when each table was made, not the mid-year inside the 12 months: mid-2016 for the year ending
    March 2018, mid-2017 for the years ending June 2018 to March 2019, mid-2018 for the years
    ending June to December 2019 (a March table is made before the new estimates come out in late
    June). With 9, the mid-year inside the 12 months is used instead.
    """
    return add_months(period_end, -lag_months).year


def mid_year_within(period_end: dt.date) -> int:
    """The year of the 30 June that falls inside the 12 months ending ``period_end``."""
    return period_end.year if period_end.month >= 6 else period_end.year - 1


def population_is_stale(period_end: dt.date, used_year: int) -> bool:
    """Whether an estimate is more than a year older than the mid-year inside the 12 months it divides."""
    return used_year < mid_year_within(period_end) - 1
