"""Recommendation charts and the pages' plain data: exact figures, words for every state, safe downloads."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from stored import load_tracker

from dashboard.charts import catalogue
from dashboard.charts import recommendations as recommendation_charts
from dashboard.figures.selection import Filters
from dashboard.ui import recommendation_views as views
from data_loaders import database
from data_loaders.recommendations.queries import recommendations_frame, reports_frame, updates_frame

TODAY = dt.date(2025, 1, 20)
LIVING = "Living in fear"
LOCAL = "A local review of stalking clinics"
TRACKER = f"""Report,Reference,Recommendation,Owner,Status,Status Date,Comment,Evidence Link,History
{LIVING},R1,Within six months forces should stop using notices.,Head of Crime,complete,20/12/2017,Withdrawn,https://example.org/a (1).pdf,[on]5th July 2017 [status]awaiting-review[/status][/on]
{LIVING},R2,By 31 January 2025 forces should train staff.,,being-progressed,10/01/2025,,,[on]5th July 2017 [status]awaiting-review[/status][/on][on]1st August 2017 [comment]Plan agreed[/comment][/on]
{LIVING},R3,By March 2018 forces should review risk.,Force Lead,being-progressed,01/09/2017,,,
{LIVING},R4,As soon as practicable forces should refer victims.,=cmd|' /c calc'!A1,will-not-be-progressed,01/09/2017,,,
{LOCAL},R1,Within six months chief constables should record breaches.,Force Lead,,,,,
"""  # noqa: E501


@pytest.fixture
def frames(sqlite_url, settings, tmp_path):
    """The recommendations, updates and reports of the tracker above, as of TODAY."""
    engine = database.make_engine(load_tracker(sqlite_url, settings, tmp_path / "tracker.csv", TRACKER))
    result = (
        recommendations_frame(engine, settings, TODAY),
        updates_frame(engine),
        reports_frame(engine, settings, TODAY),
    )
    engine.dispose()
    return result


def test_short_report_labels():
    assert recommendation_charts.short_report(LIVING + ": the police and CPS response", dt.date(2017, 7, 5)) == (
        "Living in fear (2017)"
    )
    assert recommendation_charts.short_report("A local review", None) == "A local review"
    long = "Illustrative follow-up inspection of the force's response to stalking (demo)"
    assert recommendation_charts.short_report(long, dt.date(2025, 11, 7)) == (
        "Illustrative follow-up inspection of the… (2025)"
    )


def test_the_status_mix_counts_each_month_end_in_the_latest_status(frames, settings):
    recs, updates, _ = frames
    chart = recommendation_charts.status_mix_chart(recs, updates, settings, TODAY)
    data = chart.data.set_index(["month", "status"])["recommendations"]
    # The local review has no publication date and no history: it is not counted at all.
    assert data[(dt.date(2017, 7, 1), "not started")] == 4
    assert data[(dt.date(2017, 8, 1), "not started")] == 4, "a comment does not change the status"
    assert data[(dt.date(2017, 9, 1), "not started")] == 2
    assert data[(dt.date(2017, 9, 1), "in progress")] == 1
    assert data[(dt.date(2017, 9, 1), "will not be progressed")] == 1
    last = chart.data[chart.data["month"] == dt.date(2025, 1, 1)]
    assert dict(zip(last["status"], last["recommendations"], strict=True)) == {
        "not started": 0,
        "in progress": 2,
        "complete": 1,
        "will not be progressed": 1,
    }
    assert chart.reading == ("At the end of January 2025: 2 in progress, 1 complete, 1 will not be progressed (of 4).")
    assert chart.alt.startswith("Stacked bar chart of the number of inspection recommendations in each status")
    assert [trace.name for trace in chart.figure.data] == [
        "not started",
        "in progress",
        "complete",
        "will not be progressed",
    ]
    assert {trace.marker.pattern.fillmode for trace in chart.figure.data} == {"overlay"}
    assert len({trace.marker.pattern.shape for trace in chart.figure.data}) == 4, "each status has its own pattern"
    assert chart.figure.layout.barmode == "stack"


def test_the_status_by_report_chart(frames, settings):
    recs, _, _ = frames
    chart = recommendation_charts.status_by_report_chart(recs, settings)
    assert chart.data.values.tolist() == [
        ["Living in fear (2017)", "not started", 0],
        ["A local review of stalking clinics", "not started", 1],
        ["Living in fear (2017)", "in progress", 2],
        ["A local review of stalking clinics", "in progress", 0],
        ["Living in fear (2017)", "complete", 1],
        ["A local review of stalking clinics", "complete", 0],
        ["Living in fear (2017)", "will not be progressed", 1],
        ["A local review of stalking clinics", "will not be progressed", 0],
    ]
    assert chart.reading == "2 of 5 recommendations are closed (complete or not to be progressed); 1 is overdue."
    assert "Living in fear (2017): 2 in progress, 1 complete, 1 will not be progressed (of 4)" in chart.alt
    assert list(chart.figure.data[0].x) == ["Living in fear (2017)", "A local review of stalking<br>clinics"]


def test_charts_need_recommendations(settings):
    empty = recommendations_frame(database.make_engine("sqlite://"), settings, TODAY)
    assert recommendation_charts.status_by_report_chart(empty, settings) is None
    assert recommendation_charts.status_mix_chart(empty, empty.iloc[0:0], settings, TODAY) is None
    inputs = catalogue.Inputs(settings, Filters("Devon and Cornwall", (), ()), *(pd.DataFrame(),) * 4)
    assert catalogue.build("recommendation-status-mix", inputs) is None
    assert catalogue.build("recommendation-status-by-report", inputs) is None
    assert catalogue.CATALOGUE["recommendation-status-mix"].section == "Oversight"


def test_status_cards_have_words_and_icons(frames, settings):
    recs, _, _ = frames
    cards = views.status_cards(recs, settings)
    assert [(c.label, c.count) for c in cards] == [
        ("Not started", 1),
        ("In progress", 2),
        ("Complete", 1),
        ("Will not be progressed", 1),
        ("Overdue", 1),
    ]
    assert all(c.icon.startswith(":material/") for c in cards)
    unknown = recs.assign(status_category=["unknown", *recs["status_category"][1:]])
    assert ("Status not recognised", 1) in [(c.label, c.count) for c in views.status_cards(unknown, settings)]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (views.TableFilter(), ["R1", "R2", "R3", "R4", "R1"]),
        (views.TableFilter(due="overdue"), ["R3"]),
        (views.TableFilter(due="30"), ["R2"]),
        (views.TableFilter(due="90"), ["R2"]),
        (views.TableFilter(due="none"), ["R4", "R1"]),
        (views.TableFilter(owners=(views.NO_OWNER,)), ["R2"]),
        (views.TableFilter(owners=("Force Lead",), categories=("in progress",)), ["R3"]),
        (views.TableFilter(reports=(LOCAL,)), ["R1"]),
    ],
)
def test_filters(frames, settings, chosen, expected):
    recs, _, _ = frames
    closed = settings.recommendations.closed
    assert views.filter_recommendations(recs, chosen, closed)["reference"].tolist() == expected


def test_the_table_puts_status_and_due_date_before_the_text(frames):
    recs, _, _ = frames
    table = views.table_frame(recs)
    assert list(table.columns)[:6] == ["Report", "Ref", "Status", "Due date", "Overdue", "Owner"]
    assert table["Overdue"].tolist() == ["", "", "Overdue", "", ""]
    assert str(table["Due date"].dtype).startswith("datetime64")  # a missing date is a blank cell, not "None"
    assert table["Due date"].isna().tolist() == [False, False, False, True, True]
    assert views.owner_options(recs) == ["=cmd|' /c calc'!A1", "Force Lead", "Head of Crime", views.NO_OWNER]


def test_downloads_make_formulas_inert(frames):
    recs, _, _ = frames
    out = views.download_frame(recs)
    assert out.loc[3, "Owner"] == "'=cmd|' /c calc'!A1"
    assert out["Overdue"].tolist() == ["no", "no", "yes", "no", "no"]
    assert out.loc[0, "Due date"] == "2018-01-05"
    csv = views.to_csv(out)
    assert csv.startswith("\ufeff".encode())
    assert pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype=str).loc[3, "Owner"] == "'=cmd|' /c calc'!A1"
    sheet = openpyxl.load_workbook(io.BytesIO(views.to_xlsx(out))).active
    assert sheet["E5"].value == "'=cmd|' /c calc'!A1"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_cell_that_is_still_a_formula_is_written_as_text():
    sheet = openpyxl.load_workbook(io.BytesIO(views.to_xlsx(pd.DataFrame({"A": ["=1+1"]})))).active
    assert sheet["A2"].value == "=1+1"
    assert sheet["A2"].data_type == "s"


def test_due_words(frames, settings):
    recs, _, _ = frames
    closed = settings.recommendations.closed
    words = [views.due_words(row, closed) for _, row in recs.iterrows()]
    assert words == [
        "5 January 2018",
        "31 January 2025 (11 days left)",
        "31 March 2018 (overdue by 2,487 days)",
        "No due date: no timescale given; due date left empty.",
        "No due date: the report's publication date is not known, so 'Within six months' cannot be dated; "
        "due date left empty.",
    ]


def test_the_timeline_says_what_changed(frames):
    recs, updates, _ = frames
    r2 = int(recs.loc[recs["reference"] == "R2", "id"].iloc[0])
    entries = views.timeline(updates[updates["recommendation_id"] == r2])
    assert [(e.date, e.headline, e.status_changed, e.comment) for e in entries] == [
        (dt.date(2017, 7, 5), "Status changed to not started (awaiting-review)", True, None),
        (dt.date(2017, 8, 1), "Comment", False, "Plan agreed"),
        (dt.date(2025, 1, 10), "Status changed to in progress (being-progressed)", True, None),
    ]
    r1 = int(recs.loc[recs["reference"] == "R1", "id"].iloc[0])
    last = views.timeline(updates[updates["recommendation_id"] == r1])[-1]
    assert (last.headline, last.evidence_link, last.recorded) == (
        "Status changed to complete",
        "https://example.org/a (1).pdf",
        "Recorded by Loader from tracker.csv",
    )


def test_markdown_links_are_web_or_mail_only():
    assert views.markdown_url("https://example.org/a (1).pdf") == "https://example.org/a%20%281%29.pdf"
    assert views.markdown_url("mailto:lead@force.example") == "mailto:lead@force.example"
    assert views.markdown_url("javascript:alert(1)") is None
    assert views.markdown_url(" JavaScript:alert(1)") is None
    assert views.markdown_url("data:text/html,<script>") is None


def test_report_words(frames):
    _, _, reports = frames
    rows = {row["key"]: row for _, row in reports.iterrows()}
    living, local = rows["living-in-fear-2017"], rows["a-local-review-of-stalking-clinics"]
    assert views.published_words(living) == "5 July 2017"
    assert views.response_words(living) == "Not published: overdue by 2,701 days (due by 29 August 2017)"
    assert views.published_words(local) == "Not known: the analyst must fill it in"
    assert views.response_words(local) == "No deadline until the report's publication date is known"
    assert views.response_words(stand(living, "met on time", 28, dt.date(2017, 8, 1))) == (
        "Published 1 August 2017, on time (due by 29 August 2017)"
    )
    assert views.response_words(stand(living, "met late", 17, dt.date(2017, 9, 15))) == (
        "Published 15 September 2017, 17 days late (due by 29 August 2017)"
    )
    assert views.response_words(stand(living, "days left", 1)) == "Due by 29 August 2017: 1 day left"
    assert views.response_words(stand(living, "days left", 0)) == "Due by 29 August 2017: due today"


def stand(report: pd.Series, state: str, days: int, published: dt.date | None = None) -> pd.Series:
    """The report with its response in another state."""
    changed = report.copy()
    changed["response_state"], changed["response_days"], changed["response_published"] = state, days, published
    return changed


def test_the_audit_log_reads_as_who_did_what():
    audit = pd.DataFrame(
        {
            "id": [2, 1],
            "at": [dt.datetime(2025, 1, 2, 9, 30), dt.datetime(2025, 1, 1, 8, 0)],
            "who": ["Ana", "Loader"],
            "table_name": ["recommendations", "recommendation_updates"],
            "record_id": [1, 7],
            "action": ["update", "insert"],
            "before": ['{"version": 1}', None],
            "after": ['{"version": 2}', '{"comment": "x"}'],
        }
    )
    shown = views.audit_frame_for_display(audit)
    assert shown.values.tolist() == [
        ["2025-01-02 09:30", "Ana", "recommendation changed", '{"version": 1}', '{"version": 2}'],
        ["2025-01-01 08:00", "Loader", "history entry added", "", '{"comment": "x"}'],
    ]
