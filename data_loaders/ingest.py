"""Read -> validate -> write, all in one transaction: nothing is written when anything fails.

Every file is read and checked before the first write; then all of them are written in a single
transaction. A newer edition of a table replaces the periods it covers (the Home Office revises
earlier quarters in every release); a file already loaded (same bytes) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from data_loaders import database, detail, kinds, schema, streaming
from data_loaders.demo import guard as demo_guard
from data_loaders.refusals import LoadRefused, Problem
from data_loaders.settings import Settings
from data_loaders.tables import (
    HEADER_SCAN_ROWS,
    Sheet,
    Workbook,
    chunks_of,
    edition_date_from_name,
    open_workbook,
    too_many_cells,
)

Progress = Callable[[float, str], None]


INSERT_CHUNK = 5000
# Files whose worksheet XML (or CSV text) is larger than this are read as a stream, a chunk of rows at a time.
STREAM_ABOVE_BYTES = 256 * 1000 * 1000
STREAM_CHUNK_ROWS = 100_000
OTHER_CODES_SHOWN = 8
DETAIL_WORDS = {
    "recorded_crime_csp": "rows by community safety partnership",
    "population_district": "district estimates",
}


@dataclass
class Prepared:
    """A file read and checked, ready to write."""

    path: Path
    file_name: str
    sha256: str
    kind: kinds.Kind | None
    edition_date: dt.date | None
    rows: pd.DataFrame = field(repr=False)
    problems: list[Problem]


@dataclass
class LoadResult:
    """What loading one file did."""

    file_name: str
    kind: str
    rows_read: int
    rows_stored: int
    rows_other_offences: int = 0
    other_codes: tuple[str, ...] = ()
    periods_replaced: int = 0
    periods_kept_newer: int = 0
    already_loaded: bool = False
    edition_date: dt.date | None = None
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the command line and the Data page."""
        if self.already_loaded:
            return f"{self.file_name}: already loaded ({self.kind}); nothing changed."
        parts = [f"{self.file_name}: loaded {_count(self.rows_stored, 'row')} as {self.kind}"]
        if self.edition_date:
            parts.append(f"edition {self.edition_date:%d %B %Y}")
        if self.rows_other_offences:
            parts.append(
                f"{_count(self.rows_other_offences, 'row')} of other offences passed over{_codes(self.other_codes)}"
            )
        if self.periods_replaced:
            parts.append(f"replaced {_count(self.periods_replaced, 'force-period')} from earlier editions")
        if self.periods_kept_newer:
            parts.append(f"kept {_count(self.periods_kept_newer, 'force-period')} that a newer edition already holds")
        return "; ".join(parts) + "." + "".join(f" {note}" for note in self.notes)


def _codes(codes: Sequence[str]) -> str:
    """' (12 codes: 1, 2, 3A, ...)': which codes were read and passed over, so a mistyped one is seen."""
    if not codes:
        return ""
    shown = ", ".join(codes[:OTHER_CODES_SHOWN]) + (", ..." if len(codes) > OTHER_CODES_SHOWN else "")
    return f" ({_count(len(codes), 'code')}: {shown})"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare(
    path: str | Path,
    settings: Settings,
    *,
    display_name: str | None = None,
    edition_date: dt.date | None = None,
) -> Prepared:
    """Read and check one file without touching the database."""
    path = Path(path)
    name = display_name or path.name
    edition = edition_date or edition_date_from_name(name)
    empty = pd.DataFrame()
    max_cells = settings.limits.max_cells
    try:
        fmt = streaming.format_of(path)
        size = streaming.xml_size(path)
        # The cells a whole read would hold, counted from the XML only up to the bound; the sheets are all listed
        # (only listed when the file is streamed whatever its cells).
        limit = max_cells if size <= STREAM_ABOVE_BYTES else 0
        spans = streaming.sheet_spans(path, fmt, limit) if fmt != "csv" else None
    except (streaming.StreamError, OSError):
        size, spans = 0, None  # open_workbook says what is wrong with the file
    if size > STREAM_ABOVE_BYTES or (spans is not None and spans.cells > max_cells):
        return _prepare_streamed(path, name, edition, size, settings, spans)
    try:
        book = open_workbook(path, display_name=name, max_cells=0 if spans is not None else max_cells)
    except LoadRefused as refused:
        return Prepared(path, name, "", None, edition, empty, refused.problems)
    kind = kinds.detect(book)
    if kind is None:
        return Prepared(path, name, "", None, edition, empty, kinds.refusal(book))
    try:
        frame = kind.module.parse(book)
    except LoadRefused as refused:
        return Prepared(path, name, "", kind, edition, empty, refused.problems)
    rows, problems = kind.module.clean(frame, settings)
    return Prepared(path, name, sha256_of(path), kind, edition, rows, problems)


