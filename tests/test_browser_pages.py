"""Every page not covered by its own browser test, opened in the real app in headless Chromium.

Each opens with no error, its headings and tables keep their structure, and a screenshot at 1366x768
goes to ``screenshots/`` (ignored by git) beside the others.
"""

from __future__ import annotations

import pytest
from browser import chromium_page, screenshot, served_app
from test_browser import assert_accessible_structure

pytestmark = [pytest.mark.browser, pytest.mark.slow]
WAIT = 60_000  # milliseconds: the first run builds every chart of a page

# address, heading, what the page shows once drawn (a CSS selector and how many at least), screenshot name
PAGES = [
    ("outcomes", "Outcomes", ".js-plotly-plot", 1, "outcomes"),
    ("outcomes?outcomes=Charge+or+summons+rate", "Outcomes", ".js-plotly-plot", 2, "outcomes-charge-rate"),
    ("prosecutions", "Prosecutions and orders", ".js-plotly-plot", 3, "prosecutions"),
    ("prosecutions?orders=Stalking+Protection+Orders", "Prosecutions and orders", ".js-plotly-plot", 2, "orders"),
    ("recommendations", "Recommendations", "[data-testid=stMetric]", 5, "recommendations"),
    ("inspections", "Inspections", "[data-testid=stMain] table", 1, "inspections"),
    ("press", "Press and Panel packs", "[data-testid=stDownloadButton]", 1, "press"),
]


def test_every_other_page_opens_without_an_error_and_keeps_its_structure(dated_demo_url, tmp_path):
    from playwright.sync_api import expect  # only after chromium_page has skipped where it is missing

    with chromium_page() as page, served_app(dated_demo_url, tmp_path) as address:
        for path, heading, shown, at_least, name in PAGES:
            page.goto(f"{address}/{path}")
            expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=WAIT)
            expect(page.locator(shown).nth(at_least - 1)).to_be_visible(timeout=WAIT)
            assert page.locator("[data-testid=stException]").count() == 0, path
            assert_accessible_structure(page)
            screenshot(page, name)

        # A tab is named in the address as it is chosen, so the link reopens it.
        page.goto(f"{address}/outcomes")
        expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=WAIT)
        page.get_by_role("tab", name="Victims who do not support action").click()
        page.wait_for_url("**outcomes=Victims+who+do+not+support+action**", timeout=WAIT)
        expect(page.get_by_text("Victim does not support action").first).to_be_visible(timeout=WAIT)
