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

from data_loaders import database, ingest, refusals, schema
from data_loaders.ods import write_ods
from data_loaders.refusals import LoadRefused
from data_loaders.streaming import xml_size

CRIME_FILE = "home-office-prc-pfa-stalking-harassment-191023.csv"


def stored(engine) -> list[tuple]:
    with engine.connect() as connection:
        return sorted(
            tuple(row) for table in (schema.recorded_crime, schema.outcomes)
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


# ---- the cells a workbook read whole may span ([limits] max_cells) ------------------------------------------


def own_limits(tmp_path, monkeypatch, text: str):
    from data_loaders.settings import load_settings

    own = tmp_path / "own.toml"
    own.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PCC_SETTINGS_FILE", str(own))
    return load_settings()


def test_a_workbook_over_the_cell_bound_of_a_kind_read_whole_is_refused_naming_the_bound(
    sqlite_url, tmp_path, monkeypatch
):
    settings = own_limits(tmp_path, monkeypatch, "[limits]\nmax_cells = 100\n")
    rows = [["Force", "Year", "Population"], *[["Kent", 2000 + i, 1846500] for i in range(40)]]
    path = write_xlsx(tmp_path / "population.xlsx", {"Pop": rows})
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], database.make_engine(sqlite_url), settings)
    assert [str(p) for p in caught.value.problems] == [
        "population.xlsx, sheet 'Pop': found 'at least 41 rows by 3 columns'; a population by police force area and "
        "mid-year (force, year, population) is read whole, and may span at most 100 cells across its sheets (the "
        "bound [limits] max_cells in the settings); expected the file as published"
    ]


def test_a_recorded_crime_workbook_over_the_cell_bound_is_streamed_and_stores_what_a_whole_read_stores(
    sqlite_url, settings, tmp_path, monkeypatch
):
    path = tmp_path / "prc-pfa-mar2013-onwards-tables-191023.ods"
    write_ods(path, {"Notes": NOTES, "all": [*TITLES, HEADER, *national_rows()]})
    whole = ingest.load_files([path], database.make_engine(sqlite_url), settings)
    streamed_calls = []
    real = ingest._prepare_streamed
    monkeypatch.setattr(ingest, "_prepare_streamed", lambda *a: streamed_calls.append(a[0]) or real(*a))
    small = own_limits(tmp_path, monkeypatch, "[limits]\nmax_cells = 1000\n")
    engine = database.make_engine(sqlite_url.replace("test.sqlite", "small.sqlite"))
    stream = ingest.load_files([path], engine, small)
    assert streamed_calls == [path]
    assert [r.describe() for r in stream] == [r.describe() for r in whole]
    assert stored(engine) == stored(database.make_engine(sqlite_url))
    assert len(stored(engine)) == 480


