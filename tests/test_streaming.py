"""The streaming reader gives exactly the cells python-calamine gives, in memory that does not grow with the rows."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from python_calamine import CalamineWorkbook

from data_loaders.ods import MANIFEST, MIMETYPE, NAMESPACES, STYLES, write_ods
from data_loaders.streaming import StreamError, iter_sheets, sheet_spans, xml_size
from data_loaders.tables import open_workbook

# ---- helpers ------------------------------------------------------------------------------------


def trimmed(rows) -> list[list[object]]:
    """Rows without their trailing empty cells, and without trailing empty rows: calamine pads to the sheet's width."""
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] == "" and isinstance(row[-1], str):
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def typed(sheets):
    """Each cell with its type, so that 1.0, 1 and True (equal in Python) are told apart."""
    return [(name, [[(type(cell), cell) for cell in row] for row in rows]) for name, rows in sheets]


def calamine_sheets(path: Path) -> list[tuple[str, list[list[object]]]]:
    book = CalamineWorkbook.from_path(str(path))
    return [(name, trimmed(book.get_sheet_by_name(name).to_python(skip_empty_area=False))) for name in book.sheet_names]


def streamed_sheets(path: Path) -> list[tuple[str | None, list[list[object]]]]:
    return [(sheet.name, trimmed(sheet.rows)) for sheet in iter_sheets(path)]


def assert_same_as_calamine(path: Path) -> list[tuple[str | None, list[list[object]]]]:
    streamed = streamed_sheets(path)
    assert typed(streamed) == typed(calamine_sheets(path))
    return streamed


def zip_ods(path: Path, body: str, *, content: str | None = None) -> Path:
    """An ODS file around hand-written sheets (``table:table`` elements), or around a whole ``content.xml``."""
    if content is None:
        content = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NAMESPACES} '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
            f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("styles.xml", STYLES)
        archive.writestr("content.xml", content)
    return path


def table(name: str, *rows: str) -> str:
    return f"<table:table table:name={quoteattr(name)}>{''.join(rows)}</table:table>"


def tr(*cells: str, repeat: int | None = None) -> str:
    attribute = f' table:number-rows-repeated="{repeat}"' if repeat else ""
    return f"<table:table-row{attribute}>{''.join(cells)}</table:table-row>"


def text_cell(*paragraphs: str, repeat: int | None = None, tag: str = "table:table-cell") -> str:
    attribute = f' table:number-columns-repeated="{repeat}"' if repeat else ""
    inner = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    return f'<{tag} office:value-type="string"{attribute}>{inner}</{tag}>'


def number_cell(value: object, repeat: int | None = None) -> str:
    attribute = f' table:number-columns-repeated="{repeat}"' if repeat else ""
    return f'<table:table-cell office:value-type="float" office:value="{value}"{attribute}/>'


def empty_cells(repeat: int | None = None) -> str:
    return f'<table:table-cell table:number-columns-repeated="{repeat}"/>' if repeat else "<table:table-cell/>"


XLSX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
PACKAGE_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def zip_xlsx(
    path: Path,
    sheets: list[tuple[str, str]],
    *,
    shared: list[str] | None = None,
    formats: dict[int, str] | None = None,
    styles: list[int] = (0,),
    date1904: bool = False,
) -> Path:
    """A minimal XLSX file: each sheet is (name, the XML inside ``sheetData``); ``styles`` are the cellXfs numFmtIds."""
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{SPREADSHEET_NS}" xmlns:r="{RELATIONSHIP_NS}">'
        + ('<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>")
        + "<sheets>"
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1)
        )
        + "</sheets></workbook>"
    )
    relationship = '<Relationship Id="rId{}" Type="' + RELATIONSHIP_NS + '/{}" Target="{}"/>'
    rels = [relationship.format(i, "worksheet", f"worksheets/sheet{i}.xml") for i in range(1, len(sheets) + 1)]
    rels.append(relationship.format(len(sheets) + 1, "styles", "styles.xml"))
    if shared is not None:
        rels.append(relationship.format(len(sheets) + 2, "sharedStrings", "sharedStrings.xml"))
    number_formats = "".join(
        f"<numFmt numFmtId={quoteattr(str(i))} formatCode={quoteattr(code)}/>" for i, code in (formats or {}).items()
    )
    style_sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{SPREADSHEET_NS}">'
        f'<numFmts>{number_formats}</numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>'
        f"<cellXfs>{''.join(f'<xf numFmtId={quoteattr(str(i))}/>' for i in styles)}</cellXfs></styleSheet>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", XLSX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELATIONSHIPS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}</Relationships>',
        )
        archive.writestr("xl/styles.xml", style_sheet)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{SPREADSHEET_NS}">{"".join(shared)}</sst>')
        for i, (_, data) in enumerate(sheets, 1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<worksheet xmlns="{SPREADSHEET_NS}"><sheetData>{data}</sheetData></worksheet>',
            )
    return path


