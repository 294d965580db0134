from datetime import timedelta

import pytest

from locator.availability import (
    add_report,
    availability_by_medication,
    availability_for,
    days_ago,
    days_to_first_dose,
    freshness,
    history,
)
from locator.models import utcnow
from locator.ranking import FRESHNESS_WEIGHT, UNKNOWN_DAYS, best_medication, expected_days
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


# ---- per medication, and days to a first dose ----

@pytest.mark.parametrize("said, days", [
    ({"accepting": True, "same_day_start": True, "wait_days": 9}, 0),
    ({"accepting": True, "walk_in": True, "first_dose_at_first_visit": True}, 0),
    ({"accepting": True, "walk_in": True, "first_dose_at_first_visit": True, "wait_days": 57}, 0),
    ({"accepting": True, "walk_in": True}, 0),
    ({"accepting": True, "walk_in": True, "first_dose_at_first_visit": False}, 1),
    ({"accepting": True, "wait_days": 5}, 5),
    ({"accepting": True, "wait_days": 5, "first_dose_at_first_visit": False}, 6),
    ({"accepting": True, "wait_days": 5, "first_dose_at_first_visit": True}, 5),
    ({"accepting": None, "wait_days": 2}, 2),
    ({"accepting": True}, None),
    ({"accepting": False, "wait_days": 0, "same_day_start": True}, None),
    ({}, None),
])
def test_days_to_a_first_dose_follow_the_documented_rules(said, days):
    assert days_to_first_dose(said.get("accepting"), said.get("wait_days"), said.get("walk_in"),
                              said.get("same_day_start"), said.get("first_dose_at_first_visit")) == days


def test_without_a_report_there_is_no_number_even_when_the_directory_says_same_day(session):
    provider = make_provider(session, same_day_start=True)
    assert availability_for(provider, "buprenorphine").days_to_first_dose is None


def test_a_medication_uses_its_newest_named_report_else_the_newest_for_all(session):
    provider = make_provider(session, medications=["buprenorphine", "methadone"],
                             report={"accepting_new_patients": True, "wait_days": 10, "age_days": 1})
    add_report(session, provider.id, reporter_kind="provider", medication="methadone", accepting_new_patients=True,
               wait_days=21, reported_at=days_ago(5))
    session.commit()
    session.expire_all()
    by_medication = availability_by_medication(provider)
    assert list(by_medication) == ["buprenorphine", "methadone"]
    assert (by_medication["buprenorphine"].wait_days, by_medication["buprenorphine"].for_all) == (10, True)
    # Named wins over a newer report for all: a clinic changes one medication's wait by naming it.
    assert (by_medication["methadone"].wait_days, by_medication["methadone"].for_all) == (21, False)


def test_a_named_report_arriving_late_does_not_replace_a_newer_one(session):
    provider = make_provider(session, medications=["methadone"])
    add_report(session, provider.id, reporter_kind="provider", medication="methadone", wait_days=3,
               reported_at=days_ago(1))
    add_report(session, provider.id, reporter_kind="import", medication="methadone", wait_days=40,
               reported_at=days_ago(9))
    session.commit()
    session.expire_all()
    assert availability_for(provider, "methadone").wait_days == 3
    assert len(history(session, provider.id)) == 2


def test_an_unknown_medication_is_refused(session):
    provider = make_provider(session)
    with pytest.raises(ValueError):
        add_report(session, provider.id, reporter_kind="provider", medication="aspirin")


def test_a_report_that_says_whether_counseling_is_required_sets_the_providers_fact(session):
    provider = make_provider(session)
    add_report(session, provider.id, reporter_kind="provider", counseling_required_to_start=False,
               reported_at=days_ago(1))
    add_report(session, provider.id, reporter_kind="import", counseling_required_to_start=True,
               reported_at=days_ago(30))
    session.commit()
    session.expire_all()
    assert provider.counseling_required_to_start is False  # the older report does not override it


def test_the_best_medication_is_the_soonest_trusted_first_dose(session):
    provider = make_provider(session, medications=["buprenorphine", "methadone", "naltrexone"])
    add_report(session, provider.id, reporter_kind="provider", medication="methadone", same_day_start=True,
               accepting_new_patients=True, reported_at=days_ago(150))  # stale
    add_report(session, provider.id, reporter_kind="provider", medication="buprenorphine", wait_days=3,
               accepting_new_patients=True, reported_at=days_ago(1))
    session.commit()
    session.expire_all()
    by_medication = availability_by_medication(provider)
    assert best_medication(by_medication) == "buprenorphine"
    assert best_medication(by_medication, asked=("methadone", "naltrexone")) == "methadone"
    assert expected_days(by_medication["naltrexone"]) == UNKNOWN_DAYS
