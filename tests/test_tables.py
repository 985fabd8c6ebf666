"""Reading any published table: formats, encodings, header rows, cell parsers and problem messages."""

from __future__ import annotations

import datetime as dt
import random
import zipfile

import openpyxl
import pandas as pd
import pytest

from data_loaders.parsers import parse_count, parse_financial_year, parse_quarter
from data_loaders.periods import financial_period_of, quarter_start
from data_loaders.refusals import LoadRefused, Problem
from data_loaders.tables import (
    Column,
    data_tables,
    edition_date_from_name,
    find_header,
    normalise_header,
    open_workbook,
)

NOT_A_SPREADSHEET = "the file is not a spreadsheet; expected a CSV, XLSX or ODS table as published"
COLUMNS = (
    Column("force", ("Force Name", "Police Force")),
    Column("count", ("Number of Offences", "Offence Count")),
    Column("note", ("Note",), required=False),
)


def refusal(path) -> list[str]:
    with pytest.raises(LoadRefused) as caught:
        open_workbook(path)
    return [str(p) for p in caught.value.problems]


# ---- formats and encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("lf.csv", b"Force Name,Number of Offences\nDorset,3\n"),
        ("bom-crlf.csv", b"\xef\xbb\xbfForce Name,Number of Offences\r\nDorset,3\r\n"),
        ("cr-only.csv", b"Force Name,Number of Offences\rDorset,3\r"),
        ("semicolon.csv", b"Force Name;Number of Offences\nDorset;3\n"),
        ("tab.txt", b"Force Name\tNumber of Offences\nDorset\t3\n"),
        ("windows-1252.csv", b"Force Name,Number of Offences\nDorset \x96 test,3\n"),
    ],
)
def test_csv_text_is_read_whatever_its_encoding_line_endings_and_delimiter(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    book = open_workbook(path)
    expected_force = "Dorset \u2013 test" if name == "windows-1252.csv" else "Dorset"
    assert (book.file, book.format) == (name, "csv")
    assert [(s.name, s.rows) for s in book.sheets] == [
        (None, [["Force Name", "Number of Offences"], [expected_force, "3"]])
    ]


def test_xlsx_and_ods_are_read_by_content_not_by_name(tmp_path):
    xlsx = openpyxl.Workbook()
    xlsx.active.title = "Data"
    xlsx.active.append(["Force Name", "Number of Offences"])
    xlsx.active.append(["Dorset", 3])
    xlsx.save(tmp_path / "really-xlsx.csv")
    pd.DataFrame([["Force Name", "Number of Offences"], ["Dorset", 4]]).to_excel(
        tmp_path / "really-ods.xlsx", engine="odf", header=False, index=False, sheet_name="Data"
    )

    as_xlsx = open_workbook(tmp_path / "really-xlsx.csv")
    as_ods = open_workbook(tmp_path / "really-ods.xlsx")

    assert as_xlsx.format == "xlsx"
    assert [(s.name, s.rows) for s in as_xlsx.sheets] == [
        ("Data", [["Force Name", "Number of Offences"], ["Dorset", 3]])
    ]
    assert as_ods.format == "ods"
    assert [(s.name, s.rows) for s in as_ods.sheets] == [
        ("Data", [["Force Name", "Number of Offences"], ["Dorset", 4]])
    ]


def test_display_name_is_used_in_messages(tmp_path):
    path = tmp_path / "upload-3f2a.tmp"
    path.write_bytes(b"")
    with pytest.raises(LoadRefused) as caught:
        open_workbook(path, display_name="my table.csv")
    assert [str(p) for p in caught.value.problems] == ["my table.csv: the file is empty; expected a published table"]


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n  \n"], ids=["zero-bytes", "whitespace-only"])
def test_an_empty_file_is_refused(tmp_path, data):
    path = tmp_path / "prc-pfa-191023.csv"
    path.write_bytes(data)
    assert refusal(path) == ["prc-pfa-191023.csv: the file is empty; expected a published table"]


def _docx_like(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")


def _odt_like(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("random.ods", lambda p: p.write_bytes(random.Random(7).randbytes(2048))),
        ("picture.xlsx", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")),
        ("report.docx", _docx_like),
        ("letter.ods", _odt_like),
        ("truncated.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x14\x00" * 20)),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path, name, write):
    path = tmp_path / name
    write(path)
    assert refusal(path) == [f"{name}: {NOT_A_SPREADSHEET}"]


def test_a_missing_file_is_refused_with_the_reason(tmp_path):
    problems = refusal(tmp_path / "gone.csv")
    assert problems == ["gone.csv: the file could not be opened (No such file or directory)"]


def test_a_corrupt_ods_is_refused_naming_the_format(tmp_path):
    path = tmp_path / "broken.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "this is not xml")
    [problem] = refusal(path)
    assert problem.startswith("broken.ods: the ODS file could not be read (")


# ---- header rows ----------------------------------------------------------------------------------


def test_the_header_is_found_under_title_rows_and_data_rows_keep_spreadsheet_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Stalking and harassment\nSource: Home Office\n FORCE NAME ,offence   count\nDorset,3\n\nKent,4\n")
    [table] = data_tables(open_workbook(path), COLUMNS, "a test table")
    assert table.header_row == 3
    assert table.headers == {"force": "FORCE NAME", "count": "offence   count"}
    assert table.frame.to_dict("list") == {
        "force": ["Dorset", "Kent"],
        "count": ["3", "4"],
        "_row": [4, 6],
        "_sheet": [None, None],
    }


def test_a_sheet_without_the_columns_is_passed_over(tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["These tables are Official Statistics."])
    data = book.create_sheet("2019_20")
    data.append(["Police Force", "Offence Count", "Note"])
    data.append(["Kent", 5, "revised"])
    book.save(path)
    tables = data_tables(open_workbook(path), COLUMNS, "a test table")
    assert [(t.sheet.name, t.frame.to_dict("records")) for t in tables] == [
        ("2019_20", [{"force": "Kent", "count": 5, "note": "revised", "_row": 2, "_sheet": "2019_20"}])
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "A title\nForce Name,Offences recorded\nDorset,3\n",
            "t.csv, row 2: the header row lacks the column(s) 'Number of Offences' needed for a test table",
        ),
        (
            "a,b\n1,2\n",
            "t.csv: no sheet has a header row with the columns 'Force Name', 'Number of Offences' needed for a test "
            "table",
        ),
    ],
    ids=["named with the row of the nearest header", "every column named where no header is found"],
)
def test_missing_columns_are_named(tmp_path, text, problem):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(LoadRefused) as caught:
        data_tables(open_workbook(path), COLUMNS, "a test table")
    assert [str(p) for p in caught.value.problems] == [problem]


