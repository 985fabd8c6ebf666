"""The demo's inspection recommendations: the reference response, a tracker and report details, loaded for real."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from conftest import TEST_DATA

from data_loaders import schema
from data_loaders.demo import recommendations as demo_recommendations
from data_loaders.recommendations.queries import recommendations_frame, reports_frame, updates_frame
from data_loaders.status import read_status

AS_OF = dt.date(2025, 11, 28)
FOLLOW_UP_KEY = "illustrative-follow-up-inspection-of-the-force-s-response-to-stalking-demo"
NAMES = [demo_recommendations.RESPONSE_NAME, demo_recommendations.TRACKER_NAME, demo_recommendations.DETAILS_NAME]


@pytest.fixture
def loaded(engine, settings, tmp_path):
    paths = demo_recommendations.write_files(tmp_path / "files", settings, AS_OF)
    results = demo_recommendations.load(engine, settings, paths)
    return engine, paths, results


def test_the_reference_response_ships_unchanged():
    shipped = demo_recommendations.FILES / demo_recommendations.RESPONSE_NAME
    assert shipped.read_bytes() == (TEST_DATA / "dc-response-hmicfrs-stalking-2019.txt").read_bytes()


def test_write_files_is_deterministic(settings, tmp_path):
    first = demo_recommendations.write_files(tmp_path / "first", settings, AS_OF)
    second = demo_recommendations.write_files(tmp_path / "second", settings, AS_OF)
    assert [p.name for p in first] == [p.name for p in second] == NAMES
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


def test_report_details_are_as_an_analyst_fills_them_in(settings, tmp_path):
    details = pd.read_csv(demo_recommendations.write_files(tmp_path, settings, AS_OF)[2], keep_default_na=False)
    assert details.to_dict("list") == {
        "Report": [
            "Living in fear: the police and CPS response to harassment and stalking",
            settings.recommendations.reports[1].title,
            "The police response to stalking",
            demo_recommendations.FOLLOW_UP_TITLE,
        ],
        "Published": ["2017-07-05", "2019-04-10", "2024-09-27", "2025-11-07"],
        "Response Published": ["2017-09-15", "2019-05-31", "2024-11-20", ""],
    }


def test_the_reports_cover_every_response_state_but_overdue(loaded, settings):
    engine, _, results = loaded
    assert [(r.file_name, r.kind, r.recommendations) for r in results] == [
        (demo_recommendations.RESPONSE_NAME, "pcc-response", 2),
        (demo_recommendations.TRACKER_NAME, "recommendations-tracker", 15),
    ]
    reports = reports_frame(engine, settings, AS_OF)
    columns = ["key", "publication_date", "response_due", "response_label", "needs_review"]
    columns += ["recommendations", "complete", "overdue"]
    assert reports[columns].values.tolist() == [
        ["living-in-fear-2017", dt.date(2017, 7, 5), dt.date(2017, 8, 29), "met 17 days late", False, 5, 3, 0],
        ["sussex-and-national-update-2019", dt.date(2019, 4, 10), dt.date(2019, 6, 4), "met on time", False, 2, 1, 1],
        ["police-response-to-stalking-2024", dt.date(2024, 9, 27), dt.date(2024, 11, 21), "met on time", False, 5, 2, 2],
        [FOLLOW_UP_KEY, dt.date(2025, 11, 7), dt.date(2026, 1, 1), "34 days left", False, 3, 0, 0],
    ]  # fmt: skip
    sussex = reports.iloc[1]
    assert sussex["chief_constable_comments"].startswith("The Chief Constable intends to use the learning")
    assert sussex["pcc_signature"].startswith("Alison Hernandez")


def test_recommendations_are_complete_overdue_not_yet_due_or_undated(loaded, settings):
    engine, _, _ = loaded
    recs = recommendations_frame(engine, settings, AS_OF)
    columns = ["report_key", "reference", "due_date", "status", "status_category", "overdue"]
    assert recs[columns].values.tolist() == [
        ["living-in-fear-2017", "R1", dt.date(2018, 1, 5), "complete", "complete", False],
        ["living-in-fear-2017", "R2", dt.date(2018, 1, 5), "complete", "complete", False],
        ["living-in-fear-2017", "R3", dt.date(2018, 7, 5), "complete", "complete", False],
        ["living-in-fear-2017", "R4", dt.date(2018, 3, 31), "will-not-be-progressed", "will not be progressed", False],
        ["living-in-fear-2017", "R5", None, "being-progressed", "in progress", False],
        ["sussex-and-national-update-2019", "R1", dt.date(2019, 10, 10), "complete", "complete", False],
        ["sussex-and-national-update-2019", "R2", dt.date(2019, 10, 10), "being-progressed", "in progress", True],
        ["police-response-to-stalking-2024", "R1", dt.date(2024, 11, 22), "complete", "complete", False],
        ["police-response-to-stalking-2024", "R2", dt.date(2025, 3, 27), "being-progressed", "in progress", True],
        ["police-response-to-stalking-2024", "R3", dt.date(2025, 3, 27), "complete", "complete", False],
        ["police-response-to-stalking-2024", "R4", dt.date(2025, 9, 27), "being-progressed", "in progress", True],
        ["police-response-to-stalking-2024", "R5", dt.date(2026, 3, 31), "awaiting-review", "not started", False],
        [FOLLOW_UP_KEY, "R1", dt.date(2025, 12, 7), "being-progressed", "in progress", False],
        [FOLLOW_UP_KEY, "R2", dt.date(2026, 2, 7), "awaiting-review", "not started", False],
        [FOLLOW_UP_KEY, "R3", dt.date(2026, 5, 7), "awaiting-review", "not started", False],
    ]
    undated = recs[recs["due_date"].isna()].iloc[0]
    assert undated["due_date_note"] == "could not read the timescale 'As soon as practicable'; due date left empty"
    sussex = recs[recs["report_key"] == "sussex-and-national-update-2019"]
    assert sussex["owner"].tolist() == ["Force Lead for Stalking and Harassment"] * 2
    assert sussex["response_html"].iloc[0].startswith("<p>In D&C stalking offences are reviewed")
    assert recs["is_demo"].all()


def test_histories_are_dated_entries_with_evidence_links(loaded, settings):
    engine, _, _ = loaded
    recs = recommendations_frame(engine, settings, AS_OF)
    sussex = recs[(recs["report_key"] == "sussex-and-national-update-2019") & (recs["reference"] == "R1")]
    sussex_r1 = int(sussex["id"].iloc[0])
    history = updates_frame(engine, sussex_r1)
    assert history[["date", "status", "comment", "evidence_link"]].values.tolist() == [
        [dt.date(2019, 4, 10), "awaiting-review", None, None],
        [dt.date(2019, 6, 4), "being-progressed", "Audit of the recording of breaches of orders commissioned.", None],
        [
            dt.date(2020, 1, 15),
            "complete",
            "Audit found breaches recorded correctly in 96 of 100 cases; actions closed.",
            "https://opcc.example.org/evidence/audit",
        ],
    ]
    assert set(history["author"]) == {demo_recommendations.AUTHOR}
    assert len(updates_frame(engine)) == 35


def test_loading_again_changes_nothing(loaded, settings):
    engine, paths, _ = loaded
    before = {t.name: _rows(engine, t) for t in schema.metadata.sorted_tables}
    again = demo_recommendations.load(engine, settings, paths)
    assert [r.already_loaded for r in again] == [True, True]
    for table in schema.metadata.sorted_tables:
        assert _rows(engine, table).equals(before[table.name]), table.name


def test_every_source_is_demo_so_the_banner_shows(loaded):
    engine, _, _ = loaded
    status = read_status(engine)
    assert status.any_demo
    assert [(s.file_name, s.is_demo) for s in status.sources] == [
        (demo_recommendations.TRACKER_NAME, True),
        (demo_recommendations.RESPONSE_NAME, True),
    ]


def test_an_earlier_as_of_leaves_out_later_reports_and_history(engine, settings, tmp_path):
    as_of = dt.date(2019, 6, 1)
    demo_recommendations.load(engine, settings, demo_recommendations.write_files(tmp_path, settings, as_of))
    reports = reports_frame(engine, settings, as_of)
    assert reports[["key", "publication_date", "response_label"]].values.tolist() == [
        ["living-in-fear-2017", dt.date(2017, 7, 5), "met 17 days late"],
        ["sussex-and-national-update-2019", dt.date(2019, 4, 10), "met on time"],
        [FOLLOW_UP_KEY, dt.date(2019, 5, 11), "34 days left"],
    ]
    assert max(updates_frame(engine)["date"]) <= as_of


def _rows(engine, table: sa.Table) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(sa.select(table).order_by(*table.primary_key.columns))
        return pd.DataFrame(result.all(), columns=list(result.keys()))
