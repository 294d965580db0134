from datetime import timedelta

from locator.availability import add_report, days_ago, freshness, history
from locator.models import utcnow
from locator.ranking import FRESHNESS_WEIGHT
from tests.factories import make_provider


def test_freshness_is_fresh_to_14_days_ageing_to_60_then_stale():
    now = utcnow()
    assert freshness(now - timedelta(days=14), now).key == "fresh"
    assert freshness(now - timedelta(days=15), now).key == "ageing"
    assert freshness(now - timedelta(days=60), now).key == "ageing"
    assert freshness(now - timedelta(days=61), now).key == "stale"
    assert freshness(None, now).key == "unknown"


def test_stale_reports_weigh_less_than_fresh_ones():
    now = utcnow()
    weights = [FRESHNESS_WEIGHT[freshness(now - timedelta(days=d), now).key] for d in (1, 30, 90)]
    assert weights == sorted(weights, reverse=True) and weights[2] < 0.5


def test_a_new_report_becomes_current_and_the_old_one_is_kept(session):
    provider = make_provider(session, report={"accepting_new_patients": True, "wait_days": 10, "age_days": 5})
    add_report(session, provider.id, reporter_kind="caseworker", wait_days=2, accepting_new_patients=True)
    session.commit()
    session.expire_all()
    assert provider.current_report.wait_days == 2
    assert [r.wait_days for r in history(session, provider.id)] == [2, 10]


def test_an_older_report_arriving_late_does_not_replace_a_newer_one(session):
    provider = make_provider(session, report={"wait_days": 1, "age_days": 1})
    add_report(session, provider.id, reporter_kind="import", wait_days=30, reported_at=days_ago(20))
    session.commit()
    session.expire_all()
    assert provider.current_report.wait_days == 1
    assert len(history(session, provider.id)) == 2


def test_two_reports_at_the_same_moment_are_both_kept_and_the_last_written_wins(session):
    provider = make_provider(session)
    moment = utcnow()
    add_report(session, provider.id, reporter_kind="provider", wait_days=4, reported_at=moment)
    add_report(session, provider.id, reporter_kind="caseworker", wait_days=6, reported_at=moment)
    session.commit()
    session.expire_all()
    assert len(history(session, provider.id)) == 2
    assert provider.current_report.wait_days == 6


def test_a_wait_outside_0_to_365_days_is_refused(session):
    provider = make_provider(session)
    for bad in (-1, 366):
        try:
            add_report(session, provider.id, reporter_kind="provider", wait_days=bad)
        except ValueError as exc:
            assert "wait_days" in str(exc)
        else:
            raise AssertionError("accepted a bad wait")
