"""Loading trackers, response documents and HMICFRS histories: exact results, broken twins, all or nothing."""

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_loaders import schema
from data_loaders.recommendations.ingest import load_history, load_recommendation_files
from data_loaders.recommendations.queries import recommendations_frame, reports_frame, updates_frame
from data_loaders.recommendations.store import set_report_details
from data_loaders.refusals import LoadRefused

DATA = Path(__file__).with_name("data")
TRACKER = DATA / "recommendations-tracker.csv"
RESPONSE = DATA / "dc-response-hmicfrs-stalking-2019.txt"
SUSSEX = "sussex-and-national-update-2019"
TODAY = dt.date(2024, 12, 1)
D = dt.date


def table_counts(engine) -> dict[str, int]:
    tables = ("sources", "reports", "recommendations", "recommendation_updates", "audit_log")
    with engine.connect() as connection:
        return {t: connection.execute(sa.text(f"select count(*) from {t}")).scalar_one() for t in tables}


def current(engine, settings, today=TODAY):
    frame = recommendations_frame(engine, settings, today)
    return frame.set_index(["report_key", "reference"])


def test_the_tracker_loads_exactly(engine, settings):
    (result,) = load_recommendation_files([TRACKER], engine, settings, author="analyst@opcc.example")
    frame = current(engine, settings)
    rows = {
        key: (row.due_date, row.status, row.status_category, row.status_date, bool(row.overdue))
        for key, row in frame.iterrows()
    }
    local = "local-review-of-stalking-clinics"
    assert rows == {
        ("living-in-fear-2017", "R1"): (D(2018, 3, 31), "Completed", "complete", D(2018, 3, 20), False),
        ("living-in-fear-2017", "R2"): (D(2017, 7, 5), "being-progressed", "in progress", D(2017, 9, 1), True),
        (SUSSEX, "R1"): (D(2019, 10, 10), "being-progressed", "in progress", D(2019, 6, 4), True),
        (local, "R1"): (None, "Partially done", "unknown", D(2024, 1, 10), False),
        ("police-response-to-stalking-2024", "R3"): (D(2024, 11, 22), None, "not started", None, True),
    }
    lif = frame.loc[("living-in-fear-2017", "R1")]
    assert (lif.timescale, lif.addressed_to, lif.owner) == (
        "By March 2018",
        "chief constables",
        "Force Lead for Stalking and Harassment",
    )
    assert frame.loc[("living-in-fear-2017", "R2")].addressed_to == "Chief constables"  # as the tracker wrote it
    assert frame.loc[(local, "R1")].due_date_note == (
        "the report's publication date is not known, so 'Within three months' cannot be dated; due date left empty"
    )
    assert not frame.loc[(local, "R1")].status_known
    assert result.counts.recommendations_created == 5
    assert result.counts.updates_added == 5
    assert result.counts.reports_to_review == ["Local review of stalking clinics"]
    assert result.counts.unknown_statuses == [f"'Partially done' ({TRACKER.name}, row 5)"]
    assert "Not recognised from the title" in result.describe()


def test_reports_take_the_configured_titles_and_dates(engine, settings):
    load_recommendation_files([TRACKER], engine, settings, author="analyst@opcc.example")
    reports = reports_frame(engine, settings, TODAY).set_index("key")
    assert reports.loc["living-in-fear-2017", "title"] == (
        "Living in fear: the police and CPS response to harassment and stalking"
    )
    assert reports.loc["living-in-fear-2017", "publication_date"] == D(2017, 7, 5)
    assert reports.loc["local-review-of-stalking-clinics", "publication_date"] is None
    assert bool(reports.loc["local-review-of-stalking-clinics", "needs_review"]) is True
    assert reports["recommendations"].to_dict() == {
        "living-in-fear-2017": 2,
        SUSSEX: 1,
        "police-response-to-stalking-2024": 1,
        "local-review-of-stalking-clinics": 1,
    }
    assert reports.loc["living-in-fear-2017", "complete"] == 1
    assert reports.loc["living-in-fear-2017", "overdue"] == 1


def test_the_history_is_kept_in_order(engine, settings):
    load_recommendation_files([TRACKER], engine, settings, author="analyst@opcc.example")
    rec_id = int(current(engine, settings).loc[(SUSSEX, "R1"), "id"])
    history = updates_frame(engine, rec_id)
    assert list(zip(history["date"], history["status"], history["comment"], strict=True)) == [
        (D(2019, 4, 10), "awaiting-review", None),
        (D(2019, 6, 4), "being-progressed", "Audit commissioned"),
    ]
    assert set(history["source_file"]) == {TRACKER.name}


