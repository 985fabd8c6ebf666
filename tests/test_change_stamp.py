"""One truth across processes: every write raises the database's change stamp in its own transaction, the app's
cached reads are keyed on it, and two saves racing on one recommendation are both kept or one is refused, never
lost."""

from __future__ import annotations

import ast
import threading

import pytest
import sqlalchemy as sa
from browser import BROKEN_FILE, BROKEN_ROWS, TINY_FILE, TINY_ROWS, write_table
from conftest import ROOT, TEST_DATA

from dashboard import queries
from data_loaders import database, ingest, schema
from data_loaders.recommendations import store
from data_loaders.recommendations.ingest import load_recommendation_files
from data_loaders.refusals import LoadRefused
from pcc_cli import main

RESPONSE = TEST_DATA / "dc-response-hmicfrs-stalking-2019.txt"


def stamp(engine) -> int:
    with engine.connect() as connection:
        return database.read_change_stamp(connection)


def first_recommendation(engine) -> tuple[int, int]:
    recs = schema.recommendations
    with engine.connect() as connection:
        row = connection.execute(sa.select(recs.c.id, recs.c.version).order_by(recs.c.id).limit(1)).one()
    return row.id, row.version


def save(engine, settings, rid: int, version: int, comment: str, author: str = "Ana Analyst"):
    return store.add_update(
        engine,
        rid,
        status="in progress",
        comment=comment,
        evidence_link=None,
        author=author,
        expected_version=version,
        settings=settings,
    )


def test_every_write_raises_the_stamp_once_and_nothing_else_does(engine, settings, tmp_path):
    assert stamp(engine) == 0
    table = write_table(tmp_path, TINY_FILE, TINY_ROWS)
    ingest.load_files([table], engine, settings)
    assert stamp(engine) == 1
    ingest.load_files([table], engine, settings)
    assert stamp(engine) == 1, "the same file twice changes nothing, the stamp included"
    with pytest.raises(LoadRefused):
        ingest.load_files([write_table(tmp_path, BROKEN_FILE, BROKEN_ROWS)], engine, settings)
    assert stamp(engine) == 1, "a refused load is rolled back with its stamp"
    load_recommendation_files([RESPONSE], engine, settings, author="Loader")
    assert stamp(engine) == 2
    load_recommendation_files([RESPONSE], engine, settings, author="Loader")
    assert stamp(engine) == 2
    rid, version = first_recommendation(engine)
    save(engine, settings, rid, version, "Plan agreed")
    assert stamp(engine) == 3
    with pytest.raises(store.ConcurrentEditError):
        save(engine, settings, rid, version, "A stale form")
    assert stamp(engine) == 3
    report_id = store.set_report_details(engine, 1, author="Ana Analyst", link="https://opcc.example.org/r")
    assert report_id == {"link": "https://opcc.example.org/r"}
    assert stamp(engine) == 4
    assert store.set_report_details(engine, 1, author="Ana Analyst", link="https://opcc.example.org/r") == {}
    assert stamp(engine) == 4


def test_building_and_clearing_the_demo_raise_the_stamp(cli_db, settings, tmp_path):
    engine = database.make_engine(cli_db)
    database.migrate(engine)
    ingest.load_files([write_table(tmp_path, TINY_FILE, TINY_ROWS)], engine, settings, is_demo=True)
    assert stamp(engine) == 1
    assert main(["clear-demo"]) == 0
    assert stamp(engine) == 2
    assert main(["clear-demo"]) == 0
    assert stamp(engine) == 2, "nothing left to clear: nothing changed"
    engine.dispose()


def test_a_page_run_reads_the_stamp_once_and_sees_another_process_s_write_at_the_next_run(
    monkeypatch, db_url, settings
):
    monkeypatch.setenv("PCC_DATABASE_URL", db_url)
    other = database.make_engine(db_url)  # another process's connection to the same database
    database.migrate(other)
    load_recommendation_files([RESPONSE], other, settings, author="Loader")
    queries.refresh()  # a page run starts
    rid, version = first_recommendation(other)
    assert queries.oversight_table("recommendations").set_index("id").loc[rid, "version"] == version
    save(other, settings, rid, version, "Saved in another process")
    # The same run keeps to what it read at its start: no second read of the stamp, the same figures.
    assert queries.oversight_table("recommendations").set_index("id").loc[rid, "version"] == version
    queries.refresh()  # the next run (the next click), no cache cleared
    shown = queries.oversight_table("recommendations").set_index("id").loc[rid]
    assert (shown["version"], shown["status_category"]) == (version + 1, "in progress")
    comments = queries.oversight_table("recommendation_updates").query("recommendation_id == @rid")["comment"].tolist()
    assert comments[-1] == "Saved in another process"
    other.dispose()


@pytest.mark.postgres
def test_saves_racing_on_one_recommendation_are_kept_or_refused_never_lost(engine, settings):
    if engine.dialect.name != "postgresql":
        pytest.skip("the race is run on PostgreSQL, where the shared deployment's processes write at once")
    load_recommendation_files([RESPONSE], engine, settings, author="Loader")
    rid, _ = first_recommendation(engine)
    kept: list[str] = []
    for round_ in range(12):
        _, version = first_recommendation(engine)
        start = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def editor(name: str, version=version, round_=round_, outcomes=outcomes, start=start) -> None:
            start.wait()
            try:
                save(engine, settings, rid, version, f"round {round_} by {name}", author=name)
                outcomes[name] = "saved"
            except store.ConcurrentEditError:
                outcomes[name] = "refused"

        threads = [threading.Thread(target=editor, args=(name,)) for name in ("Ana", "Ben")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes.values()) == ["refused", "saved"], f"round {round_}: {outcomes}"
        kept += [f"round {round_} by {name}" for name, outcome in outcomes.items() if outcome == "saved"]
        assert first_recommendation(engine)[1] == version + 1
    updates = schema.recommendation_updates
    with engine.connect() as connection:
        comments = connection.execute(
            sa.select(updates.c.comment).where(updates.c.recommendation_id == rid, updates.c.author != "Loader")
        ).scalars()
        assert sorted(comments) == sorted(kept), "every save reported as saved is in the history, and only those"
    assert stamp(engine) == 1 + 12


# Writes go through database.writing, which raises the stamp; these write what is not data the pages show.
OWN_TRANSACTIONS = {"data_loaders/database.py", "data_loaders/migrations/env.py", "dashboard/ui/throttle.py"}


def test_every_write_transaction_raises_the_stamp():
    """A new write path that opened its own ``engine.begin()`` would leave other processes showing old figures."""
    offenders = []
    for path in [*ROOT.glob("data_loaders/**/*.py"), *ROOT.glob("dashboard/**/*.py"), ROOT / "pcc_cli.py"]:
        relative = path.relative_to(ROOT).as_posix()
        if relative in OWN_TRANSACTIONS or "versions" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"begin", "commit", "raw_connection"}:
                offenders.append(f"{relative}:{node.lineno}")
    assert offenders == []


def test_the_stamp_is_read_again_after_the_server_dropped_the_connection(db_url, settings, tmp_path):
    engine = database.make_engine(db_url)
    database.migrate(engine)
    assert database.change_stamp_of(db_url) == 0
    ingest.load_files([write_table(tmp_path, TINY_FILE, TINY_ROWS)], engine, settings)
    if engine.dialect.name == "postgresql":  # the server restarts, or an administrator ends every session
        with engine.connect() as connection:
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
    assert database.change_stamp_of(db_url) == 1
    engine.dispose()
