"""Alembic environment: runs migrations on the engine handed over by ``database.migrate``."""

from alembic import context

from data_loaders.database import make_engine
from data_loaders.schema import metadata

config = context.config
target_metadata = metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        context.run_migrations()


run_migrations()
