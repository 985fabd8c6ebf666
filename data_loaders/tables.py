"""Reading published tables: open a CSV, XLSX or ODS file, find its header row, match columns.

Every loader reads through here so that all of them accept the same quirks (title rows above
the header, headers in any case and spacing, synonyms, UTF-8 with or without BOM, any line
ending) and report problems the same way: file, sheet, row as a spreadsheet user counts it,
column, the value found and what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data_loaders import limits
from data_loaders.refusals import LoadRefused, Problem

HEADER_SCAN_ROWS = 30
# A header is looked for in a row's first 1,000 cells (the widest published table, the mid-year estimates by
# single year of age, has under 100 columns): a row of thousands of cells is not folded cell by cell.
HEADER_WIDTH = 1_000


@dataclass(frozen=True)
class Column:
    """A column a loader needs, with the header names it is published under."""

    key: str
    names: tuple[str, ...]
    required: bool = True

    @property
    def label(self) -> str:
        return self.names[0]


@dataclass
class Sheet:
    """The cells of one sheet (or of a CSV file), row by row, as read."""

    name: str | None
    rows: list[list[object]]


@dataclass
class Workbook:
    """A file as read: its display name, format and sheets."""

    file: str
    format: str
    sheets: list[Sheet]


@dataclass
class Table:
    """The data rows under a matched header, keyed by column key, with spreadsheet row numbers."""

    sheet: Sheet
    header_row: int  # spreadsheet row number of the header (1-based)
    columns: dict[str, int]  # key -> position
    headers: dict[str, str]  # key -> header as written in the file
    frame: pd.DataFrame  # one column per key, plus "_row" and "_sheet"


# The columns every Home Office open data table shares (recorded crime and crime outcomes), as published.
FINANCIAL_YEAR_COLUMN = Column("financial_year", ("Financial Year", "Year", "FY"))
QUARTER_COLUMN = Column("quarter", ("Financial Quarter", "Quarter", "FQ"))
FORCE_COLUMN = Column("force", ("Force Name", "Police Force", "Force", "Police Force Area", "PFA Name", "PFA"))
OFFENCE_COLUMNS = (
    Column("offence_description", ("Offence Description", "Offence")),
    Column("offence_group", ("Offence Group",), required=False),
    Column("offence_subgroup", ("Offence Subgroup", "Offence Sub Group"), required=False),
    Column("offence_code", ("Offence Code", "Code")),
)


def normalise_header(value: object) -> str:
    """Header text folded for matching: lower case, punctuation and runs of space as one space."""
    text = str(value).replace("\ufeff", "").strip().lower()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, or text of nothing but white space."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value
    return False


def _sniff_format(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    if mimetype == "application/vnd.oasis.opendocument.spreadsheet":
                        return "ods"
                    return "other-zip"
                if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except zipfile.BadZipFile:
            return "broken-zip"
        return "other-zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"  # (a UTF-16 text file, as Excel saves "Unicode Text", starts with its byte-order mark)
    return "csv"


def too_many_cells(file: str, spans, max_cells: int, what: str = "a workbook read whole") -> Problem:
    """The refusal of a workbook whose sheets span more than ``max_cells`` cells (``spans`` from the count)."""
    sheet = spans.largest()
    least = "" if spans.complete else "at least "
    return Problem(
        file,
        f"{what} may span at most {max_cells:,} cells across its sheets (the bound {limits.SETTING.format('max_cells')})"
        "; expected the file as published",
        sheet=sheet.name if sheet else None,
        found=f"{least}{sheet.rows:,} rows by {sheet.columns:,} columns" if sheet else None,
    )


def open_workbook(path: str | Path, display_name: str | None = None, *, max_cells: int | None = None) -> Workbook:
    """Read every sheet of a CSV, XLSX, XLS or ODS file; refuse anything else with a clear message.

    The format is taken from the file's bytes, not its name, so a mislabelled file is still read
    or refused for what it is. ODS and XLSX are read with python-calamine, which is many times
    faster than the default pandas engines on the national tables. Their sheets' cells are counted
    from the XML first (``streaming.sheet_spans``), and a workbook spanning more than ``max_cells``
    (default: the ``[limits]`` default) is refused before it is read; ``max_cells=0`` skips the count,
    for a caller that has made it.
    """
    path = Path(path)
    name = display_name or path.name
    try:
        with path.open("rb") as handle:
            data_head = handle.read(8192)
    except OSError as exc:
        raise LoadRefused.one(name, f"the file could not be opened ({exc.strerror or exc})") from exc
    if path.stat().st_size == 0 or not data_head.strip():
        raise LoadRefused.one(name, "the file is empty; expected a published table")
    fmt = _sniff_format(path, data_head)
    if fmt in {"binary", "other-zip", "broken-zip"}:
        raise LoadRefused.one(name, "the file is not a spreadsheet; expected a CSV, XLSX or ODS table as published")
    if fmt == "csv":
        from data_loaders.streaming import FieldTooLarge, StreamError, iter_sheets

        try:
            rows = [row for sheet in iter_sheets(path) for row in sheet.rows]
        except FieldTooLarge as exc:
            raise LoadRefused.one(name, exc.expected, row=exc.row, column=exc.column) from exc
        except StreamError as exc:
            raise LoadRefused.one(name, f"the text file could not be read: {exc}") from exc
        return Workbook(name, "csv", [Sheet(None, rows)])
    if fmt in {"ods", "xlsx"} and max_cells != 0:
        from data_loaders.settings.limits import Limits
        from data_loaders.streaming import StreamError, sheet_spans

        limit = Limits.max_cells if max_cells is None else max_cells
        try:
            spans = sheet_spans(path, fmt, limit)
        except StreamError:
            spans = None  # calamine says what is wrong with the file
        if spans is not None and spans.cells > limit:
            raise LoadRefused([too_many_cells(name, spans, limit)])
    from python_calamine import CalamineWorkbook

    try:
        # from_path would pick the reader by the file's extension; from_filelike goes by its bytes.
        with path.open("rb") as handle:
            book = CalamineWorkbook.from_filelike(handle)
        sheets = [
            Sheet(sheet_name, book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False))
            for sheet_name in book.sheet_names
        ]
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise LoadRefused.one(name, f"the {fmt.upper()} file could not be read ({exc})") from exc
    return Workbook(name, fmt, sheets)


def match_columns(row: Sequence[object], columns: Sequence[Column], fold=None) -> dict[str, int]:
    """The position of each column found in a header row; ``fold`` folds header text (default ``normalise_header``)."""
    fold = fold or normalise_header
    folded = [fold(cell) if not is_blank(cell) else "" for cell in row[:HEADER_WIDTH]]
    found: dict[str, int] = {}
    for column in columns:
        wanted = {fold(n) for n in column.names}
        for position, cell in enumerate(folded):
            if cell in wanted and position not in found.values():
                found[column.key] = position
                break
    return found


def find_header(sheet: Sheet, columns: Sequence[Column], fold=None) -> tuple[int, dict[str, int]] | None:
    """The first top row (0-based) holding every required column, with positions; ``fold`` as for ``match_columns``."""
    required = {c.key for c in columns if c.required}
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        found = match_columns(row, columns, fold)
        if required <= found.keys():
            return index, found
    return None


def best_partial_header(sheet: Sheet, columns: Sequence[Column], fold=None) -> tuple[int, dict[str, int]] | None:
    """The top row matching the most required columns (to say which ones are missing); ``fold`` as for ``find_header``."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        found = match_columns(row, columns, fold)
        if found and (best is None or len(found) > len(best[1])):
            best = (index, found)
    return best


