"""The data's health (locator.data_health): freshness by state, open problem reports, calls this week."""

from datetime import timedelta

from locator.availability import add_report, days_ago
from locator.data_health import data_health
from locator.desk_models import DeskCall
from locator.models import utcnow
from locator.problems import add_problem
from locator.staff import create_staff
from tests.factories import make_provider


def reported(age_days: int, **fields) -> dict:
    return dict(report={"age_days": age_days, "reporter_kind": "caseworker", "accepting_new_patients": True,
                        "wait_days": 2}, **fields)


def by_state(session) -> dict:
    return {s.state: (s.listings, s.fresh_14, s.fresh_60) for s in data_health(session).states}


def test_it_counts_a_ten_day_old_report_fresh_within_14_and_60_days(session):
    make_provider(session, **reported(10))
    assert by_state(session) == {"PA": (1, 1, 1)}


def test_it_counts_a_thirty_day_old_report_fresh_within_60_days_only(session):
    make_provider(session, **reported(30))
    assert by_state(session) == {"PA": (1, 0, 1)}


def test_it_counts_a_listing_never_reported_fresh_in_neither(session):
    make_provider(session)
    make_provider(session, **reported(90))
    assert by_state(session) == {"PA": (2, 0, 0)}


def test_it_groups_by_state_and_leaves_closed_listings_out(session):
    make_provider(session, **reported(3))
    make_provider(session, state="NJ", **reported(20))
    make_provider(session, state="NJ")
    make_provider(session, state="DE", closed_at=utcnow(), **reported(1))
    make_provider(session, closed_at=utcnow(), **reported(1))
    health = data_health(session)
    assert [(s.state, s.listings, s.fresh_14, s.fresh_60) for s in health.states] == \
        [("NJ", 2, 0, 1), ("PA", 1, 1, 1)]
    assert health.states[0].share_60 == 0.5


def test_it_takes_a_listings_oldest_medication_as_its_age(session):
    both = make_provider(session, medications=["buprenorphine", "methadone"], **reported(30))
    add_report(session, both.id, reporter_kind="provider", medication="methadone", accepting_new_patients=True,
               wait_days=0, reported_at=days_ago(1))
    session.commit()
    assert by_state(session) == {"PA": (1, 0, 1)}


def test_it_buckets_open_problem_reports_by_age(session):
    provider = make_provider(session)
    for days in (0, 3, 8, 30, 45):
        add_problem(session, provider.id, "phone", reported_at=utcnow() - timedelta(days=days, hours=1))
    add_problem(session, provider.id, "closed", reported_at=utcnow() - timedelta(days=90)).resolved_at = utcnow()
    session.commit()
    problems = data_health(session).problems
    assert problems.count == 5
    assert dict(problems.buckets) == {"under_7": 2, "7_to_30": 1, "over_30": 2}
    assert problems.oldest_days == 45


def test_it_reports_no_open_problems_as_zeros(session):
    problems = data_health(session).problems
    assert (problems.count, dict(problems.buckets), problems.oldest_days) == \
        (0, {"under_7": 0, "7_to_30": 0, "over_30": 0}, None)


def test_it_counts_the_calls_of_the_last_seven_days_by_outcome(session):
    provider = make_provider(session)
    staff = create_staff(session, "desk@example.org", "Desk", "a long enough password")
    now = utcnow()
    for outcome, days in [("reached", 0), ("reached", 6), ("no_answer", 2), ("closed", 8), ("wrong_number", 30)]:
        session.add(DeskCall(provider_id=provider.id, staff_id=staff.id, outcome=outcome,
                             called_at=now - timedelta(days=days)))
    session.commit()
    calls = data_health(session, now=now).calls
    assert calls.total == 3
    assert calls.outcomes == (("reached", 2), ("no_answer", 1), ("wrong_number", 0), ("closed", 0))
