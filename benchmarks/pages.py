"""Benchmark: how long each page of the app takes to run, next to a floor page that draws one cached chart.

On the full demo database (every force, 2014/15 onwards, a monthly extract, outcomes, the orders
return), with Streamlit's AppTest:

- first: the page's first run in a fresh process state (every cache cleared);
- repeated: runs that change a filter (the force, back and forth between two choices), as a user
  does once both views have been seen since the last load; pages without the filters run again;
- new choice: runs that pick a force nobody has picked since the last load (every chart built);
- floor: ``benchmarks/floor_page.py``, one cached Plotly chart drawn as the app draws its charts;
  framed floor: ``benchmarks/framed_floor.py``, the same inside the app's frame.

The repeated runs take turns, round by round (floor, framed floor, each page), and each ratio is the
median of a page's run over the floor's run of the same round, so a busy moment on a shared
machine costs both sides of a ratio alike.

Then in headless Chromium (``--browser``): the time from asking for a page to its first screen
drawn and to every chart on it drawn, for the Overview and Recorded crime pages against the floor
page, each in a new browser page (a new session) once the server has built its caches.

    python benchmarks/pages.py                   # AppTest timings
    python benchmarks/pages.py --browser         # and the browser timings
    PCC_DATABASE_URL=sqlite:////tmp/p4.sqlite python benchmarks/pages.py   # an existing database

Targets: repeated runs of every page within 3 times the floor and under 300 ms (median); the
Overview drawn in the browser within 1.3 times the floor page.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from dashboard import queries  # noqa: E402
from data_loaders import database  # noqa: E402
from data_loaders.demo import dataset as demo  # noqa: E402
from data_loaders.settings import load_settings  # noqa: E402
from tests.served import served  # noqa: E402

APP = PROJECT / "dashboard" / "app.py"
FLOOR = Path(__file__).with_name("floor_page.py")
FRAMED_FLOOR = Path(__file__).with_name("framed_floor.py")
PAGES = sorted(path.relative_to(APP.parent).as_posix() for path in (APP.parent / "app_pages").glob("*.py"))
BROWSER_PAGES = {"Overview": ("", 2), "Recorded crime": ("recorded-crime", 2)}  # address, plot layers drawn
RATIO_TARGET, MS_TARGET, BROWSER_RATIO_TARGET = 3.0, 300.0, 1.3
CHROMIUM = Path("/usr/bin/chromium")
OTHER_FORCES = ("Dorset", "Kent", "Essex", "Cumbria", "Norfolk", "Suffolk", "Surrey")


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    queries.clear_caches()


def timed(step) -> float:
    """Milliseconds ``step`` takes."""
    start = time.perf_counter()
    step()
    return 1000 * (time.perf_counter() - start)


def checked(app: AppTest) -> AppTest:
    if app.exception:
        raise RuntimeError("; ".join(e.value for e in app.exception))
    return app


class Session:
    """One AppTest session on a script, opened on ``page``; each ``step`` is one repeated run of it.

    A trends page's repeated run changes the force back and forth between the home force and a
    second one, as a user comparing two forces does; a page without the filters is simply run again.
    """

    def __init__(self, script: Path, page: str | None, home: str) -> None:
        self.script, self.page, self.choices = script, page, (home, OTHER_FORCES[0])
        self.app = AppTest.from_file(str(script), default_timeout=120)
        self.steps = 0

    def first(self) -> float:
        """The first run with every cache cleared (the tables read, every chart built)."""
        if self.page is None:
            clear_caches()
            return timed(lambda: checked(self.app.run()))
        checked(self.app.run())  # the default page: switch_page only works once the navigation is known
        clear_caches()
        return timed(lambda: checked(self.app.switch_page(self.page).run()))

    @property
    def has_filters(self) -> bool:
        return any(w.key == "filter_force" for w in self.app.selectbox)

    def choose(self, force: str) -> float:
        return timed(lambda: checked(self.app.selectbox(key="filter_force").set_value(force).run()))

    def step(self) -> float:
        self.steps += 1
        if self.has_filters:
            return self.choose(self.choices[self.steps % 2])
        return timed(lambda: checked(self.app.run()))


def time_pages(pages: list[str], home: str, runs: int) -> dict[str, dict[str, float]]:
    """First, repeated and new-choice times of the floors and every page, in milliseconds.

    The repeated runs take turns, round by round (floor, framed floor, then each page), so that a
    busy moment on a shared machine costs them alike and the ratios compare like with like.
    """
    sessions = {"floor": Session(FLOOR, None, home), "framed floor": Session(FRAMED_FLOOR, None, home)}
    sessions |= {page: Session(APP, page, home) for page in pages}
    out: dict[str, dict[str, float]] = {}
    for name, session in list(sessions.items()):
        try:
            out[name] = {"first": session.first(), "filters": session.has_filters}
            if session.has_filters and session.page is not None:
                out[name]["new"] = statistics.median(session.choose(force) for force in OTHER_FORCES)
            for _ in range(3):  # both choices seen since the last load, as in the repeated runs
                session.step()
        except Exception as exc:  # a broken page is reported, not allowed to hide the others' figures
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:120]}
            del sessions[name]
    samples: dict[str, list[float]] = {name: [] for name in sessions}
    for _ in range(runs):
        for name, session in sessions.items():
            samples[name].append(session.step())
    for name, values in samples.items():
        out[name]["repeated"] = statistics.median(values)
        # Each run against the floor's run of the same round: a busy moment slows both, so the
        # ratio of the pair holds steadier than the ratio of two medians.
        for floor in ("floor", "framed floor"):
            out[name][f"/ {floor}"] = statistics.median(
                page / base for page, base in zip(values, samples[floor], strict=True)
            )
    return out


FIRST_SCREEN_DRAWN = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (!document.querySelector('[data-testid=stMain] h1')) return false;
    const inView = (el) => { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; };
    const main = '[data-testid=stMain] ';
    if (Array.from(document.querySelectorAll(main + '[data-testid=stSkeleton]')).some(inView)) return false;
    const charts = Array.from(document.querySelectorAll(main + '[data-testid=stPlotlyChart]')).filter(inView);
    const images = Array.from(document.querySelectorAll(main + 'img')).filter(inView);
    return charts.every((c) => c.querySelector('.main-svg')) && images.every((i) => i.complete);
}"""
EVERY_CHART_DRAWN = "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n"


