"""The Outcomes and Prosecutions and orders pages on the demo database and on an empty one.

Filter changes are checked on the figures the browser receives: each Plotly chart's JSON spec.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from conftest import ROOT, headline_cards
from streamlit.testing.v1 import AppTest

APP = ROOT / "dashboard" / "app.py"
OUTCOMES = "app_pages/outcomes.py"
PROSECUTIONS = "app_pages/prosecutions.py"

pytestmark = pytest.mark.slow


CHARGE = "Charge or summons rate"
COURTS, ORDERS = "Prosecutions and convictions", "Stalking Protection Orders"


def open_page(monkeypatch, url: str, page: str, view: str | None = None) -> AppTest:
    """``page`` opened as a link would open it; ``view`` names the section (tab) the address opens."""
    tab_key = {OUTCOMES: "outcomes", PROSECUTIONS: "orders"}[page]
    monkeypatch.setenv("PCC_DATABASE_URL", url)
    app = AppTest.from_file(APP, default_timeout=60).run()
    if view:
        app.query_params[tab_key] = view
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def specs(app: AppTest) -> dict[str, dict]:
    """Each Plotly chart on the page as the browser receives it, by its title."""
    charts = [json.loads(element.proto.spec) for element in app.get("plotly_chart")]
    return {chart["layout"]["meta"]["title"]: chart for chart in charts}


def spec_starting(app: AppTest, title: str) -> dict:
    (chart,) = [spec for name, spec in specs(app).items() if name.startswith(title)]
    return chart


def y_values(spec: dict, name: str | None = None) -> list[float]:
    """A trace's y values; Plotly sends numeric arrays as base64 typed arrays ({"dtype", "bdata"})."""
    trace = spec["data"][0] if name is None else next(t for t in spec["data"] if t.get("name") == name)
    y = trace["y"]
    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"])).tolist()
    return list(y)


def test_the_outcomes_page_shows_every_chart_with_its_count(monkeypatch, dated_demo_url):
    app = open_page(monkeypatch, dated_demo_url, OUTCOMES)
    assert app.title[0].value == "Outcomes"
    sections = [tab.label for tab in app.tabs]
    assert sections == [
        "Outcome mix",
        CHARGE,
        "Victims who do not support action",
        "Not yet assigned an outcome",
    ]
    # Only the open section runs: each tab's charts, as a link naming it opens them.
    titles = {}
    for section in sections:
        opened = open_page(monkeypatch, dated_demo_url, OUTCOMES, view=section)
        titles[section] = list(specs(opened))
        for spec in specs(opened).values():
            assert "Counting outcomes " in spec["layout"]["meta"]["subtitle"]  # which of the two counts
    assert titles == {
        "Outcome mix": ["What happened to recorded offences: Devon and Cornwall"],
        CHARGE: [
            "Charge or summons rate: Devon and Cornwall",
            "Charge rate: Devon and Cornwall against its peer forces and England and Wales",
        ],
        "Victims who do not support action": [
            "Victim does not support action: Devon and Cornwall against its peer forces and England and Wales"
        ],
        "Not yet assigned an outcome": ["Offences not yet assigned an outcome: Devon and Cornwall"],
    }
    assert [title for title, _, _ in headline_cards(app)] == [
        "Charge rate",
        "Victim does not support",
        "Outcomes assigned",
        "Awaiting an outcome",
    ]
    assert any("**Counting outcomes assigned in the quarter.**" in m.value for m in app.markdown)
    assert not app.info


def test_switching_the_outcome_count_changes_the_figures(monkeypatch, dated_demo_url):
    app = open_page(monkeypatch, dated_demo_url, OUTCOMES, view=CHARGE)
    before = spec_starting(app, "Charge or summons rate")
    app.radio(key="filter_outcome_count").set_value("for_offences").run()
    assert not app.exception
    after = spec_starting(app, "Charge or summons rate")
    assert y_values(before) != y_values(after)
    assert "Counting outcomes of offences recorded in the quarter" in after["layout"]["meta"]["subtitle"]
    assert headline_cards(app)[0][1] != "" and any(
        "**Counting outcomes of offences recorded in the quarter.**" in m.value for m in app.markdown
    )


def test_changing_the_force_changes_the_figures(monkeypatch, dated_demo_url):
    app = open_page(monkeypatch, dated_demo_url, OUTCOMES, view=CHARGE)
    home = spec_starting(app, "Charge or summons rate")
    app.selectbox(key="filter_force").set_value("Dorset").run()
    assert not app.exception
    dorset = spec_starting(app, "Charge or summons rate: Dorset")
    assert y_values(home) != y_values(dorset)
    app = open_page(monkeypatch, dated_demo_url, OUTCOMES, view="Not yet assigned an outcome")
    app.selectbox(key="filter_force").set_value("Dorset").run()
    backlog = spec_starting(app, "Offences not yet assigned an outcome: Dorset")
    assert backlog["data"][0]["type"] == "bar"


