"""A force's own monthly extract: month formats, derived financial periods, exact rows, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from files import write_xlsx
from stored import recorded_crime_rows as stored_rows
from stored import refused

from data_loaders import ingest
from data_loaders.sources import monthly_extract
from data_loaders.status import read_status

D = dt.date


@pytest.fixture
def loaded(engine, settings, tmp_path):
    earlier = tmp_path / "earlier.csv"
    earlier.write_text("Month,Force,Offence Code,Count\n2023-03,Devon and Cornwall,8Q,120\n")
    ingest.load_files([earlier], engine, settings)
    return engine


@pytest.mark.parametrize(
    ("value", "month"),
    [
        ("2024-04", D(2024, 4, 1)),
        ("2024-04-17", D(2024, 4, 1)),
        ("2024/4", D(2024, 4, 1)),
        ("Apr 2024", D(2024, 4, 1)),
        ("april 2024", D(2024, 4, 1)),
        ("Sep-2024", D(2024, 9, 1)),
        ("12/2024", D(2024, 12, 1)),
        ("2025-01-01 00:00:00", D(2025, 1, 1)),
        (D(2024, 11, 30), D(2024, 11, 1)),
        (dt.datetime(2025, 3, 31, 0, 0), D(2025, 3, 1)),
    ],
)
def test_parse_month_accepts_the_written_forms(value, month):
    assert monthly_extract.parse_month(value) == (month, None)


@pytest.mark.parametrize("value", ["2024-13", "13/2024", "Smarch 2024", "2024", "Q1 2024", ""])
def test_parse_month_refuses_anything_else(value):
    assert monthly_extract.parse_month(value) == (None, "expected a month such as '2024-04' or 'Apr 2024'")


def test_a_csv_extract_stores_exact_rows_with_financial_periods_derived(engine, settings, tmp_path):
    path = tmp_path / "dc-monthly.csv"
    path.write_text(
        "Devon and Cornwall Police: stalking and harassment by month\n"
        "\n"
        "Month,Force,Offence Code,Offence Description,Count\n"
        "2024-04,Devon and Cornwall,8Q,Stalking,131\n"
        "Apr 2024,Devon & Cornwall,8L,Harassment,402\n"
        "December 2024,Devon and Cornwall,8Q,,140\n"
        "2025-01,Devon and Cornwall,8q,Stalking,128\n"
        "Mar 2025,Devon and Cornwall,8R,Malicious communications,0\n"
        "2024-04,Devon and Cornwall,8N,Assault with injury,900\n"
    )
    [result] = ingest.load_files([path], engine, settings)
    assert stored_rows(engine) == [
        ("Devon and Cornwall", "2024/25", 1, 4, D(2024, 4, 1), "8L", "Harassment", 402),
        ("Devon and Cornwall", "2024/25", 1, 4, D(2024, 4, 1), "8Q", "Stalking", 131),
        ("Devon and Cornwall", "2024/25", 3, 12, D(2024, 12, 1), "8Q", "Stalking", 140),
        ("Devon and Cornwall", "2024/25", 4, 1, D(2025, 1, 1), "8Q", "Stalking", 128),
        ("Devon and Cornwall", "2024/25", 4, 3, D(2025, 3, 1), "8R", "Malicious communications", 0),
    ]
    assert (result.kind, result.rows_read, result.rows_stored, result.rows_other_offences) == (
        "monthly-extract",
        6,
        5,
        1,
    )
    assert result.edition_date is None
    assert (
        result.describe()
        == "dc-monthly.csv: loaded 5 rows as monthly-extract; 1 row of other offences passed over (1 code: 8N)."
    )


def test_an_xlsx_extract_with_real_date_cells_and_no_description_column(engine, settings, tmp_path):
    rows = [
        ["Police Force", "Date", "Code", "Offences"],
        ["Dorset", D(2023, 3, 1), "8Q", 30],
        ["Dorset", dt.datetime(2023, 4, 15, 0, 0), "8U", 12],
        ["Dorset", "May 2023", "8M", 2],
    ]
    path = write_xlsx(tmp_path / "dorset.xlsx", {"Extract": rows})
    ingest.load_files([path], engine, settings)
    assert stored_rows(engine) == [
        ("Dorset", "2022/23", 4, 3, D(2023, 3, 1), "8Q", "Stalking", 30),
        ("Dorset", "2023/24", 1, 4, D(2023, 4, 1), "8U", "Controlling or coercive behaviour", 12),
        ("Dorset", "2023/24", 1, 5, D(2023, 5, 1), "8M", "Harassment", 2),
    ]


def test_a_newer_extract_replaces_the_months_it_covers(engine, settings, tmp_path):
    first = tmp_path / "extract-april.csv"
    first.write_text(
        "Month,Force,Offence Code,Count\n2024-04,Dorset,8Q,30\n2024-05,Dorset,8Q,31\n2024-05,Dorset,8L,50\n"
    )
    second = tmp_path / "extract-june.csv"
    second.write_text("Month,Force,Offence Code,Count\n2024-05,Dorset,8Q,33\n2024-06,Dorset,8Q,35\n")
    ingest.load_files([first], engine, settings)
    [result] = ingest.load_files([second], engine, settings)
    assert [(row[3], row[5], row[7]) for row in stored_rows(engine)] == [(4, "8Q", 30), (5, "8Q", 33), (6, "8Q", 35)]
    assert (result.periods_replaced, result.periods_kept_newer) == (1, 0)


def test_monthly_and_quarterly_rows_live_side_by_side(engine, settings, tmp_path):
    quarterly = tmp_path / "prc-pfa-191023.csv"
    quarterly.write_text(
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Code,Number of Offences\n"
        "2024/25,1,Dorset,Stalking,8Q,96\n"
    )
    monthly = tmp_path / "dorset-monthly.csv"
    monthly.write_text("Month,Force,Offence Code,Count\n2024-04,Dorset,8Q,30\n2024-05,Dorset,8Q,31\n")
    ingest.load_files([quarterly, monthly], engine, settings)
    assert [(row[2], row[3], row[7]) for row in stored_rows(engine)] == [(1, 0, 96), (1, 4, 30), (1, 5, 31)]
    status = read_status(engine)
    assert [(k.kind, k.rows, k.forces, k.first_period, k.last_period) for k in status.kinds] == [
        ("recorded-crime (quarterly, Home Office)", 1, 1, "2024/25 Q1", "2024/25 Q1"),
        ("recorded-crime (monthly, local extract)", 2, 1, "2024-04", "2024-05"),
    ]
    assert status.kinds[1].periods == [
        {"period": "2024-04", "rows": 1, "files": ["dorset-monthly.csv"], "edition_date": None, "is_demo": False},
        {"period": "2024-05", "rows": 1, "files": ["dorset-monthly.csv"], "edition_date": None, "is_demo": False},
    ]


# ---- broken twins -------------------------------------------------------------------------------


def test_a_negative_count_is_refused(loaded, settings, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Title\n\nMonth,Force,Offence Code,Count\n2024-04,Dorset,8Q,-3\n")
    assert refused(loaded, settings, path) == [
        "t.csv, row 4, column 'Count': found '-3'; expected a whole number of 0 or more"
    ]


def test_a_negative_count_in_xlsx_is_refused_as_the_cell_shows_it(loaded, settings, tmp_path):
    path = write_xlsx(
        tmp_path / "t.xlsx", {"Extract": [["Month", "Force", "Offence Code", "Count"], ["2024-04", "Dorset", "8Q", -3]]}
    )
    assert refused(loaded, settings, path) == [
        "t.xlsx, sheet 'Extract', row 2, column 'Count': found '-3'; expected a whole number of 0 or more"
    ]


def test_every_bad_cell_is_listed(loaded, settings, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "month,FORCE,offence code,count\n"
        "2024-13,Dorset,8Q,3\n"
        "2024-05,Dorsett,8Q,3\n"
        "2024-06,Dorset,,3\n"
        "2024-07,Dorset,8Q,n/a\n"
        "2024-08,Dorset,8Q,4\n"
        "Aug 2024,Dorset Police,8Q,4\n"
    )
    assert refused(loaded, settings, path) == [
        "t.csv, row 2, column 'month': found '2024-13'; expected a month such as '2024-04' or 'Apr 2024'",
        "t.csv, row 3, column 'FORCE': found 'Dorsett'; expected a police force name; did you mean 'Dorset'?",
        "t.csv, row 4, column 'offence code': found ''; expected an offence code such as '8Q'",
        "t.csv, row 5, column 'count': found 'n/a'; expected a whole number of 0 or more",
        "t.csv, row 7, column 'offence code': found 'Dorset 2024-08 8Q'; "
        "each force, month and offence code may appear once; this repeats row 6",
    ]


def test_a_missing_month_column_is_named(loaded, settings, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Force,Offence Code,Offence Description,Count\nDorset,8Q,Stalking,3\n")
    assert refused(loaded, settings, path) == [
        "t.csv, row 1: found 'Force | Offence Code | Offence Description | Count'; the columns match no kind of table this dashboard loads; the nearest is the local monthly "
        "recorded-crime extract (month, force, offence code, count), which also needs the column 'Month'"
    ]
