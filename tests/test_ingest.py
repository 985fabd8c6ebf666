"""All or nothing: editions replace the periods they cover, reloading changes nothing, failures roll back."""

from __future__ import annotations

import datetime as dt
import random

import openpyxl
import pytest
import sqlalchemy as sa
from stored import contents

from data_loaders import database, ingest, kinds, schema
from data_loaders.refusals import LoadRefused
from data_loaders.status import read_status

D = dt.date
HEADER = "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Code,Number of Offences\n"
EDITION_A = "home-office-prc-pfa-stalking-harassment-190723.csv"
EDITION_B = "home-office-prc-pfa-stalking-harassment-191023.csv"
A_ROWS = (
    "2022/23,3,Devon and Cornwall,Stalking,8Q,400\n"
    "2022/23,3,Devon and Cornwall,Harassment,8L,1200\n"
    "2022/23,3,Dorset,Stalking,8Q,100\n"
    "2022/23,4,Devon and Cornwall,Stalking,8Q,410\n"
    "2022/23,4,Devon and Cornwall,Harassment,8L,1250\n"
    "2022/23,4,Dorset,Stalking,8Q,105\n"
)
# B revises 2022/23 Q4 (D&C stalking 410 -> 415, Dorset 105 -> 104) and adds 2023/24 Q1.
B_ROWS = (
    "2022/23,4,Devon and Cornwall,Stalking,8Q,415\n"
    "2022/23,4,Devon and Cornwall,Harassment,8L,1250\n"
    "2022/23,4,Dorset,Stalking,8Q,104\n"
    "2023/24,1,Devon and Cornwall,Stalking,8Q,420\n"
    "2023/24,1,Devon and Cornwall,Harassment,8L,1300\n"
    "2023/24,1,Dorset,Stalking,8Q,110\n"
)
A_THEN_B = [
    ("Devon and Cornwall", "2022/23", 3, "8L", 1200, EDITION_A),
    ("Devon and Cornwall", "2022/23", 3, "8Q", 400, EDITION_A),
    ("Devon and Cornwall", "2022/23", 4, "8L", 1250, EDITION_B),
    ("Devon and Cornwall", "2022/23", 4, "8Q", 415, EDITION_B),
    ("Devon and Cornwall", "2023/24", 1, "8L", 1300, EDITION_B),
    ("Devon and Cornwall", "2023/24", 1, "8Q", 420, EDITION_B),
    ("Dorset", "2022/23", 3, "8Q", 100, EDITION_A),
    ("Dorset", "2022/23", 4, "8Q", 104, EDITION_B),
    ("Dorset", "2023/24", 1, "8Q", 110, EDITION_B),
]


def rows_with_source(engine) -> list[tuple]:
    rc, src = schema.recorded_crime, schema.sources
    query = (
        sa.select(rc.c.force, rc.c.financial_year, rc.c.quarter, rc.c.offence_code, rc.c.count, src.c.file_name)
        .join(src, src.c.id == rc.c.source_id)
        .order_by(rc.c.force, rc.c.period_start, rc.c.offence_code)
    )
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def yearly_totals(engine) -> dict[tuple[str, str], int]:
    rc = schema.recorded_crime
    query = sa.select(rc.c.force, rc.c.financial_year, sa.func.sum(rc.c.count)).group_by(
        rc.c.force, rc.c.financial_year
    )
    with engine.connect() as connection:
        return {(force, year): int(total) for force, year, total in connection.execute(query)}


@pytest.fixture
def editions(tmp_path):
    a = tmp_path / EDITION_A
    a.write_text(HEADER + A_ROWS)
    b = tmp_path / EDITION_B
    b.write_text(HEADER + B_ROWS)
    return a, b


@pytest.fixture
def loaded(engine, settings, tmp_path):
    earlier = tmp_path / "earlier-010123.csv"
    earlier.write_text(HEADER + "2018/19,1,Dorset,Stalking,8Q,30\n")
    population = tmp_path / "population.csv"
    population.write_text("Force,Year,Population\nDorset,2018,772268\n")
    ingest.load_files([earlier, population], engine, settings)
    return engine


# ---- editions -----------------------------------------------------------------------------------


