"""Shared fixtures: databases (SQLite and a real PostgreSQL), the demo built once, settings, the real published data.

A test that needs PostgreSQL or a browser is skipped with a reason on a laptop without them;
CI sets PCC_REQUIRE_POSTGRES=1 and PCC_REQUIRE_BROWSER=1, which turn those skips into failures.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.outputs import images
from dashboard.outputs.inputs import inputs_from_database
from data_loaders import database, schema
from data_loaders.demo import dataset as demo
from data_loaders.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).with_name("data")
SHARED_DATA = ROOT.parent / "shared" / "data"
POSTGRES_ADMIN_URL = os.environ.get("PCC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def skip_or_fail(flag: str, reason: str) -> None:
    """Skip with ``reason``, or fail when the environment variable ``flag`` demands the test run."""
    if os.environ.get(flag) == "1":
        pytest.fail(f"{reason} ({flag}=1 makes this test mandatory)")
    pytest.skip(reason)


@pytest.fixture
def chromium():
    """Skip (or fail under PCC_REQUIRE_BROWSER=1) where no Chromium can draw images."""
    try:
        images.browser_path()
    except images.ExportError as exc:
        skip_or_fail("PCC_REQUIRE_BROWSER", str(exc))


@pytest.fixture
def good_load(sqlite_url, settings, shared_data):
    """A SQLite database holding a good load of real published files, as a (url, engine) pair, for refusal tests."""
    import hostile

    engine = hostile.good_database(sqlite_url, settings, shared_data)
    yield sqlite_url, engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the developer's database, settings or secrets by accident."""
    monkeypatch.delenv("PCC_DATABASE_URL", raising=False)
    monkeypatch.delenv("PCC_SETTINGS_FILE", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def settings():
    return load_settings()


def _postgres_database():
    """Create a uniquely named database on the test server; yield its URL; drop it."""
    admin_url = sa.make_url(POSTGRES_ADMIN_URL)
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text("select 1"))
    except Exception as exc:  # any failure to reach the server means: no PostgreSQL here
        skip_or_fail("PCC_REQUIRE_POSTGRES", f"PostgreSQL not reachable at {admin_url.render_as_string()}: {exc}")
    name = f"pcc_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        database.engine_for.cache_clear()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """An empty database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        database.engine_for.cache_clear()
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path):
    """An empty SQLite database URL, for tests that need not run on both backends."""
    yield f"sqlite:///{tmp_path / 'test.sqlite'}"
    database.engine_for.cache_clear()


@pytest.fixture
def cli_db(db_url, monkeypatch):
    """The command line pointed at an empty database (SQLite and PostgreSQL) through PCC_DATABASE_URL."""
    monkeypatch.setenv("PCC_DATABASE_URL", db_url)
    return db_url


@pytest.fixture
def cli_sqlite(sqlite_url, monkeypatch):
    """The command line pointed at an empty SQLite database through PCC_DATABASE_URL."""
    monkeypatch.setenv("PCC_DATABASE_URL", sqlite_url)
    return sqlite_url


def _migrated(url: str) -> Iterator[sa.Engine]:
    engine = database.make_engine(url)
    database.migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(db_url):
    """An engine on a migrated, empty database (both backends)."""
    yield from _migrated(db_url)


@pytest.fixture
def sqlite_engine(sqlite_url):
    """An engine on the migrated, empty SQLite database at ``sqlite_url`` (which a test may also open the app on)."""
    yield from _migrated(sqlite_url)


# The date the dated demo is built as at: the modules that assert its figures hold them to this day.
DEMO_AS_OF = dt.date(2025, 11, 28)


@dataclass(frozen=True)
class Demo:
    """A demo database built once for the session: its SQLite file, the load results and the files it loaded."""

    path: Path
    results: list
    files: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def copy(self, folder: Path) -> str:
        """The URL of a copy of the database in ``folder``, for a test that writes to it."""
        target = folder / f"copy-of-{self.path.name}"
        shutil.copy(self.path, target)
        return f"sqlite:///{target}"


