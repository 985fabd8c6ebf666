"""The command line: load, status, status --json, dump; exit codes; the installed entry point."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
import stored

from data_loaders import database
from pcc_cli import main

ENTRY_POINT = Path(sys.executable).with_name("pcc-dashboard")
HEADER = "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Code,Number of Offences\n"
CRIME_NAME = "prc-pfa-mar2013-onwards-tables-190723.csv"


@pytest.fixture
def files(tmp_path):
    crime = tmp_path / CRIME_NAME
    crime.write_text(
        HEADER + "2022/23,3,Dorset,Stalking,8Q,100\n2022/23,4,Dorset,Stalking,8Q,105\n2022/23,4,Kent,Assault,8N,7\n"
    )
    monthly = tmp_path / "dorset-monthly.csv"
    monthly.write_text("Month,Force,Offence Code,Count\nApr 2024,Dorset,8L,30\n")
    population = tmp_path / "population.csv"
    population.write_text("Force,Year,Population\nDorset,2018,772268\n")
    return crime, monthly, population


def contents(url) -> dict[str, list[tuple]]:
    """Every row of every table at ``url``; nothing at all before the schema is made."""
    engine = database.make_engine(url)
    try:
        return {} if database.schema_revision(engine) is None else stored.contents(engine)
    finally:
        engine.dispose()


def test_load_prints_what_it_loaded(cli_db, files, capsys):
    assert main(["load", *map(str, files)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{CRIME_NAME}: loaded 2 rows as recorded-crime; edition 19 July 2023; 1 row of other offences passed over (1 code: 8N).",
        "dorset-monthly.csv: loaded 1 row as monthly-extract.",
        "population.csv: loaded 1 row as population.",
    ]
    assert err == ""  # the progress bar is drawn only on a terminal
    assert len(contents(cli_db)["recorded_crime"]) == 3


def test_a_refused_file_exits_1_with_every_problem_on_stderr_and_writes_nothing(cli_db, files, tmp_path, capsys):
    assert main(["load", str(files[0])]) == 0
    before = contents(cli_db)
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2022/23,Q0,Dorset,Stalking,8Q,1\n2022/23,1,Dorsett,Stalking,8Q,n/a\n")

    assert main(["load", str(files[1]), str(bad)]) == 1

    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "Refused: 3 problems; nothing was written.",
        "- bad.csv, row 2, column 'Financial Quarter': found 'Q0'; expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)",
        "- bad.csv, row 3, column 'Force Name': found 'Dorsett'; expected a police force name; did you mean 'Dorset'?",
        "- bad.csv, row 3, column 'Number of Offences': found 'n/a'; expected a whole number",
    ]
    assert contents(cli_db) == before


def test_a_missing_path_exits_1_and_writes_nothing(cli_sqlite, files, tmp_path, capsys):
    missing = tmp_path / "not-there.csv"
    assert main(["load", str(files[0]), str(missing)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"Refused: no such file: {missing}; nothing was written.\n")
    assert contents(cli_sqlite) == {}


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "the following arguments are required: command" in capsys.readouterr().err


def test_status_on_an_empty_database(cli_sqlite, capsys):
    assert main(["status"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Database: {cli_sqlite} (schema not created)",
        "Nothing is loaded yet. Load files with: pcc-dashboard load PATH...",
    ]


def test_status_says_what_is_loaded_and_from_which_edition(cli_sqlite, files, capsys):
    main(["load", *map(str, files)])
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    lines = [re.sub(r"loaded \d{4}-\d\d-\d\d \d\d:\d\d UTC", "loaded <time> UTC", line) for line in out.splitlines()]
    assert lines[0].startswith(f"Database: {cli_sqlite} (schema ")
    assert "DEMO DATA" not in out
    assert lines[1:] == [
        "WARNING: The year ending March 2023 wants the mid-2021 population estimate; Dorset has only mid-2018, more "
        "than a year older than the 12 months: load newer ONS mid-year estimates.",
        "",
        "recorded-crime (quarterly, Home Office): 2 rows, 1 force, 2022/23 Q3 to 2022/23 Q4",
        f"  2022/23 Q3 to 2022/23 Q4: from {CRIME_NAME} (2023-07-19)",
        "",
        "recorded-crime (monthly, local extract): 1 row, 1 force, 2024-04 to 2024-04",
        "  2024-04: from dorset-monthly.csv (edition not dated)",
        "",
        "population: 1 row, 1 force, mid-2018 to mid-2018",
        "  mid-2018: from population.csv (edition not dated)",
        "",
        "Files loaded (newest first):",
        "  population.csv: population, loaded <time> UTC, 1 of 1 rows in force",
        "  dorset-monthly.csv: monthly-extract, loaded <time> UTC, 1 of 1 rows in force",
        f"  {CRIME_NAME}: recorded-crime, loaded <time> UTC, 2 of 2 rows in force",
    ]


def test_status_json(cli_db, files, capsys):
    main(["load", *map(str, files)])
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)

    assert status["database"] == sa.make_url(cli_db).render_as_string(hide_password=True)
    assert status["any_demo"] is False
    assert status["schema_revision"] is not None
    kinds = {k["kind"]: k for k in status["kinds"]}
    assert list(kinds) == [
        "recorded-crime (quarterly, Home Office)",
        "recorded-crime (monthly, local extract)",
        "population",
    ]
    summary = ("rows", "forces", "first_period", "last_period", "is_demo")
    assert [tuple(k[key] for key in summary) for k in kinds.values()] == [
        (2, 1, "2022/23 Q3", "2022/23 Q4", False),
        (1, 1, "2024-04", "2024-04", False),
        (1, 1, "mid-2018", "mid-2018", False),
    ]
    assert kinds["recorded-crime (quarterly, Home Office)"]["periods"] == [
        {"period": "2022/23 Q3", "rows": 1, "files": [CRIME_NAME], "edition_date": "2023-07-19", "is_demo": False},
        {"period": "2022/23 Q4", "rows": 1, "files": [CRIME_NAME], "edition_date": "2023-07-19", "is_demo": False},
    ]
    assert kinds["recorded-crime (monthly, local extract)"]["periods"] == [
        {"period": "2024-04", "rows": 1, "files": ["dorset-monthly.csv"], "edition_date": None, "is_demo": False}
    ]
    assert kinds["population"]["periods"] == [
        {"period": "mid-2018", "rows": 1, "files": ["population.csv"], "edition_date": None, "is_demo": False}
    ]
    source_fields = ("file_name", "kind", "edition_date", "rows_loaded", "rows_current", "first_period", "last_period")
    assert [tuple(s[f] for f in source_fields) for s in status["sources"]] == [
        ("population.csv", "population", None, 1, 1, "mid-2018", "mid-2018"),
        ("dorset-monthly.csv", "monthly-extract", None, 1, 1, "2024-04-01", "2024-04-01"),
        (CRIME_NAME, "recorded-crime", "2023-07-19", 2, 2, "2022-10-01", "2023-01-01"),
    ]
    assert status["latest_load"] == max(s["loaded_at"] for s in status["sources"])


DUMPED = [
    {
        "force": "Dorset",
        "financial_year": "2022/23",
        "quarter": "3",
        "month": "",
        "offence_code": "8Q",
        "offence_description": "Stalking",
        "count": "100",
        "source_file": CRIME_NAME,
        "source_edition": "2023-07-19",
        "is_demo": "False",
    },
    {
        "force": "Dorset",
        "financial_year": "2022/23",
        "quarter": "4",
        "month": "",
        "offence_code": "8Q",
        "offence_description": "Stalking",
        "count": "105",
        "source_file": CRIME_NAME,
        "source_edition": "2023-07-19",
        "is_demo": "False",
    },
    {
        "force": "Dorset",
        "financial_year": "2024/25",
        "quarter": "1",
        "month": "2024-04",
        "offence_code": "8L",
        "offence_description": "Harassment",
        "count": "30",
        "source_file": "dorset-monthly.csv",
        "source_edition": "",
        "is_demo": "False",
    },
]


def test_dump_recorded_crime_writes_the_cleaned_rows_as_csv(cli_db, files, capsys):
    main(["load", *map(str, files)])
    capsys.readouterr()
    assert main(["dump", "recorded-crime"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows == DUMPED
    assert out.splitlines()[0].startswith("force,financial_year,quarter,month,offence_code,offence_description,count")


def test_dump_to_a_file(cli_sqlite, files, tmp_path, capsys):
    main(["load", *map(str, files)])
    capsys.readouterr()
    target = tmp_path / "out" / "recorded-crime.csv"
    target.parent.mkdir()
    assert main(["dump", "recorded-crime", "--out", str(target)]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"Wrote 3 rows to {target}\n")
    with target.open(newline="") as handle:
        assert list(csv.DictReader(handle)) == DUMPED


def test_dump_of_an_empty_database_is_a_header_only(cli_sqlite, capsys):
    assert main(["dump", "recorded-crime"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "force,financial_year,quarter,month,offence_code,offence_description,count,source_file,source_edition,is_demo"
    ]


def test_the_installed_entry_point_runs(sqlite_url, files, tmp_path):
    assert ENTRY_POINT.is_file(), f"pcc-dashboard is not installed beside {sys.executable}"
    env = {**os.environ, "PCC_DATABASE_URL": sqlite_url}
    env.pop("PCC_SETTINGS_FILE", None)
    load = subprocess.run(
        [str(ENTRY_POINT), "load", str(files[2])], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert (load.returncode, load.stdout, load.stderr) == (0, "population.csv: loaded 1 row as population.\n", "")
    status = subprocess.run(
        [str(ENTRY_POINT), "status", "--json"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    assert report["database"] == sqlite_url
    assert [(k["kind"], k["rows"], k["forces"]) for k in report["kinds"]] == [("population", 1, 1)]


def test_python_dash_m_is_the_same_command(sqlite_url, tmp_path):
    env = {**os.environ, "PCC_DATABASE_URL": sqlite_url}
    result = subprocess.run(
        [sys.executable, "-m", "pcc_cli", "load", str(tmp_path / "absent.csv")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"Refused: no such file: {tmp_path / 'absent.csv'}; nothing was written.\n"
