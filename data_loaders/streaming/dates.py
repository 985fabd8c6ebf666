"""Dates and times as python-calamine gives them.

ISO text (ODS date and time values, XLSX ``d`` cells), Excel serial numbers (XLSX cells styled as
dates or elapsed times), and which XLSX number formats show a date or an elapsed time.
"""

from __future__ import annotations

import datetime as dt
import math
import re

ISO_DATETIME = re.compile(r"\s*\+?(\d+)-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?\s*")
ISO_DATE = re.compile(r"\s*\+?(\d+)-(\d{1,2})-(\d{1,2})\s*")
ISO_TIME = re.compile(r"\s*PT(\d{1,2})H(\d{1,2})M(\d{1,2})(?:\.(\d+))?S\s*")

# Built-in number formats that show a date or time (14-22, 45, 47) or a duration (46, [h]:mm:ss).
BUILTIN_DATE_FORMATS = frozenset({"14", "15", "16", "17", "18", "19", "20", "21", "22", "45", "47"})
BUILTIN_DURATION_FORMATS = frozenset({"46"})
DATE, DURATION = "date", "duration"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
DAYS_1900_TO_1904 = 1462
MS_PER_DAY = 86_400_000
# chrono, which calamine uses, reaches about 262,000 years either side of year 0.
CHRONO_DAYS = 95_000_000


def _microseconds(fraction: str | None) -> int:
    return int(fraction[:6].ljust(6, "0")) if fraction else 0


def _iso_date_value(text: str) -> object:
    """``office:date-value`` as python-calamine gives it: a datetime, else a date, else the text itself."""
    match = ISO_DATETIME.fullmatch(text)
    try:
        if match:
            year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
            # A leap second (:60) is read as :59, as python-calamine does.
            second = 59 if second == 60 else second
            return dt.datetime(year, month, day, hour, minute, second, _microseconds(match[7]))
        match = ISO_DATE.fullmatch(text)
        if match:
            return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    return text


def _iso_time_value(text: str) -> object:
    """``office:time-value`` (``PT01H02M03S``) as a time of day, else the text itself (durations of a day or more)."""
    match = ISO_TIME.fullmatch(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3])
        try:
            return dt.time(hour, minute, 59 if second == 60 else second, _microseconds(match[4]))
        except ValueError:
            pass
    return text


def _number_format_kind(code: str) -> str | None:
    """DATE or DURATION for a custom number format that shows a date/time or an elapsed time; None otherwise.

    The format's first section decides. Quoted text, escaped characters and ``[...]`` (colours,
    conditions, locales) are not date tokens; ``[h]``, ``[m]`` and ``[s]`` mean an elapsed time.
    """
    escaped = in_quote = ampm = elapsed = False
    brackets = 0
    previous = " "
    for char in code:
        if escaped:
            escaped = False
        elif char in "_\\*":
            escaped = True
        elif in_quote:
            if char == '"':
                in_quote = False
        elif char == '"':
            in_quote = True
        elif char == ";":
            return None
        elif char == "[":
            brackets += 1
        elif char == "]" and brackets == 1 and elapsed:
            return DURATION
        elif char == "]":
            brackets = max(brackets - 1, 0)
        elif brackets == 0 and not ampm and char in "aA":
            ampm = True
        elif brackets == 0 and char in ("pmPM/" if ampm else "dmhysDMHYS"):
            return DATE
        elif not (elapsed and char.lower() == previous.lower()):
            elapsed = previous == "[" and char in "mhsMHS"
        previous = char
    return None


def _round_half_away(value: float) -> int:
    """Rounding as Rust's ``f64::round``: halves away from zero (Python's ``round`` goes to even)."""
    magnitude = abs(value)
    whole = math.floor(magnitude)
    if magnitude - whole >= 0.5:
        whole += 1
    return int(whole) if value >= 0 else -int(whole)


def _excel_date(value: float, is_1904: bool) -> object:
    """A serial date as python-calamine gives it: a time below 1, a date if whole, else a datetime; or the number."""
    if value != value:
        return EXCEL_EPOCH  # calamine reads NaN as zero milliseconds
    if math.isinf(value):
        return value
    days = value + DAYS_1900_TO_1904 if is_1904 else value
    if days < 60:
        days += 1  # Excel counts a 29 February 1900 that never was
    milliseconds = _round_half_away(days * MS_PER_DAY)
    whole_days, rest = divmod(milliseconds, MS_PER_DAY)
    if value < 1:
        if abs(whole_days) > CHRONO_DAYS:
            return value
        seconds, millisecond = divmod(rest, 1000)
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, millisecond * 1000)
    try:
        moment = EXCEL_EPOCH + dt.timedelta(milliseconds=milliseconds)
    except OverflowError:
        return value
    return moment.date() if value.is_integer() else moment


def _excel_duration(value: float) -> object:
    """An elapsed time (``[h]:mm:ss``) as a timedelta to the millisecond; the number itself beyond timedelta's range."""
    try:
        return dt.timedelta(milliseconds=_round_half_away(value * MS_PER_DAY))
    except (OverflowError, ValueError):
        return value
