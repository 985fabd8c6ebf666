"""``streamlit run`` on a free port, waiting for the server's health check, for the browser tests and the page
benchmark; it imports nothing from the tests' fixtures, so a benchmark can use it too (as ``tests.served``)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Server:
    """A running ``streamlit run``: its address and its process (for its memory, or to stop it early)."""

    address: str
    process: subprocess.Popen


@contextlib.contextmanager
def served(
    script: Path, database_url: str, log: Path, *, environment: Mapping[str, str] | None = None
) -> Iterator[str]:
    """``streamlit run script`` from the project's root over ``database_url``, its output written to ``log``; yield
    its address once it answers, and stop it afterwards. ``environment`` stands for this process's own."""
    with serving(script, database_url, log, environment=environment) as server:
        yield server.address


@contextlib.contextmanager
def serving(
    script: Path,
    database_url: str,
    log: Path,
    *,
    environment: Mapping[str, str] | None = None,
    options: Sequence[str] = (),
    port: int | None = None,
    launcher: Sequence[str] = ("-m", "streamlit"),
) -> Iterator[Server]:
    """As :func:`served`, yielding the :class:`Server`; ``options`` are more ``streamlit run`` flags and ``port`` a
    port to listen on (a free one by default); ``launcher`` what Python runs to start Streamlit's command line."""
    port = port or free_port()
    env = {**(os.environ if environment is None else environment), "PCC_DATABASE_URL": database_url}
    command = [sys.executable, *launcher, "run", str(script), "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false", *options]
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT)
        address = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_SECONDS
            while True:
                try:
                    with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    output.flush()
                    written = log.read_text(errors="replace")
                    raise RuntimeError(f"streamlit did not start (exit code {server.poll()}):\n{written}")
                time.sleep(0.25)
            yield Server(address, server)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
