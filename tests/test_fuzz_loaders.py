"""Good small files mutated at random: every loader either loads the result or refuses it with ``LoadRefused``,
never another exception, within a time bound per file, and a refusal leaves the database as it was.

The mutations are those of a careless or hostile user: a cell replaced by arbitrary text (control characters,
huge numbers, impossible dates), rows duplicated, dropped or shuffled, headers swapped, a column dropped, quoting
broken, the file truncated, re-encoded as UTF-16 or given stray bytes. The runs are bounded and derandomised, so
CI sees the same examples every time; a failure found here is kept below as an explicit regression case.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest
from hostile import RESPONSE, TRACKER, dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_loaders import database, ingest
from data_loaders.recommendations.ingest import load_recommendation_files
from data_loaders.refusals import LoadRefused
from data_loaders.settings import load_settings

SECONDS_PER_FILE = 3
RECORDED_CRIME = """Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences
2019/20,1,Devon and Cornwall,Stalking,Violence against the person,Stalking and harassment,8Q,412
2019/20,1,Devon and Cornwall,Harassment,Violence against the person,Stalking and harassment,8L,1204
2019/20,2,Devon and Cornwall,Stalking,Violence against the person,Stalking and harassment,8Q,398
2019/20,2,Devon and Cornwall,Burglary,Theft,Burglary,28E,7
2019/20,1,Avon & Somerset,Malicious Communications,Violence against the person,Stalking and harassment,8R,-3
"""
OUTCOMES = """Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Outcome Description,Outcome Group,Outcome Type,Force outcomes for offences recorded in quarter,Force outcomes recorded in quarter
2024/25,1,Devon and Cornwall,Stalking,Violence against the person,Stalking and harassment,8Q,Charged/Summonsed,Charged/Summonsed,1,5,7
2024/25,1,Devon and Cornwall,Stalking,Violence against the person,Stalking and harassment,8Q,Not yet assigned an outcome,Not yet assigned,0,40,0
2024/25,2,Devon and Cornwall,Harassment,Violence against the person,Stalking and harassment,8L,Investigation complete - no suspect identified,No suspect identified,18,12,15
"""
PROSECUTIONS = """Period,Area,Measure,Value
2024/25 Q1,CPS South West,Prosecutions completed,52
2024/25 Q1,CPS South West,Convictions,41
2024-04,Devon and Cornwall,spo_applications,6
2024-05,Devon and Cornwall,spo_applications,4
"""
GOOD_FILES = {
    "recorded-crime.csv": RECORDED_CRIME,
    "outcomes.csv": OUTCOMES,
    "prosecutions.csv": PROSECUTIONS,
    "tracker.csv": TRACKER.read_text(encoding="utf-8"),
    "response.txt": RESPONSE.read_text(encoding="utf-8"),
}

# ---- mutations -----------------------------------------------------------------------------------------------

HOSTILE_CELLS = [
    "", " ", "\x00", "\ufeff", "\r\n", '"', "\t" * 300, "1e20", "-1e20", "nan", "inf", "-0", "3,000,000,000",
    "12345678901234567890", "9" * 400, "0000-05", "9999-12", "0000/01", "9999/00 Q4", "2019/20", "Q5", "R1",
    "=HYPERLINK(\"x\")", "<p>" * 50, "[on]" * 20, "[" + " " * 2000, "Recommendations\t\tx Response",
    "javascript:alert(1)", " \nhttps://example.org", "Devon & Cornwall", "8Q", "1a",
]  # fmt: skip
cells = st.one_of(
    st.sampled_from(HOSTILE_CELLS),
    st.text(max_size=40),
    st.integers(-(10**25), 10**25).map(str),
    st.floats().map(repr),
)
index = st.integers(0, 60)
mutation = st.one_of(
    st.tuples(st.just("cell"), index, index, cells),
    st.tuples(st.just("duplicate"), index),
    st.tuples(st.just("drop"), index),
    st.tuples(st.just("shuffle"), st.permutations(range(8))),
    st.tuples(st.just("swap"), index, index),
    st.tuples(st.just("drop column"), index),
)
file_form = st.fixed_dictionaries(
    {
        "mutations": st.lists(mutation, min_size=1, max_size=4),
        "quoted": st.booleans(),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
        "truncate": st.one_of(st.none(), st.integers(0, 4000)),
        "stray": st.one_of(st.none(), st.tuples(st.integers(0, 4000), st.binary(min_size=1, max_size=8))),
    }
)


def split(text: str, delimiter: str) -> list[list[str]]:
    if delimiter == "\t":
        return [line.split("\t") for line in text.split("\n")]
    return list(csv.reader(io.StringIO(text)))


def mutate(rows: list[list[str]], mutations) -> list[list[str]]:
    rows = [list(row) for row in rows]
    for kind, *args in mutations:
        if not rows:
            break
        if kind == "cell":
            row = rows[args[0] % len(rows)]
            if row:
                row[args[1] % len(row)] = args[2]
        elif kind == "duplicate":
            rows.insert(args[0] % len(rows), list(rows[args[0] % len(rows)]))
        elif kind == "drop":
            del rows[args[0] % len(rows)]
        elif kind == "shuffle":
            order = [i for i in args[0] if i < len(rows)]
            rows[: len(order)] = [rows[i] for i in order]
        elif kind == "swap" and rows[0]:
            header = rows[0]
            a, b = args[0] % len(header), args[1] % len(header)
            header[a], header[b] = header[b], header[a]
        elif kind == "drop column":
            for row in rows:
                if row:
                    del row[args[0] % len(row)]
    return rows


def render(rows: list[list[str]], form: dict, delimiter: str) -> bytes:
    if form["quoted"] and delimiter == ",":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        text = out.getvalue()
    else:
        text = "\n".join(delimiter.join(row) for row in rows)
    data = text.encode(form["encoding"], errors="replace")
    if form["truncate"] is not None:
        data = data[: form["truncate"]]
    if form["stray"] is not None:
        at, stray = form["stray"]
        data = data[:at] + stray + data[at:]
    return data


# ---- loading -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    """One SQLite database for every example, holding a good load of each kind first."""
    folder = tmp_path_factory.mktemp("fuzz")
    own = load_settings()
    engine = database.make_engine(f"sqlite:///{folder / 'fuzz.sqlite'}")
    for name, text in GOOD_FILES.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        if name in {"tracker.csv", "response.txt"}:
            load_recommendation_files([path], engine, own, author="fuzz")
        else:
            ingest.load_files([path], engine, own)
    yield folder, engine, own
    engine.dispose()


def load_or_refuse(fuzz_db, name: str, data: bytes) -> None:
    """Load ``data`` as the file ``name``: it loads, or it is refused and the database is as it was."""
    folder, engine, own = fuzz_db
    path = folder / f"mutated-{name}"
    path.write_bytes(data)
    before = dump(engine)
    started = time.perf_counter()
    try:
        if name in {"tracker.csv", "response.txt"}:
            load_recommendation_files([path], engine, own, author="fuzz")
        else:
            ingest.load_files([path], engine, own)
    except LoadRefused:
        assert dump(engine) == before
    assert time.perf_counter() - started < SECONDS_PER_FILE


fuzzed = settings(
    max_examples=15,
    deadline=dt.timedelta(seconds=SECONDS_PER_FILE * 2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("name", list(GOOD_FILES))
@fuzzed
@given(form=file_form)
def test_a_mutated_good_file_loads_or_is_refused(fuzz_db, name, form):
    delimiter = "\t" if name.endswith(".txt") else ","
    rows = mutate(split(GOOD_FILES[name], delimiter), form["mutations"])
    load_or_refuse(fuzz_db, name, render(rows, form, delimiter))


# ---- regression cases ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("recorded-crime.csv", RECORDED_CRIME.replace(",412\n", ",1e20\n").encode()),
        ("recorded-crime.csv", RECORDED_CRIME.replace("2019/20,2,", "9999/00,4,").encode()),
        ("prosecutions.csv", PROSECUTIONS.replace("2024/25 Q1", "0000/01 Q1").encode()),
        (
            "response.txt",
            GOOD_FILES["response.txt"].replace("Recommendations\t", "Recommendations" + "\t" * 5000).encode(),
        ),
        ("tracker.csv", GOOD_FILES["tracker.csv"].encode("utf-16")),
    ],
)
def test_mutations_that_once_broke_a_loader(fuzz_db, name, data):
    load_or_refuse(fuzz_db, name, data)


def test_the_fuzzed_files_start_good(fuzz_db):
    """Unmutated, each good file loads (so a refusal above is the mutation's doing)."""
    folder, engine, own = fuzz_db
    counts = {table: len(rows) for table, rows in dump(engine).items()}
    assert counts["recorded_crime"] > 0 and counts["outcomes"] > 0 and counts["prosecutions_return"] > 0
    assert counts["recommendations"] > 0
    assert Path(folder / "tracker.csv").is_file()
