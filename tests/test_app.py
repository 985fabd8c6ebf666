"""Every page opens without an exception, on an empty database and on a loaded one; demo data is always flagged."""

from pathlib import Path

import pytest
from browser import TINY_FILE, TINY_ROWS, write_table
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from dashboard.ui.components import DEMO_BANNER
from data_loaders import database, ingest

APP = ROOT / "dashboard" / "app.py"
# Every page file must be in the navigation: switch_page refuses a file that is not.
PAGE_FILES = sorted(path.relative_to(APP.parent).as_posix() for path in (APP.parent / "app_pages").glob("*.py"))


def load_tiny_table(url: str, settings, folder: Path, *, is_demo: bool) -> None:
    engine = database.make_engine(url)
    ingest.load_files([write_table(folder, TINY_FILE, TINY_ROWS)], engine, settings, is_demo=is_demo)
    engine.dispose()


def open_app(monkeypatch, url: str) -> AppTest:
    monkeypatch.setenv("PCC_DATABASE_URL", url)
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_pages_folder_holds_pages():
    assert PAGE_FILES, "no page files found"


@pytest.mark.parametrize("contents", ["empty", "loaded"])
@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_opens(page, contents, monkeypatch, sqlite_url, settings, tmp_path):
    if contents == "loaded":
        load_tiny_table(sqlite_url, settings, tmp_path, is_demo=False)
    app = open_app(monkeypatch, sqlite_url)
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.title, f"{page} has no title"


def test_the_app_opens_on_a_database_that_does_not_exist_yet(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'dashboard.sqlite'}"
    app = open_app(monkeypatch, url)
    assert database.schema_revision(database.make_engine(url)) is not None
    app.switch_page("app_pages/data.py").run()
    assert [block.value for block in app.info] and "Nothing is loaded yet" in app.info[0].value
    database.engine_for.cache_clear()


def test_demo_data_is_flagged_on_every_page(monkeypatch, sqlite_url, settings, tmp_path):
    load_tiny_table(sqlite_url, settings, tmp_path, is_demo=True)
    app = open_app(monkeypatch, sqlite_url)
    for page in PAGE_FILES:
        app.switch_page(page).run()
        banners = [w for w in app.warning if w.value == DEMO_BANNER]
        assert len(banners) == 1, page
        assert banners[0].icon == ":material/warning:"


def test_real_data_carries_no_demo_banner(monkeypatch, sqlite_url, settings, tmp_path):
    load_tiny_table(sqlite_url, settings, tmp_path, is_demo=False)
    app = open_app(monkeypatch, sqlite_url)
    assert all(w.value != DEMO_BANNER for w in app.warning)


def test_an_unreadable_database_is_explained_not_raised(monkeypatch, tmp_path):
    (tmp_path / "a-folder").mkdir()
    app = open_app(monkeypatch, f"sqlite:///{tmp_path / 'a-folder'}")
    assert "could not be opened" in app.error[0].value
    assert not app.title
