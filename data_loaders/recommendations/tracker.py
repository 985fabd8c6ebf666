"""A recommendations tracker: one row per recommendation, as offices keep them in spreadsheets.

Template (CSV or XLSX; columns matched by name, in any order; the first three are required)::

    Report,Reference,Recommendation,Addressed To,Timescale,Owner,Status,Status Date,Comment,Evidence Link
    Living in fear,R1,"Within six months chief constables should ...",chief constables,Within six months,
        Force Lead for Stalking and Harassment,being-progressed,04/06/2019,Audit commissioned,https://...

- ``Report`` names the inspection report: a known report is recognised from its title (see
  ``[[inspection_reports]]`` in the settings); any other title creates a report whose
  publication date the analyst fills in.
- ``Reference`` is the recommendation's number: ``1``, ``R1`` and ``Recommendation 1`` are all R1.
- ``Addressed To`` and ``Timescale``, when blank, are read from the start of the recommendation.
- ``Status`` is kept as written and counted in the category the settings map it to; with a
  ``Comment`` and/or ``Evidence Link`` it becomes a dated update, so ``Status Date`` is needed.
- Optional ``History`` holds HMICFRS-style history (``[on]10th April 2019 [status]...[/status][/on]``)
  and optional ``Response`` the force's response as HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_loaders import limits, periods, schema
from data_loaders.recommendations import history as hmicfrs_history
from data_loaders.recommendations.due_dates import split_timescale
from data_loaders.recommendations.inputs import UpdateInput, check_link
from data_loaders.recommendations.response import addressed_to
from data_loaders.refusals import Problem
from data_loaders.settings import Limits
from data_loaders.tables import Column, Workbook, is_blank, open_workbook, rows_of

KIND = "recommendations-tracker"
DESCRIPTION = (
    "a recommendations tracker (Report, Reference, Recommendation; optional Addressed To, Timescale, Owner, "
    "Status, Status Date, Comment, Evidence Link, History, Response)"
)

COLUMNS = (
    Column("report", ("Report", "Report Title", "Inspection", "Inspection Report")),
    Column("reference", ("Reference", "Ref", "Recommendation Reference", "Recommendation Number", "Rec No")),
    Column("text", ("Recommendation", "Recommendation Text")),
    Column("addressed_to", ("Addressed To", "Addressee"), required=False),
    Column("timescale", ("Timescale", "Timescales"), required=False),
    Column("owner", ("Owner", "Lead", "Force Lead"), required=False),
    Column("status", ("Status", "Current Status"), required=False),
    Column("status_date", ("Status Date", "Date of Status", "Last Updated"), required=False),
    Column("comment", ("Comment", "Comments", "Progress Comment"), required=False),
    Column("evidence_link", ("Evidence Link", "Evidence"), required=False),
    Column("history", ("History", "HMICFRS History", "Status History"), required=False),
    Column("response_html", ("Response", "Force Response"), required=False),
)
LABELS = {c.key: c.label for c in COLUMNS}
# The most characters the database stores for each text column, as the schema declares them.
TEXT_LIMITS = {
    "report": schema.reports.c.title.type.length,
    **{key: schema.recommendations.c[key].type.length for key in ("reference", "addressed_to", "timescale", "owner")},
}


@dataclass
class TrackerRow:
    """One checked tracker row."""

    report: str
    reference: str
    text: str
    addressed_to: str | None
    timescale: str | None
    owner: str | None
    response_html: str | None
    updates: list[UpdateInput] = field(default_factory=list)
    sheet: str | None = None
    row: int = 0


def normalise_reference(value: object) -> str:
    """A recommendation reference as stored: ``1``, ``R1``, ``Recommendation 1`` -> ``R1``; others as written."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    match = re.fullmatch(r"(?:recommendation|rec)?\s*(?:no\.?\s*)?r?\s*(\d{1,3})", text, re.IGNORECASE)
    return f"R{int(match.group(1))}" if match else text


def parse_day(value: object) -> dt.date | None:
    """A date cell: a spreadsheet date, '10th April 2019', '10/04/2019' (day first) or ISO."""
    return periods.parse_day(value)


