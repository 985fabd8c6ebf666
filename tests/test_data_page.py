"""The Data page: what is loaded, with exact figures; uploads that load; uploads refused with every problem listed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from browser import BROKEN_FILE, BROKEN_ROWS, TINY_FILE, TINY_ROWS, home_office_csv, write_table
from conftest import ROOT
from stored import contents
from streamlit.testing.v1 import AppTest

from dashboard import actions
from dashboard.ui import data_status
from dashboard.ui.components import escape_frame, escape_markdown
from data_loaders import ingest, kinds, schema
from data_loaders.refusals import LoadRefused
from data_loaders.status import KindStatus

APP = ROOT / "dashboard" / "app.py"
D = dt.date


@pytest.fixture
def data_page(monkeypatch, sqlite_url):
    """The app on an empty SQLite database, opened at the Data page."""
    monkeypatch.setenv("PCC_DATABASE_URL", sqlite_url)

    def open_page() -> AppTest:
        app = AppTest.from_file(APP, default_timeout=30).run()
        app.switch_page("app_pages/data.py").run()
        assert not app.exception, [e.value for e in app.exception]
        return app

    return open_page


def table_with(app: AppTest, column: str):
    """The first table on the page that has ``column``, as a DataFrame."""
    for table in app.table:
        if column in table.value.columns:
            return table.value
    raise AssertionError(f"no table with a {column!r} column; tables: {[list(t.value.columns) for t in app.table]}")


def open_details(app: AppTest, tab: str) -> AppTest:
    """The Data page with the details tab ``tab`` open, as a click on it would leave it."""
    app.session_state["details"] = tab
    return app.run()


class Upload:
    """What st.file_uploader hands over: a name and the bytes."""

    def __init__(self, name: str, data: bytes):
        self.name = name
        self._data = data

    def getvalue(self) -> bytes:
        return self._data


def test_an_empty_database_shows_how_to_load_data(data_page):
    app = data_page()
    assert [t.value for t in app.title] == ["Data"]
    assert [h.value for h in app.header] == ["What is loaded", "Load files", "Load inspection recommendations"]
    assert "Nothing is loaded yet" in app.info[0].value
    assert "pcc-dashboard demo" in app.info[0].value
    assert app.file_uploader(key="upload_files").accept_multiple_files
    assert set(app.file_uploader(key="upload_files").allowed_type) == {".csv", ".xlsx", ".xls", ".ods"}
    assert not [t for t in app.table if "Kind of file" in t.value.columns]  # set out when opened
    app.session_state["accepted_kinds"] = True
    accepted = table_with(app.run(), "Kind of file")
    assert len(accepted) == len(kinds.KINDS)
    assert any(kind.startswith("Home Office police recorded crime table") for kind in accepted["Kind of file"])


def test_a_loaded_file_is_described_with_exact_figures(data_page, sqlite_engine, settings, tmp_path):
    ingest.load_files([write_table(tmp_path, TINY_FILE, TINY_ROWS)], sqlite_engine, settings)
    app = data_page()

    summary = table_with(app, "Forces or areas")
    assert summary.to_dict("records") == [
        {
            "Data": "Recorded crime, quarterly (Home Office)",
            "Rows": "4",
            "Forces or areas": "2 forces",
            "First period": "2022/23 Q1",
            "Latest period": "2022/23 Q2",
            "Latest period ended": summary.loc[0, "Latest period ended"],
            "Last loaded": summary.loc[0, "Last loaded"],
            "Freshness": summary.loc[0, "Freshness"],
            "Demo or real": "Real",
        }
    ]
    assert summary.loc[0, "Latest period ended"].startswith("30 Sep 2022 (")
    assert summary.loc[0, "Last loaded"].endswith("(today)")

    assert [tab.label for tab in app.tabs] == [
        "Files loaded",
        "Where each period came from",
        "Events drawn on the charts",
    ]
    files = table_with(app, "Rows in force")  # the first tab: the files behind every figure
    periods = table_with(open_details(app, "Where each period came from"), "Periods")
    assert periods.to_dict("records") == [
        {"Periods": "2022/23 Q1 to 2022/23 Q2", "File": TINY_FILE, "Edition": "19 October 2023"}
    ]
    assert files[["File", "Kind", "Edition", "Periods", "Rows in force", "Demo or real"]].to_dict("records") == [
        {
            "File": TINY_FILE,
            "Kind": "recorded-crime",
            "Edition": "19 Oct 2023",
            "Periods": "2022/23 Q1 to 2022/23 Q2",
            "Rows in force": "4 of 4",
            "Demo or real": "Real",
        }
    ]
    assert not app.info, "the empty state shows although data is loaded"


def test_a_valid_upload_loads_and_the_page_shows_it(data_page, sqlite_engine):
    app = data_page()
    app.file_uploader(key="upload_files").set_value((TINY_FILE, home_office_csv(TINY_ROWS), "text/csv"))
    app.run()
    app.button(key="load_button").click().run()
    assert not app.exception, [e.value for e in app.exception]

    assert len(app.success) == 1
    assert f"{TINY_FILE}: loaded 4 rows as recorded-crime; edition 19 October 2023" in app.success[0].value
    assert not app.error
    assert table_with(open_details(app, "Where each period came from"), "Periods")["File"].tolist() == [TINY_FILE]
    with sqlite_engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.sum(schema.recorded_crime.c.count))).scalar_one() == 996
        assert connection.execute(sa.select(schema.sources.c.file_name)).scalars().all() == [TINY_FILE]


def test_loading_the_same_upload_again_changes_nothing(data_page, sqlite_engine):
    app = data_page()
    app.file_uploader(key="upload_files").set_value((TINY_FILE, home_office_csv(TINY_ROWS), "text/csv"))
    app.run()
    app.button(key="load_button").click().run()
    before = contents(sqlite_engine)
    app.button(key="load_button").click().run()
    assert "already loaded" in app.success[0].value
    assert contents(sqlite_engine) == before


def test_an_invalid_upload_lists_every_problem_and_writes_nothing(data_page, sqlite_engine, settings, tmp_path):
    ingest.load_files([write_table(tmp_path, TINY_FILE, TINY_ROWS)], sqlite_engine, settings)
    before = contents(sqlite_engine)
    app = data_page()
    uploader = app.file_uploader(key="upload_files")
    uploader.set_value(
        [
            (TINY_FILE.replace("tiny", "good"), home_office_csv(TINY_ROWS[:1]), "text/csv"),
            (BROKEN_FILE, home_office_csv(BROKEN_ROWS), "text/csv"),
        ]
    )
    app.run()
    app.button(key="load_button").click().run()
    assert not app.exception, [e.value for e in app.exception]

    assert not app.success
    assert len(app.error) == 1
    assert app.error[0].value.startswith("Refused: 3 problems; nothing was written.")
    problems = table_with(app, "Expected")
    assert list(problems.columns) == ["File", "Sheet", "Row", "Column", "Found", "Expected"]
    assert problems[["File", "Row", "Column", "Found"]].to_dict("records") == [
        {"File": BROKEN_FILE, "Row": "2", "Column": "Financial Year", "Found": "2022/2x"},
        {"File": BROKEN_FILE, "Row": "3", "Column": "Financial Quarter", "Found": "5"},
        {"File": BROKEN_FILE, "Row": "4", "Column": "Number of Offences", "Found": "many"},
    ]
    assert all(problems["Expected"].str.startswith("expected"))
    assert contents(sqlite_engine) == before


def test_a_long_list_of_problems_is_shown_whole_in_a_scrolling_table(data_page):
    rows = [("2022/23", "1", "Dorset", "Other", f"X{i}", f"n{i}") for i in range(250)]
    app = data_page()
    app.file_uploader(key="upload_files").set_value((BROKEN_FILE, home_office_csv(rows), "text/csv"))
    app.run()
    app.button(key="load_button").click().run()
    assert app.error[0].value.startswith("Refused: 250 problems; nothing was written.")
    shown = app.dataframe[0].value
    assert len(shown) == 250 and shown["Found"].tolist()[-1] == "n249"


def test_the_outcome_is_forgotten_when_other_files_are_chosen(data_page):
    app = data_page()
    app.file_uploader(key="upload_files").set_value((BROKEN_FILE, home_office_csv(BROKEN_ROWS), "text/csv"))
    app.run()
    app.button(key="load_button").click().run()
    assert app.error
    app.file_uploader(key="upload_files").set_value((TINY_FILE, home_office_csv(TINY_ROWS), "text/csv"))
    app.run()
    assert not app.error


def test_load_files_without_choosing_any_says_so(data_page):
    app = data_page()
    app.button(key="load_button").click().run()
    assert "Choose one or more files" in app.warning[0].value


def test_load_uploaded_keeps_each_original_name_for_the_edition_date(sqlite_engine, monkeypatch, sqlite_url):
    monkeypatch.setenv("PCC_DATABASE_URL", sqlite_url)
    steps = []
    results = actions.load_uploaded(
        [Upload(f"some/folder/{TINY_FILE}", home_office_csv(TINY_ROWS))],
        progress=lambda fraction, message: steps.append(fraction),
    )
    assert [(r.file_name, r.edition_date, r.rows_stored) for r in results] == [(TINY_FILE, D(2023, 10, 19), 4)]
    assert steps[-1] == 1.0 and steps == sorted(steps)


def test_load_uploaded_refuses_with_every_problem(sqlite_engine, monkeypatch, sqlite_url):
    monkeypatch.setenv("PCC_DATABASE_URL", sqlite_url)
    before = contents(sqlite_engine)
    with pytest.raises(LoadRefused) as refused:
        actions.load_uploaded([Upload(BROKEN_FILE, home_office_csv(BROKEN_ROWS))])
    assert len(refused.value.problems) == 3
    assert contents(sqlite_engine) == before


def test_text_from_files_is_shown_as_written_not_as_markdown():
    assert escape_markdown("*x* $5 :material/home: 20:15 a_b") == r"\*x\* \$5 \:material/home: 20:15 a\_b"


def test_a_table_escapes_its_text_cells_as_a_sentence_is_escaped_and_leaves_other_cells_alone():
    frame = pd.DataFrame(
        {
            "File": ["*x* $5.csv", "a_b [1] | #2 <b>", "plain"],
            "Rows": [1, 2, 3],
            "Mixed": ["20:15 :material/home:", None, 4.5],
        }
    )
    shown = escape_frame(frame)
    for column in ("File", "Mixed"):
        expected = [escape_markdown(v) if isinstance(v, str) else v for v in frame[column]]
        assert shown[column].tolist()[:1] == expected[:1] and shown[column].tolist()[2:] == expected[2:]
    assert shown["File"].tolist() == [r"\*x\* \$5.csv", r"a\_b \[1\] \| \#2 \<b\>", "plain"]
    assert shown["Mixed"].iloc[0] == r"20:15 \:material/home:" and pd.isna(shown["Mixed"].iloc[1])
    assert shown["Rows"].tolist() == [1, 2, 3]
    assert frame["File"].iloc[0] == "*x* $5.csv"  # the caller's frame is not changed


# ---- freshness and where each period came from (pure) ---------------------------------------------


def kind(label: str, last: str, periods: list[dict] | None = None) -> KindStatus:
    return KindStatus(label, 1, 1, last, last, False, periods or [])


@pytest.mark.parametrize(
    ("label", "last", "today", "stale"),
    [
        ("recorded-crime (quarterly, Home Office)", "2023/24 Q1", D(2024, 1, 30), False),  # ended 30 Jun 2023
        ("recorded-crime (quarterly, Home Office)", "2023/24 Q1", D(2024, 1, 31), True),
        ("recorded-crime (monthly, local extract)", "2024-04", D(2024, 6, 30), False),
        ("recorded-crime (monthly, local extract)", "2024-04", D(2024, 7, 1), True),
        ("population", "mid-2018", D(2020, 6, 30), False),
        ("population", "mid-2018", D(2020, 7, 1), True),
        ("local events", "2024", D(2030, 1, 1), None),
    ],
)
def test_freshness_follows_the_stated_rule(label, last, today, stale):
    assert data_status.is_stale(kind(label, last), today) is stale


def test_consecutive_periods_from_one_file_make_one_range():
    def period(label, file, edition):
        return {"period": label, "rows": 1, "files": [file], "edition_date": edition, "is_demo": False}

    periods = [
        period("2022/23 Q1", "a-190723.csv", D(2023, 7, 19)),
        period("2022/23 Q2", "a-190723.csv", D(2023, 7, 19)),
        period("2022/23 Q3", "b-191023.csv", D(2023, 10, 19)),
        period("2022/23 Q4", "a-190723.csv", D(2023, 7, 19)),
        period("2023/24 Q1", "local.csv", None),
    ]
    frame = data_status.period_sources_frame(kind("recorded-crime (quarterly, Home Office)", "2023/24 Q1", periods))
    assert frame.to_dict("records") == [
        {"Periods": "2022/23 Q1 to 2022/23 Q2", "File": "a-190723.csv", "Edition": "19 July 2023"},
        {"Periods": "2022/23 Q3", "File": "b-191023.csv", "Edition": "19 October 2023"},
        {"Periods": "2022/23 Q4", "File": "a-190723.csv", "Edition": "19 July 2023"},
        {"Periods": "2023/24 Q1", "File": "local.csv", "Edition": "Not dated"},
    ]


def test_the_events_drawn_on_the_charts_are_listed(data_page, sqlite_engine, settings, tmp_path):
    events = tmp_path / "local-events.csv"
    events.write_text(
        "Date,Label,Kind,Detail\n2019-02-04,Multi-agency stalking clinic pilot launched,Local initiative,Weekly reviews\n",
        encoding="utf-8",
    )
    ingest.load_files([events], sqlite_engine, settings)
    app = open_details(data_page(), "Events drawn on the charts")
    assert "Events drawn on the charts" in [h.value for h in app.header]
    listed = table_with(app, "Event")
    assert listed.columns.tolist() == ["Date", "Event", "Kind", "From", "Detail"]
    assert len(listed) == len(settings.series_breaks) + 1
    clinic = listed[listed["Event"] == "Multi-agency stalking clinic pilot launched"].iloc[0].tolist()
    assert clinic == [
        "4 Feb 2019",
        "Multi-agency stalking clinic pilot launched",
        "Local initiative",
        "local event",
        "Weekly reviews",
    ]
    first_break = listed.iloc[0].tolist()
    assert first_break[:4] == ["25 Nov 2012", "Stalking offences in force", "Series break", "series break"]


def test_the_help_texts_are_read_once_per_process_not_on_every_run():
    text = data_status.help_text("data_loading.md")
    assert text == (ROOT / "dashboard" / "content" / "data_loading.md").read_text(encoding="utf-8")
    assert data_status.help_text("data_loading.md") is text
