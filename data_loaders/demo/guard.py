"""Real data never mixes with the illustrative demo.

The demo is built into an empty database, or one holding only demo data. The first real file
loaded into a database that holds the demo clears every demo figure, recommendation and file
first, in the same transaction as the load (a refused load leaves the demo as it was), and the
load says so. ``pcc-dashboard clear-demo`` does the same on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from data_loaders import schema

# Tables whose rows come from a loaded file (``source_id``): the demo's go with it.
SOURCED = (
    schema.recorded_crime_csp,
    schema.population_district,
    schema.recorded_crime,
    schema.population,
    schema.outcomes,
    schema.prosecutions_return,
    schema.events,
    schema.published_figures,
)
CLEAR_COMMAND = "pcc-dashboard clear-demo"


class DemoConflict(Exception):
    """The demo was asked to load into a database that holds real data."""


@dataclass(frozen=True)
class Cleared:
    """What clearing the demo removed."""

    files: int
    rows: int
    recommendations: int

    def describe(self) -> str:
        """One sentence for the command line and the Data page; empty when there was no demo."""
        if not self.files:
            return ""
        return (
            f"Cleared the illustrative demo data first ({self.files:,} demo files: {self.rows:,} rows of figures and "
            f"{self.recommendations:,} recommendations): the database now holds only real data."
        )


def _ids(connection: Connection, query: sa.Select) -> list[int]:
    return [row[0] for row in connection.execute(query)]


def holds_demo(connection: Connection) -> bool:
    """Whether any loaded file is the demo's."""
    src = schema.sources
    return connection.execute(sa.select(src.c.id).where(src.c.is_demo).limit(1)).first() is not None


def holds_real(connection: Connection) -> bool:
    """Whether any loaded file is not the demo's."""
    src = schema.sources
    return connection.execute(sa.select(src.c.id).where(~src.c.is_demo).limit(1)).first() is not None


def refuse_demo_over_real(connection: Connection) -> None:
    """Raise :class:`DemoConflict` when the database already holds real data."""
    if holds_real(connection):
        raise DemoConflict(
            "this database holds real data, so the illustrative demo is not loaded into it; build the demo in a "
            "database of its own, for example: PCC_DATABASE_URL=sqlite:///demo.sqlite pcc-dashboard demo"
        )


def before_load(connection: Connection, *, is_demo: bool) -> Cleared:
    """At the start of a load's transaction: refuse the demo over real data, or clear the demo for real data."""
    if is_demo:
        refuse_demo_over_real(connection)
        return Cleared(0, 0, 0)
    return clear_demo(connection) if holds_demo(connection) else Cleared(0, 0, 0)


def _delete(connection: Connection, table: sa.Table, column: sa.Column, ids: list[int]) -> int:
    removed = 0
    for start in range(0, len(ids), 500):
        removed += connection.execute(table.delete().where(column.in_(ids[start : start + 500]))).rowcount or 0
    return removed


def clear_demo(connection: Connection) -> Cleared:
    """Delete every demo file and everything that came from it (figures, recommendations, their history and audit)."""
    src, recs, updates = schema.sources, schema.recommendations, schema.recommendation_updates
    reports, log = schema.reports, schema.audit_log
    demo = _ids(connection, sa.select(src.c.id).where(src.c.is_demo))
    if not demo:
        return Cleared(0, 0, 0)
    rows = sum(_delete(connection, table, table.c.source_id, demo) for table in SOURCED)
    demo_recs = _ids(connection, sa.select(recs.c.id).where(recs.c.source_id.in_(demo)))
    demo_updates = _ids(
        connection,
        sa.select(updates.c.id).where(updates.c.recommendation_id.in_(demo_recs) | updates.c.source_id.in_(demo)),
    )
    for table, ids in ((updates, demo_updates), (recs, demo_recs)):
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            connection.execute(log.delete().where(log.c.table_name == table.name, log.c.record_id.in_(chunk)))
        _delete(connection, table, table.c.id, ids)
    empty_reports = _ids(
        connection, sa.select(reports.c.id).where(~sa.exists().where(recs.c.report_id == reports.c.id))
    )
    connection.execute(log.delete().where(log.c.table_name == reports.name, log.c.record_id.in_(empty_reports)))
    _delete(connection, reports, reports.c.id, empty_reports)
    _delete(connection, src, src.c.id, demo)
    return Cleared(len(demo), rows, len(demo_recs))
