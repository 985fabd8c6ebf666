"""The schema, declared once with SQLAlchemy Core: every table the loaders write and the app reads.

The Alembic migrations in ``data_loaders/migrations`` create it and upgrade it (``database.migrate``);
``tests/test_database.py`` holds the two to each other on SQLite and PostgreSQL. Its names follow
the naming convention below, so a constraint has the same name on both.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _checks(**conditions: str) -> list[sa.CheckConstraint]:
    """CHECK constraints by name, ``name="condition"``: the database names each ``ck_<table>_<name>``."""
    return [sa.CheckConstraint(condition, name=name) for name, condition in conditions.items()]


def _numbered() -> sa.Column:
    """A row's own number, given by the database: how other tables and the audit log refer to the row."""
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _force_key() -> sa.Column:
    """The force a row belongs to, as ``forces`` names it: the first part of the table's key."""
    return sa.Column("force", sa.String(80), sa.ForeignKey("forces.name"), primary_key=True)


def _offence_code() -> sa.Column:
    """The Home Office's offence code, as published (8Q, 8R, 8U)."""
    return sa.Column("offence_code", sa.String(4), primary_key=True)


def _count(name: str, comment: str | None = None) -> sa.Column:
    """A number of crimes, outcomes, people or rows: never empty."""
    return sa.Column(name, sa.Integer, nullable=False, comment=comment)


def _utc(name: str, comment: str = "UTC", *, nullable: bool = False) -> sa.Column:
    """A moment in UTC, stored without its zone (the same on SQLite and PostgreSQL)."""
    return sa.Column(name, sa.DateTime, nullable=nullable, comment=comment)


def _loaded_from(nullable: bool = False) -> tuple[sa.Column, sa.Index]:
    """The file a row was loaded from (a row of ``sources``), indexed to find every row of a file."""
    return (
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=nullable),
        sa.Index(None, "source_id"),
    )


def _home_office_quarter() -> tuple[sa.Column | sa.CheckConstraint, ...]:
    """The key a Home Office quarterly table starts with: the force, the financial year and its quarter."""
    return (
        _force_key(),
        sa.Column("financial_year", sa.String(7), primary_key=True, comment="as the Home Office writes it: 2019/20"),
        sa.Column("quarter", sa.SmallInteger, primary_key=True, comment="financial quarter 1-4 (Q1 = April-June)"),
        *_checks(quarter="quarter BETWEEN 1 AND 4"),
    )


sources = sa.Table(
    "sources",
    metadata,
    _numbered(),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("edition_date", sa.Date, nullable=True),
    _count("rows"),
    sa.Column("loaded_at", sa.DateTime, nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False, default=False),
    sa.Index(None, "sha256"),
    sa.Index(None, "kind"),
)

forces = sa.Table(
    "forces",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("ons_code", sa.String(9), nullable=True),
    sa.Column("territorial", sa.Boolean, nullable=False),
)

force_aliases = sa.Table(
    "force_aliases",
    metadata,
    sa.Column("alias", sa.String(120), primary_key=True),
    sa.Column("force", sa.String(80), sa.ForeignKey("forces.name"), nullable=False),
)

population = sa.Table(
    "population",
    metadata,
    _force_key(),
    sa.Column("year", sa.Integer, primary_key=True, comment="ONS mid-year (30 June) estimate year"),
    _count("population"),
    *_loaded_from(),
    *_checks(positive="population > 0"),
)

recorded_crime = sa.Table(
    "recorded_crime",
    metadata,
    *_home_office_quarter(),
    sa.Column("month", sa.SmallInteger, primary_key=True, comment="calendar month 1-12; 0 for a whole-quarter figure"),
    _offence_code(),
    sa.Column("period_start", sa.Date, nullable=False, comment="first day of the quarter or month"),
    sa.Column("offence_description", sa.String(200), nullable=False),
    _count(
        "count",
        "may be negative in a Home Office quarter: a net adjustment when more crimes were cancelled than recorded",
    ),
    *_loaded_from(),
    *_checks(month="month BETWEEN 0 AND 12"),
    sa.Index(None, "offence_code", "month", "period_start"),
)

# The community safety partnership (CSP) edition's rows as published, beside the force totals derived
# from them in ``recorded_crime``: a partnership's name as the Home Office spells it, including the
# ``Unassigned <force>`` rows of crimes no partnership could be given.
recorded_crime_csp = sa.Table(
    "recorded_crime_csp",
    metadata,
    *_home_office_quarter(),
    sa.Column("month", sa.SmallInteger, primary_key=True, comment="0: the CSP editions are quarterly"),
    sa.Column("csp", sa.String(120), primary_key=True, comment="the CSP Name as published"),
    _offence_code(),
    sa.Column("period_start", sa.Date, nullable=False, comment="first day of the quarter"),
    _count("count", "may be negative: a quarter is a net change"),
    *_loaded_from(),
    sa.Index(None, "force", "csp"),
)

