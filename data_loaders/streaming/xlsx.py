"""Reading an XLSX file's worksheets as rows, after its sheet list, shared strings and date styles."""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from data_loaders.streaming.base import MAX_COLUMNS, MAX_ROWS, StreamedSheet, StreamError, _open_zip
from data_loaders.streaming.dates import (
    BUILTIN_DATE_FORMATS,
    BUILTIN_DURATION_FORMATS,
    DATE,
    DURATION,
    _excel_date,
    _excel_duration,
    _iso_date_value,
    _number_format_kind,
)
from data_loaders.streaming.feed import _SHEET_END, _Feed, _read_to_the_end, _SheetStart

DIGITS = "0123456789"
ESCAPED_CHARACTER = re.compile(r"_x([0-9A-Fa-f]{4})_")
TRUE_TEXTS = frozenset({"1", "true", "TRUE"})
FALSE_TEXTS = frozenset({"0", "false", "FALSE"})


def _unescape_ooxml(text: str) -> str:
    """Characters XML cannot carry are written ``_x000D_``; a literal ``_x`` is written ``_x005F_x``."""
    if "_x" not in text:
        return text
    return ESCAPED_CHARACTER.sub(lambda match: chr(int(match[1], 16)), text)


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
    worksheets, by_kind, is_1904 = _xlsx_parts(archive)
    names = set(archive.namelist())
    strings_part = by_kind.get("sharedStrings", "xl/sharedStrings.xml")
    styles_part = by_kind.get("styles", "xl/styles.xml")

    strings: list[str] = []
    if strings_part in names:
        _parse_part(archive, strings_part, lambda prefix: _rich_text_handlers(prefix, strings.append, "si"))
    formats = _read_styles(archive, styles_part) if styles_part in names else {}
    return _XlsxWorkbook(worksheets, strings, formats, is_1904)


def _xlsx_sheet_list(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, zip member) of each worksheet, in workbook order, from the workbook part and its relationships."""
    return _xlsx_parts(archive)[0]


def _xlsx_parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], dict[str, str], bool]:
    """The worksheets, the member of each other part by its relationship type, and whether dates count from 1904."""
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
    return worksheets, by_kind, flags["1904"]


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
            # A worksheet is a zip member of its own: once the caller moves on to the next sheet, what it left of this
            # one is not read (an ODS holds every sheet in one member, which is read through). A sheet of millions of
            # cells under an unknown header is then passed over in an instant instead of parsed to its end.
            for sheet in _read_to_the_end(feed, queue):
                yield sheet
                feed.close()
                for _ in sheet.rows:  # the rows of the chunk in hand, already parsed; no more are
                    pass
                break


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
