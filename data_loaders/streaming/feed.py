"""Feeding zip members through expat, shared by the ODS and XLSX readers.

``_Feed`` streams one member into a parser chunk by chunk; the parser's handlers append to a row
queue (rows, blank-row counts, ``_Repeat``, and ``_SheetStart`` / ``_SHEET_END`` markers), which
``_read_to_the_end`` hands out as ``StreamedSheet`` objects.
"""

from __future__ import annotations

import contextlib
import inspect
import zipfile
import zlib
from collections.abc import Callable, Iterator
from xml.parsers import expat

from data_loaders.streaming.base import CHUNK_SIZE, StreamedSheet, StreamError, _member_info


class _Repeat:
    """``count`` copies of ``row`` in the row queue: a repeated row is expanded only as it is read."""

    __slots__ = ("row", "count")

    def __init__(self, row: list[object], count: int) -> None:
        self.row = row
        self.count = count


class _SheetStart:
    __slots__ = ("name",)

    def __init__(self, name: str | None) -> None:
        self.name = name


_SHEET_END = object()


class _Skip(Exception):
    """Thrown into a sheet's rows when the caller moves on: the rest of the sheet is passed over."""


# What reading a damaged archive member raises. zipfile raises a RuntimeError for an encrypted member, and one of
# its subclasses for a compression method it cannot decompress: either way the file cannot be read.
_UNREADABLE_MEMBER = (zipfile.BadZipFile, zlib.error, EOFError, OSError)
_UNOPENABLE_MEMBER = (*_UNREADABLE_MEMBER, RuntimeError)


def _interned(*names: str) -> dict[str, str]:
    """An intern table for expat: element and attribute names arrive as these very objects, so ``is`` compares them."""
    return {name: name for name in names}


class _Feed:
    """Streams one zip member into an expat parser chunk by chunk, turning every failure into ``StreamError``."""

    def __init__(
        self,
        archive: zipfile.ZipFile,
        member: str,
        kind: str,
        parser: expat.XMLParserType,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        self.label = f"{kind.upper()} file"
        self.on_end = on_end
        self.member = member
        self.parser = parser
        self.done = False
        try:
            self.stream = archive.open(_member_info(archive, member, kind))
        except _UNOPENABLE_MEMBER as exc:
            raise StreamError(f"the {self.label} is truncated or corrupt ({member}: {exc})") from exc

    def step(self) -> bool:
        """Parse the next chunk; False once the whole member has been parsed."""
        if self.done:
            return False
        parser = self.parser
        try:
            chunk = self.stream.read(CHUNK_SIZE)
            if chunk:
                parser.Parse(chunk, False)
            else:
                self.done = True
                parser.Parse(b"", True)
                self.stream.close()
                if self.on_end is not None:
                    self.on_end()
        except StreamError:
            raise
        except expat.ExpatError as exc:
            raise StreamError(f"the {self.label} is truncated or corrupt ({self.member}: {exc})") from exc
        except _UNREADABLE_MEMBER as exc:
            raise StreamError(f"the {self.label} is truncated or corrupt ({self.member}: {exc})") from exc
        except (ValueError, OverflowError, IndexError) as exc:
            line = parser.CurrentLineNumber
            raise StreamError(
                f"the {self.label} holds a value that cannot be read ({self.member}, line {line}: {exc})"
            ) from exc
        return True

    def close(self) -> None:
        """Stop: a sheet's rows iterated after this (the caller having moved on) simply end."""
        self.done = True
        self.stream.close()

    def parse_all(self) -> None:
        """Parse the whole member (for the small parts of a workbook: its sheet list, strings and styles)."""
        while self.step():
            pass


def _queued_sheets(feed: _Feed, queue: list[object]) -> Iterator[StreamedSheet]:
    """Sheets from a queue of ``_SheetStart`` markers, rows, blank-row counts, ``_Repeat`` and ``_SHEET_END``.

    The parser's handlers append to ``queue`` while a chunk is parsed; rows are handed out from a
    copy of it, so memory holds at most one chunk's worth of rows.
    """
    pending: list[object] = []

    def next_batch() -> list[object]:
        nonlocal pending
        while not pending:
            if not feed.step():
                return []
            pending = queue[:]
            queue.clear()
        batch, pending = pending, []
        return batch

    def sheet_rows() -> Iterator[list[object]]:
        nonlocal pending
        while True:
            batch = next_batch()
            if not batch:
                return
            index = 0
            try:
                for index, item in enumerate(batch):
                    if item.__class__ is list:
                        yield item
                    elif item.__class__ is int:
                        for _ in range(item):
                            yield []
                    elif item.__class__ is _Repeat:
                        row = item.row
                        for _ in range(item.count):
                            yield row[:]
                    else:  # the end of the sheet: what follows belongs to the next one
                        pending = batch[index + 1 :]
                        return
            except _Skip:
                pending = batch[index + 1 :]
                skip_rest()
                return

    def skip_rest() -> None:
        """Pass over what is left of the sheet without expanding its repeated rows: to its end, or the file's."""
        nonlocal pending
        while True:
            batch = next_batch()
            if not batch:
                return
            for index, item in enumerate(batch):
                if item is _SHEET_END:
                    pending = batch[index + 1 :]
                    return

    while True:
        batch = next_batch()
        if not batch:
            return
        start = batch[0]
        pending = batch[1:]
        if start.__class__ is not _SheetStart:
            continue  # rows outside a sheet (none in a valid file) are passed over
        rows = sheet_rows()
        if start.name is not None:
            yield StreamedSheet(start.name, rows)
        # Whatever the caller left of this sheet is passed over.
        state = inspect.getgeneratorstate(rows)
        if state == inspect.GEN_CREATED:
            rows.close()
            skip_rest()
        elif state == inspect.GEN_SUSPENDED:
            with contextlib.suppress(StopIteration):
                rows.throw(_Skip())


def _read_to_the_end(feed: _Feed, queue: list[object]) -> Iterator[StreamedSheet]:
    """The sheets of one member, closing it once read or on an error.

    A caller that stops early (``next(iter_sheets(path))``) may still read the sheet it holds:
    the member stays open for that sheet's rows and is closed when they and the sheet are gone.
    """
    try:
        yield from _queued_sheets(feed, queue)
    except GeneratorExit:
        raise
    except BaseException:
        feed.close()
        raise
    feed.close()
