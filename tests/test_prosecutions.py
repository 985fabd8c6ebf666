"""The local prosecutions and orders return: exact rows from the template, a broken twin per rule, CPS Areas."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import sqlalchemy as sa
from files import write_csv
from stored import contents, refused

import pcc_cli as cli
from data_loaders import ingest, schema
from data_loaders.settings import SettingsError, load_settings
from data_loaders.sources import prosecutions
from data_loaders.status import read_status

D = dt.date
HEADER = ["Period", "Area", "Measure", "Value"]
ROWS = [
    ["2024/25 Q1", "CPS South West", "Prosecutions completed", 40],
    ["2024/25 Q1", "South West", "convictions", 31],
    ["2024-04", "Devon & Cornwall", "SPO applications", 6],
    ["Apr 2024", "CPS London North", "Interim Stalking Protection Orders granted", 3],
    ["2024/25 Q2", "Metropolitan Police Service", "charges", "1,204"],
]
STORED = [
    ("CPS London North", "cps_area", "month", D(2024, 4, 1), "2024/25", 1, "spo_interim_granted", 3),
    ("CPS South West", "cps_area", "quarter", D(2024, 4, 1), "2024/25", 1, "convictions", 31),
    ("CPS South West", "cps_area", "quarter", D(2024, 4, 1), "2024/25", 1, "prosecutions_completed", 40),
    ("Devon and Cornwall", "force", "month", D(2024, 4, 1), "2024/25", 1, "spo_applications", 6),
    ("Metropolitan Police", "force", "quarter", D(2024, 7, 1), "2024/25", 2, "charges", 1204),
]


def stored_rows(engine) -> list[tuple]:
    pr = schema.prosecutions_return
    query = sa.select(
        pr.c.area,
        pr.c.area_type,
        pr.c.granularity,
        pr.c.period_start,
        pr.c.financial_year,
        pr.c.quarter,
        pr.c.measure,
        pr.c.value,
    ).order_by(pr.c.area, pr.c.granularity, pr.c.period_start, pr.c.measure)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


@pytest.fixture
def loaded(engine, settings, tmp_path):
    """A database already holding an earlier return, so a refusal has something to leave alone."""
    ingest.load_files(
        [write_csv(tmp_path / "earlier.csv", [HEADER, ["2023/24 Q4", "Dorset", "charges", 12]])], engine, settings
    )
    return engine


# ---- exact rows --------------------------------------------------------------------------------


def test_the_csv_template_stores_exact_rows(engine, settings, tmp_path):
    [result] = ingest.load_files([write_csv(tmp_path / "return.csv", [HEADER, *ROWS])], engine, settings)
    assert stored_rows(engine) == STORED
    assert (result.kind, result.rows_stored) == ("prosecutions", 5)


def test_the_xlsx_template_with_a_title_row_and_date_cells_stores_exact_rows(engine, settings, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Stalking prosecutions and orders: local return"])
    sheet.append(["Month or quarter", "Force or CPS Area", "Measure", "Value"])
    for period, area, measure, value in ROWS:
        cell = dt.datetime(2024, 4, 1) if period in {"2024-04", "Apr 2024"} else period
        sheet.append([cell, area, measure, int(str(value).replace(",", ""))])
    book.save(tmp_path / "return.xlsx")
    ingest.load_files([tmp_path / "return.xlsx"], engine, settings)
    assert stored_rows(engine) == STORED


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024/25 Q1", ("quarter", D(2024, 4, 1))),
        ("2024-25 q4", ("quarter", D(2025, 1, 1))),
        ("Q3 2019/20", ("quarter", D(2019, 10, 1))),
        ("2020-01", ("month", D(2020, 1, 1))),
        ("January 2020", ("month", D(2020, 1, 1))),
    ],
)
def test_periods_are_months_or_financial_quarters(text, expected):
    assert prosecutions.parse_period(text) == (expected, None)


# ---- broken twins ------------------------------------------------------------------------------


def test_convictions_above_prosecutions_completed_are_refused_naming_both_rows(loaded, settings, tmp_path):
    rows = [
        ["2024/25 Q1", "CPS South West", "Prosecutions completed", 30],
        ["2024/25 Q1", "CPS South West", "Convictions", 31],
    ]
    path = write_csv(tmp_path / "r.csv", [HEADER, *rows])
    assert refused(loaded, settings, path) == [
        "r.csv, row 3, column 'Value': found '31'; convictions (31) cannot exceed prosecutions completed (30, row 2) "
        "for CPS South West in 2024/25 Q1"
    ]


def test_convictions_and_prosecutions_of_different_periods_or_areas_are_not_compared(engine, settings, tmp_path):
    rows = [
        ["2024/25 Q1", "CPS South West", "Prosecutions completed", 30],
        ["2024/25 Q2", "CPS South West", "Convictions", 31],
        ["2024/25 Q1", "Devon and Cornwall", "Convictions", 31],
        ["2024-04", "CPS South West", "Convictions", 31],
    ]
    ingest.load_files([write_csv(tmp_path / "r.csv", [HEADER, *rows])], engine, settings)
    assert len(stored_rows(engine)) == 4


def test_an_unknown_measure_is_refused_listing_the_known_ones(loaded, settings, tmp_path):
    path = write_csv(tmp_path / "r.csv", [HEADER, ["2024/25 Q1", "Devon and Cornwall", "Arrests", 5]])
    assert refused(loaded, settings, path) == [
        "r.csv, row 2, column 'Measure': found 'Arrests'; expected one of the measures: charges (Charges); "
        "prosecutions_completed (Prosecutions completed); convictions (Convictions); spo_applications (Stalking "
        "Protection Order applications); spo_interim_granted (Interim Stalking Protection Orders granted); "
        "spo_full_granted (Full Stalking Protection Orders granted); spo_breaches (Stalking Protection Order breaches)"
    ]


def test_an_unknown_area_is_refused_naming_the_cps_areas(loaded, settings, tmp_path):
    path = write_csv(
        tmp_path / "r.csv",
        [HEADER, ["2024/25 Q1", "CPS Sout West", "charges", 5], ["2024/25 Q1", "Crown Court", "charges", 5]],
    )
    areas = ", ".join(a.name for a in settings.cps_areas)
    assert refused(loaded, settings, path) == [
        f"r.csv, row 2, column 'Area': found 'CPS Sout West'; expected a police force or a CPS Area; did you mean "
        f"'CPS South West'? CPS Areas are {areas} (see [[forces]] and [[cps_areas]] in the settings)",
        f"r.csv, row 3, column 'Area': found 'Crown Court'; expected a police force or a CPS Area; CPS Areas are "
        f"{areas} (see [[forces]] and [[cps_areas]] in the settings)",
    ]


@pytest.mark.parametrize(
    "period, accepted",
    [("2019-12", False), ("2019/20 Q3", False), ("2020-01", True), ("2019/20 Q4", True)],
)
def test_stalking_protection_order_figures_before_20_january_2020_are_refused(
    loaded, settings, tmp_path, period, accepted
):
    path = write_csv(tmp_path / "r.csv", [HEADER, [period, "Devon and Cornwall", "Full SPOs granted", 1]])
    if accepted:
        ingest.load_files([path], loaded, settings)
        assert [r[-2:] for r in stored_rows(loaded) if r[0] == "Devon and Cornwall"] == [("spo_full_granted", 1)]
    else:
        assert refused(loaded, settings, path) == [
            f"r.csv, row 2, column 'Period': found '{period}'; Full Stalking Protection Orders granted: no figure can "
            "fall in a period ending before 20 January 2020, when the orders became available"
        ]


def test_charges_before_2020_are_accepted(engine, settings, tmp_path):
    ingest.load_files(
        [write_csv(tmp_path / "r.csv", [HEADER, ["2018/19 Q1", "Devon and Cornwall", "charges", 9]])], engine, settings
    )
    assert stored_rows(engine) == [
        ("Devon and Cornwall", "force", "quarter", D(2018, 4, 1), "2018/19", 1, "charges", 9)
    ]


def test_values_periods_and_repeats_are_checked(loaded, settings, tmp_path):
    rows = [
        ["2024/25 Q5", "Devon and Cornwall", "charges", 5],
        ["2024/25 Q1", "Devon and Cornwall", "charges", -1],
        ["2024/25 Q1", "Devon and Cornwall", "convictions", 2.5],
        ["2024/25 Q1", "Devon and Cornwall", "prosecutions_completed", 4],
        ["2024/25 Q1", "Devon & Cornwall", "Prosecutions completed", 4],
    ]
    assert refused(loaded, settings, write_csv(tmp_path / "r.csv", [HEADER, *rows])) == [
        "r.csv, row 2, column 'Period': found '2024/25 Q5'; expected a month such as '2024-04' or a financial "
        "quarter such as '2024/25 Q1'",
        "r.csv, row 3, column 'Value': found '-1'; expected a whole number of 0 or more",
        "r.csv, row 4, column 'Value': found '2.5'; expected a whole number of 0 or more",
        "r.csv, row 6, column 'Measure': found 'Devon and Cornwall 2024/25 Q1 prosecutions_completed'; each area, "
        "period and measure may appear once; this repeats row 5",
    ]


# ---- editions and rollback ---------------------------------------------------------------------


def test_a_later_return_replaces_the_area_periods_it_holds(engine, settings, tmp_path):
    first = write_csv(
        tmp_path / "return-010724.csv",
        [
            HEADER,
            ["2024/25 Q1", "CPS South West", "charges", 100],
            ["2024/25 Q1", "CPS South West", "convictions", 50],
            ["2024/25 Q1", "Devon and Cornwall", "charges", 40],
            ["2023/24 Q4", "CPS South West", "charges", 90],
        ],
    )
    second = write_csv(tmp_path / "return-011024.csv", [HEADER, ["2024/25 Q1", "CPS South West", "charges", 104]])
    ingest.load_files([first], engine, settings)
    ingest.load_files([second], engine, settings)
    assert [(r[0], r[4], r[5], r[6], r[7]) for r in stored_rows(engine)] == [
        ("CPS South West", "2023/24", 4, "charges", 90),
        ("CPS South West", "2024/25", 1, "charges", 104),
        ("Devon and Cornwall", "2024/25", 1, "charges", 40),
    ]
    before = contents(engine)
    assert ingest.load_files([second], engine, settings)[0].already_loaded
    assert contents(engine) == before


def test_one_bad_file_means_nothing_is_written(loaded, settings, tmp_path):
    good = write_csv(tmp_path / "good.csv", [HEADER, *ROWS])
    bad = write_csv(tmp_path / "bad.csv", [HEADER, ["2024/25 Q1", "Devon and Cornwall", "Arrests", 1]])
    assert len(refused(loaded, settings, good, bad)) == 1


def test_status_and_the_dump_round_trip(engine, settings, tmp_path, capsys, monkeypatch):
    ingest.load_files([write_csv(tmp_path / "return.csv", [HEADER, *ROWS])], engine, settings)
    [kind] = [k for k in read_status(engine).kinds if k.kind.startswith("prosecutions")]
    assert (kind.rows, kind.forces, kind.units) == (5, 4, "areas")
    assert [p["period"] for p in kind.periods] == ["2024-04", "2024/25 Q1", "2024/25 Q2"]

    monkeypatch.setenv("PCC_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    dumped = tmp_path / "dumped.csv"
    assert cli.main(["dump", "prosecutions", "--out", str(dumped)]) == 0
    assert dumped.read_text().splitlines()[0] == (
        "period,area,area_type,granularity,period_start,financial_year,quarter,measure,value,source_file,"
        "source_edition,is_demo"
    )
    rows, problems = prosecutions.clean(prosecutions.read(dumped), settings)
    assert problems == []
    assert [tuple(r) for r in rows.itertuples(index=False)] == STORED


# ---- CPS Areas in configuration ------------------------------------------------------------------


def test_all_14_cps_areas_cover_every_territorial_force(settings):
    areas = {a.name: a.forces for a in settings.cps_areas}
    assert len(areas) == 14
    assert areas["CPS South West"] == ("Avon and Somerset", "Devon and Cornwall", "Gloucestershire")
    assert areas["CPS Wessex"] == ("Dorset", "Hampshire", "Wiltshire")
    assert areas["CPS Thames and Chiltern"] == ("Bedfordshire", "Hertfordshire", "Thames Valley")
    covered = [force for forces in areas.values() for force in forces]
    assert set(covered) == set(settings.territorial_forces)
    shared = {force for force in covered if covered.count(force) > 1}
    assert shared == {"Metropolitan Police", "London, City of"}
    assert settings.cps_areas_of("Metropolitan Police") == ("CPS London North", "CPS London South")
    assert settings.cps_areas_of("Devon and Cornwall") == ("CPS South West",)


def test_settings_refuse_a_cps_area_with_an_unknown_force_or_a_force_spelling(tmp_path):
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[[cps_areas]]\nname = "CPS Somewhere"\nforces = ["Atlantis"]\n')
    with pytest.raises(SettingsError, match="CPS Area 'CPS Somewhere' names the force 'Atlantis'"):
        load_settings(unknown)
    clash = tmp_path / "clash.toml"
    clash.write_text(
        '[[cps_areas]]\nname = "CPS West Midlands"\nforces = ["West Midlands"]\naliases = ["West Midlands"]\n'
    )
    with pytest.raises(SettingsError, match="CPS Area spelling 'West Midlands' is also a force's name"):
        load_settings(clash)
