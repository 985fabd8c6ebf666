"""HMICFRS-style status history: dated entries in source order; malformed text located exactly."""

import datetime as dt

import pytest

from data_loaders.recommendations.history import HistoryEntry, parse, parse_date

D = dt.date


def test_the_form_in_the_issue():
    text = (
        "[on]10th April 2019 [status]awaiting-review[/status][/on]"
        "[on]4th June 2019 [comment]Progress is being made...[/comment][/on]"
    )
    assert parse(text) == (
        [
            HistoryEntry(D(2019, 4, 10), "awaiting-review", None),
            HistoryEntry(D(2019, 6, 4), None, "Progress is being made..."),
        ],
        [],
    )


def test_entries_on_separate_lines_with_status_and_comment_together():
    text = """
    [on]1st October 2019 [status]being-progressed[/status] [comment]Audit commissioned.
    Report due in spring.[/comment][/on]
    [on]2nd March 2020 [comment]Audit found 3 of 40 breaches unrecorded.[/comment][status]complete[/status][/on]
    [on]23rd March 2020[status]complete[/status][/on]
    """
    entries, problems = parse(text)
    assert problems == []
    assert entries == [
        HistoryEntry(D(2019, 10, 1), "being-progressed", "Audit commissioned.\n    Report due in spring."),
        HistoryEntry(D(2020, 3, 2), "complete", "Audit found 3 of 40 breaches unrecorded."),
        HistoryEntry(D(2020, 3, 23), "complete", None),
    ]


def test_entries_keep_source_order():
    text = "[on]4th June 2019 [status]b[/status][/on][on]10th April 2019 [status]a[/status][/on]"
    assert [e.date for e in parse(text)[0]] == [D(2019, 6, 4), D(2019, 4, 10)]


def test_tags_ignore_case():
    assert parse("[ON]10th April 2019 [Status]awaiting-review[/STATUS][/On]")[0] == [
        HistoryEntry(D(2019, 4, 10), "awaiting-review", None)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1st January 2020", D(2020, 1, 1)),
        ("2nd February 2020", D(2020, 2, 2)),
        ("3rd March 2020", D(2020, 3, 3)),
        ("4th April 2020", D(2020, 4, 4)),
        ("11th May 2020", D(2020, 5, 11)),
        ("12th June 2020", D(2020, 6, 12)),
        ("13th July 2020", D(2020, 7, 13)),
        ("21st August 2020", D(2020, 8, 21)),
        ("22nd September 2020", D(2020, 9, 22)),
        ("23rd October 2020", D(2020, 10, 23)),
        ("31st December 2020", D(2020, 12, 31)),
        ("29th February 2020", D(2020, 2, 29)),
        ("4 June 2019", D(2019, 6, 4)),
        ("4 Jun 2019", D(2019, 6, 4)),
        ("4th of June, 2019", D(2019, 6, 4)),
        ("04/06/2019", D(2019, 6, 4)),
        ("2019-06-04", D(2019, 6, 4)),
        ("29th February 2019", None),
        ("32nd March 2020", None),
        ("June 2019", None),
        ("yesterday", None),
    ],
)
def test_dates_with_ordinals(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "h.txt: found ''; at line 1, character 1: expected at least one entry such as"),
        (
            "[on]32nd April 2019 [status]x[/status][/on]",
            "h.txt: found '32nd April 2019'; at line 1, character 5: expected a date such as '10th April 2019'",
        ),
        (
            "[on]10th April 2019 [status]awaiting-review[/on]",
            "h.txt: found 'awaiting-review[/on]'; at line 1, character 29: expected the status to end with '[/status]'",
        ),
        (
            "[on]10th April 2019 [status]awaiting-review[/status]",
            "h.txt: found ''; at line 1, character 53: expected '[status]', '[comment]' or '[/on]' inside the entry",
        ),
        (
            "[on]10th April 2019 [status]x[/status][/on]\nnotes [on]4th June 2019 [status]y[/status][/on]",
            "h.txt: found 'notes [on]4th June 2019 [status]y[/statu'; at line 2, character 1: "
            "expected '[on]' to start an entry",
        ),
        (
            "[on]10th April 2019 [/on]",
            "h.txt: found '10th April 2019 [/on]'; at line 1, character 5: expected a [status] or a [comment]",
        ),
        (
            "[on]10th April 2019 [status] [/status][/on]",
            "h.txt: found '[status] [/status][/on]'; at line 1, character 21: expected text inside [status]",
        ),
        (
            "[on]10th April 2019 [status]a[/status][status]b[/status][/on]",
            "h.txt: found '[status]b[/status][/on]'; at line 1, character 39: expected one [status] per entry",
        ),
        (
            "[on]10th April 2019 [comment]unclosed [on]4th June 2019 [comment]x[/comment][/on]",
            "h.txt: found 'unclosed [on]4th June 2019 [comment]x[/c'; at line 1, character 30: "
            "expected the comment to end with '[/comment]'",
        ),
        (
            "[on]10th April 2019 [on]4th June 2019 [status]x[/status][/on]",
            "at line 1, character 21: expected '[status]', '[comment]' or '[/on]' inside the entry",
        ),
        ("[on]10th April 2019", "at line 1, character 5: expected the entry to end with '[/on]'"),
        ("[status]x[/status]", "at line 1, character 1: expected '[on]' to start an entry"),
    ],
)
def test_malformed_text_is_refused_with_its_position(text, message):
    entries, problems = parse(text, file="h.txt")
    assert entries == []
    assert len(problems) == 1
    assert message in str(problems[0])


def test_every_bad_date_is_reported_and_nothing_is_returned():
    text = "[on]32nd April 2019 [status]a[/status][/on]\n[on]4th June 2019 [status]b[/status][/on]\n[on]2nd Foo 2019 [status]c[/status][/on]"
    entries, problems = parse(text, file="h.txt")
    assert entries == []
    assert [p.expected.split(":")[0] for p in problems] == ["at line 1, character 5", "at line 3, character 5"]
    assert [p.found for p in problems] == ["32nd April 2019", "2nd Foo 2019"]


def test_a_history_in_a_spreadsheet_cell_is_placed_by_sheet_row_and_column():
    _, problems = parse(
        "[on]someday [status]x[/status][/on]", file="tracker.xlsx", sheet="2019", row=7, column="History"
    )
    assert str(problems[0]) == (
        "tracker.xlsx, sheet '2019', row 7, column 'History': found 'someday'; at line 1, character 5: "
        "expected a date such as '10th April 2019' (or 10/04/2019)"
    )
