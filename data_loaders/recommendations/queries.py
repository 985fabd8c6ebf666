"""Reading inspection reports, recommendations and their history as tables.

Each function returns a DataFrame whose columns are named for what they hold; ``today`` is a
parameter so that overdue and deadline figures are reproducible (and testable). An empty or
unmigrated database gives empty tables with the same columns.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_loaders import database, schema
from data_loaders.periods import month_end
from data_loaders.recommendations.due_dates import is_overdue, response_deadline, statutory_response_due
from data_loaders.sanitise import neutralise_frame
from data_loaders.settings import Settings

RECOMMENDATION_COLUMNS = [
    "id",
    "report_id",
    "report_key",
    "report",
    "publication_date",
    "reference",
    "text",
    "addressed_to",
    "owner",
    "timescale",
    "due_date",
    "due_date_note",
    "status",
    "status_category",
    "status_known",
    "status_date",
    "overdue",
    "days_to_due",
    "response_html",
    "version",
    "is_demo",
]
UPDATE_COLUMNS = [
    "id",
    "recommendation_id",
    "date",
    "status",
    "status_category",
    "comment",
    "evidence_link",
    "author",
    "created_at",
    "source_file",
]
REPORT_COLUMNS = [
    "id",
    "key",
    "title",
    "inspectorate",
    "publication_date",
    "link",
    "response_due",
    "response_published",
    "response_state",
    "response_label",
    "response_days",
    "needs_review",
    "recommendations",
    "complete",
    "overdue",
    "chief_constable_comments",
    "pcc_comments",
    "pcc_signature",
]
AUDIT_COLUMNS = ["id", "at", "who", "table_name", "record_id", "action", "before", "after"]


def _rows(engine: Engine, query: sa.Select) -> pd.DataFrame:
    """The query's rows; text columns keep None for an empty value (not NaN), as stored."""
    columns = list(query.selected_columns.keys())
    if database.schema_revision(engine) is None:
        return pd.DataFrame(columns=columns)
    with engine.connect() as connection:
        frame = pd.DataFrame(connection.execute(query).all(), columns=columns)
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def recommendations_frame(engine: Engine, settings: Settings, today: dt.date) -> pd.DataFrame:
    """One row per recommendation with its report, due date, current status and whether it is overdue.

    ``overdue``: past the due date and not in a closed category; ``days_to_due`` is negative
    once the due date has passed (None without a due date).
    """
    recs, reps, src = schema.recommendations, schema.reports, schema.sources
    query = (
        sa.select(
            recs.c.id,
            recs.c.report_id,
            reps.c.key.label("report_key"),
            reps.c.title.label("report"),
            reps.c.publication_date,
            recs.c.reference,
            recs.c.text,
            recs.c.addressed_to,
            recs.c.owner,
            recs.c.timescale,
            recs.c.due_date,
            recs.c.due_date_note,
            recs.c.status_source.label("status"),
            recs.c.status_category,
            recs.c.status_date,
            recs.c.response_html,
            recs.c.version,
            sa.func.coalesce(src.c.is_demo, False).label("is_demo"),
        )
        .join(reps, reps.c.id == recs.c.report_id)
        .outerjoin(src, src.c.id == recs.c.source_id)
        .order_by(reps.c.publication_date.is_(None), reps.c.publication_date, reps.c.title, recs.c.id)
    )
    frame = _rows(engine, query)
    config = settings.recommendations
    frame["status_known"] = [c != config.unknown_category for c in frame["status_category"]]
    frame["overdue"] = [
        is_overdue(due, today, closed=config.is_closed(category))
        for due, category in zip(frame["due_date"], frame["status_category"], strict=True)
    ]
    frame["days_to_due"] = pd.array([(d - today).days if d else None for d in frame["due_date"]], dtype="Int64")
    frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame[RECOMMENDATION_COLUMNS]


def updates_frame(engine: Engine, recommendation_id: int | None = None) -> pd.DataFrame:
    """A recommendation's history (or every recommendation's), oldest first: the timeline."""
    updates = schema.recommendation_updates
    columns = [updates.c[name] for name in ("id", "recommendation_id", "date")]
    columns += [updates.c.status_source.label("status")]
    columns += [updates.c[name] for name in ("status_category", "comment", "evidence_link", "author", "created_at")]
    query = schema.select_with_file(updates, *columns).order_by(
        updates.c.recommendation_id, updates.c.date, updates.c.id
    )
    if recommendation_id is not None:
        query = query.where(updates.c.recommendation_id == recommendation_id)
    return _rows(engine, query)[UPDATE_COLUMNS]


