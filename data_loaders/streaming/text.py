"""Reading a CSV file (UTF-8, cp1252, latin-1 or UTF-16 text) as one sheet, decoded and split as ``tables`` does."""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from data_loaders.streaming.base import CHUNK_SIZE, StreamedSheet, StreamError

# The longest cell a CSV file may hold, in characters: csv.field_size_limit is raised this far and no further.
CSV_FIELD_LIMIT = 1 << 20
# The rows searched for the header that names a cell too long, as ``tables.HEADER_SCAN_ROWS``.
HEADER_ROWS = 30
CSV_SNIFF_CHARS = 20_000
CSV_BATCH_ROWS = 1024
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class FieldTooLarge(StreamError):
    """A CSV cell longer than ``CSV_FIELD_LIMIT`` characters, located as a spreadsheet user would find it."""

    def __init__(self, line: int, row: int, column: str, limit: int):
        self.row, self.column, self.limit = row, column, limit
        self.expected = f"expected a cell of at most {limit:,} characters (1 MB); this one is longer"
        super().__init__(
            f"the CSV file has a cell larger than 1 MB (line {line}), in row {row}, column '{column}'; "
            "it is not a published table"
        )


def _column_letters(index: int) -> str:
    """A column as a spreadsheet names it: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _long_field(text: str, delimiter: str, limit: int) -> int:
    """The position of the first field of a record's text (as read so far) longer than ``limit``, as csv splits it."""
    field = length = 0
    quoted = False
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if quoted and char == '"':
            if text.startswith('"', position + 1):
                length += 1
                position += 1
            else:
                quoted = False
        elif quoted:
            length += 1
        elif char == '"' and length == 0:
            quoted = True
        elif char == delimiter:
            field, length = field + 1, 0
        elif char not in "\r\n":
            length += 1
        if length > limit:
            return field
        position += 1
    return field


def _locate_long_field(path: Path, encoding: str, delimiter: str, line: int) -> FieldTooLarge:
    """Read the file again to find the record (and the field in it) that is longer than the limit.

    Only when a file is refused: the lines of each record are kept as they are read, so the record
    that fails is at hand, and its header is the top row with the most cells filled in.
    """
    kept: list[str] = []

    def lines(text):
        for line in text:
            kept.append(line)
            yield line

    top: list[list[str]] = []
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        with path.open("r", encoding=encoding, newline="") as text:
            reader = csv.reader(lines(text), delimiter=delimiter)
            row = 0
            try:
                for record in reader:
                    row += 1
                    kept.clear()
                    if len(top) < HEADER_ROWS:
                        top.append(record)
            except csv.Error:
                pass
    finally:
        csv.field_size_limit(previous)
    position = _long_field("".join(kept), delimiter, CSV_FIELD_LIMIT)
    header = max(top, key=lambda cells: sum(1 for cell in cells if cell.strip()), default=[])
    name = header[position].strip() if position < len(header) and header[position].strip() else None
    return FieldTooLarge(line, row + 1, name or _column_letters(position), CSV_FIELD_LIMIT)


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
                if "field limit" in str(exc) or "field larger" in str(exc):
                    raise _locate_long_field(path, encoding, delimiter, reader.line_num) from exc
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
