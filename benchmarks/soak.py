"""Benchmark: many people on the app at once, for a while: page times, errors and the server's memory.

At 1, 10 and 20 concurrent sessions, every session cycles through every page of the demo app for a bounded time,
starting at a different page so the load is spread and reading each page for a moment (``--think``, 2 s) before
opening the next; then the same number of sessions cycles on the floor page (``benchmarks/floor_page.py``, one cached
chart) for the same time, so each level's page times have a floor measured at the same load. A visit opens the
page's address as a new Streamlit session, as following a link does. A session is one of two kinds (``--client``):

- ``protocol`` (the default): ``benchmarks/sessions.py``, a client speaking Streamlit's own protocol as the browser
  does (the page's HTML, then the websocket: the rerun for the page, every message read and parsed until the script
  has finished). It costs the machine the server's work and little else, as when each person's browser runs on
  their own machine: it measures whether the server keeps up. Before the run it is checked against a throwaway app
  with a page that raises, one that shows an error and a page not found.
- ``browser``: a tab of one headless Chromium (the tabs share one browser context, so the app's scripts come from
  the browser's cache as for a returning user); a visit lasts until the page is drawn: the script finished, the
  heading shown and every chart in the main area painted. Every tab draws on this machine's CPUs, beside the server.

It prints, per level: visits, errors (a page exception, a Streamlit exception or error element, a page not found,
a load that failed or did not finish within the timeout, a traceback in the server's log; in the browser, an
exception in the page's scripts too), median and 95th-percentile page times, their ratio to the floor's at that
level and to one session's, the median time of the script's run alone (from the rerun asked for to its finish read,
as the session's stream saw it), and the CPU time per visit of the app's server and of the sessions (this process
and its children: the browser); then the app server's memory (resident set, its child processes included) at start
(every page visited once, so its caches are built), at its peak, after the sessions end and a settle, and once
Streamlit has let the closed sessions go (``server.disconnectedSessionTTL``, 120 s, keeps them for a reconnection).

    python benchmarks/soak.py                          # protocol sessions, 30 s a level and page kind: about 6 minutes
    python benchmarks/soak.py --client browser         # browser tabs instead: about 8 minutes
    python benchmarks/soak.py --seconds 120 --levels 1 10 20 40
    python benchmarks/soak.py --self-check             # only check the protocol client against a throwaway app
    PCC_DATABASE_URL=sqlite:////tmp/demo.sqlite python benchmarks/soak.py

Targets: no error; at 20 sessions the median page time within 3 times one session's; the memory after
the sessions within 10% of the memory at start. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from benchmarks import sessions as protocol  # noqa: E402
from benchmarks.pages import FLOOR, demo_database  # noqa: E402
from tests import served  # noqa: E402
from tests.served import Server  # noqa: E402

APP = PROJECT / "dashboard" / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
# Every page of the app by address ("" is the Overview, the default page).
PAGES = ("", "recorded-crime", "places", "outcomes", "prosecutions", "recommendations", "inspections", "press",
         "present", "data", "glossary")  # fmt: skip
LEVEL_TARGET, MEMORY_TARGET = 3.0, 0.10
TARGET_SESSIONS = 20  # the level the page-time target is set at (the last level when 20 is not run)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    # Every session's tab is drawn as if it were in front, as each person's own browser draws it.
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
]
DRAWN = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (!document.querySelector('[data-testid=stMain] h1')) return false;
    if (document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]')) return false;
    const charts = Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stPlotlyChart]'));
    return charts.every((c) => c.querySelector('.main-svg'));
}"""
ERRORS_SHOWN = """() => ({
    exception: document.querySelectorAll('[data-testid=stException]').length,
    error: document.querySelectorAll('[data-testid=stAlertContentError]').length,
})"""


# ---- the servers ----------------------------------------------------------------------------------------

# ``streamlit run`` started through this file, so that the server's command line names neither Streamlit nor ``run``:
# a broad ``pkill -f "streamlit run"`` elsewhere on a shared machine (restarting another copy of the app) then leaves
# the benchmark's servers alone.
LAUNCHER = "import sys\nfrom streamlit.web import cli\n\nsys.exit(cli.main())\n"


