"""Timescale words become due dates; unreadable words leave the date empty; deadline states."""

import datetime as dt

import pytest

from data_loaders.periods import add_months
from data_loaders.recommendations.due_dates import (
    deadline_status,
    due_date,
    is_overdue,
    response_deadline,
    split_timescale,
    statutory_response_due,
)

D = dt.date
PUBLISHED_2019 = D(2019, 4, 10)


@pytest.mark.parametrize(
    ("words", "published", "expected"),
    [
        ("Within six months", PUBLISHED_2019, D(2019, 10, 10)),
        ("within 6 months", PUBLISHED_2019, D(2019, 10, 10)),
        ("WITHIN SIX MONTHS.", PUBLISHED_2019, D(2019, 10, 10)),
        ("Within six months of the publication of this report", PUBLISHED_2019, D(2019, 10, 10)),
        ("Within three months", PUBLISHED_2019, D(2019, 7, 10)),
        ("within 12 months", PUBLISHED_2019, D(2020, 4, 10)),
        ("within twelve months", PUBLISHED_2019, D(2020, 4, 10)),
        ("within a year", PUBLISHED_2019, D(2020, 4, 10)),
        ("within eighteen months", PUBLISHED_2019, D(2020, 10, 10)),
        ("within twenty-four months", PUBLISHED_2019, D(2021, 4, 10)),
        ("within 2 years", PUBLISHED_2019, D(2021, 4, 10)),
        ("within 4 weeks", PUBLISHED_2019, D(2019, 5, 8)),
        ("within 28 days", PUBLISHED_2019, D(2019, 5, 8)),
        ("Immediately", PUBLISHED_2019, PUBLISHED_2019),
        ("with immediate effect", PUBLISHED_2019, PUBLISHED_2019),
        ("By March 2020", PUBLISHED_2019, D(2020, 3, 31)),
        ("by Feb 2024", PUBLISHED_2019, D(2024, 2, 29)),
        ("by Sept 2020", PUBLISHED_2019, D(2020, 9, 30)),
        ("By 22 November 2024", D(2024, 9, 27), D(2024, 11, 22)),
        ("By 22nd November 2024", D(2024, 9, 27), D(2024, 11, 22)),
        ("by the 1st of December, 2024", D(2024, 9, 27), D(2024, 12, 1)),
        ("by 22/11/2024", D(2024, 9, 27), D(2024, 11, 22)),
        ("by 2024-11-22", D(2024, 9, 27), D(2024, 11, 22)),
        ("No later than 22 November 2024", D(2024, 9, 27), D(2024, 11, 22)),
        ("By the end of 2020", PUBLISHED_2019, D(2020, 12, 31)),
        ("by end 2020", PUBLISHED_2019, D(2020, 12, 31)),
        ("by end of March 2021", PUBLISHED_2019, D(2021, 3, 31)),
        ("By the end of June 2019", PUBLISHED_2019, D(2019, 6, 30)),
        ("By the end of 2020/21", PUBLISHED_2019, D(2021, 3, 31)),
        ("by the end of the financial year 2019-2020", PUBLISHED_2019, D(2020, 3, 31)),
        # Dated timescales need no publication date.
        ("By March 2020", None, D(2020, 3, 31)),
    ],
)
def test_timescale_words_give_the_due_date(words, published, expected):
    assert due_date(words, published).date == expected


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (D(2023, 8, 31), D(2024, 2, 29)),  # leap year: 29 February
        (D(2022, 8, 31), D(2023, 2, 28)),  # not a leap year: 28 February
        (D(2019, 8, 30), D(2020, 2, 29)),
        (D(2099, 8, 31), D(2100, 2, 28)),  # 2100 is not a leap year
        (D(2019, 12, 31), D(2020, 6, 30)),
        (D(2019, 7, 31), D(2020, 1, 31)),  # across the year end
    ],
)
def test_six_months_falls_on_the_month_end_when_the_day_does_not_exist(published, expected):
    assert due_date("Within six months", published).date == expected


def test_add_months_clamps_and_crosses_years():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2019, 11, 15), 3) == D(2020, 2, 15)


def test_the_note_says_how_the_date_was_derived():
    assert due_date("Within six months", PUBLISHED_2019).note == "publication date (10 April 2019) + 6 months"
    assert due_date("By March 2020", PUBLISHED_2019).note == "'By March 2020': the last day of the month"
    assert due_date("Immediately", PUBLISHED_2019).note == "'Immediately': the publication date (10 April 2019)"


