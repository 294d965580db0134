"""Prepared statements give what SQLAlchemy's own execution gives, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, bindparam, literal, select

from locator.availability import days_ago
from locator.models import AvailabilityReport, Provider
from locator.prepared import Prepared
from tests.factories import make_provider


def test_it_returns_the_rows_sqlalchemy_returns_with_fixed_values_and_converted_dates(session):
    old = make_provider(session, name="Old report", report={"accepting_new_patients": True, "age_days": 40})
    make_provider(session, name="New report", report={"accepting_new_patients": True, "age_days": 2})
    statement = (select(Provider.id, Provider.name, literal(7).label("seven"))
                 .join(AvailabilityReport, AvailabilityReport.id == Provider.current_report_id)
                 .where(AvailabilityReport.reported_at < bindparam("before"))
                 .order_by(Provider.id))
    params = {"before": days_ago(30)}  # a datetime: stored as text on SQLite, converted on the way in
    expected = [tuple(r) for r in session.connection().execute(statement, params)]
    got = [tuple(r) for r in Prepared(statement).execute(session.connection(), params)]
    assert got == expected == [(old.id, "Old report", 7)]


def test_tuples_convert_each_column_as_the_orm_does(session):
    provider = make_provider(session, medications=["buprenorphine", "methadone"], walk_in=True,
                             report={"accepting_new_patients": True})
    statement = select(Provider.medications, Provider.walk_in, AvailabilityReport.reported_at).join(
        AvailabilityReport, AvailabilityReport.id == Provider.current_report_id).where(
        Provider.id == bindparam("id", type_=Integer))
    [row] = Prepared(statement).tuples(session.connection(), {"id": provider.id})
    session.expire_all()
    fresh = session.get(Provider, provider.id)
    assert row == [["buprenorphine", "methadone"], True, fresh.current_report.reported_at]
    assert row[2].tzinfo is not None


def test_a_missing_parameter_is_an_error_not_a_silent_null(session):
    statement = select(Provider.id).where(Provider.id == bindparam("id", type_=Integer))
    with pytest.raises(KeyError, match="id"):
        Prepared(statement).execute(session.connection(), {})


def test_expanding_parameters_are_refused(session):
    statement = select(Provider.id).where(Provider.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="expanding"):
        Prepared(statement).execute(session.connection(), {"ids": [1, 2]})


def test_it_compiles_once_per_dialect(session):
    statement = Prepared(select(Provider.id).where(Provider.id == bindparam("id", type_=Integer)))
    for n in range(3):
        statement.execute(session.connection(), {"id": n})
    assert len(statement._by_dialect) == 1


def test_nulls_go_through_the_column_types_as_with_sqlalchemy(session):
    from sqlalchemy import null, type_coerce

    from locator.models import TextList

    statement = select(type_coerce(null(), TextList()).label("plans"))
    assert Prepared(statement).tuples(session.connection(), {}) == [[[]]]
    assert [list(r) for r in session.connection().execute(statement)] == [[[]]]


def test_a_driver_error_is_wrapped_and_handled_as_sqlalchemy_does(session):
    from sqlalchemy import Column, MetaData, Table
    from sqlalchemy.exc import DBAPIError

    missing = Table("no_such_table", MetaData(), Column("id", Integer))
    with pytest.raises(DBAPIError) as raised:
        Prepared(select(missing.c.id)).execute(session.connection(), {})
    assert "no_such_table" in str(raised.value)
    assert not raised.value.connection_invalidated  # a bad statement is not a lost connection
    session.rollback()
    assert Prepared(select(literal(1))).execute(session.connection(), {}) == [(1,)]


def test_sqlalchemys_own_errors_come_out_as_they_are(session):
    from sqlalchemy.exc import ResourceClosedError

    connection = session.connection()
    connection.close()
    with pytest.raises(ResourceClosedError):
        Prepared(select(literal(1))).execute(connection, {})


def test_a_lost_connection_is_invalidated_and_reported_as_sqlalchemy_does(session):
    from sqlalchemy import Column, MetaData, Table, event
    from sqlalchemy.exc import DBAPIError

    engine = session.get_bind()

    def lost(context):  # the driver's error, seen as a dropped server connection
        context.is_disconnect = True

    event.listen(engine, "handle_error", lost)
    try:
        connection = session.connection()
        missing = Table("no_such_table", MetaData(), Column("id", Integer))
        with pytest.raises(DBAPIError) as raised:
            Prepared(select(missing.c.id)).execute(connection, {})
        assert raised.value.connection_invalidated and connection.invalidated
    finally:
        event.remove(engine, "handle_error", lost)
        session.rollback()


def test_a_fixed_value_cannot_be_given_as_a_parameter(session):
    statement = Prepared(select(Provider.id).where(Provider.id == literal(1)))
    with pytest.raises(ValueError, match="fixed"):
        statement.execute(session.connection(), {"param_1": 2})


def test_errors_never_show_the_values_of_a_statement(session):
    from sqlalchemy import Column, MetaData, Table
    from sqlalchemy.exc import DBAPIError

    missing = Table("no_such_table", MetaData(), Column("lat", Integer))
    statement = Prepared(select(missing.c.lat).where(missing.c.lat == bindparam("lat", type_=Integer)))
    with pytest.raises(DBAPIError) as raised:
        statement.execute(session.connection(), {"lat": 40123})
    assert "40123" not in str(raised.value) and "parameters hidden" in str(raised.value)
    session.rollback()
