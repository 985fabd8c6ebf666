"""The Panel's meeting pack: the quarter, the order of the recommendations, and the PDF's own text read back."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

import pcc_cli as cli
from dashboard.outputs import images, meeting_pack, pack_tables
from dashboard.outputs.meeting_pack import PackError, Quarter, parse_quarter
from dashboard.words import glossary, readings
from data_loaders import database
from data_loaders.settings import load_settings

MEETING = dt.date(2025, 5, 14)
PANEL_HEADING = "At a glance: every measure, overdue recommendations, deadlines"


@pytest.fixture(scope="module")
def pack(demo_url):
    """The pack for 2024/25 Q4 from the demo database, its contents and its text page by page."""
    from pypdf import PdfReader

    try:
        images.browser_path()
    except images.ExportError:
        return None
    settings = load_settings()
    engine = database.make_engine(demo_url)
    contents = meeting_pack.gather(engine, settings, parse_quarter("2024/25-Q4"), meeting_date=MEETING)
    pdf = meeting_pack.render(contents)
    engine.dispose()
    reader = PdfReader(io.BytesIO(pdf))
    return contents, reader, [page.extract_text() for page in reader.pages]


@pytest.fixture
def built(pack, chromium):
    return pack


@pytest.mark.parametrize(
    "text, code, start, end",
    [
        ("2024/25-Q4", "2024/25-Q4", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("2024/25 Q1", "2024/25-Q1", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        ("2019/20q3", "2019/20-Q3", dt.date(2019, 10, 1), dt.date(2019, 12, 31)),
        ("1999/00-Q2", "1999/00-Q2", dt.date(1999, 7, 1), dt.date(1999, 9, 30)),
    ],
)
def test_quarters_as_the_home_office_writes_them(text, code, start, end):
    quarter = parse_quarter(text)
    assert (quarter.code, quarter.start, quarter.end) == (code, start, end)
    assert quarter.last_month == end.replace(day=1)


def test_a_quarter_describes_itself():
    assert Quarter("2024/25", 4).describe() == "Quarter 4 2024/25 (January to March 2025)"


@pytest.mark.parametrize(
    "text, message",
    [
        ("2024/25-Q5", "is not a quarter"),
        ("2024-Q4", "is not a quarter"),
        ("2024/26-Q4", "2024/26 is not a financial year"),
    ],
)
def test_a_quarter_written_wrongly_is_refused(text, message):
    with pytest.raises(PackError, match=message):
        parse_quarter(text)


def test_recommendations_overdue_first_most_overdue_at_the_top_then_open_then_closed():
    frame = pd.DataFrame(
        {
            "report": ["Living in fear"] * 2 + ["The police response to stalking"] * 2 + ["Living in fear"],
            "publication_date": [dt.date(2017, 7, 5)] * 2 + [dt.date(2024, 9, 27)] * 2 + [dt.date(2017, 7, 5)],
            "reference": ["R1", "R2", "R3", "R5", "R4"],
            "text": ["Record every report.", "Stop notices.", "Publish a plan.", "Audit.", "Train staff."],
            "owner": ["Head of Crime", None, "ACC", "ACC", "Head of Crime"],
            "due_date": [
                dt.date(2018, 1, 5),
                dt.date(2018, 1, 5),
                dt.date(2024, 11, 22),
                dt.date(2025, 9, 27),
                dt.date(2017, 10, 5),
            ],
            "status": ["complete", "being-progressed", None, "being-progressed", "awaiting-review"],
            "status_category": ["complete", "in progress", "not started", "in progress", "not started"],
            "overdue": [False, True, True, False, True],
        }
    )
    rows, highlight = pack_tables.recommendations_rows(frame, closed=("complete", "will not be progressed"))
    assert [row[2] for row in rows[1:]] == ["R4", "R2", "R3", "R5", "R1"]
    assert [row[0] for row in rows[1:]] == ["OVERDUE", "OVERDUE", "OVERDUE", "", ""]
    assert highlight == [1, 2, 3]
    assert rows[1][1] == "Living in fear (2017)"
    # The status category only, never the source's own word ("being-progressed").
    assert rows[2][4] == "not named" and rows[2][6] == "in progress"
    assert [row[6] for row in rows[1:]] == ["not started", "in progress", "not started", "in progress", "complete"]
    assert rows[3][6] == "not started"


def test_a_long_report_title_is_shortened():
    title = "Stalking and harassment: an inspection of Sussex Police commissioned by the Police and Crime Commissioner"
    assert pack_tables.short_report(title, dt.date(2019, 4, 10)) == "Stalking and harassment (2019)"
    assert pack_tables.short_report("A report", None) == "A report"


@pytest.mark.slow
def test_the_pack_is_real_text_with_every_heading(built):
    contents, reader, pages = built
    text = "\n".join(pages)
    for heading in (
        "Contents",
        "Headline figures",
        "Recorded crime",
        "Outcomes",
        "Prosecutions and orders",
        "Inspection recommendations",
        "Statutory response deadlines",
        "Notes",
        "Sources and editions",
        "Series breaks",
        "Small numbers",
    ):
        assert heading in text, heading
    cover = pages[0]
    assert "Office of the Police and Crime Commissioner for Devon, Cornwall and the Isles of Scilly" in cover
    assert "Police and Crime Panel" in cover and "Quarter 4 2024/25 (January to March 2025)" in cover
    assert "Meeting date: 14 May 2025" in cover
    assert "Illustrative demo data" in cover
    assert reader.metadata.title.startswith("Police and Crime Panel: stalking and harassment, Quarter 4 2024/25")


@pytest.mark.slow
def test_the_pack_carries_the_key_messages_and_each_charts_reading(built):
    contents, _, pages = built
    text = " ".join(" ".join(pages).split())
    assert contents.messages and all(" ".join(m.split()) in text for m in contents.messages)
    assert len(contents.charts) >= 12
    spc = next(item.chart for item in contents.charts if item.chart.key == "recorded-spc")
    assert f"Key message: {' '.join(spc.reading.split())}" in text
    assert "(from" in contents.messages[0] or "year ending March 2025" in contents.messages[0]


@pytest.mark.slow
def test_the_pack_stops_at_the_quarter(built):
    contents, _, _ = built
    for table in (contents.inputs.recorded, contents.inputs.outcomes, contents.inputs.prosecutions):
        assert pd.to_datetime(table["period_start"]).max() <= pd.Timestamp("2025-03-01")
    assert "year ending March 2025" in contents.messages[0]


@pytest.mark.slow
def test_the_recommendations_table_lists_every_one_overdue_first(built):
    contents, _, pages = built
    start = next(i for i, page in enumerate(pages) if "overdue (past the due date" in page)
    table = " ".join(" ".join(pages[start : start + 3]).split())
    overdue = contents.recommendations[contents.recommendations["overdue"]]
    assert len(overdue) > 0
    assert f"{len(contents.recommendations)} recommendations, {len(overdue)} overdue" in table
    first = table.index("OVERDUE")
    for reference, words in zip(contents.recommendations["reference"], contents.recommendations["text"], strict=True):
        assert " ".join(str(words).split()[:6]) in table, reference
    closed = contents.recommendations[~contents.recommendations["overdue"]]
    assert table.index(" ".join(str(closed["text"].iloc[0]).split()[:6])) > first


@pytest.mark.slow
def test_the_statutory_deadlines_and_page_numbers(built):
    contents, _, pages = built
    text = " ".join(pages)
    assert "within 56 days beginning with the day the report is published" in " ".join(text.split())
    for title in contents.reports["title"]:
        assert " ".join(str(title).split()[:4]) in " ".join(text.split())
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page


@pytest.mark.slow
def test_the_contents_and_bookmarks_point_at_the_headings(built):
    contents, reader, pages = built
    top = [entry for entry in reader.outline if not isinstance(entry, list)]
    # The contents run from the third page (after the cover and the Panel's scorecard) to the headline figures' page,
    # however many charts the pack holds.
    toc = "".join(pages[2 : reader.get_destination_page_number(top[1])])
    titles = [entry.title for entry in top]
    assert titles[:2] == [PANEL_HEADING, "Headline figures"] and titles[-3:] == [
        "Inspection recommendations",
        "Statutory response deadlines",
        "Notes",
    ]
    for entry in top:
        assert entry.title in toc
        assert entry.title in pages[reader.get_destination_page_number(entry)]
    for item in contents.charts:
        assert item.heading in toc


def notes_text(pages: list[str]) -> str:
    """The notes pages' text, from the page that lists the sources to the end, on one line."""
    start = max(i for i, page in enumerate(pages) if "Sources and editions" in page)
    return " ".join(" ".join(pages[start:]).split())