def body_frame(name: str | None, body: Sequence[Sequence[object]], positions: dict[str, int], first_row: int):
    """Rows of cells as a frame with one column per key, ``_row`` (spreadsheet row numbers from ``first_row``)
    and ``_sheet``; blank rows dropped.

    Built column by column: the national tables have hundreds of thousands of rows, and a dict
    per row costs seconds where a list per column costs a fraction of that.
    """
    columns = {key: [row[pos] if pos < len(row) else None for row in body] for key, pos in positions.items()}
    frame = pd.DataFrame(columns, dtype=object)
    frame["_row"] = range(first_row, first_row + len(body))
    # A row is blank when every cell is: only a row whose first cell is blank can be, so only those are looked at.
    first = next(iter(columns.values()), [])
    maybe = [i for i, cell in enumerate(first) if cell is None or cell == "" or is_blank(cell)]
    blank = [i for i in maybe if all(is_blank(cells[i]) for cells in columns.values())]
    if blank:
        frame = frame.drop(index=blank)
    frame = frame.reset_index(drop=True)
    frame["_sheet"] = np.full(len(frame), name, dtype=object)
    return frame


def _headers(header: Sequence[object], positions: dict[str, int]) -> dict[str, str]:
    return {key: str(header[pos]).replace("\ufeff", "").strip() for key, pos in positions.items()}


