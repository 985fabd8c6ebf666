"""Local events that explain a step in a trend, and the series breaks, for every chart's time axis.

Template (CSV or XLSX)::

    Date,Label,Kind,Detail
    2019-02-01,Multi-agency stalking clinic pilot launched,Local initiative,Police and health staff review cases weekly

``Date`` is a day (``2019-02-01``, ``01/02/2019``, ``1 Feb 2019``) or a month (``2019-02``, taken as
its first day); ``Kind`` is the key or label of one of ``[[event_kinds]]`` in the settings;
``Detail`` is optional. An events file is the complete list of local events: loading one replaces
every local event loaded from earlier events files, so the office edits its events by editing the
file and loading it again. (Loading a file whose exact bytes were loaded before changes nothing.)
The series breaks come from ``[[series_breaks]]`` in the settings and are never stored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_loaders import database, limits, periods, refusals, schema, tables
from data_loaders import rows as row_checks
from data_loaders.settings import Settings

KIND = "events"
DESCRIPTION = "local events file (date, label, kind, optional detail)"
SCOPE = "local"  # every events file replaces all rows of this scope
SERIES_BREAK = "series_break"

COLUMNS = (
    tables.Column("date", ("Date", "Event Date", "Day")),
    tables.Column("label", ("Label", "Event", "Title")),
    tables.Column("kind", ("Kind", "Event Kind", "Type", "Category")),
    tables.Column("detail", ("Detail", "Details", "Description", "Notes"), required=False),
)
LABELS = {c.key: c.label for c in COLUMNS}
UNIQUE = row_checks.Unique(
    ("date", "label"), "each event (date and label)", "label", lambda row: f"{row['date']:%Y-%m-%d} {row['label']}"
)
MAX_LABEL = 200
MAX_DETAIL = 2000
EXPECTED_DATE = "expected a date such as '2019-02-01' or '1 Feb 2019' (or a month such as '2019-02')"
EVENT_COLUMNS = ["date", "label", "kind", "kind_label", "detail", "source", "rebase"]


def parse_date(value: object) -> tuple[dt.date | None, str | None]:
    """A day written 2019-02-01, 01/02/2019 (day first), 1 Feb 2019 or a date cell; a month as its first day."""
    day = periods.parse_day(value) or periods.parse_month(value)
    return (day, None) if day else (None, EXPECTED_DATE)


def parse(book: tables.Workbook) -> pd.DataFrame:
    """The raw rows of every sheet that holds the template's columns."""
    frame = tables.rows_of(book, COLUMNS, "a local events file")
    return frame


def read(path: str | Path) -> pd.DataFrame:
    """The raw rows of a local events file (see :func:`parse`)."""
    return parse(tables.open_workbook(path))


def _text(limit: int, required: bool):
    def parse_text(value: object) -> tuple[str | None, str | None]:
        text = "" if tables.is_blank(value) else " ".join(str(value).split())
        if required and not text:
            return None, "expected a short label for the event"
        if len(text) > limit:
            return None, f"expected at most {limit} characters"
        return text, None

    return parse_text


def clean(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """Typed rows to store and every problem found."""
    file = frame.attrs.get("file", "file")
    headers = frame.attrs.get("headers", {})
    spellings = {tables.normalise_header(s): k.key for k in settings.event_kinds for s in (k.key, k.label)}
    listed = ", ".join(k.label for k in settings.event_kinds)

    def kind_of(value: object) -> tuple[str | None, str | None]:
        key = None if tables.is_blank(value) else spellings.get(tables.normalise_header(value))
        return (key, None) if key else (None, f"expected one of the event kinds: {listed}")

    parse_by_column = {
        "date": limits.checked(parse_date, lambda day: limits.day_problem(day, settings.limits)),
        "label": _text(MAX_LABEL, required=True),
        "kind": kind_of,
        "detail": _text(MAX_DETAIL, required=False),
    }
    values, problems = row_checks.parse_columns(frame, parse_by_column, LABELS)
    typed = pd.DataFrame(values)
    typed["_sheet"] = frame["_sheet"].tolist()
    typed["_row"] = frame["_row"].tolist()
    problems += UNIQUE.problems(typed, file, headers, LABELS)
    if refused := row_checks.refusal(typed, problems, file):
        return refused
    typed["scope"] = SCOPE
    stored = typed.sort_values(list(UNIQUE.keys))[["scope", "date", "label", "kind", "detail"]].reset_index(drop=True)
    stored.attrs.update(rows_read=len(typed), rows_other_offences=0)
    return stored, []


def combine_events(settings: Settings, local: pd.DataFrame) -> pd.DataFrame:
    """The series breaks from the settings and the ``local`` events, by date, in the shape charts take.

    Columns: ``date``, ``label``, ``kind`` (``series_break`` or an event kind key), ``kind_label``,
    ``detail``, ``source`` ("series break" or "local event") and ``rebase`` (SPC limits restart).
    """
    kind_labels = {k.key: k.label for k in settings.event_kinds}
    breaks = pd.DataFrame(
        {
            "date": [b.date for b in settings.series_breaks],
            "label": [b.label for b in settings.series_breaks],
            "kind": SERIES_BREAK,
            "kind_label": "Series break",
            "detail": [b.detail for b in settings.series_breaks],
            "source": "series break",
            "rebase": [b.rebase for b in settings.series_breaks],
        },
        columns=EVENT_COLUMNS,
    )
    mine = pd.DataFrame(
        {
            "date": list(local["date"]),
            "label": list(local["label"]),
            "kind": list(local["kind"]),
            "kind_label": [kind_labels.get(k, k) for k in local["kind"]],
            "detail": list(local["detail"]),
            "source": "local event",
            "rebase": False,
        },
        columns=EVENT_COLUMNS,
    )
    frames = [f for f in (breaks, mine) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    combined = pd.concat(frames, ignore_index=True)
    return combined.sort_values(["date", "source"], kind="stable").reset_index(drop=True)


def local_events(engine: Engine) -> pd.DataFrame:
    """The loaded local events (date, label, kind, detail, source file), by date; empty before any load."""
    ev, src = schema.events, schema.sources
    query = (
        sa.select(ev.c.date, ev.c.label, ev.c.kind, ev.c.detail, src.c.file_name.label("source_file"), src.c.is_demo)
        .join(src, src.c.id == ev.c.source_id)
        .where(ev.c.scope == SCOPE)
        .order_by(ev.c.date, ev.c.label)
    )
    columns = list(query.selected_columns.keys())
    if database.schema_revision(engine) is None:
        return pd.DataFrame(columns=columns)
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).all(), columns=columns)


def all_events(engine: Engine, settings: Settings) -> pd.DataFrame:
    """Every event a chart draws: the configured series breaks and the loaded local events (see :func:`combine_events`)."""
    return combine_events(settings, local_events(engine))