def test_the_same_file_twice_changes_nothing(engine, settings):
    load_recommendation_files([TRACKER], engine, settings, author="a@opcc.example")
    before = table_counts(engine)
    (again,) = load_recommendation_files([TRACKER], engine, settings, author="a@opcc.example")
    assert again.already_loaded
    assert again.describe() == f"{TRACKER.name}: already loaded (recommendations-tracker); nothing changed."
    assert table_counts(engine) == before


def test_a_newer_tracker_adds_to_the_history_and_raises_the_version(engine, settings, tmp_path):
    load_recommendation_files([TRACKER], engine, settings, author="a@opcc.example")
    version = int(current(engine, settings).loc[("living-in-fear-2017", "R2"), "version"])
    newer = tmp_path / "tracker-2025.csv"
    newer.write_text(
        TRACKER.read_text().replace(
            "Head of Crime,being-progressed,1st September 2017,,,",
            "Head of Public Protection,complete,2025-01-31,PINs withdrawn,https://example.org/pins",
        )
    )
    (result,) = load_recommendation_files([newer], engine, settings, author="b@opcc.example")
    assert (result.counts.recommendations_created, result.counts.recommendations_changed) == (0, 1)
    assert result.counts.updates_added == 1
    row = current(engine, settings).loc[("living-in-fear-2017", "R2")]
    assert (row.owner, row.status, row.status_category, bool(row.overdue)) == (
        "Head of Public Protection",
        "complete",
        "complete",
        False,
    )
    assert row.version == version + 2  # the owner changed, then the status
    history = updates_frame(engine, int(row.id))
    assert list(history["status"]) == ["being-progressed", "complete"]


def test_an_older_dated_status_does_not_replace_the_current_one(engine, settings, tmp_path):
    load_recommendation_files([TRACKER], engine, settings, author="a@opcc.example")
    older = tmp_path / "older.csv"
    older.write_text(TRACKER.read_text().replace("being-progressed,1st September 2017", "awaiting-review,5 July 2017"))
    load_recommendation_files([older], engine, settings, author="a@opcc.example")
    row = current(engine, settings).loc[("living-in-fear-2017", "R2")]
    assert (row.status, row.status_date) == ("being-progressed", D(2017, 9, 1))
    assert list(updates_frame(engine, int(row.id))["status"]) == ["awaiting-review", "being-progressed"]


def test_the_reference_response_loads_with_its_two_recommendations(engine, settings):
    (result,) = load_recommendation_files([RESPONSE], engine, settings, author="analyst@opcc.example")
    assert result.kind == "pcc-response"
    frame = current(engine, settings, D(2019, 9, 1))
    assert list(frame.index) == [(SUSSEX, "R1"), (SUSSEX, "R2")]
    assert list(frame["owner"]) == ["Force Lead for Stalking and Harassment"] * 2
    assert list(frame["timescale"]) == ["Within six months"] * 2
    assert list(frame["due_date"]) == [D(2019, 10, 10)] * 2
    assert list(frame["status_category"]) == ["not started"] * 2
    assert list(frame["overdue"]) == [False, False]
    assert frame["response_html"].iloc[0].startswith("<p>In D&C stalking offences are reviewed")
    assert frame["response_html"].iloc[0].endswith("offer assurance this process in D&C.</p>")
    report = reports_frame(engine, settings, D(2019, 5, 1)).iloc[0]
    assert (report.key, report.publication_date, report.response_due) == (SUSSEX, D(2019, 4, 10), D(2019, 6, 4))
    assert (report.response_state, report.response_label) == ("days left", "34 days left")
    assert report.pcc_signature.startswith("Alison Hernandez\nPolice and Crime Commissioner")
    assert report.chief_constable_comments.startswith("The Chief Constable intends")


def test_a_response_and_a_tracker_for_the_same_report_meet(engine, settings):
    load_recommendation_files([RESPONSE, TRACKER], engine, settings, author="a@opcc.example")
    frame = current(engine, settings)
    assert len(frame.loc[SUSSEX]) == 2
    r1 = frame.loc[(SUSSEX, "R1")]
    assert (r1.owner, r1.status) == ("Force Lead for Stalking and Harassment", "being-progressed")
    assert r1.response_html.startswith("<p>In D&C")