def test_find_header_looks_only_at_the_top_thirty_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("title\n" * 30 + "Force Name,Number of Offences\nDorset,1\n")
    sheet = open_workbook(path).sheets[0]
    assert find_header(sheet, COLUMNS) is None
    path.write_text("title\n" * 29 + "Force Name,Number of Offences\nDorset,1\n")
    assert find_header(open_workbook(path).sheets[0], COLUMNS) == (29, {"force": 0, "count": 1})


def test_normalise_header_folds_case_space_punctuation_and_bom():
    assert normalise_header("\ufeff  Number_of   Offences ") == "number of offences"
    assert normalise_header("Mid-year") == normalise_header("mid_year") == "mid year"


# ---- cell parsers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", (12, None)),
        (" 1,234 ", (1234, None)),
        (7.0, (7, None)),
        (0, (0, None)),
        ("3.0", (3, None)),
        ("-1", (None, "expected a whole number of 0 or more")),
        (-1, (None, "expected a whole number of 0 or more")),
        ("n/a", (None, "expected a whole number of 0 or more")),
        ("", (None, "expected a whole number of 0 or more")),
        (2.5, (None, "expected a whole number of 0 or more")),
        (True, (None, "expected a whole number of 0 or more")),
        (float("nan"), (None, "expected a whole number of 0 or more")),
    ],
)
def test_parse_count(value, expected):
    assert parse_count(value) == expected


def test_parse_count_allowing_negative_numbers():
    assert parse_count("-1", allow_negative=True) == (-1, None)
    assert parse_count(-3.0, allow_negative=True) == (-3, None)
    assert parse_count("x", allow_negative=True) == (None, "expected a whole number")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019/20", "2019/20"),
        ("2019-20", "2019/20"),
        ("2019_20", "2019/20"),
        ("2019/2020", "2019/20"),
        (" FY 2099/00 ", "2099/00"),
    ],
)
def test_parse_financial_year_accepts_the_spellings(value, expected):
    assert parse_financial_year(value) == (expected, None)


@pytest.mark.parametrize("value", ["2019", "19/20", "April 2019", ""])
def test_parse_financial_year_refuses_other_text(value):
    assert parse_financial_year(value) == (None, "expected a financial year such as '2019/20'")