def _prepare_streamed(
    path: Path, name: str, edition: dt.date | None, size: int, settings: Settings, spans: streaming.Spans | None
) -> Prepared:
    """Read and check a file too large to hold whole, one pass, a chunk of rows at a time.

    The national tables' community safety partnership editions hold over a gigabyte of worksheet
    XML: read whole, that costs several gigabytes of memory. Read as a stream, memory stays at a few
    tens of megabytes whatever the size, and only the rows of configured codes are kept. ``spans``,
    when the cells were counted, says how many sheets there are: once the top of the last one has
    been read and no kind of table is found, the file is refused without reading the rest.
    """
    empty = pd.DataFrame()
    heads: list[Sheet] = []
    named = None if spans is None else sum(1 for sheet in spans.sheets if sheet.name is not None)
    try:
        # No sheet after the last one counted is asked for, so the rest of the last is not read when it holds no table.
        sheets = itertools.islice(streaming.iter_sheets(path), named or None)
        kind, current = None, None
        for streamed in sheets:
            head = Sheet(streamed.name, list(itertools.islice(streamed.rows, HEADER_SCAN_ROWS)))
            heads.append(head)
            kind = kinds.detect(Workbook(name, "stream", [head]))
            if kind is not None:
                current = (head, streamed.rows)
                break
        if kind is None or current is None:
            return Prepared(path, name, "", None, edition, empty, kinds.refusal(Workbook(name, "stream", heads)))
        clean_chunks = getattr(kind.module, "clean_chunks", None)
        if clean_chunks is None and spans is not None and size <= STREAM_ABOVE_BYTES:
            what = f"a {kind.description} is read whole, and"
            problem = too_many_cells(name, spans, settings.limits.max_cells, what)
            return Prepared(path, name, "", kind, edition, empty, [problem])
        if clean_chunks is None:
            limit = f"{STREAM_ABOVE_BYTES / 1e6:,.0f} MB"
            problem = Problem(
                name,
                f"the file holds {size / 1e6:,.0f} MB of worksheet data; a {kind.description} is read whole, and "
                f"at most {limit} of it; expected the file as published",
            )
            return Prepared(path, name, "", kind, edition, empty, [problem])

        def pairs():
            yield current
            for streamed in sheets:
                yield Sheet(streamed.name, list(itertools.islice(streamed.rows, HEADER_SCAN_ROWS))), streamed.rows

        frames = chunks_of(name, pairs(), kind.module.COLUMNS, STREAM_CHUNK_ROWS)
        rows, problems = clean_chunks(frames, settings)
    except streaming.FieldTooLarge as exc:
        problem = Problem(name, exc.expected, row=exc.row, column=exc.column)
        return Prepared(path, name, "", None, edition, empty, [problem])
    except streaming.StreamError as exc:
        return Prepared(path, name, "", None, edition, empty, [Problem(name, str(exc))])
    return Prepared(path, name, sha256_of(path), kind, edition, rows, problems)


