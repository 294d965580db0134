"""The desk's worklist: who most needs a call, in order, with filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from locator import calls, verification
from locator.availability import add_report, days_ago
from locator.models import Provider, utcnow
from locator.problems import add_problem
from locator.staff import create_staff
from locator.worklist import Filters, oldest_availability, worklist
from tests.factories import make_provider


@pytest.fixture
def staff_id(session):
    account = create_staff(session, "ana@example.org", "Ana Ruiz", "a long enough password")
    session.commit()
    return account.id


def _verified_fresh(session, provider, staff_id):
    verification.verify(session, provider.id, ["phone", "address"], "staff", staff_id=staff_id)
    add_report(session, provider.id, reporter_kind="caseworker", accepting_new_patients=True, wait_days=1)
    session.commit()


def test_it_orders_problems_then_stale_then_never_verified_then_unverified_phones(session, staff_id):
    fresh = make_provider(session, name="Fresh")
    _verified_fresh(session, fresh, staff_id)
    make_provider(session, name="Phone unverified", report={"accepting_new_patients": True,
                                                                               "age_days": 5})
    make_provider(session, name="Never")
    make_provider(session, name="Stale", report={"accepting_new_patients": True, "age_days": 90})
    reported = make_provider(session, name="Reported")
    _verified_fresh(session, reported, staff_id)
    add_problem(session, reported.id, "phone")
    session.commit()
    page = worklist(session)
    assert [(e.provider.name, e.reason) for e in page.entries] == [
        ("Reported", "problems"), ("Stale", "stale"), ("Never", "never_verified"),
        ("Phone unverified", "phone_unverified")]
    assert page.total == 4 and page.entries[0].open_problems == 1


def test_availability_is_as_old_as_the_oldest_medication_it_offers(session):
    provider = make_provider(session, medications=["buprenorphine", "methadone"])
    add_report(session, provider.id, reporter_kind="provider", medication="buprenorphine",
               accepting_new_patients=True, reported_at=days_ago(2))
    session.commit()

    def age():
        return session.scalar(select(oldest_availability()).select_from(Provider).where(Provider.id == provider.id))

    assert age() is None  # methadone was never reported
    add_report(session, provider.id, reporter_kind="provider", accepting_new_patients=True, reported_at=days_ago(70))
    session.commit()
    assert abs((utcnow() - age()) - timedelta(days=70)) < timedelta(minutes=1)
    assert [e.reason for e in worklist(session).entries] == ["stale"]


def test_closed_listings_are_left_out(session, staff_id):
    provider = make_provider(session)
    calls.close_listing(session, provider, staff_id, "Closed for good")
    session.commit()
    assert worklist(session).entries == []


def test_filters_narrow_by_state_county_source_and_medication(session):
    make_provider(session, name="Philly", county="Philadelphia")
    make_provider(session, name="Newark", state="NJ", county="Essex", medications=["methadone"])
    names = lambda **f: [e.provider.name for e in worklist(session, Filters(**f)).entries]  # noqa: E731
    assert names(state="NJ") == ["Newark"]
    assert names(county="philadelphia") == ["Philly"]
    assert names(medication="methadone") == ["Newark"]
    assert set(names(source="test")) == {"Philly", "Newark"}
    assert names(source="elsewhere") == []


def test_it_pages_fifty_at_a_time(session):
    for _ in range(51):
        make_provider(session)
    first, second = worklist(session, page=1), worklist(session, page=2)
    assert (len(first.entries), len(second.entries), first.total) == (50, 1, 51)
    assert not {e.provider.id for e in first.entries} & {e.provider.id for e in second.entries}


def test_a_listing_verified_but_never_reported_is_stale_and_comes_before_old_reports(session, staff_id):
    make_provider(session, name="Old", report={"accepting_new_patients": True, "age_days": 80})
    verified_only = make_provider(session, name="Verified only")
    verification.verify(session, verified_only.id, ["phone"], "staff", staff_id=staff_id)
    session.commit()
    assert [(e.provider.name, e.reason) for e in worklist(session).entries] == [
        ("Verified only", "stale"), ("Old", "stale")]