def _row_counts(url: str) -> dict[str, int]:
    engine = database.make_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in schema.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _shared_demo(tmp_path_factory, name: str, as_of: dt.date | None) -> Iterator[Demo]:
    """Build the demo (as at ``as_of``, or today) for every module that reads it; after the session, check that
    none of them wrote to it: a test that writes must work on :meth:`Demo.copy`."""
    folder = tmp_path_factory.mktemp(name)
    shared = Demo(folder / "demo.sqlite", [], folder / "files")
    with pytest.MonkeyPatch.context() as patch:  # the isolation of _isolated_environment, before any test runs
        patch.delenv("PCC_DATABASE_URL", raising=False)
        patch.delenv("PCC_SETTINGS_FILE", raising=False)
        patch.chdir(folder)
        engine = database.make_engine(shared.url)
        try:
            shared.results.extend(demo.build(engine, load_settings(), folder=shared.files, as_of=as_of))
        finally:
            engine.dispose()
    built = _row_counts(shared.url)
    yield shared
    database.engine_for.cache_clear()
    assert _row_counts(shared.url) == built, f"a test wrote to the shared demo database {shared.path}"


@pytest.fixture(scope="session")
def todays_demo(tmp_path_factory) -> Iterator[Demo]:
    """The demo as ``pcc-dashboard demo`` builds it today, once per session (per xdist worker); only read it."""
    yield from _shared_demo(tmp_path_factory, "demo-today", None)


@pytest.fixture(scope="session")
def dated_demo(tmp_path_factory) -> Iterator[Demo]:
    """The demo built as at DEMO_AS_OF, once per session (per xdist worker); only read it."""
    yield from _shared_demo(tmp_path_factory, "demo-dated", DEMO_AS_OF)


@pytest.fixture(scope="module")
def demo_charts(todays_demo):
    """The settings and every catalogue chart today's demo can draw, for the home force and its peers, by key."""
    from dashboard.charts import catalogue

    settings = load_settings()
    engine = database.make_engine(todays_demo.url)
    try:
        inputs = inputs_from_database(engine, settings)
        built = {key: catalogue.build(key, inputs) for key in catalogue.load_all()}
    finally:
        engine.dispose()
    return settings, {key: chart for key, chart in built.items() if chart is not None}


@pytest.fixture(scope="session")
def demo_url(todays_demo) -> str:
    """The URL of today's shared demo database (read only)."""
    return todays_demo.url


@pytest.fixture(scope="session")
def dated_demo_url(dated_demo) -> str:
    """The URL of the shared demo database built as at DEMO_AS_OF (read only)."""
    return dated_demo.url


@pytest.fixture(scope="module")
def demo_inputs(dated_demo_url):
    """The catalogue's inputs on the demo built as at DEMO_AS_OF, with the default filters (read only)."""
    from dashboard.outputs.inputs import inputs_from_database
    from data_loaders.settings import load_settings

    engine = database.make_engine(dated_demo_url)
    yield inputs_from_database(engine, load_settings(), today=DEMO_AS_OF)
    engine.dispose()


@pytest.fixture
def shared_data() -> Path:
    """The real published tables beside the project (skipped with a reason where absent)."""
    if not (SHARED_DATA / "home-office-prc-pfa-stalking-harassment-191023.csv").is_file():
        pytest.skip(f"real published data not found at {SHARED_DATA}")
    return SHARED_DATA


def headline_cards(app) -> list[tuple[str, str, str | None]]:
    """Each headline card's title, value and change as a screen reader reads them (arrows are hidden from it)."""
    (grid,) = [element.proto.body for element in app.get("html") if 'class="pcc-cards"' in element.proto.body]
    out = []
    for item in re.findall(r'<li class="pcc-card">(.*?)</li>', grid):
        title = re.search(r"<h3[^>]*>(.*?)</h3>", item).group(1)
        value = re.search(r'pcc-card-value">(.*?)</p>', item).group(1)
        delta = re.search(r'pcc-card-delta[^"]*">(.*?)</p>', item)
        spoken = re.sub(r'<span aria-hidden="true">.*?</span> ?|<[^>]+>', "", delta.group(1)) if delta else None
        out.append((html.unescape(title), html.unescape(value), html.unescape(spoken) if spoken else None))
    return out