def parse(book: Workbook) -> pd.DataFrame:
    """The raw rows of every sheet that holds the template's columns."""
    frame = rows_of(book, COLUMNS, "a recommendations tracker")
    return frame


def read(path: str | Path, display_name: str | None = None) -> pd.DataFrame:
    """The raw rows of a tracker file (see :func:`parse`)."""
    return parse(open_workbook(path, display_name=display_name))


def _text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean(frame: pd.DataFrame, bounds: Limits | None = None) -> tuple[list[TrackerRow], list[Problem]]:
    """Checked rows and every problem found (no rows when there is any problem); dates held to ``bounds``."""
    bounds = bounds or Limits()
    file = frame.attrs.get("file", "file")
    headers = frame.attrs.get("headers", {})

    def label(key: str) -> str:
        return headers.get(key, LABELS[key])

    rows: list[TrackerRow] = []
    problems: list[Problem] = []
    first_seen: dict[tuple[str, str], int] = {}
    for record in frame.to_dict("records"):
        sheet, number = record["_sheet"], int(record["_row"])

        def problem(key: str, expected: str, found: object = None, sheet=sheet, number=number) -> None:
            shown = None if found is None else ("" if is_blank(found) else str(found))
            problems.append(Problem(file, expected, sheet=sheet, row=number, column=label(key), found=shown))

        for key, limit in TEXT_LIMITS.items():
            if (value := _text(record[key])) and len(" ".join(value.split())) > limit:
                problem(key, f"expected at most {limit:,} characters (the most the database stores here)", value[:80])
        report, text = _text(record["report"]), _text(record["text"])
        reference = normalise_reference(record["reference"]) if not is_blank(record["reference"]) else None
        if report is None:
            problem(
                "report", "expected the title of the inspection report (a known title such as 'Living in fear')", ""
            )
        if reference is None:
            problem("reference", "expected the recommendation's reference, such as R1", "")
        if text is None:
            problem("text", "expected the text of the recommendation", "")
        status, comment, link = _text(record["status"]), _text(record["comment"]), _text(record["evidence_link"])
        day = None
        if not is_blank(record["status_date"]):
            day = parse_day(record["status_date"])
            if day is None:
                problem("status_date", "expected a date such as 04/06/2019 or '4th June 2019'", record["status_date"])
            elif reason := limits.day_problem(day, bounds):
                problem("status_date", reason, record["status_date"])
                day = None
            elif not (status or comment or link):
                problem("status_date", "a Status Date needs a Status, Comment or Evidence Link on the same row", day)
        elif status or comment or link:
            problem("status_date", "expected the date of this row's status or comment", "")
        link, link_problem = check_link(link)
        if link_problem:
            problem("evidence_link", link_problem, record["evidence_link"])
        updates: list[UpdateInput] = []
        history = _text(record["history"])
        if history:
            entries, history_problems = hmicfrs_history.parse(
                history, file=file, sheet=sheet, row=number, column=label("history")
            )
            problems.extend(history_problems)
            for entry in entries:
                if reason := limits.day_problem(entry.date, bounds):
                    problem("history", f"an entry dated {entry.date:%d %B %Y}: {reason}", history[:80])
            updates.extend(UpdateInput(e.date, e.status, e.comment) for e in entries)
        if day is not None and (status or comment or link):
            updates.append(UpdateInput(day, status, comment, link))
        if report and reference:
            key = (" ".join(report.lower().split()), reference)
            if key in first_seen:
                problem(
                    "reference",
                    f"each recommendation may appear once per report; this repeats row {first_seen[key]}",
                    reference,
                )
            first_seen.setdefault(key, number)
        if report is None or reference is None or text is None:
            continue
        timescale = _text(record["timescale"]) or split_timescale(text)[0]
        rows.append(
            TrackerRow(
                report=report,
                reference=reference,
                text=" ".join(text.split()),
                addressed_to=_text(record["addressed_to"]) or addressed_to(text),
                timescale=timescale,
                owner=_text(record["owner"]),
                response_html=_text(record["response_html"]),
                updates=updates,
                sheet=sheet,
                row=number,
            )
        )
    if frame.empty and not problems:
        problems.append(Problem(file, "the tracker has a header but no recommendation rows"))
    return ([], problems) if problems else (rows, [])