def test_choosing_a_category_changes_the_figures(monkeypatch, dated_demo_url):
    app = open_page(monkeypatch, dated_demo_url, OUTCOMES, view=CHARGE)
    total = spec_starting(app, "Charge or summons rate")
    app.multiselect(key="filter_categories").set_value(["Stalking"]).run()
    stalking = spec_starting(app, "Charge or summons rate")
    assert y_values(total) != y_values(stalking)
    assert stalking["layout"]["meta"]["subtitle"].startswith("Stalking.")


def test_the_prosecutions_page_shows_the_force_and_its_cps_area(monkeypatch, dated_demo_url):
    app = open_page(monkeypatch, dated_demo_url, PROSECUTIONS)
    assert app.title[0].value == "Prosecutions and orders"
    assert [tab.label for tab in app.tabs] == [COURTS, ORDERS]
    assert list(specs(app)) == [
        "Conviction rate: Devon and Cornwall and its CPS Area",
        "Prosecutions and convictions: Devon and Cornwall",
        "Prosecutions and convictions: CPS South West (CPS Area)",
    ]
    rate = spec_starting(app, "Conviction rate")
    # A long legend entry is wrapped on the page (a phone's width).
    names = [t["name"].replace("<br>", " ") for t in rate["data"]]
    assert names == ["Devon and Cornwall (force)", "CPS South West (CPS Area, 3 forces)"]
    orders = open_page(monkeypatch, dated_demo_url, PROSECUTIONS, view=ORDERS)
    assert list(specs(orders)) == [
        "Stalking Protection Orders: Devon and Cornwall",
        "Stalking Protection Orders: CPS South West (CPS Area)",
    ]
    spo = spec_starting(orders, "Stalking Protection Orders: Devon and Cornwall")
    assert "orders available from 20 January 2020" in spo["layout"]["meta"]["subtitle"]
    assert min(spo["data"][0]["x"]) >= "2020-01-01"
    assert headline_cards(app)[:3] == [
        ("Prosecutions completed", "803", "-5%"),
        ("Convictions", "634", "-4%"),  # 634 of 803: 79.0%
        ("Conviction rate", "79.0%", "+1.0 percentage point (better)"),  # a higher rate is better: said in words
    ]
    assert any("covers Avon and Somerset, Devon and Cornwall and Gloucestershire" in m.value for m in app.markdown)


def test_a_force_without_its_own_return_shows_its_cps_area(monkeypatch, dated_demo_url):
    app = open_page(monkeypatch, dated_demo_url, PROSECUTIONS)
    home_rate = y_values(spec_starting(app, "Conviction rate"))
    app.selectbox(key="filter_force").set_value("Avon and Somerset").run()
    assert not app.exception
    assert list(specs(app)) == [
        "Conviction rate: Avon and Somerset and its CPS Area",
        "Prosecutions and convictions: CPS South West (CPS Area)",
    ]
    assert y_values(spec_starting(app, "Conviction rate")) != home_rate
    assert any("No return figures are loaded for Avon and Somerset" in i.value for i in app.info)
    assert any("these are CPS South West's" in c.value for c in app.caption)


@pytest.mark.parametrize("page", [OUTCOMES, PROSECUTIONS])
def test_an_empty_database_gives_an_empty_state_not_an_empty_chart(monkeypatch, sqlite_url, page):
    app = open_page(monkeypatch, sqlite_url, page)
    assert app.title
    assert not app.get("plotly_chart")
    assert "Data page" in app.info[0].value


def test_a_small_force_is_told_why_a_rate_is_missing(monkeypatch, dated_demo_url):
    app = open_page(monkeypatch, dated_demo_url, OUTCOMES)
    app.selectbox(key="filter_force").set_value("London, City of").run()
    app.multiselect(key="filter_categories").set_value(["Stalking"]).run()
    assert not app.exception
    assert any("Too few outcomes for London, City of in each quarter" in i.value for i in app.info)
    backlog = open_page(monkeypatch, dated_demo_url, OUTCOMES, view="Not yet assigned an outcome")
    backlog.selectbox(key="filter_force").set_value("London, City of").run()
    backlog.multiselect(key="filter_categories").set_value(["Stalking"]).run()
    assert "Offences not yet assigned an outcome: London, City of" in specs(backlog)  # counts need no minimum
