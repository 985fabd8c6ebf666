"""Change stamp and sign-in attempts: one truth across app processes, throttled editor sign-in (revision 0005, 2026-12-04)."""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0005", "0004"


def upgrade() -> None:
    stamp = op.create_table(
        "change_stamp",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False, comment="always 1: one row"),
        sa.Column(
            "version", sa.BigInteger(), nullable=False, comment="raised by 1 in every transaction that writes data"
        ),
        sa.Column("changed_at", sa.DateTime(), nullable=True, comment="UTC time of the last write"),
        sa.CheckConstraint("id = 1", name=op.f("ck_change_stamp_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_stamp")),
    )
    op.bulk_insert(stamp, [{"id": 1, "version": 0, "changed_at": None}])
    op.create_table(
        "sign_in_attempts",
        sa.Column("kind", sa.String(length=10), nullable=False, comment="name, client or account"),
        sa.Column(
            "key", sa.String(length=320), nullable=False, comment="the name or e-mail folded, or the client address"
        ),
        sa.Column("failures", sa.Integer(), nullable=False, comment="failed attempts since the last success or lock"),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True, comment="UTC: no attempt is checked before this"),
        sa.Column("locked_until", sa.DateTime(), nullable=True, comment="UTC: every attempt is refused until this"),
        sa.Column("updated_at", sa.DateTime(), nullable=False, comment="UTC"),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_sign_in_attempts_failures")),
        sa.CheckConstraint("kind IN ('name', 'client', 'account')", name=op.f("ck_sign_in_attempts_kind")),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_sign_in_attempts")),
    )


def downgrade() -> None:
    for table in ("sign_in_attempts", "change_stamp"):  # each table's indexes go with it
        op.drop_table(table)
