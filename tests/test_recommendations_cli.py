"""The command line for recommendations: load-recommendations, load-history, dump recommendations, hash-password."""

from __future__ import annotations

import csv
import io

from test_recommendations import DUMP_FIRST_COLUMNS, RESPONSE, TRACKER

from dashboard.ui.sign_in import check_password
from pcc_cli import main


def dumped(capsys) -> list[dict[str, str]]:
    assert main(["dump", "recommendations"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_load_then_dump_recommendations(cli_db, capsys):
    assert main(["load-recommendations", str(RESPONSE), str(TRACKER), "--author", "analyst@opcc.example"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{RESPONSE.name}: 2 recommendations as pcc-response (2 new, 0 changed, 0 updates added).")
    rows = dumped(capsys)
    assert list(rows[0])[:7] == DUMP_FIRST_COLUMNS
    sussex = [r for r in rows if r["report"].startswith("Stalking and harassment")]
    assert [(r["reference"], r["status"], r["due_date"], r["overdue"]) for r in sussex] == [
        ("R1", "being-progressed", "2019-10-10", "True"),
        ("R2", "", "2019-10-10", "True"),
    ]
    assert [r["owner"] for r in rows if r["reference"] == "R3"] == ['\'=HYPERLINK("https://evil.example","click")']


def test_load_history_by_report_key_and_reference(cli_sqlite, tmp_path, capsys):
    main(["load-recommendations", str(RESPONSE)])
    capsys.readouterr()
    history = tmp_path / "history.txt"
    history.write_text(
        "[on]10th April 2019 [status]awaiting-review[/status][/on][on]4th June 2019 [status]complete[/status][/on]"
    )
    assert main(["load-history", str(history), "--report", "sussex-and-national-update-2019", "--reference", "2"]) == 0
    assert (
        capsys.readouterr().out
        == "history.txt: 1 recommendation as hmicfrs-history (0 new, 0 changed, 2 updates added).\n"
    )
    r2 = [r for r in dumped(capsys) if r["reference"] == "R2"][0]
    assert (r2["status"], r2["status_category"], r2["overdue"]) == ("complete", "complete", "False")


def test_a_refused_recommendation_file_exits_1_and_writes_nothing(cli_sqlite, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Report,Reference,Recommendation,Status,Status Date\nLiving in fear,R1,Do this.,complete,someday\n")
    assert main(["load-recommendations", str(TRACKER), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == (
        "Refused: 1 problem; nothing was written.\n"
        "- bad.csv, row 2, column 'Status Date': found 'someday'; expected a date such as 04/06/2019 or '4th June 2019'\n"
    )
    assert dumped(capsys) == []


def test_status_lists_the_recommendations(cli_sqlite, capsys):
    main(["load-recommendations", str(RESPONSE)])
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "inspection recommendations: 2 rows, 1 report, 2019-04-10 to 2019-04-10" in out
    assert f"{RESPONSE.name}: pcc-response, loaded " in out and "2 of 2 rows in force" in out


def test_hash_password_prints_a_secrets_line_that_checks(monkeypatch, capsys):
    entries = iter(["correct horse", "correct horse"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(entries))
    assert main(["hash-password"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith('editor_password_hash = "scrypt$')
    assert check_password("correct horse", line.split('"')[1])


def test_hash_password_refuses_two_different_entries(monkeypatch, capsys):
    entries = iter(["one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(entries))
    assert main(["hash-password"]) == 1
    assert "the two entries differ" in capsys.readouterr().err
