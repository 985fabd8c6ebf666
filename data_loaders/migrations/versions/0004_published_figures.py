"""Published figures: ONS police force area tables (revision 0004, 2026-12-03)."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0004", "0003"


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
    op.create_index(op.f("ix_published_figures_source_id"), "published_figures", ["source_id"])


def downgrade() -> None:
    op.drop_table("published_figures")
