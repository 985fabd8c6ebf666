"""The dashboard's only database access: cached reads, and loading uploaded files.

Every cached read is keyed by the database URL, so two databases (a test's, a deployment's) never
share a cache entry, and by the database's change stamp (``data_loaders.schema.change_stamp``),
which every load, save and clearing raises in its own transaction. The app's frame reads the stamp
once at the start of each page run (:func:`refresh`), so a file loaded from the command line or an
update saved through another app process on the same database shows at the next click in every
process, and nothing is read again while nothing has changed.
"""

from __future__ import annotations

import contextvars
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
from data_loaders import database, reads, schema
from data_loaders.recommendations import queries as recommendation_queries
from data_loaders.settings import Settings, SettingsError, get_settings
from data_loaders.sources import events as events_module
from data_loaders.status import Status, read_status

Progress = Callable[[float, str], None]


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


# The (URL, change stamp) this page run read at its start; each Streamlit session runs its script in
# its own thread, so a run never sees another session's stamp.
_RUN_STAMP: contextvars.ContextVar[tuple[str, int] | None] = contextvars.ContextVar("pcc_run_stamp", default=None)


def _read_stamp(url: str) -> int:
    _engine(url)  # the schema is migrated once per process before the first read
    return database.change_stamp_of(url)


def refresh() -> None:
    """Read the database's change stamp for this page run (the frame calls it first): one one-row read a run.

    Every cached read below is keyed on it, so a write committed by any process since the last run
    shows in this one. Raise :class:`DataUnavailable` when the database cannot be read.
    """
    url = settings().database_url
    engine()
    try:
        _RUN_STAMP.set((url, _read_stamp(url)))
    except sa.exc.SQLAlchemyError as exc:
        raise DataUnavailable(f"The database could not be read: {exc}") from exc


def _stamp(url: str) -> int:
    """The change stamp this run read for ``url``; read now when the run has none (a caller outside the app's frame)."""
    held = _RUN_STAMP.get()
    if held is not None and held[0] == url:
        return held[1]
    return _read_stamp(url)


_STATUSES: Memo[Status] = Memo("statuses", ttl=None, max_entries=16)


def _status(url: str) -> Status:
    """The status of the database at ``url``, read once per change stamp; shared, not copied."""
    return _STATUSES.get((url, _stamp(url)), lambda: read_status(_engine(url)))


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
    """After this process wrote: forget every cached read and chart, and read the new change stamp for the rest of the run.

    The new stamp alone would make every later read fresh; clearing also lets go of what the old
    stamp kept, at once rather than as the caches fill.
    """
    st.cache_data.clear()
    for kept in (_STATUSES, _PER_LOAD, _DERIVED):
        kept.clear()
    if _RUN_STAMP.get() is not None:
        _RUN_STAMP.set(None)
        refresh()


# ---- reads for the trends pages ---------------------------------------------------------------
# Each aggregated table is read whole once per change stamp (see data_loaders.reads), cached, and
# filtered in pandas by the pages, so a filter change costs no database round trip. A write anywhere
# raises the stamp, and the next run reads the table again; the entries kept for older stamps are
# the first to go when a cache is full.


# Each whole table the charts read, by its name among the catalogue's inputs (``catalogue.Inputs``).
TABLE_READS = {
    "recorded": reads.recorded_crime,
    "population": reads.population,
    "published": reads.published_figures,
    "places": reads.recorded_crime_csp,
    "district_population": reads.population_district,
    "outcomes": reads.outcomes,
    "prosecutions": reads.prosecutions,
}


@st.cache_data(max_entries=3 * len(TABLE_READS), show_spinner=False)
def _cached_table(url: str, stamp: int, name: str) -> pd.DataFrame:
    return TABLE_READS[name](_engine(url))


def _table(url: str, name: str) -> pd.DataFrame:
    return _cached_table(url, _stamp(url), name)


