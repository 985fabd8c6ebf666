"""The dashboard's only database access: cached reads, and loading uploaded files.

Every cached read takes the database URL as an argument, so two databases (a test's, a
deployment's) never share a cache entry. Data changes only when an analyst loads files: a load
from the Data page clears every cache at once (:func:`clear_caches`), so the ttl only bounds how
long a load made from the command line takes to show in a running app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard.charts.base import TimeMarker
from dashboard.figures import selection
from dashboard.memo import Memo
from data_loaders import database, reads
from data_loaders.recommendations import queries as recommendation_queries
from data_loaders.settings import Settings, SettingsError, get_settings
from data_loaders.sources import events as events_module
from data_loaders.status import Status, read_status

Progress = Callable[[float, str], None]

# Short enough that a load from the command line shows within a minute; the status query is cheap.
STATUS_TTL = dt.timedelta(minutes=1)


class DataUnavailable(RuntimeError):
    """The settings could not be read, or the database could not be opened, migrated or read."""


class Upload(Protocol):
    """What ``st.file_uploader`` returns for each file: a name and the bytes."""

    name: str

    def getvalue(self) -> bytes: ...


def settings() -> Settings:
    """The settings in force for this process; raise :class:`DataUnavailable` when they cannot be read."""
    try:
        return get_settings()
    except SettingsError as exc:
        raise DataUnavailable(f"The settings could not be read: {exc}") from exc


_ENGINES: Memo[Engine] = Memo("engines", ttl=None, max_entries=16)


def _open(url: str) -> Engine:
    engine = database.engine_for(url)
    database.migrate(engine)
    return engine


def _engine(url: str) -> Engine:
    """The shared engine for ``url``, its schema created or upgraded once per process.

    Migrating here lets the app open on a brand-new, empty database: the Data page then shows
    an empty state instead of an error.
    """
    return _ENGINES.get(url, lambda: _open(url))


def engine() -> Engine:
    """The engine for the configured database; raise :class:`DataUnavailable` when it cannot be opened."""
    url = settings().database_url
    try:
        return _engine(url)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        shown = sa.make_url(url).render_as_string(hide_password=True)
        raise DataUnavailable(f"The database {shown} could not be opened: {exc}") from exc


_STATUSES: Memo[Status] = Memo("statuses", ttl=STATUS_TTL.total_seconds(), max_entries=16)


def _status(url: str) -> Status:
    """The status of the database at ``url``, read again at most once a minute (see ``STATUS_TTL``); shared, not copied."""
    return _STATUSES.get(url, lambda: read_status(_engine(url)))


def load_status() -> Status:
    """What is loaded: per kind of data, the periods, forces, rows, editions and files (as ``pcc-dashboard status``)."""
    engine()
    try:
        return _status(settings().database_url)
    except sa.exc.SQLAlchemyError as exc:
        raise DataUnavailable(f"The database could not be read: {exc}") from exc


def demo_loaded() -> bool:
    """Whether any demo data is loaded: the question every page's banner asks."""
    return load_status().any_demo


def clear_caches() -> None:
    """Forget every cached read and every chart built from them, so that the next page run reads the database again."""
    st.cache_data.clear()
    for kept in (_STATUSES, _PER_LOAD, _DERIVED):
        kept.clear()


# ---- reads for the trends pages ---------------------------------------------------------------
# Each aggregated table is read whole once (see data_loaders.reads), cached, and filtered in pandas
# by the pages, so a filter change costs no database round trip. Loads from the Data page clear the
# caches; the ttl bounds how long a load from the command line takes to show in a running app.
TABLE_TTL = dt.timedelta(minutes=10)


TABLE_READS = {
    "recorded_crime": reads.recorded_crime,
    "population": reads.population,
    "outcomes": reads.outcomes,
    "prosecutions": reads.prosecutions,
    "published_figures": reads.published_figures,
    "recorded_crime_csp": reads.recorded_crime_csp,
    "population_district": reads.population_district,
}


