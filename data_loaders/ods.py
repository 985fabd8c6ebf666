"""A minimal, fast OpenDocument spreadsheet (ODS) writer.

``content.xml`` is built as text, one cached XML fragment per distinct cell value, and streamed
into the zip, so a national table of 300,000 rows is written in seconds (pandas with odfpy
builds a document tree of millions of objects and takes minutes). The demo data and the loader
benchmark write their Home Office style workbooks with it.

>>> write_ods("tables.ods", {"2019_20": [["Force Name", "Number of Offences"], ["Dorset", 12]]})  # doctest: +SKIP
PosixPath('tables.ods')
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pandas as pd

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
# Every entry carries this timestamp, so the same cells always give the same bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
ROWS_PER_CHUNK = 4000

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'office:version="1.2"'
)
# Date cells get an ISO display format; everything else uses the application's defaults.
AUTOMATIC_STYLES = (
    "<office:automatic-styles>"
    '<number:date-style style:name="N1">'
    '<number:year number:style="long"/><number:text>-</number:text>'
    '<number:month number:style="long"/><number:text>-</number:text>'
    '<number:day number:style="long"/>'
    "</number:date-style>"
    '<number:date-style style:name="N2">'
    '<number:year number:style="long"/><number:text>-</number:text>'
    '<number:month number:style="long"/><number:text>-</number:text>'
    '<number:day number:style="long"/><number:text> </number:text>'
    '<number:hours number:style="long"/><number:text>:</number:text>'
    '<number:minutes number:style="long"/><number:text>:</number:text>'
    '<number:seconds number:style="long"/>'
    "</number:date-style>"
    '<style:style style:name="date" style:family="table-cell" style:data-style-name="N1"/>'
    '<style:style style:name="datetime" style:family="table-cell" style:data-style-name="N2"/>'
    "</office:automatic-styles>"
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f"<office:document-styles {NAMESPACES}><office:styles/></office:document-styles>"
)
EMPTY_CELL = "<table:table-cell/>"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SPACES = re.compile(r"^ +| {2,}| +$")

Rows = Sequence[Sequence[object]] | Iterable[Sequence[object]]


def _spaces(match: re.Match[str]) -> str:
    """ODF collapses runs of spaces and drops them at the ends of a paragraph; ``text:s`` keeps them."""
    run = match.group(0)
    at_edge = match.start() == 0 or match.end() == len(match.string)
    literal = "" if at_edge else " "
    hidden = len(run) - len(literal)
    return literal + (f'<text:s text:c="{hidden}"/>' if hidden > 1 else "<text:s/>")


def _paragraph(line: str) -> str:
    text = escape(line)
    if " " in text:
        text = SPACES.sub(_spaces, text)
    if "\t" in text:
        text = text.replace("\t", "<text:tab/>")
    return f"<text:p>{text}</text:p>"


def _string_cell(value: str) -> str:
    if NOT_XML.search(value):
        raise ValueError(f"a cell holds a control character that XML cannot carry: {value!r}")
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return (
        f'<table:table-cell office:value-type="string">{"".join(_paragraph(line) for line in lines)}</table:table-cell>'
    )


def _float_cell(value: float) -> str:
    if math.isnan(value):
        return EMPTY_CELL
    if math.isinf(value):
        raise ValueError("a cell holds an infinite number, which a spreadsheet cannot store")
    text = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return f'<table:table-cell office:value-type="float" office:value="{text}"/>'


def _date_cell(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError(f"a cell holds a date and time with a time zone ({value}); write it as local time")
        iso = value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
        shown = value.strftime("%Y-%m-%d %H:%M:%S")
        style = "datetime"
    else:
        iso = shown = value.isoformat()
        style = "date"
    return (
        f'<table:table-cell table:style-name="{style}" office:value-type="date" office:date-value="{iso}">'
        f"<text:p>{shown}</text:p></table:table-cell>"
    )


def cell_xml(value: object) -> str:
    """The ``table:table-cell`` element for one value (None, NaN, NA and NaT give an empty cell)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return EMPTY_CELL
    if isinstance(value, str):
        return _string_cell(value)
    if isinstance(value, bool | np.bool_):
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(bool(value)).lower()}"/>'
    if isinstance(value, numbers.Integral):
        return f'<table:table-cell office:value-type="float" office:value="{int(value)}"/>'
    if isinstance(value, dt.date):
        return _date_cell(value)
    if isinstance(value, numbers.Real):
        return _float_cell(float(value))
    raise TypeError(f"cannot write a {type(value).__name__} to a spreadsheet cell: {value!r}")


