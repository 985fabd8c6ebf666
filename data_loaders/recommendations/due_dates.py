"""Due dates from the timescale words of inspection recommendations, and deadline states.

HMICFRS writes a timescale in words at the start of a recommendation ("Within six months chief
constables should ..."); the due date is read from those words and the report's publication
date. Words this module cannot read leave the due date empty with the reason: a guessed deadline
would make a recommendation look overdue (or not) on no evidence.

>>> due_date("Within six months", dt.date(2019, 4, 10)).date
datetime.date(2019, 10, 10)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from data_loaders.periods import MONTH, MONTHS, add_months, month_end

STATUTORY_RESPONSE_DAYS = 56


NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "eighteen": 18,
    "twenty": 20,
    "twenty four": 24,
    "twenty eight": 28,
    "thirty": 30,
    "thirty six": 36,
    "fifty six": 56,
}
NUMBER = (
    r"(?P<number>\d{1,3}|"
    + "|".join(word.replace(" ", r"[\s-]+") for word in sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")"
)
BY = r"(?:by|no\s+later\s+than)"
END_OF = r"(?:the\s+)?end(?:\s+of)?"
OF_REPORT = r"(?:\s+of\s+(?:the\s+)?(?:(?:publication|date)\s+of\s+)?(?:this|the)\s+report(?:'s\s+publication)?)?"

# Each pattern reads timescale words in full; the first that matches gives the rule.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (rule, re.compile(pattern, re.IGNORECASE))
    for rule, pattern in (
        ("immediately", r"(?:immediately|with\s+immediate\s+effect)"),
        ("within", rf"within\s+{NUMBER}\s+(?P<unit>day|week|month|year)s?{OF_REPORT}"),
        (
            "end of financial year",
            rf"{BY}\s+{END_OF}\s+(?:the\s+)?(?:financial\s+year\s+)?(?P<fy>\d{{4}}\s*[/-]\s*\d{{2,4}})",
        ),
        ("end of month", rf"{BY}\s+(?:{END_OF}\s+)?{MONTH}\s+(?P<year>\d{{4}})"),
        ("end of year", rf"{BY}\s+{END_OF}\s+(?P<year>\d{{4}})"),
        ("day", rf"{BY}\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH},?\s+(?P<year>\d{{4}})"),
        ("numeric day", r"(?:by|no\s+later\s+than)\s+(?P<day>\d{1,2})/(?P<month_number>\d{1,2})/(?P<year>\d{4})"),
        ("iso day", r"(?:by|no\s+later\s+than)\s+(?P<iso>\d{4}-\d{2}-\d{2})"),
    )
)


@dataclass(frozen=True)
class DueDate:
    """A derived due date, or None with the reason it could not be derived."""

    date: dt.date | None
    note: str


def _number(text: str) -> int:
    folded = re.sub(r"[\s-]+", " ", text.lower())
    return int(folded) if folded.isdigit() else NUMBER_WORDS[folded]


def _tidy(timescale: str) -> str:
    return " ".join(timescale.replace("\u2019", "'").split()).rstrip(" .,;:")


def _resolve(rule: str, match: re.Match[str], published: dt.date | None, words: str) -> DueDate:
    groups = match.groupdict()
    if rule in {"immediately", "within"}:
        if published is None:
            return DueDate(
                None, f"the report's publication date is not known, so '{words}' cannot be dated; due date left empty"
            )
        if rule == "immediately":
            return DueDate(published, f"'{words}': the publication date ({published:%d %B %Y})")
        count, unit = _number(groups["number"]), groups["unit"].lower()
        if unit == "day":
            due = published + dt.timedelta(days=count)
        elif unit == "week":
            due = published + dt.timedelta(weeks=count)
        else:
            due = add_months(published, count * (12 if unit == "year" else 1))
        plural = "" if count == 1 else "s"
        return DueDate(due, f"publication date ({published:%d %B %Y}) + {count} {unit}{plural}")
    try:
        if rule == "end of financial year":
            start, end = re.split(r"\s*[/-]\s*", groups["fy"])
            end_year = int(end) if len(end) == 4 else (int(start) // 100) * 100 + int(end)
            if end_year != int(start) + 1:
                raise ValueError("the second year must follow the first")
            return DueDate(dt.date(end_year, 3, 31), f"'{words}': the end of the financial year")
        if rule == "iso day":
            return DueDate(dt.date.fromisoformat(groups["iso"]), f"'{words}'")
        year = int(groups["year"])
        if rule == "end of year":
            return DueDate(dt.date(year, 12, 31), f"'{words}': the last day of {year}")
        if rule == "end of month":
            month = MONTHS[groups["month"].lower()]
            return DueDate(month_end(dt.date(year, month, 1)), f"'{words}': the last day of the month")
        if rule == "day":
            return DueDate(dt.date(year, MONTHS[groups["month"].lower()], int(groups["day"])), f"'{words}'")
        return DueDate(dt.date(year, int(groups["month_number"]), int(groups["day"])), f"'{words}' (day/month/year)")
    except ValueError:
        return DueDate(None, f"'{words}' is not a real date; due date left empty")


def due_date(timescale: str | None, published: dt.date | None) -> DueDate:
    """The due date that timescale words give for a report published on ``published``.

    >>> due_date("By March 2020", None).date
    datetime.date(2020, 3, 31)
    >>> due_date("as soon as practicable", dt.date(2019, 4, 10)).note
    "could not read the timescale 'as soon as practicable'; due date left empty"
    """
    if timescale is None or not timescale.strip():
        return DueDate(None, "no timescale given; due date left empty")
    words = _tidy(timescale)
    for rule, pattern in PATTERNS:
        match = pattern.fullmatch(words)
        if match:
            return _resolve(rule, match, published, words)
    return DueDate(None, f"could not read the timescale '{words}'; due date left empty")


def split_timescale(text: str) -> tuple[str | None, str]:
    """The timescale words a recommendation starts with (as written) and the text after them.

    >>> split_timescale("Within six months chief constables should ensure ...")
    ('Within six months', 'chief constables should ensure ...')
    """
    stripped = text.lstrip()
    best: re.Match[str] | None = None
    for _, pattern in PATTERNS:
        match = pattern.match(stripped)
        if match and re.match(r"[\s,.;:]|$", stripped[match.end() :]) and (best is None or match.end() > best.end()):
            best = match
    if best is None:
        return None, text.strip()
    rest = stripped[best.end() :].lstrip(" ,;:\t").strip()
    return stripped[: best.end()], rest


def statutory_response_due(published: dt.date) -> dt.date:
    """The last day for the PCC's published response to an HMICFRS report.

    Police Act 1996 s.55(5A): within 56 days beginning with the day the report is published,
    so the publication day is day 1 and the last day is publication + 55 days.
    """
    return published + dt.timedelta(days=STATUTORY_RESPONSE_DAYS - 1)


@dataclass(frozen=True)
class DeadlineStatus:
    """Where something stands against its deadline on a given day.

    ``state`` is one of "no deadline", "days left", "met on time", "met late" or "overdue";
    ``days`` is the days left, the days late, or the days early (met on time), else None.
    """

    state: str
    days: int | None
    label: str


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def deadline_status(due: dt.date | None, done_on: dt.date | None, today: dt.date) -> DeadlineStatus:
    """The state of a deadline: days left, met on time, met late or overdue.

    >>> deadline_status(dt.date(2019, 6, 4), None, dt.date(2019, 6, 1)).label
    '3 days left'
    """
    if due is None:
        return DeadlineStatus("no deadline", None, "no due date")
    if done_on is not None:
        if done_on <= due:
            early = (due - done_on).days
            return DeadlineStatus("met on time", early, "met on time")
        late = (done_on - due).days
        return DeadlineStatus("met late", late, f"met {_days(late)} late")
    if today <= due:
        left = (due - today).days
        return DeadlineStatus("days left", left, "due today" if left == 0 else f"{_days(left)} left")
    late = (today - due).days
    return DeadlineStatus("overdue", late, f"overdue by {_days(late)}")


def response_deadline(published: dt.date | None, response_published: dt.date | None, today: dt.date) -> DeadlineStatus:
    """The state of the PCC's statutory 56-day response to a report (no deadline when unpublished)."""
    due = statutory_response_due(published) if published else None
    return deadline_status(due, response_published, today)


def is_overdue(due: dt.date | None, today: dt.date, *, closed: bool) -> bool:
    """Whether a recommendation is past its due date and not yet in a closed category."""
    return due is not None and not closed and today > due