@pytest.mark.parametrize(
    ("words", "published", "note"),
    [
        (
            "as soon as practicable",
            PUBLISHED_2019,
            "could not read the timescale 'as soon as practicable'; due date left empty",
        ),
        (
            "by the end of the year",
            PUBLISHED_2019,
            "could not read the timescale 'by the end of the year'; due date left empty",
        ),
        (
            "within several months",
            PUBLISHED_2019,
            "could not read the timescale 'within several months'; due date left empty",
        ),
        ("Spring 2020", PUBLISHED_2019, "could not read the timescale 'Spring 2020'; due date left empty"),
        ("before March 2020", PUBLISHED_2019, "could not read the timescale 'before March 2020'; due date left empty"),
        ("By 31 February 2021", PUBLISHED_2019, "'By 31 February 2021' is not a real date; due date left empty"),
        ("by 11/22/2024", PUBLISHED_2019, "'by 11/22/2024' is not a real date; due date left empty"),
        ("by the end of 2020/22", PUBLISHED_2019, "'by the end of 2020/22' is not a real date; due date left empty"),
        (
            "Within six months",
            None,
            "the report's publication date is not known, so 'Within six months' cannot be dated; due date left empty",
        ),
        ("", PUBLISHED_2019, "no timescale given; due date left empty"),
        (None, PUBLISHED_2019, "no timescale given; due date left empty"),
    ],
)
def test_words_it_cannot_read_leave_the_date_empty_and_say_why(words, published, note):
    result = due_date(words, published)
    assert result.date is None
    assert result.note == note


@pytest.mark.parametrize(
    ("text", "timescale", "rest"),
    [
        (
            "Within six months chief constables should ensure that forces record stalking.",
            "Within six months",
            "chief constables should ensure that forces record stalking.",
        ),
        (
            "By 22 November 2024, chief constables should publish a plan.",
            "By 22 November 2024",
            "chief constables should publish a plan.",
        ),
        ("Immediately, forces should stop using PINs.", "Immediately", "forces should stop using PINs."),
        ("By the end of 2020/21 the College should act.", "By the end of 2020/21", "the College should act."),
        ("Chief constables should act within six months.", None, "Chief constables should act within six months."),
        ("Byron should not be read as a date.", None, "Byron should not be read as a date."),
        ("Within sixty days forces should act.", None, "Within sixty days forces should act."),
    ],
)
def test_split_timescale_takes_the_words_at_the_start_as_written(text, timescale, rest):
    assert split_timescale(text) == (timescale, rest)


def test_statutory_response_is_due_on_the_56th_day_counting_publication_day():
    assert statutory_response_due(D(2019, 4, 10)) == D(2019, 6, 4)
    assert statutory_response_due(D(2024, 9, 27)) == D(2024, 11, 21)
    assert statutory_response_due(D(2017, 7, 5)) == D(2017, 8, 29)
    assert statutory_response_due(D(2024, 1, 10)) == D(2024, 3, 5)  # through 29 February


@pytest.mark.parametrize(
    ("due", "done", "today", "state", "days", "label"),
    [
        (D(2019, 6, 4), None, D(2019, 6, 1), "days left", 3, "3 days left"),
        (D(2019, 6, 4), None, D(2019, 6, 3), "days left", 1, "1 day left"),
        (D(2019, 6, 4), None, D(2019, 6, 4), "days left", 0, "due today"),
        (D(2019, 6, 4), None, D(2019, 6, 5), "overdue", 1, "overdue by 1 day"),
        (D(2019, 6, 4), None, D(2019, 7, 4), "overdue", 30, "overdue by 30 days"),
        (D(2019, 6, 4), D(2019, 6, 4), D(2020, 1, 1), "met on time", 0, "met on time"),
        (D(2019, 6, 4), D(2019, 5, 30), D(2020, 1, 1), "met on time", 5, "met on time"),
        (D(2019, 6, 4), D(2019, 6, 6), D(2020, 1, 1), "met late", 2, "met 2 days late"),
        (None, None, D(2020, 1, 1), "no deadline", None, "no due date"),
        (None, D(2019, 6, 6), D(2020, 1, 1), "no deadline", None, "no due date"),
    ],
)
def test_deadline_status(due, done, today, state, days, label):
    status = deadline_status(due, done, today)
    assert (status.state, status.days, status.label) == (state, days, label)


def test_response_deadline_counts_from_publication():
    assert response_deadline(D(2019, 4, 10), D(2019, 6, 4), D(2025, 1, 1)).state == "met on time"
    assert response_deadline(D(2019, 4, 10), D(2019, 6, 5), D(2025, 1, 1)).label == "met 1 day late"
    assert response_deadline(D(2024, 9, 27), None, D(2024, 11, 1)).label == "20 days left"
    assert response_deadline(D(2024, 9, 27), None, D(2024, 11, 22)).label == "overdue by 1 day"
    assert response_deadline(None, None, D(2024, 11, 22)).state == "no deadline"


def test_overdue_means_past_due_and_not_closed():
    today = D(2020, 1, 1)
    assert is_overdue(D(2019, 12, 31), today, closed=False) is True
    assert is_overdue(D(2020, 1, 1), today, closed=False) is False
    assert is_overdue(D(2019, 12, 31), today, closed=True) is False
    assert is_overdue(None, today, closed=False) is False
