"""Numbers and dates a hostile or careless user might put in a good file: each refused with a located message
naming the bound, never a traceback, and the database byte for byte as it was.

Every load goes through the entry points the command line and the Data page use (``ingest.load_files`` and
``load_recommendation_files``); one case goes through ``pcc-dashboard load`` itself.
"""

from __future__ import annotations

import hostile
import openpyxl
import pytest
from hostile import (
    COUNT_BOUND,
    DATES_NOTE,
    EVENTS,
    EXTRACT,
    INT64,
    MONTH_EXPECTED,
    PERIOD_EXPECTED,
    POPULATION_BOUND,
    RETURN,
    TRACKER,
    dates_expected,
    latest_plausible,
    months_expected,
    mutated,
    population_rows,
    recorded_crime_rows,
    refusal,
    write_rows,
)

import pcc_cli
from data_loaders.refusals import LoadRefused

# ---- numbers too large for the database, or beyond the bounds -------------------------------------


def test_1e20_in_a_count_cell_of_an_xlsx_is_refused_on_that_cell(good_load, settings, shared_data, tmp_path):
    rows = mutated(recorded_crime_rows(shared_data), 3, 7, 1e20)
    book = openpyxl.Workbook()
    book.active.title = "2019_20"
    for row in rows:
        book.active.append([int(c) if isinstance(c, str) and c.isdigit() else c for c in row])
    book.save(path := tmp_path / "prc-pfa-2019-20-191023.xlsx")

    assert refusal(good_load, settings, path) == [
        f"{path.name}, sheet '2019_20', row 3, column 'Number of Offences': found '100000000000000000000'; "
        f"expected a whole number, {INT64}"
    ]


def test_a_twenty_digit_count_is_refused_on_that_cell(good_load, settings, shared_data, tmp_path):
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 5, 7, "12345678901234567890"))

    assert refusal(good_load, settings, path) == [
        f"counts.csv, row 5, column 'Number of Offences': found '12345678901234567890'; expected a whole number, {INT64}"
    ]


def test_a_count_of_3_billion_in_a_quarter_is_refused_with_the_bound(good_load, settings, shared_data, tmp_path):
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 2, 7, "3,000,000,000"))

    assert refusal(good_load, settings, path) == [
        f"counts.csv, row 2, column 'Number of Offences': found '3,000,000,000'; {COUNT_BOUND}"
    ]


def test_a_twenty_digit_population_is_refused_on_that_cell(good_load, settings, shared_data, tmp_path):
    path = write_rows(tmp_path / "pop.csv", mutated(population_rows(shared_data), 4, 3, "12345678901234567890"))

    assert refusal(good_load, settings, path) == [
        f"pop.csv, row 4, column 'population': found '12345678901234567890'; expected a whole number of 0 or more, "
        f"{INT64}"
    ]


def test_a_population_of_3_billion_for_one_force_is_refused_with_the_bound(good_load, settings, shared_data, tmp_path):
    path = write_rows(tmp_path / "pop.csv", mutated(population_rows(shared_data), 2, 3, "3000000000"))

    assert refusal(good_load, settings, path) == [
        f"pop.csv, row 2, column 'population': found '3000000000'; {POPULATION_BOUND}"
    ]


def test_a_bound_set_in_the_settings_is_the_one_held_and_named(good_load, tmp_path, monkeypatch, shared_data):
    from data_loaders.settings import load_settings

    own = tmp_path / "own.toml"
    own.write_text("[limits]\nmax_count = 5000\n", encoding="utf-8")
    monkeypatch.setenv("PCC_SETTINGS_FILE", str(own))
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 2, 7, "5001"))

    assert refusal(good_load, load_settings(), path) == [
        "counts.csv, row 2, column 'Number of Offences': found '5001'; expected a count of at most 5,000 in one period "
        "(the bound [limits] max_count in the settings)"
    ]


# ---- dates: impossible years and years outside the plausible range ---------------------------------


@pytest.mark.parametrize("year", ["0000/01", "9999/00"])
def test_a_financial_year_of_year_0_or_year_9999_is_refused_on_that_cell(
    good_load, settings, shared_data, tmp_path, year
):
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 6, 0, year))

    assert refusal(good_load, settings, path) == [
        f"counts.csv, row 6, column 'Financial Year': found '{year}'; expected a financial year such as '2019/20'"
    ]