def sync_forces(connection: Connection, settings: Settings) -> None:
    """Make the forces and alias tables match the settings (forces are never deleted)."""
    from data_loaders.forces import name_key

    existing = {row.name: row for row in connection.execute(sa.select(schema.forces))}
    for force in settings.forces:
        values = {"ons_code": force.ons_code or None, "territorial": force.territorial}
        if force.name not in existing:
            connection.execute(schema.forces.insert().values(name=force.name, **values))
        elif (existing[force.name].ons_code, existing[force.name].territorial) != (
            values["ons_code"],
            values["territorial"],
        ):
            connection.execute(schema.forces.update().where(schema.forces.c.name == force.name).values(**values))
    aliases = {}
    for force in settings.forces:
        for spelling in (force.name, *force.aliases):
            aliases.setdefault(name_key(spelling), force.name)
    stored = {row.alias: row.force for row in connection.execute(sa.select(schema.force_aliases))}
    if stored != aliases:
        connection.execute(schema.force_aliases.delete())
        connection.execute(schema.force_aliases.insert(), [{"alias": a, "force": f} for a, f in aliases.items()])


def _existing_periods(connection: Connection, kind: kinds.Kind, covered: pd.DataFrame) -> pd.DataFrame:
    """Covered periods already in the database, with the edition date of the rows there now."""
    table = kind.table
    key_columns = [table.c[k] for k in kind.replace_keys]
    first = kind.replace_keys[0]
    query = (
        sa.select(*key_columns, sa.func.max(schema.sources.c.edition_date).label("edition_date"))
        .join(schema.sources, schema.sources.c.id == table.c.source_id)
        .where(table.c[first].in_(sorted(covered[first].unique().tolist())))
        .group_by(*key_columns)
    )
    existing = pd.DataFrame(connection.execute(query).all(), columns=[*kind.replace_keys, "edition_date"])
    if existing.empty:
        return existing
    return existing.merge(covered, on=list(kind.replace_keys), how="inner")


def _delete_periods(connection: Connection, table: sa.Table, keys: Sequence[str], periods: pd.DataFrame) -> None:
    key_columns = [table.c[k] for k in keys]
    tuples = [tuple(row) for row in periods[list(keys)].itertuples(index=False)]
    for start in range(0, len(tuples), 500):
        connection.execute(table.delete().where(sa.tuple_(*key_columns).in_(tuples[start : start + 500])))


def _write_detail(
    connection: Connection, kind: kinds.Kind, finer: pd.DataFrame, written: pd.DataFrame, source_id: int
) -> int:
    """The file's finer rows for the periods it wrote, replacing what the detail table held for them.

    Periods a newer edition already holds keep their rows; a file without finer rows (a police force
    area edition after a CSP edition) leaves the detail table as it was.
    """
    table, keys = kind.detail_table, list(kind.replace_keys)
    _delete_periods(connection, table, keys, written)
    chosen = finer.merge(written, on=keys, how="inner")
    records = chosen.assign(source_id=source_id).to_dict("records")
    for start in range(0, len(records), INSERT_CHUNK):
        connection.execute(table.insert(), records[start : start + INSERT_CHUNK])
    return len(records)


