"""Initial schema: sources, forces, population, recorded crime (revision 0001, 2026-11-28)."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0001", None


def upgrade() -> None:
    op.create_table('forces',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('ons_code', sa.String(length=9), nullable=True),
    sa.Column('territorial', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_forces'))
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('edition_date', sa.Date(), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources'))
    )
    op.create_index(op.f("ix_sources_kind"), "sources", ["kind"])
    op.create_index(op.f("ix_sources_sha256"), "sources", ["sha256"])
    op.create_table('force_aliases',
    sa.Column('alias', sa.String(length=120), nullable=False),
    sa.Column('force', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['force'], ['forces.name'], name=op.f('fk_force_aliases_force_forces')),
    sa.PrimaryKeyConstraint('alias', name=op.f('pk_force_aliases'))
    )
    op.create_table('population',
    sa.Column('force', sa.String(length=80), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False, comment='ONS mid-year (30 June) estimate year'),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('population > 0', name=op.f('ck_population_positive')),
    sa.ForeignKeyConstraint(['force'], ['forces.name'], name=op.f('fk_population_force_forces')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_population_source_id_sources')),
    sa.PrimaryKeyConstraint('force', 'year', name=op.f('pk_population'))
    )
    op.create_index(op.f("ix_population_source_id"), "population", ["source_id"])
    op.create_table('recorded_crime',
    sa.Column('force', sa.String(length=80), nullable=False),
    sa.Column('financial_year', sa.String(length=7), nullable=False, comment='as the Home Office writes it: 2019/20'),
    sa.Column('quarter', sa.SmallInteger(), nullable=False, comment='financial quarter 1-4 (Q1 = April-June)'),
    sa.Column('month', sa.SmallInteger(), nullable=False, comment='calendar month 1-12; 0 for a whole-quarter figure'),
    sa.Column('offence_code', sa.String(length=4), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False, comment='first day of the quarter or month'),
    sa.Column('offence_description', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False, comment='may be negative in a Home Office quarter: a net adjustment when more crimes were cancelled than recorded'),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('month BETWEEN 0 AND 12', name=op.f('ck_recorded_crime_month')),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_recorded_crime_quarter')),
    sa.ForeignKeyConstraint(['force'], ['forces.name'], name=op.f('fk_recorded_crime_force_forces')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_recorded_crime_source_id_sources')),
    sa.PrimaryKeyConstraint('force', 'financial_year', 'quarter', 'month', 'offence_code', name=op.f('pk_recorded_crime'))
    )
    op.create_index(op.f("ix_recorded_crime_offence_code_month_period_start"), "recorded_crime", ["offence_code", "month", "period_start"])
    op.create_index(op.f("ix_recorded_crime_source_id"), "recorded_crime", ["source_id"])


def downgrade() -> None:
    for table in ("recorded_crime", "population", "force_aliases", "sources", "forces"):  # each table's indexes go with it
        op.drop_table(table)
