"""Checks on a table's rows once read: cells parsed column by column, keys that repeat, the refusal of a file.

A source module (``data_loaders/sources``) parses its columns with :func:`parse_columns`, adds the
problems of its own rules (:class:`Unique` for keys that may appear once), and returns
:func:`refusal` when any was found; a table read in chunks keeps its configured rows in a
:class:`ConfiguredRows`. Every problem names the file, sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_loaders.refusals import Problem, ProblemList
from data_loaders.tables import display_cell, is_blank


def parse_cells(values: Iterable[object], parser) -> list[tuple[object, str | None]]:
    """Parse each distinct cell once: the national tables repeat a few values thousands of times.

    Cells are told apart by type as well as value (``1``, ``1.0`` and ``True`` are equal in Python
    but not the same cell), so values are grouped by type before they are factorised.
    """
    cells = values if isinstance(values, list) else list(values)
    if not cells:
        return []
    kinds = {type(cell) for cell in cells}
    if len(kinds) > 1 and not kinds <= {str, type(None)} and not kinds <= {float, type(None)}:
        cache: dict[tuple[type, object], tuple[object, str | None]] = {}
        out = []
        for value in cells:
            key = (type(value), value)
            if key not in cache:
                cache[key] = parser(value)
            out.append(cache[key])
        return out
    codes, uniques = pd.factorize(np.asarray(cells, dtype=object), use_na_sentinel=False)
    parsed = [parser(value) for value in uniques]
    out = Parsed(parsed[code] for code in codes)
    out.failed = any(reason is not None for _, reason in parsed)
    return out


class Parsed(list):
    """Parsed cells, with ``failed``: whether any cell gave a reason instead of a value (known without a pass)."""

    failed: bool | None = None


@dataclass(frozen=True)
class Unique:
    """The rule that each row's ``keys`` appear once in a file, ``what`` naming them ("each force and year").

    ``column`` is the key of the column a repeat is reported in, and ``found(row)`` writes the repeated key as
    the file shows it.
    """

    keys: tuple[str, ...]
    what: str
    column: str
    found: Callable[[pd.Series], str]

    def problems(self, typed: pd.DataFrame, file: str, headers: dict, labels: dict[str, str]) -> list[Problem]:
        """A problem for each row of ``typed`` that repeats an earlier row's keys (see :func:`repeat_problems`)."""
        column = headers.get(self.column, labels[self.column])
        return repeat_problems(typed, self.keys, file=file, what=self.what, column=column, found=self.found)


def repeat_problems(
    typed: pd.DataFrame, keys: Sequence[str], *, file: str, what: str, column: str, found, rule: str | None = None
) -> list[Problem]:
    """A problem for each row whose ``keys`` repeat an earlier row's: counted twice, a figure would be doubled.

    ``what`` names the keys ("each force and year"), or ``rule`` says the whole rule; ``found(row)``
    writes the repeated key as the file shows it. Rows with a key missing are left to the cell checks.
    """
    complete = typed.dropna(subset=list(keys))
    repeated = complete[complete.duplicated(list(keys), keep="first")]
    if repeated.empty:
        return []
    first_rows = complete.drop_duplicates(list(keys), keep="first").set_index(list(keys))["_row"]
    return [
        Problem(
            file,
            f"{rule or what + ' may appear once'}; this repeats row {int(first_rows.loc[tuple(row[k] for k in keys)])}",
            sheet=row["_sheet"],
            row=int(row["_row"]),
            column=column,
            found=found(row),
        )
        for _, row in repeated.iterrows()
    ]


def cell_problems(frame: pd.DataFrame, key: str, parsed: list[tuple[object, str | None]], column: str) -> list[Problem]:
    """A problem for each cell of ``frame[key]`` whose parse gave a reason instead of a value."""
    failed = getattr(parsed, "failed", None)
    if failed is False or (failed is None and all(reason is None for _, reason in parsed)):
        return []
    file = frame.attrs.get("file", "file")
    problems = []
    for (_, reason), cell, sheet, row in zip(parsed, frame[key], frame["_sheet"], frame["_row"], strict=True):
        if reason is not None:
            found = "" if is_blank(cell) else display_cell(cell)
            problems.append(Problem(file, reason, sheet=sheet, row=int(row), column=column, found=found))
    return problems


def parse_columns(
    frame: pd.DataFrame, parsers: dict[str, Callable], labels: dict[str, str]
) -> tuple[dict[str, list], list[Problem]]:
    """Each column ``parsers`` names, parsed cell by cell: the values (None where refused) and the problems.

    A problem names its column as the file heads it, or by its label in ``labels`` where no header is known.
    """
    headers = frame.attrs.get("headers", {})
    values: dict[str, list] = {}
    problems: list[Problem] = []
    for key, parser in parsers.items():
        parsed = parse_cells(frame[key], parser)
        problems.extend(cell_problems(frame, key, parsed, headers.get(key, labels[key])))
        values[key] = [value for value, _ in parsed]
    return values, problems


def refusal(
    rows: pd.DataFrame, problems: list[Problem], file: str, rows_read: int | None = None
) -> tuple[pd.DataFrame, list[Problem]] | None:
    """What a loader's ``clean`` gives for a file it refuses: no rows and every problem; None when none was found.

    A table with a header but no data rows (``rows_read``, else as many as ``rows``) is refused as well.
    """
    if not problems and (len(rows) if rows_read is None else rows_read):
        return None
    return rows.iloc[0:0], problems or [Problem(file, "the table has a header but no data rows")]


class ConfiguredRows:
    """A table read in chunks: its rows of configured offence codes, the other codes seen, and the problems found."""

    def __init__(self) -> None:
        self.kept: list[pd.DataFrame] = []
        self.other: set[str] = set()
        self.problems = ProblemList()
        self.rows_read = 0

    def add(self, frame: pd.DataFrame, typed: pd.DataFrame, found: Iterable[Problem]) -> bool:
        """Take one chunk (``frame`` as read, ``typed`` with ``offence_code`` and ``published_code``); False once
        its problems are enough to refuse the file, so the reader stops."""
        self.problems.extend(found)
        self.kept.append(typed[typed["offence_code"].notna()])
        self.other.update(typed.loc[typed["offence_code"].isna(), "published_code"])
        self.rows_read += len(typed)
        if self.problems.full:
            self.problems.stop_after(frame)
            return False
        return True

    def frame(self, columns: list[str]) -> pd.DataFrame:
        """The configured rows of every chunk taken, or an empty table of ``columns``."""
        return pd.concat(self.kept, ignore_index=True) if self.kept else pd.DataFrame(columns=columns)
