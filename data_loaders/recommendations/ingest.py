"""Loading recommendation files all or nothing: trackers, response documents and HMICFRS histories.

These do not fit the replace-by-period model of :mod:`data_loaders.ingest`: a recommendation is
matched by its report and reference, its fields are updated in place (raising its version), and
its history only ever grows. So they load here, with the same standards: every file is read and
checked before the first write, all of them are written in one transaction, a file already
loaded (same bytes) changes nothing, and every problem is listed with file, row and column.

A response document does not overwrite what is stored where they differ: the stored value is kept
and the conflict reported with both values, unless the load asks for the document's values
(``prefer_document``; see :mod:`data_loaders.recommendations.store`). Asked for them, a document
already loaded is applied again, so that the values it was refused can be taken without editing it.
"""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from data_loaders import database, limits, schema
from data_loaders.demo import guard as demo_guard
from data_loaders.ingest import sha256_of
from data_loaders.recommendations import history as hmicfrs_history
from data_loaders.recommendations import response as pcc_response
from data_loaders.recommendations import tracker
from data_loaders.recommendations.inputs import RecommendationInput, ReportInput, UpdateInput, report_input
from data_loaders.recommendations.store import (
    EditRefused,
    StoreCounts,
    WriteContext,
    now,
    store_recommendation,
    store_report,
)
from data_loaders.recommendations.tracker import normalise_reference
from data_loaders.refusals import LoadRefused, Problem
from data_loaders.settings import Settings
from data_loaders.tables import find_header, open_workbook

HISTORY_KIND = "hmicfrs-history"