def visit(browser, address: str, charts: int) -> tuple[float, float]:
    """Milliseconds from asking for ``address`` in a new page (a new session) to its first screen drawn (the
    script finished, the heading shown, no loading skeleton left and every chart and image in the 1366x768 window
    painted), and to every chart on the page drawn."""
    page = browser.new_page()
    page.set_default_timeout(120_000)
    start = time.perf_counter()
    page.goto(address, wait_until="commit")
    page.wait_for_function(FIRST_SCREEN_DRAWN, polling="raf")
    first = 1000 * (time.perf_counter() - start)
    page.wait_for_function(EVERY_CHART_DRAWN, arg=charts, polling="raf")
    every = 1000 * (time.perf_counter() - start)
    page.close()
    return first, every


def browser_timings(database_url: str, folder: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    """Each page's times over ``runs`` rounds; the pages take turns, so a busy moment costs them alike."""
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
    with (
        sync_playwright() as playwright,
        served(APP, database_url, folder / "app.log") as app,
        served(FLOOR, database_url, folder / "floor.log") as floor,
    ):
        # One browser context: its pages share the HTTP cache, as a returning user's tabs do, while each
        # page is a new Streamlit session.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args, headless=True)
        browser = browser.new_context(viewport={"width": 1366, "height": 768})
        targets = {"Floor": (floor, 1)} | {name: (f"{app}/{path}", n) for name, (path, n) in BROWSER_PAGES.items()}
        try:
            for address, charts in targets.values():
                visit(browser, address, charts)  # the server builds its caches; every later user finds them
            out: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
            for _ in range(runs):
                for name, (address, charts) in targets.items():
                    out[name].append(visit(browser, address, charts))
        finally:
            browser.browser.close()
    return out


def report(timings: dict[str, dict[str, float]], runs: int) -> str:
    lines = [
        f"AppTest, median of {runs} repeated runs taken in turns; ratios: the median of each run over the floor's "
        f"run of the same round; 'new choice': median over {len(OTHER_FORCES)} forces not yet seen.",
        "",
        "| page | first ms | repeated ms | new choice ms | / floor | / framed floor | targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, t in timings.items():
        if "error" in t:
            lines.append(f"| {name} | error: {t['error']} | | | | | |")
            continue
        ratio, framed_ratio = t["/ floor"], t["/ framed floor"]
        verdict = ""
        if name.startswith("app_pages/"):
            verdict = (
                f"3x: {'met' if ratio <= RATIO_TARGET else 'missed'}; "
                f"300 ms: {'met' if t['repeated'] < MS_TARGET else 'missed'}"
            )
        new = f"{t['new']:.0f}" if "new" in t else ""
        lines.append(
            f"| {name} | {t['first']:.0f} | {t['repeated']:.1f} | {new} | {ratio:.1f}x | {framed_ratio:.1f}x "
            f"| {verdict} |"
        )
    return "\n".join(lines)


def demo_database(folder: Path) -> str:
    """``PCC_DATABASE_URL`` when it is set, else a full demo database built in ``folder``: its URL."""
    url = os.environ.get("PCC_DATABASE_URL")
    if not url:
        url = f"sqlite:///{folder / 'demo.sqlite'}"
        engine = database.make_engine(url)
        started = time.perf_counter()
        demo.build(engine, load_settings())
        engine.dispose()
        print(f"Demo database built in {time.perf_counter() - started:.1f} s")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="repeated runs per page (default 30)")
    parser.add_argument("--pages", nargs="*", help="only these pages (default: every page), e.g. app_pages/overview.py")
    parser.add_argument("--browser", action="store_true", help="also time the Overview in headless Chromium")
    parser.add_argument("--browser-runs", type=int, default=7)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pcc-bench-pages-") as folder:
        url = demo_database(Path(folder))
        os.environ["PCC_DATABASE_URL"] = url
        home = load_settings().home_force

        timings = time_pages(options.pages or PAGES, home, options.runs)
        print(f"\n{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; database {url}\n")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"Load average at the end: {load:.1f}\n")
        print(report(timings, options.runs))

        if options.browser:
            browser = browser_timings(url, Path(folder), options.browser_runs)
            print(f"\nBrowser (headless Chromium, 1366x768), median of {options.browser_runs} new pages each:\n")
            print("| page | first screen ms | / floor | every chart ms | / floor | target |")
            print("| --- | ---: | ---: | ---: | ---: | --- |")
            floor_first, floor_every = (statistics.median(t[i] for t in browser["Floor"]) for i in (0, 1))
            for name, samples in browser.items():
                first, every = (statistics.median(t[i] for t in samples) for i in (0, 1))
                target = ""
                if name == "Overview":
                    target = (
                        f"{'met' if first / floor_first <= BROWSER_RATIO_TARGET else 'MISSED'} (1.3x, first screen)"
                    )
                print(
                    f"| {name} | {first:.0f} | {first / floor_first:.2f}x | {every:.0f} | {every / floor_every:.2f}x "
                    f"| {target} |"
                )


if __name__ == "__main__":
    main()