# ONS mid-year estimates of each lower-tier district, as read; ``population`` holds their sums by force.
population_district = sa.Table(
    "population_district",
    metadata,
    _force_key(),
    sa.Column("year", sa.Integer, primary_key=True, comment="ONS mid-year (30 June) estimate year"),
    sa.Column(
        "lad_code", sa.String(9), primary_key=True, comment="the district's ONS code, as in reference/lad_to_pfa.csv"
    ),
    _count("population"),
    *_loaded_from(),
    *_checks(positive="population > 0"),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    *_home_office_quarter(),
    _offence_code(),
    sa.Column(
        "outcome_type", sa.SmallInteger, primary_key=True, comment="0 = not yet assigned an outcome (no outcome)"
    ),
    sa.Column("period_start", sa.Date, nullable=False, comment="first day of the quarter"),
    sa.Column("offence_description", sa.String(200), nullable=False),
    sa.Column("outcome_group", sa.String(40), nullable=False, comment="the configured group of the outcome type"),
    sa.Column("outcome_description", sa.String(200), nullable=False),
    _count("outcomes_for_offences_recorded", "Force outcomes for offences recorded in quarter"),
    _count("outcomes_recorded", "Force outcomes recorded in quarter"),
    *_loaded_from(),
    *_checks(outcome_type="outcome_type >= 0", counts="outcomes_for_offences_recorded >= 0 AND outcomes_recorded >= 0"),
    sa.Index(None, "offence_code", "period_start"),
)

published_figures = sa.Table(
    "published_figures",
    metadata,
    sa.Column("area", sa.String(80), primary_key=True, comment="a force, or 'England and Wales'"),
    sa.Column("period_end", sa.Date, primary_key=True, comment="the last day of the 12 months"),
    sa.Column("offence_group", sa.String(80), primary_key=True, comment="as ONS heads the column"),
    sa.Column("count", sa.Integer, nullable=True, comment="ONS Table P1: offences in the 12 months, as then published"),
    sa.Column("rate", sa.Float, nullable=True, comment="ONS Table P3: offences per 1,000 population"),
    sa.Column("population", sa.Integer, nullable=True, comment="ONS Table P3: the population used, rounded to 100"),
    sa.Column("population_year", sa.SmallInteger, nullable=True, comment="the mid-year of that population"),
    *_loaded_from(),
    *_checks(count="count IS NULL OR count >= 0", population="population IS NULL OR population > 0"),
)