class _Cells:
    """Cell XML by value, each distinct value encoded once: tables repeat a few values thousands of times."""

    def __init__(self) -> None:
        self._cache: dict[tuple[type, object], str] = {}

    def __call__(self, value: object) -> str:
        try:
            key = (type(value), value)
            return self._cache[key]
        except KeyError:
            encoded = cell_xml(value)
            if encoded != EMPTY_CELL:  # NaN is unequal to itself: caching it would add an entry per blank
                self._cache[key] = encoded
            return encoded
        except TypeError:  # unhashable values are encoded every time
            return cell_xml(value)


def _frame_rows(frame: pd.DataFrame, cells: _Cells) -> Iterator[list[str]]:
    yield [cells(str(name)) for name in frame.columns]
    columns = [[cells(value) for value in frame[name].tolist()] for name in frame.columns]
    for row in zip(*columns, strict=True):
        yield list(row)


def _sheet_rows(content: pd.DataFrame | Rows, cells: _Cells) -> tuple[int, Iterator[list[str]]]:
    """The width of a sheet and its rows as lists of cell XML."""
    if isinstance(content, pd.DataFrame):
        return max(len(content.columns), 1), _frame_rows(content, cells)
    rows = content if isinstance(content, Sequence) else list(content)
    width = max((len(row) for row in rows), default=1) or 1
    return width, ([cells(value) for value in row] for row in rows)


def _row_xml(cells: list[str]) -> str:
    while cells and cells[-1] == EMPTY_CELL:
        cells.pop()
    return f"<table:table-row>{''.join(cells) or EMPTY_CELL}</table:table-row>"


def _content_chunks(sheets: Mapping[str, pd.DataFrame | Rows]) -> Iterator[str]:
    cells = _Cells()
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES}>'
    yield f"{AUTOMATIC_STYLES}<office:body><office:spreadsheet>"
    for name, content in sheets.items():
        width, rows = _sheet_rows(content, cells)
        yield f'<table:table table:name={quoteattr(str(name))}><table:table-column table:number-columns-repeated="{width}"/>'
        chunk: list[str] = []
        for row in rows:
            chunk.append(_row_xml(row))
            if len(chunk) >= ROWS_PER_CHUNK:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk) + "</table:table>"
    yield "</office:spreadsheet></office:body></office:document-content>"


def _entry(name: str, compress: bool = True) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def write_ods(path: str | os.PathLike[str], sheets: Mapping[str, pd.DataFrame | Rows]) -> Path:
    """Write the sheets to an ODS file and return its path.

    Each sheet is a DataFrame (written with its header row, without its index) or rows of cells.
    Cells may be text, whole or decimal numbers, booleans, dates and date-times (naive), or None
    for an empty cell. The same sheets always give the same bytes. The file appears complete or
    not at all: it is written beside the target and renamed into place.
    """
    if not sheets:
        raise ValueError("an ODS workbook needs at least one sheet")
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            # The mimetype entry comes first and uncompressed so that tools can identify the file.
            archive.writestr(_entry("mimetype", compress=False), MIMETYPE)
            archive.writestr(_entry("META-INF/manifest.xml"), MANIFEST)
            archive.writestr(_entry("styles.xml"), STYLES)
            with archive.open(_entry("content.xml"), "w") as content:
                for chunk in _content_chunks(sheets):
                    content.write(chunk.encode("utf-8"))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target
