"""Two ``streamlit run`` processes on one PostgreSQL database, as the shared deployment runs them, each driven in
headless Chromium: a save through one shows at the next click in the other, and two editors saving the same
recommendation from both are refused ("someone else saved") or kept, never lost.

Screenshots at 1366x768 go to ``screenshots/`` at the project root (ignored by git).
"""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa
from browser import VIEWPORT, chromium_browser, screenshot, served_app
from conftest import _postgres_database
from stored import load_tracker

from dashboard.ui.sign_in import PASSWORD_SECRET, hash_password
from data_loaders import database, schema

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.postgres]
PASSWORD = "correct horse battery staple"
WAIT = 60_000  # milliseconds: a first page run on a busy machine takes a while
MAIN = '[data-testid="stMain"]'
PAGE = "recommendations?recommendations=The+recommendations"
TRACKER = (
    "Report,Reference,Recommendation,Owner,Status,Status Date,Comment\n"
    'The police response to stalking,R1,"Within six months chief constables should audit stalking recording.",'
    "Force Lead,being-progressed,01/11/2024,Audit started\n"
)


@pytest.fixture
def shared_postgres(settings, tmp_path):
    """A PostgreSQL database holding one recommendation, for two app processes."""
    for url in _postgres_database():
        yield load_tracker(url, settings, tmp_path / "tracker.csv", TRACKER)


@contextlib.contextmanager
def two_browsers():
    """Two pages in two separate headless Chromium contexts (two people), 1366x768."""
    with chromium_browser() as browser:
        pages = [browser.new_context(viewport=VIEWPORT).new_page() for _ in range(2)]
        for page in pages:
            page.set_default_timeout(WAIT)
        yield pages


def sign_in(page, name: str) -> None:
    from playwright.sync_api import expect

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name="Your name").fill(name)
    sidebar.get_by_role("textbox", name="Editor password").fill(PASSWORD)
    sidebar.get_by_role("button", name="Sign in as editor").click()
    expect(sidebar.get_by_text(f"Signed in as editor: {name}.")).to_be_visible(timeout=WAIT)


def click_save(page) -> None:
    """Press "Save update" once the page shows one: while a run redraws the form Streamlit briefly shows the old
    button beside the new one, which makes the click ambiguous."""
    from playwright.sync_api import expect

    button = page.get_by_role("button", name="Save update")
    expect(button).to_have_count(1, timeout=WAIT)
    button.click()


def save(page, comment: str) -> None:
    page.get_by_role("textbox", name="Comment").fill(comment)
    click_save(page)


def version(url: str) -> int:
    engine = database.make_engine(url)
    with engine.connect() as connection:
        found = connection.execute(sa.select(schema.recommendations.c.version)).scalar_one()
    engine.dispose()
    return found


def comments(url: str) -> list[str]:
    engine = database.make_engine(url)
    updates = schema.recommendation_updates
    with engine.connect() as connection:
        found = connection.execute(sa.select(updates.c.comment).order_by(updates.c.id)).scalars().all()
    engine.dispose()
    return found


def test_two_app_processes_agree_after_a_save_and_never_lose_one(shared_postgres, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'{PASSWORD_SECRET} = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    opened = version(shared_postgres)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        two_browsers() as (ana, ben),
        served_app(shared_postgres, tmp_path / "a") as process_a,
        served_app(shared_postgres, tmp_path / "b") as process_b,
    ):
        assert process_a != process_b
        for page, address, name in ((ana, process_a, "Ana Analyst"), (ben, process_b, "Ben Other")):
            page.goto(f"{address}/{PAGE}")
            expect(page.get_by_role("heading", name="Recommendations", level=1)).to_be_visible(timeout=WAIT)
            expect(page.locator(MAIN).get_by_text("Audit started")).to_be_visible(
                timeout=WAIT
            )  # each process has read it
            sign_in(page, name)
            expect(page.locator(MAIN).get_by_text(f"Adding to version {opened},")).to_be_visible(timeout=WAIT)
        # Ana saves through process A.
        save(ana, "Board approved the audit plan")
        expect(ana.get_by_test_id("stAlertContentSuccess")).to_contain_text("Saved. The status is now", timeout=WAIT)
        # Ben's form, in process B, was opened on the same version: his save is refused, nothing is lost, and
        # that very click shows Ana's update from the other process.
        save(ben, "Audit fieldwork begun")
        expect(ben.get_by_test_id("stAlertContentError")).to_contain_text(
            "Not saved: someone else saved a change to this recommendation first: Ana Analyst (editor password)"
        )
        expect(ben.locator(MAIN).get_by_text("Board approved the audit plan")).to_be_visible(timeout=WAIT)
        expect(ben.get_by_role("textbox", name="Comment")).to_have_value("Audit fieldwork begun", timeout=WAIT)
        screenshot(ben, "two-processes-refused-in-b")
        assert comments(shared_postgres) == ["Audit started", "Board approved the audit plan"]
        # Ben reloads the recommendation and saves again: both updates are kept.
        ben.get_by_role("button", name="Reload the recommendation").click()
        expect(ben.locator(MAIN).get_by_text(f"Adding to version {opened + 1},")).to_be_visible(timeout=WAIT)
        click_save(ben)
        expect(ben.get_by_test_id("stAlertContentSuccess")).to_contain_text("Saved. The status is now", timeout=WAIT)
        assert comments(shared_postgres) == ["Audit started", "Board approved the audit plan", "Audit fieldwork begun"]
        # Ana's next clicks in process A (to the other tab and back) show Ben's update, saved through process B.
        ana.get_by_role("tab", name="Where things stand").click()
        expect(ana.get_by_role("heading", name="Progress over time")).to_be_visible(timeout=WAIT)
        ana.get_by_role("tab", name="The recommendations").click()
        expect(ana.locator(MAIN).get_by_text("Audit fieldwork begun")).to_be_visible(timeout=WAIT)
        expect(ana.locator(MAIN).get_by_text("Recorded by Ben Other (editor password)")).to_be_visible(timeout=WAIT)
        expect(ana.locator(MAIN).get_by_text("This recommendation has changed since you opened it")).to_be_visible(
            timeout=WAIT
        )
        screenshot(ana, "two-processes-seen-in-a")
