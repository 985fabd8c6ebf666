"""Writing inspection reports, recommendations and their updates: every change audited, none lost.

History is never rewritten: an update is a new row, and a recommendation's current status is
the status of its most recent dated update. Every insert and change is written to the audit log
(who, when, the fields before and after) in the same transaction as the change itself.

A response document keeps what is stored where they differ (:mod:`data_loaders.recommendations.conflicts`).

Two people editing one recommendation at once: each edit names the version it was made on
(``expected_version``); the save changes the row only where the version still matches and raises
the version, so the second save is refused with :class:`ConcurrentEditError` and nothing the first
saved is lost.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from data_loaders import database, schema
from data_loaders.recommendations import conflicts as response_conflicts
from data_loaders.recommendations.due_dates import due_date
from data_loaders.recommendations.inputs import RecommendationInput, ReportInput, UpdateInput, check_link
from data_loaders.settings import Settings, get_settings

NOT_GIVEN: Any = object()


class EditRefused(ValueError):
    """An edit was refused for what it asked (nothing was written)."""


class ConcurrentEditError(Exception):
    """Someone else changed the recommendation after this edit was started; nothing was written."""

    def __init__(self, recommendation_id: int, expected: int, current: int, by: str | None, at: dt.datetime | None):
        self.recommendation_id, self.expected, self.current, self.by, self.at = (
            recommendation_id,
            expected,
            current,
            by,
            at,
        )
        who = f" by {by}" if by else ""
        when = f" at {at:%d %B %Y %H:%M} UTC" if at else ""
        super().__init__(
            f"This recommendation was changed{who}{when} after you opened it (version {expected}, now "
            f"{current}). Your update was not saved, and nothing already saved was changed. Reload the "
            "recommendation to see the change, then add your update again."
        )


@dataclass
class StoreCounts:
    """What a write did, for the message shown after a load."""

    reports_created: list[str] = field(default_factory=list)
    reports_to_review: list[str] = field(default_factory=list)
    recommendations_created: int = 0
    recommendations_changed: int = 0
    updates_added: int = 0
    unknown_statuses: list[str] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)
    conflicts: list[response_conflicts.Conflict] = field(default_factory=list)


@dataclass(frozen=True)
class WriteContext:
    """What every row of one write shares: the settings, who and when, the file (None for an edit) and the counts."""

    settings: Settings
    who: str
    at: dt.datetime
    source_id: int | None = None
    counts: StoreCounts = field(default_factory=StoreCounts)
    # None: the source's values replace the stored ones (a tracker, the analyst's own record); True or False:
    # the source is a response document, whose differing values replace the stored ones only when True.
    prefer_document: bool | None = None


@dataclass(frozen=True)
class SavedUpdate:
    """An update saved by :func:`add_update`, and the recommendation's new version."""

    update_id: int
    recommendation_id: int
    version: int
    status_category: str


def now() -> dt.datetime:
    """The current time in UTC without a time zone (as stored)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _json(values: dict[str, Any]) -> str:
    return json.dumps(
        {k: v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for k, v in values.items()},
        sort_keys=True,
        ensure_ascii=False,
    )


def audit(
    connection: Connection,
    *,
    who: str,
    at: dt.datetime,
    table: sa.Table,
    record_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    """Append one entry to the audit log (an insert when ``before`` is None)."""
    connection.execute(
        schema.audit_log.insert().values(
            at=at,
            who=who,
            table_name=table.name,
            record_id=record_id,
            action="insert" if before is None else "update",
            before=None if before is None else _json(before),
            after=_json(after),
        )
    )


def _given(**values: Any) -> dict[str, Any]:
    """The values a source gives: a None says nothing, so the stored value stays."""
    return {key: value for key, value in values.items() if value is not None}


def _changes(row: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose value differs from the row: (before, after)."""
    before, after = {}, {}
    for key, value in values.items():
        if getattr(row, key) != value:
            before[key], after[key] = getattr(row, key), value
    return before, after


