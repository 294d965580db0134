"""Recording calls at the desk: availability, verified facts, a bad phone, a closed listing,
resolved problem reports, the contact email, and the audit entry each leaves."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from locator import audit, calls, verification
from locator.availability import availability_for
from locator.desk_models import AuditEntry, DeskCall
from locator.models import ProblemReport
from locator.problems import add_problem, cautions
from locator.search import search
from locator.search_query import SearchQuery
from locator.staff import create_staff
from tests.factories import PHILLY, make_provider


@pytest.fixture
def staff_id(session):
    account = create_staff(session, "ana@example.org", "Ana Ruiz", "a long enough password")
    session.commit()
    return account.id


HERE = SimpleNamespace(latitude=PHILLY[0], longitude=PHILLY[1], state="PA", label="19104", precision="zip")


def _search_ids(session) -> list[int]:
    return [r.provider.id for r in search(session, SearchQuery(location="19104", radius=25), HERE).results]


def test_a_reached_call_becomes_a_caseworker_report_attributed_to_the_staff_member(session, staff_id):
    provider = make_provider(session, medications=["buprenorphine", "methadone"])
    calls.record_call(session, provider, staff_id, "reached",
                      answers={"medication": "methadone", "accepting_new_patients": True, "wait_days": 3},
                      verified=["phone", "payment"])
    session.commit()
    session.expire_all()
    methadone = availability_for(provider, "methadone")
    assert (methadone.reported_by, methadone.wait_days, methadone.accepting_new_patients) == ("caseworker", 3, True)
    assert provider.reports[0].staff_id == staff_id
    facts = verification.verified(session, [provider.id])[provider.id]
    assert set(facts) == {"phone", "payment"} and facts["phone"].kind == "staff"
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.actor, entry.action, entry.staff_id, entry.provider_id) == ("staff", "call_recorded", staff_id,
                                                                             provider.id)
    assert '"outcome": "reached"' in entry.detail and '"verified": ["phone", "payment"]' in entry.detail


def test_no_answer_keeps_only_the_call(session, staff_id):
    provider = make_provider(session)
    calls.record_call(session, provider, staff_id, "no_answer")
    session.commit()
    assert session.scalars(select(DeskCall.outcome)).all() == ["no_answer"]
    assert provider.reports == [] and verification.verified(session, [provider.id]) == {}


def test_a_wrong_number_marks_the_phone_bad_until_staff_verify_a_phone_again(session, staff_id):
    provider = make_provider(session)
    calls.record_call(session, provider, staff_id, "wrong_number")
    session.commit()
    assert provider.phone_bad_at is not None
    calls.record_call(session, provider, staff_id, "reached", verified=["phone"])
    session.commit()
    session.refresh(provider)
    assert provider.phone_bad_at is None


def test_a_closed_listing_leaves_search_with_its_reason_and_can_come_back(session, staff_id):
    open_one, closing = make_provider(session), make_provider(session, miles_north=1)
    assert set(_search_ids(session)) == {open_one.id, closing.id}
    calls.record_call(session, closing, staff_id, "closed", reason="Moved to Camden in October")
    session.commit()
    assert closing.closed_reason == "Moved to Camden in October"
    assert _search_ids(session) == [open_one.id]
    calls.reopen_listing(session, closing, staff_id)
    session.commit()
    assert set(_search_ids(session)) == {open_one.id, closing.id}
    assert [e.action for e in audit.entries(session)] == ["call_recorded", "listing_reopened"]


@pytest.mark.parametrize("outcome, kwargs, code", [
    ("wrong_number", {"verified": ["phone"]}, "verified_unreached"),
    ("no_answer", {"answers": {"accepting_new_patients": True}}, "answers_unreached"),
    ("reached", {"verified": ["fax"]}, "unknown_fact"),
    ("busy", {}, "unknown_outcome"),
])
def test_a_call_that_cannot_be_so_is_refused_and_writes_nothing(session, staff_id, outcome, kwargs, code):
    provider = make_provider(session)
    with pytest.raises(calls.CallInvalid) as refused:
        calls.record_call(session, provider, staff_id, outcome, **kwargs)
    assert refused.value.code == code
    session.rollback()
    assert session.scalars(select(DeskCall)).all() == [] and session.scalars(select(AuditEntry)).all() == []


def test_resolving_problem_reports_lifts_the_caution(session, staff_id):
    provider, other = make_provider(session), make_provider(session)
    first = add_problem(session, provider.id, "phone")
    add_problem(session, provider.id, "phone")
    elsewhere = add_problem(session, other.id, "phone")
    session.commit()
    assert provider.id in cautions(session, [provider.id])
    resolved = calls.resolve_problems(session, provider, staff_id, [first.id, elsewhere.id, 999])
    session.commit()
    assert resolved == [first.id]  # another listing's report is not resolved from here
    assert cautions(session, [provider.id]) == {}
    assert session.get(ProblemReport, elsewhere.id).resolved_at is None


def test_a_contact_email_is_kept_lower_case_and_a_bad_one_refused(session, staff_id):
    provider = make_provider(session)
    calls.set_contact_email(session, provider, staff_id, " Intake@Example.ORG ", "es")
    assert (provider.contact_email, provider.contact_language) == ("intake@example.org", "es")
    with pytest.raises(calls.CallInvalid) as refused:
        calls.set_contact_email(session, provider, staff_id, "not an address", "en")
    assert refused.value.code == "not_email"
