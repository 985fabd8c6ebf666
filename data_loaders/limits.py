"""Numbers and dates a loader accepts: whole numbers a database column holds, within the settings' ``[limits]``.

A cell holding a number too large for a 64-bit integer (``1e20``, twenty digits) is a problem on
that cell, never an ``OverflowError`` when the rows are written; so is a figure beyond a
plausibility bound (a population of 3 billion for one force, a count of 3 billion in a quarter) or
a date outside the plausible range (``0000-05``, ``9999-05``). Each message names the bound.

Every parser here returns ``(value, None)`` or ``(None, what was expected)``, as the cell parsers of
:mod:`data_loaders.tables` do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from data_loaders.periods import financial_period_of, financial_year_label
from data_loaders.settings import Limits

# The largest whole number a database integer column (BIGINT) holds.
MAX_INTEGER = 2**63 - 1
WHOLE = re.compile(r"(-?)(\d+)(?:\.0+)?")
SETTING = "[limits] {} in the settings"

Parser = Callable[[object], tuple[object, str | None]]


def whole_number(value: object, *, allow_negative: bool = False) -> tuple[int | None, str | None]:
    """A whole number (of 0 or more unless ``allow_negative``); thousands separators accepted; within 64 bits."""
    expected = "expected a whole number" + ("" if allow_negative else " of 0 or more")
    if isinstance(value, bool):
        return None, expected
    if isinstance(value, float):
        if value != value or not value.is_integer():  # NaN and infinities are not whole
            return None, expected
        value = int(value)
    if not isinstance(value, int):
        match = WHOLE.fullmatch(str(value).strip().replace(",", ""))
        # Digits beyond 19 are beyond 64 bits (and int() refuses text of more than 4,300 digits).
        if not match or len(match.group(2).lstrip("0")) > 19:
            return None, _too_large(expected) if match else expected
        value = int(match.group(1) + match.group(2))
    if value < 0 and not allow_negative:
        return None, expected
    if abs(value) > MAX_INTEGER:
        return None, _too_large(expected)
    return value, None


def _too_large(expected: str) -> str:
    return f"{expected}, at most {MAX_INTEGER:,} (the largest whole number the database holds)"


def count(limits: Limits, *, allow_negative: bool = False) -> Parser:
    """A count of one period (a quarter or a month): a whole number no larger than ``max_count``."""

    def parse(value: object) -> tuple[int | None, str | None]:
        number, reason = whole_number(value, allow_negative=allow_negative)
        if number is not None and abs(number) > limits.max_count:
            return None, (
                f"expected a count of at most {limits.max_count:,} in one period "
                f"(the bound {SETTING.format('max_count')})"
            )
        return number, reason

    return parse


def population_problem(number: int, limits: Limits) -> str | None:
    """Why a population is implausible for one police force area, or None."""
    if number > limits.max_population:
        return (
            f"expected a population of at most {limits.max_population:,} for one police force area "
            f"(the bound {SETTING.format('max_population')})"
        )
    return None


def _range(limits: Limits, today: dt.date | None) -> tuple[dt.date, dt.date]:
    return limits.earliest, limits.latest(today)


def _bounds_note() -> str:
    return f"the plausible dates, {SETTING.format('earliest_year and years_ahead')}"


def day_problem(day: dt.date, limits: Limits, today: dt.date | None = None) -> str | None:
    """Why a day is outside the plausible dates, or None."""
    earliest, latest = _range(limits, today)
    if earliest <= day <= latest:
        return None
    return f"expected a date from {_day(earliest)} to {_day(latest)} ({_bounds_note()})"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def month_problem(month: dt.date, limits: Limits, today: dt.date | None = None) -> str | None:
    """Why a month (named by its first day) is outside the plausible dates, or None."""
    earliest, latest = _range(limits, today)
    if earliest.replace(day=1) <= month <= latest.replace(day=1):
        return None
    return f"expected a month from {earliest:%B %Y} to {latest:%B %Y} ({_bounds_note()})"


def year_problem(year: int, limits: Limits, today: dt.date | None = None) -> str | None:
    """Why a year (a mid-year of population estimates) is outside the plausible dates, or None."""
    earliest, latest = _range(limits, today)
    if earliest.year <= year <= latest.year:
        return None
    return f"expected a year from {earliest.year} to {latest.year} ({_bounds_note()})"


def financial_year_problem(label: str, limits: Limits, today: dt.date | None = None) -> str | None:
    """Why a financial year (``2019/20``) is outside the plausible dates, or None: it must start in them."""
    _, latest = _range(limits, today)
    last, _ = financial_period_of(latest)
    if limits.earliest_year <= int(label[:4]) <= int(last[:4]):
        return None
    return f"expected a financial year from {financial_year_label(limits.earliest_year)} to {last} ({_bounds_note()})"


def checked(parser: Parser, problem: Callable[[object], str | None]) -> Parser:
    """``parser``, with each value it gives also held to ``problem`` (which says why a value is refused)."""

    def parse(value: object) -> tuple[object, str | None]:
        parsed, reason = parser(value)
        if reason is None and parsed is not None:
            refused = problem(parsed)
            if refused:
                return None, refused
        return parsed, reason

    return parse


def long_text_problems(rows, table, keys: tuple[str, ...], file: str, headers: dict[str, str]) -> list:
    """A problem for each text cell of ``rows`` (a frame with ``_sheet`` and ``_row``) longer than its column holds.

    ``keys`` name columns of ``table`` (the schema in data_loaders.schema), whose declared lengths are
    the most characters stored; a problem names the column as the file heads it (``headers``), else by its key.
    """
    from data_loaders.refusals import Problem

    problems = []
    for key in keys:
        limit = table.c[key].type.length
        for value, sheet, row in zip(rows[key], rows["_sheet"], rows["_row"], strict=True):
            if isinstance(value, str) and len(text := value.strip()) > limit:
                problems.append(
                    Problem(
                        file,
                        f"expected at most {limit:,} characters (the most the database stores here)",
                        sheet=sheet,
                        row=int(row),
                        column=headers.get(key, key),
                        found=text[:80],
                    )
                )
    return problems
