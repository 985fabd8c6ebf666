"""Recording progress: updates append, statuses follow the latest, every change audited, stale edits refused."""

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_loaders import database, schema
from data_loaders.recommendations import store as recommendations
from data_loaders.recommendations.ingest import load_recommendation_files
from data_loaders.recommendations.queries import (
    audit_frame,
    recommendations_dump,
    recommendations_frame,
    reports_frame,
    status_mix_by_month,
    updates_frame,
)
from data_loaders.recommendations.store import ConcurrentEditError, EditRefused, add_update, set_report_details

DATA = Path(__file__).with_name("data")
RESPONSE = DATA / "dc-response-hmicfrs-stalking-2019.txt"
TRACKER = DATA / "recommendations-tracker.csv"
D = dt.date
# The first columns of the recommendations dump, from the library and from the command line alike.
DUMP_FIRST_COLUMNS = ["report", "reference", "status", "status_category", "status_date", "due_date", "overdue"]


def update(engine, settings, recommendation_id, *, version, status, **given):
    """``add_update`` with what a test names (``date``, ``comment``, ``evidence_link``, ``author``); author "a"."""
    given = {"comment": None, "evidence_link": None, "author": "a"} | given
    return add_update(engine, recommendation_id, status=status, expected_version=version, settings=settings, **given)


@pytest.fixture
def loaded(engine, settings):
    """The reference response loaded: R1 and R2 of the 2019 report, each at version 1."""
    load_recommendation_files([RESPONSE], engine, settings, author="loader@opcc.example")
    frame = recommendations_frame(engine, settings, D(2019, 9, 1))
    return engine, {ref: int(i) for ref, i in zip(frame["reference"], frame["id"], strict=True)}


def test_an_update_appends_history_moves_the_status_and_raises_the_version(loaded, settings):
    engine, ids = loaded
    saved = update(
        engine,
        settings,
        ids["R1"],
        version=1,
        status="being-progressed",
        date=D(2019, 6, 4),
        comment="Audit commissioned",
        evidence_link="https://example.org/audit",
        author="analyst@opcc.example",
    )
    assert (saved.recommendation_id, saved.version, saved.status_category) == (ids["R1"], 2, "in progress")
    row = recommendations_frame(engine, settings, D(2019, 9, 1)).set_index("reference").loc["R1"]
    assert (row.status, row.status_category, row.status_date, row.version) == (
        "being-progressed",
        "in progress",
        D(2019, 6, 4),
        2,
    )
    history = updates_frame(engine, ids["R1"])
    assert history[["date", "status", "comment", "evidence_link", "author", "source_file"]].to_dict("records") == [
        {
            "date": D(2019, 6, 4),
            "status": "being-progressed",
            "comment": "Audit commissioned",
            "evidence_link": "https://example.org/audit",
            "author": "analyst@opcc.example",
            "source_file": None,
        }
    ]


def test_a_category_name_is_accepted_as_the_status(loaded, settings):
    engine, ids = loaded
    saved = update(engine, settings, ids["R2"], version=1, status="Complete", author="a@x")
    assert saved.status_category == "complete"


def test_a_comment_alone_keeps_the_status_but_raises_the_version(loaded, settings):
    engine, ids = loaded
    update(engine, settings, ids["R1"], version=1, status="complete", date=D(2020, 1, 6), author="a@x")
    saved = update(
        engine, settings, ids["R1"], version=2, status=None, date=D(2020, 2, 1), comment="Evidence filed", author="a@x"
    )
    assert (saved.version, saved.status_category) == (3, "complete")
    assert list(updates_frame(engine, ids["R1"])["comment"]) == [None, "Evidence filed"]


def test_every_change_is_in_the_audit_log_with_before_and_after(loaded, settings):
    engine, ids = loaded
    update(
        engine,
        settings,
        ids["R1"],
        version=1,
        status="complete",
        date=D(2019, 10, 1),
        comment="Done",
        author="chief.exec@opcc.example",
    )
    log = audit_frame(engine, "recommendations", ids["R1"])
    latest = log.iloc[0]
    assert (latest.who, latest.action) == ("chief.exec@opcc.example", "update")
    assert json.loads(latest.before) == {
        "status_category": "not started",
        "status_date": None,
        "status_source": None,
        "version": 1,
    }
    assert json.loads(latest.after) == {
        "status_category": "complete",
        "status_date": "2019-10-01",
        "status_source": "complete",
        "version": 2,
    }
    assert isinstance(latest["at"], dt.datetime)
    inserted = audit_frame(engine, "recommendation_updates").iloc[0]
    assert (inserted.who, inserted.action, inserted.before) == ("chief.exec@opcc.example", "insert", None)
    assert json.loads(inserted.after)["comment"] == "Done"
    # the load that created the recommendation is there too, oldest last
    assert (log.iloc[-1].who, log.iloc[-1].action) == ("loader@opcc.example", "insert")


