"""Reading published tables row by row, in memory that does not grow with the number of rows.

The community safety partnership editions of the recorded crime tables hold over a gigabyte of
XML; reading them whole (as ``tables.open_workbook`` does with python-calamine) takes memory in
proportion (1.6 GB for a synthetic 1 GB edition; see ``benchmarks/streaming_memory.py``).
``iter_sheets`` streams the worksheet XML out of the zip in chunks through expat instead, in about
25 MB whatever the size, and gives the cells exactly as python-calamine's
``to_python(skip_empty_area=False)`` does (numbers as floats, dates as ``datetime.date`` or
``datetime.datetime``, empty cells as ""), so the same parsers read either. By design:

- rows are not padded to the width of the sheet: an ODS or XLSX row ends at its last non-empty
  cell (an empty row is ``[]``), a CSV row is as ``csv.reader`` splits it;
- trailing empty rows are not given (calamine gives none either, but an ODS sheet often claims a
  million repeated empty rows below its data);
- repeated cells and rows are expanded no further than the largest sheet an application makes
  (16,384 columns, 1,048,576 rows), where calamine would expand them all;
- some cells calamine refuses (or in XLSX reads as text) are read: a number with spaces round it
  or digits grouped with "_" (as Python's ``float`` reads them), an elapsed time too long for
  ``datetime.timedelta`` (given as the number); so is indented ODS XML, which calamine refuses;
- an XLSX sheet whose rows are out of order is refused, as rows cannot be put back in order without
  holding them all.

>>> for sheet in iter_sheets("prc-csp-mar21-mar26-tables-230726.ods"):  # doctest: +SKIP
...     header = next(sheet.rows)
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import math
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

CHUNK_SIZE = 1 << 20
# The largest sheet a spreadsheet application makes: repeated cells and rows are expanded no further.
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
CSV_FIELD_LIMIT = 1 << 20
CSV_SNIFF_CHARS = 20_000
CSV_BATCH_ROWS = 1024

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
PathLike = str | os.PathLike[str]


class StreamError(ValueError):
    """A file could not be streamed: it is not a spreadsheet this module reads, or it is truncated or corrupt."""


@dataclass(frozen=True)
class StreamedSheet:
    """One sheet (or a CSV file) whose rows are read as they are iterated, once, in file order."""

    name: str | None
    rows: Iterator[list[object]]


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


# ---- the entry points --------------------------------------------------------------------------


def iter_sheets(path: PathLike) -> Iterator[StreamedSheet]:
    """The sheets of an ODS, XLSX or CSV file, each with its rows read lazily as they are iterated.

    The sheets come in file order; moving on to the next sheet skips what is left of the current
    one. The file's format is told from its bytes, not its name; an unreadable file raises
    ``StreamError`` here, a corrupt or truncated one while it is read.
    """
    path = Path(path)
    kind = _format_of(path)
    if kind == "ods":
        return _ods_sheets(path)
    if kind == "xlsx":
        return _xlsx_sheets(path)
    return _csv_sheets(path)


def xml_size(path: PathLike) -> int:
    """The uncompressed size in bytes of a file's worksheet XML, from the zip directory (a CSV's own size).

    Nothing is decompressed, so a caller can choose in an instant between reading a file whole
    (fast for small files) and streaming it (bounded memory for large ones).
    """
    path = Path(path)
    kind = _format_of(path)
    if kind == "csv":
        return path.stat().st_size
    with _open_zip(path, kind) as archive:
        if kind == "ods":
            return _member_info(archive, "content.xml", kind).file_size
        return sum(
            info.file_size
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        )


# ---- telling the format ------------------------------------------------------------------------


def _format_of(path: Path) -> str:
    """The file's format, "ods", "xlsx" or "csv", from its first bytes and, for a zip, its directory."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise StreamError(f"the file could not be opened ({exc.strerror or exc})") from exc
    if head.startswith(b"PK\x03\x04"):
        guess = _zip_guess(head, path)
        with _open_zip(path, guess) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.read("mimetype").strip() == ODS_MIMETYPE:
                    return "ods"
            elif "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
                return "xlsx"
        raise StreamError("the file is a zip archive but not an ODS or XLSX spreadsheet")
    if head.startswith(OLE_SIGNATURE):
        raise StreamError("the file is an old binary Excel (XLS) workbook, which cannot be streamed; save it as XLSX")
    if b"\x00" in head and not head.startswith(UTF16_BOMS):
        raise StreamError("the file is not a spreadsheet or a text (CSV) table")
    return "csv"


