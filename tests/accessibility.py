"""axe-core in the real app: inject it from ``node_modules/`` (installed by ``make install`` from package-lock.json,
never fetched while testing), run it on the page as it stands, and sort what it finds into the project's own
violations and the framework's known ones.

Streamlit's own markup has a few violations the project cannot change; each is listed in :data:`FRAMEWORK` with the
rule, the narrowest selector that matches only that framework element, and the Streamlit issue it belongs to. A
violation is excused only when every element axe names for it matches its entry: the same rule anywhere else in the
page, or on the project's own content inside a framework element, still fails.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, skip_or_fail

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")


@dataclass(frozen=True)
class Known:
    """A violation in Streamlit's own markup: ``rule`` on elements matching ``selector``, reported at ``issue``."""

    rule: str
    selector: str
    issue: str
    what: str


# Streamlit 1.67's sidebar navigation with sections (st.navigation with a dict) puts each section in a <div> straight
# inside the <ul>, its header and <li> items in that <div>: the list holds a <div>, and its items are not in a list.
# No Streamlit issue names this markup: it came with sections (streamlit/streamlit#8681), and #8399 is Streamlit's open
# issue on the accessibility of the page structure it generates.
_SIDEBAR_NAV = "Streamlit's sidebar navigation (stSidebarNavItems)"
FRAMEWORK: tuple[Known, ...] = (
    Known(
        "list",
        "ul[data-testid='stSidebarNavItems']",
        "https://github.com/streamlit/streamlit/issues/8399",
        f"{_SIDEBAR_NAV}: a <div> per section straight inside the <ul>",
    ),
    Known(
        "listitem",
        "ul[data-testid='stSidebarNavItems'] > div > li",
        "https://github.com/streamlit/streamlit/issues/8399",
        f"{_SIDEBAR_NAV}: each page's <li> sits in its section's <div>, not in the <ul>",
    ),
    # Minor, listed so that it is counted as the framework's. No Streamlit issue names it; the role is react-dropzone's
    # default, which Streamlit's uploader keeps (react-dropzone/react-dropzone#1182).
    Known(
        "presentation-role-conflict",
        "section[data-testid='stFileUploaderDropzone']",
        "https://github.com/react-dropzone/react-dropzone/pull/1182",
        "st.file_uploader's drop zone: role=presentation on a labelled, focusable <section>",
    ),
)


def axe_script() -> Path:
    """The installed axe-core; skipped (or failed under PCC_REQUIRE_BROWSER=1) where ``make install`` had no npm."""
    if not AXE.is_file():
        skip_or_fail(
            "PCC_REQUIRE_BROWSER",
            f"axe-core is not installed at {AXE.relative_to(ROOT)}: `make install` installs it with npm "
            "(from package-lock.json)",
        )
    return AXE


# The app says whether its script is running; Streamlit marks what a rerun is about to replace as stale.
SETTLED = """() => document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')"""


def settle(page, timeout: int = 60_000) -> None:
    """Wait until the app has finished its run and drawn it: no script running, nothing stale, no placeholder."""
    page.wait_for_function(SETTLED, timeout=timeout)
    page.wait_for_timeout(300)  # a rerun a widget asks for right after the first one ends
    page.wait_for_function(SETTLED, timeout=timeout)


# Runs in the page: every violation's elements, each marked with the framework entry it matches (or null).
RUN = """async (known) => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => {
            const element = document.querySelector(n.target[n.target.length - 1]);
            const entry = known.findIndex(k => k.rule === v.id && element && element.closest(k.selector));
            return {target: n.target.join(' '), html: n.html.slice(0, 200), known: entry < 0 ? null : entry,
                    summary: (n.failureSummary || '').slice(0, 300)};
        }),
    }));
}"""


@dataclass(frozen=True)
class Finding:
    """One element failing one rule on one page state."""

    state: str
    rule: str
    impact: str
    target: str
    html: str
    summary: str
    known: Known | None


def check(page, state: str) -> list[Finding]:
    """axe-core on ``page`` as it stands, every violating element as a :class:`Finding` named ``state``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    known = [{"rule": k.rule, "selector": k.selector} for k in FRAMEWORK]
    violations = page.evaluate(RUN, known)
    return [
        Finding(
            state,
            v["id"],
            v["impact"],
            node["target"],
            node["html"],
            node["summary"],
            None if node["known"] is None else FRAMEWORK[node["known"]],
        )
        for v in violations
        for node in v["nodes"]
    ]


def failing(findings: list[Finding]) -> list[Finding]:
    """The project's own serious and critical violations: what the test fails on."""
    return [f for f in findings if f.known is None and f.impact in FAILING]


# Runs in the page: each element's text colour and the background behind it, both as drawn, that is after the
# opacity of every element around it (which axe-core does not weigh: a faded caption's inline code passed it at 3.0:1).
DRAWN_COLOURS = """(elements) => elements.map(element => {
    const rgba = text => text.match(/[\\d.]+/g).map(Number);
    let opacity = 1, background = null;
    for (let node = element; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        opacity *= Number(style.opacity);
        const colour = rgba(style.backgroundColor);
        if (!background && (colour.length < 4 || colour[3] > 0)) background = colour.slice(0, 3);
    }
    const text = rgba(getComputedStyle(element).color).slice(0, 3);
    const over = background || [255, 255, 255];
    return {text: element.textContent.slice(0, 60), colour: text.map((c, i) => c * opacity + over[i] * (1 - opacity)),
            background: over.map(c => c * opacity + 255 * (1 - opacity))};
})"""


def drawn_contrast(page, selector: str) -> list[tuple[str, float]]:
    """Each element matching ``selector``: its text and the contrast of its text on its background as drawn."""
    from data_loaders.settings import contrast_ratio

    def hex_colour(channels: list[float]) -> str:
        return "#" + "".join(f"{round(c):02X}" for c in channels)

    drawn = page.locator(selector).evaluate_all(DRAWN_COLOURS)
    return [(d["text"], contrast_ratio(hex_colour(d["colour"]), hex_colour(d["background"]))) for d in drawn]


def counts(findings: list[Finding], states: list[str]) -> dict[str, dict[str, int]]:
    """Violating elements per impact on each page state (every state, none found included), the project's own and
    the framework's apart."""
    out: dict[str, Counter] = {state: Counter() for state in states}
    for finding in findings:
        out[finding.state][f"{'framework' if finding.known else 'project'} {finding.impact}"] += 1
    return {state: dict(tally) for state, tally in out.items()}


def rules(findings: list[Finding]) -> dict[str, int]:
    """Violating elements per rule and impact over every state, the project's own and the framework's apart."""
    tally = Counter(f"{'framework' if f.known else 'project'} {f.impact} {f.rule}" for f in findings)
    return dict(sorted(tally.items()))


def describe(findings: list[Finding]) -> str:
    """The findings one a line, for a failure message."""
    return "\n".join(f"{f.state}: {f.rule} ({f.impact}) on {f.target}: {f.html}\n    {f.summary}" for f in findings)
