"""What is loaded: per kind of data, the periods and forces covered, rows, editions and files.

Shared by ``pcc-dashboard status`` and the dashboard's Data page so that both say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_loaders import database, schema
from data_loaders.sources.prosecutions import period_label


@dataclass
class SourceStatus:
    """One loaded file and how many of its rows are still in force."""

    id: int
    file_name: str
    kind: str
    edition_date: dt.date | None
    loaded_at: dt.datetime
    rows_loaded: int
    rows_current: int
    is_demo: bool
    first_period: str | None
    last_period: str | None


@dataclass
class KindStatus:
    """One kind of data: coverage and where each period came from."""

    kind: str
    rows: int
    forces: int
    first_period: str | None
    last_period: str | None
    is_demo: bool
    # period label -> file name(s) and edition that period's rows came from
    periods: list[dict[str, object]] = field(default_factory=list)
    units: str = "forces"  # what `forces` counts: "forces"; "areas" (forces and CPS Areas); "" for none


@dataclass
class Status:
    """Everything ``status`` reports."""

    database: str
    schema_revision: str | None
    any_demo: bool
    kinds: list[KindStatus]
    sources: list[SourceStatus]
    latest_load: dt.datetime | None
    warnings: list[str] = field(default_factory=list)  # e.g. a population estimate older than the latest figures

    def as_dict(self) -> dict[str, object]:
        """JSON-ready: dates as ISO strings."""

        def convert(value):
            if isinstance(value, (dt.date, dt.datetime)):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, list):
                return [convert(v) for v in value]
            return value

        return convert(asdict(self))


def _display_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _table_status(
    engine: Engine,
    kind: str,
    table: sa.Table,
    period_columns: tuple[str, ...],
    label: Callable[[Any], str],
    area_column: str | None,
    units: str,
    where: sa.ColumnElement[bool] | None = None,
    editions: bool = True,
) -> KindStatus | None:
    """Coverage of a table keyed by period: rows and source files per period label, areas counted.

    ``where`` keeps only some of the table's rows (for coverage and the count of areas alike); without
    ``editions`` no period names the edition of its files.
    """
    src = schema.sources
    columns = [table.c[c] for c in period_columns]
    kept = () if where is None else (where,)
    query = (
        sa.select(*columns, src.c.file_name, src.c.edition_date, src.c.is_demo, sa.func.count().label("rows"))
        .join(src, src.c.id == table.c.source_id)
        .where(*kept)
        .group_by(*columns, src.c.file_name, src.c.edition_date, src.c.is_demo)
        .order_by(*columns)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=list(query.selected_columns.keys()))
        areas = (
            connection.execute(sa.select(sa.func.count(sa.distinct(table.c[area_column]))).where(*kept)).scalar_one()
            if area_column
            else 0
        )
    if frame.empty:
        return None
    frame["period"] = [label(row) for row in frame.itertuples(index=False)]
    periods = [
        {
            "period": period,
            "rows": int(rows["rows"].sum()),
            "files": sorted(rows["file_name"].unique().tolist()),
            "edition_date": max((d for d in rows["edition_date"] if d is not None), default=None) if editions else None,
            "is_demo": bool(rows["is_demo"].any()),
        }
        for period, rows in frame.groupby("period", sort=False)
    ]
    return KindStatus(
        kind=kind,
        rows=int(frame["rows"].sum()),
        forces=int(areas),
        first_period=periods[0]["period"],
        last_period=periods[-1]["period"],
        is_demo=bool(frame["is_demo"].any()),
        periods=periods,
        units=units,
    )


def _crime_status(engine: Engine, kind: str, monthly: bool) -> KindStatus | None:
    """Recorded crime: the local extract's months, or the Home Office's quarters (month 0)."""
    rc = schema.recorded_crime
    return _table_status(
        engine,
        kind,
        rc,
        ("period_start", "financial_year", "quarter"),
        (lambda row: f"{row.period_start:%Y-%m}") if monthly else (lambda row: f"{row.financial_year} Q{row.quarter}"),
        "force",
        "forces",
        where=rc.c.month > 0 if monthly else rc.c.month == 0,
    )


def _population_status(engine: Engine) -> KindStatus | None:
    """Population estimates by mid-year; their periods name no edition."""
    return _table_status(
        engine,
        "population",
        schema.population,
        ("year",),
        lambda row: f"mid-{row.year}",
        "force",
        "forces",
        editions=False,
    )


def _returns_status(engine: Engine) -> list[KindStatus | None]:
    """Outcomes by quarter, the prosecutions and orders return by month or quarter, local events by year."""
    return [
        _table_status(
            engine,
            "outcomes (quarterly, Home Office)",
            schema.outcomes,
            ("period_start", "financial_year", "quarter"),
            lambda row: f"{row.financial_year} Q{row.quarter}",
            "force",
            "forces",
        ),
        _table_status(
            engine,
            "prosecutions and orders (local return)",
            schema.prosecutions_return,
            ("period_start", "granularity"),
            lambda row: period_label(row.granularity, row.period_start),
            "area",
            "areas",
        ),
        _table_status(
            engine,
            "local events",
            schema.events,
            ("date",),
            lambda row: str(row.date.year),
            None,
            "",
        ),
    ]


def _sources(engine: Engine) -> list[SourceStatus]:
    src = schema.sources
    current = {}
    with engine.connect() as connection:
        for table in (
            schema.recorded_crime,
            schema.population,
            schema.outcomes,
            schema.prosecutions_return,
            schema.events,
            schema.recommendations,
            schema.published_figures,
        ):
            for source_id, rows in connection.execute(
                sa.select(table.c.source_id, sa.func.count()).group_by(table.c.source_id)
            ):
                current[source_id] = current.get(source_id, 0) + rows
        spans = {}
        for table, column in (
            (schema.recorded_crime, schema.recorded_crime.c.period_start),
            (schema.outcomes, schema.outcomes.c.period_start),
            (schema.prosecutions_return, schema.prosecutions_return.c.period_start),
            (schema.events, schema.events.c.date),
            (schema.published_figures, schema.published_figures.c.period_end),
        ):
            for source_id, first, last in connection.execute(
                sa.select(table.c.source_id, sa.func.min(column), sa.func.max(column)).group_by(table.c.source_id)
            ):
                spans[source_id] = (first, last)
        pop = schema.population
        for source_id, first, last in connection.execute(
            sa.select(pop.c.source_id, sa.func.min(pop.c.year), sa.func.max(pop.c.year)).group_by(pop.c.source_id)
        ):
            spans[source_id] = (f"mid-{first}", f"mid-{last}")
        stored = [src.c[name] for name in ("id", "file_name", "kind", "edition_date", "loaded_at", "is_demo")]
        query = sa.select(*stored, src.c.rows.label("rows_loaded")).order_by(src.c.loaded_at.desc(), src.c.id.desc())
        rows = connection.execute(query).mappings().all()
    out = []
    for row in rows:
        first, last = (None if end is None else str(end) for end in spans.get(row["id"], (None, None)))
        out.append(SourceStatus(**row, rows_current=current.get(row["id"], 0), first_period=first, last_period=last))
    return out


def _recommendations_status(engine: Engine) -> KindStatus | None:
    """Inspection recommendations: one period per report, in publication order."""
    recs, reps, src = schema.recommendations, schema.reports, schema.sources
    query = (
        sa.select(reps.c.title, reps.c.publication_date, src.c.file_name, src.c.is_demo, sa.func.count().label("rows"))
        .join(recs, recs.c.report_id == reps.c.id)
        .outerjoin(src, src.c.id == recs.c.source_id)
        .group_by(reps.c.title, reps.c.publication_date, src.c.file_name, src.c.is_demo)
        .order_by(reps.c.publication_date.is_(None), reps.c.publication_date, reps.c.title)
    )
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=["title", "published", "file", "demo", "rows"])
    if frame.empty:
        return None
    periods = [
        {
            "period": title,
            "rows": int(rows["rows"].sum()),
            "files": sorted(f for f in rows["file"].unique().tolist() if f),
            "edition_date": None,
            "is_demo": bool(rows["demo"].fillna(False).any()),
        }
        for title, rows in frame.groupby("title", sort=False)
    ]
    dates = [d for d in frame["published"] if d is not None and not pd.isna(d)]
    return KindStatus(
        kind="inspection recommendations",
        rows=int(frame["rows"].sum()),
        forces=len(periods),
        first_period=min(dates).isoformat() if dates else None,
        last_period=max(dates).isoformat() if dates else None,
        is_demo=any(p["is_demo"] for p in periods),
        periods=periods,
        units="reports",
    )


def population_warnings(engine: Engine, lag_months: int) -> list[str]:
    """Forces whose latest year ending has no population estimate, or one more than a year older than the 12 months."""
    from data_loaders import periods, reads

    rc, forces = schema.recorded_crime, schema.forces
    query = (
        sa.select(rc.c.force, sa.func.max(rc.c.period_start))
        .join(forces, forces.c.name == rc.c.force)
        .where(rc.c.month == 0, forces.c.territorial)
        .group_by(rc.c.force)
    )
    with engine.connect() as connection:
        latest = {force: start for force, start in connection.execute(query)}
    if not latest:
        return []
    population = reads.population(engine)
    years = population.groupby("force")["year"].apply(lambda y: sorted(int(v) for v in y)).to_dict()
    missing, stale = [], {}
    end = periods.month_end(periods.add_months(max(latest.values()), 2))
    wanted = periods.population_year(end, lag_months)
    for force in sorted(latest):
        usable = [y for y in years.get(force, []) if y <= wanted]
        if not usable:
            missing.append(force)
        elif periods.population_is_stale(end, usable[-1]):
            stale.setdefault(usable[-1], []).append(force)
    out = []
    if missing:
        out.append(
            f"No population estimate at or before mid-{wanted} for {_forces(missing)}: no rate per 1,000 for the "
            f"year ending {end:%B %Y}."
        )
    for year, names in sorted(stale.items()):
        out.append(
            f"The year ending {end:%B %Y} wants the mid-{wanted} population estimate; {_forces(names)} "
            f"{'has' if len(names) == 1 else 'have'} only mid-{year}, more than a year older than the 12 months: "
            "load newer ONS mid-year estimates."
        )
    return out


def _forces(names: list[str]) -> str:
    """A short list of forces: every one by name up to ten, else how many."""
    if len(names) >= 43:
        return "all 43 forces"
    if len(names) > 10:
        return f"{len(names)} forces"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def read_status(engine: Engine, lag_months: int | None = None) -> Status:
    """The status of the database behind ``engine`` (an empty database reports no kinds)."""
    revision = database.schema_revision(engine)
    if revision is None:
        return Status(_display_url(engine), None, False, [], [], None)
    kinds = [
        k
        for k in (
            _crime_status(engine, "recorded-crime (quarterly, Home Office)", monthly=False),
            _crime_status(engine, "recorded-crime (monthly, local extract)", monthly=True),
            _population_status(engine),
            _table_status(
                engine,
                "ONS published figures (police force area tables)",
                schema.published_figures,
                ("period_end",),
                lambda row: f"year ending {row.period_end:%B %Y}",
                "area",
                "areas",
            ),
            *_returns_status(engine),
            _recommendations_status(engine),
        )
        if k is not None
    ]
    sources = _sources(engine)
    if lag_months is None:
        from data_loaders.settings import get_settings

        lag_months = get_settings().population_lag_months
    return Status(
        database=_display_url(engine),
        schema_revision=revision,
        any_demo=any(s.is_demo for s in sources),
        kinds=kinds,
        sources=sources,
        latest_load=max((s.loaded_at for s in sources), default=None),
        warnings=population_warnings(engine, lag_months),
    )
