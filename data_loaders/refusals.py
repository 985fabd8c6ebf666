"""Why a file is refused: each :class:`Problem` placed where a spreadsheet user would find it, and the refusal.

Every loader reports through these, so every refusal reads the same way on the command line and the
Data page: the file, sheet, row (as a spreadsheet counts it) and column, the value found and what was
expected. A refused load writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

MAX_LISTED_PROBLEMS = 200
# A file read in chunks keeps this many problems in memory and counts the rest.
MAX_KEPT_PROBLEMS = 10_000


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused, located as a spreadsheet user would find it."""

    file: str
    expected: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    found: str | None = None
    # A note on the refusal as a whole (how many problems were not kept, where reading stopped): always listed.
    overall: bool = False

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        found = f"found {self.found!r}; " if self.found is not None else ""
        return f"{', '.join(where)}: {found}{self.expected}"


class LoadRefused(Exception):
    """A file (or set of files) was refused; nothing was written."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        """Every problem on its own line (the first 200, then a count of the rest), and the notes on the whole."""
        listed = [p for p in self.problems if not p.overall]
        shown = [f"- {p}" for p in listed[:MAX_LISTED_PROBLEMS]]
        more = len(listed) - MAX_LISTED_PROBLEMS
        if more > 0:
            shown.append(f"- ... and {more:,} more problems of the same kinds")
        shown += [f"- {p}" for p in self.problems if p.overall]
        count = len(listed)
        head = f"Refused: {count:,} problem{'s' if count != 1 else ''}; nothing was written."
        return "\n".join([head, *shown])

    @classmethod
    def one(cls, file: str, expected: str, **where) -> LoadRefused:
        """A refusal for one problem; ``where`` takes the ``sheet``, ``row``, ``column`` and ``found`` of a Problem."""
        return cls([Problem(file, expected, **where)])


class ProblemList(list):
    """Problems gathered from a file read in chunks: the first ``MAX_KEPT_PROBLEMS`` kept, the rest counted.

    Once that many are kept the file is refused whatever follows, so a reader stops there (``stop_after``)
    rather than read and check the rest: a sheet of a million rows of nonsense is refused in the time of a chunk.
    """

    def __init__(self) -> None:
        super().__init__()
        self.more = 0
        self.stopped: tuple[str | None, int] | None = None

    @property
    def full(self) -> bool:
        return len(self) >= MAX_KEPT_PROBLEMS

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            if len(self) < MAX_KEPT_PROBLEMS:
                self.append(problem)
            else:
                self.more += 1

    def stop_after(self, frame: pd.DataFrame) -> None:
        """Note that reading stopped after the last row of ``frame`` (a chunk with ``_sheet`` and ``_row``)."""
        if len(frame):
            self.stopped = (frame["_sheet"].iloc[-1], int(frame["_row"].iloc[-1]))

    def closed(self, file: str) -> list[Problem]:
        """The problems kept, then notes on the whole: how many more were counted but not kept, where reading stopped."""
        closing = [*self]
        if self.more:
            closing.append(
                Problem(
                    file,
                    f"{self.more:,} more problems after the first {MAX_KEPT_PROBLEMS:,} were counted but not kept",
                    overall=True,
                )
            )
        if self.stopped:
            sheet, row = self.stopped
            closing.append(
                Problem(
                    file,
                    f"the file was read no further than this row: {MAX_KEPT_PROBLEMS:,} problems are enough to "
                    "refuse it",
                    sheet=sheet,
                    row=row,
                    overall=True,
                )
            )
        return closing
