"""Good files to mutate and the checks every hostile load shares: the database dumped before and after a refusal.

The good files are the real published tables in ``../shared/data`` (read where they are, never copied) and the
small files in ``tests/data``.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_loaders import database, ingest, schema
from data_loaders.recommendations.ingest import load_recommendation_files
from data_loaders.refusals import LoadRefused

TEST_DATA = Path(__file__).with_name("data")
RECORDED_CRIME = "home-office-prc-pfa-stalking-harassment-191023.csv"
POPULATION = "pfa-population-mid2016-2018.csv"
TRACKER = TEST_DATA / "recommendations-tracker.csv"
RESPONSE = TEST_DATA / "dc-response-hmicfrs-stalking-2019.txt"
INT64 = "at most 9,223,372,036,854,775,807 (the largest whole number the database holds)"
COUNT_BOUND = "expected a count of at most 1,000,000 in one period (the bound [limits] max_count in the settings)"
POPULATION_BOUND = (
    "expected a population of at most 20,000,000 for one police force area "
    "(the bound [limits] max_population in the settings)"
)
DATES_NOTE = "(the plausible dates, [limits] earliest_year and years_ahead in the settings)"
MONTH_EXPECTED = "expected a month such as '2024-04' or 'Apr 2024'"
PERIOD_EXPECTED = "expected a month such as '2024-04' or a financial quarter such as '2024/25 Q1'"
RETURN = "Period,Area,Measure,Value\n2024/25 Q1,CPS South West,Convictions,41\n2024-04,Devon and Cornwall,spo_applications,6\n"
EXTRACT = "Month,Force,Offence Code,Offence Description,Count\n2024-04,Devon and Cornwall,8Q,Stalking,131\n"
EVENTS = "Date,Label,Kind,Detail\n2019-02-01,Stalking clinic pilot launched,Local initiative,Weekly case reviews\n"
FIELD_LIMIT = "expected a cell of at most 1,048,576 characters (1 MB); this one is longer"


def latest_plausible() -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year + 1, day=28 if (today.month, today.day) == (2, 29) else today.day)


def dates_expected() -> str:
    latest = latest_plausible()
    return f"expected a date from 1 January 2000 to {latest.day} {latest:%B %Y} {DATES_NOTE}"


def months_expected() -> str:
    return f"expected a month from January 2000 to {latest_plausible():%B %Y} {DATES_NOTE}"


# ---- the database before and after ----------------------------------------------------------------


def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table."""
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(sa.select(table))), key=repr)
            for table in schema.metadata.sorted_tables
        }


def good_database(url: str, settings, shared_data: Path):
    """An engine on ``url`` holding a good load (the real population table and the small tracker)."""
    engine = database.make_engine(url)
    ingest.load_files([shared_data / POPULATION], engine, settings)
    load_recommendation_files([TRACKER], engine, settings, author="analyst")
    return engine


def sqlite_bytes(url: str) -> bytes:
    return Path(sa.make_url(url).database).read_bytes()


def refusal(loaded, settings, path: Path, *, recommendations: bool = False) -> list[str]:
    """The problems of loading ``path`` (which must be refused), after checking the database is unchanged."""
    url, engine = loaded
    before, rows_before = sqlite_bytes(url), dump(engine)
    started = time.perf_counter()
    with pytest.raises(LoadRefused) as caught:
        if recommendations:
            load_recommendation_files([path], engine, settings, author="analyst")
        else:
            ingest.load_files([path], engine, settings)
    assert time.perf_counter() - started < 5
    assert dump(engine) == rows_before
    assert sqlite_bytes(url) == before
    return [str(problem) for problem in caught.value.problems]


# ---- good files, mutated --------------------------------------------------------------------------


def recorded_crime_rows(shared_data: Path) -> list[list[str]]:
    """The real table's header and its Devon and Cornwall rows of 2019/20 (16 rows: 4 codes, 4 quarters)."""
    with (shared_data / RECORDED_CRIME).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return [rows[0], *(r for r in rows[1:] if r[0] == "2019/20" and r[2] == "Devon and Cornwall")]


def write_rows(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def mutated(rows: list[list[str]], row: int, column: int, value: object) -> list[list[object]]:
    """``rows`` with the cell at spreadsheet ``row`` (1 is the header) and 0-based ``column`` replaced."""
    copy = [list(r) for r in rows]
    copy[row - 1][column] = value
    return copy


def population_rows(shared_data: Path) -> list[list[str]]:
    with (shared_data / POPULATION).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# ---- workbooks rewritten part by part --------------------------------------------------------------


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def rezip(source: Path, target: Path, replace: dict[str, bytes | None]) -> Path:
    """``source``'s members copied to ``target``, those named in ``replace`` replaced (or left out for None, or
    added when ``source`` lacks them)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    new.writestr(info.filename, replace[info.filename])
            else:
                new.writestr(info, old.read(info.filename))
        for name, data in replace.items():
            if data is not None and name not in old.namelist():
                new.writestr(name, data)
    return target


def with_sheet_data(source: Path, target: Path, rows_xml: str) -> Path:
    """``source`` (an XLSX written by openpyxl) with its first sheet's rows replaced by ``rows_xml``."""
    sheet = member(source, "xl/worksheets/sheet1.xml").decode()
    start, end = sheet.index("<sheetData>") + len("<sheetData>"), sheet.index("</sheetData>")
    return rezip(source, target, {"xl/worksheets/sheet1.xml": (sheet[:start] + rows_xml + sheet[end:]).encode()})


def far_cell(column: str, row: int) -> str:
    """A row of one number at ``column`` ``row``, as an XLSX worksheet holds it."""
    return f'<row r="{row}"><c r="{column}{row}"><v>1</v></c></row>'
