"""Loads in tests and what they leave: every table's rows, the recorded-crime rows, a refused load's problems, and
a small recommendations tracker loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from data_loaders import database, ingest, schema
from data_loaders.recommendations.ingest import load_recommendation_files
from data_loaders.refusals import LoadRefused


def contents(engine) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused load changed nothing."""
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(sa.select(table))), key=repr)
            for table in schema.metadata.sorted_tables
        }


def refusal(engine, settings, *paths) -> LoadRefused:
    """The refusal of loading ``paths``, after checking that every table is exactly as before."""
    before = contents(engine)
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files(list(paths), engine, settings)
    assert contents(engine) == before
    return caught.value


def refused(engine, settings, *paths) -> list[str]:
    """The problems of a refused load, after checking that every table is exactly as before."""
    return [str(p) for p in refusal(engine, settings, *paths).problems]


def recorded_crime_rows(engine) -> list[tuple]:
    """The recorded-crime rows: force, year, quarter, month, period start, code, description, count."""
    rc = schema.recorded_crime
    query = sa.select(
        rc.c.force,
        rc.c.financial_year,
        rc.c.quarter,
        rc.c.month,
        rc.c.period_start,
        rc.c.offence_code,
        rc.c.offence_description,
        rc.c.count,
    ).order_by(rc.c.force, rc.c.period_start, rc.c.month, rc.c.offence_code)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def load_tracker(url: str, settings, path: Path, text: str) -> str:
    """Write ``text`` to ``path`` and load it as a recommendations tracker (by "Loader") into ``url``; return ``url``."""
    path.write_text(text, encoding="utf-8")
    engine = database.make_engine(url)
    try:
        load_recommendation_files([path], engine, settings, author="Loader")
    finally:
        engine.dispose()
    return url
