"""Availability reasons are a pure function of a few values, worded once each and handed out fresh."""

from __future__ import annotations

from datetime import UTC, datetime

from locator.availability import freshness
from locator.ranking import Availability, availability_reasons


def _availability(reported_at, accepting=True, wait_days=3, now=None) -> Availability:
    return Availability(accepting, wait_days, None, None, reported_at, "caseworker", freshness(reported_at, now))


def test_reasons_are_worded_in_the_language_asked_for():
    a = _availability(datetime.now(UTC))
    english, spanish = availability_reasons(a, "en"), availability_reasons(a, "es")
    assert english == ["About 3 days' wait, reported by a caseworker today"]
    assert spanish[0].startswith("Espera de unos 3 días") and "hoy" in spanish[0]


def test_changing_a_list_of_reasons_changes_no_later_one():
    a = _availability(datetime.now(UTC))
    first = availability_reasons(a)
    first.append("something a caller added")
    assert availability_reasons(a) == ["About 3 days' wait, reported by a caseworker today"]


def test_a_stale_report_names_its_month_and_the_year_when_it_is_not_this_one():
    this_year = datetime.now(UTC).year
    old = _availability(datetime(this_year - 1, 3, 10, tzinfo=UTC))
    assert f"Availability not confirmed since March {this_year - 1}" in availability_reasons(old)
    assert f"Disponibilidad sin confirmar desde marzo {this_year - 1}" in availability_reasons(old, "es")
    if datetime.now(UTC).month > 4:  # a report from January of this year is stale by May
        january = _availability(datetime(this_year, 1, 5, tzinfo=UTC))
        assert "Availability not confirmed since January" in availability_reasons(january)


def test_no_report_asks_to_call():
    assert availability_reasons(_availability(None, accepting=None, wait_days=None)) == [
        "No availability reported yet: call to ask about openings"]
