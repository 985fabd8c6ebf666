"""ONS "Police force area data tables" as published: the two real workbooks load, and ``dump rates`` puts ONS's
published rate beside the dashboard's own, with the population year ONS used.

The workbooks are read from ``../shared/data/ons-pfa-tables/`` (skipped with the reason where absent);
the broken twins below are copies of a real workbook with one thing changed.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa

import pcc_cli as cli
from data_loaders import ingest, schema
from data_loaders.refusals import LoadRefused
from data_loaders.sources import ons_pfa_tables
from data_loaders.tables import open_workbook

MARCH_2018 = "policeforceareatablesyearendingmarch2018v2.xlsx"
MARCH_2019 = "policeforceareatablesyeendingmarch2019.xlsx"
CRIME_FILE = "home-office-prc-pfa-stalking-harassment-191023.csv"
POPULATION_FILE = "pfa-population-mid2016-2018.csv"


@pytest.fixture
def ons(shared_data):
    folder = shared_data / "ons-pfa-tables"
    if not (folder / MARCH_2019).is_file():
        pytest.skip(f"ONS police force area tables not found at {folder}")
    return folder


def published(engine) -> dict[tuple[str, str], tuple]:
    pub = schema.published_figures
    query = sa.select(pub.c.area, pub.c.period_end, pub.c.count, pub.c.rate, pub.c.population, pub.c.population_year)
    with engine.connect() as connection:
        return {(row[0], f"{row[1]:%Y-%m}"): tuple(row[2:]) for row in connection.execute(query)}


def test_both_real_workbooks_load_with_the_year_ending_and_the_population_year(engine, settings, ons):
    results = ingest.load_files([ons / MARCH_2018, ons / MARCH_2019], engine, settings)
    assert [r.describe() for r in results] == [
        f"{MARCH_2018}: loaded 45 rows as ons-pfa-tables. Year ending March 2018: figures for England and Wales, "
        "43 police force areas and British Transport Police; rates per 1,000 over ONS's mid-2016 population.",
        f"{MARCH_2019}: loaded 45 rows as ons-pfa-tables. Year ending March 2019: figures for England and Wales, "
        "43 police force areas and British Transport Police; rates per 1,000 over ONS's mid-2017 population.",
    ]
    figures = published(engine)
    count, rate, population, year = figures[("Devon and Cornwall", "2019-03")]
    assert (count, round(rate, 2), population, year) == (10395, 5.94, 1749100, 2017)
    count, rate, population, year = figures[("Devon and Cornwall", "2018-03")]
    assert (count, round(rate, 2), population, year) == (7975, 4.60, 1733000, 2016)
    count, rate, population, year = figures[("England and Wales", "2019-03")]
    assert (count, round(rate, 3), population, year) == (444054, 7.559, 58744600, 2017)  # includes BTP
    assert figures[("London, City of", "2019-03")] == (150, None, 7700, 2017)  # ONS suppressed the rate ('+')
    assert figures[("British Transport Police", "2019-03")] == (273, None, None, None)  # P1 only
    assert figures[("Dyfed-Powys", "2019-03")][0] == 3075
    assert len({area for area, _ in figures}) == 45


def test_dump_rates_gives_onss_rate_beside_the_dashboards_own(db_url, monkeypatch, capsys, ons, shared_data):
    monkeypatch.setenv("PCC_DATABASE_URL", db_url)
    paths = [shared_data / CRIME_FILE, shared_data / POPULATION_FILE, ons / MARCH_2018, ons / MARCH_2019]
    assert cli.main(["load", *map(str, paths)]) == 0
    capsys.readouterr()
    assert cli.main(["dump", "rates"]) == 0
    rows = {(r["force"], r["year_ending"]): r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert list(next(iter(rows.values()))) == cli.RATES_COLUMNS
    devon = rows[("Devon and Cornwall", "2019-03")]
    assert devon == {
        "force": "Devon and Cornwall",
        "year_ending": "2019-03",
        "count": "10303",  # the Home Office's October 2023 edition; ONS published 10,395 in July 2019
        "population": "1749096",
        "population_year": "2017",  # as ONS divided the year ending March 2019
        "population_source": POPULATION_FILE,
        "rate_per_1000": "5.89",
        "published_rate_per_1000": "5.943",
        "published_count": "10395",
    }
    national = rows[("England and Wales", "2019-03")]
    assert (national["count"], national["population_year"], national["rate_per_1000"]) == ("444838", "2017", "7.572")
    # City of London has no row in the population file: ONS's Table P3 gives its population, so all 43 are in.
    assert national["population"] == "58744641"
    assert national["population_source"] == (f"{POPULATION_FILE}; {MARCH_2019} (ONS Table P3, rounded to 100)")
    assert (national["published_rate_per_1000"], national["published_count"]) == ("7.559", "444054")
    # Greater Manchester has no mid-2018 row: its mid-2017 estimate stands in, and England and Wales says so.
    december = rows[("England and Wales", "2019-12")]
    assert december["population_year"] == "2018"
    assert december["population_source"].endswith(
        "older estimates than mid-2018 for Greater Manchester and London, City of"
    )
    assert rows[("Greater Manchester", "2019-12")]["population_year"] == "2017"
    # No estimate before mid-2016 is loaded: no rate, never a later estimate standing in.
    early = rows[("England and Wales", "2016-03")]
    assert (early["population"], early["rate_per_1000"], early["population_source"]) == ("", "", "no population loaded")


def twin(ons, tmp_path, change) -> str:
    book = openpyxl.load_workbook(ons / MARCH_2019)
    change(book)
    path = tmp_path / MARCH_2019
    book.save(path)
    return path


def refused(engine, settings, path) -> list[str]:
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], engine, settings)
    assert published(engine) == {}
    return [str(p) for p in caught.value.problems]


def test_a_workbook_without_table_p3_is_refused(engine, settings, ons, tmp_path):
    path = twin(ons, tmp_path, lambda book: book.remove(book["Table P3 "]))
    assert refused(engine, settings, path) == [
        f"{MARCH_2019}: the workbook has no sheet 'Table P3' (rates per 1,000 population and the population used); "
        "expected the ONS workbook as published"
    ]


def test_a_bad_rate_cell_is_named_by_sheet_row_and_column(engine, settings, ons, tmp_path):
    def spoil(book):
        sheet = book["Table P3 "]
        for row in sheet.iter_rows():
            if row[1].value == "Devon and Cornwall":
                row[11].value = "n/a"

    assert refused(engine, settings, twin(ons, tmp_path, spoil)) == [
        f"{MARCH_2019}, sheet 'Table P3 ', row 53, column 'Stalking and harassment': found 'n/a'; "
        "expected a number, or '..' or '[x]' where ONS published none"
    ]


def test_an_unknown_force_code_is_refused(engine, settings, ons, tmp_path):
    def spoil(book):
        for row in book["Table P1 "].iter_rows():
            if row[0].value == "E23000035":
                row[0].value = "E23000099"

    assert refused(engine, settings, twin(ons, tmp_path, spoil)) == [
        f"{MARCH_2019}, sheet 'Table P1 ', row 53, column 'Area Code': found 'E23000099'; "
        "expected the ONS code of a police force area in the settings ([[forces]] ons_code)"
    ]


def test_a_population_header_without_its_mid_year_is_refused(engine, settings, ons, tmp_path):
    def spoil(book):
        book["Table P3 "].cell(row=5, column=3).value = "Population figures rounded to 100"

    assert refused(engine, settings, twin(ons, tmp_path, spoil)) == [
        f"{MARCH_2019}, sheet 'Table P3 ', row 5, column 'Population figures rounded to 100': found 'Population "
        "figures rounded to 100'; expected the mid-year of the population in the header, such as 'Population figures "
        "(mid-2017)'"
    ]


def test_the_year_ending_comes_from_the_titles(ons):
    frame = ons_pfa_tables.parse(open_workbook(ons / MARCH_2018))
    assert (frame.attrs["period_end"].isoformat(), frame.attrs["population_year"]) == ("2018-03-31", 2016)


def test_status_flags_populations_older_than_the_latest_figures(engine, settings, ons, shared_data):
    from data_loaders.status import read_status

    paths = [shared_data / CRIME_FILE, shared_data / POPULATION_FILE, ons / MARCH_2019]
    ingest.load_files(paths, engine, settings)
    assert read_status(engine, settings.population_lag_months).warnings == [
        "The year ending June 2023 wants the mid-2022 population estimate; Greater Manchester and London, City of have "
        "only mid-2017, more than a year older than the 12 months: load newer ONS mid-year estimates.",
        "The year ending June 2023 wants the mid-2022 population estimate; 41 forces have only mid-2018, more than a "
        "year older than the 12 months: load newer ONS mid-year estimates.",
    ]
