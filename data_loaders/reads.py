"""Plain reads of the aggregated tables, for the dashboard (which caches them) and the command line.

Whole tables of aggregated counts are small (tens of thousands of rows even for every force and
year), so each is read whole and filtered in pandas by its users.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_loaders import database, schema

NATIONAL = "England and Wales"


def _read(engine: Engine, query: sa.Select, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    if database.schema_revision(engine) is None:
        return pd.DataFrame(columns=list(query.selected_columns.keys()))
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=list(query.selected_columns.keys()))
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame


# The columns each read gives, and the order of its rows.
RECORDED_COLUMNS = ("force", "financial_year", "quarter", "month", "period_start", "offence_code",
                    "offence_description", "count")  # fmt: skip
OUTCOME_COLUMNS = ("force", "financial_year", "quarter", "period_start", "offence_code", "outcome_type",
                   "outcome_group", "outcomes_for_offences_recorded", "outcomes_recorded")  # fmt: skip
RETURN_COLUMNS = ("area", "area_type", "granularity", "period_start", "financial_year", "quarter", "measure", "value")


def rows_query(
    table: sa.Table, columns: tuple[str, ...], order: tuple[str, ...], *, sourced: bool = False
) -> sa.Select:
    """``columns`` of ``table`` in ``order``; with ``sourced``, the file, edition and demo flag each row came from."""
    src = schema.sources
    selected = [table.c[name] for name in columns]
    if not sourced:
        return sa.select(*selected).order_by(*(table.c[name] for name in order))
    origin = [src.c.file_name.label("source_file"), src.c.edition_date.label("source_edition"), src.c.is_demo]
    return (
        sa.select(*selected, *origin)
        .join(src, src.c.id == table.c.source_id)
        .order_by(*(table.c[name] for name in order))
    )


def recorded_crime(engine: Engine) -> pd.DataFrame:
    """Every recorded-crime row: quarterly Home Office rows have ``month`` 0, local monthly rows 1-12."""
    query = rows_query(schema.recorded_crime, RECORDED_COLUMNS, ("period_start", "force", "offence_code"))
    return _read(engine, query, ("period_start",))


def population(engine: Engine) -> pd.DataFrame:
    """Mid-year population by force and year, with ``source``: where each estimate came from.

    A population file gives the estimates themselves; an ONS police force area tables workbook
    gives, in its Table P3, the population its rates used (rounded to 100). The second fills in
    only a force and mid-year that no population file holds.
    """
    pop, pub = schema.population, schema.published_figures
    columns = ["force", "year", "population", "source"]
    own = schema.select_with_file(pop, pop.c.force, pop.c.year, pop.c.population, label="source")
    estimates = _read(engine, own.order_by(pop.c.force, pop.c.year))
    area_year = (pub.c.area.label("force"), pub.c.population_year.label("year"))
    published = _read(
        engine,
        schema.select_with_file(pub, *area_year, pub.c.population, pub.c.period_end, label="source")
        .where(pub.c.population.is_not(None), pub.c.area != NATIONAL)
        .order_by(pub.c.area, pub.c.population_year, pub.c.period_end.desc()),
    )
    published = published.drop_duplicates(["force", "year"]).drop(columns="period_end")
    published["source"] = [f"{name} (ONS Table P3, rounded to 100)" for name in published["source"]]
    known = set(zip(estimates["force"], estimates["year"], strict=True))
    extra = published[[(f, y) not in known for f, y in zip(published["force"], published["year"], strict=True)]]
    frame = pd.concat([estimates, extra], ignore_index=True) if len(extra) else estimates
    return frame.sort_values(["force", "year"]).reset_index(drop=True)[columns]


def published_figures(engine: Engine) -> pd.DataFrame:
    """ONS's published yearly figures by area and year ending: count, rate per 1,000, population and its mid-year."""
    pub = schema.published_figures
    names = ("area", "period_end", "offence_group", "count", "rate", "population", "population_year")
    query = schema.select_with_file(pub, *(pub.c[name] for name in names), label="source")
    return _read(engine, query.order_by(pub.c.period_end, pub.c.area))


def outcomes(engine: Engine) -> pd.DataFrame:
    """Every outcome row (both Home Office counts); type 0 rows are the not-yet-assigned backlog."""
    order = ("period_start", "force", "offence_code", "outcome_type")
    return _read(engine, rows_query(schema.outcomes, OUTCOME_COLUMNS, order), ("period_start",))


def prosecutions(engine: Engine) -> pd.DataFrame:
    """The local prosecutions and orders return: one row per area, period and measure."""
    order = ("period_start", "area", "measure")
    return _read(engine, rows_query(schema.prosecutions_return, RETURN_COLUMNS, order), ("period_start",))


CSP_COLUMNS = ("force", "financial_year", "quarter", "period_start", "csp", "offence_code", "count")


def recorded_crime_csp(engine: Engine) -> pd.DataFrame:
    """Every row of the CSP editions as published, by force, quarter, partnership (``csp``) and offence code."""
    order = ("period_start", "force", "csp", "offence_code")
    return _read(engine, rows_query(schema.recorded_crime_csp, CSP_COLUMNS, order), ("period_start",))


def population_district(engine: Engine) -> pd.DataFrame:
    """Each district's mid-year estimate, by force, year and district code."""
    order = ("force", "year", "lad_code")
    columns = ("force", "year", "lad_code", "population")
    return _read(engine, rows_query(schema.population_district, columns, order))
