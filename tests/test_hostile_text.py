"""Text a hostile or careless user might put in a good file: cells beyond the field limit, evidence links that are
no web address, UTF-16 "Unicode Text", lines of thousands of tabs. Each is refused with a located message naming
the limit (the database byte for byte as it was), or read, and never in more than a second.
"""

from __future__ import annotations

import contextlib
import csv
import io
import time

import pytest
import sqlalchemy as sa
from hostile import FIELD_LIMIT, RESPONSE, TRACKER, dump, mutated, recorded_crime_rows, refusal, write_rows

from data_loaders import database, ingest, schema
from data_loaders.recommendations.ingest import load_recommendation_files
from data_loaders.refusals import LoadRefused

# ---- a CSV cell beyond the field limit ---------------------------------------------------------------


def test_a_csv_cell_over_1_mb_is_refused_naming_row_column_and_limit(good_load, settings, shared_data, tmp_path):
    long = "x" * (1 << 20 | 1)
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 4, 3, long))

    assert refusal(good_load, settings, path) == [f"counts.csv, row 4, column 'Offence Description': {FIELD_LIMIT}"]


def test_a_tracker_cell_over_1_mb_is_refused_naming_row_column_and_limit(good_load, settings, tmp_path):
    path = tmp_path / "tracker.csv"
    text = TRACKER.read_text(encoding="utf-8").replace("Audit commissioned", "x" * (1 << 21))
    path.write_text(text, encoding="utf-8")

    assert refusal(good_load, settings, path, recommendations=True) == [
        f"tracker.csv, row 4, column 'History': {FIELD_LIMIT}"
    ]


def test_a_cell_of_128_kb_to_1_mb_is_read(sqlite_engine, settings, shared_data, tmp_path):
    # Offence Group is read and not stored, so any length is fine there.
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 4, 4, "x" * 200_000))

    (result,) = ingest.load_files([path], sqlite_engine, settings)
    assert result.rows_stored == 16


# ---- text longer than its database column --------------------------------------------------------------


TOO_LONG = "expected at most {:,} characters (the most the database stores here)"


def test_an_offence_description_longer_than_its_column_is_refused(good_load, settings, shared_data, tmp_path):
    path = write_rows(tmp_path / "counts.csv", mutated(recorded_crime_rows(shared_data), 4, 3, "Stalking " * 30))

    assert refusal(good_load, settings, path) == [
        f"counts.csv, row 4, column 'Offence Description': found {('Stalking ' * 9)[:80]!r}; {TOO_LONG.format(200)}"
    ]


def test_a_tracker_owner_longer_than_its_column_is_refused(good_load, settings, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_text(TRACKER.read_text(encoding="utf-8").replace(",Head of Crime,", f",{'Head ' * 70},"))

    assert refusal(good_load, settings, path, recommendations=True) == [
        f"tracker.csv, row 3, column 'Owner': found {('Head ' * 16)[:80]!r}; {TOO_LONG.format(300)}"
    ]


def test_a_response_title_longer_than_its_column_is_refused(good_load, settings, tmp_path):
    path = tmp_path / "response.txt"
    text = RESPONSE.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.strip())
    path.write_text(text.replace(title, title + " AND MORE" * 60, 1), encoding="utf-8")

    (problem,) = refusal(good_load, settings, path, recommendations=True)
    assert problem.startswith(f"response.txt, row 3: found {title[:80]!r}; ")
    assert problem.endswith("expected the report's title on the first line, of at most 500 characters")


# ---- evidence links -----------------------------------------------------------------------------------


def stored_links(engine) -> list[str]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(schema.recommendation_updates.c.evidence_link))
        return sorted(link for (link,) in rows if link)


def test_an_evidence_link_with_white_space_before_its_scheme_is_stored_trimmed(sqlite_engine, settings, tmp_path):
    path = tmp_path / "tracker.csv"
    text = TRACKER.read_text(encoding="utf-8").replace(
        "https://example.org/audit-2018", '" \n\thttps://example.org/a "'
    )
    path.write_text(text, encoding="utf-8")

    load_recommendation_files([path], sqlite_engine, settings, author="analyst")
    assert stored_links(sqlite_engine) == ["https://example.org/a"]


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("\u200bhttps://example.org/a", "expected a web address starting http:// or https:// (or mailto:)"),
        ("javascript:alert(1)", "expected a web address starting http:// or https:// (or mailto:)"),
        ("https://", "expected a web address starting http:// or https:// (or mailto:)"),
        (
            "https://example.org/a\njavascript:alert(1)",
            "expected a web address starting http:// or https:// (or mailto:), on one line, without control characters",
        ),
        (
            "https://example.org/" + "a" * 1000,
            "expected a web address starting http:// or https:// (or mailto:), of at most 1,000 characters",
        ),
    ],
)
def test_an_evidence_link_that_is_no_web_address_after_trimming_is_refused(
    good_load, settings, tmp_path, link, expected
):
    path = tmp_path / "tracker.csv"
    text = TRACKER.read_text(encoding="utf-8").replace("https://example.org/audit-2018", f'"{link}"')
    path.write_text(text, encoding="utf-8")

    assert refusal(good_load, settings, path, recommendations=True) == [
        f"tracker.csv, row 2, column 'Evidence Link': found {link!r}; {expected}"
    ]