@st.cache_data(ttl=TABLE_TTL, show_spinner=False)
def _table(url: str, name: str) -> pd.DataFrame:
    return TABLE_READS[name](_engine(url))


def recorded_crime() -> pd.DataFrame:
    """Every recorded-crime row: quarterly Home Office rows have ``month`` 0, local monthly rows 1-12."""
    return _table(settings().database_url, "recorded_crime")


_PER_LOAD: Memo[object] = Memo("per load", ttl=TABLE_TTL.total_seconds(), max_entries=64)


def per_load(compute: Callable[[], object], *key):
    """``compute()``, kept per database, load and ``key`` (plain values): a new load gives a new key.

    For what a page asks on every run and can work out once per load (the period slider's range,
    whether a table has rows, the Data page's tables): shared between sessions, so callers must not
    change it.
    """
    url = settings().database_url
    return _PER_LOAD.get((url, _status(url).latest_load, *key), compute)


def _recorded_span(url: str) -> tuple[dt.date, dt.date] | None:
    recorded = _table(url, "recorded_crime")
    if recorded.empty:
        return None
    return recorded["period_start"].min().date(), recorded["period_start"].max().date()


def recorded_span() -> tuple[dt.date, dt.date] | None:
    """The first and last month any recorded crime is loaded for (the period filter's range); None when none is.

    Kept apart from the table: the frame asks on every run, and two dates are far cheaper to hand
    over than a copy of the table.
    """
    url = settings().database_url
    return per_load(lambda: _recorded_span(url), "recorded span")


def has_rows(name: str) -> bool:
    """Whether the table ``name`` (a key of ``TABLE_READS``) holds any row, asked without copying the table."""
    url = settings().database_url
    return per_load(lambda: not _table(url, name).empty, "has rows", name)


def population() -> pd.DataFrame:
    """Mid-year population by force and year."""
    return _table(settings().database_url, "population")


def published_figures() -> pd.DataFrame:
    """ONS's published yearly figures (count, rate, population) by area and year ending."""
    return _table(settings().database_url, "published_figures")


def recorded_crime_csp() -> pd.DataFrame:
    """The CSP editions' rows as published: force, quarter, partnership and offence code."""
    return _table(settings().database_url, "recorded_crime_csp")


def population_district() -> pd.DataFrame:
    """Each district's mid-year estimate by force and year (partnerships are sums of districts)."""
    return _table(settings().database_url, "population_district")


def outcomes() -> pd.DataFrame:
    """Every outcome row (both Home Office counts); type 0 rows are the not-yet-assigned backlog."""
    return _table(settings().database_url, "outcomes")


def prosecutions() -> pd.DataFrame:
    """The local prosecutions and orders return: one row per area, period and measure."""
    return _table(settings().database_url, "prosecutions")


@st.cache_data(ttl=TABLE_TTL, show_spinner=False)
def _events(url: str) -> pd.DataFrame:
    return events_module.all_events(_engine(url), settings())


def events() -> pd.DataFrame:
    """Series breaks from the settings and the loaded local events, by date."""
    return _events(settings().database_url)


def time_markers() -> list[TimeMarker]:
    """Every event as a chart marker (series breaks dashed, local events dotted)."""
    return [
        TimeMarker(row.date, row.label, "series break" if row.source == "series break" else "local event")
        for row in events().itertuples()
    ]


def data_as_at() -> dt.date | None:
    """The newest edition date (or load date) among the loaded sources: the charts' 'data as at'."""
    status = load_status()
    dates = [s.edition_date or s.loaded_at.date() for s in status.sources]
    return max(dates, default=None)


def inputs(chosen=None):
    """The catalogue's inputs for this run: settings, the filters (default: the sidebar's) and the cached tables."""
    from dashboard.charts import catalogue
    from dashboard.ui import filters

    return catalogue.Inputs(
        settings=settings(),
        filters=chosen or filters.current(),
        recorded=recorded_crime(),
        population=population(),
        published=published_figures(),
        places=recorded_crime_csp(),
        district_population=population_district(),
        outcomes=outcomes(),
        prosecutions=prosecutions(),
        markers=tuple(time_markers()),
        data_as_at=data_as_at(),
        recommendations=recommendations(),
        recommendation_updates=recommendation_updates(),
    )