def test_a_newer_edition_replaces_the_periods_it_covers(engine, settings, editions):
    a, b = editions
    [first] = ingest.load_files([a], engine, settings)
    [second] = ingest.load_files([b], engine, settings)

    assert rows_with_source(engine) == A_THEN_B
    assert yearly_totals(engine) == {
        ("Devon and Cornwall", "2022/23"): 400 + 1200 + 415 + 1250,
        ("Devon and Cornwall", "2023/24"): 1720,
        ("Dorset", "2022/23"): 204,
        ("Dorset", "2023/24"): 110,
    }
    assert (first.edition_date, second.edition_date) == (D(2023, 7, 19), D(2023, 10, 19))
    assert (second.rows_stored, second.periods_replaced, second.periods_kept_newer) == (6, 2, 0)
    assert second.describe() == (
        f"{EDITION_B}: loaded 6 rows as recorded-crime; edition 19 October 2023; "
        "replaced 2 force-periods from earlier editions."
    )


def test_status_says_which_edition_each_period_came_from(engine, settings, editions):
    for path in editions:
        ingest.load_files([path], engine, settings)
    status = read_status(engine)
    [quarterly] = status.kinds
    assert (quarterly.rows, quarterly.forces, quarterly.first_period, quarterly.last_period) == (
        9,
        2,
        "2022/23 Q3",
        "2023/24 Q1",
    )
    assert quarterly.periods == [
        {"period": "2022/23 Q3", "rows": 3, "files": [EDITION_A], "edition_date": D(2023, 7, 19), "is_demo": False},
        {"period": "2022/23 Q4", "rows": 3, "files": [EDITION_B], "edition_date": D(2023, 10, 19), "is_demo": False},
        {"period": "2023/24 Q1", "rows": 3, "files": [EDITION_B], "edition_date": D(2023, 10, 19), "is_demo": False},
    ]
    assert [(s.file_name, s.rows_loaded, s.rows_current, s.first_period, s.last_period) for s in status.sources] == [
        (EDITION_B, 6, 6, "2023-01-01", "2023-04-01"),
        (EDITION_A, 6, 3, "2022-10-01", "2022-10-01"),
    ]


def test_an_older_edition_loaded_after_a_newer_one_keeps_the_newer_rows(engine, settings, editions):
    a, b = editions
    ingest.load_files([b], engine, settings)
    [older] = ingest.load_files([a], engine, settings)

    assert rows_with_source(engine) == A_THEN_B
    assert (older.rows_stored, older.periods_replaced, older.periods_kept_newer) == (3, 0, 2)
    assert older.describe() == (
        f"{EDITION_A}: loaded 3 rows as recorded-crime; edition 19 July 2023; "
        "kept 2 force-periods that a newer edition already holds."
    )


def test_both_editions_in_one_call_give_the_same_rows(engine, settings, editions):
    a, b = editions
    ingest.load_files([b, a], engine, settings)
    assert rows_with_source(engine) == A_THEN_B


def test_a_given_edition_date_overrides_the_file_name(engine, settings, editions):
    a, b = editions
    ingest.load_files([a], engine, settings, edition_dates=[D(2024, 1, 31)])
    [result] = ingest.load_files([b], engine, settings)
    assert result.periods_kept_newer == 2
    assert [row[4] for row in rows_with_source(engine) if row[1:3] == ("2022/23", 4)] == [1250, 410, 105]


def test_loading_the_same_file_twice_changes_nothing(engine, settings, editions):
    a, _ = editions
    ingest.load_files([a], engine, settings)
    before = contents(engine)
    [again] = ingest.load_files([a], engine, settings)
    assert again.already_loaded
    assert again.describe() == f"{EDITION_A}: already loaded (recorded-crime); nothing changed."
    assert contents(engine) == before
    assert len(before["sources"]) == 1
    assert len(before["recorded_crime"]) == 6


def test_the_same_file_twice_in_one_call_is_written_once(engine, settings, editions):
    a, _ = editions
    results = ingest.load_files([a, a], engine, settings)
    assert [r.already_loaded for r in results] == [False, True]
    assert len(contents(engine)["sources"]) == 1


def test_display_names_name_the_source_and_the_edition(engine, settings, tmp_path):
    upload = tmp_path / "upload-8d1f.tmp"
    upload.write_text(HEADER + "2022/23,1,Kent,Stalking,8Q,90\n")
    [result] = ingest.load_files([upload], engine, settings, display_names=["prc-pfa-tables-191023.csv"])
    assert (result.file_name, result.edition_date) == ("prc-pfa-tables-191023.csv", D(2023, 10, 19))
    with engine.connect() as connection:
        sources = connection.execute(sa.select(schema.sources.c.file_name, schema.sources.c.rows)).all()
    assert [tuple(s) for s in sources] == [("prc-pfa-tables-191023.csv", 1)]


