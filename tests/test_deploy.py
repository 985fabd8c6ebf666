"""The deployment for several users (``deploy/``): the container definition read and checked against the project, and
two ``streamlit run`` processes on one PostgreSQL database behind the reverse proxy, opened in headless Chromium.

The container cannot be built here; every file it copies, its command, its port, its health check and its user are
checked instead. The proxy is Debian's nginx: without it those tests skip with the reason, and fail under
``PCC_REQUIRE_NGINX=1`` (set by ``.ci/run``).
"""

from __future__ import annotations

import contextlib
import json
import re
import shlex
import shutil
import subprocess
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import TINY_FILE, TINY_ROWS, chromium_page, write_table
from conftest import ROOT, _postgres_database, skip_or_fail
from served import free_port, serving

from data_loaders import database, ingest

CONTAINERFILE = ROOT / "deploy" / "Containerfile"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
WAIT = 60_000  # milliseconds: a process's first page reads the tables and builds its charts


def instructions(path: Path) -> list[tuple[str, str]]:
    """A Containerfile's instructions as (KEYWORD, arguments), continuation lines joined, comments left out."""
    out: list[tuple[str, str]] = []
    pending = ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.strip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        keyword, _, arguments = pending.partition(" ")
        out.append((keyword.upper(), arguments.strip()))
        pending = ""
    return out


def given(path: Path, keyword: str) -> list[str]:
    return [arguments for key, arguments in instructions(path) if key == keyword]


def makefile_command() -> list[str]:
    """The command ``make run`` serves the app with, with the virtualenv's folder and the port filled in."""
    makefile = (ROOT / "Makefile").read_text()
    port = re.search(r"^PORT \?= (\d+)$", makefile, re.MULTILINE).group(1)
    line = re.search(r"^run:.*\n\t(.+)$", makefile, re.MULTILINE).group(1)
    return shlex.split(line.replace("$(BIN)/", "").replace("$(PORT)", port))


# ---- the container definition ---------------------------------------------------------------------


def test_every_file_the_container_copies_exists_and_the_package_installs_from_them():
    copies = [shlex.split(arguments) for arguments in given(CONTAINERFILE, "COPY")]
    sources = [source for *sources, _target in copies for source in sources]
    assert sources == [
        "pyproject.toml",
        "README.md",
        "pcc_cli.py",
        "data_loaders",
        "dashboard",
        ".streamlit/config.toml",
    ]
    assert all((ROOT / source).exists() for source in sources)
    # What the package is built from is copied before it is installed; the secrets never are.
    install = next(i for i, (key, args) in enumerate(instructions(CONTAINERFILE)) if "pip install" in args)
    copied_before = [c for i, c in enumerate(instructions(CONTAINERFILE)) if c[0] == "COPY" and i < install]
    assert len(copied_before) == 3
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["readme"] in sources
    assert {name.rstrip("*") for name in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]} <= set(sources)
    assert not any("secrets" in source for source in sources)


def test_the_container_serves_the_app_as_make_run_does_as_a_user_with_a_health_check():
    command = json.loads(given(CONTAINERFILE, "CMD")[0])
    assert command == makefile_command()
    assert command == ["streamlit", "run", "dashboard/app.py", "--server.port", "8501", "--server.headless", "true"]
    assert given(CONTAINERFILE, "EXPOSE") == ["8501"]
    health = given(CONTAINERFILE, "HEALTHCHECK")[0]
    assert "'http://127.0.0.1:8501/_stcore/health'" in health
    assert given(CONTAINERFILE, "USER") == ["pcc"]
    assert "--uid 10001" in next(args for args in given(CONTAINERFILE, "RUN") if "useradd" in args)
    # Python as the project asks for it, and Debian's Chromium (never a downloaded one) where the exports look.
    assert given(CONTAINERFILE, "FROM") == ["python:3.11-slim-bookworm"]
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"] == ">=3.11"
    apt = next(args for args in given(CONTAINERFILE, "RUN") if "apt-get install" in args)
    assert {"chromium", "fonts-dejavu-core"} <= set(apt.split())
    assert "BROWSER_PATH=/usr/bin/chromium" in given(CONTAINERFILE, "ENV")[0].split()


def test_the_proxy_takes_uploads_as_large_as_the_app_does():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    limit = re.search(r"client_max_body_size (\d+)m;", NGINX_CONF.read_text()).group(1)
    assert int(limit) == config["server"]["maxUploadSize"] == 400


# ---- two processes behind the proxy ---------------------------------------------------------------


def nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None)
    if not found:
        skip_or_fail("PCC_REQUIRE_NGINX", "nginx is not installed (apt-get install nginx-light)")
    return found


def proxy_config(folder: Path, port: int, backends: list[str]) -> Path:
    """``deploy/nginx.conf`` listening on ``port`` in front of ``backends`` (host:port), its files in ``folder``."""
    text = NGINX_CONF.read_text().replace("/tmp/pcc-nginx", str(folder))
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    lines = [f"        server {backend} max_fails=1 fail_timeout=10s;" for backend in backends]
    text, replaced = re.subn(
        r"(?m)^        server app-\d:8501 .*\n(?:        server app-\d:8501 .*\n)*", "\n".join(lines) + "\n", text
    )
    assert replaced == 1
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


