"""The Overview and Recorded crime pages on the demo database and on an empty one.

Filter changes are checked on the figures the browser receives (each Plotly chart's JSON spec),
not on the absence of errors.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from conftest import ROOT, headline_cards
from streamlit.testing.v1 import AppTest

APP = ROOT / "dashboard" / "app.py"
OVERVIEW = "app_pages/overview.py"
RECORDED = "app_pages/recorded_crime.py"

pytestmark = pytest.mark.slow


def open_app(monkeypatch, url: str, page: str | None = None, **params: str) -> AppTest:
    monkeypatch.setenv("PCC_DATABASE_URL", url)
    app = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def specs(app: AppTest) -> list[dict]:
    """Each Plotly chart on the page as the browser receives it, in page order."""
    return [json.loads(element.proto.spec) for element in app.get("plotly_chart")]


def titles(app: AppTest) -> list[str]:
    """Chart titles as read (a long one is drawn over two lines)."""
    return [spec["layout"]["meta"]["title"].replace("<br>", " ") for spec in specs(app)]


def decoded(values) -> list:
    """Plotly sends numeric arrays as base64 typed arrays ({"dtype", "bdata"})."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return list(values)


def first_trace(spec: dict) -> tuple[list, list]:
    trace = spec["data"][0]
    return decoded(trace["x"]), decoded(trace["y"])


def messages(app: AppTest) -> list[str]:
    (block,) = [m.value for m in app.markdown if m.value.startswith("- ")]
    return [line.removeprefix("- ").replace("\\", "") for line in block.splitlines()]


# ---- Overview ----------------------------------------------------------------------------------


def test_the_overview_is_the_default_page_with_messages_cards_and_charts(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url)
    assert app.title[0].value == "Overview"
    assert messages(app) == [
        "Recorded stalking and harassment rose 4% to 14,987 in the year ending October 2025 (from 14,428).",
        "Recorded stalking and harassment offences are within their usual range: the last 8 quarters went up and "
        "down only as much as chance would. An early judgement: only 8 quarters so far. Judged from July 2023, when "
        "the counting rules last changed.",
        "In the year ending June 2025, Devon and Cornwall recorded 8.3 offences per 1,000 people, below the England "
        "and Wales rate of 9.8. All 6 of its peer forces recorded a higher rate than Devon and Cornwall. "
        "Rates use ONS's mid-2024 population estimate, as ONS does.",
        "Charges or summonses were 6.3% of outcomes in the year ending June 2025 (outcomes assigned in the quarter), "
        "down from 7.3% the year before.",
        "92 Stalking Protection Orders were granted in the year ending September 2025 (45 full, 47 interim), up "
        "from 57 the year before.",
    ]
    labels = [title for title, _, _ in headline_cards(app)]
    assert labels == [
        "Stalking and harassment (total)",
        "Charge or summons rate",
        "Stalking Protection Orders granted",
        "Stalking",
        "Harassment",
        "Malicious communications",
        "Controlling or coercive behaviour",
    ]
    assert headline_cards(app)[:3] == [
        ("Stalking and harassment (total)", "14,987", "+4% (+559)"),
        ("Charge or summons rate", "6.3%", "-1.0 percentage point (worse)"),  # a fall in the charge rate is worse
        ("Stalking Protection Orders granted", "92", "+61% (+35)"),
    ]
    assert [tab.label for tab in app.tabs] == ["Is it changing, or is it noise?", "How does it compare?"]
    assert titles(app) == ["Recorded stalking and harassment in Devon and Cornwall, monthly"]  # the open tab's
    compared = open_app(monkeypatch, dated_demo_url, question="How does it compare?")
    assert titles(compared) == ["Recorded stalking and harassment per 1,000 people, year ending June 2025"]
    link = next(link for link in compared.get("page_link") if link.proto.label.startswith("More on recorded crime"))
    assert "question" not in link.proto.query_string  # the filters go on to Recorded crime, this page's tab does not


