"""A response document never silently overwrites what a tracker recorded: conflicts are kept and reported."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from test_pcc_response import OWNER, R1_TEXT, R2_TEXT, REFERENCE

from data_loaders import schema
from data_loaders.recommendations.ingest import load_recommendation_files
from data_loaders.recommendations.queries import recommendations_frame
from pcc_cli import main

RESPONSE = REFERENCE
SUSSEX = "sussex-and-national-update-2019"
REPORT = (
    "Stalking and harassment: an inspection of Sussex Police commissioned by the Police and Crime Commissioner, "
    "and an update on national recommendations in HMICFRS's 2017 report"
)
TRACKER_OWNER = "Detective Chief Inspector, Public Protection"
DOCUMENT_OWNER = OWNER
TRACKER_TIMESCALE = "By December 2019"
KEPT = (
    "2 values in the document differ from what is stored; the stored value was kept (load the document again "
    "choosing the document's values to replace them): "
    f"R1 owner: stored '{TRACKER_OWNER}', document '{DOCUMENT_OWNER}'; "
    f"R2 timescale: stored '{TRACKER_TIMESCALE}', document 'Within six months'."
)


def write_tracker(folder: Path) -> Path:
    """The office's tracker for the 2019 report: R1 with its own owner, R2 with its own timescale and its text
    spaced differently; neither has the response text."""
    path = folder / "tracker.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Report", "Reference", "Recommendation", "Timescale", "Owner"])
        writer.writerow([REPORT, "R1", R1_TEXT, "", TRACKER_OWNER])
        writer.writerow([REPORT, "R2", R2_TEXT.replace(" ", "  ", 3), TRACKER_TIMESCALE, ""])
    return path


def stored(engine, settings) -> dict[str, tuple]:
    frame = (
        recommendations_frame(engine, settings, dt.date(2024, 12, 1)).set_index(["report_key", "reference"]).loc[SUSSEX]
    )
    return {
        ref: (row.owner, row.timescale, " ".join(row.text.split()) == " ".join(text.split()), row.response_html[:22])
        for (ref, row), text in zip(frame.iterrows(), (R1_TEXT, R2_TEXT), strict=True)
    }


def audited_changes(engine) -> list[str]:
    log = schema.audit_log
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(log.c.after).where(log.c.table_name == "recommendations", log.c.action == "update")
        ).all()
    return [row.after for row in rows]


def test_a_response_keeps_what_the_tracker_recorded_and_reports_each_difference(engine, settings, tmp_path):
    load_recommendation_files([write_tracker(tmp_path)], engine, settings, author="analyst@opcc.example")
    (result,) = load_recommendation_files([RESPONSE], engine, settings, author="analyst@opcc.example")
    assert result.describe() == (
        f"{RESPONSE.name}: 2 recommendations as pcc-response (0 new, 2 changed, 0 updates added). {KEPT}"
    )
    assert [(c.reference, c.field, c.kept_stored) for c in result.counts.conflicts] == [
        ("R1", "owner", True),
        ("R2", "timescale", True),
    ]
    # The owner and timescale the tracker recorded stay; what it left empty (R1's timescale, R2's owner and
    # both responses) is filled in from the document; R2's text, the same but for spacing, is not rewritten.
    assert stored(engine, settings) == {
        "R1": (TRACKER_OWNER, "Within six months", True, "<p>In D&C stalking off"),
        "R2": (DOCUMENT_OWNER, TRACKER_TIMESCALE, True, "<p>All officers are du"),
    }
    assert not any(TRACKER_OWNER in after or TRACKER_TIMESCALE in after for after in audited_changes(engine))


def test_asked_to_prefer_the_document_it_replaces_them_and_says_so(engine, settings, tmp_path):
    load_recommendation_files([write_tracker(tmp_path)], engine, settings, author="analyst@opcc.example")
    load_recommendation_files([RESPONSE], engine, settings, author="analyst@opcc.example")
    (again,) = load_recommendation_files([RESPONSE], engine, settings, author="lead@opcc.example", prefer_document=True)
    assert again.describe() == (
        f"{RESPONSE.name}: 2 recommendations as pcc-response (0 new, 2 changed, 0 updates added). "
        "2 stored values replaced by the document's, as asked: "
        f"R1 owner: stored '{TRACKER_OWNER}', document '{DOCUMENT_OWNER}'; "
        f"R2 timescale: stored '{TRACKER_TIMESCALE}', document 'Within six months'."
    )
    assert stored(engine, settings) == {
        "R1": (DOCUMENT_OWNER, "Within six months", True, "<p>In D&C stalking off"),
        "R2": (DOCUMENT_OWNER, "Within six months", True, "<p>All officers are du"),
    }
    assert sum(DOCUMENT_OWNER in after for after in audited_changes(engine)) == 2  # filled in, then replaced
    (third,) = load_recommendation_files([RESPONSE], engine, settings, author="lead@opcc.example")
    assert third.already_loaded


def test_a_tracker_loaded_after_the_document_is_still_the_record(engine, settings, tmp_path):
    (response, tracker) = load_recommendation_files(
        [RESPONSE, write_tracker(tmp_path)], engine, settings, author="analyst@opcc.example"
    )
    assert response.counts.conflicts == tracker.counts.conflicts == []
    assert stored(engine, settings)["R1"][0] == TRACKER_OWNER


def test_the_command_line_reports_the_conflicts_and_takes_the_document_when_asked(cli_sqlite, tmp_path, capsys):
    assert main(["load-recommendations", str(write_tracker(tmp_path)), "--author", "a@opcc.example"]) == 0
    capsys.readouterr()
    assert main(["load-recommendations", str(RESPONSE), "--author", "a@opcc.example"]) == 0
    assert capsys.readouterr().out == (
        f"{RESPONSE.name}: 2 recommendations as pcc-response (0 new, 2 changed, 0 updates added). {KEPT}\n"
    )
    assert main(["load-recommendations", str(RESPONSE), "--prefer-document", "--author", "a@opcc.example"]) == 0
    assert "2 stored values replaced by the document's, as asked: R1 owner:" in capsys.readouterr().out