# ---- UTF-16 text, as Excel saves "Unicode Text" -----------------------------------------------------------


def utf16(text: str, delimiter: str = "\t") -> bytes:
    """``text`` (CSV) as Excel's "Unicode Text" export: UTF-16 with a byte-order mark, tab-separated, CRLF."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-16")


@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_a_utf16_recorded_crime_table_loads_as_its_utf8_original(
    sqlite_url, settings, shared_data, tmp_path, delimiter
):
    rows = recorded_crime_rows(shared_data)
    original = write_rows(tmp_path / "prc-191023.csv", rows)
    unicode_text = tmp_path / "prc-191023.txt"
    unicode_text.write_bytes(utf16(original.read_text(encoding="utf-8"), delimiter))
    engine = database.make_engine(sqlite_url)

    (result,) = ingest.load_files([unicode_text], engine, settings)
    stored = dump(engine)["recorded_crime"]
    ingest.load_files([original], engine, settings)  # the same rows: the edition replaces them

    assert result.rows_stored == 16
    assert [row[1:-1] for row in dump(engine)["recorded_crime"]] == [row[1:-1] for row in stored]


def test_a_utf16_tracker_saved_as_unicode_text_loads(sqlite_engine, settings, tmp_path):
    path = tmp_path / "tracker.txt"
    path.write_bytes(utf16(TRACKER.read_text(encoding="utf-8")))

    (result,) = load_recommendation_files([path], sqlite_engine, settings, author="analyst")
    assert (result.kind, result.recommendations) == ("recommendations-tracker", 5)


def test_a_utf16_response_document_loads_as_its_utf8_original(sqlite_engine, settings, tmp_path):
    path = tmp_path / "response.txt"
    path.write_bytes(RESPONSE.read_text(encoding="utf-8").encode("utf-16"))

    (result,) = load_recommendation_files([path], sqlite_engine, settings, author="analyst")
    (original,) = load_recommendation_files([RESPONSE], sqlite_engine, settings, author="analyst")
    assert (result.kind, result.recommendations) == ("pcc-response", original.recommendations)
    assert original.counts.recommendations_created == 0  # the same recommendations, already stored


# ---- lines of tabs: parsed in linear time -------------------------------------------------------------------


TABS = "\t" * 5000


def timed(load) -> float:
    started = time.perf_counter()
    with contextlib.suppress(LoadRefused):
        load()
    return time.perf_counter() - started


@pytest.mark.parametrize(
    "line",
    [f"Recommendations{TABS}x", f"Recommendations {TABS} D&C", f"Recommendations\tD&C{' ' * 5000}x", TABS],
)
def test_a_response_document_with_a_line_of_5000_tabs_is_read_within_a_second(sqlite_engine, settings, tmp_path, line):
    text = RESPONSE.read_text(encoding="utf-8")
    path = tmp_path / "response.txt"
    path.write_text(text.replace("Chief Constable's comments\n", f"{line}\nChief Constable's comments\n", 1))

    assert timed(lambda: load_recommendation_files([path], sqlite_engine, settings, author="analyst")) < 1


def test_a_tracker_with_a_cell_of_5000_tabs_is_read_within_a_second(sqlite_engine, settings, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_text(
        TRACKER.read_text(encoding="utf-8").replace("Audit of 200", f'"Recommendations{TABS}x"'), encoding="utf-8"
    )

    assert timed(lambda: load_recommendation_files([path], sqlite_engine, settings, author="analyst")) < 1
    assert timed(lambda: ingest.load_files([path], sqlite_engine, settings)) < 1


def test_a_response_cell_of_many_unclosed_paragraphs_is_read_within_a_second(sqlite_engine, settings, tmp_path):
    text = RESPONSE.read_text(encoding="utf-8")
    path = tmp_path / "response.txt"
    path.write_text(text.replace("\t<p>", "\t" + "<p " * 20_000 + "<p>", 1))

    assert timed(lambda: load_recommendation_files([path], sqlite_engine, settings, author="analyst")) < 1


def test_a_history_of_brackets_and_long_white_space_is_read_within_a_second(sqlite_engine, settings, tmp_path):
    path = tmp_path / "tracker.csv"
    history = ("[" + " " * 5000) * 20
    path.write_text(TRACKER.read_text(encoding="utf-8").replace("[on]10th April 2019", history + "[on]10th April 2019"))

    assert timed(lambda: load_recommendation_files([path], sqlite_engine, settings, author="analyst")) < 1
