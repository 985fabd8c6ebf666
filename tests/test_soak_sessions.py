"""The soak benchmark's browserless sessions (``benchmarks/sessions.py``) see what a person would see go wrong: a page
that raises, an error shown, a page not found, and follow a script's own rerun to its finish."""

from __future__ import annotations

import asyncio
import sys

from conftest import ROOT
from served import free_port, serving

sys.path.insert(0, str(ROOT))  # the benchmarks are scripts beside the package, not part of it

from streamlit.proto.Alert_pb2 import Alert  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks import sessions  # noqa: E402


def element_message(kind: str) -> ForwardMsg:
    message = ForwardMsg()
    element = message.delta.new_element
    if kind == "exception":
        element.exception.type = "KeyError"
        element.exception.message = "'force'"
    elif kind == "warning":
        element.exception.type = "DeprecationWarning"
        element.exception.message = "old"
        element.exception.is_warning = True
    elif kind == "error":
        element.alert.body = "The tables could not be read."
        element.alert.format = Alert.ERROR
    elif kind == "info":
        element.alert.body = "Demo data"
        element.alert.format = Alert.INFO
    else:
        element.markdown.body = "Words"
    return message


def test_problems_in_each_kind_of_message():
    assert sessions.problems_in(element_message("exception")) == ["exception on the page: KeyError: 'force'"]
    assert sessions.problems_in(element_message("warning")) == ["warning on the page: DeprecationWarning: old"]
    assert sessions.problems_in(element_message("error")) == ["error on the page: The tables could not be read."]
    assert sessions.problems_in(element_message("info")) == []
    assert sessions.problems_in(element_message("markdown")) == []
    missing = ForwardMsg()
    missing.page_not_found.page_name = "nowhere"
    assert sessions.problems_in(missing) == ["page not found: 'nowhere'"]
    finished = ForwardMsg()
    finished.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    assert sessions.problems_in(finished) == []


def test_rerun_message_names_the_page_by_its_address():
    from streamlit.proto.BackMsg_pb2 import BackMsg

    back = BackMsg()
    back.ParseFromString(sessions.rerun_message("recorded-crime", "force=Kent", "http://h/recorded-crime?force=Kent"))
    assert back.WhichOneof("type") == "rerun_script"
    assert (back.rerun_script.page_name, back.rerun_script.page_script_hash) == ("recorded-crime", "")
    assert back.rerun_script.query_string == "force=Kent"


def test_a_closed_port_is_a_failed_load():
    run = asyncio.run(sessions.open_page(f"http://127.0.0.1:{free_port()}", "", timeout=5))
    assert not run.ok
    assert len(run.problems) == 1 and run.problems[0].startswith("URLError")
    assert run.messages == 0


def test_the_client_finds_each_problem_of_a_served_app(tmp_path):
    script = tmp_path / "check_app.py"
    script.write_text(sessions.CHECK_APP)
    with serving(script, "sqlite://", tmp_path / "check.log") as server:
        assert asyncio.run(sessions.check(server.address)) == []
        boom = asyncio.run(sessions.open_page(server.address, "boom"))
    assert len(boom.problems) == 1 and boom.problems[0].startswith("exception on the page: ValueError: ")
    assert boom.runs == 1 and boom.elements == 2 and boom.stream_ms <= boom.ms
    assert (tmp_path / "check.log").read_text().count('raise ValueError("a page that raises")') == 2


def test_the_soak_benchmark_visits_every_page_of_the_app():
    import re

    from benchmarks import soak

    navigation = (soak.PROJECT / "dashboard" / "navigation.py").read_text(encoding="utf-8")
    addresses = set(re.findall(r'url_path="([a-z-]+)"', navigation))
    assert len(addresses) == 11
    assert {page or "overview" for page in soak.PAGES} == addresses  # "" opens the default page, the Overview
