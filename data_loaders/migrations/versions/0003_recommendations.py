"""Recommendations: inspection reports, recommendations, their updates and the audit log (revision 0003, 2026-11-28)."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0003", "0002"


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False, comment='UTC'),
    sa.Column('who', sa.String(length=200), nullable=False),
    sa.Column('table_name', sa.String(length=60), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False, comment='insert or update; rows are never deleted'),
    sa.Column('before', sa.Text(), nullable=True, comment='JSON of the changed fields before; empty for an insert'),
    sa.Column('after', sa.Text(), nullable=False, comment='JSON of the changed fields after'),
    sa.CheckConstraint("action IN ('insert', 'update')", name=op.f('ck_audit_log_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index(op.f("ix_audit_log_table_name_record_id"), "audit_log", ["table_name", "record_id"])
    op.create_table('reports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False, comment='the key of a known report in the settings; for another report, its title folded'),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('inspectorate', sa.String(length=200), nullable=False),
    sa.Column('publication_date', sa.Date(), nullable=True, comment='empty until the analyst fills it in'),
    sa.Column('link', sa.String(length=1000), nullable=True),
    sa.Column('response_published', sa.Date(), nullable=True, comment="the day the PCC's response was published"),
    sa.Column('needs_review', sa.Boolean(), nullable=False, comment='not recognised from its title: the analyst is to check it and fill in the publication date'),
    sa.Column('chief_constable_comments', sa.Text(), nullable=True),
    sa.Column('pcc_comments', sa.Text(), nullable=True),
    sa.Column('pcc_signature', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('key', name=op.f('uq_reports_key'))
    )
    op.create_table('recommendations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False, comment='R1, R2, ... unless the source numbers them'),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('addressed_to', sa.String(length=300), nullable=True),
    sa.Column('timescale', sa.String(length=200), nullable=True, comment="as written, e.g. 'Within six months'"),
    sa.Column('due_date', sa.Date(), nullable=True, comment='derived from the timescale and the publication date'),
    sa.Column('due_date_note', sa.String(length=500), nullable=False, comment='how the due date was derived, or why not'),
    sa.Column('owner', sa.String(length=300), nullable=True),
    sa.Column('status_source', sa.String(length=200), nullable=True, comment='the latest status as the source wrote it'),
    sa.Column('status_category', sa.String(length=40), nullable=False, comment="a configured category, or 'unknown'"),
    sa.Column('status_date', sa.Date(), nullable=True, comment='the date of the latest status'),
    sa.Column('response_html', sa.Text(), nullable=True, comment="the force's response as written: sanitise to show"),
    sa.Column('version', sa.Integer(), nullable=False, comment='raised by every change: a stale edit is refused'),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_recommendations_version')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_recommendations_report_id_reports')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_recommendations_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendations')),
    sa.UniqueConstraint('report_id', 'reference', name=op.f('uq_recommendations_report_id_reference'))
    )
    op.create_index(op.f("ix_recommendations_source_id"), "recommendations", ["source_id"])
    op.create_table('recommendation_updates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('status_source', sa.String(length=200), nullable=True, comment='empty for a comment without a status'),
    sa.Column('status_category', sa.String(length=40), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('evidence_link', sa.String(length=1000), nullable=True),
    sa.Column('author', sa.String(length=200), nullable=False, comment='who recorded it: an e-mail, or the file it came from'),
    sa.Column('created_at', sa.DateTime(), nullable=False, comment='UTC'),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_updates_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_recommendation_updates_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_updates'))
    )
    op.create_index(op.f("ix_recommendation_updates_recommendation_id_date"), "recommendation_updates", ["recommendation_id", "date"])
    op.create_index(op.f("ix_recommendation_updates_source_id"), "recommendation_updates", ["source_id"])


def downgrade() -> None:
    for table in ("recommendation_updates", "recommendations", "reports", "audit_log"):  # each table's indexes go with it
        op.drop_table(table)