def test_the_figures_behind_a_chart_are_built_when_asked_for(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url)
    assert [e.label for e in app.expander] == ["What does this mean?", "Data behind this chart"]
    assert not app.dataframe  # closed: no table sent
    app.session_state["overview_spc_data"] = True
    app.run()
    (table,) = app.dataframe
    _, y = first_trace(specs(app)[0])
    assert table.value["Offences recorded"].tolist() == y  # exactly the figures drawn
    assert table.value.columns.tolist() == [
        "Month starting", "Offences recorded", "Mean", "Lower process limit", "Upper process limit", "Signal"
    ]  # fmt: skip


def test_changing_the_force_changes_the_overview(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url)
    _, before = first_trace(specs(app)[0])
    app.selectbox(key="filter_force").set_value("Kent").run()
    assert not app.exception
    assert titles(app)[0] == "Recorded stalking and harassment in Kent, quarterly"  # Kent has no monthly extract
    _, after = first_trace(specs(app)[0])
    assert after != before
    assert messages(app)[0].startswith("Recorded stalking and harassment")
    assert "Kent recorded" in messages(app)[2]
    assert app.query_params["force"] == "Kent"


def test_a_copied_link_reopens_the_same_view(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url)
    app.selectbox(key="filter_force").set_value("Dorset").run()
    app.multiselect(key="filter_peers").set_value(["Kent", "Essex"]).run()
    link = dict(app.query_params.items())
    assert link == {"force": "Dorset", "peers": "Kent,Essex"}
    shown = specs(app)

    reopened = open_app(monkeypatch, dated_demo_url, **link)
    assert reopened.selectbox(key="filter_force").value == "Dorset"
    assert reopened.multiselect(key="filter_peers").value == ["Kent", "Essex"]
    assert specs(reopened) == shown
    assert messages(reopened) == messages(app)


def test_switching_pages_keeps_the_filters(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url)
    app.selectbox(key="filter_force").set_value("Dorset").run()
    app.switch_page(RECORDED).run()
    assert not app.exception
    assert app.selectbox(key="filter_force").value == "Dorset"
    assert titles(app)[0] == "Recorded stalking and harassment in Dorset, quarterly"


def test_the_filters_survive_a_visit_to_the_data_page(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url)
    app.selectbox(key="filter_force").set_value("Dorset").run()
    app.radio(key="filter_granularity").set_value("month").run()
    app.switch_page("app_pages/data.py").run()
    app.query_params.clear()  # a page without the filters leaves none in its address
    app.switch_page(OVERVIEW).run()
    assert app.selectbox(key="filter_force").value == "Dorset"
    assert app.radio(key="filter_granularity").value == "month"
    assert app.query_params["force"] == "Dorset"


# ---- Recorded crime ----------------------------------------------------------------------------


def test_the_recorded_crime_page_shows_the_trend_and_the_comparisons(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url, RECORDED)
    assert app.title[0].value == "Recorded crime"
    assert [tab.label for tab in app.tabs] == [
        "Trend",  # the sections, the first holding a tab for each category
        "Stalking and harassment (total)",
        "Stalking",
        "Harassment",
        "Malicious communications",
        "Controlling or coercive behaviour",
        "Year-ending totals",
        "Compared with other forces",
        "By offence code",
    ]
    # Only the open section runs, and in it only the open category's chart.
    assert titles(app) == ["Recorded stalking and harassment in Devon and Cornwall, quarterly"]
    assert not app.table
    seen = {}
    for section in ("Year-ending totals", "Compared with other forces", "By offence code"):
        app = open_app(monkeypatch, dated_demo_url, RECORDED, section=section)
        seen[section] = titles(app)
        # The source line is the page's text under each chart, not drawn in the figure.
        footers = [c.value for c in app.caption if c.value.startswith("Source: ")]
        assert len(footers) == len(specs(app)) and all("Data as at " in footer for footer in footers)
        assert not [a for spec in specs(app) for a in spec["layout"].get("annotations", []) if "Source:" in a["text"]]
    assert seen == {
        "Year-ending totals": ["Recorded offences in Devon and Cornwall: year ending each month"],
        "Compared with other forces": [
            "Recorded stalking and harassment per 1,000 people: Devon and Cornwall compared",
            "Recorded stalking and harassment per 1,000 people, year ending June 2025",
        ],
        "By offence code": ["Recorded offences in Devon and Cornwall by offence code"],
    }
    assert app.query_params["section"] == "By offence code"  # the address names the open section
    (table,) = app.table
    assert list(table.value.columns)[:3] == ["Code", "Offence", "Category"]
    assert table.value["Code"].tolist() == ["8Q", "8L", "8M", "8R", "8U"]


