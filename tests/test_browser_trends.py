"""The real app in headless Chromium: the Overview follows the filters, and a copied link reopens the same view.

Screenshots of the Overview and Recorded crime pages at 1366x768 go to ``screenshots/`` (ignored by git).
"""

from __future__ import annotations

import pytest
from browser import chromium_page, screenshot, served_app
from test_browser import assert_accessible_structure

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FIRST_CHART = "() => Array.from(document.querySelectorAll('.js-plotly-plot')[0]._fullData[0].y)"
WAIT = 60_000  # milliseconds: the first run builds every chart of a page
# The first chart drawn is the one titled so: the page writes the title as text before Plotly draws the figure,
# which keeps the title in its meta.
FIRST_CHART_IS = """title => {
    const plot = document.querySelectorAll('.js-plotly-plot')[0];
    return Boolean(plot && plot._fullData && plot.layout.meta && plot.layout.meta.title === title);
}"""


def choose_force(page, force: str) -> None:
    """Pick ``force`` in the sidebar's Force box as a user would: open it, type, press Enter."""
    page.get_by_role("combobox", name="Force", exact=True).click()
    page.keyboard.type(force)
    page.keyboard.press("Enter")


def test_the_overview_follows_the_force_and_a_copied_link_reopens_it(dated_demo_url, tmp_path):
    from playwright.sync_api import expect  # only after chromium_page has skipped where it is missing

    with chromium_page() as page, served_app(dated_demo_url, tmp_path) as address:
        page.goto(address)
        expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible(timeout=WAIT)
        expect(
            page.get_by_text("Recorded stalking and harassment in Devon and Cornwall, monthly", exact=True).first
        ).to_be_visible(timeout=WAIT)
        expect(page.get_by_text("Recorded stalking and harassment rose 4% to 14,987")).to_be_visible(timeout=WAIT)
        assert_accessible_structure(page)
        page.wait_for_function(FIRST_CHART_IS, arg="Recorded stalking and harassment in Devon and Cornwall, monthly")
        home = page.evaluate(FIRST_CHART)
        screenshot(page, "overview")
        screenshot(page, "overview-full", full_page=True)

        choose_force(page, "Dorset")
        expect(
            page.get_by_text("Recorded stalking and harassment in Dorset, quarterly", exact=True).first
        ).to_be_visible(timeout=WAIT)
        page.wait_for_url("**force=Dorset**")
        page.wait_for_function(FIRST_CHART_IS, arg="Recorded stalking and harassment in Dorset, quarterly")
        dorset = page.evaluate(FIRST_CHART)
        assert dorset != home
        copied = page.url

        fresh = page.context.browser.new_page(viewport=page.viewport_size)
        fresh.goto(copied)
        expect(
            fresh.get_by_text("Recorded stalking and harassment in Dorset, quarterly", exact=True).first
        ).to_be_visible(timeout=WAIT)
        expect(fresh.get_by_role("combobox", name="Force", exact=True)).to_have_value("Dorset", timeout=WAIT)
        fresh.wait_for_function(FIRST_CHART_IS, arg="Recorded stalking and harassment in Dorset, quarterly")
        assert fresh.evaluate(FIRST_CHART) == dorset
        fresh.close()

        page.get_by_role("link", name="Recorded crime", exact=True).click()
        expect(page.get_by_role("heading", name="Recorded crime", level=1)).to_be_visible(timeout=WAIT)
        expect(
            page.get_by_text("Recorded stalking and harassment in Dorset, quarterly", exact=True).first
        ).to_be_visible(timeout=WAIT)
        assert "force=Dorset" in page.url
        choose_force(page, "Devon and Cornwall")
        expect(
            page.get_by_text("Recorded stalking and harassment in Devon and Cornwall, quarterly", exact=True).first
        ).to_be_visible(timeout=WAIT)
        expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=WAIT)  # the open section's chart only
        assert_accessible_structure(page)
        screenshot(page, "recorded-crime")
        screenshot(page, "recorded-crime-full", full_page=True)

        page.get_by_role("tab", name="Compared with other forces", exact=True).click()
        expect(
            page.get_by_text("Recorded stalking and harassment per 1,000 people: Devon and Cornwall").first
        ).to_be_visible(timeout=WAIT)
        expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=WAIT)
        page.wait_for_url("**section=Compared+with+other+forces**")
        screenshot(page, "recorded-crime-compared", full_page=True)
        page.get_by_role("tab", name="By offence code", exact=True).click()
        expect(page.get_by_role("table")).to_be_visible(timeout=WAIT)
        screenshot(page, "recorded-crime-by-code", full_page=True)
        page.get_by_role("tab", name="Trend", exact=True).click()

        page.get_by_role("tab", name="Stalking", exact=True).click()
        expect(page.get_by_text("Recorded stalking in Devon and Cornwall, quarterly", exact=True).first).to_be_visible(
            timeout=WAIT
        )
        page.wait_for_url("**spc=Stalking**")
        reopened = page.context.browser.new_page(viewport=page.viewport_size)
        reopened.goto(page.url)
        expect(
            reopened.get_by_text("Recorded stalking in Devon and Cornwall, quarterly", exact=True).first
        ).to_be_visible(timeout=WAIT)
        reopened.close()
