"""The Recommendations and Inspections pages in headless Chromium: hostile response HTML runs nothing; an editor saves.

Screenshots at 1366x768 go to ``screenshots/`` at the project root (ignored by git).
"""

from __future__ import annotations

import pytest
from browser import chromium_page, screenshot, served_app
from stored import load_tracker
from test_browser import assert_accessible_structure

from dashboard.ui.sign_in import PASSWORD_SECRET, hash_password

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MAIN = '[data-testid="stMain"]'
PASSWORD = "correct horse battery staple"
# Every way an HTML fragment could run code or restyle the page.
HOSTILE = (
    "<p>We will <strong>audit</strong> recording.</p>"
    "<script>window.__pwned=1</script>"
    '<img src=x onerror="window.__pwned=1">'
    '<a href="javascript:window.__pwned=1">x</a>'
    '<iframe src="javascript:window.__pwned=1"></iframe>'
    "<svg onload=\"window.__pwned=1\"><circle r='9'/></svg>"
    "<style>body{display:none}</style>"
    '<p onclick="window.__pwned=1">Force Lead for Stalking and Harassment</p>'
)
TRACKER = (
    "Report,Reference,Recommendation,Owner,Status,Status Date,Comment,Response\n"
    'The police response to stalking,R1,"Within six months chief constables should audit stalking <b>recording</b>.",'
    'Force Lead,being-progressed,01/11/2024,"<img src=x onerror=""window.__pwned=1""> Audit started",'
    f'"{HOSTILE.replace(chr(34), chr(34) * 2)}"\n'
)


@pytest.fixture
def hostile_db(sqlite_url, settings, tmp_path):
    return load_tracker(sqlite_url, settings, tmp_path / "hostile-tracker.csv", TRACKER)


def test_hostile_response_html_runs_nothing(hostile_db, tmp_path):
    from playwright.sync_api import expect

    dialogs: list[str] = []
    with chromium_page() as page, served_app(hostile_db, tmp_path) as address:
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{address}/recommendations?recommendations=The+recommendations")
        expect(page.get_by_role("heading", name="Recommendations", level=1)).to_be_visible()
        response = page.locator(MAIN).get_by_text("We will audit recording.")
        expect(response).to_be_visible()
        expect(page.locator(MAIN).get_by_text("Force Lead for Stalking and Harassment")).to_be_visible()
        # The response's own block (the app's frame adds one more, its shared style sheet).
        block = page.locator('[data-testid="stHtml"]').filter(has_text="We will audit recording.")
        expect(block).to_have_count(1)
        assert block.locator("script, img, iframe, svg, style, [onclick], [onerror], [onload]").count() == 0
        link = block.get_by_text("x", exact=True)
        assert link.get_attribute("href") is None
        link.click()
        page.locator(MAIN).get_by_text("Audit started").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.__pwned") is None
        assert dialogs == []
        assert page.evaluate("() => getComputedStyle(document.body).display") != "none"
        # The comment's markup is shown as text, not run.
        expect(page.locator(MAIN).get_by_text('<img src=x onerror="window.__pwned=1"> Audit started')).to_be_visible()
        assert_accessible_structure(page)
        block.scroll_into_view_if_needed()
        screenshot(page, "recommendations-hostile-response")


def test_an_editor_records_progress_in_the_browser(hostile_db, tmp_path, monkeypatch):
    from playwright.sync_api import expect

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'{PASSWORD_SECRET} = "{hash_password(PASSWORD)}"\n', encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    with chromium_page() as page, served_app(hostile_db, tmp_path) as address:
        page.goto(f"{address}/recommendations?recommendations=The+recommendations")
        expect(page.get_by_role("heading", name="Recommendations", level=1)).to_be_visible()
        assert page.get_by_role("button", name="Save update").count() == 0
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_role("textbox", name="Your name").fill("Ana Analyst")
        sidebar.get_by_role("textbox", name="Editor password").fill(PASSWORD)
        sidebar.get_by_role("button", name="Sign in as editor").click()
        expect(sidebar.get_by_text("Signed in as editor: Ana Analyst.")).to_be_visible()
        page.get_by_role("textbox", name="Comment").fill("Audit report received by the board")
        page.get_by_role("textbox", name="Evidence link").fill("https://opcc.example.org/audit")
        page.get_by_role("button", name="Save update").click()
        expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Saved.")
        expect(page.locator(f"{MAIN} p", has_text="Audit report received by the board")).to_be_visible()
        expect(page.get_by_role("textbox", name="Comment")).to_have_value("")
        expect(page.locator(MAIN).get_by_text("Recorded by Ana Analyst (editor password)")).to_be_visible()
        page.get_by_text("Audit log of this recommendation (editors only)").click()
        page.get_by_text("Audit log of this recommendation (editors only)").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        screenshot(page, "recommendations-editor-saved")
        screenshot(page, "recommendations-editor-full", full_page=True)
