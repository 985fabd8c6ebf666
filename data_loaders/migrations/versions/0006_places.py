"""Places: recorded crime by community safety partnership and district populations (revision 0006, 2026-12-04)."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0006", "0005"


def upgrade() -> None:
    op.create_table(
        "recorded_crime_csp",
        sa.Column("force", sa.String(length=80), nullable=False),
        sa.Column("financial_year", sa.String(length=7), nullable=False, comment="as the Home Office writes it: 2019/20"),
        sa.Column("quarter", sa.SmallInteger(), nullable=False, comment="financial quarter 1-4 (Q1 = April-June)"),
        sa.Column("month", sa.SmallInteger(), nullable=False, comment="0: the CSP editions are quarterly"),
        sa.Column("csp", sa.String(length=120), nullable=False, comment="the CSP Name as published"),
        sa.Column("offence_code", sa.String(length=4), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False, comment="first day of the quarter"),
        sa.Column("count", sa.Integer(), nullable=False, comment="may be negative: a quarter is a net change"),
        sa.Column("source_id", sa.Integer(), nullable=False),
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
        sa.Column("force", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False, comment="ONS mid-year (30 June) estimate year"),
        sa.Column(
            "lad_code",
            sa.String(length=9),
            nullable=False,
            comment="the district's ONS code, as in reference/lad_to_pfa.csv",
        ),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("population > 0", name=op.f("ck_population_district_positive")),
        sa.ForeignKeyConstraint(["force"], ["forces.name"], name=op.f("fk_population_district_force_forces")),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_population_district_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("force", "year", "lad_code", name=op.f("pk_population_district")),
    )
    op.create_index(op.f("ix_population_district_source_id"), "population_district", ["source_id"])


def downgrade() -> None:
    for table in ("population_district", "recorded_crime_csp"):  # each table's indexes go with it
        op.drop_table(table)
