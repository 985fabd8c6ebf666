"""Reading an ODS file's ``content.xml`` as rows.

The expat handlers are made for the tens of millions of cells of the largest editions (see ``_ods_parser``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from xml.parsers import expat

from data_loaders.streaming.base import MAX_COLUMNS, MAX_ROWS, StreamedSheet, StreamError, _open_zip
from data_loaders.streaming.dates import _iso_date_value, _iso_time_value
from data_loaders.streaming.feed import _SHEET_END, _Feed, _interned, _read_to_the_end, _Repeat, _SheetStart

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
