"""A Streamlit session without a browser: the server's own work for a page, as a browser asks for it.

A browser opening a Streamlit page fetches the page's HTML (its scripts come from the browser's cache for a returning
user), the server's health and host configuration, then opens the websocket ``/_stcore/stream`` and sends one
``BackMsg``, ``rerun_script``, whose ``ClientState`` names the page by its address (``page_name`` is the address's
path, ``recorded-crime``; ``page_script_hash`` empty, as on a first load: ``st.navigation`` resolves the name against
each ``st.Page``'s ``url_path``, the default page for an empty name). The server runs the script and streams
``ForwardMsg`` protobufs back until ``script_finished``. :func:`open_page` does exactly that, in this process, with
the ``websockets`` client Streamlit itself depends on, reading and parsing every message, and reports what a person
would have seen go wrong:

- an exception element (``st.exception``, an uncaught exception in the script, a deprecation warning shown on the
  page), or an error alert (``st.error``);
- the page's name not found (``page_not_found``: the app shows its default page instead);
- a script that does not compile, or any other finish than a successful one (a rerun the script asks for is
  followed to its own finish);
- the connection closed, an HTTP error, or no finish within the timeout.

The cost to the machine is the server's work and this client's parsing, no page drawing: many such sessions measure
whether the server keeps up, as if each person's browser ran on their own machine.

    python benchmarks/sessions.py URL [PAGE ...]     # open pages of a running app once each and print what came back
"""

from __future__ import annotations

import asyncio
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "finished",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "rerun",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment finished",
}


@dataclass
class PageRun:
    """What one page opened brought back: its time, the messages read, and what went wrong on it."""

    page: str
    ms: float = float("nan")  # from asking for the HTML to the last message of the run read
    stream_ms: float = float("nan")  # from the rerun sent to ``script_finished`` read: the server's run alone
    runs: int = 0  # script runs finished: more than one when the script asks for a rerun
    messages: int = 0
    bytes: int = 0
    elements: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def problems_in(message: ForwardMsg) -> list[str]:
    """What a person would see go wrong in one ``ForwardMsg``."""
    kind = message.WhichOneof("type")
    if kind == "page_not_found":
        return [f"page not found: {message.page_not_found.page_name!r}"]
    if kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
        return [f"script did not compile: {message.session_event.script_compilation_exception.message[:120]}"]
    if kind != "delta" or message.delta.WhichOneof("type") != "new_element":
        return []
    element = message.delta.new_element
    shown = element.WhichOneof("type")
    if shown == "exception":
        exception = element.exception
        what = "warning" if exception.is_warning else "exception"
        return [f"{what} on the page: {exception.type}: {exception.message[:120]}"]
    if shown == "alert" and element.alert.format == Alert.ERROR:
        return [f"error on the page: {element.alert.body[:120]}"]
    return []


def _get(url: str, timeout: float) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        return response.status


def rerun_message(page: str, query: str, url: str) -> bytes:
    """The ``BackMsg`` a browser sends once its stream is open on a page's address: run the script for that page."""
    back = BackMsg()
    state = back.rerun_script
    state.page_name = page
    state.query_string = query
    state.page_script_hash = ""
    state.context_info.url = url
    state.context_info.timezone = "Europe/London"
    state.context_info.locale = "en-GB"
    state.context_info.color_scheme = "light"
    return back.SerializeToString()