def table_from(sheet: Sheet, header_index: int, positions: dict[str, int]) -> Table:
    """The rows below the header as a frame of raw cells, blank rows dropped."""
    frame = body_frame(sheet.name, sheet.rows[header_index + 1 :], positions, header_index + 2)
    return Table(sheet, header_index + 1, positions, _headers(sheet.rows[header_index], positions), frame)


def chunks_of(
    file: str, sheets: Iterable[tuple[Sheet, Iterator[list[object]]]], columns: Sequence[Column], size: int
) -> Iterator[pd.DataFrame]:
    """The raw rows of every sheet that holds ``columns``, ``size`` rows at a time, as :func:`rows_of` gives them.

    ``sheets`` pairs each sheet's top rows (``HEADER_SCAN_ROWS`` of them, to find the header in)
    with an iterator over the rest, so a file of any size is read in bounded memory. A sheet
    without the header (a cover or notes sheet) is passed over.
    """
    keys = [c.key for c in columns]
    for head, rest in sheets:
        located = find_header(head, columns)
        if located is None:
            continue
        index, positions = located
        headers = _headers(head.rows[index], positions)
        width = max(positions.values()) + 1  # a row is kept only as far as the columns read
        pending = [row[:width] for row in head.rows[index + 1 :]]
        first_row = index + 2
        exhausted = False
        while not exhausted:
            while len(pending) < size:
                row = next(rest, None)
                if row is None:
                    exhausted = True
                    break
                pending.append(row[:width])
            if not pending:
                break
            frame = body_frame(head.name, pending, positions, first_row)
            for key in keys:
                if key not in frame.columns:
                    frame[key] = None
            frame.attrs.update(file=file, headers=headers, found=set(positions))
            first_row += len(pending)
            pending = []
            yield frame


def data_tables(book: Workbook, columns: Sequence[Column], what: str) -> list[Table]:
    """Every sheet that holds the columns; notes sheets are passed over; none at all is refused."""
    tables = []
    for sheet in book.sheets:
        located = find_header(sheet, columns)
        if located is not None:
            tables.append(table_from(sheet, *located))
    if tables:
        return tables
    problems = []
    for sheet in book.sheets:
        partial = best_partial_header(sheet, columns)
        if partial is None:
            continue
        missing = [c.label for c in columns if c.required and c.key not in partial[1]]
        problems.append(
            Problem(
                book.file,
                f"the header row lacks the column(s) {', '.join(repr(m) for m in missing)} needed for {what}",
                sheet=sheet.name,
                row=partial[0] + 1,
            )
        )
    if not problems:
        needed = ", ".join(repr(c.label) for c in columns if c.required)
        problems.append(Problem(book.file, f"no sheet has a header row with the columns {needed} needed for {what}"))
    raise LoadRefused(problems)


def rows_of(book: Workbook, columns: Sequence[Column], what: str) -> pd.DataFrame:
    """The raw rows of every sheet that holds ``columns``, as one frame, for a loader's ``parse``.

    Optional columns a file lacks are present and empty, so ``clean`` can rely on every key.
    ``attrs`` carry the file name, the headers as written (for messages) and ``found``, the keys
    some sheet actually had.
    """
    tables = data_tables(book, columns, what)
    frame = pd.concat([t.frame for t in tables], ignore_index=True)
    found = {key for table in tables for key in table.columns}
    for column in columns:
        if column.key not in frame.columns:
            frame[column.key] = None
    headers: dict[str, str] = {}
    for table in tables:
        headers.update(table.headers)
    frame.attrs.update(file=book.file, headers=headers, found=found)
    return frame


def edition_date_from_name(file_name: str) -> dt.date | None:
    """The release date the Home Office writes at the end of a file name (``...-191023.ods``)."""
    # A browser saving a second copy appends " (1)": ``...-191023 (1).ods`` is the same edition.
    match = re.search(r"(\d{2})(\d{2})(\d{2})\D*(?:\(\d+\)\D*)?\.[A-Za-z]+$", file_name)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(2000 + year, month, day)
    except ValueError:
        return None


def display_cell(value: object) -> str:
    """A cell as the spreadsheet shows it: spreadsheets store every number as a float (5 not 5.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
