"""Illustrative inspection recommendations for the demo, written as the files an office holds.

:func:`write_files` writes three files and :func:`load` loads them through the real loaders:

- the Commissioner's published response to the 2019 HMICFRS stalking report (a public document,
  shipped in ``files/``): the Chief Constable's and the Commissioner's comments and the two
  recommendations with the force's response;
- a recommendations tracker (CSV, the template of :mod:`data_loaders.recommendations.tracker`) with illustrative
  recommendations and HMICFRS-style histories (``files/demo-recommendations.toml``) for the three stalking
  reports named in the settings, and for an illustrative follow-up report published three weeks before
  ``as_of``, so that one report is still inside its 56 days for the Commissioner's response;
- the report details an analyst fills in on a report (publication date of the report the settings
  do not know, the date each response was published), applied as an analyst's edits would be.

Some recommendations are complete, some overdue, one will not be progressed, one has timescale
words that give no due date. History dated after ``as_of`` and reports published after it are
left out, so the same ``as_of`` gives the same bytes and any ``as_of`` reads true.

>>> load(engine, settings, write_files(folder, settings, dt.date(2025, 11, 28)))  # doctest: +SKIP
[RecommendationLoadResult(file_name='dc-response-to-hmicfrs-stalking-2019.txt', ...), ...]
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_loaders import schema
from data_loaders.demo.writing import write_csv
from data_loaders.recommendations import response as pcc_response
from data_loaders.recommendations import tracker
from data_loaders.recommendations.ingest import RecommendationLoadResult, load_recommendation_files
from data_loaders.recommendations.inputs import report_input
from data_loaders.recommendations.store import set_report_details
from data_loaders.settings import Settings

FILES = Path(__file__).with_name("files")
RESPONSE_NAME = "dc-response-to-hmicfrs-stalking-2019.txt"
TRACKER_NAME = "demo-recommendations-tracker.csv"
DETAILS_NAME = "demo-inspection-report-details.csv"
AUTHOR = "Demo data (illustrative)"
EVIDENCE = "https://opcc.example.org/evidence/"
# The illustrative follow-up report: not in the settings, so it loads flagged for the analyst,
# and the demo then fills in its publication date as the analyst would.
FOLLOW_UP_TITLE = "Illustrative follow-up inspection of the force's response to stalking (demo)"
FOLLOW_UP_AGE = dt.timedelta(days=21)

LIVING_IN_FEAR = "living-in-fear-2017"
SUSSEX_2019 = "sussex-and-national-update-2019"
RESPONSE_2024 = "police-response-to-stalking-2024"
FOLLOW_UP = "follow-up"

# When the Commissioner's response to each report was published (illustrative): late, on time,
# on time; the follow-up report's response is not published yet.
RESPONSES_PUBLISHED = {
    LIVING_IN_FEAR: dt.date(2017, 9, 15),
    SUSSEX_2019: dt.date(2019, 5, 31),
    RESPONSE_2024: dt.date(2024, 11, 20),
}


@dataclass(frozen=True)
class Entry:
    """A dated entry of a recommendation's history; ``days`` counts from the report's publication."""

    days: int
    status: str | None = None
    comment: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class DemoRecommendation:
    report: str  # a report key of the settings, or FOLLOW_UP
    reference: str
    text: str | None = None  # None: the text comes from the response document
    timescale: str | None = None
    owner: str | None = None
    history: tuple[Entry, ...] = field(default_factory=tuple)  # after AWAITING_REVIEW, where every history begins
    response: str | None = None  # the force's response as HTML paragraphs, the owner last


# Every recommendation is awaiting review from the day its report is published.
AWAITING_REVIEW = Entry(0, "awaiting-review")
RECOMMENDATIONS_FILE = FILES / "demo-recommendations.toml"


def _recommendations() -> tuple[DemoRecommendation, ...]:
    """The demo's recommendations and their histories, as ``files/demo-recommendations.toml`` writes them."""
    with RECOMMENDATIONS_FILE.open("rb") as handle:
        written = tomllib.load(handle)["recommendations"]
    return tuple(
        DemoRecommendation(**{**rec, "history": tuple(Entry(**entry) for entry in rec.get("history", ()))})
        for rec in written
    )


RECOMMENDATIONS = _recommendations()


def follow_up_published(as_of: dt.date) -> dt.date:
    """When the illustrative follow-up report was published: three weeks before ``as_of``."""
    return as_of - FOLLOW_UP_AGE