prosecutions_return = sa.Table(
    "prosecutions_return",
    metadata,
    sa.Column("area", sa.String(80), primary_key=True, comment="a force or a CPS Area, as named in the settings"),
    sa.Column("granularity", sa.String(7), primary_key=True, comment="month or quarter"),
    sa.Column("period_start", sa.Date, primary_key=True, comment="first day of the month or quarter"),
    sa.Column("measure", sa.String(40), primary_key=True, comment="a key of [[prosecution_measures]]"),
    sa.Column("area_type", sa.String(8), nullable=False, comment="force or cps_area"),
    sa.Column("financial_year", sa.String(7), nullable=False),
    sa.Column("quarter", sa.SmallInteger, nullable=False),
    _count("value"),
    *_loaded_from(),
    *_checks(
        area_type="area_type IN ('force', 'cps_area')",
        granularity="granularity IN ('month', 'quarter')",
        quarter="quarter BETWEEN 1 AND 4",
        value="value >= 0",
    ),
    sa.Index(None, "measure", "period_start"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("scope", sa.String(10), primary_key=True, comment="'local': an events file replaces every local event"),
    sa.Column("date", sa.Date, primary_key=True),
    sa.Column("label", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False, comment="a key of [[event_kinds]]"),
    sa.Column("detail", sa.String(2000), nullable=False),
    *_loaded_from(),
)

# Inspection reports and their recommendations. Loads and edits never delete or rewrite history:
# an update is a new row, and every change to a report or recommendation is in the audit log.
reports = sa.Table(
    "reports",
    metadata,
    _numbered(),
    sa.Column(
        "key",
        sa.String(120),
        nullable=False,
        unique=True,
        comment="the key of a known report in the settings; for another report, its title folded",
    ),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("inspectorate", sa.String(200), nullable=False),
    sa.Column("publication_date", sa.Date, nullable=True, comment="empty until the analyst fills it in"),
    sa.Column("link", sa.String(1000), nullable=True),
    sa.Column("response_published", sa.Date, nullable=True, comment="the day the PCC's response was published"),
    sa.Column(
        "needs_review",
        sa.Boolean,
        nullable=False,
        comment="not recognised from its title: the analyst is to check it and fill in the publication date",
    ),
    sa.Column("chief_constable_comments", sa.Text, nullable=True),
    sa.Column("pcc_comments", sa.Text, nullable=True),
    sa.Column("pcc_signature", sa.String(500), nullable=True),
)

recommendations = sa.Table(
    "recommendations",
    metadata,
    _numbered(),
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
    sa.Column("reference", sa.String(40), nullable=False, comment="R1, R2, ... unless the source numbers them"),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("addressed_to", sa.String(300), nullable=True),
    sa.Column("timescale", sa.String(200), nullable=True, comment="as written, e.g. 'Within six months'"),
    sa.Column("due_date", sa.Date, nullable=True, comment="derived from the timescale and the publication date"),
    sa.Column("due_date_note", sa.String(500), nullable=False, comment="how the due date was derived, or why not"),
    sa.Column("owner", sa.String(300), nullable=True),
    sa.Column("status_source", sa.String(200), nullable=True, comment="the latest status as the source wrote it"),
    sa.Column("status_category", sa.String(40), nullable=False, comment="a configured category, or 'unknown'"),
    sa.Column("status_date", sa.Date, nullable=True, comment="the date of the latest status"),
    sa.Column("response_html", sa.Text, nullable=True, comment="the force's response as written: sanitise to show"),
    sa.Column("version", sa.Integer, nullable=False, comment="raised by every change: a stale edit is refused"),
    *_loaded_from(nullable=True),
    sa.UniqueConstraint("report_id", "reference"),
    *_checks(version="version >= 1"),
)

recommendation_updates = sa.Table(
    "recommendation_updates",
    metadata,
    _numbered(),
    sa.Column("recommendation_id", sa.Integer, sa.ForeignKey("recommendations.id"), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("status_source", sa.String(200), nullable=True, comment="empty for a comment without a status"),
    sa.Column("status_category", sa.String(40), nullable=True),
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("evidence_link", sa.String(1000), nullable=True),
    sa.Column("author", sa.String(200), nullable=False, comment="who recorded it: an e-mail, or the file it came from"),
    _utc("created_at"),
    *_loaded_from(nullable=True),
    sa.Index(None, "recommendation_id", "date"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    _numbered(),
    _utc("at"),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("table_name", sa.String(60), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("action", sa.String(20), nullable=False, comment="insert or update; rows are never deleted"),
    sa.Column("before", sa.Text, nullable=True, comment="JSON of the changed fields before; empty for an insert"),
    sa.Column("after", sa.Text, nullable=False, comment="JSON of the changed fields after"),
    *_checks(action="action IN ('insert', 'update')"),
    sa.Index(None, "table_name", "record_id"),
)

# One row whose version every write raises in its own transaction: a process keys its cached reads
# on it, so a load or a save made anywhere (the command line, another app process) shows at the
# next page run everywhere, for the price of one one-row read a run.
change_stamp = sa.Table(
    "change_stamp",
    metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True, autoincrement=False, comment="always 1: one row"),
    sa.Column("version", sa.BigInteger, nullable=False, comment="raised by 1 in every transaction that writes data"),
    _utc("changed_at", "UTC time of the last write", nullable=True),
    *_checks(one_row="id = 1"),
)
CHANGE_STAMP_ROW = 1

# Failed editor sign-ins, per name and per client, kept in the database so that every app process
# on it sees the same delays and locks (see dashboard/sign_in_throttle.py).
sign_in_attempts = sa.Table(
    "sign_in_attempts",
    metadata,
    sa.Column("kind", sa.String(10), primary_key=True, comment="name, client or account"),
    sa.Column("key", sa.String(320), primary_key=True, comment="the name or e-mail folded, or the client address"),
    _count("failures", "failed attempts since the last success or lock"),
    _utc("next_attempt_at", "UTC: no attempt is checked before this", nullable=True),
    _utc("locked_until", "UTC: every attempt is refused until this", nullable=True),
    _utc("updated_at"),
    *_checks(kind="kind IN ('name', 'client', 'account')", failures="failures >= 0"),
)


def select_with_file(table: sa.Table, *columns: sa.ColumnElement, label: str = "source_file") -> sa.Select:
    """``columns``, then the name of the file each row of ``table`` was loaded from as ``label`` (None: no file)."""
    return sa.select(*columns, sources.c.file_name.label(label)).outerjoin(sources, sources.c.id == table.c.source_id)
