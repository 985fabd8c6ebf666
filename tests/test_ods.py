"""The ODS writer: what it writes reads back exactly, with calamine and with the project's reader."""

from __future__ import annotations

import datetime as dt
import zipfile

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from data_loaders.ods import MIMETYPE, write_ods
from data_loaders.sources.recorded_crime import COLUMNS
from data_loaders.tables import find_header, open_workbook

AWKWARD = "<&>\"'"
NOTES = [
    ["Police recorded crime: test workbook"],
    ["Text, numbers, a blank, markup characters and a date"],
    [None],
    ["Released", dt.date(2023, 10, 19)],
    ["Needs escaping", AWKWARD],
]
FIGURES = pd.DataFrame(
    {
        "Force Name": ["Devon and Cornwall", "Dorset", None],
        "Offence Code": ["8Q", "8L", "8R"],
        "Number of Offences": [1489, 0, 12],
        "Rate": [0.85, -1.5, None],
    }
)


def calamine_cells(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


@pytest.fixture
def workbook(tmp_path):
    return write_ods(tmp_path / "small.ods", {"Notes": NOTES, "Figures": FIGURES})


def test_calamine_reads_back_exactly_the_cells_written(workbook):
    assert CalamineWorkbook.from_path(str(workbook)).sheet_names == ["Notes", "Figures"]
    assert calamine_cells(workbook, "Notes") == [
        ["Police recorded crime: test workbook", ""],
        ["Text, numbers, a blank, markup characters and a date", ""],
        ["", ""],
        ["Released", dt.date(2023, 10, 19)],
        ["Needs escaping", "<&>\"'"],
    ]
    assert calamine_cells(workbook, "Figures") == [
        ["Force Name", "Offence Code", "Number of Offences", "Rate"],
        ["Devon and Cornwall", "8Q", 1489, 0.85],
        ["Dorset", "8L", 0, -1.5],
        ["", "8R", 12, ""],
    ]


def test_project_reader_sees_the_same_cells(workbook):
    book = open_workbook(workbook)
    assert book.format == "ods"
    assert [sheet.name for sheet in book.sheets] == ["Notes", "Figures"]
    assert book.sheets[0].rows[3] == ["Released", dt.date(2023, 10, 19)]
    assert book.sheets[0].rows[4] == ["Needs escaping", "<&>\"'"]
    assert book.sheets[1].rows == [
        ["Force Name", "Offence Code", "Number of Offences", "Rate"],
        ["Devon and Cornwall", "8Q", 1489, 0.85],
        ["Dorset", "8L", 0, -1.5],
        ["", "8R", 12, ""],
    ]


def test_title_rows_above_a_header_are_found(tmp_path):
    header = [c.label for c in COLUMNS if c.required]
    rows = [
        ["Police recorded crime by police force area, 2019/20"],
        ["Illustrative figures"],
        header,
        ["2019/20", 1, "Dorset", "Stalking", "8Q", 41],
    ]
    path = write_ods(tmp_path / "titled.ods", {"2019_20": rows})
    sheet = open_workbook(path).sheets[0]
    located = find_header(sheet, COLUMNS)
    assert located is not None
    assert located[0] == 2
    assert sheet.rows[3] == ["2019/20", 1, "Dorset", "Stalking", "8Q", 41]


def test_values_of_every_supported_type(tmp_path):
    row = [
        "  leading, double  and trailing spaces ",
        "two\nlines",
        True,
        -7,
        2.25,
        1e-05,
        dt.datetime(2024, 4, 1, 9, 30, 15),
        float("nan"),
        pd.NA,
    ]
    path = write_ods(tmp_path / "types.ods", {"Types": [row]})
    assert calamine_cells(path, "Types") == [
        [
            "  leading, double  and trailing spaces ",
            "two\nlines",
            True,
            -7,
            2.25,
            1e-05,
            dt.datetime(2024, 4, 1, 9, 30, 15),
        ]
    ]


def test_package_layout_follows_the_opendocument_rules(workbook):
    with zipfile.ZipFile(workbook) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype").decode("ascii") == MIMETYPE
        assert {"META-INF/manifest.xml", "content.xml", "styles.xml"} <= set(archive.namelist())
    with open(workbook, "rb") as handle:
        head = handle.read(38 + len(MIMETYPE))
    assert head[30:38] == b"mimetype"
    assert head[38:] == MIMETYPE.encode("ascii")


def test_same_cells_give_the_same_bytes(tmp_path):
    first = write_ods(tmp_path / "a.ods", {"Figures": FIGURES})
    second = write_ods(tmp_path / "b.ods", {"Figures": FIGURES})
    assert first.read_bytes() == second.read_bytes()


def test_unwritable_values_are_refused_and_leave_no_file(tmp_path):
    target = tmp_path / "bad.ods"
    with pytest.raises(ValueError, match="control character"):
        write_ods(target, {"Bad": [["fine", "bell\x07"]]})
    with pytest.raises(ValueError, match="infinite"):
        write_ods(target, {"Bad": [[float("inf")]]})
    with pytest.raises(TypeError, match="cannot write a set"):
        write_ods(target, {"Bad": [[{1, 2}]]})
    with pytest.raises(ValueError, match="at least one sheet"):
        write_ods(target, {})
    assert list(tmp_path.iterdir()) == []