def _published(settings: Settings, as_of: dt.date) -> dict[str, tuple[str, dt.date]]:
    """Each demo report's title and publication date, for reports published by ``as_of``."""
    reports = {r.key: (r.title, r.published) for r in settings.recommendations.reports if r.published}
    reports[FOLLOW_UP] = (FOLLOW_UP_TITLE, follow_up_published(as_of))
    return {key: value for key, value in reports.items() if value[1] <= as_of}


def _day(day: dt.date) -> str:
    """A date as HMICFRS writes it: '10th April 2019'."""
    suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    return f"{day.day}{suffix} {day:%B %Y}"


def _history(entries: Sequence[tuple[dt.date, Entry]]) -> str:
    parts = []
    for day, entry in entries:
        status = f"[status]{entry.status}[/status]" if entry.status else ""
        comment = f"[comment]{entry.comment}[/comment]" if entry.comment else ""
        parts.append(f"[on]{_day(day)} {status}{comment}[/on]")
    return "".join(parts)


def _tracker_rows(settings: Settings, as_of: dt.date) -> list[list[str]]:
    reports = _published(settings, as_of)
    document = pcc_response.read(FILES / RESPONSE_NAME)
    texts = {rec.reference: rec.text for rec in document.recommendations}
    rows = []
    for rec in RECOMMENDATIONS:
        if rec.report not in reports:
            continue
        title, published = reports[rec.report]
        dated = [(published + dt.timedelta(days=e.days), e) for e in (AWAITING_REVIEW, *rec.history)]
        dated = [(day, e) for day, e in dated if day <= as_of]
        # The latest entry goes in the Status columns with its evidence link; the rest is history.
        *earlier, (last_day, last) = dated
        rows.append(
            [
                title,
                rec.reference,
                rec.text or texts[rec.reference],
                rec.timescale or "",
                rec.owner or "",
                last.status or "",
                f"{last_day:%d/%m/%Y}",
                last.comment or "",
                f"{EVIDENCE}{last.evidence}" if last.evidence else "",
                _history(earlier),
                rec.response or "",
            ]
        )
    return rows


def write_files(folder: Path, settings: Settings, as_of: dt.date) -> list[Path]:
    """Write the response document, the tracker and the report details into ``folder``; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    response = folder / RESPONSE_NAME
    shutil.copyfile(FILES / RESPONSE_NAME, response)
    keys = ("report", "reference", "text", "timescale", "owner", "status", "status_date", "comment")
    header = [tracker.LABELS[key] for key in (*keys, "evidence_link", "history", "response_html")]
    tracker_path = write_csv(folder / TRACKER_NAME, header, _tracker_rows(settings, as_of))
    reports = _published(settings, as_of)
    details = []
    for key, (title, published) in reports.items():
        responded = RESPONSES_PUBLISHED.get(key)
        shown = f"{responded:%Y-%m-%d}" if responded and responded <= as_of else ""
        details.append([title, f"{published:%Y-%m-%d}", shown])
    details_path = write_csv(folder / DETAILS_NAME, ["Report", "Published", "Response Published"], details)
    return [response, tracker_path, details_path]


def _report_ids(engine: Engine) -> dict[str, int]:
    reps = schema.reports
    with engine.connect() as connection:
        return {row.key: row.id for row in connection.execute(sa.select(reps.c.id, reps.c.key))}


def load(engine: Engine, settings: Settings, paths: Sequence[Path]) -> list[RecommendationLoadResult]:
    """Load the demo's recommendation files as demo data, then fill in the report details an analyst would.

    The response document and the tracker load all or nothing through
    :func:`data_loaders.recommendations.ingest.load_recommendation_files`; the details file sets
    the follow-up report's publication date (re-deriving its due dates) and the response dates
    through :func:`data_loaders.recommendations.store.set_report_details`, as the analyst's edits do.
    Loading the same files again changes nothing.
    """
    paths = [Path(p) for p in paths]
    details = [p for p in paths if p.name == DETAILS_NAME]
    files = [p for p in paths if p.name != DETAILS_NAME]
    results = load_recommendation_files(files, engine, settings, author=AUTHOR, is_demo=True)
    ids = _report_ids(engine)
    for path in details:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                report_id = ids.get(report_input(row["Report"], settings).key)
                if report_id is None:
                    raise ValueError(f"{path.name}: no stored report is titled {row['Report']!r}")
                set_report_details(
                    engine,
                    report_id,
                    author=AUTHOR,
                    publication_date=dt.date.fromisoformat(row["Published"]),
                    response_published=dt.date.fromisoformat(row["Response Published"])
                    if row["Response Published"]
                    else None,
                )
    return results
