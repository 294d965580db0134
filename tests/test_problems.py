"""Problem reports (locator.problems): what is accepted, and when a listing carries a caution."""

from datetime import timedelta

import pytest

from locator.models import ProblemReport, utcnow
from locator.problems import ProblemInvalid, add_problem, cautions, read_problem
from tests.factories import make_provider


def test_a_report_is_a_kind_and_optional_details():
    assert read_problem({"kind": "phone"}) == {"kind": "phone", "details": ""}
    assert read_problem({"kind": "closed", "details": "  sign  on the door "}) == \
        {"kind": "closed", "details": "sign on the door"}


@pytest.mark.parametrize("body, field, code", [
    ({}, "kind", "required"), ({"kind": "rude"}, "kind", "unknown_kind"), ({"kind": 3}, "kind", "unknown_kind"),
    ({"kind": "other", "details": "x" * 501}, "details", "too_long"),
    ({"kind": "other", "details": "call 555\u202e0100"}, "details", "invisible_characters"),
    ({"kind": "other", "details": "a\x00b"}, "details", "control_characters"),
    ({"kind": "other", "details": 5}, "details", "not_text"),
    ({"kind": "other", "name": "Ann"}, "name", "unknown_field"),
])
def test_bad_reports_name_the_field(body, field, code):
    with pytest.raises(ProblemInvalid) as caught:
        read_problem(body)
    assert caught.value.errors[field].code == code


def test_two_open_phone_reports_within_30_days_make_a_caution(session):
    provider = make_provider(session)
    add_problem(session, provider.id, "phone", reported_at=utcnow() - timedelta(days=3))
    session.commit()
    assert cautions(session, [provider.id]) == {}
    add_problem(session, provider.id, "phone")
    session.commit()
    caution = cautions(session, [provider.id])[provider.id]
    assert caution.kind == "phone" and caution.since == utcnow().date()


def test_old_resolved_or_other_reports_make_no_caution(session):
    old, resolved, other = (make_provider(session) for _ in range(3))
    for _ in range(2):
        add_problem(session, old.id, "closed", reported_at=utcnow() - timedelta(days=31))
        add_problem(session, other.id, "payment")
        report = add_problem(session, resolved.id, "phone")
        report.resolved_at = utcnow()
    session.commit()
    assert cautions(session, [old.id, resolved.id, other.id]) == {}


def test_a_closing_outweighs_a_phone_caution(session):
    provider = make_provider(session)
    for kind in ("phone", "phone", "closed", "closed"):
        add_problem(session, provider.id, kind)
    session.commit()
    assert cautions(session, [provider.id])[provider.id].kind == "closed"


def test_nothing_about_the_sender_is_a_column():
    assert {c.name for c in ProblemReport.__table__.columns} == \
        {"id", "provider_id", "kind", "details", "reported_at", "resolved_at"}
