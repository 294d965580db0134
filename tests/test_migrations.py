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


def test_availability_per_medication_migrates_a_database_with_providers_and_reports_in_it(database_url):
    from datetime import UTC, datetime

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from locator.availability import availability_by_medication
    from locator.models import Provider

    engine = db.make_engine(database_url)
    db.migrate(engine, "0002")
    reported = datetime(2026, 11, 20, 12, tzinfo=UTC)
    at = reported.replace(tzinfo=None) if engine.dialect.name == "sqlite" else reported
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO providers (id, name, name2, street, street2, city, state, zip, latitude, longitude, "
            "geocode_precision, location_source, geocell, offers_telehealth, phone, intake_phone, website, "
            "medications, medication_forms, settings, payment, insurance_plans, languages, services, populations, "
            "walk_in, hours, is_demo, data_notes, created_at, updated_at) VALUES (7, 'Old Clinic', '', "
            "'1 Main St', '', 'Dayton', 'OH', '45402', 39.75, -84.19, 'address', '', 0, false, '937-555-0100', '', "
            "'', 3, 0, 1, 1, '', 0, 0, 0, true, '', false, '', :at, :at)"), {"at": at})
        connection.execute(text(
            "INSERT INTO availability_reports (id, provider_id, accepting_new_patients, wait_days, walk_in, "
            "same_day_start, note, reported_at, reporter_kind) VALUES (1, 7, true, 4, null, null, 'kept', :at, "
            "'provider')"), {"at": at})
        connection.execute(text("UPDATE providers SET current_report_id = 1 WHERE id = 7"))
    db.migrate(engine)
    with Session(engine) as session:
        provider = session.get(Provider, 7)
        assert provider.current_report.note == "kept" and provider.current_report.medication is None
        assert provider.dosing_hours == "" and provider.counseling_required_to_start is None
        by_medication = availability_by_medication(provider, now=reported)
        assert set(by_medication) == {"buprenorphine", "methadone"}
        assert all(a.wait_days == 4 and a.for_all and a.days_to_first_dose == 4 for a in by_medication.values())
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                Base.metadata) == []
    engine.dispose()
