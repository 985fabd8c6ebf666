"""published figures: ONS police force area tables

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 11:52:54.593282
"""

from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_figures",
        sa.Column("area", sa.String(length=80), nullable=False, comment="a force, or 'England and Wales'"),
        sa.Column("period_end", sa.Date(), nullable=False, comment="the last day of the 12 months"),
        sa.Column("offence_group", sa.String(length=80), nullable=False, comment="as ONS heads the column"),
        sa.Column(
            "count", sa.Integer(), nullable=True, comment="ONS Table P1: offences in the 12 months, as then published"
        ),
        sa.Column("rate", sa.Float(), nullable=True, comment="ONS Table P3: offences per 1,000 population"),
        sa.Column(
            "population", sa.Integer(), nullable=True, comment="ONS Table P3: the population used, rounded to 100"
        ),
        sa.Column("population_year", sa.SmallInteger(), nullable=True, comment="the mid-year of that population"),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("count IS NULL OR count >= 0", name=op.f("ck_published_figures_count")),
        sa.CheckConstraint("population IS NULL OR population > 0", name=op.f("ck_published_figures_population")),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_published_figures_source_id_sources")),
        sa.PrimaryKeyConstraint("area", "period_end", "offence_group", name=op.f("pk_published_figures")),
    )
    with op.batch_alter_table("published_figures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_published_figures_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("published_figures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_figures_source_id"))

    op.drop_table("published_figures")