def share_strings(path: Path) -> Path:
    """The workbook rewritten with shared strings, as Excel writes it (openpyxl writes every text inline)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    table: dict[str, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = table.setdefault(match[3].decode(), len(table))
        return b"<c " + match[1] + b't="s"' + match[2] + b"><v>" + str(index).encode() + b"</v></c>"

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', shared, parts[name])
    parts["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{SPREADSHEET_NS}">' + "".join(f"<si>{s}</si>" for s in table) + "</sst>"
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdShared" Type="{RELATIONSHIP_NS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>".encode(),
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


# ---- ODS written by the project's writer ---------------------------------------------------------

NOTES = [
    ["Police recorded crime by community safety partnership"],
    [None],
    ["Released", dt.date(2026, 7, 23)],
    ["Contact", "crimestats@homeoffice.gov.uk", None, None],
]
DATA = [
    ["Financial Year", "Financial Quarter", "Force Name", "CSP Name", "Offence Code", "Offence Count", "Note"],
    ["2012/13", 1, "Devon and Cornwall", "Exeter", 37.200000000000003, 12, None],
    ["2012/13", 2.0, "Devon and Cornwall", "Plymouth", "8Q", -3, "net adjustment"],
    [None, None, None, None, None, None, None],
    ["2013/14", 3, "London, City of", "  two  leading and trailing  ", "8L", 0, "line one\nline two\n\nline four"],
    ["<&>\"'", 4, "Ünïcödé — ‘quotes’", None, "1/4.1/4.10/4.2", 1e20, None],
    [dt.date(2024, 2, 29), dt.datetime(2024, 3, 1, 13, 45, 7), dt.datetime(2024, 3, 1, 0, 0, 0, 250000), True, False],
    [None, None, "middle gap", None, None, 5.5],
    [123456789012, 0.1 + 0.2, -0.0, 1.5e-10, float("1e-300")],
]


def test_a_workbook_from_write_ods_streams_exactly_as_calamine_reads_it(tmp_path):
    path = write_ods(tmp_path / "csp.ods", {"Notes": NOTES, "2012_13": DATA, "Empty": [[None]], "2013_14": DATA[:2]})

    streamed = assert_same_as_calamine(path)

    assert [name for name, _ in streamed] == ["Notes", "2012_13", "Empty", "2013_14"]
    rows = dict(streamed)["2012_13"]
    assert rows[1] == ["2012/13", 1.0, "Devon and Cornwall", "Exeter", 37.2, 12.0]
    assert isinstance(rows[1][1], float) and rows[1][4] == 37.2
    assert rows[3] == []
    assert rows[4][3] == "  two  leading and trailing  "
    assert rows[4][6] == "line one\nline two\n\nline four"
    assert rows[6] == [
        dt.date(2024, 2, 29),
        dt.datetime(2024, 3, 1, 13, 45, 7),
        dt.datetime(2024, 3, 1, 0, 0, 0, 250000),
        True,
        False,
    ]
    assert type(rows[6][0]) is dt.date
    assert rows[7] == ["", "", "middle gap", "", "", 5.5]
    assert dict(streamed)["Empty"] == []


def test_rows_end_at_their_last_value_and_blank_rows_are_empty_lists(tmp_path):
    path = write_ods(tmp_path / "t.ods", {"S": [["a", None, None], [None], [None, "b", None], [None, None]]})

    sheet = next(iter_sheets(path))

    assert sheet.name == "S"
    assert list(sheet.rows) == [["a"], [], ["", "b"]]


def test_many_rows_across_chunk_boundaries_match_calamine(tmp_path, monkeypatch):
    rng = random.Random(20260723)
    words = ["Devon and Cornwall", "8Q", "multi\nline", "  spaced  out  ", "&<>", "", None]
    rows = [["Financial Year", "Force Name", "Offence Code", "Offence Count"]]
    for _ in range(3000):
        rows.append([rng.choice(words), rng.choice(words), rng.randint(-5, 10_000), rng.random(), rng.choice(words)])
    path = write_ods(tmp_path / "big.ods", {"Notes": [["n"]], "2020_21": rows, "2021_22": rows[:100]})
    # Small chunks split tags, text and entities everywhere.
    monkeypatch.setattr("data_loaders.streaming.feed.CHUNK_SIZE", 997)

    assert_same_as_calamine(path)


# ---- hand-written ODS ------------------------------------------------------------------------------


def test_repeated_cells_and_rows_are_expanded_except_trailing_empty_ones(tmp_path):
    body = table(
        "Data",
        tr(empty_cells(16_384), repeat=2),  # leading empty rows, as wide as a sheet
        tr(empty_cells(2), text_cell("x"), number_cell(3, repeat=3), empty_cells(16_000)),
        tr(empty_cells(5), repeat=3),  # empty rows between data rows are kept
        tr(text_cell("same", repeat=2), number_cell("1.5"), repeat=2),  # a repeated row with values
        tr(empty_cells(16_384), repeat=1_048_000),  # the rest of the sheet: never expanded
    ) + table("Blank", tr(empty_cells(16_384), repeat=1_048_576))
    path = zip_ods(tmp_path / "repeats.ods", body)

    streamed = assert_same_as_calamine(path)

    assert streamed == [
        (
            "Data",
            [[], [], ["", "", "x", 3.0, 3.0, 3.0], [], [], [], ["same", "same", 1.5], ["same", "same", 1.5]],
        ),
        ("Blank", []),
    ]


def test_the_rows_of_a_repeated_row_are_separate_lists(tmp_path):
    path = zip_ods(tmp_path / "r.ods", table("S", tr(number_cell(1), repeat=3)))

    first, second, third = next(iter_sheets(path)).rows
    first.append("changed")

    assert second == third == [1.0]


def test_repeats_beyond_the_largest_sheet_are_cut_at_its_edge(tmp_path, monkeypatch):
    monkeypatch.setattr("data_loaders.streaming.ods.MAX_ROWS", 4)
    monkeypatch.setattr("data_loaders.streaming.ods.MAX_COLUMNS", 3)
    body = table(
        "S", tr(number_cell(1, repeat=1_000_000_000), repeat=2_000_000_000), tr(empty_cells(10), number_cell(2))
    )
    path = zip_ods(tmp_path / "huge.ods", body)

    sheet = next(iter_sheets(path))

    # A value beyond the last column is passed over, with the empty cells before it.
    assert list(sheet.rows) == [[1.0, 1.0, 1.0]] * 4


def test_a_sheet_passed_over_is_not_expanded_row_by_row(tmp_path):
    """A million repeated rows of 16,384 numbers (a file of a kilobyte) are passed over in an instant when the
    reader moves on to the next sheet: expanding them took a minute."""
    bomb = tr(number_cell(1, repeat=16_384), repeat=1_048_000)
    path = zip_ods(
        tmp_path / "bomb.ods", table("Bomb", tr(text_cell("head")), bomb) + table("Next", tr(number_cell(2)))
    )
    started = time.perf_counter()

    sheets = iter_sheets(path)
    first = next(sheets)
    assert next(first.rows) == ["head"]
    assert len(next(first.rows)) == 16_384
    second = next(sheets)

    assert (second.name, list(second.rows)) == ("Next", [[2.0]])
    assert time.perf_counter() - started < 3


def test_a_sheet_not_begun_is_passed_over_too(tmp_path):
    bomb = tr(number_cell(1, repeat=16_384), repeat=1_048_000)
    path = zip_ods(tmp_path / "bomb.ods", table("Bomb", bomb) + table("Next", tr(number_cell(2))))

    assert [(sheet.name, list(sheet.rows) if sheet.name == "Next" else None) for sheet in iter_sheets(path)] == [
        ("Bomb", None),
        ("Next", [[2.0]]),
    ]


# ---- the cells a sheet spans, counted without parsing -------------------------------------------------------


def spans_of(path: Path, fmt: str, limit: int | None = None) -> list[tuple]:
    return [(sheet.name, sheet.rows, sheet.columns) for sheet in sheet_spans(path, fmt, limit).sheets]


def test_an_ods_sheet_spans_its_repeats_as_a_whole_read_expands_them(tmp_path):
    body = table(
        "Data",
        tr(empty_cells(16_384), repeat=2),  # leading empty rows count: a whole read gives them
        tr(empty_cells(2), text_cell("x"), number_cell(3, repeat=3), empty_cells(16_000)),  # 6 wide
        tr(text_cell("same", repeat=2), number_cell("1.5"), repeat=2),
        tr(empty_cells(16_384), repeat=1_048_000),  # trailing empty rows do not
    )
    body += table("Bomb", tr(number_cell(1, repeat=16_384), repeat=1_048_000))
    body += table("Gap", tr(text_cell("x"), empty_cells(16_000), text_cell("y")), tr(empty_cells(3), repeat=99))
    path = zip_ods(tmp_path / "repeats.ods", body)

    assert spans_of(path, "ods") == [("Data", 5, 6), ("Bomb", 1_048_000, 16_384), ("Gap", 1, 16_002)]


def test_the_count_stops_at_the_limit_and_still_lists_every_sheet(tmp_path):
    body = table("Bomb", tr(number_cell(1, repeat=16_384), repeat=1_048_000)) + table("Next", tr(number_cell(2)))
    path = zip_ods(tmp_path / "bomb.ods", body)

    spans = sheet_spans(path, "ods", 1_000_000)

    assert (spans.complete, [sheet.name for sheet in spans.sheets]) == (False, ["Bomb", "Next"])


def test_the_count_names_the_sheets_the_reader_gives_in_either_quotes(tmp_path):
    """The count tells a streamed load how many sheets there are, so it must find every one the reader finds."""
    body = "<table:table table:name='First &amp; last'>" + tr(number_cell(1)) + "</table:table>"
    body += table('Say "hi"', tr(number_cell(2)))  # written in single quotes, as it holds a double one
    path = zip_ods(tmp_path / "quotes.ods", body)

    assert [sheet.name for sheet in sheet_spans(path, "ods").sheets] == ["First & last", 'Say "hi"']
    assert [sheet.name for sheet in iter_sheets(path)] == ["First & last", 'Say "hi"']


def test_an_xlsx_sheet_spans_to_its_farthest_cell_whatever_its_row_element_says(tmp_path):
    from files import write_xlsx
    from hostile import far_cell, with_sheet_data

    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["a", "b"], [1, 2]]})
    xml = '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c s="0" r="ZZ7"><v>1</v></c></row>'
    path = with_sheet_data(good, tmp_path / "far.xlsx", xml + far_cell("B", 99_999_999_999))

    assert spans_of(good, "xlsx") == [("S", 2, 2)]
    assert spans_of(path, "xlsx") == [("S", 99_999_999_999, 702)]


def test_text_markup_is_read_as_calamine_reads_it(tmp_path):
    cells = [
        text_cell('a<text:span text:style-name="T1">bold<text:s text:c="3"/>part</text:span><text:s/>end'),
        text_cell('see <text:a xlink:href="https://www.gov.uk">the guide</text:a>', "second paragraph"),
        text_cell('<text:s text:c="2"/>indented', "", "after a blank paragraph"),
        # calamine drops tabs and line breaks inside a paragraph; the streamed text does the same.
        text_cell("tab<text:tab/>bed", "line<text:line-break/>break"),
        '<table:table-cell office:value-type="string"><office:annotation><dc:creator>Analyst</dc:creator>'
        "<text:p>a comment, not the value</text:p><text:p>two<text:s/></text:p></office:annotation>"
        "<text:p>the value</text:p></table:table-cell>",
        text_cell("merged", tag="table:covered-table-cell"),
        "<table:covered-table-cell/>",
        text_cell("&amp; &lt;tag&gt; &#x41;&#66;"),
        '<table:table-cell office:value-type="string"><text:p/><text:p/></table:table-cell>',
    ]
    path = zip_ods(tmp_path / "text.ods", table("S", tr(*cells)))

    streamed = assert_same_as_calamine(path)

    assert streamed[0][1] == [
        [
            "abold   part end",
            "see the guide\nsecond paragraph",
            "  indented\n\nafter a blank paragraph",
            "tabbed\nlinebreak",
            "the value",
            "merged",
            "",
            "& <tag> AB",
            "\n",
        ]
    ]


def test_value_types_are_read_as_calamine_reads_them(tmp_path):
    cells = [
        '<table:table-cell office:value-type="percentage" office:value="0.25"/>',
        '<table:table-cell office:value-type="currency" office:currency="GBP" office:value="12.5"/>',
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"/>',
        '<table:table-cell office:value-type="boolean" office:boolean-value="false"/>',
        '<table:table-cell office:value-type="date" office:date-value="2021-03-04"/>',
        '<table:table-cell office:value-type="date" office:date-value="2021-03-04T00:00:00"/>',
        '<table:table-cell office:value-type="date" office:date-value="2021-03-04T10:11:12.123456789"/>',
        '<table:table-cell office:value-type="date" office:date-value="2021-02-30"/>',
        '<table:table-cell office:value-type="time" office:time-value="PT01H02M03.5S"/>',
        '<table:table-cell office:value-type="time" office:time-value="PT25H00M00S"/>',
        '<table:table-cell office:value-type="string" office:string-value="from the attribute"><text:p>x</text:p>'
        "</table:table-cell>",
        '<table:table-cell office:value-type="float" office:value="7" table:formula="of:=3+4"><text:p>7</text:p>'
        "</table:table-cell>",
        '<table:table-cell office:value-type="float"><text:p>no value</text:p></table:table-cell>',
        "<table:table-cell><text:p>no type</text:p></table:table-cell>",
        '<table:table-cell office:value-type="string" office:value="8"><text:p>t</text:p></table:table-cell>',
        '<table:table-cell table:style-name="ce1" office:value-type="float" office:value="-1E-3" '
        'calcext:value-type="float"><text:p>-0.001</text:p></table:table-cell>',
        text_cell("last"),
    ]
    path = zip_ods(tmp_path / "types.ods", table("S", tr(*cells)))

    streamed = assert_same_as_calamine(path)

    assert streamed[0][1] == [
        [
            0.25,
            12.5,
            True,
            False,
            dt.date(2021, 3, 4),
            dt.datetime(2021, 3, 4),
            dt.datetime(2021, 3, 4, 10, 11, 12, 123456),
            "2021-02-30",
            dt.time(1, 2, 3, 500000),
            "PT25H00M00S",
            "from the attribute",
            7.0,
            "",
            "",
            8.0,
            -0.001,
            "last",
        ]
    ]


BOOLEANS = ["true", "false", "TRUE"]


def date_cell(iso: str) -> str:
    return f'<table:table-cell office:value-type="date" office:date-value="{iso}"/>'


def test_cells_built_at_random_match_calamine(tmp_path):
    rng = random.Random(7)
    pieces = [
        lambda: number_cell(rng.choice(["0", "1", "-2.5", "37.200000000000003", "1e300", "123456789012345678"])),
        lambda: number_cell(rng.randint(0, 9), repeat=rng.randint(1, 4)),
        lambda: text_cell(rng.choice(["a", "b c", "&amp;", ""]), repeat=rng.choice([None, 2, 3])),
        lambda: text_cell("p1", 'p<text:s text:c="2"/>2'),
        lambda: empty_cells(rng.choice([None, 1, 2, 7])),
        lambda: '<table:table-cell office:value-type="string"/>',
        lambda: date_cell(f"2020-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"),
        lambda: f'<table:table-cell office:value-type="boolean" office:boolean-value="{rng.choice(BOOLEANS)}"/>',
        lambda: text_cell("covered", tag="table:covered-table-cell"),
    ]
    rows = []
    for _ in range(300):
        cells = [rng.choice(pieces)() for _ in range(rng.randint(0, 8))]
        rows.append(tr(*cells, repeat=rng.choice([None, None, None, 2, 3])))
    path = zip_ods(tmp_path / "random.ods", table("A", *rows[:150]) + table("B", *rows[150:]))

    assert_same_as_calamine(path)


def test_a_sheet_left_unread_is_skipped_and_its_rows_then_end(tmp_path):
    path = write_ods(tmp_path / "s.ods", {"Notes": [["n"], ["m"]], "Data": [["h"], [1], [2]], "Last": [["z"]]})

    sheets = iter_sheets(path)
    notes = next(sheets)
    assert next(notes.rows) == ["n"]
    data = next(sheets)
    assert list(notes.rows) == []  # the rest of Notes was passed over when Data was reached
    last = next(sheets)
    assert (notes.name, data.name, last.name) == ("Notes", "Data", "Last")
    assert list(data.rows) == []
    assert list(last.rows) == [["z"]]


def test_an_xlsx_sheet_left_for_the_next_is_not_read_to_its_end(tmp_path, monkeypatch):
    # Each XLSX worksheet is a member of its own: moving on closes it, so what is left of it is never parsed (here
    # 2,000 rows, then XML broken off, which is refused when it is reached), however many cells it holds.
    many = "".join(f'<row r="{n}"><c><v>{n}</v></c></row>' for n in range(2, 2002))
    rows = '<row r="1"><c t="inlineStr"><is><t>Unknown</t></is></c></row>' + many + '<row r="2002"><c><v>1</c>'
    path = zip_xlsx(tmp_path / "cells.xlsx", [("Cells", rows), ("Data", '<row r="1"><c><v>7</v></c></row>')])
    monkeypatch.setattr("data_loaders.streaming.feed.CHUNK_SIZE", 997)

    sheets = iter_sheets(path)
    cells = next(sheets)
    assert next(cells.rows) == ["Unknown"]
    data = next(sheets)
    assert list(cells.rows) == []  # the rest of Cells was passed over when Data was reached
    assert (data.name, list(data.rows)) == ("Data", [[7.0]])
    with pytest.raises(StreamError, match=r"^the XLSX file is truncated or corrupt \(xl/worksheets/sheet1.xml"):
        for sheet in iter_sheets(path):
            list(sheet.rows)


def test_a_sheet_without_a_name_is_passed_over_as_calamine_does(tmp_path):
    unnamed = f"<table:table>{tr(number_cell(2))}</table:table>"
    path = zip_ods(tmp_path / "unnamed.ods", table("A", tr(number_cell(1))) + unnamed + table("C", tr(number_cell(3))))

    assert assert_same_as_calamine(path) == [("A", [[1.0]]), ("C", [[3.0]])]


# ---- damaged and unsupported files -----------------------------------------------------------------


def test_a_truncated_ods_file_is_refused_with_a_plain_message(tmp_path):
    whole = write_ods(tmp_path / "whole.ods", {"S": [["a", 1]] * 5000}).read_bytes()
    cut = tmp_path / "cut.ods"
    cut.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(StreamError, match=r"^the ODS file is truncated or corrupt \(") as caught:
        for sheet in iter_sheets(cut):
            list(sheet.rows)
    assert "Traceback" not in str(caught.value)


def test_a_content_xml_cut_short_is_refused(tmp_path):
    path = zip_ods(
        tmp_path / "short.ods",
        "",
        content=f"<office:document-content {NAMESPACES}><office:body><office:spreadsheet>"
        + table("S", tr(number_cell(1)))[:-20],
    )

    with pytest.raises(StreamError, match=r"^the ODS file is truncated or corrupt \(content.xml: unclosed token"):
        for sheet in iter_sheets(path):
            list(sheet.rows)


def test_damaged_compressed_data_is_refused(tmp_path):
    path = write_ods(tmp_path / "d.ods", {"S": [[f"row {i}", i] for i in range(20_000)]})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("content.xml")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))

    with pytest.raises(StreamError, match=r"^the ODS file is truncated or corrupt \(content.xml: "):
        for sheet in iter_sheets(path):
            list(sheet.rows)


def test_a_value_that_cannot_be_read_is_refused(tmp_path):
    path = zip_ods(tmp_path / "bad.ods", table("S", tr(number_cell("twelve"))))

    with pytest.raises(StreamError, match=r"the ODS file holds a value that cannot be read \(content.xml, line 2: "):
        for sheet in iter_sheets(path):
            list(sheet.rows)


def test_a_password_protected_ods_is_refused(tmp_path):
    path = zip_ods(tmp_path / "locked.ods", table("S", tr(number_cell(1))))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["META-INF/manifest.xml"] = parts["META-INF/manifest.xml"].replace(
        b'media-type="text/xml"/>', b'media-type="text/xml"><manifest:encryption-data/></manifest:file-entry>', 1
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    with pytest.raises(StreamError, match="password protected"):
        next(iter_sheets(path))


def test_files_that_are_not_tables_are_refused_at_once(tmp_path):
    other_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    with pytest.raises(StreamError, match="zip archive but not an ODS or XLSX"):
        iter_sheets(other_zip)
    with pytest.raises(StreamError, match="XLS"):
        iter_sheets(xls)
    with pytest.raises(StreamError, match="not a spreadsheet"):
        iter_sheets(binary)
    with pytest.raises(StreamError, match="could not be opened"):
        iter_sheets(tmp_path / "missing.ods")


# ---- XLSX ----------------------------------------------------------------------------------------


def openpyxl_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes["A1"] = "Police recorded crime by community safety partnership"
    notes["A3"] = "Released"
    notes["B3"] = dt.date(2026, 7, 23)
    data = book.create_sheet("2021_22")
    data.append(["Financial Year", "Financial Quarter", "CSP Name", "Offence Code", "Offence Count"])
    data.append(["2021/22", 1, "Exeter", "8Q", 12])
    data.append(["2021/22", 2, "  spaced  ", 37.200000000000003, -3.5])
    data.append(
        [dt.date(2024, 2, 29), dt.datetime(2024, 3, 1, 13, 45, 7), dt.time(6, 30), dt.timedelta(hours=30), True, False]
    )
    data.append(["multi\nline", "#N/A", None, "=1+1", 123456789012, 0.1 + 0.2])
    data["A8"] = "after a gap of rows"
    data["E8"] = "after a gap of cells"
    data["B9"] = 44000
    data["B9"].number_format = "dd/mm/yyyy"
    data["C9"] = 44000.75
    data["C9"].number_format = "[$-809]dd mmmm yyyy hh:mm;@"
    data["D9"] = 1.25
    data["D9"].number_format = "[h]:mm"
    data["E9"] = 44000
    data["E9"].number_format = '0.0" days"'
    rich = book.create_sheet("Rich")
    rich["A1"] = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold"), " end"])
    rich["B2"] = "x"
    book.save(path)
    return path


def test_an_openpyxl_workbook_with_inline_strings_streams_as_calamine_reads_it(tmp_path):
    streamed = assert_same_as_calamine(openpyxl_workbook(tmp_path / "inline.xlsx"))

    rows = dict(streamed)["2021_22"]
    assert rows[1] == ["2021/22", 1.0, "Exeter", "8Q", 12.0]
    assert rows[3] == [
        dt.date(2024, 2, 29),
        dt.datetime(2024, 3, 1, 13, 45, 7),
        dt.time(6, 30),
        dt.timedelta(hours=30),
        True,
        False,
    ]
    assert rows[5:7] == [[], []]
    assert rows[7] == ["after a gap of rows", "", "", "", "after a gap of cells"]
    assert rows[8] == ["", dt.date(2020, 6, 18), dt.datetime(2020, 6, 18, 18, 0), dt.timedelta(hours=30), 44000.0]
    assert dict(streamed)["Rich"] == [["plain bold end"], ["", "x"]]


def test_a_workbook_with_shared_strings_streams_as_calamine_reads_it(tmp_path):
    path = share_strings(openpyxl_workbook(tmp_path / "shared.xlsx"))
    with zipfile.ZipFile(path) as archive:
        assert b't="s"' in archive.read("xl/worksheets/sheet2.xml")

    streamed = assert_same_as_calamine(path)

    assert dict(streamed)["2021_22"][0] == [
        "Financial Year",
        "Financial Quarter",
        "CSP Name",
        "Offence Code",
        "Offence Count",
    ]


def test_xlsx_cell_types_match_calamine(tmp_path):
    shared = [
        "<si><t>zero</t></si>",
        "<si><r><t>o</t></r><r><rPr><b/></rPr><t>ne</t></r></si>",
        '<si><t>carriage_x000D_return</t><rPh sb="0" eb="1"><t>phonetic</t></rPh></si>',
        '<si><t xml:space="preserve">  kept  </t></si>',
        "<si/>",
        "<si><t>_x005F_x0041_ is literal</t></si>",
    ]
    cells = [
        '<c r="A1" t="s"><v>1</v></c>',
        '<c r="B1" t="s"><v>2</v></c>',
        '<c r="C1" t="s"><v>3</v></c>',
        '<c r="D1" t="s"><v>4</v></c>',
        '<c r="E1" t="s"><v>5</v></c>',
        '<c r="F1" t="str"><f>A1&amp;"x"</f><v>formula &amp; text</v></c>',
        '<c r="G1" t="e"><v>#DIV/0!</v></c>',
        '<c r="H1" t="b"><v>1</v></c>',
        '<c r="I1" t="d"><v>2021-03-04T05:06:07</v></c>',
        '<c r="J1"><f>SUM(A2:A3)</f><v>3</v></c>',
        '<c r="K1"><v>not a number</v></c>',
        '<c r="L1" s="1"><v>44000.5</v></c>',
        '<c r="M1" s="2"><v>0.75</v></c>',
        '<c r="N1" s="3"><v>2.5</v></c>',
        '<c r="O1" s="4"><v>44000</v></c>',
        '<c r="P1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r><rPh><t>x</t></rPh></is></c>',
        '<c r="Q1" s="1"/>',
    ]
    rows = f'<row r="1">{"".join(cells)}</row><row r="3"><c r="C3"><v>1</v></c><c r="A3"><v>2</v></c></row>'
    rows += '<row r="5"><c r="B5" s="2"/></row><row r="6" spans="1:1"/>'
    path = zip_xlsx(
        tmp_path / "types.xlsx",
        [("Types", rows), ("Far", '<row r="2"><c r="XFD2"><v>7</v></c></row>')],
        shared=shared,
        formats={164: "dd/mm/yyyy hh:mm", 165: '"week "0'},
        styles=[0, 164, 21, 46, 165],
    )

    streamed = assert_same_as_calamine(path)

    assert streamed[0][1][0] == [
        "one",
        "carriage\rreturn",
        "  kept  ",
        "",
        "_x0041_ is literal",
        "formula & text",
        "",
        True,
        dt.datetime(2021, 3, 4, 5, 6, 7),
        3.0,
        "not a number",
        dt.datetime(2020, 6, 18, 12, 0),
        dt.time(18, 0),
        dt.timedelta(days=2, hours=12),
        44000.0,
        "inline",
    ]
    assert streamed[0][1][1:] == [[], [2.0, "", 1.0]]
    assert len(streamed[1][1][1]) == 16_384


@pytest.mark.parametrize("date1904", [False, True])
def test_serial_dates_match_calamine_to_the_millisecond(tmp_path, date1904):
    rng = random.Random(1904 if date1904 else 1900)
    serials = [
        "0",
        "0.5",
        "0.99999999",
        "0.999999999",
        "-0.5",
        "1",
        "59",
        "59.5",
        "60",
        "61",
        "44000.000005787",
        "44000.123456789",
        "2958465",
        "2958466",
        "1e10",
        "-1e10",
    ]
    serials += [repr(rng.uniform(-2, 2)) for _ in range(200)] + [repr(rng.uniform(0, 3e6)) for _ in range(800)]
    durations = [repr(rng.uniform(-1e5, 1e5)) for _ in range(300)]
    rows = "".join(f'<row><c s="1"><v>{serial}</v></c><c s="2"><v>{serial}</v></c></row>' for serial in serials)
    rows += "".join(f'<row><c s="3"><v>{value}</v></c></row>' for value in durations)
    path = zip_xlsx(tmp_path / "dates.xlsx", [("S", rows)], styles=[0, 14, 22, 46], date1904=date1904)

    assert_same_as_calamine(path)


NUMBER_FORMATS = [
    "yyyy-mm-dd",
    "DD/MM/YY",
    "H:MM:SS;@",
    'm"M"d"D";@',
    "[h]:mm:ss",
    "[Blue]\\+[h]:mm;[Red]\\-[h]:mm",
    "[>=100][Magenta][s].00",
    "[>=100][Magenta].00",
    "[>=100][Magenta]General",
    "#,##0\\ [$\\u20bd-46D]",
    '"$"#,##0_);[Red]("$"#,##0)',
    '[$-404]e"\\xfc"m"\\xfc"d"\\xfc"',
    "0_ ;[Red]\\-0\\ ",
    "\\Y000000",
    '#,##0.0####" YMD"',
    "ha/p\\\\m",
    "#,##0*y",
    "*-yyyy-mm-dd",
    "General",
    "@",
    "0%",
    "0.0E+00",
    "AM/PM",
    "[ss]",
    "[$-F800]dddd, mmmm dd, yyyy",
    '"Y: "0.00"m";"Y: "-0.00"m"',
    "General;yyyy",
]


def test_custom_number_formats_are_told_apart_as_calamine_tells_them(tmp_path):
    formats = {164 + i: code for i, code in enumerate(NUMBER_FORMATS)}
    cells = "".join(f'<c s="{i + 1}"><v>44000.25</v></c>' for i in range(len(NUMBER_FORMATS)))
    path = zip_xlsx(tmp_path / "formats.xlsx", [("S", f"<row>{cells}</row>")], formats=formats, styles=[0, *formats])

    streamed = assert_same_as_calamine(path)

    kinds = {code: type(value).__name__ for code, value in zip(NUMBER_FORMATS, streamed[0][1][0], strict=True)}
    assert kinds["yyyy-mm-dd"] == "datetime"
    assert kinds["[h]:mm:ss"] == "timedelta"
    assert kinds["0%"] == kinds["\\Y000000"] == kinds["#,##0*y"] == "float"


def test_xlsx_rows_out_of_order_and_truncated_files_are_refused(tmp_path):
    unordered = zip_xlsx(
        tmp_path / "unordered.xlsx", [("S", '<row r="2"><c><v>1</v></c></row><row r="1"><c><v>2</v></c></row>')]
    )
    whole = openpyxl_workbook(tmp_path / "whole.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) - 300])

    with pytest.raises(StreamError, match="row 1 comes after row 2"):
        for sheet in iter_sheets(unordered):
            list(sheet.rows)
    with pytest.raises(StreamError, match=r"^the XLSX file is truncated or corrupt \("):
        for sheet in iter_sheets(cut):
            list(sheet.rows)


# ---- CSV -----------------------------------------------------------------------------------------

CSV_ROWS = [
    ["Financial Year", "Force Name", "Offence Code", "Number of Offences"],
    ["2023/24", "Devon and Cornwall", "8Q", "1,489"],
    ["2023/24", "Bristol; Avon and Somerset", "8L", ""],
    ["2023/24", 'A "quoted" name', "8R", "12"],
    ["2023/24", "Two\nlines", "8U", "-3"],
]


def csv_text(rows, delimiter: str = ",", line_end: str = "\r\n") -> str:
    buffer = []
    writer = csv.writer(_Lines(buffer), delimiter=delimiter, lineterminator=line_end)
    writer.writerows(rows)
    return "".join(buffer)


class _Lines:
    def __init__(self, buffer: list[str]) -> None:
        self.write = buffer.append


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8-bom-crlf.csv", b"\xef\xbb\xbf" + csv_text(CSV_ROWS).encode("utf-8")),
        ("utf8-lf.csv", csv_text(CSV_ROWS, line_end="\n").encode("utf-8")),
        ("cr.csv", csv_text(CSV_ROWS, line_end="\r").encode("utf-8")),
        ("tabs.csv", csv_text(CSV_ROWS, delimiter="\t").encode("utf-8")),
        ("semicolons.csv", csv_text(CSV_ROWS, delimiter=";").encode("utf-8")),
        ("cp1252.csv", csv_text([*CSV_ROWS, ["£12 – café €"]]).encode("cp1252")),
        ("latin1.csv", csv_text(CSV_ROWS).encode("utf-8") + b"control \x81 byte\r\n"),
        ("ragged.csv", b"a,b\r\n1\r\n1,2,3,\r\n\r\nlast"),
    ],
)
def test_csv_rows_are_the_rows_the_project_reads(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)

    sheet = next(iter_sheets(path))

    assert sheet.name is None
    assert list(sheet.rows) == open_workbook(path).sheets[0].rows


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_csv_with_a_byte_order_mark_is_read(tmp_path, encoding):
    text = csv_text([*CSV_ROWS, ["£12 – café €"]])
    path = tmp_path / "utf16.csv"
    path.write_bytes(("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding))
    same_in_utf8 = tmp_path / "utf8.csv"
    same_in_utf8.write_text(text, encoding="utf-8", newline="")

    sheet = next(iter_sheets(path))

    assert list(sheet.rows) == open_workbook(same_in_utf8).sheets[0].rows


def test_a_csv_cell_of_up_to_1_mb_is_read_and_a_larger_one_refused(tmp_path):
    limit_before = csv.field_size_limit()
    fits = tmp_path / "fits.csv"
    fits.write_text(f'code,note\r\n8Q,"{"x" * 1_000_000}"\r\n', encoding="utf-8")
    too_big = tmp_path / "too-big.csv"
    too_big.write_text(f'code,note\r\n8Q,"{"x" * 1_100_000}"\r\n', encoding="utf-8")

    sheet = next(iter_sheets(fits))
    assert [len(cell) for cell in list(sheet.rows)[1]] == [2, 1_000_000]
    with pytest.raises(StreamError, match=r"a cell larger than 1 MB \(line 2\)"):
        for sheet in iter_sheets(too_big):
            list(sheet.rows)
    assert csv.field_size_limit() == limit_before  # other readers keep the default


# ---- sizes ---------------------------------------------------------------------------------------


def test_xml_size_comes_from_the_zip_directory(tmp_path):
    ods = write_ods(tmp_path / "t.ods", {"A": [["x"] * 10] * 100, "B": [[1]]})
    xlsx = openpyxl_workbook(tmp_path / "t.xlsx")
    text = tmp_path / "t.csv"
    text.write_text(csv_text(CSV_ROWS), encoding="utf-8")

    with zipfile.ZipFile(ods) as archive:
        assert xml_size(ods) == len(archive.read("content.xml"))
    with zipfile.ZipFile(xlsx) as archive:
        assert xml_size(xlsx) == sum(len(archive.read(n)) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert xml_size(text) == text.stat().st_size