def test_each_category_has_its_tab_and_the_address_says_which_is_open(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url, RECORDED, spc="Controlling or coercive behaviour")
    assert titles(app)[0] == "Recorded controlling or coercive behaviour in Devon and Cornwall, quarterly"
    x, _ = first_trace(specs(app)[0])
    assert x[0].startswith("2020-04-01")  # the code joined the table in 2020/21: no zeros before it
    assert app.query_params["spc"] == "Controlling or coercive behaviour"


def test_categories_change_the_charts(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url, RECORDED)
    app.multiselect(key="filter_categories").set_value(["Stalking"]).run()
    assert not app.exception
    assert [tab.label for tab in app.tabs][1:3] == ["Stalking and harassment (total)", "Stalking"]
    assert len(app.tabs) == 6
    app = open_app(monkeypatch, dated_demo_url, RECORDED, section="Year-ending totals", cat="Stalking")
    year_ending = specs(app)[0]
    assert [trace["name"] for trace in year_ending["data"] if trace.get("mode") == "lines+markers"] == ["Stalking"]
    app = open_app(monkeypatch, dated_demo_url, RECORDED, section="Compared with other forces", cat="Stalking")
    assert titles(app)[0] == "Recorded stalking per 1,000 people: Devon and Cornwall compared"


def test_granularity_changes_the_x_axis(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url, RECORDED)
    quarters, _ = first_trace(specs(app)[0])
    app.radio(key="filter_granularity").set_value("month").run()
    assert titles(app)[0] == "Recorded stalking and harassment in Devon and Cornwall, monthly"
    months, _ = first_trace(specs(app)[0])
    assert len(quarters) == 45  # April 2014 to April 2025 (the quarter April to June 2025)
    assert len(months) == 91  # April 2018 to October 2025
    app.radio(key="filter_granularity").set_value("year_ending").run()
    # No SPC on rolling totals: the Trend section goes, and the page opens on the year-ending totals.
    assert [tab.label for tab in app.tabs] == ["Year-ending totals", "Compared with other forces", "By offence code"]
    assert titles(app) == ["Recorded offences in Devon and Cornwall: year ending each month"]
    assert any("Statistical process control charts need monthly or quarterly values" in i.value for i in app.info)


def test_the_measure_turns_year_ending_totals_into_rates(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url, RECORDED, section="Year-ending totals")
    _, counts = first_trace(specs(app)[0])
    app.radio(key="filter_measure").set_value("rate").run()
    _, rates = first_trace(specs(app)[0])
    assert len(rates) == len(counts)
    assert max(counts) > 10_000 and max(rates) < 10
    assert specs(app)[0]["layout"]["yaxis"]["title"]["text"] == "Rate per 1,000 population"


def test_the_period_limits_the_x_range(monkeypatch, dated_demo_url):
    app = open_app(monkeypatch, dated_demo_url, RECORDED, **{"from": "2020-04", "to": "2023-03"})
    x, _ = first_trace(specs(app)[0])
    assert x[0].startswith("2020-04-01") and x[-1].startswith("2023-01-01") and len(x) == 12


# ---- empty database ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", [OVERVIEW, RECORDED])
def test_an_empty_database_gives_an_empty_state_not_an_empty_chart(monkeypatch, sqlite_url, page):
    app = open_app(monkeypatch, sqlite_url, page)
    assert not app.get("plotly_chart")
    assert any("No recorded crime is loaded" in block.value for block in app.info)