def test_an_unknown_report_waits_for_its_publication_date(engine, settings, tmp_path):
    title = RESPONSE.read_text().strip().split("\n")[0]
    unknown = tmp_path / "local-response.txt"
    unknown.write_text(RESPONSE.read_text().replace(title, "Stalking: a local review of breaches of orders"))
    load_recommendation_files([unknown], engine, settings, author="a@opcc.example")
    report = reports_frame(engine, settings, TODAY).iloc[0]
    assert (report.key, report.publication_date, bool(report.needs_review)) == (
        "stalking-a-local-review-of-breaches-of-orders",
        None,
        True,
    )
    assert report.response_state == "no deadline"
    assert list(current(engine, settings)["due_date"]) == [None, None]

    changed = set_report_details(engine, int(report.id), author="analyst@opcc.example", publication_date=D(2023, 8, 31))
    assert changed == {"publication_date": D(2023, 8, 31), "needs_review": False}
    frame = current(engine, settings)
    assert list(frame["due_date"]) == [D(2024, 2, 29), D(2024, 2, 29)]
    assert list(frame["version"]) == [2, 2]
    report = reports_frame(engine, settings, TODAY).iloc[0]
    assert bool(report.needs_review) is False


def test_a_history_file_attaches_to_a_stored_recommendation(engine, settings, tmp_path):
    load_recommendation_files([RESPONSE], engine, settings, author="a@opcc.example")
    history = tmp_path / "r2-history.txt"
    history.write_text(
        "[on]10th April 2019 [status]awaiting-review[/status][/on]\n"
        "[on]21st October 2019 [status]being-progressed[/status][comment]Training under way[/comment][/on]\n"
    )
    result = load_history(history, engine, settings, report=SUSSEX, reference="2", author="a@opcc.example")
    assert result.counts.updates_added == 2
    row = current(engine, settings).loc[(SUSSEX, "R2")]
    assert (row.status, row.status_category, row.status_date) == ("being-progressed", "in progress", D(2019, 10, 21))
    again = load_history(history, engine, settings, report=SUSSEX, reference="R2", author="a@opcc.example")
    assert again.already_loaded
    by_title = load_history(
        history, engine, settings, report="Stalking and harassment: an inspection of Sussex Police", reference="R1"
    )
    assert by_title.counts.updates_added == 2


def test_a_history_for_a_recommendation_not_stored_is_refused(engine, settings, tmp_path):
    load_recommendation_files([RESPONSE], engine, settings, author="a@opcc.example")
    before = table_counts(engine)
    history = tmp_path / "h.txt"
    history.write_text("[on]10th April 2019 [status]awaiting-review[/status][/on]")
    with pytest.raises(LoadRefused) as caught:
        load_history(history, engine, settings, report=SUSSEX, reference="R9", author="a")
    assert str(caught.value.problems[0]) == (
        "h.txt: h.txt for R9: no recommendation R9 is stored for this report; nothing was written"
    )
    with pytest.raises(LoadRefused, match="no stored report is named 'peel-2025'; load its response document"):
        load_history(history, engine, settings, report="PEEL 2025", reference="R1", author="a")
    assert table_counts(engine) == before


def test_a_malformed_history_file_is_refused_with_its_position(engine, settings, tmp_path):
    load_recommendation_files([RESPONSE], engine, settings, author="a@opcc.example")
    history = tmp_path / "h.txt"
    history.write_text(
        "[on]10th April 2019 [status]awaiting-review[/status][/on]\n[on]4th Jnue 2019 [status]x[/status][/on]"
    )
    with pytest.raises(LoadRefused) as caught:
        load_history(history, engine, settings, report=SUSSEX, reference="R1", author="a")
    assert [str(p) for p in caught.value.problems] == [
        "h.txt: found '4th Jnue 2019'; at line 2, character 5: expected a date such as '10th April 2019' (or 10/04/2019)"
    ]