# ---- derived figures --------------------------------------------------------------------------
# Building a chart or a page's headline figures from the tables costs tens of milliseconds each; a
# page re-runs on every click. So each result is kept per database, load and filter choice: a new
# load changes the status's latest load and with it the key, and the ttl bounds the memory held.


# Shared as they are, never copied or pickled (a Plotly figure is slow to unpickle); pages only read them.
_DERIVED: Memo[object] = Memo("derived", ttl=TABLE_TTL.total_seconds(), max_entries=400)


def derived(compute: Callable, chosen=None, *args):
    """``compute(inputs, *args)`` for ``chosen`` filters (default: the sidebar's), computed once per load and choice.

    The result is shared between sessions: callers must not change it.
    """
    from dashboard.ui import filters

    engine()
    url = settings().database_url
    chosen = chosen or filters.current()
    # The filters' repr names every field; the function by its import path, so a key is all plain values.
    # Today is part of it: overdue recommendations and response deadlines move on at midnight.
    key = (
        url,
        _status(url).latest_load,
        dt.date.today(),
        f"{compute.__module__}.{compute.__qualname__}",
        repr(chosen),
        args,
    )
    return _DERIVED.get(key, lambda: compute(inputs(chosen), *args))


def _build_chart(chart_inputs, key: str):
    from dashboard.charts import catalogue

    return catalogue.build(key, chart_inputs)


def chart(key: str, chosen=None):
    """The catalogue chart ``key`` for ``chosen`` filters (default: the sidebar's); None when its data is not loaded."""
    return derived(_build_chart, chosen, key)


def oversight_chart(key: str):
    """A catalogue chart the filters do not change (recommendations, inspections), as exports and packs draw it."""

    return chart(key, selection.defaults_for(settings()))


# ---- inspection recommendations ---------------------------------------------------------------
# Read whole (a few hundred rows at most) and cached like the tables above; "today" is part of the
# key, so overdue flags and deadlines move on at midnight. Saving an update clears every cache.


@st.cache_data(ttl=TABLE_TTL, show_spinner=False)
def _recommendations(url: str, today: dt.date) -> pd.DataFrame:
    return recommendation_queries.recommendations_frame(_engine(url), settings(), today)


def recommendations() -> pd.DataFrame:
    """Every recommendation with its report, due date, current status, version and whether it is overdue today."""
    return _recommendations(settings().database_url, dt.date.today())


@st.cache_data(ttl=TABLE_TTL, show_spinner=False)
def _recommendation_updates(url: str) -> pd.DataFrame:
    return recommendation_queries.updates_frame(_engine(url))


def recommendation_updates() -> pd.DataFrame:
    """Every recommendation's dated history, oldest first."""
    return _recommendation_updates(settings().database_url)


@st.cache_data(ttl=TABLE_TTL, show_spinner=False)
def _inspection_reports(url: str, today: dt.date) -> pd.DataFrame:
    return recommendation_queries.reports_frame(_engine(url), settings(), today)


def inspection_reports() -> pd.DataFrame:
    """Every inspection report with its 56-day response deadline as of today and counts of its recommendations."""
    return _inspection_reports(settings().database_url, dt.date.today())


def recommendation_audit(recommendation_id: int) -> pd.DataFrame:
    """The audit log of one recommendation and of its history entries, newest first.

    Not cached: editors read it to see exactly what was saved, including a save made a moment ago.
    """
    current = engine()
    updates = recommendation_queries.updates_frame(current, recommendation_id)
    parts = [recommendation_queries.audit_frame(current, database.recommendations.name, recommendation_id)]
    parts += [
        recommendation_queries.audit_frame(current, database.recommendation_updates.name, int(update_id))
        for update_id in updates["id"]
    ]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return recommendation_queries.audit_frame(current, database.recommendations.name, recommendation_id)
    return pd.concat(parts, ignore_index=True).sort_values("id", ascending=False, ignore_index=True)