def reports_frame(engine: Engine, settings: Settings, today: dt.date) -> pd.DataFrame:
    """One row per report: the 56-day response deadline and its state, and counts of its recommendations."""
    reps = schema.reports
    frame = _rows(
        engine, sa.select(reps).order_by(reps.c.publication_date.is_(None), reps.c.publication_date, reps.c.title)
    )
    recs = recommendations_frame(engine, settings, today)
    counts = {
        report_id: (len(group), int((group["status_category"] == "complete").sum()), int(group["overdue"].sum()))
        for report_id, group in recs.groupby("report_id")
    }
    deadlines = [
        response_deadline(published, responded, today)
        for published, responded in zip(frame["publication_date"], frame["response_published"], strict=True)
    ]
    frame["response_due"] = [statutory_response_due(p) if p else None for p in frame["publication_date"]]
    frame["response_state"] = [d.state for d in deadlines]
    frame["response_label"] = [d.label for d in deadlines]
    frame["response_days"] = pd.array([d.days for d in deadlines], dtype="Int64")
    frame["needs_review"] = frame["needs_review"].astype(bool)
    frame["recommendations"] = [counts.get(i, (0, 0, 0))[0] for i in frame["id"]]
    frame["complete"] = [counts.get(i, (0, 0, 0))[1] for i in frame["id"]]
    frame["overdue"] = [counts.get(i, (0, 0, 0))[2] for i in frame["id"]]
    return frame[REPORT_COLUMNS]


def audit_frame(engine: Engine, table_name: str | None = None, record_id: int | None = None) -> pd.DataFrame:
    """The audit log, newest first, optionally for one table and record."""
    log = schema.audit_log
    query = sa.select(*(log.c[c] for c in AUDIT_COLUMNS)).order_by(log.c.id.desc())
    if table_name is not None:
        query = query.where(log.c.table_name == table_name)
    if record_id is not None:
        query = query.where(log.c.record_id == record_id)
    return _rows(engine, query)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from ``first``'s month to ``last``'s month."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def status_mix_by_month(
    recommendations: pd.DataFrame, updates: pd.DataFrame, settings: Settings, today: dt.date
) -> pd.DataFrame:
    """How many recommendations stood in each category at the end of each month (long form).

    A recommendation counts from its report's publication month (or, without one, from its
    first update) in the category of its latest status dated on or before the month's end;
    before any status it counts as the configured no-status category. The current month is
    counted as of ``today``.
    """
    columns = ["month", "status_category", "recommendations"]
    if recommendations.empty:
        return pd.DataFrame(columns=columns)
    config = settings.recommendations
    statuses = updates.dropna(subset=["status_category"]).sort_values(["date", "id"])
    by_rec = {
        rid: list(zip(g["date"], g["status_category"], strict=True)) for rid, g in statuses.groupby("recommendation_id")
    }
    starts = {}
    for rid, published in zip(recommendations["id"], recommendations["publication_date"], strict=True):
        history = by_rec.get(rid, [])
        start = published if published is not None and not pd.isna(published) else (history[0][0] if history else None)
        if start is not None:
            starts[rid] = start
    if not starts:
        return pd.DataFrame(columns=columns)
    counts: list[dict[str, object]] = []
    for month in month_starts(min(starts.values()), today):
        end = min(month_end(month), today)
        tally: dict[str, int] = {}
        for rid, start in starts.items():
            if start > end:
                continue
            category = config.no_status_category
            for day, status in by_rec.get(rid, []):
                if day <= end:
                    category = status
            tally[category] = tally.get(category, 0) + 1
        order = [*config.categories, config.unknown_category]
        counts.extend(
            {"month": month, "status_category": category, "recommendations": tally[category]}
            for category in order
            if category in tally
        )
    return pd.DataFrame(counts, columns=columns)


def recommendations_dump(engine: Engine, settings: Settings, today: dt.date) -> pd.DataFrame:
    """The tracker as a spreadsheet-safe table (formulas neutralised), one row per recommendation."""
    frame = recommendations_frame(engine, settings, today)
    out = pd.DataFrame(
        {
            "report": frame["report"],
            "reference": frame["reference"],
            "status": frame["status"],
            "status_category": frame["status_category"],
            "status_date": frame["status_date"],
            "due_date": frame["due_date"],
            "overdue": frame["overdue"],
            "timescale": frame["timescale"],
            "owner": frame["owner"],
            "addressed_to": frame["addressed_to"],
            "recommendation": frame["text"],
            "due_date_note": frame["due_date_note"],
        }
    )
    return neutralise_frame(out)
