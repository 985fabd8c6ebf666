"""How many cells each sheet of an ODS or XLSX file spans, counted from its XML as it is decompressed.

A workbook read whole (python-calamine's ``to_python``) takes memory for every cell of the rectangle
from the top-left corner to the last filled row and column of each sheet, filled or not: 8 million
small cells in 222 MB of XML took 775 MB, and one number at ``ZZZ100000`` (a file of a kilobyte)
asks for 58 GB, which ends the process. ``sheet_spans`` finds each sheet's rows and columns without
parsing the XML: the worksheet text is searched chunk by chunk for row and cell tags (and an ODS's
repeated rows and cells are expanded as calamine expands them), in memory of one chunk, and the count
stops once the sheets span more than a limit. It errs on the large side (an empty styled cell counts
as filled, and so does an ODS row's last cell when the row holds any value).
"""

from __future__ import annotations

import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from data_loaders.streaming.base import CHUNK_SIZE, PathLike, StreamError, _member_info, _open_zip
from data_loaders.streaming.feed import _UNOPENABLE_MEMBER
from data_loaders.streaming.xlsx import _column_index, _xlsx_sheet_list


@dataclass(frozen=True)
class SheetSpan:
    """One sheet's extent: its rows down to the last filled one, its columns across to the widest filled one."""

    name: str | None
    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


@dataclass
class Spans:
    """The sheets of a workbook as counted; ``complete`` is False when the count stopped at the limit."""

    sheets: list[SheetSpan] = field(default_factory=list)
    complete: bool = True

    @property
    def cells(self) -> int:
        return sum(sheet.cells for sheet in self.sheets)

    def largest(self) -> SheetSpan | None:
        return max(self.sheets, key=lambda sheet: sheet.cells, default=None)


def sheet_spans(path: PathLike, fmt: str, limit: int | None = None) -> Spans:
    """The span of every sheet of an ODS or XLSX file (``fmt``); counting stops once the total is over ``limit``.

    When it stops, the sheet being counted is given as far as it was counted and the later sheets are
    still listed, with no cells counted (an ODS's found by a search of the rest of its text), so a
    caller knows how many sheets there are (``limit=0`` for the list alone). Raises ``StreamError`` for
    a file that cannot be read.
    """
    path = Path(path)
    with _open_zip(path, fmt) as archive:
        if fmt == "ods":
            return _ods_spans(archive, limit)
        return _xlsx_spans(archive, limit)


def _chunks(archive: zipfile.ZipFile, member: str, kind: str):
    """The member's bytes, each chunk cut after its last ``<`` so that no tag is split (the rest goes on the next)."""
    try:
        stream = archive.open(_member_info(archive, member, kind))
    except _UNOPENABLE_MEMBER as exc:
        raise StreamError(f"the {kind.upper()} file is truncated or corrupt ({member}: {exc})") from exc
    carry = b""
    with stream:
        while True:
            try:
                chunk = stream.read(CHUNK_SIZE)
            except _UNOPENABLE_MEMBER as exc:
                raise StreamError(f"the {kind.upper()} file is truncated or corrupt ({member}: {exc})") from exc
            if not chunk:
                break
            text = carry + chunk
            cut = text.rfind(b"<")
            if cut <= 0:
                carry = b""
                yield text
            else:
                carry = text[cut:]
                yield text[:cut]
    if carry:
        yield carry


# ---- XLSX: each worksheet is a member of its own; cells name their place (r="AB12") -------------------------

ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")


def _row_number(digits: bytes) -> int:
    """A row number, however far beyond the largest sheet (a whole read would try to reach it): at most 10**12."""
    return int(digits) if len(digits) <= 12 else 10**12


class _XlsxCount:
    """The patterns of one worksheet's tags, with the namespace prefix its root element uses (usually none).

    The common case is searched for with literal patterns (``<c r="AB12"``, as every application writes a
    cell); a chunk holding other cells (the reference after another attribute, or none) is searched again
    with slower ones.
    """

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.row = re.compile(rb"<" + p + rb'row\s[^>]*?r="(\d+)"')
        self.cell_tag = b"<" + prefix + b"c "
        self.bare_cell = b"<" + prefix + b"c>"
        self.row_tag = b"<" + prefix + b"row"
        self.cell = re.compile(rb"<" + p + rb'c r="([A-Za-z]{1,4})')
        self.any_cell = re.compile(rb"<" + p + rb'c\s(?:[^>]*?\s)?r="([A-Za-z]{1,4})')
        self.rows = self.columns = 0

    def feed(self, text: bytes) -> None:
        numbers = self.row.findall(text)
        if numbers:
            self.rows = max(self.rows, max(_row_number(number) for number in numbers))
        # A cell's reference names its row too, which a hostile file may make larger than its row element's:
        # references with more digits than the largest row seen are looked for (none in a file as written).
        longer = re.findall(rb'r="[A-Za-z]{1,4}(\d{%d,})"' % (len(str(self.rows)) + 1), text)
        if longer:
            self.rows = max(self.rows, max(_row_number(number) for number in longer))
        letters = self.cell.findall(text)
        tags = text.count(self.cell_tag)
        if len(letters) != tags:
            letters = self.any_cell.findall(text)
        if letters:
            widest = max(_column_index(item.decode()) + 1 for item in set(letters))
            self.columns = max(self.columns, widest)
        if len(letters) != tags or self.bare_cell in text:
            # Cells without a reference follow one another from the row's start: the most in one row counts.
            for row in text.split(self.row_tag):
                self.columns = max(self.columns, row.count(self.cell_tag) + row.count(self.bare_cell))