async def open_page(address: str, page: str = "", *, query: str = "", timeout: float = 60.0) -> PageRun:
    """Open ``page`` (an address path: ``""`` for the default page, ``"recorded-crime"``) of the app served at
    ``address`` as a new session, as a browser following a link does, and read the run to its finish."""
    run = PageRun(page)
    url = f"{address}/{page}" + (f"?{query}" if query else "")
    start = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            for path in (url, f"{address}/_stcore/health", f"{address}/_stcore/host-config"):
                status = await asyncio.to_thread(_get, path, timeout)
                if status >= 400:
                    run.problems.append(f"HTTP {status} for {path}")
                    return run
            parts = urlsplit(address)
            stream = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path}/_stcore/stream"
            async with connect(stream, subprotocols=["streamlit"], max_size=None, compression=None) as socket:
                sent = time.perf_counter()
                await socket.send(rerun_message(page, query, url))
                while True:
                    data = await socket.recv()
                    message = ForwardMsg()
                    message.ParseFromString(data)
                    run.messages += 1
                    run.bytes += len(data)
                    kind = message.WhichOneof("type")
                    if kind == "new_session":
                        run.elements = 0  # a run starts: count what this one draws
                    elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                        run.elements += 1
                    run.problems += problems_in(message)
                    if kind == "script_finished":
                        run.runs += 1
                        finish = message.script_finished
                        if finish == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            continue  # the script asked for a rerun (st.rerun, st.switch_page): its run follows
                        run.stream_ms = 1000 * (time.perf_counter() - sent)
                        if finish != ForwardMsg.FINISHED_SUCCESSFULLY:
                            run.problems.append(f"script {FINISHED.get(finish, finish)}")
                        break
    except TimeoutError:
        run.problems.append(f"no finish within {timeout:g} s")
        return run
    except Exception as exc:  # a refused connection or a closed stream is a failed load, counted, not raised
        run.problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}")
        return run
    run.ms = 1000 * (time.perf_counter() - start)
    return run


# A throwaway app for checking the client: a clean page, a page that raises, one that shows an error, and a rerun.
CHECK_APP = """
import streamlit as st


def clean():
    st.title("Clean")
    st.line_chart([1, 2, 3])


def boom():
    st.title("Boom")
    raise ValueError("a page that raises")


def shout():
    st.title("Shout")
    st.error("a page that shows an error")


def again():
    st.title("Again")
    if "again" not in st.session_state:
        st.session_state["again"] = True
        st.rerun()
    st.write("run twice")


page = st.navigation([
    st.Page(clean, title="Clean", url_path="clean", default=True),
    st.Page(boom, title="Boom", url_path="boom"),
    st.Page(shout, title="Shout", url_path="shout"),
    st.Page(again, title="Again", url_path="again"),
])
page.run()
"""
# What the client must find on each page of ``CHECK_APP``: the beginning of each problem (the server may redact an
# exception's message), the script's runs read and the elements drawn in the last.
CHECK_EXPECTED = {
    "": ([], 1, 2),
    "again": ([], 2, 2),
    "boom": (["exception on the page: ValueError"], 1, 2),
    "shout": (["error on the page: a page that shows an error"], 1, 2),
    "clean": (["page not found"], 1, 2),  # the default page's address is the app's own, not its url_path
}


async def check(address: str) -> list[str]:
    """Open every page of ``CHECK_APP`` served at ``address``; what the client found otherwise than expected."""
    wrong = []
    for page, (problems, runs, elements) in CHECK_EXPECTED.items():
        run = await open_page(address, page, timeout=30)
        found = len(run.problems) == len(problems) and all(
            p.startswith(e) for p, e in zip(run.problems, problems, strict=True)
        )
        if not found or (run.runs, run.elements) != (runs, elements):
            wrong.append(
                f"/{page}: found {run.problems}, {run.runs} runs, {run.elements} elements; "
                f"expected {problems}, {runs} runs, {elements} elements"
            )
    return wrong


async def _main(address: str, pages: list[str]) -> int:
    failed = 0
    for page in pages or [""]:
        run = await open_page(address, page)
        failed += not run.ok
        print(
            f"/{page}: {run.ms:,.0f} ms ({run.stream_ms:,.0f} ms the run), {run.messages} messages, "
            f"{run.elements} elements, {run.bytes:,} bytes; {'; '.join(run.problems) or 'no problem'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__.rsplit("\n\n", 1)[1])
    sys.exit(asyncio.run(_main(sys.argv[1].rstrip("/"), sys.argv[2:])))
