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

The readers are split by format: ``ods``, ``xlsx`` (with ``dates`` for serial dates and number
formats) and ``text`` (CSV) build on ``feed`` (expat fed from the zip) and ``base`` (the error,
the sheet and the size limits); ``cells`` counts the cells each sheet spans without parsing, so a
caller can tell a workbook too large to read whole before reading it (``sheet_spans``); this module
tells the format and holds the entry points.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from data_loaders.streaming.base import (
    CHUNK_SIZE,
    MAX_COLUMNS,
    MAX_ROWS,
    PathLike,
    StreamedSheet,
    StreamError,
    _member_info,
    _open_zip,
)
from data_loaders.streaming.cells import SheetSpan, Spans, sheet_spans
from data_loaders.streaming.ods import _ods_sheets
from data_loaders.streaming.text import (
    CSV_BATCH_ROWS,
    CSV_FIELD_LIMIT,
    CSV_SNIFF_CHARS,
    UTF16_BOMS,
    FieldTooLarge,
    _csv_sheets,
)
from data_loaders.streaming.xlsx import _xlsx_sheets

# The constants are re-exported to be read: the readers use their own imports, which setting one here does not reach.
__all__ = [
    "CHUNK_SIZE",
    "CSV_BATCH_ROWS",
    "CSV_FIELD_LIMIT",
    "CSV_SNIFF_CHARS",
    "FieldTooLarge",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "ODS_MIMETYPE",
    "OLE_SIGNATURE",
    "UTF16_BOMS",
    "PathLike",
    "SheetSpan",
    "Spans",
    "StreamError",
    "StreamedSheet",
    "format_of",
    "iter_sheets",
    "sheet_spans",
    "xml_size",
]

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


def format_of(path: PathLike) -> str:
    """The file's format, "ods", "xlsx" or "csv", told from its bytes; ``StreamError`` for any other."""
    return _format_of(Path(path))


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
