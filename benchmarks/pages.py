"""Benchmark: how long each page of the app takes to run, next to a floor page that draws one cached chart.

On the full demo database (every force, 2014/15 onwards, a monthly extract, outcomes, the orders
return), with Streamlit's AppTest:

- first: the page's first run in a fresh process state (every cache cleared);
- repeated: runs that change a filter (the force, back and forth between two choices), as a user
  does once both views have been seen since the last load;
- new choice: runs that pick a force nobody has picked since the last load (every chart built);
- floor: ``benchmarks/floor_page.py``, one cached Plotly chart, run the same way.

Then in headless Chromium (``--browser``): the time from asking for a page to seeing every chart on
it drawn, for the Overview and Recorded crime pages against the floor page, each in a new browser
page (a new session) once the server has built its caches.

    python benchmarks/pages.py                   # AppTest timings
    python benchmarks/pages.py --browser         # and the browser timings
    PCC_DATABASE_URL=sqlite:////tmp/p4.sqlite python benchmarks/pages.py   # an existing database

Targets: repeated runs of every page within 3 times the floor and under 300 ms (median); the
Overview drawn in the browser within 1.3 times the floor page.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from data_loaders import database, demo  # noqa: E402
from data_loaders.settings import load_settings  # noqa: E402

APP = PROJECT / "dashboard" / "app.py"
FLOOR = Path(__file__).with_name("floor_page.py")
FRAMED_FLOOR = Path(__file__).with_name("framed_floor.py")
PAGES = sorted(path.relative_to(APP.parent).as_posix() for path in (APP.parent / "app_pages").glob("*.py"))
BROWSER_PAGES = {"Overview": ("", 2), "Recorded crime": ("recorded-crime", 9)}  # address, charts drawn
RATIO_TARGET, MS_TARGET, BROWSER_RATIO_TARGET = 3.0, 300.0, 1.3
CHROMIUM = Path("/usr/bin/chromium")
OTHER_FORCES = ("Dorset", "Kent", "Essex", "Cumbria", "Norfolk", "Suffolk", "Surrey")


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def timed(step) -> float:
    """Milliseconds ``step`` takes."""
    start = time.perf_counter()
    step()
    return 1000 * (time.perf_counter() - start)


def checked(app: AppTest) -> AppTest:
    if app.exception:
        raise RuntimeError("; ".join(e.value for e in app.exception))
    return app


def time_floor(script: Path, runs: int, home: str) -> dict[str, float]:
    clear_caches()
    app = AppTest.from_file(str(script), default_timeout=120)
    first = timed(lambda: checked(app.run()))
    if not [w for w in app.selectbox if w.key == "filter_force"]:
        return {"first": first, "repeated": statistics.median(timed(app.run) for _ in range(runs))}
    choices = [home, OTHER_FORCES[0]]
    repeated = [
        timed(lambda i=i: app.selectbox(key="filter_force").set_value(choices[i % 2]).run()) for i in range(runs)
    ]
    return {"first": first, "repeated": statistics.median(repeated)}


def time_page(page: str, home: str, runs: int) -> dict[str, float]:
    app = AppTest.from_file(str(APP), default_timeout=120)
    checked(app.run())  # the default page: switch_page only works once the navigation is known
    clear_caches()
    first = timed(lambda: checked(app.switch_page(page).run()))
    has_filters = bool([w for w in app.selectbox if w.key == "filter_force"])
    if not has_filters:
        repeated = [timed(lambda: checked(app.run())) for _ in range(runs)]
        return {"first": first, "repeated": statistics.median(repeated), "new": float("nan"), "filters": False}

    def choose(force: str) -> float:
        return timed(lambda: checked(app.selectbox(key="filter_force").set_value(force).run()))

    new = [choose(force) for force in OTHER_FORCES]
    choices = [home, OTHER_FORCES[0]]
    repeated = [choose(choices[i % 2]) for i in range(runs)]
    return {"first": first, "repeated": statistics.median(repeated), "new": statistics.median(new), "filters": True}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def served(script: Path, database_url: str, log: Path) -> Iterator[str]:
    """``streamlit run script`` on a free port; yield its address."""
    port = free_port()
    env = {**os.environ, "PCC_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT)
        address = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                with (
                    contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                    urllib.request.urlopen(f"{address}/_stcore/health", timeout=2) as response,
                ):
                    if response.status == 200:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log}")
                time.sleep(0.25)
            yield address
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


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


def report(floor: dict[str, float], framed: dict[str, float], pages: dict[str, dict[str, float]], runs: int) -> str:
    lines = [
        f"AppTest, median of {runs} repeated runs; 'new choice': median over {len(OTHER_FORCES)} forces not yet seen.",
        "",
        "| page | first ms | repeated ms | new choice ms | / floor | / framed floor | targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| floor (one cached chart) | {floor['first']:.0f} | {floor['repeated']:.1f} | | 1.0x | | |",
        f"| framed floor (the app's frame and one cached chart) | {framed['first']:.0f} | {framed['repeated']:.1f} | "
        f"| {framed['repeated'] / floor['repeated']:.1f}x | 1.0x | |",
    ]
    for page, t in pages.items():
        if "error" in t:
            lines.append(f"| {page} | error: {t['error']} | | | | | |")
            continue
        ratio, framed_ratio = t["repeated"] / floor["repeated"], t["repeated"] / framed["repeated"]
        verdict = f"3x: {'met' if ratio <= RATIO_TARGET else 'missed'}; 300 ms: {'met' if t['repeated'] < MS_TARGET else 'missed'}"
        new = f"{t['new']:.0f}" if t.get("filters") else "(no filters)"
        lines.append(
            f"| {page} | {t['first']:.0f} | {t['repeated']:.1f} | {new} | {ratio:.1f}x | {framed_ratio:.1f}x | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="repeated runs per page (default 20)")
    parser.add_argument("--browser", action="store_true", help="also time the Overview in headless Chromium")
    parser.add_argument("--browser-runs", type=int, default=7)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pcc-bench-pages-") as folder:
        url = os.environ.get("PCC_DATABASE_URL")
        if not url:
            url = f"sqlite:///{Path(folder) / 'demo.sqlite'}"
            engine = database.make_engine(url)
            started = time.perf_counter()
            demo.build(engine, load_settings())
            engine.dispose()
            print(f"Demo database built in {time.perf_counter() - started:.1f} s")
        os.environ["PCC_DATABASE_URL"] = url
        home = load_settings().home_force

        floor = time_floor(FLOOR, options.runs, home)
        framed = time_floor(FRAMED_FLOOR, options.runs, home)
        pages = {}
        for page in PAGES:
            try:
                pages[page] = time_page(page, home, options.runs)
            except Exception as exc:  # a broken page is reported, not allowed to hide the others' figures
                pages[page] = {"error": f"{type(exc).__name__}: {exc}"[:120]}
        print(f"\n{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; database {url}\n")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"Load average at the end: {load:.1f}\n")
        print(report(floor, framed, pages, options.runs))

        if options.browser:
            timings = browser_timings(url, Path(folder), options.browser_runs)
            print(f"\nBrowser (headless Chromium, 1366x768), median of {options.browser_runs} new pages each:\n")
            print("| page | first screen ms | / floor | every chart ms | / floor | target |")
            print("| --- | ---: | ---: | ---: | ---: | --- |")
            floor_first, floor_every = (statistics.median(t[i] for t in timings["Floor"]) for i in (0, 1))
            for name, samples in timings.items():
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