_PER_LOAD: Memo[object] = Memo("per load", ttl=None, max_entries=64)


def per_load(compute: Callable[[], object], *key):
    """``compute()``, kept per database, change stamp and ``key`` (plain values): a write anywhere gives a new key.

    For what a page asks on every run and can work out once per load (the period slider's range,
    whether a table has rows, the Data page's tables): shared between sessions, so callers must not
    change it.
    """
    url = settings().database_url
    return _PER_LOAD.get((url, _stamp(url), *key), compute)


def _recorded_span(url: str) -> tuple[dt.date, dt.date] | None:
    recorded = _table(url, "recorded")
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


@st.cache_data(max_entries=4, show_spinner=False)
def _events(url: str, stamp: int) -> pd.DataFrame:
    return events_module.all_events(_engine(url), settings())


def events() -> pd.DataFrame:
    """Series breaks from the settings and the loaded local events, by date."""
    url = settings().database_url
    return _events(url, _stamp(url))


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

    url = settings().database_url
    return catalogue.Inputs(
        settings=settings(),
        filters=chosen or filters.current(),
        **{name: _table(url, name) for name in TABLE_READS},
        markers=tuple(time_markers()),
        data_as_at=data_as_at(),
        recommendations=oversight_table("recommendations"),
        recommendation_updates=oversight_table("recommendation_updates"),
        illustrative=demo_loaded(),
    )


# ---- derived figures --------------------------------------------------------------------------
# Building a chart or a page's headline figures from the tables costs tens of milliseconds each; a
# page re-runs on every click. So each result is kept per database, change stamp and filter choice:
# a write anywhere raises the stamp and with it the key, and the size bounds the memory held.


# Shared as they are, never copied or pickled (a Plotly figure is slow to unpickle); pages only read them.
_DERIVED: Memo[object] = Memo("derived", ttl=None, max_entries=400)


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
        _stamp(url),
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
# key, so overdue flags and deadlines move on at midnight; the change stamp, so a save made in any
# process shows at the next run everywhere.


# Each inspection table, by name, from the engine and today's date.
OVERSIGHT_READS: dict[str, Callable[[Engine, dt.date], pd.DataFrame]] = {
    # every recommendation with its report, due date, current status, version and whether it is overdue today
    "recommendations": lambda engine, today: recommendation_queries.recommendations_frame(engine, settings(), today),
    # every recommendation's dated history, oldest first
    "recommendation_updates": lambda engine, today: recommendation_queries.updates_frame(engine),
    # every inspection report with its 56-day response deadline as of today and counts of its recommendations
    "inspection_reports": lambda engine, today: recommendation_queries.reports_frame(engine, settings(), today),
}


@st.cache_data(max_entries=4 * len(OVERSIGHT_READS), show_spinner=False)
def _cached_oversight(url: str, stamp: int, today: dt.date, name: str) -> pd.DataFrame:
    return OVERSIGHT_READS[name](_engine(url), today)


def oversight_table(name: str) -> pd.DataFrame:
    """The inspection table ``name`` (a key of ``OVERSIGHT_READS``) as of today."""
    url = settings().database_url
    return _cached_oversight(url, _stamp(url), dt.date.today(), name)


def recommendation_audit(recommendation_id: int) -> pd.DataFrame:
    """The audit log of one recommendation and of its history entries, newest first.

    Not cached: editors read it to see exactly what was saved, including a save made a moment ago.
    """
    current = engine()
    updates = recommendation_queries.updates_frame(current, recommendation_id)
    parts = [recommendation_queries.audit_frame(current, schema.recommendations.name, recommendation_id)]
    parts += [
        recommendation_queries.audit_frame(current, schema.recommendation_updates.name, int(update_id))
        for update_id in updates["id"]
    ]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return recommendation_queries.audit_frame(current, schema.recommendations.name, recommendation_id)
    return pd.concat(parts, ignore_index=True).sort_values("id", ascending=False, ignore_index=True)