@dataclass
class Prepared:
    """A recommendation file read and checked, ready to write."""

    file_name: str
    kind: str
    sha256: str
    reports: dict[str, ReportInput] = field(default_factory=dict)
    # (where the item came from, for messages; the recommendation to store)
    items: list[tuple[str, RecommendationInput]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RecommendationLoadResult:
    """What loading one recommendation file did."""

    file_name: str
    kind: str
    recommendations: int = 0
    already_loaded: bool = False
    counts: StoreCounts = field(default_factory=StoreCounts)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One paragraph for the command line and the Data page."""
        if self.already_loaded:
            return f"{self.file_name}: already loaded ({self.kind}); nothing changed."
        c = self.counts
        parts = [
            f"{self.file_name}: {self.recommendations} recommendation{'' if self.recommendations == 1 else 's'} "
            f"as {self.kind} ({c.recommendations_created} new, {c.recommendations_changed} changed, "
            f"{c.updates_added} update{'' if c.updates_added == 1 else 's'} added)."
        ]
        if c.reports_created:
            parts.append("New report(s): " + "; ".join(f"'{t}'" for t in c.reports_created) + ".")
        if c.reports_to_review:
            parts.append(
                "Not recognised from the title, so the publication date is empty and due dates cannot be "
                "derived until it is filled in: " + "; ".join(f"'{t}'" for t in c.reports_to_review) + "."
            )
        if c.unknown_statuses:
            parts.append(
                "Status words not in the settings, kept as written and counted as unknown: "
                + ", ".join(c.unknown_statuses)
                + "."
            )
        if c.undated:
            parts.append("Due dates not derived: " + "; ".join(c.undated) + ".")
        kept = [conflict.describe() for conflict in c.conflicts if conflict.kept_stored]
        replaced = [conflict.describe() for conflict in c.conflicts if not conflict.kept_stored]
        if kept:
            parts.append(
                f"{len(kept)} value{'' if len(kept) == 1 else 's'} in the document differ from what is stored; the "
                "stored value was kept (load the document again choosing the document's values to replace them): "
                + "; ".join(kept)
                + "."
            )
        if replaced:
            parts.append(
                f"{len(replaced)} stored value{'' if len(replaced) == 1 else 's'} replaced by the document's, as asked: "
                + "; ".join(replaced)
                + "."
            )
        return " ".join([*parts, *self.notes])


def default_author() -> str:
    """Who the command line records as making a change: the operating-system user."""
    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):
        return "command line"


def _is_response_document(path: Path) -> bool:
    """Whether a file is a response document: text with the response table's header row, or a .txt file that is
    not a tracker (Excel saves a tracker as "Unicode Text" .txt: UTF-16, tab-separated)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    text = None if head.startswith(b"PK") else pcc_response.decode(head)
    if text is not None and any(pcc_response.table_header(line) is not None for line in text.splitlines()):
        return True
    if path.suffix.lower() != ".txt":
        return False
    try:
        book = open_workbook(path)
    except LoadRefused:
        return True  # the response reader says what is wrong with it
    return not any(find_header(sheet, tracker.COLUMNS) is not None for sheet in book.sheets)


# What a response document's recommendation and a tracker row both give, by the same names as the input's.
RECORD_FIELDS = ("reference", "text", "addressed_to", "timescale", "owner", "response_html")


def _recommendation(
    report_key: str,
    record: pcc_response.ResponseRecommendation | tracker.TrackerRow,
    updates: Sequence[UpdateInput] = (),
) -> RecommendationInput:
    """The recommendation a response document or a tracker row gives, with its report's key and any updates."""
    given = {name: getattr(record, name) for name in RECORD_FIELDS}
    return RecommendationInput(report_key=report_key, **given, updates=list(updates))


def _prepare_response(path: Path, name: str, settings: Settings) -> Prepared:
    prepared = Prepared(name, pcc_response.KIND, "")
    try:
        doc = pcc_response.read(path, display_name=name)
    except LoadRefused as refused:
        prepared.problems = refused.problems
        return prepared
    report = report_input(
        doc.title,
        settings,
        chief_constable_comments=doc.chief_constable_comments or None,
        pcc_comments=doc.pcc_comments or None,
        pcc_signature=doc.signature or None,
    )
    prepared.reports[report.key] = report
    for rec in doc.recommendations:
        prepared.items.append((f"{name}, line {rec.line}", _recommendation(report.key, rec)))
    prepared.sha256 = sha256_of(path)
    return prepared


def _prepare_tracker(path: Path, name: str, settings: Settings) -> Prepared:
    prepared = Prepared(name, tracker.KIND, "")
    try:
        book = open_workbook(path, display_name=name, max_cells=settings.limits.max_cells)
        rows, problems = tracker.clean(tracker.parse(book), settings.limits)
    except LoadRefused as refused:
        prepared.problems = refused.problems
        return prepared
    if problems:
        prepared.problems = problems
        return prepared
    for row in rows:
        report = prepared.reports.get(row.report) or report_input(row.report, settings)
        prepared.reports.setdefault(report.key, report)
        where = f"{name}" + (f", sheet '{row.sheet}'" if row.sheet else "") + f", row {row.row}"
        prepared.items.append((where, _recommendation(report.key, row, row.updates)))
    prepared.sha256 = sha256_of(path)
    return prepared


def prepare(path: str | Path, settings: Settings, *, display_name: str | None = None) -> Prepared:
    """Read and check a tracker (CSV/XLSX) or a response document (.txt) without touching the database."""
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        return Prepared(name, "unknown", "", problems=[Problem(name, "no such file")])
    if _is_response_document(path):
        return _prepare_response(path, name, settings)
    return _prepare_tracker(path, name, settings)


def _write(
    connection: Connection,
    item: Prepared,
    settings: Settings,
    *,
    author: str,
    is_demo: bool,
    prefer_document: bool = False,
) -> RecommendationLoadResult:
    result = RecommendationLoadResult(item.file_name, item.kind, recommendations=len(item.items))
    sources = schema.sources
    is_response = item.kind == pcc_response.KIND
    already = connection.execute(
        sa.select(sources.c.id).where(sources.c.sha256 == item.sha256, sources.c.kind == item.kind)
    ).first()
    if already and not (is_response and prefer_document):
        result.already_loaded = True
        return result
    at = now()
    source_id = connection.execute(
        sources.insert().values(
            file_name=item.file_name,
            kind=item.kind,
            sha256=item.sha256,
            edition_date=None,
            rows=len(item.items),
            loaded_at=at,
            is_demo=is_demo,
        )
    ).inserted_primary_key[0]
    counts = result.counts
    report_ids: dict[str, int] = {}
    for key, report in item.reports.items():
        report_ids[key], created = store_report(connection, report, who=author, at=at)
        if created:
            counts.reports_created.append(report.title)
            if report.needs_review:
                counts.reports_to_review.append(report.title)
    reps = schema.reports
    write = WriteContext(settings, author, at, source_id, counts, prefer_document if is_response else None)
    for where, rec in item.items:
        if rec.report_key not in report_ids:
            stored = connection.execute(sa.select(reps.c.id).where(reps.c.key == rec.report_key)).scalar()
            if stored is None:
                raise EditRefused(
                    f"{where}: no stored report is named '{rec.report_key}'; load its response document or tracker first"
                )
            report_ids[rec.report_key] = stored
        store_recommendation(connection, report_ids[rec.report_key], rec, write, label=where)
    return result


def _write_all(
    engine: Engine,
    prepared: list[Prepared],
    settings: Settings,
    *,
    author: str,
    is_demo: bool,
    prefer_document: bool = False,
) -> list[RecommendationLoadResult]:
    problems = [problem for item in prepared for problem in item.problems]
    if problems:
        raise LoadRefused(problems)
    database.migrate(engine)
    names = ", ".join(item.file_name for item in prepared)
    try:
        with database.writing(engine) as connection:
            cleared = demo_guard.before_load(connection, is_demo=is_demo)
            results = [
                _write(connection, item, settings, author=author, is_demo=is_demo, prefer_document=prefer_document)
                for item in prepared
            ]
            if cleared.files and results:
                results[0].notes.insert(0, cleared.describe())
            return results
    except demo_guard.DemoConflict as conflict:
        raise LoadRefused([Problem(names, str(conflict))]) from conflict
    except EditRefused as refused:
        raise LoadRefused([Problem(names, f"{refused}; nothing was written")]) from refused
    except sa.exc.SQLAlchemyError as exc:
        raise LoadRefused(
            [
                Problem(
                    names, f"the database refused the rows ({getattr(exc, 'orig', None) or exc}); nothing was written"
                )
            ]
        ) from exc


def load_recommendation_files(
    paths: Sequence[str | Path],
    engine: Engine,
    settings: Settings,
    *,
    author: str | None = None,
    is_demo: bool = False,
    display_names: Sequence[str] | None = None,
    prefer_document: bool = False,
) -> list[RecommendationLoadResult]:
    """Load trackers and response documents all or nothing; raise :class:`LoadRefused` listing every problem.

    Where a response document differs from a stored recommendation, the stored value is kept and the
    conflict reported, unless ``prefer_document``, when the document's value replaces it (and is reported).
    """
    prepared = [
        prepare(path, settings, display_name=display_names[index] if display_names else None)
        for index, path in enumerate(paths)
    ]
    return _write_all(
        engine,
        prepared,
        settings,
        author=author or default_author(),
        is_demo=is_demo,
        prefer_document=prefer_document,
    )


def _stored_report_key(engine: Engine, settings: Settings, report: str) -> str:
    """The key of the stored report that ``report`` names: a key, a stored title or a known title."""
    reps = schema.reports
    if database.schema_revision(engine) is not None:
        with engine.connect() as connection:
            for row in connection.execute(sa.select(reps.c.key, reps.c.title)):
                if report.strip() in {row.key, row.title}:
                    return row.key
    return report_input(report, settings).key


def load_history(
    path: str | Path,
    engine: Engine,
    settings: Settings,
    *,
    report: str,
    reference: str,
    author: str | None = None,
    is_demo: bool = False,
    display_name: str | None = None,
) -> RecommendationLoadResult:
    """Append an HMICFRS-style history file to one stored recommendation (named by report and reference).

    ``report`` is a report's key, its stored title or a title the settings recognise. Entries
    already in the history are not added twice; the recommendation's status becomes that of its
    most recent dated entry.
    """
    path = Path(path)
    name = display_name or path.name
    reference = normalise_reference(reference)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadRefused([Problem(name, f"the file could not be opened ({exc.strerror or exc})")]) from exc
    # Read as a response document is: UTF-16 by its byte-order mark (Word's "Unicode Text"), UTF-8, else Windows-1252.
    text = pcc_response.decode(raw)
    if text is None:
        raise LoadRefused([Problem(name, "the file is not text; expected a status history as a .txt file")])
    entries, problems = hmicfrs_history.parse(text, file=name)
    for entry in entries:
        if reason := limits.day_problem(entry.date, settings.limits):
            problems.append(Problem(name, f"an entry dated {entry.date:%d %B %Y}: {reason}"))
    key = _stored_report_key(engine, settings, report)
    # The same history attached to another recommendation is a different load.
    digest = hashlib.sha256(raw + f"\0{key}\0{reference}".encode()).hexdigest()
    item = Prepared(name, HISTORY_KIND, digest, problems=problems)
    item.items.append(
        (
            f"{name} for {reference}",
            RecommendationInput(
                report_key=key,
                reference=reference,
                updates=[UpdateInput(e.date, e.status, e.comment) for e in entries],
            ),
        )
    )
    return _write_all(engine, [item], settings, author=author or default_author(), is_demo=is_demo)[0]