def test_the_second_of_two_concurrent_saves_is_refused_and_the_first_is_kept(loaded, settings):
    engine, ids = loaded
    # Two people open R1: both see version 1.
    seen_by_first = int(
        recommendations_frame(engine, settings, D(2019, 9, 1)).set_index("reference").loc["R1", "version"]
    )
    seen_by_second = seen_by_first
    assert seen_by_first == 1
    update(
        engine,
        settings,
        ids["R1"],
        version=seen_by_first,
        status="being-progressed",
        date=D(2019, 6, 4),
        comment="First person's update",
        author="first@opcc.example",
    )
    audit_before = len(audit_frame(engine))
    with pytest.raises(ConcurrentEditError) as caught:
        update(
            engine,
            settings,
            ids["R1"],
            version=seen_by_second,
            status="complete",
            date=D(2019, 6, 5),
            comment="Second person's update",
            author="second@opcc.example",
        )
    message = str(caught.value)
    assert message.startswith("This recommendation was changed by first@opcc.example at ")
    assert (
        "after you opened it (version 1, now 2). Your update was not saved, and nothing already saved was changed."
        in message
    )
    row = recommendations_frame(engine, settings, D(2019, 9, 1)).set_index("reference").loc["R1"]
    assert (row.status, row.version) == ("being-progressed", 2)
    assert list(updates_frame(engine, ids["R1"])["comment"]) == ["First person's update"]
    assert len(audit_frame(engine)) == audit_before


def test_a_save_that_loses_the_race_inside_its_transaction_is_rolled_back(loaded, settings, monkeypatch):
    """The version check is repeated by the UPDATE itself, so a change committed mid-save still wins."""
    engine, ids = loaded
    real_append = recommendations._append_updates
    other = database.make_engine(engine.url.render_as_string(hide_password=False))

    def first_person_saves_meanwhile(connection, recommendation_id, items, *args, **kwargs):
        monkeypatch.setattr(recommendations, "_append_updates", real_append)
        update(
            other,
            settings,
            recommendation_id,
            version=1,
            status="being-progressed",
            date=D(2019, 6, 4),
            comment="Saved first",
            author="first@opcc.example",
        )
        return real_append(connection, recommendation_id, items, *args, **kwargs)

    monkeypatch.setattr(recommendations, "_append_updates", first_person_saves_meanwhile)
    with pytest.raises(ConcurrentEditError, match=r"\(version 1, now 2\)"):
        update(
            engine,
            settings,
            ids["R1"],
            version=1,
            status="complete",
            date=D(2019, 6, 5),
            comment="Saved second",
            author="second@opcc.example",
        )
    other.dispose()
    assert list(updates_frame(engine, ids["R1"])["comment"]) == ["Saved first"]
    row = recommendations_frame(engine, settings, D(2019, 9, 1)).set_index("reference").loc["R1"]
    assert (row.status, row.version) == ("being-progressed", 2)


def test_a_load_in_between_also_makes_an_open_edit_stale(engine, settings, tmp_path):
    load_recommendation_files([TRACKER], engine, settings, author="loader")
    row = (
        recommendations_frame(engine, settings, D(2024, 12, 1))
        .set_index(["report_key", "reference"])
        .loc[("living-in-fear-2017", "R2")]
    )
    newer = tmp_path / "newer.csv"
    newer.write_text(TRACKER.read_text().replace("Head of Crime", "Head of Public Protection"))
    load_recommendation_files([newer], engine, settings, author="loader")
    with pytest.raises(ConcurrentEditError, match="changed by loader"):
        update(engine, settings, int(row.id), version=int(row.version), status="complete", author="a@x")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"status": None, "comment": " ", "evidence_link": None},
            "an update needs a status, a comment or an evidence link",
        ),
        (
            {"status": "complete", "comment": None, "evidence_link": "javascript:alert(1)"},
            "the evidence link must be a web address",
        ),
        (
            {"status": "complete", "comment": None, "evidence_link": "data:text/html,x"},
            "the evidence link must be a web address",
        ),
        ({"status": "complete", "comment": None, "evidence_link": None, "author": " "}, "an update needs its author"),
    ],
)
def test_updates_that_say_nothing_or_carry_bad_links_are_refused(loaded, settings, kwargs, message):
    engine, ids = loaded
    arguments = {"author": "a@x", **kwargs}
    with pytest.raises(EditRefused, match=message):
        add_update(engine, ids["R1"], expected_version=1, settings=settings, **arguments)
    assert updates_frame(engine, ids["R1"]).empty


