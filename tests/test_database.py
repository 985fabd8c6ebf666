"""The schema is created by the migrations and matches the declared metadata on both backends."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from data_loaders import database, schema


def test_migrations_build_exactly_the_declared_schema(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), schema.metadata)
    assert differences == []


def test_migrate_twice_changes_nothing(engine):
    before = database.schema_revision(engine)
    database.migrate(engine)
    assert before == database.schema_revision(engine) == "0006"
    assert set(sa.inspect(engine).get_table_names()) >= {
        "sources",
        "forces",
        "force_aliases",
        "population",
        "recorded_crime",
        "outcomes",
        "prosecutions_return",
        "events",
        "reports",
        "recommendations",
        "recommendation_updates",
        "audit_log",
    }


def test_sqlite_folder_is_created(tmp_path):
    url = f"sqlite:///{tmp_path / 'deeper' / 'db.sqlite'}"
    engine = database.make_engine(url)
    database.migrate(engine)
    assert (tmp_path / "deeper" / "db.sqlite").is_file()


def test_migrations_make_every_declared_check_and_only_those(engine):
    """``compare_metadata`` does not compare CHECK constraints: their names are compared here, table by table."""
    inspector = sa.inspect(engine)
    for table in schema.metadata.sorted_tables:
        declared = {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)}
        made = {c["name"] for c in inspector.get_check_constraints(table.name)}
        assert made == declared, table.name
    assert {c["name"] for c in inspector.get_check_constraints("prosecutions_return")} == {
        "ck_prosecutions_return_area_type",
        "ck_prosecutions_return_granularity",
        "ck_prosecutions_return_quarter",
        "ck_prosecutions_return_value",
    }