def _xlsx_spans(archive: zipfile.ZipFile, limit: int | None) -> Spans:
    spans = Spans()
    done = 0
    sheets = _xlsx_sheet_list(archive)
    for position, (name, member) in enumerate(sheets):
        count = None
        for text in _chunks(archive, member, "xlsx"):
            if count is None:
                root = ROOT.search(text)
                count = _XlsxCount(root[1] or b"" if root else b"")
            count.feed(text)
            if limit is not None and done + count.rows * count.columns > limit:
                spans.sheets.append(SheetSpan(name, count.rows, count.columns))
                spans.sheets += [SheetSpan(later, 0, 0) for later, _ in sheets[position + 1 :]]
                spans.complete = False
                return spans
        rows, columns = (count.rows, count.columns) if count else (0, 0)
        spans.sheets.append(SheetSpan(name, rows, columns))
        done += rows * columns
    return spans


# ---- ODS: every sheet in content.xml; rows and cells may be repeated -----------------------------------------

ODS_SHEET = re.compile(rb"<table:table(?=[\s>/])([^>]*)>")
ODS_NAME = re.compile(rb"""table:name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
ODS_ROW = b"<table:table-row"
ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s>/])([^>]*?)(/?)>")
ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d{1,12})"')
COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d{1,12})"')


class _OdsCount:
    """The running count of ``content.xml``: the sheets done, the sheet and the row being read."""

    def __init__(self) -> None:
        self.sheets: list[SheetSpan] = []
        self.name: str | None = None
        self.in_sheet = False
        self.rows = self.columns = self.blank = 0
        self.in_row = False
        self.repeat = 1
        self.cells = self.filled = 0  # the row's cells so far, and those up to its last filled one

    @property
    def total(self) -> int:
        return sum(sheet.cells for sheet in self.sheets) + self.rows * self.columns

    def row_text(self, text: bytes) -> None:
        """Count the cells in a part of a row's content."""
        if b"repeated" not in text:
            found = text.count(b"<table:table-cell") + text.count(b"<table:covered-table-cell")
            self.cells += found
            if found and (b"value-type" in text or b"<text:p" in text):
                self.filled = self.cells
            return
        for match in ODS_CELL.finditer(text):
            repeated = COLUMNS_REPEATED.search(match[1])
            self.cells += int(repeated[1]) if repeated else 1
            if b"value-type" in match[1] or not match[2]:
                self.filled = self.cells

    def end_row(self) -> None:
        if self.in_row:
            if self.filled:
                self.rows += self.blank + self.repeat
                self.blank = 0
                self.columns = max(self.columns, self.filled)
            else:  # empty rows count only when a filled row follows them (calamine gives no trailing ones)
                self.blank += self.repeat
        self.in_row = False
        self.cells = self.filled = 0

    def end_sheet(self) -> None:
        self.end_row()
        if self.in_sheet:
            self.sheets.append(SheetSpan(self.name, self.rows, self.columns))
        self.in_sheet = False
        self.rows = self.columns = self.blank = 0

    def start_sheet(self, attributes: bytes) -> None:
        self.end_sheet()
        self.in_sheet = True
        self.name = _sheet_name(attributes)

    def text(self, text: bytes) -> None:
        """Count a part of a sheet's content (between sheet tags): rows begin at each row tag."""
        pieces = text.split(ODS_ROW)
        if self.in_row:
            self.row_text(pieces[0])
        if len(pieces) > 2 and b"repeated" not in text and b"covered-table-cell" not in text:
            # Nothing repeated (the common case): every row but the last, still open, is counted in one pass, each
            # as filled and as wide as its cells (a row group's tag counts as a row): a few more than a whole read.
            self.end_row()
            widths = list(map(bytes.count, pieces[1:-1], itertools.repeat(b"<table:table-cell")))
            self.rows += self.blank + len(widths)
            self.blank = 0
            self.columns = max(self.columns, *widths)
            pieces = pieces[-2:]
        for piece in pieces[1:]:
            self.end_row()
            end = piece.find(b">")
            attributes = piece[:end] if end >= 0 else piece
            if attributes[:1] not in (b" ", b"\t", b"\n", b"\r", b">", b"/", b""):
                continue  # <table:table-rows> or <table:table-row-group>, not a row
            repeated = ROWS_REPEATED.search(attributes)
            self.in_row = True
            self.repeat = int(repeated[1]) if repeated else 1
            if end >= 0:
                self.row_text(piece[end + 1 :])

    def feed(self, text: bytes) -> None:
        position = 0
        for match in ODS_SHEET.finditer(text):
            self.text(text[position : match.start()])
            self.start_sheet(match[1])
            position = match.end()
        self.text(text[position:])


def _sheet_name(attributes: bytes) -> str | None:
    """A sheet's name from its tag's attributes (in either quotes, entities decoded), None when it has none."""
    from html import unescape

    found = ODS_NAME.search(attributes)
    if found is None:
        return None
    return unescape((found[1] if found[1] is not None else found[2]).decode("utf-8", "replace"))


def _ods_spans(archive: zipfile.ZipFile, limit: int | None) -> Spans:
    count = _OdsCount()
    chunks = _chunks(archive, "content.xml", "ods")
    for text in chunks:
        count.feed(text)
        if limit is not None and count.total > limit:
            # Stop counting; the rest is searched for sheet names only, so the sheets are all known.
            count.end_sheet()
            spans = Spans(count.sheets, complete=False)
            for rest in chunks:
                for match in ODS_SHEET.finditer(rest):
                    spans.sheets.append(SheetSpan(_sheet_name(match[1]), 0, 0))
            return spans
    count.end_sheet()
    return Spans(count.sheets)