def _zip_guess(head: bytes, path: Path) -> str:
    """What a zip that may be too damaged to open claims to be, for messages: ODS files start with their mimetype."""
    if head[30:38] == b"mimetype" and ODS_MIMETYPE in head[:200]:
        return "ods"
    if b"[Content_Types].xml" in head or b"xl/" in head:
        return "xlsx"
    return path.suffix.lstrip(".").lower() or "zip"


def _open_zip(path: Path, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise StreamError(f"the {kind.upper()} file is truncated or corrupt ({exc})") from exc


def _member_info(archive: zipfile.ZipFile, name: str, kind: str) -> zipfile.ZipInfo:
    try:
        return archive.getinfo(name)
    except KeyError as exc:
        raise StreamError(f"the {kind.upper()} file has no {name}; it is not a complete spreadsheet") from exc


# ---- feeding XML through expat -----------------------------------------------------------------


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
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
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
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
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
        for _ in rows:  # whatever the caller left of this sheet
            pass


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


# ---- ODS ---------------------------------------------------------------------------------------

TABLE = "table:table"
ROW = "table:table-row"
CELL = "table:table-cell"
COVERED = "table:covered-table-cell"
PARAGRAPH = "text:p"
SPACES = "text:s"
ANNOTATION = "office:annotation"
TABLE_NAME = "table:name"
ROWS_REPEATED = "table:number-rows-repeated"
COLUMNS_REPEATED = "table:number-columns-repeated"
VALUE_TYPE = "office:value-type"
VALUE = "office:value"
STRING_VALUE = "office:string-value"
DATE_VALUE = "office:date-value"
TIME_VALUE = "office:time-value"
BOOLEAN_VALUE = "office:boolean-value"
SPACE_COUNT = "text:c"
ODS_NAMES = (
    TABLE,
    ROW,
    CELL,
    COVERED,
    PARAGRAPH,
    SPACES,
    ANNOTATION,
    TABLE_NAME,
    ROWS_REPEATED,
    COLUMNS_REPEATED,
    VALUE_TYPE,
    VALUE,
    STRING_VALUE,
    DATE_VALUE,
    TIME_VALUE,
    BOOLEAN_VALUE,
    SPACE_COUNT,
)
# A cell takes its value from the first of these attributes it carries (as calamine reads it).
ODS_VALUE_ATTRIBUTES = frozenset({VALUE, STRING_VALUE, DATE_VALUE, TIME_VALUE, BOOLEAN_VALUE})
NOT_FLOAT_VALUE = ODS_VALUE_ATTRIBUTES - {VALUE}
TEXT = object()  # the cell's value is the text of its paragraphs

ISO_DATETIME = re.compile(r"\s*\+?(\d+)-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?\s*")
ISO_DATE = re.compile(r"\s*\+?(\d+)-(\d{1,2})-(\d{1,2})\s*")
ISO_TIME = re.compile(r"\s*PT(\d{1,2})H(\d{1,2})M(\d{1,2})(?:\.(\d+))?S\s*")


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


def _ods_value(attributes: dict[str, str]) -> object:
    """A cell's value from its attributes, the first value attribute deciding; TEXT for a string cell, None if empty."""
    is_string = False
    for key, value in attributes.items():
        if key is VALUE:
            return float(value)
        if key is STRING_VALUE:
            return value
        if key is DATE_VALUE:
            return _iso_date_value(value)
        if key is TIME_VALUE:
            return _iso_time_value(value)
        if key is BOOLEAN_VALUE:
            return value == "true" or value == "TRUE"
        if key is VALUE_TYPE:
            is_string = value == "string"
    return TEXT if is_string else None


def _ods_sheets(path: Path) -> Iterator[StreamedSheet]:
    with _open_zip(path, "ods") as archive:
        manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in archive.namelist() else b""
        if b"encryption-data" in manifest:
            raise StreamError("the ODS file is password protected; save an unprotected copy to load it")
        queue: list[object] = []
        parser, finish = _ods_parser(queue)
        feed = _Feed(archive, "content.xml", "ods", parser, on_end=finish)
        yield from _read_to_the_end(feed, queue)


def _ods_parser(queue: list[object]) -> tuple[expat.XMLParserType, Callable[[], None]]:
    """An expat parser whose handlers turn ``content.xml`` into rows on ``queue``, and the call ending the last sheet.

    The handlers run for each of tens of millions of elements, so they are closures over plain
    local state that test the commonest elements first and create nothing per cell but its value.
    Python hears of the end of an element only inside a string cell (the end handler is set when
    one begins and cleared when it ends): a row ends when the next row or sheet begins or the
    document ends, and every other cell's value is known from its start tag.
    """
    parser = expat.ParserCreate(intern=_interned(*ODS_NAMES))
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parts: list[str] = []  # character data since the last string cell or row began
    append_text = parts.append
    row: list[object] = []
    in_row = False
    in_sheet = False
    empties = 0  # empty cells not yet placed: placed only if a value follows them in the row
    row_count = 1
    blank_rows = 0  # empty rows not yet queued: queued only if a row with values follows them
    in_text = False
    first_paragraph = True
    text_count = 1
    annotation_depth = 0

    def place(value: object, count: int) -> None:
        """Put ``count`` copies of a value after the pending empty cells, as far as the widest sheet reaches."""
        nonlocal empties
        room = MAX_COLUMNS - len(row) - empties
        if room > 0:
            if empties:
                row.extend([""] * empties)
            row.extend([value] * min(count, room))
        empties = 0

    def finish_row() -> None:
        nonlocal in_row, blank_rows
        in_row = False
        if row:
            if blank_rows:
                queue.append(blank_rows)
                blank_rows = 0
            queue.append(row if row_count == 1 else _Repeat(row, row_count))
        else:
            blank_rows = min(blank_rows + row_count, MAX_ROWS)

    def finish_sheet() -> None:
        nonlocal in_sheet, blank_rows
        if in_row:
            finish_row()
        if in_sheet:
            in_sheet = False
            blank_rows = 0  # trailing empty rows are never queued
            queue.append(_SHEET_END)

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal empties, in_text, first_paragraph, text_count, row, in_row, row_count, in_sheet, annotation_depth
        if name is CELL or name is COVERED:
            if not attributes:
                empties += 1
                return
            kind = attributes.get(VALUE_TYPE)
            # Spreadsheet applications write one value attribute, the one the type names; a cell with
            # any other (or more than one) is read attribute by attribute, as calamine reads it.
            if kind == "float" and VALUE in attributes and NOT_FLOAT_VALUE.isdisjoint(attributes):
                value: object = float(attributes[VALUE])
            elif kind == "string" and ODS_VALUE_ATTRIBUTES.isdisjoint(attributes):
                value = TEXT
            else:
                value = _ods_value(attributes)
            repeated = attributes.get(COLUMNS_REPEATED)
            if value is TEXT:
                in_text = True
                first_paragraph = True
                text_count = 1 if repeated is None else int(repeated)
                parts.clear()
                parser.EndElementHandler = end_text
            elif value is None or value.__class__ is str and not value:
                empties += 1 if repeated is None else int(repeated)
            elif repeated is None and not empties:
                row.append(value)
            else:
                place(value, 1 if repeated is None else int(repeated))
        elif name is PARAGRAPH:
            if in_text:
                if first_paragraph:
                    first_paragraph = False
                else:
                    append_text("\n")
        elif name is ROW:
            if in_row:
                finish_row()
            in_row = True
            row = []
            empties = 0
            repeated = attributes.get(ROWS_REPEATED)
            row_count = 1 if repeated is None else min(int(repeated), MAX_ROWS)
            parts.clear()
        elif name is SPACES:
            if in_text:
                append_text(" " * int(attributes.get(SPACE_COUNT, "1")))
        elif name is ANNOTATION:
            # A comment's text is not the cell's: everything up to the end of the annotation is passed over.
            annotation_depth = 1
            parser.StartElementHandler = skip_start
            parser.EndElementHandler = skip_end
            parser.CharacterDataHandler = None
        elif name is TABLE:
            finish_sheet()
            in_sheet = True
            queue.append(_SheetStart(attributes.get(TABLE_NAME)))

    def end_text(name: str) -> None:
        nonlocal empties, in_text
        if name is CELL or name is COVERED:
            in_text = False
            parser.EndElementHandler = None
            text = "".join(parts)
            if not text:
                empties += text_count
            elif text_count == 1 and not empties:
                row.append(text)
            else:
                place(text, text_count)

    def skip_start(name: str, attributes: dict[str, str]) -> None:
        nonlocal annotation_depth
        if name is ANNOTATION:
            annotation_depth += 1

    def skip_end(name: str) -> None:
        nonlocal annotation_depth
        if name is ANNOTATION:
            annotation_depth -= 1
            if not annotation_depth:
                parser.StartElementHandler = start
                parser.EndElementHandler = end_text if in_text else None
                parser.CharacterDataHandler = append_text

    parser.StartElementHandler = start
    parser.CharacterDataHandler = append_text
    return parser, finish_sheet


# ---- XLSX --------------------------------------------------------------------------------------

DIGITS = "0123456789"
# Built-in number formats that show a date or time (14-22, 45, 47) or a duration (46, [h]:mm:ss).
BUILTIN_DATE_FORMATS = frozenset({"14", "15", "16", "17", "18", "19", "20", "21", "22", "45", "47"})
BUILTIN_DURATION_FORMATS = frozenset({"46"})
DATE, DURATION = "date", "duration"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
DAYS_1900_TO_1904 = 1462
MS_PER_DAY = 86_400_000
# chrono, which calamine uses, reaches about 262,000 years either side of year 0.
CHRONO_DAYS = 95_000_000
ESCAPED_CHARACTER = re.compile(r"_x([0-9A-Fa-f]{4})_")
TRUE_TEXTS = frozenset({"1", "true", "TRUE"})
FALSE_TEXTS = frozenset({"0", "false", "FALSE"})


def _unescape_ooxml(text: str) -> str:
    """Characters XML cannot carry are written ``_x000D_``; a literal ``_x`` is written ``_x005F_x``."""
    if "_x" not in text:
        return text
    return ESCAPED_CHARACTER.sub(lambda match: chr(int(match[1], 16)), text)


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


def _column_index(letters: str) -> int:
    """Column letters as a 0-based position: A is 0, Z 25, AA 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def _prefix_of(root: str) -> str:
    """The namespace prefix a part's root element uses (``x:`` in ``x:worksheet``), usually none."""
    return root[: root.index(":") + 1] if ":" in root else ""


def _parse_part(archive: zipfile.ZipFile, member: str, handlers: Callable[[str], tuple]) -> None:
    """Parse a small workbook part; ``handlers(prefix)`` gives the start and end handlers once the root is seen."""
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def root(name: str, attributes: dict[str, str]) -> None:
        start, end, text = handlers(_prefix_of(name))
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        start(name, attributes)

    parser.StartElementHandler = root
    feed = _Feed(archive, member, "xlsx", parser)
    try:
        feed.parse_all()
    finally:
        feed.close()


def _rich_text_handlers(prefix: str, finished: Callable[[str], None], item: str) -> tuple:
    """Handlers collecting the text of ``<t>`` runs in each ``item`` element (``si`` or ``is``), ``<rPh>`` left out."""
    t_name, phonetic, item_name = prefix + "t", prefix + "rPh", prefix + item
    runs: list[str] = []
    current: list[str] = []
    in_t = False
    phonetic_depth = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal in_t, phonetic_depth
        if name == t_name and not phonetic_depth:
            in_t = True
            current.clear()
        elif name == phonetic:
            phonetic_depth += 1
        elif name == item_name:
            runs.clear()

    def end(name: str) -> None:
        nonlocal in_t, phonetic_depth
        if name == t_name and in_t:
            in_t = False
            runs.append("".join(current))
        elif name == phonetic:
            phonetic_depth -= 1
        elif name == item_name:
            finished(_unescape_ooxml("".join(runs)))

    def text(data: str) -> None:
        if in_t:
            current.append(data)

    return start, end, text


@dataclass
class _XlsxWorkbook:
    sheets: list[tuple[str, str]]  # (name, zip member) of each worksheet, in workbook order
    strings: list[str]
    formats: dict[str, str | None]  # cell style index (as written in ``s``) -> DATE, DURATION or None
    is_1904: bool


def _resolve_target(target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _read_xlsx_workbook(archive: zipfile.ZipFile) -> _XlsxWorkbook:
    """The sheet list, shared strings and date styles of an XLSX file: the parts read before any sheet."""
    sheets: list[tuple[str, str]] = []
    flags = {"1904": False}

    def workbook_handlers(prefix: str) -> tuple:
        def start(name: str, attributes: dict[str, str]) -> None:
            if name == prefix + "sheet":
                # The relationship id's prefix is whatever the file declared for its namespace (usually r:).
                rid = next((value for key, value in attributes.items() if key.endswith(":id")), "")
                sheets.append((attributes.get("name", ""), rid))
            elif name == prefix + "workbookPr":
                flags["1904"] = attributes.get("date1904", "0").lower() in {"1", "true"}

        return start, None, None

    _parse_part(archive, "xl/workbook.xml", workbook_handlers)

    targets: dict[str, tuple[str, str]] = {}

    def relationship_handlers(prefix: str) -> tuple:
        def start(name: str, attributes: dict[str, str]) -> None:
            if name == prefix + "Relationship":
                targets[attributes.get("Id", "")] = (attributes.get("Type", ""), attributes.get("Target", ""))

        return start, None, None

    names = set(archive.namelist())
    if "xl/_rels/workbook.xml.rels" in names:
        _parse_part(archive, "xl/_rels/workbook.xml.rels", relationship_handlers)
    worksheets = []
    for position, (name, rid) in enumerate(sheets, 1):
        kind, target = targets.get(rid, ("/worksheet", f"worksheets/sheet{position}.xml"))
        if kind.endswith("/worksheet"):  # chart sheets and dialog sheets hold no cells
            worksheets.append((name, _resolve_target(target)))
    by_kind = {kind.rsplit("/", 1)[-1]: _resolve_target(target) for kind, target in targets.values()}
    strings_part = by_kind.get("sharedStrings", "xl/sharedStrings.xml")
    styles_part = by_kind.get("styles", "xl/styles.xml")

    strings: list[str] = []
    if strings_part in names:
        _parse_part(archive, strings_part, lambda prefix: _rich_text_handlers(prefix, strings.append, "si"))
    formats = _read_styles(archive, styles_part) if styles_part in names else {}
    return _XlsxWorkbook(worksheets, strings, formats, flags["1904"])


def _read_styles(archive: zipfile.ZipFile, member: str) -> dict[str, str | None]:
    """Cell style index -> DATE, DURATION or None, from the number format each ``cellXfs`` entry uses."""
    custom: dict[str, str] = {}
    style_formats: list[str] = []
    depth = {"cellXfs": 0}

    def handlers(prefix: str) -> tuple:
        def start(name: str, attributes: dict[str, str]) -> None:
            if name == prefix + "numFmt":
                custom[attributes.get("numFmtId", "")] = attributes.get("formatCode", "")
            elif name == prefix + "cellXfs":
                depth["cellXfs"] += 1
            elif name == prefix + "xf" and depth["cellXfs"]:
                style_formats.append(attributes.get("numFmtId", "0"))

        def end(name: str) -> None:
            if name == prefix + "cellXfs":
                depth["cellXfs"] -= 1

        return start, end, None

    _parse_part(archive, member, handlers)
    kinds: dict[str, str | None] = {}
    for index, format_id in enumerate(style_formats):
        if format_id in custom:
            kinds[str(index)] = _number_format_kind(custom[format_id])
        elif format_id in BUILTIN_DATE_FORMATS:
            kinds[str(index)] = DATE
        elif format_id in BUILTIN_DURATION_FORMATS:
            kinds[str(index)] = DURATION
    return kinds


def _xlsx_sheets(path: Path) -> Iterator[StreamedSheet]:
    with _open_zip(path, "xlsx") as archive:
        book = _read_xlsx_workbook(archive)
        for name, member in book.sheets:
            queue: list[object] = []
            feed = _Feed(archive, member, "xlsx", _xlsx_parser(queue, book, name))
            yield from _read_to_the_end(feed, queue)


def _xlsx_parser(queue: list[object], book: _XlsxWorkbook, sheet: str) -> expat.XMLParserType:
    """An expat parser whose handlers turn a worksheet's ``sheetData`` into rows on ``queue``.

    A cell is ``<c r="B7" t="s" s="3"><v>12</v></c>``: the handlers note its column, type and
    style at ``<c>``, collect the text of ``<v>`` and place the value when ``<v>`` ends.
    """
    names: dict[str, str] = {}
    parser = expat.ParserCreate(intern=names)
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    strings = book.strings
    formats = book.formats
    is_1904 = book.is_1904
    columns: dict[str, int] = {}
    parts: list[str] = []  # character data since the last <v> or row began
    append_text = parts.append
    row: list[object] = []
    row_number = 0  # 1-based number of the current row
    blank_rows = 0  # empty rows not yet queued: queued only if a row with values follows them
    next_column = 0
    cell_type: str | None = None
    cell_kind: str | None = None  # DATE or DURATION when the cell's style shows one
    inline: list[str] | None = None  # the runs of an inline string being read
    run_start = -1
    phonetic = 0

    def place(value: object) -> None:
        size = len(row)
        if next_column == size:
            row.append(value)
        elif next_column > size:
            if next_column < MAX_COLUMNS:
                row.extend([""] * (next_column - size))
                row.append(value)
        else:
            row[next_column] = value

    def typed_value(text: str) -> object:
        """The value of a ``<v>`` of a cell typed other than a number; None for an empty or error cell."""
        kind = cell_type
        if kind == "str":
            return _unescape_ooxml(text) or None
        if kind == "b":
            if text in TRUE_TEXTS:
                return True
            if text in FALSE_TEXTS:
                return False
            if not text:
                return None
            raise StreamError(f"sheet '{sheet}' has a true/false cell holding {text!r}")
        if kind == "e" or kind == "inlineStr":
            return None  # calamine gives error cells (#N/A, #DIV/0!) as empty; an inline string's text is in <is>
        if kind == "d":
            return _iso_date_value(text) if text else None
        if kind == "n":
            value = float(text)
            if cell_kind is None:
                return value
            return _excel_date(value, is_1904) if cell_kind is DATE else _excel_duration(value)
        raise StreamError(f"sheet '{sheet}' has a cell of unknown type {kind!r}")

    def handlers(prefix: str) -> tuple:
        c_name, v_name, row_name, is_name, t_name, phonetic_name, data_name = (
            names.setdefault(prefix + local, prefix + local)
            for local in ("c", "v", "row", "is", "t", "rPh", "sheetData")
        )

        def start(name: str, attributes: dict[str, str]) -> None:
            nonlocal cell_type, cell_kind, next_column, row, row_number, blank_rows, inline, run_start, phonetic
            if name is c_name:
                reference = attributes.get("r")
                if reference is not None:
                    letters = reference.rstrip(DIGITS)
                    next_column = columns.get(letters, -1)
                    if next_column < 0:
                        next_column = _column_index(letters)
                        if next_column < 0 or not letters.isalpha():
                            raise StreamError(
                                f"sheet '{sheet}' has a cell whose reference {reference!r} names no column"
                            )
                        columns[letters] = next_column
                cell_type = attributes.get("t")
                style = attributes.get("s")
                cell_kind = None if style is None else formats.get(style)
            elif name is v_name:
                parts.clear()
            elif name is row_name:
                number_text = attributes.get("r")
                number = row_number + 1 if number_text is None else int(number_text)
                if number <= row_number:
                    raise StreamError(
                        f"sheet '{sheet}': row {number} comes after row {row_number}; "
                        "rows out of order cannot be streamed"
                    )
                blank_rows = min(blank_rows + number - row_number - 1, MAX_ROWS)
                row_number = number
                row = []
                next_column = 0
                parts.clear()
            elif name is is_name:
                inline = []
            elif inline is not None:
                if name is t_name and not phonetic:
                    run_start = len(parts)
                elif name is phonetic_name:
                    phonetic += 1

        def end(name: str) -> None:
            nonlocal next_column, blank_rows, inline, run_start, phonetic
            if name is v_name:
                text = parts[0] if len(parts) == 1 else "".join(parts)
                kind = cell_type
                if kind is None:
                    if not text:
                        return
                    try:
                        value: object = float(text)
                    except ValueError:
                        value = text  # an untyped value that is not a number is text
                    else:
                        if cell_kind is not None:
                            value = _excel_date(value, is_1904) if cell_kind is DATE else _excel_duration(value)
                elif kind == "s":
                    if not text:
                        return
                    index = int(text) if text.isascii() and text.isdigit() else 0
                    if index >= len(strings):
                        raise StreamError(f"sheet '{sheet}' uses shared string {index}, which the workbook lacks")
                    value = strings[index]
                    if not value:
                        return
                elif kind == "n" and not text:
                    return
                else:
                    value = typed_value(text)
                    if value is None:
                        return
                place(value)
            elif name is c_name:
                if inline is not None:
                    text = _unescape_ooxml("".join(inline))
                    inline = None
                    if text:
                        place(text)
                next_column += 1
            elif name is row_name:
                if row:
                    if blank_rows:
                        queue.append(blank_rows)
                        blank_rows = 0
                    queue.append(row)
                else:
                    blank_rows = min(blank_rows + 1, MAX_ROWS)
                parts.clear()
            elif inline is not None:
                if name is t_name and run_start >= 0:
                    inline.append("".join(parts[run_start:]))
                    run_start = -1
                elif name is phonetic_name:
                    phonetic -= 1
            elif name is data_name:
                queue.append(_SHEET_END)  # trailing empty rows are never queued
                # Nothing after sheetData (merged cells, page setup) is read.
                parser.StartElementHandler = None
                parser.EndElementHandler = None
                parser.CharacterDataHandler = None

        return start, end, append_text

    def root(name: str, attributes: dict[str, str]) -> None:
        start, end, text = handlers(_prefix_of(name))
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        queue.append(_SheetStart(sheet))

    parser.StartElementHandler = root
    return parser


# ---- CSV ---------------------------------------------------------------------------------------


def _csv_encoding(path: Path) -> str:
    """The encoding ``tables`` would decode the file with: UTF-8 (BOM or not), else cp1252, else latin-1; UTF-16 by BOM.

    The whole file is decoded once and the text thrown away, chunk by chunk, because a byte that
    is not UTF-8 may come anywhere in it.
    """
    with path.open("rb") as handle:
        if handle.read(2) in UTF16_BOMS:
            return "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK_SIZE):
                    decoder.decode(chunk)
            decoder.decode(b"", True)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _csv_delimiter(path: Path, encoding: str) -> str:
    """The delimiter ``tables`` would use: sniffed from the first 20,000 characters among comma, tab and semicolon."""
    with path.open("r", encoding=encoding, newline="") as text:
        sample = text.read(CSV_SNIFF_CHARS)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        return ","


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[list[object]]:
    with path.open("r", encoding=encoding, newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        while True:
            # The field limit is raised only while this reader reads, and put back before rows are handed out.
            previous = csv.field_size_limit(CSV_FIELD_LIMIT)
            try:
                batch = list(itertools.islice(reader, CSV_BATCH_ROWS))
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise StreamError(
                        f"the CSV file has a cell larger than 1 MB (line {reader.line_num}); "
                        "it is not a published table"
                    ) from exc
                raise StreamError(f"the CSV file cannot be read (line {reader.line_num}: {exc})") from exc
            except UnicodeDecodeError as exc:
                raise StreamError(f"the CSV file is not valid {encoding} text ({exc})") from exc
            finally:
                csv.field_size_limit(previous)
            if not batch:
                return
            yield from batch


def _csv_sheets(path: Path) -> Iterator[StreamedSheet]:
    try:
        encoding = _csv_encoding(path)
        delimiter = _csv_delimiter(path, encoding)
    except UnicodeDecodeError as exc:
        raise StreamError(f"the CSV file is not valid text ({exc})") from exc
    except OSError as exc:
        raise StreamError(f"the file could not be read ({exc.strerror or exc})") from exc
    yield StreamedSheet(None, _csv_rows(path, encoding, delimiter))
