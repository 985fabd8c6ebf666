"""Presentation mode and the Export control in the real app, in headless Chromium.

Screenshots at 1366x768 go to ``screenshots/`` at the project root (ignored by git).
"""

from __future__ import annotations

import re

import pytest
from browser import chromium_page, screenshot, served_app
from files import png_size

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_presentation_mode_moves_with_the_keys_and_buttons_and_the_address_keeps_the_slide(demo_url, tmp_path):
    from playwright.sync_api import expect

    # The first run builds every chart of the deck from cold caches.
    expect.set_options(timeout=60_000)
    with chromium_page() as page, served_app(demo_url, tmp_path) as address:
        # The Panel's scorecard comes first: each measure with its icon, the icon's words beside it.
        page.goto(f"{address}/present?cat=Stalking&slide=1")
        title = page.locator('[data-testid="stMain"] h1')
        expect(title).to_have_text("At a glance: Devon and Cornwall")
        table = page.locator("table.pcc-slide-table").first
        expect(table).to_contain_text("Stalking and harassment")
        expect(table.locator(".pcc-icon").first).to_contain_text(
            re.compile("Usual variation|Unusually|Improving|Concern")
        )
        # The scorecard, the overdue count and the statutory deadline all fit a 1366x768 projector.
        notes = page.locator("p.pcc-slide-note")
        expect(notes.first).to_have_text(re.compile(r"^\d+ of \d+ recommendations (is|are) overdue\.$"))
        expect(notes.nth(1)).to_contain_text("Statutory response to")
        assert notes.last.bounding_box()["y"] + notes.last.bounding_box()["height"] <= 768
        screenshot(page, "presentation-slide-1")
        page.goto(f"{address}/present?cat=Stalking&slide=3")
        expect(title).to_have_text("Recorded stalking in Devon and Cornwall, quarterly")
        expect(page.get_by_text(re.compile(r"^Slide 3 of \d+$"))).to_be_visible()
        expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
        expect(page.locator(".js-plotly-plot").first).to_be_visible()
        screenshot(page, "presentation-slide-3")

        page.keyboard.press("ArrowRight")
        expect(page).to_have_url(re.compile(r"slide=4"))
        expect(title).not_to_have_text("Recorded stalking in Devon and Cornwall, quarterly")
        second = title.inner_text()
        assert "cat=Stalking" in page.url
        screenshot(page, "presentation-slide-4")

        # While a slide changes Streamlit keeps the old buttons on screen beside the new ones for a moment.
        button = page.get_by_role("button", name="Next")
        expect(button).to_have_count(1)
        button.click()
        expect(page).to_have_url(re.compile(r"slide=5"))
        expect(title).not_to_have_text(second)
        button = page.get_by_role("button", name="Previous")
        expect(button).to_have_count(1)
        button.click()
        expect(page).to_have_url(re.compile(r"slide=4"))
        expect(title).to_have_text(second)
        page.keyboard.press("ArrowLeft")
        expect(page).to_have_url(re.compile(r"slide=3"))
        expect(title).to_have_text("Recorded stalking in Devon and Cornwall, quarterly")

        # A copied link opens the same slide.
        page.goto(f"{address}/present?cat=Stalking&slide=4")
        expect(title).to_have_text(second)


def test_a_chart_is_exported_from_its_export_control(demo_url, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)
    with chromium_page() as page, served_app(demo_url, tmp_path) as address:
        page.goto(f"{address}/recorded-crime")
        expect(page.get_by_role("heading", name="Recorded crime", level=1)).to_be_visible()
        export = page.get_by_role("button", name="Export").first
        export.scroll_into_view_if_needed()
        export.click()
        expect(page.get_by_role("button", name="Download PNG").first).to_be_visible()
        screenshot(page, "export-control")
        with page.expect_download(timeout=90_000) as download:
            page.get_by_role("button", name="Download PNG").first.click()
        assert download.value.suggested_filename == "recorded-spc.png"
        content = download.value.path().read_bytes()
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
        assert png_size(content) == (2400, 1350)  # the press preset at twice its pixels
