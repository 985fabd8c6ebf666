"""Places: recorded crime by community safety partnership and district populations (revision 0006, 2026-12-04)."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0006", "0005"


def _required(name: str, kind: sa.types.TypeEngine, comment: str | None = None) -> sa.Column:
    """A column that may not be empty: every column this revision adds is one."""
    return sa.Column(name, kind, nullable=False, comment=comment)


def upgrade() -> None:
    op.create_table(
        "recorded_crime_csp",
        _required("force", sa.String(length=80)),
        _required("financial_year", sa.String(length=7), "as the Home Office writes it: 2019/20"),
        _required("quarter", sa.SmallInteger(), "financial quarter 1-4 (Q1 = April-June)"),
        _required("month", sa.SmallInteger(), "0: the CSP editions are quarterly"),
        _required("csp", sa.String(length=120), "the CSP Name as published"),
        _required("offence_code", sa.String(length=4)),
        _required("period_start", sa.Date(), "first day of the quarter"),
        _required("count", sa.Integer(), "may be negative: a quarter is a net change"),
        _required("source_id", sa.Integer()),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name=op.f("ck_recorded_crime_csp_quarter")),
        sa.ForeignKeyConstraint(["force"], ["forces.name"], name=op.f("fk_recorded_crime_csp_force_forces")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_recorded_crime_csp_source_id_sources")),
        sa.PrimaryKeyConstraint(
            "force", "financial_year", "quarter", "month", "csp", "offence_code", name=op.f("pk_recorded_crime_csp")
        ),
    )
    op.create_index(op.f("ix_recorded_crime_csp_force_csp"), "recorded_crime_csp", ["force", "csp"])
    op.create_index(op.f("ix_recorded_crime_csp_source_id"), "recorded_crime_csp", ["source_id"])
    op.create_table(
        "population_district",
        _required("force", sa.String(length=80)),
        _required("year", sa.Integer(), "ONS mid-year (30 June) estimate year"),
        _required("lad_code", sa.String(length=9), "the district's ONS code, as in reference/lad_to_pfa.csv"),
        _required("population", sa.Integer()),
        _required("source_id", sa.Integer()),
        sa.CheckConstraint("population > 0", name=op.f("ck_population_district_positive")),
        sa.ForeignKeyConstraint(["force"], ["forces.name"], name=op.f("fk_population_district_force_forces")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_population_district_source_id_sources")),
        sa.PrimaryKeyConstraint("force", "year", "lad_code", name=op.f("pk_population_district")),
    )
    op.create_index(op.f("ix_population_district_source_id"), "population_district", ["source_id"])


def downgrade() -> None:
    for table in ("population_district", "recorded_crime_csp"):  # each table's indexes go with it
        op.drop_table(table)
