"""The real Home Office release of 19 October 2023 and ONS populations load to the published figures."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from data_loaders import ingest, schema
from data_loaders.status import read_status

CRIME_FILE = "home-office-prc-pfa-stalking-harassment-191023.csv"
POPULATION_FILE = "pfa-population-mid2016-2018.csv"
YEARS = [f"{start}/{str(start + 1)[-2:]}" for start in range(2012, 2023)]
DEVON_AND_CORNWALL = [1047, 1367, 1791, 2970, 4545, 7924, 10303, 10208, 12143, 12729, 12129]
ENGLAND_AND_WALES = [55976, 62589, 86278, 158786, 214326, 296083, 444838, 494735, 629843, 718300, 707210]


@pytest.fixture
def real(engine, settings, shared_data):
    results = ingest.load_files([shared_data / CRIME_FILE, shared_data / POPULATION_FILE], engine, settings)
    return engine, results


def yearly(engine, forces) -> dict[str, int]:
    rc = schema.recorded_crime
    query = (
        sa.select(rc.c.financial_year, sa.func.sum(rc.c.count))
        .where(rc.c.force.in_(forces), rc.c.month == 0, rc.c.financial_year.in_(YEARS))
        .group_by(rc.c.financial_year)
        .order_by(rc.c.financial_year)
    )
    with engine.connect() as connection:
        return {year: int(total) for year, total in connection.execute(query)}


def test_devon_and_cornwall_yearly_totals_match_the_publication(real):
    engine, _ = real
    assert yearly(engine, ["Devon and Cornwall"]) == dict(zip(YEARS, DEVON_AND_CORNWALL, strict=True))


def test_england_and_wales_totals_use_the_43_territorial_forces(real, settings):
    engine, _ = real
    territorial = settings.territorial_forces
    assert len(territorial) == 43
    assert "British Transport Police" not in territorial
    assert yearly(engine, territorial) == dict(zip(YEARS, ENGLAND_AND_WALES, strict=True))
    with engine.connect() as connection:
        territorial_in_db = connection.execute(
            sa.select(schema.forces.c.name).where(schema.forces.c.territorial.is_(True))
        ).scalars()
        assert sorted(territorial_in_db) == sorted(territorial)


def test_devon_and_cornwall_2022_23_by_offence_code(real):
    engine, _ = real
    rc = schema.recorded_crime
    query = (
        sa.select(rc.c.offence_code, sa.func.sum(rc.c.count))
        .where(rc.c.force == "Devon and Cornwall", rc.c.financial_year == "2022/23")
        .group_by(rc.c.offence_code)
        .order_by(rc.c.offence_code)
    )
    with engine.connect() as connection:
        by_code = {code: int(total) for code, total in connection.execute(query)}
    assert by_code == {"8L": 4973, "8M": 43, "8Q": 1489, "8R": 4955, "8U": 669}


def test_what_was_stored_and_reported(real):
    engine, results = real
    crime, population = results
    assert (crime.kind, crime.rows_read, crime.rows_stored, crime.rows_other_offences) == (
        "recorded-crime",
        7263,
        7263,
        0,
    )
    assert crime.edition_date == dt.date(2023, 10, 19)
    assert "9 quarterly figures are negative" in crime.describe()
    assert (population.kind, population.rows_stored) == ("population", 125)

    rc, pop = schema.recorded_crime, schema.population
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(rc)).scalar_one() == 7263
        assert connection.execute(sa.select(sa.func.count(sa.distinct(rc.c.force)))).scalar_one() == 44
        assert connection.execute(sa.select(sa.func.count()).select_from(pop)).scalar_one() == 125
        assert (
            connection.execute(
                sa.select(pop.c.population).where(pop.c.force == "Devon and Cornwall", pop.c.year == 2018)
            ).scalar_one()
            == 1762376
        )
        editions = connection.execute(sa.select(schema.sources.c.file_name, schema.sources.c.edition_date)).all()
    assert sorted(tuple(e) for e in editions) == [(CRIME_FILE, dt.date(2023, 10, 19)), (POPULATION_FILE, None)]

    status = read_status(engine)
    summary = [(k.kind, k.rows, k.forces, k.first_period, k.last_period) for k in status.kinds]
    assert summary == [
        ("recorded-crime (quarterly, Home Office)", 7263, 44, "2012/13 Q1", "2023/24 Q1"),
        ("population", 125, 42, "mid-2016", "mid-2018"),
    ]
    quarterly = status.kinds[0].periods
    assert len(quarterly) == 11 * 4 + 1
    assert {(tuple(p["files"]), p["edition_date"]) for p in quarterly} == {((CRIME_FILE,), dt.date(2023, 10, 19))}


def test_loading_the_real_table_again_changes_nothing(real, settings, shared_data):
    engine, _ = real
    before = yearly(engine, ["Devon and Cornwall"])
    [again] = ingest.load_files([shared_data / CRIME_FILE], engine, settings)
    assert again.already_loaded
    assert yearly(engine, ["Devon and Cornwall"]) == before