def far_cell_book(path, title: str, header: list[str]):
    """A workbook of a header and one number at ZZZ100000, the farthest column openpyxl writes."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = title
    book.active.append(header)
    book.active.cell(row=100_000, column=18_278, value=1)
    book.save(path)
    return path


POPULATION_BOUND = (
    "a population by police force area and mid-year (force, year, population) is read whole, and may span at most "
    "4,000,000 cells across its sheets (the bound [limits] max_cells in the settings); expected the file as published"
)


def refusal_of(path, sqlite_url: str, settings) -> list[str]:
    """The problems a load of ``path`` is refused with, as the user reads them."""
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], database.make_engine(sqlite_url), settings)
    return [str(p) for p in caught.value.problems]


def test_one_cell_far_from_the_rest_is_refused_before_a_whole_read_asks_for_58_gb(sqlite_url, settings, tmp_path):
    """calamine builds the rectangle from A1 to the last cell: one number at ZZZ100000 (a file of a few
    kilobytes) asked for 58 GB and ended the process."""
    path = far_cell_book(tmp_path / "population.xlsx", "Pop", ["Force", "Year", "Population"])
    assert refusal_of(path, sqlite_url, settings) == [
        f"population.xlsx, sheet 'Pop': found 'at least 100,000 rows by 18,278 columns'; {POPULATION_BOUND}"
    ]


def test_a_row_number_past_the_last_row_a_sheet_can_have_is_refused(sqlite_url, settings, tmp_path):
    """A reference to row 99,999,999,999 wrapped round in calamine and asked for 39 GB, ending the process."""
    from hostile import far_cell, with_sheet_data

    good = write_xlsx(tmp_path / "good.xlsx", {"Pop": [["Force", "Year", "Population"], ["Kent", 2018, 1846500]]})
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>Force</t></is></c><c r="B1" t="inlineStr"><is><t>Year</t>'
    head += '</is></c><c r="C1" t="inlineStr"><is><t>Population</t></is></c></row>'
    path = with_sheet_data(good, tmp_path / "far.xlsx", head + far_cell("A", 99_999_999_999))
    assert refusal_of(path, sqlite_url, settings) == [
        f"far.xlsx, sheet 'Pop': found 'at least 99,999,999,999 rows by 3 columns'; {POPULATION_BOUND}"
    ]


def test_a_tracker_spanning_too_many_cells_is_refused_by_the_recommendations_loader(settings, sqlite_url, tmp_path):
    from data_loaders.recommendations.ingest import load_recommendation_files

    path = far_cell_book(tmp_path / "tracker.xlsx", "Tracker", ["Report", "Reference", "Recommendation", "Status"])
    with pytest.raises(LoadRefused) as caught:
        load_recommendation_files([path], database.make_engine(sqlite_url), settings, author="analyst")
    assert [str(p) for p in caught.value.problems] == [
        "tracker.xlsx, sheet 'Tracker': found 'at least 100,000 rows by 18,278 columns'; a workbook read whole may "
        "span at most 4,000,000 cells across its sheets (the bound [limits] max_cells in the settings); expected the "
        "file as published"
    ]


def test_a_streamed_table_stops_reading_once_its_problems_are_enough_to_refuse_it(
    streamed, sqlite_url, settings, tmp_path, monkeypatch
):

    streamed(True)
    monkeypatch.setattr(refusals, "MAX_KEPT_PROBLEMS", 50)
    rows = [[*row[:2], "Nowhere", *row[3:]] for row in national_rows()]  # every force unknown
    path = tmp_path / "t.ods"
    write_ods(path, {"Notes": NOTES, "all": [*TITLES, HEADER, *rows]})
    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], database.make_engine(sqlite_url), settings)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 52
    assert str(caught.value).splitlines()[0] == "Refused: 50 problems; nothing was written."
    assert problems[0] == (
        "t.ods, sheet 'all', row 4, column 'Force Name': found 'Nowhere'; expected a police force name as the Home "
        "Office spells it (see [[forces]] in the settings)"
    )
    assert problems[-2:] == [
        "t.ods: 950 more problems after the first 50 were counted but not kept",
        "t.ods, sheet 'all', row 1003: the file was read no further than this row: 50 problems are enough to refuse it",
    ]


def test_an_ods_of_no_known_table_is_refused_without_reading_past_the_top_of_its_last_sheet(
    streamed, sqlite_url, settings, tmp_path, monkeypatch
):
    """Every sheet of an ODS is in one content.xml: once the top of the last sheet is read and no kind of table
    is found, the rest is not parsed (it was parsed to its end, a minute for a sheet of millions of cells)."""
    from data_loaders.streaming import feed

    streamed(True)
    path = tmp_path / "junk.ods"
    write_ods(path, {"Notes": NOTES, "Junk": [["Column A", "Column B"], *[[n, n * 2] for n in range(100_000)]]})
    steps = []
    step = feed._Feed.step
    monkeypatch.setattr(feed._Feed, "step", lambda self: steps.append(self.member) or step(self))

    with pytest.raises(LoadRefused) as caught:
        ingest.load_files([path], database.make_engine(sqlite_url), settings)

    problems = [str(p) for p in caught.value.problems]
    assert problems[0].startswith("junk.ods: the columns match no kind of table this dashboard loads (it loads: ")
    assert problems[1:] == ["junk.ods, sheet 'Junk', row 1: found 'Column A | Column B'; headers found on this sheet"]
    assert xml_size(path) > 10 * 1024 * 1024  # more than ten chunks of XML...
    assert len(steps) <= 2  # ...of which the first is parsed
