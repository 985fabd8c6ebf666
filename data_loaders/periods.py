"""Periods, in one place: months, financial quarters and years, year endings, the population year, strict dates.

Dates are ``datetime.date``; a month or quarter is named by its first day, a year ending by its last
day (31 March 2019 is "the year ending March 2019"). The Home Office's financial year runs April to
March and is written ``2019/20``; its quarter 1 is April to June.

>>> quarter_label(dt.date(2024, 7, 1))
'2024/25 Q2'
>>> add_months(dt.date(2023, 8, 31), 6)
datetime.date(2024, 2, 29)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
# A month's name in a pattern: longest first, so "september" is tried before "sep".
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"


# ---- months ----------------------------------------------------------------------------------------


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, kept within the month it lands in (31 August + 6 months is 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period_end(period_start: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` months starting on ``period_start``."""
    return add_months(period_start.replace(day=1), months) - dt.timedelta(days=1)


def calendar_quarter_start(day: dt.date) -> dt.date:
    """The first day of the three-month block (January, April, July, October) a day falls in."""
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


# ---- financial years and quarters ----------------------------------------------------------------


def financial_year_start(day: dt.date) -> int:
    """The first calendar year of the financial year a date falls in: 2020 for 15 March 2021."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    """A financial year as the Home Office writes it: 2019 -> '2019/20'."""
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def quarter_start(financial_year: str, quarter: int) -> dt.date:
    """The first day of a financial quarter (``'2019/20'``, 1 is April)."""
    return add_months(dt.date(int(financial_year[:4]), 4, 1), 3 * (quarter - 1))


def financial_period_of(day: dt.date) -> tuple[str, int]:
    """The financial year and quarter a date falls in: ('2024/25', 2) for 1 August 2024."""
    return financial_year_label(financial_year_start(day)), ((day.month - 4) % 12) // 3 + 1


def quarter_label(start: object) -> str:
    """'2024/25 Q1' for the quarter a date (or timestamp) falls in."""
    day = start.date() if isinstance(start, dt.datetime) else start
    if not isinstance(day, dt.date):
        import pandas as pd  # a pandas Timestamp or a date written as text

        day = pd.Timestamp(start).date()
    year, quarter = financial_period_of(day)
    return f"{year} Q{quarter}"


# ---- year endings and the population they divide by -----------------------------------------------


def year_ending_label(end: dt.date) -> str:
    """'year ending March 2025' for a year that ends on 31 March 2025."""
    return f"year ending {end:%B %Y}"


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


# ---- reading dates written by people ---------------------------------------------------------------

DAY_FORMS = (
    re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+(?P<year>\d{{4}})", re.IGNORECASE),
    re.compile(r"(?P<day>\d{1,2})/(?P<month_number>\d{1,2})/(?P<year>\d{4})"),
    re.compile(r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?:[ T]00:00(?::00)?)?"),
)
MONTH_FORMS = (
    re.compile(r"(?P<year>\d{4})[-/](?P<month_number>\d{1,2})(?:[-/](?P<day>\d{1,2}))?(?:[ T]00:00:00)?"),
    re.compile(rf"{MONTH}[\s-]+(?P<year>\d{{4}})", re.IGNORECASE),
    re.compile(r"(?P<month_number>\d{1,2})/(?P<year>\d{4})"),
)


def _date(year: str, month: int, day: str | int) -> dt.date | None:
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None


def _fields(forms: tuple[re.Pattern[str], ...], value: object) -> dict[str, str | None] | None:
    """The named parts of the first of ``forms`` that the whole of ``value`` matches (runs of space as one)."""
    words = " ".join(str(value).split())
    for form in forms:
        match = form.fullmatch(words)
        if match:
            return match.groupdict()
    return None


def _month_number(fields: dict[str, str | None]) -> int:
    """The month a date's parts name, by number or by name."""
    return int(fields["month_number"]) if fields.get("month_number") else MONTHS[fields["month"].lower()]


def parse_day(value: object) -> dt.date | None:
    """A day from a date cell or text: '10th April 2019', '4 June 2019', '10/04/2019' (day first), '2019-04-10'.

    Strict: anything else, or an impossible day such as 31/02/2019, gives None; nothing is guessed.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    fields = _fields(DAY_FORMS, value)
    if fields is None:
        return None
    if fields.get("iso"):
        year, month, day = fields["iso"].split("-")
        return _date(year, int(month), day)
    return _date(fields["year"], _month_number(fields), fields["day"])


def parse_month(value: object) -> dt.date | None:
    """The first day of a calendar month: '2024-04', '2024-04-01', 'Apr 2024', 'April 2024', '04/2024' or a date."""
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    fields = _fields(MONTH_FORMS, value)
    if fields is None:
        return None
    month = _month_number(fields)
    if not 1 <= month <= 12:
        return None
    return _date(fields["year"], month, 1)
