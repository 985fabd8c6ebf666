"""The schema is created by the migrations and matches the declared metadata on both backends."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from data_loaders import database


def test_migrations_build_exactly_the_declared_schema(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), database.metadata)
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