@contextlib.contextmanager
def proxied(folder: Path, backends: list[str]) -> Iterator[tuple[str, Path]]:
    """nginx with the deployment's configuration in front of ``backends``; yield its address and its output's file."""
    executable = nginx()
    port = free_port()
    config = proxy_config(folder, port, backends)
    checked = subprocess.run([executable, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    log = folder / "nginx.out"
    with log.open("wb") as output:
        proxy = subprocess.Popen(
            [executable, "-p", str(folder), "-c", str(config), "-g", "daemon off;"], stdout=output, stderr=output
        )
        address = f"http://127.0.0.1:{port}"
        try:
            for _ in range(80):
                try:
                    with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.25)
            else:
                raise RuntimeError(f"nginx did not answer:\n{log.read_text()}")
            yield address, log
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)


ROUTED = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) .* route=(?P<route>\S+) upstream=(?P<up>\S+)'
)


def routed(log: Path) -> list[dict[str, str]]:
    """The proxy's access log lines (written to its standard output) as dicts."""
    return [m.groupdict() for m in map(ROUTED.search, log.read_text().splitlines()) if m]


def route_to(address: str, log: Path, backend: str) -> str:
    """A pcc_route cookie value the proxy sends to ``backend``."""
    for n in range(200):
        value = f"route-{n}"
        request = urllib.request.Request(f"{address}/", headers={"Cookie": f"pcc_route={value}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert f"pcc_route={value};" in response.headers["Set-Cookie"]
        time.sleep(0.05)
        if [line["up"] for line in routed(log) if line["route"] == value] == [backend]:
            return value
    raise AssertionError(f"no route to {backend}")


def wait_for_lines(log: Path, route: str, wanted: tuple[str, str, str]) -> list[dict[str, str]]:
    """The proxy's lines for ``route`` once one of them is the request ``wanted`` (method, path, status)."""
    for _ in range(100):
        lines = [line for line in routed(log) if line["route"] == route]
        if wanted in {(line["method"], line["path"], line["status"]) for line in lines}:
            return lines
        time.sleep(0.1)
    raise AssertionError(f"the proxy logged no {wanted} for {route}: {lines}")


@pytest.fixture
def postgres_url():
    yield from _postgres_database()


@pytest.mark.postgres
@pytest.mark.browser
@pytest.mark.slow
def test_two_app_processes_on_one_postgresql_database_serve_sticky_sessions_behind_the_proxy(
    postgres_url, settings, tmp_path
):
    from playwright.sync_api import expect  # only after chromium_page has skipped where it is missing

    nginx()
    engine = database.make_engine(postgres_url)
    ingest.load_files([write_table(tmp_path, TINY_FILE, TINY_ROWS)], engine, settings)  # migrated once, before
    engine.dispose()
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    app = ROOT / "dashboard" / "app.py"
    with (
        serving(app, postgres_url, tmp_path / "one" / "app.log") as one,
        serving(app, postgres_url, tmp_path / "two" / "app.log") as two,
    ):
        backends = [one.address.removeprefix("http://"), two.address.removeprefix("http://")]
        with proxied(tmp_path, backends) as (address, log), chromium_page() as page:
            browser = page.context.browser
            contexts = {}
            for backend in backends:
                value = route_to(address, log, backend)
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                context.add_cookies([{"name": "pcc_route", "value": value, "url": address}])
                contexts[value] = (backend, context)
            # A browser with no cookie yet is given one by its first answer and kept on that process.
            fresh = browser.new_context(viewport={"width": 1366, "height": 768})
            for value, (backend, context) in [*contexts.items(), (None, (None, fresh))]:
                tab = context.new_page()
                sockets = []
                tab.on("websocket", lambda socket, sockets=sockets: sockets.append(socket.url))
                tab.goto(address)
                expect(tab.get_by_role("heading", name="Overview", level=1)).to_be_visible(timeout=WAIT)
                expect(tab.locator("[data-testid=stApp][data-test-script-state=notRunning]")).to_have_count(
                    1, timeout=WAIT
                )
                assert tab.locator("[data-testid=stException]").count() == 0
                assert sockets == [f"{address.replace('http', 'ws')}/_stcore/stream"]
                if value is None:
                    value = next(c["value"] for c in context.cookies() if c["name"] == "pcc_route")
                    backend = next(line["up"] for line in routed(log) if line["route"] == value)
                tab.close()  # the proxy logs a websocket when it closes
                lines = wait_for_lines(log, value, ("GET", "/_stcore/stream", "101"))
                # Every request of the page, the page itself, its scripts and its websocket, went to one process.
                assert {line["up"] for line in lines} == {backend}
            assert {backend for backend, _ in contexts.values()} == set(backends)
    # Each process logged its own start to its output, as the container's log collector reads it.
    for folder in ("one", "two"):
        assert "You can now view your Streamlit app" in (tmp_path / folder / "app.log").read_text()
