"""WCAG 2.2 AA in the real app: axe-core on every page, tab and slide of the demo, in one headless Chromium.

The pages are the app's own navigation links, the tabs every tab each page shows (and the tabs those open), the
slides every slide of presentation mode; the test fails on any serious or critical violation in the project's own
content (``tests/accessibility.py`` lists the framework's own, with the Streamlit issue each belongs to). The counts
per page state go to ``screenshots/axe.json`` (ignored by git).
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import unquote_plus, urlsplit

import accessibility
import pytest
from browser import SCREENSHOTS, chromium_page, served_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MAIN = '[data-testid="stMain"]'
TABS = f"{MAIN} [role=tab]"


def state_name(url: str) -> str:
    """The page state as its address names it: path and query, decoded."""
    parts = urlsplit(url)
    return unquote_plus(parts.path + (f"?{parts.query}" if parts.query else ""))


def check_every_tab(page, findings: list, states: list) -> None:
    """axe on the page as opened, then on each tab it shows and on the tabs a tab opens (those first, while their
    tab is open); each state checked is named in ``states``."""
    states.append(state_name(page.url))
    findings += accessibility.check(page, states[-1])
    seen = set(page.locator(f"{TABS}[aria-selected=true]").all_inner_texts())
    while True:
        waiting = [name for name in page.locator(TABS).all_inner_texts() if name not in seen]
        if not waiting:
            return
        # The last tab waiting in the page's order: a tab inside the open tab comes after the tabs around it.
        page.locator(TABS).filter(has_text=re.compile(f"^{re.escape(waiting[-1])}$")).first.click()
        accessibility.settle(page)
        seen |= set(page.locator(f"{TABS}[aria-selected=true]").all_inner_texts()) | {waiting[-1]}
        states.append(state_name(page.url))
        findings += accessibility.check(page, states[-1])


def test_every_page_tab_and_slide_has_no_serious_or_critical_violation_of_its_own(dated_demo_url, tmp_path):
    accessibility.axe_script()
    findings: list = []
    states: list[str] = []
    started = time.monotonic()
    with chromium_page() as page, served_app(dated_demo_url, tmp_path) as address:
        page.goto(f"{address}/")
        accessibility.settle(page)
        links = page.locator('[data-testid="stSidebarNavLink"]').evaluate_all(
            "links => links.map(a => [a.href, a.innerText.split('\\n').pop()])"
        )
        assert len(links) == 11, links  # every page the navigation lists
        for link, name in links:
            page.goto(link)
            accessibility.settle(page)
            if urlsplit(link).path.endswith("/present"):
                match = page.get_by_text(re.compile(r"^Slide 1 of \d+$")).first.inner_text()
                for slide in range(1, int(match.rsplit(" ", 1)[1]) + 1):
                    if slide > 1:
                        page.get_by_role("button", name="Next").click()
                        page.wait_for_url(re.compile(f"slide={slide}(&|$)"))
                        accessibility.settle(page)
                    states.append(state_name(page.url))
                    findings += accessibility.check(page, states[-1])
                continue
            assert page.title() == f"{name} – Stalking and harassment oversight"  # each page its own title
            if urlsplit(link).path.endswith("/press"):  # code on the page at full contrast, opacity included
                code = accessibility.drawn_contrast(page, f"{MAIN} code")
                assert code and all(ratio >= 4.5 for _, ratio in code), code
            check_every_tab(page, findings, states)

        # What opens on a chart: its Export control and the figures behind it.
        page.goto(f"{address}/recorded-crime")
        accessibility.settle(page)
        page.get_by_role("button", name="Export").first.click()
        accessibility.settle(page)
        states.append("/recorded-crime, Export open")
        findings += accessibility.check(page, states[-1])
        page.keyboard.press("Escape")
        page.get_by_text("Data behind this chart").first.click()
        accessibility.settle(page)
        states.append("/recorded-crime, Data behind this chart open")
        findings += accessibility.check(page, states[-1])
    seconds = time.monotonic() - started

    SCREENSHOTS.mkdir(exist_ok=True)
    report = {
        "states": len(states),
        "seconds": round(seconds, 1),
        "rules": accessibility.rules(findings),
        "counts": accessibility.counts(findings, states),
        "framework": sorted({f"{f.rule} {f.known.selector}" for f in findings if f.known}),
    }
    (SCREENSHOTS / "axe.json").write_text(json.dumps(report, indent=2))
    print(f"axe-core on {len(states)} page states in {seconds:.0f} s")
    assert len(states) == len(set(states)) >= 40, states
    assert accessibility.failing(findings) == [], accessibility.describe(accessibility.failing(findings))


# Runs in the page: the element that shows the keyboard focus (the focused element or the nearest drawn box around
# it with an outline), its outline and the colour behind the outline (the first opaque background around it).
FOCUS_SHOWN = """() => {
    const focused = document.activeElement;
    if (focused === document.body) return {body: true};  // the tab order came round to the document itself
    let shown = focused;
    while (shown && (getComputedStyle(shown).outlineStyle === 'none' || shown.getBoundingClientRect().width < 4))
        shown = shown.parentElement;
    if (!shown) return {name: focused.outerHTML.slice(0, 120)};
    let behind = shown.parentElement, background = 'rgb(255, 255, 255)';
    for (; behind; behind = behind.parentElement) {
        const colour = getComputedStyle(behind).backgroundColor;
        if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') { background = colour; break; }
    }
    const style = getComputedStyle(shown), box = shown.getBoundingClientRect();
    return {name: (focused.getAttribute('aria-label') || focused.innerText || focused.tagName).slice(0, 40),
            outline: style.outlineColor, width: parseFloat(style.outlineWidth), ring: style.boxShadow, background,
            box: [box.x, box.y, box.width, box.height]};
}"""
# 200% zoom of a 1366x768 window: half as many CSS pixels across, each drawn twice as large.
SCREENS = [("1366x768", 1366, 768, 1), ("1920x1080", 1920, 1080, 1), ("200pc", 683, 384, 2)]
STOPS = 45  # tab stops from the top of the Press page: navigation, every filter, the page's own controls


def hex_of(css: str) -> str:
    return "#" + "".join(f"{int(c):02X}" for c in re.findall(r"\d+", css)[:3])


def test_every_control_shows_a_focus_outline_of_at_least_3_to_1_at_each_screen_size(dated_demo_url, tmp_path):
    from dashboard.ui import frame_style
    from data_loaders.settings import contrast_ratio

    with chromium_page() as page, served_app(dated_demo_url, tmp_path) as address:
        browser = page.context.browser
        for screen, width, height, scale in SCREENS:
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
            shown = context.new_page()
            shown.set_default_timeout(60_000)
            shown.goto(f"{address}/press")
            accessibility.settle(shown)
            names = []
            for stop in range(STOPS):
                shown.keyboard.press("Tab")
                focus = shown.evaluate(FOCUS_SHOWN)
                if focus.get("body"):
                    continue
                assert "outline" in focus, f"{screen}, tab stop {stop}: no focus shown on {focus['name']}"
                x, y, w, h = focus["box"]  # on screen: not in a sidebar slid away at 200%
                assert x + w > 0 and y + h > 0 and x < width and y < height, (screen, stop, focus)
                names.append(focus["name"])
                assert hex_of(focus["outline"]) == frame_style.FOCUS_COLOUR, (screen, stop, focus)
                assert hex_of(focus["ring"]) == frame_style.FOCUS_RING, (screen, stop, focus)
                # The outline, or the ring inside it where the outline crosses something as dark, stands out 3:1.
                ratio = max(
                    contrast_ratio(hex_of(focus[part]), hex_of(focus["background"])) for part in ("outline", "ring")
                )
                assert focus["width"] >= 2 and ratio >= 3, (screen, stop, focus, ratio)
                if stop in (1, 12, 19, 33, 36):  # a page link, a multiselect, a radio option, a button, a text input
                    clip = {"x": max(x - 40, 0), "y": max(y - 40, 0), "width": min(w + 80, width), "height": h + 80}
                    shown.screenshot(path=str(SCREENSHOTS / f"focus-{screen}-{stop}.png"), clip=clip)
            assert len(set(names)) >= 20, names  # the walk went through the controls, not round one of them
            context.close()


def test_a_slide_change_is_announced_with_its_number_and_title(demo_url, tmp_path):
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)
    with chromium_page() as page, served_app(demo_url, tmp_path) as address:
        page.goto(f"{address}/present?cat=Stalking&slide=1")
        title = page.locator(f"{MAIN} h1")
        expect(title).to_have_text("At a glance: Devon and Cornwall")  # the Panel's scorecard opens the deck
        region = page.locator("#pcc-announcement")
        expect(region).to_have_attribute("role", "status")
        expect(region).to_have_attribute("aria-live", "polite")
        expect(region).to_have_text(re.compile(r"^Slide 1 of \d+: At a glance: Devon and Cornwall$"))
        slides = int(re.search(r"of (\d+)", region.inner_text()).group(1))
        assert page.title() == f"Slide 1 of {slides}: At a glance: Devon and Cornwall – Presentation mode"
        region.evaluate("node => { node.dataset.first = 'yes'; }")  # the same node must carry the next slide's words
        accessibility.settle(page)  # the arrow keys work once the slide is drawn

        page.keyboard.press("ArrowRight")
        expect(page).to_have_url(re.compile(r"slide=2"))
        expect(title).not_to_have_text("At a glance: Devon and Cornwall")
        expect(region).to_have_text(f"Slide 2 of {slides}: {title.inner_text()}")
        assert region.get_attribute("data-first") == "yes"  # spoken: a live region that existed changed its words
        assert page.locator("#pcc-announcement").count() == 1
