"""Outcomes, prosecutions and orders return, local events (revision 0002, 2026-11-28)."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0002", "0001"


def upgrade() -> None:
    op.create_table('events',
    sa.Column('scope', sa.String(length=10), nullable=False, comment="'local': an events file replaces every local event"),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False, comment='a key of [[event_kinds]]'),
    sa.Column('detail', sa.String(length=2000), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_events_source_id_sources')),
    sa.PrimaryKeyConstraint('scope', 'date', 'label', name=op.f('pk_events'))
    )
    op.create_index(op.f("ix_events_source_id"), "events", ["source_id"])
    op.create_table('outcomes',
    sa.Column('force', sa.String(length=80), nullable=False),
    sa.Column('financial_year', sa.String(length=7), nullable=False, comment='as the Home Office writes it: 2019/20'),
    sa.Column('quarter', sa.SmallInteger(), nullable=False, comment='financial quarter 1-4 (Q1 = April-June)'),
    sa.Column('offence_code', sa.String(length=4), nullable=False),
    sa.Column('outcome_type', sa.SmallInteger(), nullable=False, comment='0 = not yet assigned an outcome (no outcome)'),
    sa.Column('period_start', sa.Date(), nullable=False, comment='first day of the quarter'),
    sa.Column('offence_description', sa.String(length=200), nullable=False),
    sa.Column('outcome_group', sa.String(length=40), nullable=False, comment='the configured group of the outcome type'),
    sa.Column('outcome_description', sa.String(length=200), nullable=False),
    sa.Column('outcomes_for_offences_recorded', sa.Integer(), nullable=False, comment='Force outcomes for offences recorded in quarter'),
    sa.Column('outcomes_recorded', sa.Integer(), nullable=False, comment='Force outcomes recorded in quarter'),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('outcome_type >= 0', name=op.f('ck_outcomes_outcome_type')),
    sa.CheckConstraint('outcomes_for_offences_recorded >= 0 AND outcomes_recorded >= 0', name=op.f('ck_outcomes_counts')),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_outcomes_quarter')),
    sa.ForeignKeyConstraint(['force'], ['forces.name'], name=op.f('fk_outcomes_force_forces')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_outcomes_source_id_sources')),
    sa.PrimaryKeyConstraint('force', 'financial_year', 'quarter', 'offence_code', 'outcome_type', name=op.f('pk_outcomes'))
    )
    op.create_index(op.f("ix_outcomes_offence_code_period_start"), "outcomes", ["offence_code", "period_start"])
    op.create_index(op.f("ix_outcomes_source_id"), "outcomes", ["source_id"])
    op.create_table('prosecutions_return',
    sa.Column('area', sa.String(length=80), nullable=False, comment='a force or a CPS Area, as named in the settings'),
    sa.Column('granularity', sa.String(length=7), nullable=False, comment='month or quarter'),
    sa.Column('period_start', sa.Date(), nullable=False, comment='first day of the month or quarter'),
    sa.Column('measure', sa.String(length=40), nullable=False, comment='a key of [[prosecution_measures]]'),
    sa.Column('area_type', sa.String(length=8), nullable=False, comment='force or cps_area'),
    sa.Column('financial_year', sa.String(length=7), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("area_type IN ('force', 'cps_area')", name=op.f('ck_prosecutions_return_area_type')),
    sa.CheckConstraint("granularity IN ('month', 'quarter')", name=op.f('ck_prosecutions_return_granularity')),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_prosecutions_return_quarter')),
    sa.CheckConstraint('value >= 0', name=op.f('ck_prosecutions_return_value')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_prosecutions_return_source_id_sources')),
    sa.PrimaryKeyConstraint('area', 'granularity', 'period_start', 'measure', name=op.f('pk_prosecutions_return'))
    )
    op.create_index(op.f("ix_prosecutions_return_measure_period_start"), "prosecutions_return", ["measure", "period_start"])
    op.create_index(op.f("ix_prosecutions_return_source_id"), "prosecutions_return", ["source_id"])


def downgrade() -> None:
    for table in ("prosecutions_return", "outcomes", "events"):  # each table's indexes go with it
        op.drop_table(table)
