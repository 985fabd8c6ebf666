"""The Recommendations and Inspections pages: they open, filter exactly, export safely, and only editors record progress."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from conftest import ROOT, TEST_DATA
from stored import load_tracker
from streamlit.testing.v1 import AppTest

from dashboard.ui.components import escape_markdown
from dashboard.ui.sign_in import PASSWORD_SECRET, hash_password
from data_loaders import database, schema
from data_loaders.recommendations import store as recommendations

APP = ROOT / "dashboard" / "app.py"
RECOMMENDATIONS = "app_pages/recommendations.py"
INSPECTIONS = "app_pages/inspections.py"
PAGES = [RECOMMENDATIONS, INSPECTIONS]
PASSWORD = "correct horse battery staple"
REPORT = "The police response to stalking"
TODAY = dt.date.today()


def day_words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# Due dates relative to today, so that "overdue" and "due in the next 30/90 days" hold whenever the tests run.
TRACKER_ROWS = [
    # reference, recommendation, owner, status
    ("R1", f"By {day_words(TODAY + dt.timedelta(days=10))} forces should review stalking cases.", "Head of Crime", "being-progressed"),
    ("R2", f"By {day_words(TODAY + dt.timedelta(days=60))} forces should train call handlers.", "Head of Crime", "awaiting-review"),
    ("R3", f"By {day_words(TODAY - dt.timedelta(days=20))} forces should publish a plan.", "Force Lead", "being-progressed"),
    ("R4", f"By {day_words(TODAY - dt.timedelta(days=20))} forces should audit recording.", "Force Lead", "complete"),
    ("R5", f"By {day_words(TODAY + dt.timedelta(days=5))} forces should refer victims.", "Force Lead", "complete"),
    ("R6", "As soon as practicable forces should =HYPERLINK(\"https://evil.example\",\"x\").", "@SUM(1+1)", "awaiting-review"),
]  # fmt: skip


def tracker_csv() -> str:
    lines = ["Report,Reference,Recommendation,Owner,Status,Status Date,Comment"]
    for reference, text, owner, status in TRACKER_ROWS:
        quoted = text.replace('"', '""')
        lines.append(f'{REPORT},{reference},"{quoted}",{owner},{status},01/10/2024,Recorded at the review')
    return "\n".join(lines) + "\n"


@pytest.fixture
def loaded_url(sqlite_url, settings, tmp_path):
    """A SQLite database holding six recommendations of the 2024 report, due around today."""
    return load_tracker(sqlite_url, settings, tmp_path / "tracker.csv", tracker_csv())


LISTED = "The recommendations"  # the Recommendations page's tab with the table, the detail and the form


def open_page(
    monkeypatch,
    url: str,
    page: str,
    *,
    secrets: dict | None = None,
    user: dict | None = None,
    tab: str | None = LISTED,
) -> AppTest:
    """``page`` opened as a link would open it; on Recommendations, ``tab`` names the tab the address opens."""
    monkeypatch.setenv("PCC_DATABASE_URL", url)
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (secrets or {}).items():
        app.secrets[key] = value
    if user is not None:
        app.user = user
    app.run()
    if page == RECOMMENDATIONS and tab:
        app.query_params["recommendations"] = tab
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def dataframe_with(app: AppTest, column: str) -> pd.DataFrame:
    """The first st.dataframe on the page that has ``column``."""
    for frame in app.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no dataframe with a {column!r} column")


def texts(app: AppTest) -> str:
    """Every piece of text on the page, to search in."""
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [e.value for e in (*app.error, *app.warning, *app.success, *app.info)]
    return "\n".join(str(p) for p in parts)


def recommendation_id(url: str, reference: str) -> int:
    engine = database.make_engine(url)
    with engine.connect() as connection:
        rid = connection.execute(
            sa.select(schema.recommendations.c.id).where(schema.recommendations.c.reference == reference)
        ).scalar_one()
    engine.dispose()
    return rid


def stored(url: str, table: sa.Table) -> pd.DataFrame:
    engine = database.make_engine(url)
    with engine.connect() as connection:
        result = connection.execute(sa.select(table).order_by(*table.primary_key.columns))
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    engine.dispose()
    return frame


def sign_in(app: AppTest, name: str = "Ana Analyst", password: str = PASSWORD) -> AppTest:
    app.sidebar.text_input(key="editor_name").input(name)
    app.sidebar.text_input(key="editor_password").input(password)
    app.sidebar.button[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def fill_update(app: AppTest, rid: int, *, status: str, comment: str, link: str = "") -> None:
    app.selectbox(key=f"rec_new_status_{rid}").select(status)
    app.text_area(key=f"rec_new_comment_{rid}").input(comment)
    app.text_input(key=f"rec_new_link_{rid}").input(link)


def save_button(app: AppTest):
    return next(b for b in app.button if b.label == "Save update")


# ---- both pages open -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_pages_open_on_an_empty_database_with_an_empty_state(page, monkeypatch, sqlite_url):
    app = open_page(monkeypatch, sqlite_url, page)
    assert [i.value for i in app.info][0].startswith(("No inspection recommendations", "No inspection reports"))
    assert not app.dataframe
    assert not app.get("plotly_chart")


def test_the_recommendations_page_on_the_demo(monkeypatch, demo_url):
    app = open_page(monkeypatch, demo_url, RECOMMENDATIONS, tab=None)
    assert [t.value for t in app.title] == ["Recommendations"]
    assert [tab.label for tab in app.tabs] == ["Where things stand", LISTED]
    labels = [m.label for m in app.metric]
    assert labels == ["Not started", "In progress", "Complete", "Will not be progressed", "Overdue"]
    assert sum(int(m.value) for m in app.metric[:4]) == 15
    assert all(m.proto.icon for m in app.metric), "every card has an icon as well as words"
    assert len(app.get("plotly_chart")) == 1
    assert not app.dataframe  # only the open tab is set out
    app = open_page(monkeypatch, demo_url, RECOMMENDATIONS)
    assert len(dataframe_with(app, "Ref")) == 15
    assert "Showing 15 of 15." in texts(app)
    # The first recommendation opens in detail with its timeline; a viewer has no form.
    assert "Status changed to complete" in texts(app)
    assert not any(b.label == "Save update" for b in app.button)


def test_the_inspections_page_on_the_demo(monkeypatch, demo_url):
    app = open_page(monkeypatch, demo_url, INSPECTIONS)
    glance = app.table[0].value
    assert list(glance.columns) == ["Report", "Published", "Commissioner's response (56 days)", "Complete", "Overdue"]
    assert glance["Report"].tolist() == [
        "Living in fear (2017)",
        "Stalking and harassment (2019)",
        "The police response to stalking (2024)",
        f"Illustrative follow-up inspection of the… ({(TODAY - dt.timedelta(days=21)).year})",
    ]
    assert glance["Complete"].tolist() == ["3 of 5", "1 of 2", "2 of 5", "0 of 3"]
    assert glance["Commissioner's response (56 days)"].iloc[3].endswith(": 34 days left")
    assert (
        glance["Commissioner's response (56 days)"].iloc[0]
        == "Published 15 September 2017, 17 days late (due by 29 August 2017)"
    )
    assert [tab.label for tab in app.tabs] == ["At a glance", "Each report"]
    # Only the open tab is set out: its chart, the glossary on statuses, and the figures behind it.
    assert [e.label for e in app.expander] == ["What does this mean?", "Data behind this chart"]
    app.session_state["inspections"] = "Each report"
    app.run()
    assert [e.label for e in app.expander][:2] == ["Chief Constable's comments", "Commissioner's comments"]
    assert "The Chief Constable intends to use the learning" not in texts(app)  # set out when opened
    for report_id in stored(demo_url, schema.reports)["id"]:
        app.session_state[f"cc_comments_{report_id}"] = True
    app.run()
    assert "The Chief Constable intends to use the learning" in texts(app)


def test_a_report_not_recognised_says_the_analyst_must_fill_in_its_date(monkeypatch, sqlite_url, settings, tmp_path):
    tracker = "Report,Reference,Recommendation\nA local review of stalking,R1,Within three months review.\n"
    load_tracker(sqlite_url, settings, tmp_path / "tracker.csv", tracker)
    app = open_page(monkeypatch, sqlite_url, INSPECTIONS)
    assert app.table[0].value["Published"].tolist() == ["Not known: the analyst must fill it in"]
    app.session_state["inspections"] = "Each report"
    app.run()
    assert "No deadline until the report's publication date is known" in texts(app)


# ---- the table: filters and downloads ---------------------------------------------------------------


def shown_refs(app: AppTest) -> list[str]:
    return dataframe_with(app, "Ref")["Ref"].tolist()


def test_filters_change_the_rows_exactly(monkeypatch, loaded_url):
    app = open_page(monkeypatch, loaded_url, RECOMMENDATIONS)
    assert shown_refs(app) == ["R1", "R2", "R3", "R4", "R5", "R6"]
    app.selectbox(key="rec_filter_due").select("30").run()
    assert shown_refs(app) == ["R1"], "R5 is due within 30 days but complete; R3 is past due"
    app.selectbox(key="rec_filter_due").select("90").run()
    assert shown_refs(app) == ["R1", "R2"]
    app.selectbox(key="rec_filter_due").select("overdue").run()
    assert shown_refs(app) == ["R3"]
    app.selectbox(key="rec_filter_due").select("none").run()
    assert shown_refs(app) == ["R6"]
    app.selectbox(key="rec_filter_due").select("any").run()
    app.multiselect(key="rec_filter_owner").select("Force Lead").run()
    assert shown_refs(app) == ["R3", "R4", "R5"]
    app.multiselect(key="rec_filter_status").select("complete").run()
    assert shown_refs(app) == ["R4", "R5"]
    assert "Showing 2 of 6." in texts(app)
    table = dataframe_with(app, "Ref")
    assert table["Status"].tolist() == ["complete", "complete"]
    assert table["Overdue"].tolist() == ["", ""]


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """The bytes of the table's downloads (recommendations-DATE.csv and .xlsx), by file extension.

    The page writes them only when a button is pressed: this presses each, as a click would.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    offered: dict[str, bytes] = {}
    original = MediaFileManager.add_deferred

    def remember(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        if file_name and file_name.startswith("recommendations-"):
            offered[file_name.rsplit(".", 1)[-1]] = data_callable()
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    return offered


def test_downloads_hold_the_filtered_rows_with_formulas_made_inert(monkeypatch, loaded_url, downloads):
    app = open_page(monkeypatch, loaded_url, RECOMMENDATIONS)
    app.selectbox(key="rec_filter_due").select("none").run()
    assert sorted(downloads) == ["csv", "xlsx"]
    csv = pd.read_csv(io.BytesIO(downloads["csv"]), encoding="utf-8-sig", dtype=str)
    assert csv["Reference"].tolist() == ["R6"]
    assert csv["Owner"].tolist() == ["'@SUM(1+1)"]
    book = openpyxl.load_workbook(io.BytesIO(downloads["xlsx"]))
    sheet = book["Recommendations"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert sheet.max_row == 2
    assert row["Owner"] == "'@SUM(1+1)"
    assert row["Reference"] == "R6"
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


# ---- who may record progress ---------------------------------------------------------------------


def has_edit_controls(app: AppTest) -> bool:
    return (
        any(b.label == "Save update" for b in app.button)
        or bool(app.text_area)
        or any("Audit log" in e.label for e in app.expander)
    )


def test_without_sign_in_set_up_nobody_sees_edit_controls(monkeypatch, loaded_url):
    app = open_page(monkeypatch, loaded_url, RECOMMENDATIONS)
    assert not has_edit_controls(app)
    assert "Recording progress is not set up here" in texts(app)


def test_a_viewer_sees_no_edit_controls_and_a_wrong_password_is_refused(monkeypatch, loaded_url):
    secrets = {PASSWORD_SECRET: hash_password(PASSWORD)}
    app = open_page(monkeypatch, loaded_url, RECOMMENDATIONS, secrets=secrets)
    assert not has_edit_controls(app)
    sign_in(app, password="not the password")
    assert "That password is not the editor password." in [e.value for e in app.error]
    assert not has_edit_controls(app)
    assert app.sidebar.text_input(key="editor_password").value == "", "the typed password is not kept"


def test_an_editor_adds_an_update_that_shows_in_the_history_and_the_audit_log(monkeypatch, loaded_url):
    rid = recommendation_id(loaded_url, "R3")
    app = open_page(monkeypatch, loaded_url, RECOMMENDATIONS, secrets={PASSWORD_SECRET: hash_password(PASSWORD)})
    sign_in(app)
    assert "Signed in as editor: Ana Analyst." in texts(app)
    app.selectbox(key="rec_choice").select(rid).run()
    fill_update(app, rid, status="complete", comment="Plan published", link="https://opcc.example.org/plan")
    save_button(app).click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert [s.value for s in app.success] == ["Saved. The status is now complete."]
    page = texts(app)
    assert "Status changed to complete" in page
    assert "Plan published" in page
    assert "https://opcc.example.org/plan" in page
    assert "Recorded by Ana Analyst (editor password)" in page
    assert app.text_area(key=f"rec_new_comment_{rid}").value == "", "the form is cleared after a save"
    audit = dataframe_with(app, "Who")
    assert audit["Who"].tolist()[:2] == ["Ana Analyst (editor password)"] * 2
    assert audit["What"].tolist()[:2] == ["recommendation changed", "history entry added"]
    assert '"status_category": "complete"' in audit["After"].iloc[0]
    assert '"status_category": "in progress"' in audit["Before"].iloc[0]
    updates = stored(loaded_url, schema.recommendation_updates)
    mine = updates[updates["recommendation_id"] == rid]
    assert mine[["status_source", "comment", "author"]].values.tolist() == [
        ["being-progressed", "Recorded at the review", "Loader"],
        ["complete", "Plan published", "Ana Analyst (editor password)"],
    ], "history is added to, never overwritten"
    # The cards, the table and the overdue count follow at once.
    assert dataframe_with(app, "Ref").set_index("Ref").loc["R3", "Status"] == "complete"
    standing = open_page(monkeypatch, loaded_url, RECOMMENDATIONS, tab=None)  # the cards, in their own tab
    assert next(m for m in standing.metric if m.label == "Overdue").value == "0"


def test_a_stale_version_is_refused_and_nothing_is_lost(monkeypatch, loaded_url, settings):
    rid = recommendation_id(loaded_url, "R1")
    app = open_page(monkeypatch, loaded_url, RECOMMENDATIONS, secrets={PASSWORD_SECRET: hash_password(PASSWORD)})
    sign_in(app)
    app.selectbox(key="rec_choice").select(rid).run()
    opened = int(stored(loaded_url, schema.recommendations).set_index("id").loc[rid, "version"])
    # Someone else saves first, from another session.
    engine = database.make_engine(loaded_url)
    recommendations.add_update(
        engine,
        rid,
        status="in progress",
        comment="Cases reviewed by the other editor",
        evidence_link=None,
        author="Ben Other",
        expected_version=opened,
        settings=settings,
    )
    engine.dispose()
    fill_update(app, rid, status="complete", comment="My typed update")
    save_button(app).click().run()
    assert not app.exception, [e.value for e in app.exception]
    error = [e.value for e in app.error]
    assert len(error) == 1
    assert error[0].startswith("Not saved: someone else saved a change to this recommendation first: Ben Other, on ")
    assert not app.warning, "the refusal says it all: no second warning about the version"
    assert "Nothing they saved is lost, and your update is kept in the form." in error[0]
    assert app.text_area(key=f"rec_new_comment_{rid}").value == "My typed update"
    assert app.selectbox(key=f"rec_new_status_{rid}").value == "complete"
    comments = stored(loaded_url, schema.recommendation_updates).query("recommendation_id == @rid")["comment"]
    assert comments.tolist() == ["Recorded at the review", "Cases reviewed by the other editor"]
    # Reload: the other editor's change shows, the typed text is still there, and the save goes through.
    next(b for b in app.button if b.label == "Reload the recommendation").click().run()
    assert "Cases reviewed by the other editor" in texts(app)
    assert app.text_area(key=f"rec_new_comment_{rid}").value == "My typed update"
    save_button(app).click().run()
    assert [s.value for s in app.success] == ["Saved. The status is now complete."]
    comments = stored(loaded_url, schema.recommendation_updates).query("recommendation_id == @rid")["comment"]
    assert comments.tolist() == ["Recorded at the review", "Cases reviewed by the other editor", "My typed update"]


def test_an_update_that_says_nothing_is_refused_with_the_reason(monkeypatch, loaded_url):
    app = open_page(monkeypatch, loaded_url, RECOMMENDATIONS, secrets={PASSWORD_SECRET: hash_password(PASSWORD)})
    sign_in(app)
    save_button(app).click().run()
    assert [e.value for e in app.error] == ["Not saved: an update needs a status, a comment or an evidence link."]


@pytest.fixture
def editors_settings(monkeypatch, tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[recommendations]\neditors = ["Editor@OPCC.example"]\n', encoding="utf-8")
    monkeypatch.setenv("PCC_SETTINGS_FILE", str(path))


AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x", "client_id": "x"}}


@pytest.mark.parametrize(
    ("user", "may_edit", "sidebar"),
    [
        ({"is_logged_in": True, "email": "editor@opcc.example"}, True, "Signed in as editor@opcc.example (editor)."),
        (
            {"is_logged_in": True, "email": "someone@opcc.example"},
            False,
            "Signed in as someone@opcc.example (view only: not listed as an editor).",
        ),
        ({"is_logged_in": False}, False, "Editors sign in with their work account to record progress."),
    ],
)
def test_with_sign_in_configured_only_listed_editors_edit(
    monkeypatch, loaded_url, editors_settings, user, may_edit, sidebar
):
    secrets = {**AUTH, PASSWORD_SECRET: hash_password(PASSWORD)}
    app = open_page(monkeypatch, loaded_url, RECOMMENDATIONS, secrets=secrets, user=user)
    assert has_edit_controls(app) is may_edit
    assert sidebar in [c.value for c in app.sidebar.caption]
    assert not app.sidebar.text_input, "the local password is no way round sign-in"
    if not user["is_logged_in"]:
        assert [b.label for b in app.sidebar.button] == ["Sign in"]


# ---- loading recommendation files on the Data page ----------------------------------------------------

DATA = "app_pages/data.py"
REFERENCE = TEST_DATA / "dc-response-hmicfrs-stalking-2019.txt"


def test_the_data_page_loads_recommendation_files_only_for_an_editor(monkeypatch, sqlite_url):
    secrets = {PASSWORD_SECRET: hash_password(PASSWORD)}
    app = open_page(monkeypatch, sqlite_url, DATA, secrets=secrets)
    assert ":material/lock: Sign in as an editor (in the sidebar) to load recommendation files." in texts(app)
    assert [u.key for u in app.file_uploader] == ["upload_files"]
    sign_in(app)
    uploader = app.file_uploader(key="upload_recommendations")
    assert set(uploader.allowed_type) == {".csv", ".xlsx", ".txt"}
    uploader.set_value(
        [
            (REFERENCE.name, REFERENCE.read_bytes(), "text/plain"),
            ("tracker.csv", tracker_csv().encode("utf-8"), "text/csv"),
        ]
    )
    app.run()
    app.button(key="load_recommendations_button").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.success) == 1
    message = app.success[0].value
    assert message.startswith("Loading finished.")
    assert "dc-response-hmicfrs-stalking-2019.txt: 2 recommendations as pcc-response (2 new" in message
    assert "tracker.csv: 6 recommendations as recommendations-tracker (6 new" in message
    reports = stored(sqlite_url, schema.reports)
    assert reports["key"].tolist() == ["sussex-and-national-update-2019", "police-response-to-stalking-2024"]
    audit = stored(sqlite_url, schema.audit_log)
    assert set(audit["who"]) == {"Ana Analyst (editor password)"}


def test_the_data_page_reports_a_response_documents_conflicts_and_takes_it_when_asked(
    monkeypatch, sqlite_url, tmp_path
):
    from test_response_conflicts import DOCUMENT_OWNER, KEPT, TRACKER_OWNER, write_tracker

    app = open_page(monkeypatch, sqlite_url, DATA, secrets={PASSWORD_SECRET: hash_password(PASSWORD)})
    sign_in(app)
    uploader = app.file_uploader(key="upload_recommendations")
    uploader.set_value([("tracker.csv", write_tracker(tmp_path).read_bytes(), "text/csv")])
    app.run()
    app.button(key="load_recommendations_button").click().run()
    app.file_uploader(key="upload_recommendations").set_value([(REFERENCE.name, REFERENCE.read_bytes(), "text/plain")])
    app.run()
    app.button(key="load_recommendations_button").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.success
    assert [w.value for w in app.warning] == [
        "Loading finished, but 2 value(s) in the response documents differ from what is stored and were not taken "
        "(each is listed below with both values).\n\n- "
        + escape_markdown(
            f"{REFERENCE.name}: 2 recommendations as pcc-response (0 new, 2 changed, 0 updates added). {KEPT}"
        )
    ]
    owners = stored(sqlite_url, schema.recommendations).set_index("reference")["owner"]
    assert owners["R1"] == TRACKER_OWNER
    app.checkbox(key="prefer_document").check().run()
    app.button(key="load_recommendations_button").click().run()
    assert "2 stored values replaced by the document's, as asked: R1 owner:" in app.success[0].value
    assert stored(sqlite_url, schema.recommendations).set_index("reference")["owner"]["R1"] == DOCUMENT_OWNER


def test_a_broken_recommendation_file_is_refused_whole(monkeypatch, sqlite_url):
    app = open_page(monkeypatch, sqlite_url, DATA, secrets={PASSWORD_SECRET: hash_password(PASSWORD)})
    sign_in(app)
    broken = "Report,Reference,Recommendation,Status,Status Date\nLiving in fear,R1,Do it.,complete,31/02/2018\n"
    app.file_uploader(key="upload_recommendations").set_value(
        [
            ("good.csv", tracker_csv().encode("utf-8"), "text/csv"),
            ("broken.csv", broken.encode("utf-8"), "text/csv"),
        ]
    )
    app.run()
    app.button(key="load_recommendations_button").click().run()
    assert not app.success
    assert [e.value for e in app.error][0].startswith("Refused: 1 problem; nothing was written.")
    assert stored(sqlite_url, schema.recommendations).empty