def test_a_financial_year_before_2000_is_refused_with_the_plausible_range(good_load, settings, shared_data, tmp_path):
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 6, 0, "1999/00"))
    latest = latest_plausible()
    last = latest.year if latest.month >= 4 else latest.year - 1

    assert refusal(good_load, settings, path) == [
        f"counts.csv, row 6, column 'Financial Year': found '1999/00'; expected a financial year from 2000/01 to "
        f"{last}/{str(last + 1)[-2:]} {DATES_NOTE}"
    ]


# ---- one value changed in a good text file: the file, the good text, what is replaced and by what, and the refusal ----

TRACKER_TEXT = TRACKER.read_text(encoding="utf-8")
CHANGED_TEXT = {
    "a twenty-digit prosecutions value": (
        "return.csv",
        RETURN,
        (",6\n", ",12345678901234567890\n"),
        f"row 3, column 'Value': found '12345678901234567890'; expected a whole number of 0 or more, {INT64}",
    ),
    "a prosecutions value of 3 billion": (
        "return.csv",
        RETURN,
        (",41\n", ",3000000000\n"),
        f"row 2, column 'Value': found '3000000000'; {COUNT_BOUND}",
    ),
    "month 0000-05": (
        "extract.csv",
        EXTRACT,
        ("2024-04", "0000-05"),
        f"row 2, column 'Month': found '0000-05'; {MONTH_EXPECTED}",
    ),
    "a month in 9999": (
        "extract.csv",
        EXTRACT,
        ("2024-04", "9999-05"),
        f"row 2, column 'Month': found '9999-05'; {months_expected()}",
    ),
    **{
        f"a return period of {period}": (
            "return.csv",
            RETURN,
            ("2024/25 Q1", period),
            f"row 2, column 'Period': found '{period}'; {PERIOD_EXPECTED}",
        )
        for period in ("0000/01 Q1", "9999/00 Q4", "0000-05")
    },
    "a return month in 9999": (
        "return.csv",
        RETURN,
        ("2024-04", "9999-12"),
        f"row 3, column 'Period': found '9999-12'; {months_expected()}",
    ),
    "an event dated 1999": (
        "events.csv",
        EVENTS,
        ("2019-02-01", "1999-12-31"),
        f"row 2, column 'Date': found '1999-12-31'; {dates_expected()}",
    ),
    "a tracker status date in 9999": (
        "tracker.csv",
        TRACKER_TEXT,
        ("20/03/2018", "20/03/9999"),
        f"row 2, column 'Status Date': found '20/03/9999'; {dates_expected()}",
    ),
}


@pytest.mark.parametrize("case", CHANGED_TEXT, ids=CHANGED_TEXT)
def test_a_value_out_of_range_in_a_good_text_file_is_refused_on_that_cell(good_load, settings, tmp_path, case):
    name, text, (old, new), problem = CHANGED_TEXT[case]
    assert old in text
    (path := tmp_path / name).write_text(text.replace(old, new), encoding="utf-8")

    assert refusal(good_load, settings, path, recommendations=name == "tracker.csv") == [f"{name}, {problem}"]


def test_a_population_mid_year_outside_the_plausible_range_is_refused(good_load, settings, shared_data, tmp_path):
    path = write_rows(tmp_path / "pop.csv", mutated(population_rows(shared_data), 2, 2, "1999"))

    assert refusal(good_load, settings, path) == [
        f"pop.csv, row 2, column 'mid_year': found '1999'; expected a year from 2000 to {latest_plausible().year} "
        f"{DATES_NOTE}"
    ]


def test_a_tracker_history_entry_in_9999_is_refused_with_the_plausible_range(good_load, settings, tmp_path):
    path = tmp_path / "tracker.csv"
    text = TRACKER.read_text(encoding="utf-8").replace("[on]10th April 2019", "[on]10th April 9999")
    path.write_text(text, encoding="utf-8")

    (problem,) = refusal(good_load, settings, path, recommendations=True)
    assert problem == (
        "tracker.csv, row 4, column 'History': found '[on]10th April 9999 [status]awaiting-review[/status][/on][on]4th "
        f"June 2019 [stat'; an entry dated 10 April 9999: {dates_expected()}"
    )


def test_a_history_file_entry_in_9999_is_refused_with_the_plausible_range(good_load, settings, tmp_path):
    from data_loaders.recommendations.ingest import load_history

    url, engine = good_load
    history = tmp_path / "r1-history.txt"
    history.write_text("[on]10th April 9999 [status]awaiting-review[/status][/on]\n", encoding="utf-8")
    before, rows_before = hostile.sqlite_bytes(url), hostile.dump(engine)

    with pytest.raises(LoadRefused) as caught:
        load_history(history, engine, settings, report="Living in fear", reference="R1", author="analyst")
    assert [str(p) for p in caught.value.problems] == [
        f"r1-history.txt: an entry dated 10 April 9999: {dates_expected()}"
    ]
    assert (hostile.sqlite_bytes(url), hostile.dump(engine)) == (before, rows_before)


