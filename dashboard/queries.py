"""The dashboard's only database access: cached reads, and loading uploaded files.

Every cached read takes the database URL as an argument, so two databases (a test's, a
deployment's) never share a cache entry. Data changes only when an analyst loads files: a load
from the Data page clears every cache at once (:func:`clear_caches`), so the ttl only bounds how
long a load made from the command line takes to show in a running app.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from data_loaders import database, ingest
from data_loaders.ingest import LoadResult
from data_loaders.settings import Settings, SettingsError, get_settings
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


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """The shared engine for ``url``, its schema created or upgraded once per process.

    Migrating here lets the app open on a brand-new, empty database: the Data page then shows
    an empty state instead of an error.
    """
    engine = database.engine_for(url)
    database.migrate(engine)
    return engine


def engine() -> Engine:
    """The engine for the configured database; raise :class:`DataUnavailable` when it cannot be opened."""
    url = settings().database_url
    try:
        return _engine(url)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        shown = sa.make_url(url).render_as_string(hide_password=True)
        raise DataUnavailable(f"The database {shown} could not be opened: {exc}") from exc


@st.cache_data(ttl=STATUS_TTL, show_spinner=False)
def _status(url: str) -> Status:
    """The status of the database at ``url``, read again at most once a minute (see ``STATUS_TTL``)."""
    return read_status(_engine(url))


def load_status() -> Status:
    """What is loaded: per kind of data, the periods, forces, rows, editions and files (as ``pcc-dashboard status``)."""
    engine()
    try:
        return _status(settings().database_url)
    except sa.exc.SQLAlchemyError as exc:
        raise DataUnavailable(f"The database could not be read: {exc}") from exc


def clear_caches() -> None:
    """Forget every cached read, so that the next page run reads the database again."""
    st.cache_data.clear()


def load_uploaded(files: Sequence[Upload], progress: Progress | None = None) -> list[LoadResult]:
    """Load uploaded files all or nothing, as ``pcc-dashboard load`` does; raise ``LoadRefused`` listing every problem.

    Each upload is written under its original file name, because the edition date is read from
    the end of the name as the Home Office publishes it (``...-191023.ods``).
    """
    names = [Path(upload.name).name.strip(". ") or "upload" for upload in files]
    with tempfile.TemporaryDirectory(prefix="pcc-upload-") as folder:
        paths = []
        for index, (upload, name) in enumerate(zip(files, names, strict=True)):
            # One subfolder per upload: two files may carry the same name.
            path = Path(folder) / str(index) / name
            path.parent.mkdir()
            path.write_bytes(upload.getvalue())
            paths.append(path)
        results = ingest.load_files(paths, engine(), settings(), display_names=names, progress=progress)
    clear_caches()
    return results