@contextlib.contextmanager
def serving(script: Path, database_url: str, log: Path) -> Iterator[Server]:
    """``streamlit run script`` over ``database_url`` as ``tests/served.py`` starts it, but through a launcher file, so
    that its command line does not read ``streamlit run``; yield the :class:`Server` once it answers."""
    launcher = log.with_name("serve.py")
    launcher.write_text(LAUNCHER)
    with served.serving(script, database_url, log, launcher=(str(launcher),)) as server:
        yield server


# ---- the server's memory and CPU -------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """``root`` and every process descended from it, read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry.name))
    tree, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        tree.append(pid)
        waiting.extend(parents.get(pid, []))
    return tree


def resident_mb(root: int) -> float:
    """Resident memory of ``root`` and its descendants, in MB."""
    total = 0
    for pid in process_tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int) -> float:
    """CPU time so far of ``root`` and its living descendants (a browser's processes, for this one)."""
    total = 0.0
    for pid in process_tree(root):
        try:
            total += cpu_seconds(pid)
        except OSError:
            continue
    return total


class MemoryWatch:
    """Samples a process tree's resident memory in the background; ``peak`` since the last ``reset``."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        self.pid, self.every, self.peak = pid, every, resident_mb(pid)
        self.cpu = 0.0  # the watch's own CPU seconds (reading /proc), kept apart from the sessions'
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            started = time.thread_time()
            self.peak = max(self.peak, resident_mb(self.pid))
            self.cpu += time.thread_time() - started

    def reset(self) -> None:
        self.peak = resident_mb(self.pid)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# ---- sessions ----------------------------------------------------------------------------------------


@dataclass
class Visits:
    """What one level's sessions met on one kind of page."""

    times: list[float] = field(default_factory=list)  # milliseconds, visits that drew
    runs: list[float] = field(default_factory=list)  # milliseconds, the script's run as the session's stream saw it
    errors: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.times) + len(self.errors)


@dataclass(frozen=True)
class Target:
    """A page to open: the server's address and the page's path in it (``""``: the default page)."""

    server: str
    path: str

    @property
    def address(self) -> str:
        return f"{self.server}/{self.path}"


class Stream:
    """A browser tab's Streamlit stream, watched: when the tab asked for a run and when the run's finish came."""

    def __init__(self, page) -> None:
        self.sent: float | None = None
        self.finished: float | None = None
        page.on("websocket", self._watch)

    def reset(self) -> None:
        self.sent = self.finished = None

    def _watch(self, socket) -> None:
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if self.sent is None:
            self.sent = time.perf_counter()

    def _received(self, payload) -> None:
        if self.finished is not None or not isinstance(payload, bytes):
            return
        message = protocol.ForwardMsg()
        message.ParseFromString(payload)
        finished = message.WhichOneof("type") == "script_finished"
        if finished and message.script_finished != protocol.ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.finished = time.perf_counter()


