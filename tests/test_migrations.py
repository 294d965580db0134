from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from locator import db
from locator.models import Base


def head() -> str:
    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()


def test_migrations_take_an_empty_database_to_the_models_schema(database_url):
    engine = db.make_engine(database_url)
    db.migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() is not None
    engine.dispose()


def test_migrating_twice_is_harmless_and_downgrade_empties_the_database(database_url):
    engine = db.make_engine(database_url)
    db.migrate(engine)
    db.migrate(engine)
    with engine.begin() as connection:
        command.downgrade(db.alembic_config(connection), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_a_database_made_before_migrations_is_adopted(database_url):
    engine = db.make_engine(database_url)
    db.create_schema(engine)
    db.migrate(engine)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head()
    engine.dispose()
