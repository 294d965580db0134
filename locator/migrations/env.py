"""Alembic environment: runs migrations on the connection `locator.db.migrate` hands over."""

from alembic import context

from locator import desk_models  # noqa: F401  (its tables belong to Base's metadata)
from locator.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