def test_parse_financial_year_refuses_years_that_do_not_follow():
    assert parse_financial_year("2019/21") == (
        None,
        "expected a financial year such as '2019/20' (the second year must follow the first)",
    )


@pytest.mark.parametrize(("value", "quarter"), [("1", 1), ("Q1", 1), ("q 2", 2), (3.0, 3), (4, 4), (" Q4 ", 4)])
def test_parse_quarter_accepts_numbers_and_q_labels(value, quarter):
    assert parse_quarter(value) == (quarter, None)


@pytest.mark.parametrize("value", ["5", 5, "Q0", "0", "Q5", "", "first", 1.5])
def test_parse_quarter_refuses_anything_else(value):
    assert parse_quarter(value) == (None, "expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)")


def test_quarters_start_in_april_and_run_into_the_next_calendar_year():
    assert [quarter_start("2019/20", q) for q in (1, 2, 3, 4)] == [
        dt.date(2019, 4, 1),
        dt.date(2019, 7, 1),
        dt.date(2019, 10, 1),
        dt.date(2020, 1, 1),
    ]


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (dt.date(2024, 4, 1), ("2024/25", 1)),
        (dt.date(2024, 6, 30), ("2024/25", 1)),
        (dt.date(2024, 12, 31), ("2024/25", 3)),
        (dt.date(2025, 1, 1), ("2024/25", 4)),
        (dt.date(2025, 3, 31), ("2024/25", 4)),
    ],
)
def test_financial_period_of(day, period):
    assert financial_period_of(day) == period


@pytest.mark.parametrize(
    ("name", "edition"),
    [
        ("prc-pfa-mar2013-onwards-tables-191023.ods", dt.date(2023, 10, 19)),
        ("home-office-prc-pfa-stalking-harassment-190723.csv", dt.date(2023, 7, 19)),
        ("prc-pfa-mar2013-onwards-tables-250724 (1).xlsx", dt.date(2024, 7, 25)),
        ("prc-pfa-tables.ods", None),
        ("prc-pfa-tables-321399.ods", None),
    ],
)
def test_edition_date_from_name(name, edition):
    assert edition_date_from_name(name) == edition


# ---- messages -----------------------------------------------------------------------------------


def test_a_problem_reads_file_sheet_row_column_found_expected():
    problem = Problem("t.ods", "expected a financial quarter", sheet="2019_20", row=4, column="Quarter", found="5")
    assert str(problem) == "t.ods, sheet '2019_20', row 4, column 'Quarter': found '5'; expected a financial quarter"
    assert str(Problem("t.csv", "the file is empty")) == "t.csv: the file is empty"
    assert str(Problem("t.csv", "expected a force", row=7, found="")) == "t.csv, row 7: found ''; expected a force"


def test_load_refused_lists_every_problem_up_to_two_hundred():
    problems = [Problem("t.csv", "expected a whole number", row=n + 2, column="Count", found="x") for n in range(203)]
    lines = LoadRefused(problems).summary().splitlines()
    assert lines[0] == "Refused: 203 problems; nothing was written."
    assert lines[1] == "- t.csv, row 2, column 'Count': found 'x'; expected a whole number"
    assert len(lines) == 1 + 200 + 1
    assert lines[-1] == "- ... and 3 more problems of the same kinds"
    assert LoadRefused(problems[:1]).summary().splitlines()[0] == "Refused: 1 problem; nothing was written."


def test_the_notes_on_a_chunked_refusal_are_listed_after_the_two_hundred(monkeypatch):
    """How many problems were not kept and where reading stopped are said even when the problems are cut at 200."""
    import pandas as pd

    from data_loaders import refusals

    monkeypatch.setattr(refusals, "MAX_KEPT_PROBLEMS", 250)
    problems = refusals.ProblemList()
    problems.extend(Problem("t.ods", "expected a force", sheet="all", row=n + 4, column="Force") for n in range(255))
    problems.stop_after(pd.DataFrame({"_sheet": ["all"], "_row": [258]}))
    lines = LoadRefused(problems.closed("t.ods")).summary().splitlines()
    assert lines[0] == "Refused: 250 problems; nothing was written."
    assert len(lines) == 1 + 200 + 3
    assert lines[-3:] == [
        "- ... and 50 more problems of the same kinds",
        "- t.ods: 5 more problems after the first 250 were counted but not kept",
        "- t.ods, sheet 'all', row 258: the file was read no further than this row: 250 problems are enough to "
        "refuse it",
    ]
