"""The real app in headless Chromium: the Data page shows what is loaded, loads an upload, lists every problem.

Screenshots at 1366x768 go to ``screenshots/`` at the project root (ignored by git).
"""

from __future__ import annotations

import pytest
from browser import (
    BROKEN_FILE,
    BROKEN_ROWS,
    TINY_FILE,
    TINY_ROWS,
    chromium_page,
    screenshot,
    served_app,
    write_table,
)

from data_loaders import database, ingest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EARLIER_EDITION = "prc-pfa-tiny-190723.csv"
# The July edition's figures, which the October edition (TINY_ROWS) revises.
EARLIER_ROWS = [(*row[:5], str(int(row[5]) - 3)) for row in TINY_ROWS]

MAIN = '[data-testid="stMain"]'
HEADING_LEVELS = f"""() => Array.from(document.querySelectorAll(
    '{MAIN} h1, {MAIN} h2, {MAIN} h3, {MAIN} h4, {MAIN} h5, {MAIN} h6')).map(h => Number(h.tagName[1]))"""
TABLES_WITHOUT_HEADERS = f"""() => Array.from(document.querySelectorAll('{MAIN} table'))
    .filter(t => t.querySelectorAll('thead th').length === 0).length"""


def assert_accessible_structure(page) -> None:
    """Headings start at h1 and never skip a level; every table has column headers."""
    levels = page.evaluate(HEADING_LEVELS)
    assert levels and levels[0] == 1, levels
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False)), levels
    assert page.evaluate(TABLES_WITHOUT_HEADERS) == 0


def test_the_data_page_loads_an_upload_and_refuses_a_broken_one(sqlite_url, settings, tmp_path):
    from playwright.sync_api import expect  # only after chromium_page has skipped where it is missing

    engine = database.make_engine(sqlite_url)
    ingest.load_files([write_table(tmp_path, EARLIER_EDITION, EARLIER_ROWS)], engine, settings)
    engine.dispose()
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    good = write_table(uploads, TINY_FILE, TINY_ROWS)
    broken = write_table(uploads, BROKEN_FILE, BROKEN_ROWS)

    with chromium_page() as page, served_app(sqlite_url, tmp_path) as address:
        page.goto(f"{address}/data")
        expect(page.get_by_role("heading", name="Data", level=1)).to_be_visible()
        expect(page.get_by_role("cell", name=EARLIER_EDITION).first).to_be_visible()
        assert_accessible_structure(page)
        screenshot(page, "data-page")
        screenshot(page, "data-page-full", full_page=True)

        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(good)
        expect(page.get_by_role("button", name=f"Remove {TINY_FILE}")).to_be_visible()
        page.get_by_role("button", name="Load files").click()
        success = page.get_by_test_id("stAlertContentSuccess")
        expect(success).to_contain_text(f"{TINY_FILE}: loaded 4 rows as recorded-crime; edition 19 October 2023")
        expect(success).to_contain_text("replaced 4 force-periods from earlier editions")
        # The tables above now say that the periods come from the newer edition.
        page.get_by_role("tab", name="Where each period came from").click()
        expect(page.get_by_role("cell", name="19 October 2023")).to_be_visible()
        screenshot(page, "data-page-loaded", full_page=True)

        page.reload()
        expect(page.get_by_role("heading", name="Data", level=1)).to_be_visible()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(broken)
        expect(page.get_by_role("button", name=f"Remove {BROKEN_FILE}")).to_be_visible()
        page.get_by_role("button", name="Load files").click()
        expect(page.get_by_test_id("stAlertContentError")).to_contain_text("Refused: 3 problems; nothing was written.")
        for found in ("2022/2x", "5", "many"):
            expect(page.get_by_role("cell", name=found, exact=True)).to_be_visible()
        assert_accessible_structure(page)
        page.get_by_role("cell", name="many", exact=True).scroll_into_view_if_needed()
        screenshot(page, "data-page-refused")
