"""The audit log: appended by every staff action, never changed, printed by `flask audit`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from locator import audit, db
from locator.desk_models import AuditEntry, AuditLogIsAppendOnly
from locator.staff import create_staff


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(session):
    entry = audit.record(session, "operator", "staff_created", staff_id=1)
    session.commit()
    entry.action = "nothing_happened"
    with pytest.raises(AuditLogIsAppendOnly):
        session.commit()
    session.rollback()
    session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        session.commit()


@pytest.mark.parametrize("statement", [update(AuditEntry).values(action="rewritten"), delete(AuditEntry)])
def test_the_database_refuses_to_change_or_delete_an_entry(session, statement):
    audit.record(session, "operator", "staff_created", staff_id=1)
    session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        session.execute(statement)
        session.commit()
    session.rollback()
    assert session.scalars(select(AuditEntry.action)).all() == ["staff_created"]


def test_the_database_refuses_raw_sql_too(app):
    with app.app_context():
        engine = db.get_engine()
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO audit_log (at, actor, action, detail) "
                                    "VALUES (CURRENT_TIMESTAMP, 'operator', 'x', '{}')"))
        with pytest.raises(DatabaseError, match="append-only"):
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM audit_log"))


def test_an_unknown_actor_is_refused(session):
    with pytest.raises(ValueError):
        audit.record(session, "visitor", "looked")


def test_the_command_prints_the_log_from_a_date_on(runner, session):
    account = create_staff(session, "ana@example.org", "Ana Ruiz", "a long enough password")
    audit.record(session, "staff", "call_recorded", staff_id=account.id, provider_id=7, outcome="reached",
                 at=datetime(2026, 11, 1, 9, tzinfo=UTC))
    audit.record(session, "confirmation", "confirmation_answered", confirmation_id=12, provider_id=7,
                 at=datetime(2026, 11, 20, 9, tzinfo=UTC))
    session.commit()
    lines = runner.invoke(args=["audit"]).output.splitlines()
    assert lines[0].split("\t") == ["2026-11-01T09:00:00+00:00", f"staff {account.id} (Ana Ruiz)", "call_recorded",
                                    "provider 7", '{"outcome": "reached"}']
    assert lines[1].split("\t")[1:3] == ["confirmation 12", "confirmation_answered"]
    since = runner.invoke(args=["audit", "--since", "2026-11-10"]).output.splitlines()
    assert [line.split("\t")[2] for line in since] == ["confirmation_answered"]
    assert runner.invoke(args=["audit", "--since", "yesterday"]).exit_code == 2


def test_creating_and_disabling_staff_is_audited_as_the_operators(runner, app):
    runner.invoke(args=["create-staff", "ana@example.org", "--name", "Ana"], input="a long enough password\n")
    runner.invoke(args=["disable-staff", "ana@example.org"])
    with app.app_context():
        with db.new_session() as session:
            entries = list(audit.entries(session))
    assert [(e.actor, e.action, e.detail) for e in entries] == [
        ("operator", "staff_created", {"staff": "1 (Ana)"}), ("operator", "staff_disabled", {"staff": "1 (Ana)"})]
