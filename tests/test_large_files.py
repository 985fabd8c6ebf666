"""Files too large to hold whole are read as a stream, a chunk of rows at a time, and give exactly what a whole
read gives: the same rows stored, the same words, the same problems at the same sheets and rows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from files import OUTCOMES_HEADER as OUTCOME_HEADER
from files import RECORDED_CRIME_HEADER as HEADER
from files import SH, VAP, write_xlsx
from test_outcomes import ROWS as OUTCOME_ROWS
from test_recorded_crime import NOTES, TITLES

from data_loaders import database, ingest
from data_loaders.ods import write_ods
from data_loaders.tables import LoadRefused

CRIME_FILE = "home-office-prc-pfa-stalking-harassment-191023.csv"


def stored(engine) -> list[tuple]:
    with engine.connect() as connection:
        return sorted(
            tuple(row) for table in (database.recorded_crime, database.outcomes)
            for row in connection.execute(sa.select(*[c for c in table.c if c.name != "source_id"]))
        )  # fmt: skip


@pytest.fixture
def streamed(monkeypatch):
    """Every file read as a stream, in chunks of 1,000 rows, so chunk edges fall inside the files."""

    def use(on: bool) -> None:
        monkeypatch.setattr(ingest, "STREAM_ABOVE_BYTES", 0 if on else 256 * 1000 * 1000)
        monkeypatch.setattr(ingest, "STREAM_CHUNK_ROWS", 1000)

    return use


def both_ways(streamed, sqlite_url, settings, paths, tmp_path):
    out = []
    for on in (False, True):
        streamed(on)
        engine = database.make_engine(sqlite_url.replace("test.sqlite", f"{'s' if on else 'w'}.sqlite"))
        try:
            results = ingest.load_files(paths, engine, settings)
        except LoadRefused as refused:
            out.append([str(p) for p in refused.problems])
        else:
            out.append(([r.describe() for r in results], stored(engine)))
        engine.dispose()
    return out


FORCES = ["Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "Cleveland", "Cumbria", "Derbyshire",
          "Devon and Cornwall", "Dorset", "Durham", "Essex", "Gloucestershire", "Gwent", "Hampshire", "Hertfordshire",
          "Humberside", "Kent", "Lancashire", "Leicestershire", "Lincolnshire"]  # fmt: skip


def national_rows() -> list[list[object]]:
    """1,200 rows: three years x four quarters x 20 forces x five codes (two of them configured)."""
    rows = []
    for year in (2019, 2020, 2021):
        for quarter in (1, 2, 3, 4):
            for force in FORCES:
                for n, code in enumerate(("8Q", "37.2", "8L", "4.10", "46")):
                    rows.append([f"{year}/{str(year + 1)[-2:]}", quarter, force, "x", VAP, SH, code, n + quarter])
    return rows


def test_the_real_release_streamed_stores_what_a_whole_read_stores(
    streamed, sqlite_url, settings, shared_data, tmp_path
):
    whole, stream = both_ways(streamed, sqlite_url, settings, [shared_data / CRIME_FILE], tmp_path)
    assert stream == whole
    assert len(whole[1]) == 7263


@pytest.mark.parametrize("fmt", ["ods", "xlsx"])
def test_a_workbook_streamed_gives_the_same_rows_words_and_codes(streamed, sqlite_url, settings, tmp_path, fmt):
    rows = national_rows()
    sheets = {"Notes": NOTES}
    for year in (2019, 2020, 2021):
        name = f"{year}-{str(year + 1)[-2:]}"
        sheets[name] = [*TITLES, HEADER, *[r for r in rows if r[0].startswith(str(year))]]
    path = tmp_path / f"prc-pfa-mar2013-onwards-tables-191023.{fmt}"
    write_ods(path, sheets) if fmt == "ods" else write_xlsx(path, sheets)
    whole, stream = both_ways(streamed, sqlite_url, settings, [path], tmp_path)
    assert stream == whole
    assert whole[0] == [
        f"{path.name}: loaded 480 rows as recorded-crime; edition 19 October 2023; 720 rows of other offences "
        "passed over (3 codes: 4.10, 37.2, 46)."
    ]


def test_problems_across_chunks_are_named_at_their_sheet_and_row(streamed, sqlite_url, settings, tmp_path):
    rows = national_rows()
    rows[700][1] = 5  # a bad quarter in the second chunk
    rows[1100][2] = "Dorsett"
    rows[1105] = list(rows[5])  # a repeat of a row of the first chunk
    path = tmp_path / "t.ods"
    write_ods(path, {"Notes": NOTES, "all": [*TITLES, HEADER, *rows]})
    whole, stream = both_ways(streamed, sqlite_url, settings, [path], tmp_path)
    assert stream == whole
    assert whole == [
        "t.ods, sheet 'all', row 704, column 'Financial Quarter': found '5'; "
        "expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)",
        "t.ods, sheet 'all', row 1104, column 'Force Name': found 'Dorsett'; "
        "expected a police force name; did you mean 'Dorset'?",
        "t.ods, sheet 'all', row 1109, column 'Offence Code': found 'Bedfordshire 2019/20 Q1 8Q'; "
        "each force, quarter and offence code may appear once; this repeats row 9",
    ]


def test_an_outcomes_table_streamed_stores_what_a_whole_read_stores(streamed, sqlite_url, settings, tmp_path):
    path = tmp_path / "prc-outcomes-open-data-mar2024-tables-250724.ods"
    write_ods(path, {"Notes": NOTES, "Outcomes": [OUTCOME_HEADER, *OUTCOME_ROWS]})
    whole, stream = both_ways(streamed, sqlite_url, settings, [path], tmp_path)
    assert stream == whole and whole[1]


def test_a_large_file_of_a_kind_read_whole_is_refused_with_its_size(streamed, sqlite_url, settings, tmp_path):
    streamed(True)
    path = tmp_path / "population.csv"
    path.write_text("Force,Year,Population\nKent,2018,1846500\n")
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], database.make_engine(sqlite_url), settings)
    assert [str(p) for p in caught.value.problems] == [
        "population.csv: the file holds 0 MB of worksheet data; a population by police force area and mid-year (force, "
        "year, population) is read whole, and at most 0 MB of it; expected the file as published"
    ]
