"""Helpers for the app tests: tiny published tables to load, and the real app served to headless Chromium.

Playwright is imported only inside :func:`chromium_page`, so the AppTest tests that use the tiny
tables run where it is not installed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT, skip_or_fail
from files import RECORDED_CRIME_HEADER
from served import served

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}

HOME_OFFICE_HEADER = ",".join(RECORDED_CRIME_HEADER)
# The name ends with the release date, as the Home Office publishes it: edition of 19 October 2023.
TINY_FILE = "prc-pfa-tiny-191023.csv"
TINY_ROWS = [
    ("2022/23", "1", "Devon and Cornwall", "Stalking", "8Q", "370"),
    ("2022/23", "2", "Devon and Cornwall", "Stalking", "8Q", "381"),
    ("2022/23", "1", "Dorset", "Stalking", "8Q", "120"),
    ("2022/23", "2", "Dorset", "Stalking", "8Q", "125"),
]
BROKEN_FILE = "prc-pfa-broken-180124.csv"
# Three bad cells, one per row: a year that is no year, a fifth quarter, a count in words.
BROKEN_ROWS = [
    ("2022/2x", "3", "Devon and Cornwall", "Stalking", "8Q", "390"),
    ("2022/23", "5", "Devon and Cornwall", "Stalking", "8Q", "401"),
    ("2022/23", "3", "Dorset", "Stalking", "8Q", "many"),
]


def home_office_csv(rows: list[tuple[str, str, str, str, str, str]]) -> bytes:
    """A Home Office recorded crime table as CSV bytes: year, quarter, force, description, code, count per row."""
    lines = [HOME_OFFICE_HEADER]
    for year, quarter, force, description, code, count in rows:
        lines.append(
            f"{year},{quarter},{force},{description},Violence against the person,Stalking and harassment,{code},{count}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_table(folder: Path, name: str, rows: list[tuple[str, str, str, str, str, str]]) -> Path:
    """Write a tiny Home Office table named ``name`` into ``folder``; return its path."""
    path = folder / name
    path.write_bytes(home_office_csv(rows))
    return path


def served_app(database_url: str, log_folder: Path) -> contextlib.AbstractContextManager[str]:
    """Serve ``dashboard/app.py`` with ``streamlit run`` on a free port over ``database_url``; yield its address.

    The app reads the project's own settings, never a settings file named in the environment."""
    environment = {name: value for name, value in os.environ.items() if name != "PCC_SETTINGS_FILE"}
    return served(ROOT / "dashboard" / "app.py", database_url, log_folder / "streamlit.log", environment=environment)


@contextlib.contextmanager
def chromium_browser() -> Iterator[object]:
    """Headless Debian Chromium; skipped (or failed under PCC_REQUIRE_BROWSER=1) without it."""
    if not CHROMIUM.is_file():
        skip_or_fail("PCC_REQUIRE_BROWSER", f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("PCC_REQUIRE_BROWSER", "the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def chromium_page() -> Iterator[object]:
    """A page in headless Debian Chromium at 1366x768; skipped (or failed under PCC_REQUIRE_BROWSER=1) without it."""
    with chromium_browser() as browser:
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(30_000)
        yield page


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    """Save ``screenshots/<name>.png`` at the project root: the 1366x768 view, or the whole page; return its path.

    Streamlit scrolls inside its main element, not the document, so a whole-page shot makes the
    window as tall as that element's content for a moment.
    """
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if not full_page:
        page.screenshot(path=str(path))
        return path
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], int(height))})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.set_viewport_size(VIEWPORT)
    return path