def _write(connection: Connection, item: Prepared, *, is_demo: bool, progress: Progress | None) -> LoadResult:
    kind = item.kind
    assert kind is not None
    rows = item.rows
    finer = detail.of(rows)
    result = LoadResult(
        item.file_name,
        kind.name,
        rows_read=int(rows.attrs.get("rows_read", len(rows))),
        rows_stored=0,
        rows_other_offences=int(rows.attrs.get("rows_other_offences", 0)),
        other_codes=tuple(rows.attrs.get("other_codes", ())),
        edition_date=item.edition_date,
        notes=list(rows.attrs.get("notes", ())),
    )
    already = connection.execute(
        sa.select(schema.sources.c.id).where(schema.sources.c.sha256 == item.sha256, schema.sources.c.kind == kind.name)
    ).first()
    if already:
        result.already_loaded = True
        return result

    keys = list(kind.replace_keys)
    covered = rows[keys].drop_duplicates()
    existing = _existing_periods(connection, kind, covered)
    kept = existing.iloc[0:0]
    if not existing.empty and item.edition_date is not None:
        newer = existing["edition_date"].map(lambda d: d is not None and d > item.edition_date)
        kept = existing[newer]
        existing = existing[~newer]
    if not existing.empty:
        _delete_periods(connection, kind.table, kind.replace_keys, existing)
    if not kept.empty:
        kept_keys = kept[keys].assign(_kept=True)
        rows = rows.merge(kept_keys, on=keys, how="left")
        rows = rows[rows["_kept"].isna()].drop(columns="_kept")
    result.periods_replaced = len(existing)
    result.periods_kept_newer = len(kept)

    source_id = connection.execute(
        schema.sources.insert().values(
            file_name=item.file_name,
            kind=kind.name,
            sha256=item.sha256,
            edition_date=item.edition_date,
            rows=len(rows),
            loaded_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
            is_demo=is_demo,
        )
    ).inserted_primary_key[0]
    records = rows.assign(source_id=source_id).to_dict("records")
    for start in range(0, len(records), INSERT_CHUNK):
        connection.execute(kind.table.insert(), records[start : start + INSERT_CHUNK])
        if progress:
            done = min(start + INSERT_CHUNK, len(records))
            progress(done / max(len(records), 1), f"{item.file_name}: wrote {done:,} of {len(records):,} rows")
    result.rows_stored = len(records)
    if finer is not None and kind.detail_table is not None:
        kept_finer = _write_detail(connection, kind, finer, rows[keys].drop_duplicates(), source_id)
        result.notes.append(f"Kept {kept_finer:,} {DETAIL_WORDS[kind.detail_table.name]} as published.")
    negative = int((rows["count"] < 0).sum()) if "count" in rows else 0
    if negative:
        result.notes.append(
            f"{negative} quarterly figure{'s are' if negative != 1 else ' is'} negative: the Home Office publishes "
            "a quarter as a net change, so more crimes cancelled than recorded shows as a negative; kept so that "
            "yearly totals match the publication."
        )
    return result


def load_files(
    paths: Sequence[str | Path],
    engine: Engine,
    settings: Settings,
    *,
    is_demo: bool = False,
    display_names: Sequence[str] | None = None,
    edition_dates: Sequence[dt.date | None] | None = None,
    progress: Progress | None = None,
) -> list[LoadResult]:
    """Load files all or nothing; raise :class:`LoadRefused` listing every problem in every file."""
    prepared = []
    for index, path in enumerate(paths):
        name = display_names[index] if display_names else None
        edition = edition_dates[index] if edition_dates else None
        if progress:
            progress(index / max(len(paths), 1) * 0.5, f"reading {name or Path(path).name}")
        prepared.append(prepare(path, settings, display_name=name, edition_date=edition))
    problems = [problem for item in prepared for problem in item.problems]
    if problems:
        raise LoadRefused(problems)
    database.migrate(engine)
    results = []
    try:
        with database.writing(engine) as connection:
            cleared = demo_guard.before_load(connection, is_demo=is_demo)
            sync_forces(connection, settings)
            for index, item in enumerate(prepared):

                def step(fraction: float, message: str, index: int = index) -> None:
                    if progress:
                        progress(0.5 + (index + fraction) / len(prepared) * 0.5, message)

                results.append(_write(connection, item, is_demo=is_demo, progress=step))
            if cleared.files and results:
                results[0].notes.insert(0, cleared.describe())
    except demo_guard.DemoConflict as conflict:
        raise LoadRefused([Problem(", ".join(item.file_name for item in prepared), str(conflict))]) from conflict
    except sa.exc.SQLAlchemyError as exc:
        names = ", ".join(item.file_name for item in prepared)
        raise LoadRefused(
            [Problem(names, f"the database refused the rows ({exc.orig or exc}); nothing was written")]
        ) from exc
    if progress:
        progress(1.0, "done")
    return results