async def visit(page, target: Target, timeout_ms: int, visits: Visits, thrown: list[str], stream: Stream) -> None:
    """Open ``target`` in the browser tab ``page`` and wait until it is drawn; record its time or what went wrong."""
    address = target.address
    thrown.clear()
    stream.reset()
    start = time.perf_counter()
    try:
        response = await page.goto(address, wait_until="commit", timeout=timeout_ms)
        if response is None or response.status >= 400:
            visits.errors.append(f"{address}: HTTP {response.status if response else 'no response'}")
            return
        await page.wait_for_function(DRAWN, polling=100, timeout=timeout_ms)
    except Exception as exc:  # a timeout or a failed navigation is a failed load, counted, not raised
        visits.errors.append(f"{address}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        return
    elapsed = 1000 * (time.perf_counter() - start)
    shown = await page.evaluate(ERRORS_SHOWN)
    if shown["exception"] or shown["error"] or thrown:
        visits.errors.append(f"{address}: {shown['exception']} exceptions, {shown['error']} errors, {thrown[:1]}")
    else:
        visits.times.append(elapsed)
        if stream.sent is not None and stream.finished is not None:
            visits.runs.append(1000 * (stream.finished - stream.sent))


async def visit_protocol(target: Target, timeout_ms: int, visits: Visits) -> None:
    """Open ``target`` as a new session of Streamlit's protocol and read its run to the finish; record its time or
    what went wrong."""
    run = await protocol.open_page(target.server, target.path, timeout=timeout_ms / 1000)
    if run.ok:
        visits.times.append(run.ms)
        visits.runs.append(run.stream_ms)
    else:
        visits.errors.append(f"{target.address}: {'; '.join(run.problems)}")


@dataclass(frozen=True)
class Load:
    """How people use the pages: how long each spends on the pages, and reads one before opening the next."""

    seconds: float
    think: float
    timeout_ms: int


async def session(context, targets: list[Target], n: int, sessions: int, load: Load, visits: Visits) -> None:
    """Person ``n`` of ``sessions``: their own browser tab (or, with no browser ``context``, their own protocol
    sessions), cycling through ``targets`` from the ``n``-th, their first visit spread over the first think time so
    that the sessions do not all ask at the same moment."""
    page = stream = None
    thrown: list[str] = []
    if context is not None:
        page = await context.new_page()
        stream = Stream(page)
        page.on("pageerror", lambda error: thrown.append(str(error)[:120]))
    until = time.monotonic() + load.seconds
    await asyncio.sleep(load.think * n / sessions)
    step = n
    try:
        while time.monotonic() < until:
            target = targets[step % len(targets)]
            if page is None:
                await visit_protocol(target, load.timeout_ms, visits)
            else:
                await visit(page, target, load.timeout_ms, visits, thrown, stream)
            step += 1
            await asyncio.sleep(load.think)
    finally:
        if page is not None:
            await page.close()


async def level(context, targets: list[Target], sessions: int, load: Load) -> Visits:
    """``sessions`` people at once, each starting on a different page."""
    visits = Visits()
    await asyncio.gather(*(session(context, targets, n, sessions, load, visits) for n in range(sessions)))
    return visits


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else float("nan")


def log_tracebacks(log: Path) -> int:
    return log.read_text(errors="replace").count("Traceback (most recent call last)")


# ---- the run -----------------------------------------------------------------------------------------


@dataclass
class LevelResult:
    sessions: int
    app: Visits
    floor: Visits
    app_cpu: float  # the app server's CPU seconds during the app's visits
    floor_cpu: float  # the floor server's during the floor's visits
    client_cpu: float  # the sessions' (this process and its children) during the app's visits
    peak_mb: float
    tracebacks: int


async def warm_up(context, targets: list[Target], timeout_ms: int) -> None:
    """Every page opened once, in order, so the server's caches are built (and the browser's cache holds the app's
    scripts) before anything is measured."""
    visits = Visits()
    if context is None:
        for target in targets:
            await visit_protocol(target, timeout_ms, visits)
    else:
        page = await context.new_page()
        thrown: list[str] = []
        page.on("pageerror", lambda error: thrown.append(str(error)[:120]))
        stream = Stream(page)
        for target in targets:
            await visit(page, target, timeout_ms, visits, thrown, stream)
        await page.close()
    if visits.errors:
        raise RuntimeError(f"the pages did not open cleanly before the run: {visits.errors}")


def running(server, log: Path) -> None:
    """Raise, with the end of its log, when ``server`` has exited: its figures would mean nothing."""
    if server.process.poll() is not None:
        ending = log.read_text(errors="replace")[-1500:]
        raise RuntimeError(f"the app's server exited with code {server.process.returncode}; its log ends:\n{ending}")


@contextlib.asynccontextmanager
async def browser_context(client: str) -> AsyncIterator:
    """One headless Chromium's context for ``client == "browser"``, else None (protocol sessions need no browser)."""
    if client != "browser":
        yield None
        return
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # One context: the sessions' tabs share the browser's cache, as a returning user's browser holds the
        # app's scripts; each tab is a session of its own on the server.
        yield await browser.new_context(viewport={"width": 1366, "height": 768}, reduced_motion="reduce")
        await browser.close()


async def run(options, url: str, folder: Path) -> tuple[list[LevelResult], dict[str, float]]:
    timeout_ms = int(options.timeout * 1000)
    load = Load(options.seconds, options.think, timeout_ms)
    app_log, floor_log = folder / "app.log", folder / "floor.log"
    with serving(APP, url, app_log) as app, serving(FLOOR, url, floor_log) as floor:
        pid = app.process.pid
        memory = {"started": resident_mb(pid)}
        targets = [Target(app.address, path) for path in PAGES]
        floor_target = Target(floor.address, "")
        async with browser_context(options.client) as context:
            await warm_up(context, [*targets, floor_target], timeout_ms)
            await asyncio.sleep(options.settle)
            memory["start"] = resident_mb(pid)
            results = []
            with MemoryWatch(pid) as watch:
                for sessions in options.levels:
                    tracebacks = log_tracebacks(app_log) + log_tracebacks(floor_log)
                    watch.reset()
                    cpu, client_cpu = cpu_seconds(pid), tree_cpu_seconds(os.getpid()) - watch.cpu
                    app_visits = await level(context, targets, sessions, load)
                    cpu, client_cpu = cpu_seconds(pid) - cpu, tree_cpu_seconds(os.getpid()) - watch.cpu - client_cpu
                    peak = watch.peak
                    floor_cpu = cpu_seconds(floor.process.pid)
                    floor_visits = await level(context, [floor_target], sessions, load)
                    floor_cpu = cpu_seconds(floor.process.pid) - floor_cpu
                    tracebacks = log_tracebacks(app_log) + log_tracebacks(floor_log) - tracebacks
                    results.append(
                        LevelResult(sessions, app_visits, floor_visits, cpu, floor_cpu, client_cpu, peak, tracebacks)
                    )
                    print(progress(results[-1]), flush=True)
                    running(app, app_log)
            ended = time.monotonic()
            memory["ended"] = resident_mb(pid)
            await asyncio.sleep(options.settle)
            memory["settled"] = resident_mb(pid)
            # Streamlit keeps a closed page's session for server.disconnectedSessionTTL, for it to reconnect; once
            # that has passed, the next visit lets them go.
            await asyncio.sleep(max(0.0, ended + disconnected_ttl() + 1 - time.monotonic()))
            running(app, app_log)
            await warm_up(context, targets[:1], timeout_ms)
            await asyncio.sleep(options.settle)
            memory["after"] = resident_mb(pid)
            memory["peak"] = max(r.peak_mb for r in results)
    return results, memory


def self_check(folder: Path) -> list[str]:
    """The protocol client against a throwaway app (``sessions.CHECK_APP``): what it found otherwise than expected."""
    script = folder / "check_app.py"
    script.write_text(protocol.CHECK_APP)
    with serving(script, "sqlite://", folder / "check.log") as server:
        return asyncio.run(protocol.check(server.address))


CHECKED = "a page that raises, one that shows an error, a page not found and a script's own rerun are each found"


def streamlit_version() -> str:
    from importlib.metadata import version

    return version("streamlit")


def disconnected_ttl() -> float:
    """Seconds Streamlit keeps a disconnected session, as the app's configuration sets it."""
    from streamlit import config

    config.get_config_options(force_reparse=True)
    return float(config.get_option("server.disconnectedSessionTTL"))


def progress(r: LevelResult) -> str:
    errors = len(r.app.errors) + len(r.floor.errors) + r.tracebacks
    return f"  {r.sessions} sessions: {r.app.count} app visits, {r.floor.count} floor visits, {errors} errors"


PAGE_TIME = {
    "browser": "from asking for the address to the page drawn in a Chromium tab",
    "protocol": "from asking for the page's HTML to the script's finish read, every message read and parsed",
}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(results: list[LevelResult], memory: dict[str, float], options) -> tuple[str, bool]:
    """The figures as a Markdown table, and whether every target was met."""
    lines = [
        f"{options.client} sessions; {options.seconds:.0f} s a level on the app's {len(PAGES)} pages, then as long on "
        f"the floor page, each person reading a page {options.think:g} s before opening the next; page time: "
        f"{PAGE_TIME[options.client]}; script run: from the rerun asked for to its finish, as the session's stream saw "
        "it.",
        "",
        "| sessions | app visits | errors | median ms | p95 ms | / 1 session (median) | / 1 session (p95) "
        "| script run median ms | floor median ms | floor p95 ms | / floor (median) "
        "| app server CPU s a visit | floor server CPU s a visit | sessions' CPU s a visit | peak MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    one, one_p95 = median(results[0].app.times), percentile(results[0].app.times, 0.95)
    for r in results:
        app_median, p95 = median(r.app.times), percentile(r.app.times, 0.95)
        floor_median = median(r.floor.times)
        errors = len(r.app.errors) + len(r.floor.errors) + r.tracebacks
        lines.append(
            f"| {r.sessions} | {r.app.count} | {errors} | {app_median:,.0f} | {p95:,.0f} | {app_median / one:.2f}x "
            f"| {p95 / one_p95:.2f}x | {median(r.app.runs):,.0f} | {floor_median:,.0f} "
            f"| {percentile(r.floor.times, 0.95):,.0f} | {app_median / floor_median:.2f}x "
            f"| {r.app_cpu / max(1, r.app.count):.3f} | {r.floor_cpu / max(1, r.floor.count):.3f} "
            f"| {r.client_cpu / max(1, r.app.count):.3f} | {r.peak_mb:,.0f} |"
        )
    errors = [e for r in results for e in (*r.app.errors, *r.floor.errors)]
    tracebacks = sum(r.tracebacks for r in results)
    last = next((r for r in results if r.sessions == TARGET_SESSIONS), results[-1])
    scale = statistics.median(last.app.times) / one if last.app.times else float("inf")
    growth = memory["after"] / memory["start"] - 1
    met = {
        "errors": not errors and not tracebacks,
        "scale": scale <= LEVEL_TARGET,
        "memory": growth <= MEMORY_TARGET,
    }
    lines += [
        "",
        f"Errors: {len(errors)} met by the sessions, {tracebacks} tracebacks in the servers' logs "
        f"(target 0: {'met' if met['errors'] else 'MISSED'})",
        *(f"  - {error}" for error in errors[:20]),
        f"Median at {last.sessions} sessions: {scale:.2f}x one session's "
        f"(target {LEVEL_TARGET:.0f}x: {'met' if met['scale'] else 'MISSED'})",
        "",
        "App server memory (resident, child processes included):",
        f"  just started {memory['started']:,.0f} MB; start (every page opened once, "
        f"{options.settle:.0f} s settled) {memory['start']:,.0f} MB; peak {memory['peak']:,.0f} MB;",
        f"  as the sessions ended {memory['ended']:,.0f} MB; after {options.settle:.0f} s {memory['settled']:,.0f} MB "
        f"({memory['settled'] / memory['start'] - 1:+.1%} on start, the closed sessions still kept);",
        f"  once they expired ({disconnected_ttl():.0f} s) and a page was opened, after {options.settle:.0f} s "
        f"{memory['after']:,.0f} MB: {growth:+.1%} on start "
        f"(target within {MEMORY_TARGET:.0%}: {'met' if met['memory'] else 'MISSED'})",
    ]
    return "\n".join(lines), all(met.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 20], help="sessions at once (1 10 20)")
    parser.add_argument("--seconds", type=float, default=30, help="time a level spends on each page kind (30)")
    parser.add_argument("--think", type=float, default=2, help="seconds a person reads a page before the next (2)")
    parser.add_argument("--settle", type=float, default=15, help="seconds left quiet before memory is read (15)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a page may take before it has failed (60)")
    parser.add_argument(
        "--client",
        choices=("protocol", "browser"),
        default="protocol",
        help="protocol: Streamlit's own protocol, no page drawn (the server's work alone); browser: headless Chromium "
        "tabs on this machine (protocol)",
    )
    parser.add_argument(
        "--self-check", action="store_true", help="only check the protocol client against a throwaway app that raises"
    )
    options = parser.parse_args()
    if options.levels[0] != 1:
        parser.error("the first level is 1: the others are compared with one session")

    with tempfile.TemporaryDirectory(prefix="pcc-bench-soak-") as folder:
        if options.client == "protocol" or options.self_check:
            wrong = self_check(Path(folder))
            print("Protocol client: " + ("; ".join(wrong) if wrong else f"checked ({CHECKED})"), flush=True)
            if wrong or options.self_check:
                sys.exit(1 if wrong else 0)
        url = demo_database(Path(folder))
        print(
            f"Python {platform.python_version()}, Streamlit {streamlit_version()}, {os.cpu_count()} CPUs, "
            f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())} (1, 5, 15 minutes); {options.client} sessions",
            flush=True,
        )
        results, memory = asyncio.run(run(options, url, Path(folder)))
        print(f"Load average at the end {' '.join(f'{v:.1f}' for v in os.getloadavg())}; database {url}\n")
        text, met = report(results, memory, options)
        print(text)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
