"""Small files for the loader tests: the Home Office tables' headers, and CSV, XLSX and ODS writers.

It imports nothing from the tests' fixtures, so a benchmark can use it too (as ``tests.files``).
"""

from __future__ import annotations

import csv
import struct
from pathlib import Path

import openpyxl
import pandas as pd

VAP = "Violence against the person"
SH = "Stalking and harassment"
# The columns every Home Office open data table starts with (recorded crime and crime outcomes), as published.
OFFENCE_HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
]
RECORDED_CRIME_HEADER = [*OFFENCE_HEADER, "Number of Offences"]
OUTCOMES_HEADER = [
    *OFFENCE_HEADER,
    "Outcome Description",
    "Outcome Group",
    "Outcome Type",
    "Force outcomes for offences recorded in quarter",
    "Force outcomes recorded in quarter",
]


def write_csv(path: Path, rows, *, newline: str = "\n", bom: bool = False) -> Path:
    """``rows`` as a UTF-8 CSV file (with a byte order mark if ``bom``), each line ending in ``newline``."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, lineterminator=newline).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], *, write_only: bool = False) -> Path:
    """A workbook with one sheet per entry of ``sheets``, in order, each holding its rows (openpyxl); ``write_only``
    writes the rows out as they come (openpyxl's write-only mode), for a workbook too large to hold."""
    book = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)  # the empty sheet a new workbook starts with
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_ods_by_pandas(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An ODS written by another program than the project's own writer: pandas and odfpy, short rows padded."""
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max(len(r) for r in rows)
            padded = [list(r) + [None] * (width - len(r)) for r in rows]
            pd.DataFrame(padded, dtype=object).to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    return struct.unpack(">II", png[16:24])