def store_report(connection: Connection, report: ReportInput, *, who: str, at: dt.datetime) -> tuple[int, bool]:
    """The id of the stored report (created when new) and whether it was created.

    A stored publication date is never replaced (the analyst may have corrected it); comments
    from a newer response document replace the stored ones.
    """
    table = schema.reports
    row = connection.execute(sa.select(table).where(table.c.key == report.key)).first()
    if row is None:
        values = {
            "key": report.key,
            "title": report.title,
            "inspectorate": report.inspectorate,
            "publication_date": report.publication_date,
            "link": report.link,
            "needs_review": report.needs_review,
            "chief_constable_comments": report.chief_constable_comments,
            "pcc_comments": report.pcc_comments,
            "pcc_signature": report.pcc_signature,
        }
        report_id = connection.execute(table.insert().values(**values)).inserted_primary_key[0]
        audit(connection, who=who, at=at, table=table, record_id=report_id, before=None, after=values)
        return report_id, True
    values = _given(
        chief_constable_comments=report.chief_constable_comments,
        pcc_comments=report.pcc_comments,
        pcc_signature=report.pcc_signature,
    )
    if row.publication_date is None and report.publication_date is not None:
        values["publication_date"] = report.publication_date
    if not row.link and report.link:
        values["link"] = report.link
    before, after = _changes(row, values)
    if after:
        connection.execute(table.update().where(table.c.id == row.id).values(**after))
        audit(connection, who=who, at=at, table=table, record_id=row.id, before=before, after=after)
    return row.id, False