def test_an_xlsx_tracker_with_date_cells(engine, settings, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Recommendations tracker, as at January 2025"])
    sheet.append([])
    sheet.append(["Report", "Reference", "Recommendation", "Status", "Status Date", "Comment"])
    sheet.append(
        [
            "Living in fear",
            1,
            "Within 12 months forces should train every call handler.",
            "Achieved",
            dt.datetime(2018, 6, 30),
            "All trained",
        ]
    )
    sheet.append(["Living in fear", 2, "Immediately the police should stop PINs.", None, None, None])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    load_recommendation_files([path], engine, settings, author="a@opcc.example")
    frame = current(engine, settings)
    r1, r2 = frame.loc[("living-in-fear-2017", "R1")], frame.loc[("living-in-fear-2017", "R2")]
    assert (r1.due_date, r1.status_category, r1.status_date) == (D(2018, 7, 5), "complete", D(2018, 6, 30))
    assert (r2.due_date, r2.status_category, r2.addressed_to) == (D(2017, 7, 5), "not started", "police")


# ---- broken twins: each breaks one rule of the good tracker; nothing is written ---------------

GOOD_ROW = (
    'Living in fear,R2,"Immediately, chief constables should stop using police information notices.",'
    "Chief constables,,Head of Crime,being-progressed,1st September 2017,,,"
)


@pytest.mark.parametrize(
    ("broken_row", "message"),
    [
        (
            GOOD_ROW.replace("Living in fear,R2,", ",R2,"),
            "row 3, column 'Report': found ''; expected the title of the inspection report (a known title such as "
            "'Living in fear')",
        ),
        (
            GOOD_ROW.replace("Living in fear,R2,", "Living in fear,,"),
            "row 3, column 'Reference': found ''; expected the recommendation's reference, such as R1",
        ),
        (
            GOOD_ROW.replace('"Immediately, chief constables should stop using police information notices."', ""),
            "row 3, column 'Recommendation': found ''; expected the text of the recommendation",
        ),
        (
            GOOD_ROW.replace("1st September 2017", "Septembre 2017"),
            "row 3, column 'Status Date': found 'Septembre 2017'; expected a date such as 04/06/2019 or '4th June 2019'",
        ),
        (
            GOOD_ROW.replace("1st September 2017", ""),
            "row 3, column 'Status Date': found ''; expected the date of this row's status or comment",
        ),
        (
            GOOD_ROW.replace("being-progressed,1st September 2017", ",1st September 2017"),
            "row 3, column 'Status Date': found '2017-09-01'; a Status Date needs a Status, Comment or Evidence Link "
            "on the same row",
        ),
        (
            GOOD_ROW.replace("1st September 2017,,,", "1st September 2017,,javascript:alert(1),"),
            "row 3, column 'Evidence Link': found 'javascript:alert(1)'; expected a web address starting http:// "
            "or https:// (or mailto:)",
        ),
        (
            GOOD_ROW.replace("Living in fear,R2,", "Living in fear,R1,"),
            "row 3, column 'Reference': found 'R1'; each recommendation may appear once per report; this repeats row 2",
        ),
        (
            GOOD_ROW.replace("1st September 2017,,,", "1st September 2017,,,[on]4th June 2019 [status]x[/on]"),
            "row 3, column 'History': found 'x[/on]'; at line 1, character 27: expected the status to end with "
            "'[/status]'",
        ),
    ],
)
def test_a_broken_tracker_is_refused_and_nothing_is_written(engine, settings, tmp_path, broken_row, message):
    text = TRACKER.read_text()
    assert GOOD_ROW in text
    path = tmp_path / "tracker.csv"
    path.write_text(text.replace(GOOD_ROW, broken_row))
    with pytest.raises(LoadRefused) as caught:
        load_recommendation_files([path], engine, settings, author="a")
    assert [str(p) for p in caught.value.problems] == [f"tracker.csv, {message}"]
    assert table_counts(engine) == dict.fromkeys(table_counts(engine), 0)


def test_a_tracker_without_its_required_columns_is_refused(engine, settings, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_text("Report,Reference,Status\nLiving in fear,R1,complete\n")
    with pytest.raises(LoadRefused) as caught:
        load_recommendation_files([path], engine, settings, author="a")
    assert [str(p) for p in caught.value.problems] == [
        "tracker.csv, row 1: the header row lacks the column(s) 'Recommendation' needed for a recommendations tracker"
    ]


def test_one_broken_file_stops_every_file(engine, settings, tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text(RESPONSE.read_text().replace("Recommendations\tD&C Response", "Recommendations"))
    with pytest.raises(LoadRefused, match="broken.txt: expected a table whose header row is 'Recommendations'"):
        load_recommendation_files([TRACKER, broken], engine, settings, author="a")
    assert table_counts(engine) == dict.fromkeys(table_counts(engine), 0)


def test_a_missing_file_is_refused(engine, settings, tmp_path):
    with pytest.raises(LoadRefused, match="nope.csv: no such file"):
        load_recommendation_files([tmp_path / "nope.csv"], engine, settings, author="a")


def test_loads_are_audited(engine, settings):
    load_recommendation_files([RESPONSE], engine, settings, author="analyst@opcc.example")
    log = schema.audit_log
    with engine.connect() as connection:
        rows = connection.execute(sa.select(log.c.who, log.c.table_name, log.c.action).order_by(log.c.id)).all()
    assert rows == [
        ("analyst@opcc.example", "reports", "insert"),
        ("analyst@opcc.example", "recommendations", "insert"),
        ("analyst@opcc.example", "recommendations", "insert"),
    ]
