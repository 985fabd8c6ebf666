"""Population by police force area: the template and the ONS layout store exact rows; refusals."""

from __future__ import annotations

import openpyxl
import pytest
import sqlalchemy as sa
from stored import refused

from data_loaders import ingest, schema
from data_loaders.sources import population


def stored_rows(engine) -> list[tuple]:
    pop = schema.population
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                sa.select(pop.c.force, pop.c.year, pop.c.population).order_by(pop.c.force, pop.c.year)
            )
        ]


@pytest.fixture
def loaded(engine, settings, tmp_path):
    earlier = tmp_path / "earlier.csv"
    earlier.write_text("Force,Year,Population\nKent,2016,1832000\n")
    ingest.load_files([earlier], engine, settings)
    return engine


def test_the_template_stores_exact_rows(engine, settings, tmp_path):
    path = tmp_path / "population.csv"
    path.write_text(
        "Force,Year,Population,ONS Code\n"
        "Devon and Cornwall,2018,1751524,E23000035\n"
        'Devon & Cornwall,2017,"1,741,900",\n'
        "Dyfed Powys,2018,515114,W15000004\n"
        '"London, City of",2018,8706,\n'
    )
    [result] = ingest.load_files([path], engine, settings)
    assert stored_rows(engine) == [
        ("Devon and Cornwall", 2017, 1741900),
        ("Devon and Cornwall", 2018, 1751524),
        ("Dyfed-Powys", 2018, 515114),
        ("London, City of", 2018, 8706),
    ]
    assert result.describe() == "population.csv: loaded 4 rows as population."


def test_the_ons_layout_in_xlsx_under_a_title(engine, settings, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "MYE"
    for row in [
        ["Mid-year population estimates by police force area"],
        [],
        ["PFA Code", "Police Force Area", "Mid-year", "All ages"],
        ["E23000037", "Gloucestershire", 2018, 633558],
        ["E23000038", "Wiltshire", 2018, 720060.0],
    ]:
        sheet.append(row)
    book.save(tmp_path / "mye.xlsx")
    ingest.load_files([tmp_path / "mye.xlsx"], engine, settings)
    assert stored_rows(engine) == [("Gloucestershire", 2018, 633558), ("Wiltshire", 2018, 720060)]


def test_a_newer_file_replaces_the_years_it_covers(engine, settings, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text("Force,Year,Population\nKent,2017,1840000\nKent,2018,1846500\n")
    second = tmp_path / "second.csv"
    second.write_text("Force,Year,Population\nKent,2018,1850000\nKent,2019,1861000\n")
    ingest.load_files([first], engine, settings)
    [result] = ingest.load_files([second], engine, settings)
    assert stored_rows(engine) == [("Kent", 2017, 1840000), ("Kent", 2018, 1850000), ("Kent", 2019, 1861000)]
    assert result.periods_replaced == 1


def test_read_and_validate_without_a_database(settings, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("force,mid_year,population\nSurrey,2016,1180000\n")
    frame = population.read(path)
    assert population.clean(frame, settings)[1] == []
    rows, _ = population.clean(frame, settings)
    assert rows.to_dict("records") == [{"force": "Surrey", "year": 2016, "population": 1180000}]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-5", "column 'Population': found '-5'; expected a population: a whole number above 0"),
        ("0", "column 'Population': found '0'; expected a population: a whole number above 0"),
        ("n/a", "column 'Population': found 'n/a'; expected a population: a whole number above 0"),
    ],
)
def test_a_population_that_is_not_a_positive_whole_number_is_refused(loaded, settings, tmp_path, cell, expected):
    path = tmp_path / "p.csv"
    path.write_text(f"Population estimates\nForce,Year,Population\nKent,2018,1846500\nKent,2019,{cell}\n")
    assert refused(loaded, settings, path) == [f"p.csv, row 4, {expected}"]


def test_every_problem_is_listed(loaded, settings, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "Force,Year,Population,ONS Code\n"
        "Kent,18,1846500,\n"
        "Kentt,2018,1846500,\n"
        "Kent,2018,1846500,E23000035\n"
        "Surrey,2018,1190000,\n"
        "Surrey Police,2018,1190000,\n"
    )
    assert refused(loaded, settings, path) == [
        "p.csv, row 3, column 'Force': found 'Kentt'; expected a police force name; did you mean 'Kent'?",
        "p.csv, row 2, column 'Year': found '18'; expected a mid-year such as 2023",
        "p.csv, row 4, column 'ONS Code': found 'E23000035'; expected E23000032, the ONS code of Kent",
        "p.csv, row 6, column 'Year': found 'Surrey 2018'; each force and year may appear once; this repeats row 5",
    ]


def test_a_missing_population_column_is_named(loaded, settings, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("Force,Year,Residents\nKent,2018,1846500\n")
    assert refused(loaded, settings, path) == [
        "p.csv, row 1: found 'Force | Year | Residents'; the columns match no kind of table this dashboard loads; the nearest is the population by police force area and "
        "mid-year (force, year, population), which also needs the column 'Population'"
    ]
