"""Home Office crime outcomes tables: exact rows stored, type 0 never counted, every broken twin refused.

Each file is loaded through ``ingest.load_files`` into a real database (SQLite and PostgreSQL),
so the rows asserted are the rows stored; each refusal also proves the database did not change.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from files import OUTCOMES_HEADER, SH, VAP, write_csv, write_xlsx
from stored import contents, refused

import pcc_cli as cli
from dashboard.figures import outcomes as outcome_figures
from data_loaders import ingest, kinds, schema
from data_loaders.ods import write_ods
from data_loaders.refusals import LoadRefused
from data_loaders.sources import outcomes, recorded_crime
from data_loaders.status import read_status
from data_loaders.tables import open_workbook

D = dt.date
HEADER = OUTCOMES_HEADER
TITLES = [["Crime outcomes in England and Wales: open data"], ["Source: Home Office"]]
NOTES = [["Notes"], ["Outcome type 0: not yet assigned an outcome."]]
CHARGED = ["Charged/Summonsed", "Charged/Summonsed"]
PENDING = ["Not yet assigned an outcome", "Not yet assigned an outcome"]
WITHDRAWN = ["Named suspect identified: victim does not support", "Evidential difficulties (victim does not support)"]
ROWS = [
    ["2024/25", 1, "Devon & Cornwall", "Stalking", VAP, SH, "8Q", *CHARGED, 1, 5, 7],
    ["2024/25", "Q1", "Devon and Cornwall", "Stalking", VAP, SH, "8Q", *PENDING, 0, 40, 0],
    ["2024/25", 1, "Devon and Cornwall", "Stalking", VAP, SH, "8Q", *WITHDRAWN, 16, 15, 13],
    ["2024/25", 2, "Dyfed Powys", "Harassment", VAP, SH, "8L", "Community Resolution", "Out-of-court", "8", 2, 3],
    ["2024/25", 1, "Devon and Cornwall", "Burglary", "Theft offences", "Burglary", "28E", *CHARGED, 1, 3, 3],
]
STORED = [
    ("Devon and Cornwall", "2024/25", 1, D(2024, 4, 1), "8Q", "Stalking", 0, "not_yet_assigned", PENDING[0], 40, 0),
    ("Devon and Cornwall", "2024/25", 1, D(2024, 4, 1), "8Q", "Stalking", 1, "charged", CHARGED[0], 5, 7),
    ("Devon and Cornwall", "2024/25", 1, D(2024, 4, 1), "8Q", "Stalking", 16, "victim_does_not_support", WITHDRAWN[0], 15, 13),
    ("Dyfed-Powys", "2024/25", 2, D(2024, 7, 1), "8L", "Harassment", 8, "out_of_court", "Community Resolution", 2, 3),
]  # fmt: skip
NAME = "prc-outcomes-open-data-mar2025-tables-240725"


def stored_rows(engine) -> list[tuple]:
    oc = schema.outcomes
    query = sa.select(
        oc.c.force,
        oc.c.financial_year,
        oc.c.quarter,
        oc.c.period_start,
        oc.c.offence_code,
        oc.c.offence_description,
        oc.c.outcome_type,
        oc.c.outcome_group,
        oc.c.outcome_description,
        oc.c.outcomes_for_offences_recorded,
        oc.c.outcomes_recorded,
    ).order_by(oc.c.force, oc.c.period_start, oc.c.offence_code, oc.c.outcome_type)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


@pytest.fixture
def loaded(engine, settings, tmp_path):
    """A database already holding an earlier outcomes table, so a refusal has something to leave alone."""
    earlier = write_csv(
        tmp_path / "earlier-010124.csv",
        [HEADER, ["2022/23", 4, "Dorset", "Stalking", VAP, SH, "8Q", *CHARGED, 1, 3, 4]],
    )
    ingest.load_files([earlier], engine, settings)
    return engine


# ---- every variant stores the exact rows --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_the_outcomes_table_stores_exact_rows_in_every_format(engine, settings, tmp_path, fmt):
    sheets = {"Notes": NOTES, "Outcomes": [*TITLES, HEADER, *ROWS]}
    path = tmp_path / f"{NAME}.{fmt}"
    if fmt == "csv":
        write_csv(path, [*TITLES, HEADER, *ROWS])
    elif fmt == "xlsx":
        write_xlsx(path, sheets)
    else:
        write_ods(path, sheets)

    [result] = ingest.load_files([path], engine, settings)

    assert stored_rows(engine) == STORED
    assert (result.kind, result.rows_read, result.rows_stored, result.rows_other_offences) == ("outcomes", 5, 4, 1)
    assert result.edition_date == D(2025, 7, 24)


@pytest.mark.parametrize(
    "header",
    [
        [h.upper() for h in HEADER],
        ["Year", "Quarter", "Police Force", "Offence", "Offence Group", "Offence Sub Group", "Code", "Outcome",
         "Outcome Group", "Outcome Type", "Outcomes for offences recorded in quarter", "Outcomes recorded in quarter"],
    ],
    ids=["upper-case", "synonyms"],
)  # fmt: skip
def test_headers_are_matched_by_name_and_synonym(engine, settings, tmp_path, header):
    path = write_csv(tmp_path / "outcomes.csv", [header, *ROWS])
    ingest.load_files([path], engine, settings)
    assert stored_rows(engine) == STORED


def test_without_an_outcome_description_the_configured_one_is_stored(engine, settings, tmp_path):
    keep = [i for i, h in enumerate(HEADER) if h not in {"Outcome Description", "Outcome Group"}]
    rows = [[row[i] for i in keep] for row in ROWS[:2]]
    path = write_csv(tmp_path / "outcomes.csv", [[HEADER[i] for i in keep], *rows])
    ingest.load_files([path], engine, settings)
    assert [(r[6], r[7], r[8]) for r in stored_rows(engine)] == [
        (0, "not_yet_assigned", "Not yet assigned an outcome"),
        (1, "charged", "Charged/Summonsed"),
    ]


def test_an_outcomes_table_is_not_taken_for_recorded_crime_nor_the_reverse(settings, tmp_path):
    outcomes_path = write_csv(tmp_path / "outcomes.csv", [HEADER, *ROWS])
    crime_header = [h for h in HEADER[:7]] + ["Number of Offences"]
    crime_path = write_csv(
        tmp_path / "crime.csv", [crime_header, ["2024/25", 1, "Dorset", "Stalking", VAP, SH, "8Q", 4]]
    )
    assert kinds.detect(open_workbook(outcomes_path)).name == outcomes.KIND
    assert kinds.detect(open_workbook(crime_path)).name == recorded_crime.KIND


# ---- type 0 is stored but never counted as an outcome ---------------------------------------------


def test_charge_rate_leaves_type_0_out_of_the_denominator(settings, tmp_path):
    rows, problems = outcomes.clean(outcomes.read(write_csv(tmp_path / "o.csv", [HEADER, *ROWS[:3]])), settings)
    assert problems == []
    for column, charged in ((outcomes.FOR_OFFENCES_RECORDED, 5), (outcomes.RECORDED, 7)):
        totals = outcome_figures.outcome_totals(rows, settings, column, by=["force"])
        assert totals[["force", "charged", "assigned"]].to_dict("records") == [
            {"force": "Devon and Cornwall", "charged": charged, "assigned": charged + (15 if charged == 5 else 13)}
        ]
    # The broken twin: counting type 0 as an outcome would give 5 / 60.
    totals = outcome_figures.outcome_totals(rows, settings, outcomes.FOR_OFFENCES_RECORDED, by=["force"])
    assert totals["charged"].iloc[0] / totals["assigned"].iloc[0] == 5 / 20
    backlog = outcome_figures.backlog_totals(rows, settings)
    assert backlog.to_dict("records") == [{"period_start": D(2024, 4, 1), "not_yet_assigned": 40, "all": 60}]


def test_only_type_0_rows_give_no_outcomes_at_all(settings):
    only_pending = pd.DataFrame({"force": ["Dorset"], "outcome_type": [0], "outcomes_recorded": [12]})
    totals = outcome_figures.outcome_totals(only_pending, settings, "outcomes_recorded", by=["force"])
    assert totals.empty
    assert list(totals.columns) == ["force", *outcome_figures.counted_groups(settings), "assigned", "charged"]


def test_group_totals_leave_not_yet_assigned_out(settings, tmp_path):
    rows, _ = outcomes.clean(outcomes.read(write_csv(tmp_path / "o.csv", [HEADER, *ROWS[:4]])), settings)
    totals = outcome_figures.outcome_totals(rows, settings, outcomes.FOR_OFFENCES_RECORDED, by=["force"])
    kept = totals[["force", "charged", "victim_does_not_support", "out_of_court", "assigned"]]
    assert kept.to_dict("records") == [
        {"force": "Devon and Cornwall", "charged": 5, "victim_does_not_support": 15, "out_of_court": 0, "assigned": 20},
        {"force": "Dyfed-Powys", "charged": 0, "victim_does_not_support": 0, "out_of_court": 2, "assigned": 2},
    ]  # fmt: skip
    assert "not_yet_assigned" not in totals.columns


def test_type_0_is_configured_as_no_outcome(settings):
    assert settings.outcomes.not_counted_types == (0,)
    assert settings.outcomes.charge_types == (1,)
    assert {t.type for t in settings.outcomes.types} == set(range(23))
    groups = {t.type: t.group for t in settings.outcomes.types}
    assert [n for n, g in groups.items() if g == "victim_does_not_support"] == [14, 16]
    assert [n for n, g in groups.items() if g == "out_of_court"] == [2, 3, 4, 6, 7, 8]
    assert [n for n, g in groups.items() if g == "not_in_public_interest"] == [9, 10, 11, 12, 13, 21]
    assert {c.key for c in settings.outcomes.counts} == {"outcomes_for_offences_recorded", "outcomes_recorded"}


# ---- broken twins: each rule refuses, naming file, row, column and value ---------------------------


def test_the_alternate_offence_file_is_refused_as_a_double_count(loaded, settings, tmp_path):
    rows = [
        ["2024/25", 1, "Devon and Cornwall", "Stalking", VAP, SH, "8Q", "Charged - alternate offence", "", "1a", 2, 2],
        ["2024/25", 1, "Devon and Cornwall", "Stalking", VAP, SH, "8Q", "Caution - alternate offence", "", "3A", 1, 1],
    ]
    path = write_csv(tmp_path / "prc-outcomes-alternate-offences-open-data.csv", [HEADER, *rows])
    assert refused(loaded, settings, path) == [
        "prc-outcomes-alternate-offences-open-data.csv, row 2, column 'Outcome Type': found '1a'; outcome types "
        "like '1a', '3A' (2 rows) mark the alternate-offence outcomes file; its outcomes (1a, 2a, 3a) are already "
        "counted within types 1-3 of the main crime outcomes table, so loading it would double count them. Load "
        "the main outcomes table instead"
    ]


def test_an_unknown_outcome_type_is_refused(loaded, settings, tmp_path):
    path = write_csv(tmp_path / "o.csv", [HEADER, [*ROWS[0][:9], 23, 1, 1], [*ROWS[0][:9], "charged", 1, 1]])
    known = ", ".join(str(n) for n in range(23))
    assert refused(loaded, settings, path) == [
        f"o.csv, row 2, column 'Outcome Type': found '23'; expected an outcome type of the Home Office framework "
        f"(one of {known})",
        f"o.csv, row 3, column 'Outcome Type': found 'charged'; expected an outcome type of the Home Office "
        f"framework (one of {known})",
    ]


def test_counts_must_be_whole_numbers_of_0_or_more(loaded, settings, tmp_path):
    path = write_csv(tmp_path / "o.csv", [HEADER, [*ROWS[0][:10], -1, 2], [*ROWS[1][:10], 3, "n/a"]])
    assert refused(loaded, settings, path) == [
        "o.csv, row 2, column 'Force outcomes for offences recorded in quarter': found '-1'; expected a whole "
        "number of 0 or more",
        "o.csv, row 3, column 'Force outcomes recorded in quarter': found 'n/a'; expected a whole number of 0 or more",
    ]


def test_a_repeated_force_quarter_offence_and_type_is_refused(loaded, settings, tmp_path):
    path = write_csv(tmp_path / "o.csv", [*TITLES, HEADER, ROWS[0], ROWS[1], ROWS[0]])
    assert refused(loaded, settings, path) == [
        "o.csv, row 6, column 'Outcome Type': found 'Devon and Cornwall 2024/25 Q1 8Q type 1'; each force, "
        "quarter, offence code and outcome type may appear once; this repeats row 4"
    ]


def test_an_unknown_force_and_a_bad_quarter_are_refused(loaded, settings, tmp_path):
    row = ["2024/25", 5, "Devon and Cornwal", *ROWS[0][3:]]
    path = write_csv(tmp_path / "o.csv", [HEADER, row])
    assert refused(loaded, settings, path) == [
        "o.csv, row 2, column 'Financial Quarter': found '5'; expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)",
        "o.csv, row 2, column 'Force Name': found 'Devon and Cornwal'; expected a police force name; did you mean "
        "'Devon and Cornwall'?",
    ]


def test_a_table_without_outcome_type_is_refused_naming_the_column(settings, tmp_path):
    header = [h for h in HEADER if h != "Outcome Type"]
    path = write_csv(tmp_path / "o.csv", [header, [v for i, v in enumerate(ROWS[0]) if i != 9]])
    with pytest.raises(LoadRefused) as caught:
        outcomes.read(path)
    assert [str(p) for p in caught.value.problems] == [
        "o.csv, row 1: the header row lacks the column(s) 'Outcome Type' needed for a Home Office crime outcomes table"
    ]


def test_one_bad_file_among_several_means_nothing_is_written(loaded, settings, tmp_path):
    good = write_csv(tmp_path / "good.csv", [HEADER, *ROWS])
    bad = write_csv(tmp_path / "bad.csv", [HEADER, [*ROWS[0][:10], "x", 1]])
    assert refused(loaded, settings, good, bad) == [
        "bad.csv, row 2, column 'Force outcomes for offences recorded in quarter': found 'x'; expected a whole "
        "number of 0 or more"
    ]


# ---- editions replace the periods they cover; the same bytes twice change nothing --------------------


def test_a_newer_edition_replaces_the_quarters_it_covers(engine, settings, tmp_path):
    quarter_4 = ["2023/24", 4, "Devon and Cornwall", "Stalking", VAP, SH, "8Q", *CHARGED, 1, 9, 9]
    first = write_csv(tmp_path / "prc-outcomes-open-data-mar2025-tables-240125.csv", [HEADER, quarter_4, *ROWS[:3]])
    # The later edition revises 2024/25 Q1: fewer offences awaiting an outcome, more charged, and no
    # type 16 row any more (a quarter is replaced whole, not row by row).
    revised = [
        ["2024/25", 1, "Devon and Cornwall", "Stalking", VAP, SH, "8Q", *CHARGED, 1, 8, 10],
        ["2024/25", 1, "Devon and Cornwall", "Stalking", VAP, SH, "8Q", *PENDING, 0, 12, 0],
    ]
    second = write_csv(tmp_path / "prc-outcomes-open-data-mar2025-tables-240425.csv", [HEADER, *revised])

    ingest.load_files([first], engine, settings)
    [result] = ingest.load_files([second], engine, settings)

    assert [(r[1], r[2], r[6], r[9], r[10]) for r in stored_rows(engine)] == [
        ("2023/24", 4, 1, 9, 9),
        ("2024/25", 1, 0, 12, 0),
        ("2024/25", 1, 1, 8, 10),
    ]
    assert result.periods_replaced == 1
    before = contents(engine)
    [again] = ingest.load_files([second], engine, settings)
    assert again.already_loaded
    assert contents(engine) == before


# ---- status and the dump -----------------------------------------------------------------------


def test_status_and_dump_report_outcomes(engine, settings, tmp_path, capsys, monkeypatch):
    path = write_csv(tmp_path / f"{NAME}.csv", [HEADER, *ROWS])
    ingest.load_files([path], engine, settings)

    [kind] = [k for k in read_status(engine).kinds if k.kind.startswith("outcomes")]
    assert (kind.rows, kind.forces, kind.units, kind.first_period, kind.last_period) == (
        4,
        2,
        "forces",
        "2024/25 Q1",
        "2024/25 Q2",
    )
    assert [(p["period"], p["rows"], p["files"]) for p in kind.periods] == [
        ("2024/25 Q1", 3, [f"{NAME}.csv"]),
        ("2024/25 Q2", 1, [f"{NAME}.csv"]),
    ]

    monkeypatch.setenv("PCC_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert cli.main(["dump", "outcomes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "force,financial_year,quarter,offence_code,offence_description,outcome_type,outcome_group,"
        "outcome_description,outcomes_for_offences_recorded,outcomes_recorded,source_file,source_edition,is_demo"
    )
    assert lines[1] == (
        f"Devon and Cornwall,2024/25,1,8Q,Stalking,0,not_yet_assigned,Not yet assigned an outcome,40,0,{NAME}.csv,"
        "2025-07-24,False"
    )
    assert len(lines) == 5