def test_progress_is_reported_from_reading_to_done(engine, settings, editions):
    calls = []
    ingest.load_files(list(editions), engine, settings, progress=lambda f, m: calls.append((round(f, 3), m)))
    assert calls[:2] == [(0.0, f"reading {EDITION_A}"), (0.25, f"reading {EDITION_B}")]
    assert calls[-1] == (1.0, "done")
    assert (0.75, f"{EDITION_A}: wrote 6 of 6 rows") in calls
    assert [f for f, _ in calls] == sorted(f for f, _ in calls)


def test_forces_and_aliases_are_synchronised_from_the_settings(engine, settings, editions):
    ingest.load_files([editions[0]], engine, settings)
    with engine.connect() as connection:
        forces = connection.execute(sa.select(sa.func.count()).select_from(schema.forces)).scalar_one()
        alias = connection.execute(
            sa.select(schema.force_aliases.c.force).where(schema.force_aliases.c.alias == "devon and cornwall police")
        ).scalar_one()
    assert (forces, alias) == (len(settings.forces), "Devon and Cornwall")


# ---- refusals leave the database exactly as it was ----------------------------------------------


def _docx_like(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")


NOT_A_SPREADSHEET = "the file is not a spreadsheet; expected a CSV, XLSX or ODS table as published"


@pytest.mark.parametrize(
    ("name", "write", "expected"),
    [
        ("empty.csv", lambda p: p.write_bytes(b""), "the file is empty; expected a published table"),
        ("blank.csv", lambda p: p.write_text(" \n\n\t \r\n"), "the file is empty; expected a published table"),
        ("noise.ods", lambda p: p.write_bytes(random.Random(1).randbytes(1024)), NOT_A_SPREADSHEET),
        ("chart.xlsx", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), NOT_A_SPREADSHEET),
        ("minutes.docx", _docx_like, NOT_A_SPREADSHEET),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_and_nothing_changes(loaded, settings, tmp_path, name, write, expected):
    path = tmp_path / name
    write(path)
    before = contents(loaded)
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], loaded, settings)
    assert str(caught.value) == f"Refused: 1 problem; nothing was written.\n- {name}: {expected}"
    assert contents(loaded) == before


def test_a_table_of_no_known_kind_is_refused_naming_the_kinds_accepted(loaded, settings, tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Line,Amount\nOfficers,100\n")
    before = contents(loaded)
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], loaded, settings)
    accepted = [kind.description for kind in kinds.KINDS]
    assert [str(p) for p in caught.value.problems] == [
        f"budget.csv: the columns match no kind of table this dashboard loads (it loads: {'; '.join(accepted)})",
        "budget.csv, row 1: found 'Line | Amount'; headers found on this sheet",
    ]
    assert {
        "Home Office police recorded crime table (police force area or CSP edition)",
        "local monthly recorded-crime extract (month, force, offence code, count)",
        "population by police force area and mid-year (force, year, population)",
    } <= set(accepted)
    assert contents(loaded) == before


def test_problems_in_several_files_are_all_listed(loaded, settings, tmp_path, editions):
    bad_crime = tmp_path / "bad-crime.csv"
    bad_crime.write_text(HEADER + "2022/23,5,Dorset,Stalking,8Q,1\n")
    bad_population = tmp_path / "bad-population.csv"
    bad_population.write_text("Force,Year,Population\nDorset,2019,-4\n")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    before = contents(loaded)
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([editions[0], bad_crime, bad_population, empty], loaded, settings)
    assert str(caught.value).splitlines() == [
        "Refused: 3 problems; nothing was written.",
        "- bad-crime.csv, row 2, column 'Financial Quarter': found '5'; "
        "expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)",
        "- bad-population.csv, row 2, column 'Population': found '-4'; expected a population: a whole number above 0",
        "- empty.csv: the file is empty; expected a published table",
    ]
    assert contents(loaded) == before


def test_a_refusal_before_any_write_does_not_even_create_the_schema(sqlite_url, settings, tmp_path):
    engine = database.make_engine(sqlite_url)
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(LoadRefused):
        ingest.load_files([path], engine, settings)
    assert database.schema_revision(engine) is None
    assert sa.inspect(engine).get_table_names() == []


# ---- a failure while writing rolls everything back ----------------------------------------------