@pytest.mark.slow
def test_the_notes_name_sources_breaks_and_suppression(built):
    notes = notes_text(built[2])
    assert "prc-pfa-mar2013-onwards-tables" in notes
    assert "Stalking given its own code (8Q)" in notes
    assert "Counts from 1 to 4 for areas below force level are shown as [c]" in notes
    assert "No rate or percentage is given on a base of fewer than 10" in notes


@pytest.mark.slow
def test_pack_from_the_command_line(demo_url, monkeypatch, tmp_path, capsys, chromium):
    monkeypatch.setenv("PCC_DATABASE_URL", demo_url)
    out = tmp_path / "pack.pdf"
    assert cli.main(["pack", "--period", "2024/25-Q4", "--out", str(out), "--date", "2025-05-14"]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    assert "Quarter 4 2024/25" in capsys.readouterr().out


@pytest.mark.slow
def test_pack_refusals_exit_non_zero(demo_url, monkeypatch, capsys):
    monkeypatch.setenv("PCC_DATABASE_URL", demo_url)
    assert cli.main(["pack", "--period", "2024/25-Q9"]) == 1
    assert "is not a quarter" in capsys.readouterr().err
    assert cli.main(["pack", "--period", "2009/10-Q1"]) == 1
    assert "No recorded crime is loaded up to Quarter 1 2009/10" in capsys.readouterr().err


def test_latest_names_the_latest_quarter_loaded_for_the_home_force(demo_url):
    from data_loaders import reads
    from data_loaders.periods import financial_period_of

    settings = load_settings()
    engine = database.make_engine(demo_url)
    recorded = reads.recorded_crime(engine)
    home = recorded[(recorded["force"] == settings.home_force) & (recorded["month"] == 0)]
    year, number = financial_period_of(home["period_start"].max().date())
    assert meeting_pack.quarter_for("latest", engine, settings) == Quarter(year, number)
    assert meeting_pack.quarter_for("2024/25-Q4", engine, settings) == Quarter("2024/25", 4)
    engine.dispose()


@pytest.mark.slow
def test_the_second_page_is_the_panels_scorecard(built):
    contents, _, pages = built
    page = " ".join(pages[1].split())
    card = contents.scorecard
    assert PANEL_HEADING in page and page.index(PANEL_HEADING) < page.index("Measure Latest")
    assert [row.measure for row in card.rows] == [
        "Stalking and harassment",
        "Stalking",
        "Harassment",
        "Malicious communications",
        "Controlling or coercive behaviour",
        "Charge or summons rate",
        "Victim does not support action",
        "Stalking Protection Orders granted",
    ]
    for row in card.rows:  # every measure's figure, change, reading and icon words are on the page
        assert row.latest in page and row.change in page, row.measure
        assert " ".join(row.reading.split()) in page, row.measure
        if row.variation:
            assert readings.VARIATION_LABELS[row.variation] in page
    assert card.rows[0].period == "Year ending March 2025"
    assert "Recommendations past their due date" in page
    overdue = contents.recommendations[contents.recommendations["overdue"]]
    assert f"{len(overdue)} of {len(contents.recommendations)} recommendations are overdue" in page
    assert "Statutory responses still open" in page
    for jargon in ("XmR", "special cause", "process limit", "type 0", "Count used", "being-progressed"):
        assert jargon not in page, jargon


@pytest.mark.slow
def test_the_recommendations_chart_stops_at_the_quarters_end(built):
    contents, _, pages = built
    mix = next(item.chart for item in contents.charts if item.chart.key == "recommendation-status-mix")
    assert max(mix.data["month"]) == dt.date(2025, 3, 1)  # the pack ends with March 2025, though it is made later
    assert mix.text.subtitle.endswith("to March 2025")
    assert mix.reading.startswith("At the end of March 2025:")
    assert "to March 2025" in " ".join(" ".join(pages).split())


@pytest.mark.slow
def test_the_notes_print_the_glossary_and_name_sources_in_words(built):
    notes = notes_text(built[2])
    assert "Glossary: reading the figures" in notes
    for heading in glossary.sections():
        assert heading in notes, heading
    assert "Outcomes assigned in the quarter (the Home Office column" in notes
    assert "Pcc-response" not in notes and "Commissioner's response to an inspection report" in notes
