"""The hostile-file battery: malformed and odd files through every loader of ``pcc-dashboard``, each refused
cleanly or loaded correctly, never a traceback, a crash or a hang, and the database untouched by a refusal.

    python benchmarks/hostile_battery.py                      # every case: 257 files, 3 to 5 minutes
    python benchmarks/hostile_battery.py --only xlsx-sparse   # the cases whose name holds any of these words
    python benchmarks/hostile_battery.py --timeout 60 --keep /tmp/battery

The files are written into a temporary folder (nothing is kept unless ``--keep``), each one started from a good
file: the real published tables in ``../shared/data`` where they exist (the recorded crime release of 19 October
2023, the population table, ONS's police force area tables), else the files the demo writes in the official
formats (``pcc-dashboard demo --folder``), then mutated. Every file is loaded by the command line in a child
process (``load``, ``load-recommendations`` or ``load-history``), on a copy of one fresh SQLite database that holds
a small tracker (for the history to attach to), with a timeout, its peak memory read from the child's own
resource usage. Each is classed:

- **refused cleanly**: exit code 1, the message names the file, and no traceback; the database's bytes unchanged;
- **loaded**: exit code 0 and, for a file that is a legitimate variant of a good one (a byte-order mark, UTF-16,
  CRLF, columns in another order, the wrong extension), the figures stored equal the good file's;
- **wrongly loaded**: a file that must be refused was loaded, or a variant's figures differ from the good file's;
- **unclear refusal** (the message does not name the file), **traceback**, **crash** (killed by a signal or an
  abort), **hang** (over the timeout), **database changed** (by a refusal).

The script prints the counts per class and per loader, the slowest files and the largest peak memory, and exits
1 when any file is in a class other than the first two.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))  # run as a script, the project's root is not on the path

from benchmarks.many_cells import write_workbook  # noqa: E402
from data_loaders.ods import write_ods  # noqa: E402
from tests import hostile  # noqa: E402
from tests.files import RECORDED_CRIME_HEADER, write_xlsx  # noqa: E402
from tests.hostile import far_cell, member, rezip, with_sheet_data  # noqa: E402

SHARED = PROJECT.parent / "shared" / "data"
CLI = Path(sys.executable).with_name("pcc-dashboard")
LOAD, RECOMMENDATIONS = ("load",), ("load-recommendations",)
HISTORY = ("load-history", "--report", "Living in fear", "--reference", "R1")
REFUSED, LOADED = "refused cleanly", "loaded"
WRONG, UNCLEAR, TRACEBACK, CRASH, HANG, CHANGED = (
    "wrongly loaded",
    "unclear refusal",
    "traceback",
    "crash",
    "hang",
    "database changed",
)
CLASSES = (REFUSED, LOADED, WRONG, UNCLEAR, TRACEBACK, CRASH, HANG, CHANGED)
GOOD_CLASSES = {REFUSED, LOADED}
# The columns that change from one load to the next whatever the file: ids, times, authors.
VOLATILE = {"id", "source_id", "report_id", "recommendation_id", "created_at", "author", "version", "loaded_at"}
FIGURE_TABLES = (
    "recorded_crime",
    "recorded_crime_csp",
    "outcomes",
    "population",
    "population_district",
    "published_figures",
    "prosecutions_return",
    "events",
    "reports",
    "recommendations",
    "recommendation_updates",
)
LOCATED = ("sheet '", "row ", "column '", "line ", "[limits]")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass
class Case:
    """One file of the battery: how it is written, which command loads it and what must happen."""

    name: str  # the file's name as given to the command
    loader: str  # the kind of file it started from
    data: bytes | Callable[[Path], None]  # the bytes, or a writer of the file at a path
    expect: str = "refuse"  # "refuse", "load" or "either"
    same_as: str | None = None  # the case whose figures a load must equal
    command: tuple[str, ...] = LOAD


@dataclass
class Outcome:
    case: Case
    klass: str
    seconds: float
    peak_mb: float
    code: int | None
    message: str
    note: str = ""
    figures: dict = field(default_factory=dict, repr=False)


# ---- text files ------------------------------------------------------------------------------------------------


def as_csv(rows: Sequence[Sequence[object]], delimiter: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


@dataclass
class TextKind:
    """A good CSV file and where its cells are: a count (or None), a period and a free-text column."""

    key: str
    rows: list[list[str]]
    header: int  # index of the header row
    count: int | None
    period_column: int
    text: int | None
    year_0: str
    year_9999: str
    negative_loads: bool = False
    full: bool = False  # every mutation, not only the core ones
    command: tuple[str, ...] = LOAD
    title_period: str | None = None  # the period is in the title row (the mid-year estimates): this text in it

    def cell(self, row: int, column: int, value: object) -> list[list[object]]:
        """The rows with one cell of the first data row (``row`` 0) or a later one replaced."""
        rows = [list(r) for r in self.rows]
        rows[self.header + 1 + row][column] = value
        return rows

    def period(self, row: int, value: str) -> list[list[object]]:
        """The rows with the period of one data row (or of the title) replaced."""
        if self.title_period is None:
            return self.cell(row, self.period_column, value)
        rows = [list(r) for r in self.rows]
        rows[0][0] = rows[0][0].replace(self.title_period, value)
        return rows


def _junk(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def text_cases(kind: TextKind) -> list[Case]:
    """The mutations of one CSV kind: the core ones for every kind, the rest for the recorded crime table."""
    good = f"{kind.key}-good.csv"
    rows, h = kind.rows, kind.header
    text = as_csv(rows)
    body = rows[h + 1 :]
    required = kind.count if kind.count is not None else kind.period_column
    counted = kind.count is not None
    last_is_count = kind.count == len(rows[h]) - 1
    cases = [
        Case(good, kind.key, text.encode(), "load"),
        Case(f"{kind.key}-bom.csv", kind.key, ("\ufeff" + text).encode(), "load", good),
        Case(f"{kind.key}-utf16.csv", kind.key, text.encode("utf-16"), "load", good),
        Case(f"{kind.key}-crlf.csv", kind.key, as_csv(rows, newline="\r\n").encode(), "load", good),
        Case(f"{kind.key}-shuffled-columns.csv", kind.key, as_csv([r[::-1] for r in rows]).encode(), "load", good),
        Case(f"{kind.key}-csv-named.xlsx", kind.key, text.encode(), "load", good),
        Case(f"{kind.key}-empty.csv", kind.key, b""),
        Case(f"{kind.key}-binary.csv", kind.key, _junk(20_000, 1)),
        Case(f"{kind.key}-header-blanked.csv", kind.key, as_csv(_header_cell(rows, h, required, "")).encode()),
        Case(
            f"{kind.key}-truncated.csv",
            kind.key,
            text.rstrip("\n").rsplit(",", 1)[0].encode() + b",",
            "refuse" if last_is_count else "either",
        ),
        Case(f"{kind.key}-period-year-0.csv", kind.key, as_csv(kind.period(0, kind.year_0)).encode()),
        Case(f"{kind.key}-period-9999.csv", kind.key, as_csv(kind.period(1, kind.year_9999)).encode()),
        Case(f"{kind.key}-field-2mb.csv", kind.key, as_csv(kind.cell(0, required, "x" * 2_100_000)).encode()),
        Case(
            f"{kind.key}-duplicate-row.csv",
            kind.key,
            as_csv([*rows, body[0]]).encode(),
            "refuse" if counted else "either",
        ),
    ]
    if kind.count is not None:
        c = kind.count
        cases += [
            Case(f"{kind.key}-count-1e20.csv", kind.key, as_csv(kind.cell(0, c, "1e20")).encode()),
            Case(f"{kind.key}-count-20-digits.csv", kind.key, as_csv(kind.cell(1, c, "12345678901234567890")).encode()),
            Case(
                f"{kind.key}-count-negative.csv",
                kind.key,
                as_csv(kind.cell(2, c, "-5")).encode(),
                "load" if kind.negative_loads else "refuse",
            ),
            Case(f"{kind.key}-count-3e9.csv", kind.key, as_csv(kind.cell(0, c, "3000000000")).encode()),
        ]
    if kind.text is not None:
        accented = as_csv(kind.cell(0, kind.text, "Café ünïcödé – ‘quoted’"))
        cases += [
            Case(f"{kind.key}-accents-utf8.csv", kind.key, accented.encode(), "load"),
            Case(
                f"{kind.key}-accents-cp1252.csv",
                kind.key,
                accented.encode("cp1252"),
                "load",
                f"{kind.key}-accents-utf8.csv",
            ),
            Case(
                f"{kind.key}-control-characters.csv",
                kind.key,
                as_csv(kind.cell(0, kind.text, "Stalk\x01ing\x07\x1b[31m")).encode(),
                "either",
            ),
        ]
    if not kind.full:
        return _with_command(cases, kind.command)
    c = required
    cases += [
        Case(f"{kind.key}-cr-only.csv", kind.key, as_csv(rows, newline="\r").encode(), "either", good),
        Case(f"{kind.key}-semicolons.csv", kind.key, as_csv(rows, delimiter=";").encode(), "either", good),
        Case(f"{kind.key}-tabs.csv", kind.key, as_csv(rows, delimiter="\t").encode(), "either", good),
        Case(
            f"{kind.key}-extra-column.csv",
            kind.key,
            as_csv([[*r, "Notes" if i == h else "n"] for i, r in enumerate(rows)]).encode(),
            "load",
            good,
        ),
        Case(
            f"{kind.key}-title-rows.csv",
            kind.key,
            as_csv([["Police recorded crime, published 19 October 2023"], [], *rows]).encode(),
            "load",
            good,
        ),
        Case(
            f"{kind.key}-blank-lines.csv",
            kind.key,
            "".join(line + ("\n" if i % 3 == 2 else "") for i, line in enumerate(text.splitlines(True))).encode(),
            "load",
            good,
        ),
        Case(f"{kind.key}-trailing-space.csv", kind.key, (text + "\n\n   \n,,,\n").encode(), "load", good),
        Case(f"{kind.key}-whitespace-only.csv", kind.key, b" \n\t\n  \r\n"),
        Case(f"{kind.key}-header-only.csv", kind.key, as_csv(rows[: h + 1]).encode(), "either"),
        Case(
            f"{kind.key}-header-duplicated.csv",
            kind.key,
            as_csv(_header_cell(rows, h, c, rows[h][kind.period_column])).encode(),
        ),
        Case(f"{kind.key}-count-decimal.csv", kind.key, as_csv(kind.cell(0, c, "12.5")).encode()),
        Case(f"{kind.key}-count-nan.csv", kind.key, as_csv(kind.cell(0, c, "NaN")).encode()),
        Case(f"{kind.key}-count-infinity.csv", kind.key, as_csv(kind.cell(0, c, "inf")).encode()),
        Case(f"{kind.key}-count-formula.csv", kind.key, as_csv(kind.cell(0, c, "=1+1")).encode()),
        Case(f"{kind.key}-field-200kb.csv", kind.key, as_csv(kind.cell(0, 3, "y" * 200_000)).encode(), "either"),
        Case(
            f"{kind.key}-300-tabs.csv",
            kind.key,
            as_csv([*rows[: h + 1], ["\t" * 300], *body]).encode(),
            "either",
            good,
        ),
        Case(f"{kind.key}-300-tabs-line.csv", kind.key, (text + "\t" * 300 + "\n").encode(), "either", good),
        Case(f"{kind.key}-nul-byte.csv", kind.key, as_csv(kind.cell(0, 3, "Stalk\x00ing")).encode(), "either"),
        Case(f"{kind.key}-junk-appended.csv", kind.key, text.encode() + _junk(4096, 2)),
        Case(f"{kind.key}-latin1-junk.csv", kind.key, text.encode() + bytes(range(128, 256)) + b"\n"),
        Case(
            f"{kind.key}-formula-injection.csv",
            kind.key,
            as_csv(kind.cell(0, 3, '=HYPERLINK("http://x","click")')).encode(),
            "either",
        ),
        Case(
            f"{kind.key}-unbalanced-quote.csv",
            kind.key,
            text.replace(body[1][3], '"' + body[1][3], 1).encode(),
            "either",
        ),
        Case(
            f"{kind.key}-200000-lines-of-commas.csv",
            kind.key,
            (text + ",,,,,,,\n" * 200_000).encode(),
            "either",
            good,
        ),
        Case(
            f"{kind.key}-million-columns.csv",
            kind.key,
            as_csv([rows[h], [*body[0], *(["1"] * 1_000_000)], *body[1:]]).encode(),
            "either",
        ),
        Case(f"{kind.key}-utf16-no-bom.csv", kind.key, text.encode("utf-16-le")),
        Case(f"{kind.key}-utf32.csv", kind.key, text.encode("utf-32")),
        Case(f"{kind.key}-gzip-named.csv", kind.key, _gzipped(text.encode())),
        Case(f"{kind.key}-first-row-index.csv", kind.key, as_csv([r[1:] for r in rows]).encode()),
    ]
    return _with_command(cases, kind.command)


def _with_command(cases: list[Case], command: tuple[str, ...]) -> list[Case]:
    for case in cases:
        case.command = command
    return cases


def _header_cell(rows, header: int, column: int, value: str) -> list[list[object]]:
    copy = [list(r) for r in rows]
    copy[header][column] = value
    return copy


def _gzipped(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


def document_cases(key: str, good: str, command: tuple[str, ...], broken: tuple[str, str]) -> list[Case]:
    """A text document (a response to a report, a status history) and its mutations; ``broken`` replaces a part
    that must be there (a date, the table's header) with something that cannot be read."""
    name = f"{key}-good.txt"
    text = good
    cases = [
        Case(name, key, text.encode(), "load", command=command),
        Case(f"{key}-bom.txt", key, ("\ufeff" + text).encode(), "load", name, command),
        Case(f"{key}-utf16.txt", key, text.encode("utf-16"), "load", name, command),
        Case(f"{key}-crlf.txt", key, text.replace("\n", "\r\n").encode(), "load", name, command),
        Case(f"{key}-empty.txt", key, b"", command=command),
        Case(f"{key}-binary.txt", key, _junk(20_000, 3), command=command),
        Case(f"{key}-broken.txt", key, text.replace(*broken).encode(), command=command),
        Case(f"{key}-truncated.txt", key, text[: len(text) // 2].encode(), "either", command=command),
        Case(f"{key}-2mb-line.txt", key, (text + "z" * 2_100_000 + "\n").encode(), "either", command=command),
        Case(f"{key}-control.txt", key, text.replace(" ", "\x01 ", 5).encode(), "either", command=command),
        Case(f"{key}-nested-tags.txt", key, ("[on]" * 50_000 + text).encode(), "either", command=command),
        Case(f"{key}-latin1.txt", key, (text + "\nCaf\xe9\n").encode("latin-1"), "either", command=command),
    ]
    return cases


# ---- workbooks -------------------------------------------------------------------------------------------------


SHEET1 = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
INLINE = re.compile(r'<c r="([A-Z]+\d+)"( s="\d+")? t="inlineStr"><is><t>(.*?)</t></is></c>')


def with_shared_strings(source: Path, target: Path) -> Path:
    """``source`` (an XLSX of inline strings, as openpyxl writes) with its text in a shared-strings part, as Excel
    writes it."""
    strings: dict[str, int] = {}

    def shared(match: re.Match) -> str:
        index = strings.setdefault(match[3], len(strings))
        return f'<c r="{match[1]}"{match[2] or ""} t="s"><v>{index}</v></c>'

    sheet = INLINE.sub(shared, member(source, SHEET1).decode())
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    table = f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    types = (
        member(source, "[Content_Types].xml")
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    )
    relations = (
        member(source, "xl/_rels/workbook.xml.rels")
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>',
        )
    )
    replace = {SHEET1: sheet.encode(), STRINGS: XML_DECLARATION + table.encode(), "[Content_Types].xml": types.encode()}
    rezip(source, target, {**replace, "xl/_rels/workbook.xml.rels": relations.encode()})
    return target


def ods_with_table(source: Path, target: Path, tables: Iterable[str], *, instead: bool = False) -> None:
    """``source`` (an ODS) with the XML of more tables written after its own (or ``instead`` of them), streamed."""
    content = member(source, "content.xml").decode()
    start = content.index("<table:table ") if instead else content.index("</office:spreadsheet>")
    end = content.index("</office:spreadsheet>")
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for info in old.infolist():
            if info.filename == "content.xml":
                with new.open("content.xml", "w", force_zip64=True) as out:
                    out.write(content[:start].encode())
                    for piece in tables:
                        out.write(piece.encode())
                    out.write(content[end:].encode())
            else:
                new.writestr(info, old.read(info.filename))


def _ods_cell(value: object) -> str:
    if isinstance(value, str):
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="float" office:value="{value}"/>'


def ods_table(name: str, rows: Iterable[Sequence[object]]) -> Iterable[str]:
    yield f'<table:table table:name="{name}">'
    for row in rows:
        yield "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
    yield "</table:table>"


def many_rows(cells: int, width: int = 20) -> Iterable[str]:
    """Rows of one-number cells, ``cells`` in all, as ODS XML in pieces (a junk sheet no loader knows)."""
    row = "<table:table-row>" + _ods_cell(7) * width + "</table:table-row>"
    for _ in range(0, cells // width, 1000):
        yield row * 1000


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def workbook_cases(work: Path, demo: Path, rc_rows: list[list[str]]) -> list[Case]:
    """The workbooks: good ones from the real ONS tables and the demo's ODS files, then mutated."""
    numbers = [[int(c) if isinstance(c, str) and c.lstrip("-").isdigit() else c for c in r] for r in rc_rows]
    rc_xlsx = write_xlsx(work / "rc.xlsx", {"2019_20": numbers})
    rc_shared = with_shared_strings(rc_xlsx, work / "rc-shared.xlsx")
    rc_ods = work / "rc.ods"
    write_ods(rc_ods, {"Notes": [["Police recorded crime"], ["Notes sheet"]], "2019_20": numbers})
    pfa = next(demo.glob("prc-pfa-*.ods"))
    csp = next(demo.glob("prc-csp-*.ods"))
    outcomes = sorted(demo.glob("prc-outcomes-*.ods"))[-1]
    ons = SHARED / "ons-pfa-tables" / "policeforceareatablesyearendingmarch2018v2.xlsx"
    mye_rows = list(csv.reader(next(demo.glob("ukpopestimatesmid*.csv")).read_text().splitlines()))
    mye = write_xlsx(work / "mye.xlsx", {"MYE2 - Persons": [[_number(c) for c in r] for r in mye_rows]})
    tracker_rows = list(csv.reader((demo / "demo-recommendations-tracker.csv").read_text().splitlines()))
    tracker = write_xlsx(work / "tracker.xlsx", {"Tracker": tracker_rows})

    def copy(source: Path) -> Callable[[Path], None]:
        return lambda path: shutil.copyfile(source, path)

    def cut(source: Path, fraction: float) -> bytes:
        data = source.read_bytes()
        return data[: int(len(data) * fraction)]

    def flipped(source: Path) -> bytes:
        data = bytearray(source.read_bytes())
        middle = len(data) // 2
        data[middle : middle + 64] = _junk(64, 4)
        return bytes(data)

    def edited(source: Path, part: str, old: str, new: str) -> Callable[[Path], None]:
        text = member(source, part).decode()
        assert old in text, (source, old)
        return lambda path: rezip(source, path, {part: text.replace(old, new, 1).encode()})

    def rc_edit(row: int, column: int, value: object) -> Callable[[Path], None]:
        changed = [list(r) for r in numbers]
        changed[row][column] = value
        return lambda path: write_xlsx(path, {"2019_20": changed})

    def rc_sheets(sheets: dict) -> Callable[[Path], None]:
        return lambda path: write_xlsx(path, sheets)

    def rc_merged(path: Path) -> None:
        import openpyxl

        book = openpyxl.load_workbook(rc_xlsx)
        book.active.merge_cells("C2:C5")
        book.save(path)

    def big(cells: int, width: int, header: list[str] | None = None) -> Callable[[Path], None]:
        return lambda path: write_workbook(path, cells, width, header)

    sheet1 = SHEET1
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>Force</t></is></c></row>'
    table = member(rc_shared, STRINGS).decode().split("?>", 1)[1]
    assert "<t>Stalking</t>" in table
    laughs = BILLION_LAUGHS + table.replace("<t>Stalking</t>", "<t>&lol9;</t>", 1)
    xxe = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + table.replace("<t>Stalking</t>", "<t>&e;</t>", 1)
    content = member(rc_ods, "content.xml").decode()
    ods_laughs = BILLION_LAUGHS + content.split("?>", 1)[1].replace(">Stalking<", ">&lol9;<", 1)
    header = RECORDED_CRIME_HEADER
    population_header = ["Force", "Year", "Population"]
    notes = [["Notes"], ["Nothing here"]]
    bomb_row = '<table:table-row table:number-rows-repeated="{rows}">{cells}</table:table-row>'
    valued = '<table:table-cell table:number-columns-repeated="{n}" office:value-type="float" office:value="1"/>'
    empty = '<table:table-cell table:number-columns-repeated="{n}"/>'

    def bomb(rows: int, cells: str, head: str = "", instead: bool = False) -> Callable[[Path], None]:
        """The good ODS with a sheet of ``rows`` repeated rows of ``cells`` after its own (or instead of them)."""
        xml = head + bomb_row.format(rows=rows, cells=cells)
        table = f'<table:table table:name="{"2019_20" if instead else "Bomb"}">{xml}</table:table>'
        return lambda path: ods_with_table(rc_ods, path, [table], instead=instead)

    header_row = "<table:table-row>" + "".join(_ods_cell(name) for name in header) + "</table:table-row>"

    rc = "recorded-crime-workbook"
    cases = [
        Case("rc-good.xlsx", rc, copy(rc_xlsx), "load"),
        Case("rc-good.ods", rc, copy(rc_ods), "load", "rc-good.xlsx"),
        Case("rc-xlsx-named.ods", rc, copy(rc_xlsx), "load", "rc-good.xlsx"),
        Case("rc-xlsx-named.csv", rc, copy(rc_xlsx), "load", "rc-good.xlsx"),
        Case("rc-ods-named.xlsx", rc, copy(rc_ods), "load", "rc-good.xlsx"),
        Case("rc-truncated-half.xlsx", rc, cut(rc_xlsx, 0.5)),
        Case("rc-truncated-directory.xlsx", rc, cut(rc_xlsx, 0.98)),
        Case("rc-corrupt-member.xlsx", rc, flipped(rc_xlsx)),
        Case("rc-truncated-half.ods", rc, cut(rc_ods, 0.5)),
        Case("rc-corrupt-member.ods", rc, flipped(rc_ods)),
        Case("rc-shared-strings.xlsx", rc, copy(rc_shared), "load", "rc-good.xlsx"),
        Case("rc-no-shared-strings.xlsx", rc, lambda p: rezip(rc_shared, p, {STRINGS: None})),
        Case(
            "rc-shared-string-out-of-range.xlsx",
            rc,
            edited(rc_shared, SHEET1, 't="s"><v>0</v>', 't="s"><v>99999999999</v>'),
        ),
        Case("rc-no-workbook-part.xlsx", rc, lambda p: rezip(rc_xlsx, p, {"xl/workbook.xml": None})),
        Case("rc-no-worksheet.xlsx", rc, lambda p: rezip(rc_xlsx, p, {sheet1: None})),
        Case("rc-no-content.ods", rc, lambda p: rezip(rc_ods, p, {"content.xml": None})),
        Case("rc-wrong-mimetype.ods", rc, lambda p: rezip(rc_ods, p, {"mimetype": b"text/plain"})),
        Case(
            "rc-password.ods",
            rc,
            lambda p: rezip(rc_ods, p, {"META-INF/manifest.xml": b"<manifest><encryption-data/></manifest>"}),
            "either",
        ),
        Case("rc-empty.zip.xlsx", rc, lambda p: zipfile.ZipFile(p, "w").close()),
        Case("rc-other-zip.xlsx", rc, lambda p: _other_zip(p)),
        Case("rc-ole-junk.xls", rc, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _junk(4000, 5)),
        Case("rc-count-1e20.xlsx", rc, rc_edit(2, 7, 1e20)),
        Case("rc-count-date.xlsx", rc, rc_edit(2, 7, dt.datetime(2019, 5, 1))),
        Case("rc-count-boolean.xlsx", rc, rc_edit(2, 7, True)),
        Case("rc-count-formula.xlsx", rc, rc_edit(2, 7, "=1+2")),
        Case("rc-count-text-number.xlsx", rc, rc_edit(2, 7, str(numbers[2][7])), "load", "rc-good.xlsx"),
        Case("rc-merged-force-cells.xlsx", rc, rc_merged),
        Case(
            "rc-header-in-row-40.xlsx",
            rc,
            rc_sheets({"2019_20": [*([["title"]] * 39), *numbers]}),
        ),
        Case(
            "rc-300-sheets.xlsx",
            rc,
            rc_sheets({**{f"Notes {i}": notes for i in range(300)}, "2019_20": numbers}),
            "load",
            "rc-good.xlsx",
        ),
        Case("rc-odd-sheet-name.xlsx", rc, rc_sheets({"'; DROP TABLE x; --": numbers}), "load", "rc-good.xlsx"),
        Case("rc-only-notes.xlsx", rc, rc_sheets({"Notes": notes})),
        Case("rc-empty-sheet.xlsx", rc, rc_sheets({"2019_20": []})),
        Case("rc-billion-laughs.xlsx", rc, lambda p: rezip(rc_shared, p, {STRINGS: laughs.encode()})),
        Case("rc-external-entity.xlsx", rc, lambda p: rezip(rc_shared, p, {STRINGS: xxe.encode()}), "either"),
        Case("rc-billion-laughs.ods", rc, lambda p: rezip(rc_ods, p, {"content.xml": ods_laughs.encode()})),
        Case("xlsx-sparse-zzz100000.xlsx", rc, lambda p: with_sheet_data(rc_xlsx, p, head + far_cell("ZZZ", 100_000))),
        Case(
            "xlsx-sparse-xfd1048576.xlsx", rc, lambda p: with_sheet_data(rc_xlsx, p, head + far_cell("XFD", 1_048_576))
        ),
        Case(
            "xlsx-row-99999999999.xlsx", rc, lambda p: with_sheet_data(rc_xlsx, p, head + far_cell("A", 99_999_999_999))
        ),
        Case(
            "xlsx-bad-reference.xlsx",
            rc,
            lambda p: with_sheet_data(rc_xlsx, p, head + '<row r="2"><c r="1A"><v>1</v></c></row>'),
        ),
        Case(
            "xlsx-rows-out-of-order.xlsx",
            rc,
            edited(rc_xlsx, sheet1, '<row r="2"', '<row r="99"'),
            "either",
        ),
        Case("ods-trailing-empty-rows.ods", rc, bomb(1_048_000, empty.format(n=16384)), "load", "rc-good.xlsx"),
        # A sheet of no known kind beside the good one is passed over, as a notes sheet is.
        Case("ods-bomb-repeated-values.ods", rc, bomb(1_048_000, valued.format(n=16384)), "either", "rc-good.xlsx"),
        Case("ods-bomb-10-million-values.ods", rc, bomb(100_000, valued.format(n=100)), "either", "rc-good.xlsx"),
        Case(
            "ods-bomb-wide-gap.ods",
            rc,
            bomb(100_000, _ods_cell("x") + empty.format(n=16_000) + _ods_cell("y")),
            "either",
            "rc-good.xlsx",
        ),
        Case("ods-bomb-alone.ods", rc, bomb(1_048_000, valued.format(n=16384), instead=True)),
        Case("ods-bomb-under-header.ods", rc, bomb(1_048_000, valued.format(n=16384), header_row, instead=True)),
        Case("ods-bomb-10-million-under-header.ods", rc, bomb(100_000, valued.format(n=100), header_row, True)),
        Case(
            "ods-unknown-sheet-5-million-cells.ods",
            rc,
            lambda p: ods_with_table(
                rc_ods, p, ['<table:table table:name="Junk">', *many_rows(5_000_000), "</table:table>"]
            ),
            "load",
            "rc-good.xlsx",
        ),
        Case(
            "ods-only-unknown-5-million-cells.ods",
            rc,
            lambda p: ods_with_table(
                rc_ods, p, ['<table:table table:name="Junk">', *many_rows(5_000_000), "</table:table>"], instead=True
            ),
        ),
        Case("xlsx-5-million-cells.xlsx", "many-cells", big(5_000_000, 70)),
        Case("xlsx-8-million-cells.xlsx", "many-cells", big(8_000_000, 28)),
        Case("xlsx-5-million-population-cells.xlsx", "many-cells", big(5_000_000, 28, population_header)),
        Case("xlsx-4-million-recorded-crime-cells.xlsx", "many-cells", big(4_200_000, 28, header)),
        # The demo's official formats and the real ONS tables.
        Case("pfa-good.ods", "recorded-crime-pfa-ods", copy(pfa), "load"),
        Case("pfa-truncated.ods", "recorded-crime-pfa-ods", cut(pfa, 0.7)),
        Case("csp-good.ods", "recorded-crime-csp-ods", copy(csp), "load"),
        Case("csp-named.xlsx", "recorded-crime-csp-ods", copy(csp), "load", "csp-good.ods"),
        Case(
            "csp-partnership-blank.ods",
            "recorded-crime-csp-ods",
            edited(csp, "content.xml", ">Unassigned Devon and Cornwall<", "> <"),
        ),
        Case("outcomes-good.ods", "outcomes-ods", copy(outcomes), "load"),
        Case("outcomes-corrupt.ods", "outcomes-ods", flipped(outcomes)),
        Case(
            "outcomes-negative.ods",
            "outcomes-ods",
            edited(
                outcomes,
                "content.xml",
                'office:value-type="float" office:value="',
                'office:value-type="float" office:value="-',
            ),
        ),
        Case("ons-good.xlsx", "ons-pfa-tables", copy(ons), "load"),
        Case("ons-truncated.xlsx", "ons-pfa-tables", cut(ons, 0.6)),
        Case("ons-no-shared-strings.xlsx", "ons-pfa-tables", lambda p: rezip(ons, p, {STRINGS: None})),
        Case("mye-good.xlsx", "mid-year-estimates", copy(mye), "load"),
        Case("mye-population-1e20.xlsx", "mid-year-estimates", _mye_edit(mye_rows, 2, 3, 1e20)),
        Case("tracker-good.xlsx", "tracker-xlsx", copy(tracker), "load", command=RECOMMENDATIONS),
        Case("tracker-truncated.xlsx", "tracker-xlsx", cut(tracker, 0.5), command=RECOMMENDATIONS),
        Case(
            "tracker-sparse-zzz100000.xlsx",
            "tracker-xlsx",
            lambda p: with_sheet_data(tracker, p, head + far_cell("ZZZ", 100_000)),
            command=RECOMMENDATIONS,
        ),
        Case("tracker-given-to-load.xlsx", "tracker-xlsx", copy(tracker)),
    ]
    return cases


def _number(cell: str) -> object:
    return int(cell) if cell.isdigit() else cell


def _mye_edit(rows: list[list[str]], row: int, column: int, value: object) -> Callable[[Path], None]:
    changed = [[_number(c) for c in r] for r in rows]
    changed[row][column] = value
    return lambda path: write_xlsx(path, {"MYE2 - Persons": changed})


def _other_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")


# ---- every case ------------------------------------------------------------------------------------------------


def demo_files(folder: Path) -> Path:
    """The demo's files in the official formats, written by ``pcc-dashboard demo --folder`` into a database of its own."""
    demo = folder / "demo"
    environment = {**os.environ, "PCC_DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}"}
    subprocess.run([str(CLI), "demo", "--folder", str(demo)], env=environment, check=True, capture_output=True)
    return demo


def all_cases(work: Path) -> list[Case]:
    demo = demo_files(work)
    rc_rows = hostile.recorded_crime_rows(SHARED)
    extract = list(csv.reader((demo / "demo-monthly-extract-devon-and-cornwall.csv").open(encoding="utf-8")))[:41]
    returns = list(csv.reader((demo / "demo-prosecutions-and-orders-return.csv").open(encoding="utf-8")))[:41]
    events = list(csv.reader((demo / "demo-local-events.csv").open(encoding="utf-8")))
    mye = list(csv.reader(next(demo.glob("ukpopestimatesmid*.csv")).open(encoding="utf-8")))
    tracker = list(csv.reader((demo / "demo-recommendations-tracker.csv").open(encoding="utf-8")))
    kinds = [
        TextKind("recorded-crime", rc_rows, 0, 7, 0, 3, "0000/01", "9999/00", negative_loads=True, full=True),
        TextKind("monthly-extract", extract, 0, 4, 0, 3, "0000-05", "9999-05"),
        TextKind("population", hostile.population_rows(SHARED), 0, 3, 2, None, "0", "9999"),
        TextKind("mid-year-estimates", mye, 1, 3, 2, 1, "Mid-0000", "Mid-9999", title_period=mye[0][0][:8]),
        TextKind("prosecutions", returns, 0, 3, 0, None, "0000/01 Q1", "9999/00 Q4"),
        TextKind("events", events, 0, None, 0, 3, "0000-05-01", "9999-05-01"),
        TextKind("tracker", tracker, 0, None, 6, 7, "20/03/0000", "20/03/9999", command=RECOMMENDATIONS),
    ]
    cases = [case for kind in kinds for case in text_cases(kind)]
    response = (demo / "dc-response-to-hmicfrs-stalking-2019.txt").read_text(encoding="utf-8")
    header = "Recommendations\tD&C Response"
    assert header in response
    cases += document_cases("response", response, RECOMMENDATIONS, (header, "Recommendations D&C Response"))
    history = (
        "[on]10th April 2019 [status]awaiting-review[/status][/on]"
        "[on]4th June 2019 [status]being-progressed[/status][comment]Working on it.[/comment][/on]\n"
    )
    cases += document_cases("history", history, HISTORY, ("10th April 2019", "10th April 9999"))
    cases.append(Case("history-year-0.txt", "history", history.replace("2019", "0000", 1).encode(), command=HISTORY))
    cases += workbook_cases(work, demo, rc_rows)
    # A tracker given to `load` is refused with the command to use.
    cases.append(Case("tracker-given-to-load.csv", "tracker", as_csv(tracker).encode()))
    return cases


# ---- running one file ------------------------------------------------------------------------------------------


def figures(database: Path) -> dict[str, list[tuple]]:
    """The rows of every table of figures and recommendations, without ids, times and authors, in order."""
    connection = sqlite3.connect(database)
    try:
        out = {}
        for table in FIGURE_TABLES:
            columns = [row[1] for row in connection.execute(f"pragma table_info({table})") if row[1] not in VOLATILE]
            if columns:
                rows = connection.execute(f"select {', '.join(columns)} from {table}").fetchall()
                out[table] = sorted(rows, key=repr)
        return out
    finally:
        connection.close()


def high_water_mb(pid: int) -> float:
    """The peak resident memory of a running process (VmHWM), in MB; 0 once it has ended."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_one(case: Case, path: Path, template: Path, folder: Path, timeout: float) -> Outcome:
    database = folder / "battery.sqlite"
    for leftover in folder.glob("battery.sqlite*"):
        leftover.unlink()
    shutil.copyfile(template, database)
    before = digest(database)
    environment = {**os.environ, "PCC_DATABASE_URL": f"sqlite:///{database}", "PYTHONFAULTHANDLER": ""}
    command = [str(CLI), *case.command[:1], str(path), *case.command[1:]]
    with open(folder / "out", "w+b") as out, open(folder / "err", "w+b") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=environment, start_new_session=True)
        code, hung, peak = None, False, 0.0
        while True:
            # The child's own high-water mark: its resource usage would also count the memory of this process,
            # from which it was started (Linux keeps the larger across exec).
            peak = max(peak, high_water_mb(child.pid))
            pid, status, _ = os.wait4(child.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - started > timeout:
                hung = True
                os.killpg(child.pid, signal.SIGKILL)
                os.wait4(child.pid, 0)
                break
            time.sleep(0.01)
        child.returncode = code if code is not None else -9  # reaped here, not by Popen
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        message = (out.read() + err.read()).decode("utf-8", "replace")
    outcome = Outcome(case, "", seconds, peak, code, message)
    if hung:
        outcome.klass = HANG
    elif "Traceback" in message:
        outcome.klass = TRACEBACK
    elif code is None or code < 0 or code not in (0, 1):
        outcome.klass = CRASH
    elif code == 0:
        outcome.figures = figures(database)
        outcome.klass = WRONG if case.expect == "refuse" else LOADED
        if case.expect == "refuse":
            outcome.note = "a file that must be refused was loaded"
    else:
        log = database.with_name(database.name + "-wal")  # what a write would leave before a checkpoint
        if digest(database) != before or (log.exists() and log.stat().st_size):
            outcome.klass = CHANGED
        elif path.name not in message:
            outcome.klass = UNCLEAR
        else:
            outcome.klass = REFUSED
            if case.expect == "load":
                outcome.note = "a legitimate variant was refused"
    return outcome


def run(cases: Sequence[Case], work: Path, timeout: float, report: Callable[[Outcome], None] | None = None):
    """Write and load every case; figures of variants are checked against their good file's."""
    folder = work / "run"
    folder.mkdir(exist_ok=True)
    files = work / "files"
    files.mkdir(exist_ok=True)
    template = work / "template.sqlite"
    if not template.exists():
        environment = {**os.environ, "PCC_DATABASE_URL": f"sqlite:///{template}"}
        subprocess.run(
            [str(CLI), "load-recommendations", str(hostile.TRACKER), "--author", "battery"],
            env=environment,
            check=True,
            capture_output=True,
        )
        # Everything into the main file, so that a copy of that file is the whole database.
        connection = sqlite3.connect(template)
        connection.execute("pragma wal_checkpoint(TRUNCATE)")
        connection.close()
        for log in (template.with_name(template.name + "-wal"), template.with_name(template.name + "-shm")):
            log.unlink(missing_ok=True)
    outcomes: dict[str, Outcome] = {}
    compared = {case.same_as for case in cases}
    for case in cases:
        path = files / case.name
        if callable(case.data):
            case.data(path)
        else:
            path.write_bytes(case.data)
        try:
            outcome = run_one(case, path, template, folder, timeout)
        finally:
            path.unlink(missing_ok=True)
        good = outcomes.get(case.same_as) if case.same_as else None
        if outcome.klass == LOADED and good is not None and good.klass == LOADED and outcome.figures != good.figures:
            outcome.klass, outcome.note = WRONG, f"the figures differ from {case.same_as}'s"
        if case.name not in compared:
            outcome.figures = {}  # kept only for the variants to be compared with
        outcomes[case.name] = outcome
        if report:
            report(outcome)
    return list(outcomes.values())


def first_line(message: str) -> str:
    lines = [line for line in message.splitlines() if line.strip()]
    shown = lines[1] if len(lines) > 1 and lines[0].startswith("Refused") else (lines[0] if lines else "")
    return shown[:160]


def summary(outcomes: Sequence[Outcome]) -> str:
    counts = Counter(o.klass for o in outcomes)
    by_loader: dict[str, Counter] = defaultdict(Counter)
    for outcome in outcomes:
        by_loader[outcome.case.loader][outcome.klass] += 1
    shown = [k for k in CLASSES if counts[k] or k in GOOD_CLASSES]
    lines = [f"{len(outcomes)} files", "", "| loader | " + " | ".join(shown) + " |"]
    lines.append("| --- |" + " ---: |" * len(shown))
    for loader in sorted(by_loader):
        lines.append(f"| {loader} | " + " | ".join(str(by_loader[loader][k]) for k in shown) + " |")
    lines.append("| **all** | " + " | ".join(f"**{counts[k]}**" for k in shown) + " |")
    refused = [o for o in outcomes if o.klass == REFUSED]
    located = sum(1 for o in refused if any(word in o.message for word in LOCATED))
    lines += [
        "",
        f"Refusals: {len(refused)}, every one with the database's bytes unchanged; {located} name a sheet, row, "
        f"column, line or [limits] bound, {len(refused) - located} are about the whole file (empty, not a "
        "spreadsheet, truncated).",
        "",
        "Slowest files:",
        "",
        "| file | class | seconds | peak MB |",
        "| --- | --- | ---: | ---: |",
    ]
    for outcome in sorted(outcomes, key=lambda o: -o.seconds)[:6]:
        lines.append(f"| {outcome.case.name} | {outcome.klass} | {outcome.seconds:.1f} | {outcome.peak_mb:,.0f} |")
    lines += ["", "Largest peak memory:", "", "| file | class | seconds | peak MB |", "| --- | --- | ---: | ---: |"]
    for outcome in sorted(outcomes, key=lambda o: -o.peak_mb)[:6]:
        lines.append(f"| {outcome.case.name} | {outcome.klass} | {outcome.seconds:.1f} | {outcome.peak_mb:,.0f} |")
    notes = [o for o in outcomes if o.klass not in GOOD_CLASSES or o.note]
    if notes:
        lines += ["", "To look at:", ""]
        for outcome in notes:
            lines.append(
                f"- {outcome.case.name}: {outcome.klass} (exit {outcome.code}); {outcome.note or ''} "
                f"{first_line(outcome.message)}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", help="run only the cases whose name holds one of these words")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a file may take (60)")
    parser.add_argument("--keep", help="write the files and databases into this folder and keep them")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    options = parser.parse_args(argv)
    work = Path(options.keep or tempfile.mkdtemp(prefix="pcc-battery-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        cases = all_cases(work)
        if options.only:
            wanted = {c.same_as for c in cases if any(w in c.name for w in options.only)}
            cases = [c for c in cases if any(w in c.name for w in options.only) or c.name in wanted]
        if options.list:
            for case in cases:
                print(f"{case.name}\t{case.loader}\t{case.expect}\t{' '.join(case.command)}")
            return 0
        print(
            f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
            f"{len(cases)} files, timeout {options.timeout:.0f} s",
            flush=True,
        )
        started = time.perf_counter()

        def report(outcome: Outcome) -> None:
            flag = "" if outcome.klass in GOOD_CLASSES and not outcome.note else "  <--"
            print(
                f"{outcome.klass:16} {outcome.seconds:6.1f} s {outcome.peak_mb:7,.0f} MB  {outcome.case.name}"
                f"  {first_line(outcome.message)[:90]}{flag}",
                flush=True,
            )

        outcomes = run(cases, work, options.timeout, report)
        print(f"\n{summary(outcomes)}\n\nTotal time {time.perf_counter() - started:.0f} s")
        return 0 if all(o.klass in GOOD_CLASSES for o in outcomes) else 1
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