def _fail_on_insert(monkeypatch, table: sa.Table, after: int, error: Exception) -> list[int]:
    """Make the connection raise ``error`` on the insert into ``table`` after ``after`` successful ones."""
    real_execute = sa.engine.Connection.execute
    inserts: list[int] = []

    def execute(self, statement, *args, **kwargs):
        if isinstance(statement, sa.Insert) and statement.table is table:
            if len(inserts) == after:
                raise error
            inserts.append(len(args[0]) if args and isinstance(args[0], list) else 1)
        return real_execute(self, statement, *args, **kwargs)

    monkeypatch.setattr(sa.engine.Connection, "execute", execute)
    return inserts


def test_a_database_error_after_the_first_chunk_rolls_everything_back(loaded, settings, editions, monkeypatch):
    monkeypatch.setattr(ingest, "INSERT_CHUNK", 2)
    population = editions[0].with_name("population-2019.csv")
    population.write_text("Force,Year,Population\nDorset,2019,775000\n")
    error = sa.exc.OperationalError("INSERT INTO recorded_crime", {}, Exception("disk I/O error"))
    before = contents(loaded)
    inserts = _fail_on_insert(monkeypatch, schema.recorded_crime, after=1, error=error)

    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([population, editions[0]], loaded, settings)

    assert inserts == [2]  # the first chunk of two rows was written before the failure
    assert str(caught.value) == (
        "Refused: 1 problem; nothing was written.\n"
        f"- population-2019.csv, {EDITION_A}: the database refused the rows (disk I/O error); nothing was written"
    )
    monkeypatch.undo()
    assert contents(loaded) == before


def test_any_other_failure_while_writing_also_rolls_back(loaded, settings, editions):
    before = contents(loaded)

    def progress(fraction: float, message: str) -> None:
        if "wrote" in message:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest.load_files([editions[0]], loaded, settings, progress=progress)
    assert contents(loaded) == before


def test_a_row_the_database_itself_refuses_rolls_back(loaded, settings, editions):
    """A trigger stands in for any constraint the database enforces beyond the loaders' checks."""
    with loaded.begin() as connection:
        if loaded.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse_410 BEFORE INSERT ON recorded_crime WHEN NEW.count = 410 "
                "BEGIN SELECT RAISE(ABORT, 'count 410 refused by trigger'); END"
            )
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse_410() RETURNS trigger AS $$ BEGIN "
                "IF NEW.count = 410 THEN RAISE EXCEPTION 'count 410 refused by trigger'; END IF; RETURN NEW; "
                "END $$ LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse_410 BEFORE INSERT ON recorded_crime FOR EACH ROW EXECUTE FUNCTION refuse_410()"
            )
    before = contents(loaded)
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files(list(editions), loaded, settings)
    [problem] = caught.value.problems
    assert str(problem).startswith(
        f"{EDITION_A}, {EDITION_B}: the database refused the rows (count 410 refused by trigger"
    )
    assert str(problem).endswith("; nothing was written")
    assert contents(loaded) == before


def test_a_refusal_names_the_headers_found_and_the_nearest_kind(loaded, settings, tmp_path):
    path = tmp_path / "people.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["Population of the police force areas"])
    book.active.append(["Source", "ONS"])
    data = book.create_sheet("Data")
    data.append(["Mid-year population estimates"])
    data.append(["Area", "Year", "Population"])
    data.append(["Dorset", 2020, 772_000])
    book.save(path)
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], loaded, settings)
    assert [str(p) for p in caught.value.problems] == [
        "people.xlsx, sheet 'Data', row 2: found 'Area | Year | Population'; the columns match no kind of table this "
        "dashboard loads; the nearest is the population by police force area and mid-year (force, year, population), "
        "which also needs the column 'Force'",
        "people.xlsx, sheet 'Notes', row 2: found 'Source | ONS'; headers found on this sheet",
    ]


def test_recommendation_files_given_to_load_point_to_load_recommendations(loaded, settings):
    from conftest import TEST_DATA

    command = "load it with: pcc-dashboard load-recommendations FILE (or on the Data page, signed in as an editor)"
    for name, what in (
        ("recommendations-tracker.csv", "a recommendations tracker"),
        ("dc-response-hmicfrs-stalking-2019.txt", "a response to an inspection report"),
    ):
        with pytest.raises(LoadRefused) as caught:
            ingest.load_files([TEST_DATA / name], loaded, settings)
        assert [str(p) for p in caught.value.problems] == [f"{name}: this is {what}, not a table of figures; {command}"]