def _refresh_status(connection: Connection, recommendation_id: int) -> dict[str, Any]:
    """The current status fields: those of the most recent dated update that has a status."""
    updates = schema.recommendation_updates
    latest = connection.execute(
        sa.select(updates.c.status_source, updates.c.status_category, updates.c.date)
        .where(updates.c.recommendation_id == recommendation_id, updates.c.status_category.is_not(None))
        .order_by(updates.c.date.desc(), updates.c.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        return {}
    return {
        "status_source": latest.status_source,
        "status_category": latest.status_category,
        "status_date": latest.date,
    }


def _append_updates(
    connection: Connection, recommendation_id: int, items: list[UpdateInput], write: WriteContext, *, label: str
) -> list[int]:
    """Insert the updates not already in the history (same date, status, comment and link); their ids."""
    table = schema.recommendation_updates
    existing = {
        (r.date, r.status_source, r.comment, r.evidence_link)
        for r in connection.execute(
            sa.select(table.c.date, table.c.status_source, table.c.comment, table.c.evidence_link).where(
                table.c.recommendation_id == recommendation_id
            )
        )
    }
    ids = []
    for item in items:
        mapped = write.settings.recommendations.categorise(item.status) if item.status else None
        status_source = mapped.source if mapped else None
        if (item.date, status_source, item.comment, item.evidence_link) in existing:
            continue
        if mapped is not None and not mapped.known:
            write.counts.unknown_statuses.append(f"'{mapped.source}' ({label})")
        values = {
            "recommendation_id": recommendation_id,
            "date": item.date,
            "status_source": status_source,
            "status_category": mapped.category if mapped else None,
            "comment": item.comment,
            "evidence_link": item.evidence_link,
            "author": write.who,
            "created_at": write.at,
            "source_id": write.source_id,
        }
        update_id = connection.execute(table.insert().values(**values)).inserted_primary_key[0]
        audit(connection, who=write.who, at=write.at, table=table, record_id=update_id, before=None, after=values)
        existing.add((item.date, status_source, item.comment, item.evidence_link))
        ids.append(update_id)
    write.counts.updates_added += len(ids)
    return ids


def store_recommendation(
    connection: Connection, report_id: int, item: RecommendationInput, write: WriteContext, *, label: str
) -> int:
    """Create or change one recommendation and append its new updates; its id.

    A recommendation that does not exist yet needs its text; a history alone cannot create one.
    """
    who, at, source_id, counts = write.who, write.at, write.source_id, write.counts
    recs, reps = schema.recommendations, schema.reports
    published = connection.execute(sa.select(reps.c.publication_date).where(reps.c.id == report_id)).scalar_one()
    row = connection.execute(
        sa.select(recs).where(recs.c.report_id == report_id, recs.c.reference == item.reference)
    ).first()
    given = _given(
        text=item.text,
        addressed_to=item.addressed_to,
        timescale=item.timescale,
        owner=item.owner,
        response_html=item.response_html,
    )
    if row is None:
        if item.text is None:
            raise EditRefused(f"{label}: no recommendation {item.reference} is stored for this report")
        due = due_date(item.timescale, published)
        values = {
            "report_id": report_id,
            "reference": item.reference,
            "addressed_to": None,
            "timescale": None,
            "owner": None,
            "response_html": None,
            **given,
            "due_date": due.date,
            "due_date_note": due.note,
            "status_source": None,
            "status_category": write.settings.recommendations.no_status_category,
            "status_date": None,
            "version": 1,
            "source_id": source_id,
        }
        recommendation_id = connection.execute(recs.insert().values(**values)).inserted_primary_key[0]
        audit(connection, who=who, at=at, table=recs, record_id=recommendation_id, before=None, after=values)
        counts.recommendations_created += 1
        if due.date is None:
            counts.undated.append(f"{label}, {item.reference}: {due.note}")
        row = connection.execute(sa.select(recs).where(recs.c.id == recommendation_id)).first()
    else:
        if write.prefer_document is not None:
            write.counts.conflicts.extend(
                response_conflicts.settle(
                    row, given, prefer_document=write.prefer_document, label=label, reference=item.reference
                )
            )
        if "timescale" in given:
            due = due_date(given["timescale"], published)
            given.update(due_date=due.date, due_date_note=due.note)
        before, after = _changes(row, given)
        if after:
            after.update(version=row.version + 1, source_id=source_id)
            before.update(version=row.version, source_id=row.source_id)
            connection.execute(recs.update().where(recs.c.id == row.id).values(**after))
            audit(connection, who=who, at=at, table=recs, record_id=row.id, before=before, after=after)
            counts.recommendations_changed += 1
            row = connection.execute(sa.select(recs).where(recs.c.id == row.id)).first()
    added = _append_updates(connection, row.id, item.updates, write, label=label)
    if added:
        before, after = _changes(row, _refresh_status(connection, row.id))
        before["version"], after["version"] = row.version, row.version + 1
        connection.execute(recs.update().where(recs.c.id == row.id).values(**after))
        audit(connection, who=who, at=at, table=recs, record_id=row.id, before=before, after=after)
    return row.id


def _check_link(link: str | None) -> str | None:
    checked, expected = check_link(link)
    if expected:
        raise EditRefused("the evidence link must be a web address" + expected.removeprefix("expected a web address"))
    return checked


def _last_change(connection: Connection, recommendation_id: int) -> tuple[str | None, dt.datetime | None]:
    log = schema.audit_log
    row = connection.execute(
        sa.select(log.c.who, log.c.at)
        .where(log.c.table_name == schema.recommendations.name, log.c.record_id == recommendation_id)
        .order_by(log.c.id.desc())
        .limit(1)
    ).first()
    return (row.who, row.at) if row else (None, None)


def add_update(
    engine: Engine,
    recommendation_id: int,
    *,
    status: str | None,
    comment: str | None,
    evidence_link: str | None,
    author: str,
    expected_version: int,
    date: dt.date | None = None,
    settings: Settings | None = None,
) -> SavedUpdate:
    """Append an update to a recommendation's history and make its status current, in one transaction.

    ``status`` is a category name or a source word (kept as written, mapped by the settings);
    None records a comment without changing the status. ``date`` defaults to today. Raises
    :class:`ConcurrentEditError` when the recommendation is no longer at ``expected_version``
    and :class:`EditRefused` for an update that says nothing, a bad link or no author.
    """
    settings = settings or get_settings()
    status = status.strip() if status and status.strip() else None
    comment = comment.strip() if comment and comment.strip() else None
    link = _check_link(evidence_link)
    if not author or not author.strip():
        raise EditRefused("an update needs its author")
    if status is None and comment is None and link is None:
        raise EditRefused("an update needs a status, a comment or an evidence link")
    at = now()
    recs = schema.recommendations
    with database.writing(engine) as connection:
        row = connection.execute(sa.select(recs).where(recs.c.id == recommendation_id)).first()
        if row is None:
            raise EditRefused(f"there is no recommendation {recommendation_id}")
        if row.version != expected_version:
            raise ConcurrentEditError(
                recommendation_id, expected_version, row.version, *_last_change(connection, row.id)
            )
        added = _append_updates(
            connection,
            row.id,
            [UpdateInput(date or dt.date.today(), status, comment, link)],
            WriteContext(settings, author.strip(), at),
            label="update",
        )
        if not added:
            raise EditRefused("the same update (date, status, comment and link) is already in the history")
        update_id = added[0]
        before, after = _changes(row, _refresh_status(connection, row.id))
        before["version"], after["version"] = row.version, row.version + 1
        changed = connection.execute(
            recs.update().where(recs.c.id == row.id, recs.c.version == expected_version).values(**after)
        )
        if changed.rowcount != 1:
            current = connection.execute(sa.select(recs.c.version).where(recs.c.id == row.id)).scalar_one()
            raise ConcurrentEditError(recommendation_id, expected_version, current, *_last_change(connection, row.id))
        audit(connection, who=author.strip(), at=at, table=recs, record_id=row.id, before=before, after=after)
        category = after.get("status_category", row.status_category)
    return SavedUpdate(update_id, recommendation_id, expected_version + 1, category)


def set_report_details(
    engine: Engine,
    report_id: int,
    *,
    author: str,
    publication_date: dt.date | None = NOT_GIVEN,
    response_published: dt.date | None = NOT_GIVEN,
    link: str | None = NOT_GIVEN,
    title: str = NOT_GIVEN,
    inspectorate: str = NOT_GIVEN,
) -> dict[str, Any]:
    """Change a report's details (only the ones given); the changed fields, as stored.

    A new publication date re-derives the due dates of the report's recommendations (raising
    their versions) and clears the report's review flag. Every change is audited.
    """
    if not author or not author.strip():
        raise EditRefused("a change needs its author")
    if link is not NOT_GIVEN:
        link = _check_link(link)
    values = {
        key: value
        for key, value in {
            "publication_date": publication_date,
            "response_published": response_published,
            "link": link,
            "title": title,
            "inspectorate": inspectorate,
        }.items()
        if value is not NOT_GIVEN
    }
    if "title" in values and not (values["title"] or "").strip():
        raise EditRefused("a report needs a title")
    if values.get("publication_date") is not None:
        values["needs_review"] = False
    at, who = now(), author.strip()
    reps, recs = schema.reports, schema.recommendations
    with database.writing(engine) as connection:
        row = connection.execute(sa.select(reps).where(reps.c.id == report_id)).first()
        if row is None:
            raise EditRefused(f"there is no report {report_id}")
        before, after = _changes(row, values)
        if not after:
            return {}
        connection.execute(reps.update().where(reps.c.id == report_id).values(**after))
        audit(connection, who=who, at=at, table=reps, record_id=report_id, before=before, after=after)
        if "publication_date" in after:
            for rec in connection.execute(sa.select(recs).where(recs.c.report_id == report_id)).all():
                due = due_date(rec.timescale, after["publication_date"])
                rec_before, rec_after = _changes(rec, {"due_date": due.date, "due_date_note": due.note})
                if not rec_after:
                    continue
                rec_before["version"], rec_after["version"] = rec.version, rec.version + 1
                connection.execute(recs.update().where(recs.c.id == rec.id).values(**rec_after))
                audit(connection, who=who, at=at, table=recs, record_id=rec.id, before=rec_before, after=rec_after)
    return after