def test_a_history_file_saved_as_utf16_adds_the_same_entries(good_load, settings, tmp_path):
    from data_loaders.recommendations.ingest import load_history

    url, engine = good_load
    text = "[on]10th April 2019 [status]awaiting-review[/status][/on]\n"
    history = tmp_path / "r1-history.txt"
    history.write_bytes(text.encode("utf-16"))

    result = load_history(history, engine, settings, report="Living in fear", reference="R1", author="analyst")

    assert (
        result.describe() == "r1-history.txt: 1 recommendation as hmicfrs-history (0 new, 0 changed, 1 update added)."
    )


def test_a_history_file_that_is_not_text_is_refused_as_such(good_load, settings, tmp_path):
    from data_loaders.recommendations.ingest import load_history

    url, engine = good_load
    history = tmp_path / "r1-history.txt"
    history.write_bytes(b"\x00\x01\x02binary\x00" * 100)
    before, rows_before = hostile.sqlite_bytes(url), hostile.dump(engine)

    with pytest.raises(LoadRefused) as caught:
        load_history(history, engine, settings, report="Living in fear", reference="R1", author="analyst")
    assert [str(p) for p in caught.value.problems] == [
        "r1-history.txt: the file is not text; expected a status history as a .txt file"
    ]
    assert (hostile.sqlite_bytes(url), hostile.dump(engine)) == (before, rows_before)


# ---- the command line -----------------------------------------------------------------------------------------


def test_the_command_line_refuses_a_huge_count_with_the_message_and_no_traceback(
    cli_sqlite, shared_data, tmp_path, capsys
):
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 5, 7, "12345678901234567890"))

    assert pcc_cli.main(["load", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err == (
        "Refused: 1 problem; nothing was written.\n"
        f"- counts.csv, row 5, column 'Number of Offences': found '12345678901234567890'; expected a whole number, "
        f"{INT64}\n"
    )


# ---- a sample of the battery (benchmarks/hostile_battery.py), through the command line ------------------------

BATTERY_SAMPLE = {
    "recorded-crime-good.csv": "loaded",
    "recorded-crime-utf16.csv": "loaded",
    "recorded-crime-count-1e20.csv": "refused cleanly",
    "monthly-extract-period-9999.csv": "refused cleanly",
    "population-count-3e9.csv": "refused cleanly",
    "prosecutions-count-20-digits.csv": "refused cleanly",
    "events-field-2mb.csv": "refused cleanly",
    "tracker-period-9999.csv": "refused cleanly",
    "tracker-given-to-load.csv": "refused cleanly",
    "response-binary.txt": "refused cleanly",
    "history-broken.txt": "refused cleanly",
    "rc-good.xlsx": "loaded",
    "rc-ods-named.xlsx": "loaded",
    "rc-no-shared-strings.xlsx": "refused cleanly",
    "rc-truncated-half.xlsx": "refused cleanly",
    "xlsx-sparse-zzz100000.xlsx": "refused cleanly",
    "xlsx-row-99999999999.xlsx": "refused cleanly",
    "ods-bomb-under-header.ods": "refused cleanly",
}


@pytest.mark.slow
def test_a_sample_of_the_hostile_battery_is_refused_cleanly_or_loaded_correctly(shared_data, tmp_path, monkeypatch):
    """One file of each kind of trouble the battery holds, each loaded by ``pcc-dashboard`` in a child process:
    a refusal names the file and leaves the database's bytes as they were; a variant loads the good file's figures;
    nothing ends in a traceback, a crash or a hang (the crash and the hang each once did)."""
    import importlib.util
    import sys
    from pathlib import Path

    source = Path(__file__).resolve().parents[1] / "benchmarks" / "hostile_battery.py"
    spec = importlib.util.spec_from_file_location("hostile_battery", source)
    battery = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, battery)  # its dataclasses look their module up there
    spec.loader.exec_module(battery)
    cases = {case.name: case for case in battery.all_cases(tmp_path)}
    assert len(cases) >= 163

    outcomes = battery.run([cases[name] for name in BATTERY_SAMPLE], tmp_path, timeout=60)

    assert {o.case.name: o.klass for o in outcomes} == BATTERY_SAMPLE
    assert max(o.peak_mb for o in outcomes) < 600
