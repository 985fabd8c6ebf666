"""Local events: exact rows from the template, a new file replaces the last, charts get breaks and events."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from files import write_csv
from stored import contents, refused

import pcc_cli as cli
from data_loaders import ingest, schema
from data_loaders.sources import events
from data_loaders.status import read_status

D = dt.date
HEADER = ["Date", "Label", "Kind", "Detail"]
CLINIC = "Multi-agency stalking clinic pilot launched"
SPOC = "Stalking SPOC network established"
REPORT = "HMICFRS super-complaint report published"
ROWS = [
    ["2019-02-04", CLINIC, "Local initiative", "Weekly case reviews with health and probation"],
    ["01/10/2020", SPOC, "local_initiative", ""],
    ["27 Sep 2024", REPORT, "Publication", "The police response to stalking"],
    ["2021-05", "College of Policing stalking training rolled out", "TRAINING", None],
]
STORED = [
    ("local", D(2019, 2, 4), CLINIC, "local_initiative", "Weekly case reviews with health and probation"),
    ("local", D(2020, 10, 1), SPOC, "local_initiative", ""),
    ("local", D(2021, 5, 1), "College of Policing stalking training rolled out", "training", ""),
    ("local", D(2024, 9, 27), REPORT, "publication", "The police response to stalking"),
]


def stored_rows(engine) -> list[tuple]:
    ev = schema.events
    query = sa.select(ev.c.scope, ev.c.date, ev.c.label, ev.c.kind, ev.c.detail).order_by(ev.c.date, ev.c.label)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


@pytest.fixture
def loaded(engine, settings, tmp_path):
    """A database holding an earlier events file."""
    ingest.load_files([write_csv(tmp_path / "events-old.csv", [HEADER, ROWS[0]])], engine, settings)
    return engine


def test_the_csv_template_stores_exact_rows(engine, settings, tmp_path):
    [result] = ingest.load_files([write_csv(tmp_path / "events.csv", [HEADER, *ROWS])], engine, settings)
    assert stored_rows(engine) == STORED
    assert (result.kind, result.rows_stored) == ("events", 4)


def test_the_xlsx_template_with_date_cells_and_no_detail_column_stores_exact_rows(engine, settings, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Local events for the dashboard"])
    sheet.append(["Event Date", "Event", "Type"])
    sheet.append([dt.datetime(2019, 2, 4), CLINIC, "Local initiative"])
    sheet.append([dt.date(2024, 9, 27), REPORT, "publication"])
    book.save(tmp_path / "events.xlsx")
    ingest.load_files([tmp_path / "events.xlsx"], engine, settings)
    assert stored_rows(engine) == [
        ("local", D(2019, 2, 4), CLINIC, "local_initiative", ""),
        ("local", D(2024, 9, 27), REPORT, "publication", ""),
    ]


def test_a_new_events_file_replaces_every_earlier_local_event(loaded, settings, tmp_path):
    newer = write_csv(tmp_path / "events-new.csv", [HEADER, ROWS[1], ROWS[2]])
    [result] = ingest.load_files([newer], loaded, settings)
    assert stored_rows(loaded) == [STORED[1], STORED[3]]
    assert result.periods_replaced == 1
    before = contents(loaded)
    assert ingest.load_files([newer], loaded, settings)[0].already_loaded
    assert contents(loaded) == before


def test_broken_rows_are_refused_and_nothing_changes(loaded, settings, tmp_path):
    rows = [
        ["31/02/2020", "Impossible date", "Other", ""],
        ["2020-03-01", "", "Other", ""],
        ["2020-03-02", "Briefing", "Press conference", ""],
        ["2020-03-03", "x" * 201, "Other", ""],
        ["2020-03-04", "Repeated", "Other", ""],
        ["04/03/2020", "Repeated", "other", ""],
    ]
    kinds = "Local initiative, Training, Policy change, Publication, Other"
    assert refused(loaded, settings, write_csv(tmp_path / "e.csv", [HEADER, *rows])) == [
        "e.csv, row 2, column 'Date': found '31/02/2020'; expected a date such as '2019-02-01' or '1 Feb 2019' "
        "(or a month such as '2019-02')",
        "e.csv, row 3, column 'Label': found ''; expected a short label for the event",
        "e.csv, row 5, column 'Label': found '" + "x" * 201 + "'; expected at most 200 characters",
        f"e.csv, row 4, column 'Kind': found 'Press conference'; expected one of the event kinds: {kinds}",
        "e.csv, row 7, column 'Label': found '2020-03-04 Repeated'; each event (date and label) may appear once; "
        "this repeats row 6",
    ]


def test_all_events_gives_series_breaks_and_local_events_by_date(engine, settings, tmp_path):
    ingest.load_files([write_csv(tmp_path / "events.csv", [HEADER, *ROWS])], engine, settings)
    combined = events.all_events(engine, settings)
    assert list(combined.columns) == ["date", "label", "kind", "kind_label", "detail", "source", "rebase"]
    assert combined["date"].tolist() == sorted(combined["date"])
    assert len(combined) == len(settings.series_breaks) + 4
    local = combined[combined["source"] == "local event"]
    assert local[["date", "label", "kind_label"]].values.tolist() == [
        [D(2019, 2, 4), CLINIC, "Local initiative"],
        [D(2020, 10, 1), SPOC, "Local initiative"],
        [D(2021, 5, 1), "College of Policing stalking training rolled out", "Training"],
        [D(2024, 9, 27), REPORT, "Publication"],
    ]
    assert not local["rebase"].any()
    breaks = combined[combined["source"] == "series break"]
    assert breaks["label"].tolist() == [b.label for b in settings.series_breaks]
    assert breaks["rebase"].tolist() == [b.rebase for b in settings.series_breaks]


def test_without_local_events_only_the_series_breaks_are_given(engine, settings):
    combined = events.all_events(engine, settings)
    assert combined["kind"].unique().tolist() == ["series_break"]
    assert events.combine_events(settings, pd.DataFrame(columns=["date", "label", "kind", "detail"])).shape[0] == len(
        settings.series_breaks
    )


def test_status_and_the_dump_give_the_file_back(engine, settings, tmp_path, capsys, monkeypatch):
    ingest.load_files([write_csv(tmp_path / "events.csv", [HEADER, *ROWS])], engine, settings)
    [kind] = [k for k in read_status(engine).kinds if k.kind == "local events"]
    assert (kind.rows, kind.units, kind.first_period, kind.last_period) == (4, "", "2019", "2024")

    monkeypatch.setenv("PCC_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    dumped = tmp_path / "dumped.csv"
    assert cli.main(["dump", "events", "--out", str(dumped)]) == 0
    rows, problems = events.clean(events.read(dumped), settings)
    assert problems == []
    assert [tuple(r) for r in rows.itertuples(index=False)] == STORED