def test_an_unknown_recommendation_is_refused(loaded, settings):
    engine, _ = loaded
    with pytest.raises(EditRefused, match="there is no recommendation 999"):
        update(engine, settings, 999, version=1, status="complete")


def test_the_same_update_twice_is_refused(loaded, settings):
    engine, ids = loaded
    update(engine, settings, ids["R1"], version=1, status="complete", date=D(2020, 1, 1), comment="x")
    with pytest.raises(EditRefused, match="already in the history"):
        update(engine, settings, ids["R1"], version=2, status="complete", date=D(2020, 1, 1), comment="x")


def test_report_details_record_the_response_date_and_are_audited(loaded, settings):
    engine, _ = loaded
    report = reports_frame(engine, settings, D(2019, 7, 1)).iloc[0]
    assert (report.response_state, report.response_label) == ("overdue", "overdue by 27 days")
    changed = set_report_details(
        engine,
        int(report.id),
        author="analyst@opcc.example",
        response_published=D(2019, 6, 3),
        link="https://example.org/response",
    )
    assert changed == {"response_published": D(2019, 6, 3), "link": "https://example.org/response"}
    report = reports_frame(engine, settings, D(2019, 7, 1)).iloc[0]
    assert (report.response_state, report.response_label, report.response_days) == ("met on time", "met on time", 1)
    entry = audit_frame(engine, "reports", int(report.id)).iloc[0]
    assert json.loads(entry.before) == {"link": None, "response_published": None}
    assert set_report_details(engine, int(report.id), author="a", response_published=D(2019, 6, 3)) == {}
    with pytest.raises(EditRefused, match="web address"):
        set_report_details(engine, int(report.id), author="a", link="javascript:alert(1)")


def test_status_mix_by_month_follows_the_history(loaded, settings):
    engine, ids = loaded
    update(engine, settings, ids["R1"], version=1, status="being-progressed", date=D(2019, 5, 20))
    update(engine, settings, ids["R1"], version=2, status="complete", date=D(2019, 7, 1))
    today = D(2019, 7, 15)
    mix = status_mix_by_month(recommendations_frame(engine, settings, today), updates_frame(engine), settings, today)
    assert [tuple(r) for r in mix.itertuples(index=False)] == [
        (D(2019, 4, 1), "not started", 2),
        (D(2019, 5, 1), "not started", 1),
        (D(2019, 5, 1), "in progress", 1),
        (D(2019, 6, 1), "not started", 1),
        (D(2019, 6, 1), "in progress", 1),
        (D(2019, 7, 1), "not started", 1),
        (D(2019, 7, 1), "complete", 1),
    ]


def test_the_dump_is_spreadsheet_safe(engine, settings):
    load_recommendation_files([TRACKER], engine, settings, author="loader")
    dump = recommendations_dump(engine, settings, D(2024, 12, 1))
    assert list(dump.columns[:7]) == DUMP_FIRST_COLUMNS
    row = dump[dump["reference"] == "R3"].iloc[0]
    assert row.owner == '\'=HYPERLINK("https://evil.example","click")'
    assert bool(row.overdue) is True
    assert dump["overdue"].tolist() == [False, True, True, True, False]


def test_nothing_loaded_gives_empty_tables(engine, settings):
    assert recommendations_frame(engine, settings, D(2024, 1, 1)).empty
    assert reports_frame(engine, settings, D(2024, 1, 1)).empty
    assert updates_frame(engine).empty
    assert status_mix_by_month(
        recommendations_frame(engine, settings, D(2024, 1, 1)), updates_frame(engine), settings, D(2024, 1, 1)
    ).empty


def test_the_audit_log_is_only_ever_appended_to():
    """No code path updates or deletes audit rows."""
    root = Path(__file__).resolve().parents[1] / "data_loaders"
    for path in root.glob("*.py"):
        text = path.read_text()
        assert "audit_log.update" not in text and "audit_log.delete" not in text, path.name
    with pytest.raises(sa.exc.IntegrityError):
        engine = database.make_engine("sqlite://")
        database.migrate(engine)
        with engine.begin() as connection:
            connection.execute(
                schema.audit_log.insert().values(
                    at=dt.datetime(2024, 1, 1), who="x", table_name="t", record_id=1, action="delete", after="{}"
                )
            )
