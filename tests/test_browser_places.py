"""The Places page in the real app, in headless Chromium: the partnerships' chart and table, each tab."""

from __future__ import annotations

import pytest
from browser import chromium_page, screenshot, served_app
from test_browser import assert_accessible_structure

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT = 60_000  # milliseconds: the first run builds every chart of the page

PARTNERSHIPS = [
    "Cornwall and Isles of Scilly", "East Devon", "Exeter", "Mid Devon", "North Devon", "Plymouth", "South Hams",
    "Teignbridge", "Torbay", "Torridge", "West Devon", "Unassigned Devon and Cornwall",
]  # fmt: skip


def expect_chart(page, title_start: str) -> None:
    """A chart whose title (written on the page as text, beside the figure) starts ``title_start`` is drawn."""
    from playwright.sync_api import expect

    expect(page.get_by_text(title_start).first).to_be_visible(timeout=WAIT)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=WAIT)


def test_the_places_page_shows_every_partnership_and_each_tab(dated_demo_url, tmp_path):
    from playwright.sync_api import expect  # only after chromium_page has skipped where it is missing

    with chromium_page() as page, served_app(dated_demo_url, tmp_path) as address:
        page.goto(f"{address}/places")
        expect(page.get_by_role("heading", name="Places", level=1)).to_be_visible(timeout=WAIT)
        expect_chart(page, "Recorded stalking and harassment per 1,000 people by community safety")
        table = page.get_by_role("table", name="Community safety partnerships in Devon and Cornwall")
        expect(table).to_be_visible(timeout=WAIT)
        assert table.locator("tbody tr th, tbody tr td:first-child").all_inner_texts() == PARTNERSHIPS
        # The map, its areas drawn, with the rates it shows in a table beside it (Unassigned has no place on it).
        expect_chart(page, "Map of recorded stalking and harassment per 1,000 people by community safety")
        beside = page.get_by_role("table", name="Map of recorded stalking and harassment per 1,000 people by "
                                  "community safety partnership, Devon and Cornwall: the rates drawn, highest first")  # fmt: skip
        expect(beside).to_be_visible(timeout=WAIT)
        assert sorted(beside.locator("tbody tr td:first-child").all_inner_texts()) == sorted(PARTNERSHIPS[:-1])
        assert page.locator(".js-plotly-plot").first.locator("path.js-fill").count() >= len(PARTNERSHIPS) - 1
        assert page.locator("[data-testid=stException]").count() == 0
        assert_accessible_structure(page)
        screenshot(page, "places")

        page.get_by_role("tab", name="Is it changing?").click()
        page.wait_for_url("**places_section=Is+it+changing**", timeout=WAIT)
        expect_chart(page, "Recorded stalking and harassment in Cornwall and Isles of Scilly")

        page.get_by_role("tab", name="All forces").click()
        page.wait_for_url("**places_section=All+forces**", timeout=WAIT)
        expect_chart(page, "Recorded stalking and harassment per 1,000 people by police")
        expect_chart(page, "Map of recorded stalking and harassment per 1,000 people by police force area")
        forces = page.get_by_role("table", name="Map of recorded stalking and harassment per 1,000 people by police "
                                  "force area: the rates drawn, highest first")  # fmt: skip
        assert forces.locator("tbody tr").count() == 43
        assert page.locator("[data-testid=stException]").count() == 0
        screenshot(page, "places-forces")
