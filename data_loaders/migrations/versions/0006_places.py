"""places: recorded crime by community safety partnership and district populations

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


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
    with op.batch_alter_table("recorded_crime_csp", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recorded_crime_csp_force_csp"), ["force", "csp"], unique=False)
        batch_op.create_index(batch_op.f("ix_recorded_crime_csp_source_id"), ["source_id"], unique=False)

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
    with op.batch_alter_table("population_district", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_population_district_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("population_district", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_population_district_source_id"))
    op.drop_table("population_district")
    with op.batch_alter_table("recorded_crime_csp", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recorded_crime_csp_source_id"))
        batch_op.drop_index(batch_op.f("ix_recorded_crime_csp_force_csp"))
    op.drop_table("recorded_crime_csp")
