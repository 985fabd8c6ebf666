"""The one place that knows the database URL, the engine, the migrations and the change stamp.

The schema (:mod:`data_loaders.schema`) is created or upgraded by the Alembic migrations in
``data_loaders/migrations``; :func:`migrate` runs them. The same schema serves SQLite (the default,
a file under ``data/``) and PostgreSQL (a shared deployment). Every write goes through :func:`writing`,
which raises the change stamp the app's caches are keyed on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from data_loaders.schema import CHANGE_STAMP_ROW, change_stamp
from data_loaders.settings import Settings, get_settings

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str) -> Engine:
    """A new engine for ``url``; SQLite files get their folder created and foreign keys enforced."""
    engine_url = sa.make_url(url)
    if engine_url.get_backend_name() == "sqlite":
        if engine_url.database and engine_url.database != ":memory:":
            Path(engine_url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(engine_url)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return sa.create_engine(engine_url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One shared engine per URL for the life of the process."""
    return make_engine(url)


def get_engine(settings: Settings | None = None) -> Engine:
    """The shared engine for the configured database."""
    return engine_for((settings or get_settings()).database_url)


def alembic_config(engine: Engine):
    """An Alembic configuration that runs the package's migrations on ``engine``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


def schema_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def bump_change_stamp(connection: Connection) -> None:
    """Raise the change stamp by one, inside the caller's transaction (it commits or rolls back with the write)."""
    table = change_stamp
    connection.execute(
        table.update()
        .where(table.c.id == CHANGE_STAMP_ROW)
        .values(version=table.c.version + 1, changed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    )


# Set on a connection by the first insert, update or delete that touched a row since ``writing`` began.
_WROTE = "pcc_wrote_rows"


@sa.event.listens_for(Engine, "after_cursor_execute")
def _note_rows_written(connection, _cursor, _statement, _parameters, context, _executemany) -> None:
    # rowcount is -1 where the driver cannot tell (some batched inserts): counted as written.
    changing = context is not None and (context.isinsert or context.isupdate or context.isdelete)
    if changing and context.rowcount != 0:
        connection.info[_WROTE] = True


@contextlib.contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction for a write to the data: when it changed any row, the change stamp is raised at its end.

    Every load, save and clearing goes through here: a process that has read the stamp before the
    commit reads a higher one after it and reads the tables again, while a transaction that changed
    nothing (the same file loaded twice) leaves the stamp, and every cache, as they were. The stamp is
    raised last, so the row lock it takes on PostgreSQL is held only until the commit.
    """
    with engine.begin() as connection:
        connection.info.pop(_WROTE, None)
        yield connection
        if connection.info.pop(_WROTE, False):
            bump_change_stamp(connection)


STAMP_QUERY = sa.select(change_stamp.c.version).where(change_stamp.c.id == CHANGE_STAMP_ROW)


def read_change_stamp(connection: Connection) -> int:
    """The database's change stamp: a number raised by every committed write (0 before the first)."""
    return int(connection.execute(STAMP_QUERY).scalar_one_or_none() or 0)


@lru_cache(maxsize=8)
def _stamp_engine(url: str) -> Engine:
    """The engine the change stamp is read through: on a server database, autocommit and no ping before each read.

    The app reads the stamp at the start of every page run, so it must cost one round trip: the
    shared engine's ping on checkout and the rollback on return would make it three. SQLite files
    need no round trip and use the shared engine.
    """
    if sa.make_url(url).get_backend_name() == "sqlite":
        return engine_for(url)
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8)


def change_stamp_of(url: str) -> int:
    """The change stamp of the database at ``url`` in one round trip; a connection the server dropped is replaced."""
    engine = _stamp_engine(url)
    try:
        with engine.connect() as connection:
            return read_change_stamp(connection)
    except sa.exc.DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    with engine.connect() as connection:  # the pool has thrown the dead connection away
        return read_change_stamp(connection)
