"""HMICFRS-style status history of a recommendation: dated entries with a status and/or a comment.

HMICFRS's recommendation tracker writes each entry as a date inside ``[on]...[/on]``, followed
by ``[status]...[/status]`` and/or ``[comment]...[/comment]``::

    [on]10th April 2019 [status]awaiting-review[/status][/on]
    [on]4th June 2019 [comment]Progress is being made.[/comment][/on]

The status is kept as written; its category comes from the settings when the history is stored.

>>> [e.status or e.comment for e in parse("[on]10th April 2019 [status]awaiting-review[/status][/on]")[0]]
['awaiting-review']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from data_loaders import periods
from data_loaders.refusals import Problem

# Possessive (``*+``): the white space before and after an optional "/" is taken once, never re-split.
TAG = re.compile(r"\[\s*+(/?)\s*+(on|status|comment)\s*+\]", re.IGNORECASE)
EXPECTED_DATE = "expected a date such as '10th April 2019' (or 10/04/2019)"


@dataclass(frozen=True)
class HistoryEntry:
    """One dated entry of a recommendation's history, in the order the source lists them."""

    date: dt.date
    status: str | None
    comment: str | None


def parse_date(text: str) -> dt.date | None:
    """A date written '10th April 2019', '4 June 2019', '10/04/2019' (day first) or '2019-04-10'."""
    return periods.parse_day(text)


class _Cursor:
    """Walks the text and turns a position into a located problem."""

    def __init__(self, text: str, file: str, sheet: str | None, row: int | None, column: str | None):
        self.text, self.file, self.sheet, self.row, self.column = text, file, sheet, row, column
        self.pos = 0

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def tag_here(self) -> re.Match[str] | None:
        return TAG.match(self.text, self.pos)

    def problem(self, position: int, expected: str, found: str | None = None) -> Problem:
        line = self.text.count("\n", 0, position) + 1
        character = position - (self.text.rfind("\n", 0, position) + 1) + 1
        if found is None:
            found = self.text[position : position + 40].split("\n")[0] if position < len(self.text) else ""
        return Problem(
            self.file,
            f"at line {line}, character {character}: {expected}",
            sheet=self.sheet,
            row=self.row,
            column=self.column,
            found=found,
        )


def _closing(cursor: _Cursor, name: str, start: int) -> tuple[str | None, Problem | None]:
    """The text up to ``[/name]`` from ``start``; the cursor moves past the closing tag."""
    for match in TAG.finditer(cursor.text, start):
        if match.group(2).lower() != name:
            if match.group(2).lower() == "on":
                break
            continue
        if match.group(1):
            cursor.pos = match.end()
            return cursor.text[start : match.start()].strip(), None
        break
    return None, cursor.problem(start, f"expected the {name} to end with '[/{name}]'")


def _entry(cursor: _Cursor, problems: list[Problem]) -> tuple[HistoryEntry | None, bool]:
    """One ``[on]...[/on]`` entry from the cursor (just after ``[on]``), and whether reading must stop.

    A date that cannot be read is a problem, but the entry's structure is still followed so that
    every bad date is reported; a broken structure stops the reading.
    """
    date_start = cursor.pos
    next_tag = TAG.search(cursor.text, cursor.pos)
    if next_tag is None:
        problems.append(cursor.problem(date_start, "expected the entry to end with '[/on]'"))
        return None, True
    date_text = cursor.text[date_start : next_tag.start()]
    day = parse_date(date_text)
    if day is None:
        offset = date_start + len(date_text) - len(date_text.lstrip())
        problems.append(cursor.problem(offset, EXPECTED_DATE, found=date_text.strip()))
    cursor.pos = next_tag.start()
    parts: dict[str, str] = {}
    while True:
        cursor.skip_space()
        tag = cursor.tag_here()
        if tag is not None and tag.group(1) and tag.group(2).lower() == "on":
            cursor.pos = tag.end()
            break
        if tag is None or tag.group(1) or tag.group(2).lower() == "on":
            problems.append(cursor.problem(cursor.pos, "expected '[status]', '[comment]' or '[/on]' inside the entry"))
            return None, True
        name = tag.group(2).lower()
        if name in parts:
            problems.append(cursor.problem(cursor.pos, f"expected one [{name}] per entry; this entry has two"))
            return None, True
        content, problem = _closing(cursor, name, tag.end())
        if problem:
            problems.append(problem)
            return None, True
        if not content:
            problems.append(cursor.problem(tag.start(), f"expected text inside [{name}]...[/{name}]"))
            return None, True
        parts[name] = content
    if not parts:
        problems.append(cursor.problem(date_start, "expected a [status] or a [comment] in the entry"))
        return None, True
    if day is None:
        return None, False
    return HistoryEntry(day, parts.get("status"), parts.get("comment")), False


def parse(
    text: str,
    *,
    file: str = "history",
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> tuple[list[HistoryEntry], list[Problem]]:
    """The entries of a history text in source order, or no entries and the problems found.

    Problems give the line and character where reading failed; ``sheet``, ``row`` and ``column``
    place a history that sits in a spreadsheet cell.
    """
    cursor = _Cursor(text or "", file, sheet, row, column)
    entries: list[HistoryEntry] = []
    problems: list[Problem] = []
    cursor.skip_space()
    if cursor.pos >= len(cursor.text):
        return [], [
            cursor.problem(0, "expected at least one entry such as '[on]10th April 2019 [status]...[/status][/on]'")
        ]
    while cursor.pos < len(cursor.text):
        tag = cursor.tag_here()
        if tag is None or tag.group(1) or tag.group(2).lower() != "on":
            problems.append(cursor.problem(cursor.pos, "expected '[on]' to start an entry"))
            break
        cursor.pos = tag.end()
        entry, stop = _entry(cursor, problems)
        if stop:
            break
        if entry is not None:
            entries.append(entry)
        cursor.skip_space()
    return ([], problems) if problems else (entries, [])
