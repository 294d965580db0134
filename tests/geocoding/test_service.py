"""The geocoding service: offline answers, the remote path through a fake geopy adapter, its
fallback to the ZIP or city inside an address, the cache, settings, reverse and place_provider."""

from __future__ import annotations

import hmac
import time
from datetime import UTC, datetime, timedelta

import pytest
from geopy.adapters import AdapterHTTPError
from geopy.exc import GeocoderQuotaExceeded, GeocoderServiceError, GeocoderTimedOut
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from locator.config import ConfigError
from locator.geocoding import (
    GeocodeError,
    GeocodingService,
    InvalidLocation,
    LocationAmbiguous,
    LocationNotFound,
    build_service,
    cache,
)
from locator.geocoding import remote as remote_module
from locator.geocoding.normalize import cache_key
from locator.models import GeocodeCache
from tests.geocoding.conftest import REMOTE_SETTINGS, ScriptedAdapter, nominatim_answer

ADDRESS = "123 Main St, Dayton, OH 45402"
DAYTON_ANSWER = nominatim_answer(39.7589, -84.1916,
                                 "123, Main Street, Dayton, Montgomery County, Ohio, 45402, United States")


def cached_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(GeocodeCache))


# Offline (the default) -----------------------------------------------------------------------

def test_it_is_offline_unless_told_otherwise():
    service = build_service({})
    assert service.remote is None and service.name == "offline"


@pytest.mark.parametrize("query,label", [("19104", "19104, Philadelphia, PA"), ("dayton oh", "Dayton, OH"),
                                         ("St. Louis, Missouri", "Saint Louis, MO"),
                                         ("Ft Worth TX", "Fort Worth, TX"),
                                         ("40.7128,-74.0060", "10007, New York, NY")])
def test_it_answers_the_issue_examples_offline(offline, query, label):
    assert offline.locate(query).label == label


def test_offline_it_places_a_street_address_at_its_zip_with_reduced_precision(offline):
    found = offline.locate(ADDRESS)
    assert (found.label, found.precision, found.reduced) == ("45402, Dayton, OH", "zip", True)


def test_offline_it_places_a_street_address_without_zip_at_its_city(offline):
    for query in ("123 Main St, Dayton, OH", "123 Main St Fort Worth TX", "4 Elm Street, Honolulu"):
        found = offline.locate(query)
        assert found.precision == "city" and found.reduced


def test_offline_it_asks_for_a_zip_when_an_address_names_no_place(offline):
    with pytest.raises(LocationNotFound, match="address_without_zip"):
        offline.locate("123 Main St")


def test_an_address_in_an_ambiguous_city_lists_the_cities(offline):
    with pytest.raises(LocationAmbiguous):
        offline.locate("123 Main St, Springfield")


def test_it_turns_an_unexpected_failure_into_a_not_found_message(offline, monkeypatch):
    def broken(gazetteer, text):
        raise RuntimeError("bug")

    monkeypatch.setattr("locator.geocoding.resolver.resolve_clean", broken)
    with pytest.raises(LocationNotFound, match="not_understood"):
        offline.locate("19104")


@pytest.mark.parametrize("query", [None, 19104, b"19104"])
def test_it_rejects_a_query_that_is_not_text(offline, query):
    with pytest.raises(InvalidLocation):
        offline.locate(query)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=250))
def test_locate_never_raises_anything_but_a_geocode_error(query):
    service = build_service({})
    try:
        service.locate(query)
    except GeocodeError as error:
        assert error.code in ("location_not_found", "location_ambiguous", "invalid_location")


# The remote geocoder -------------------------------------------------------------------------

def test_it_answers_a_street_address_from_the_remote_geocoder(remote, script):
    script.then(DAYTON_ANSWER)
    found = remote.locate(ADDRESS)
    assert (found.latitude, found.longitude) == (39.759, -84.192)  # the block, not the door
    assert found.label == "45402, Dayton, OH"  # the ZIP's label: the street is the person's own
    assert (found.precision, found.state, found.zip, found.reduced) == ("address", "OH", "45402", False)
    assert "geocoder.invalid" in script.calls[0]["url"]
    assert 2.5 < script.calls[0]["timeout"] <= 3.0  # what is left of GEOCODER_TIMEOUT
    assert "moud-locator-tests" in script.calls[0]["headers"]["User-Agent"]


@pytest.mark.parametrize("query", ["19104", "Dayton, OH", "Springfield, IL", "40.7128,-74.0060", "Ohio",
                                   "Springfield", "99999", "Dayton, OH 45402", "29 Palms, CA"])
def test_it_never_sends_zips_cities_states_or_points_to_the_remote_geocoder(remote, script, query):
    try:
        remote.locate(query)
    except GeocodeError:
        pass
    assert script.calls == []


@pytest.mark.parametrize("failure", [
    GeocoderTimedOut("timed out"), GeocoderServiceError("500"), GeocoderQuotaExceeded("quota"),
    AdapterHTTPError("too many requests", status_code=429, headers={}, text=""),
    AdapterHTTPError("bad gateway", status_code=502, headers={}, text=""),
    RuntimeError("the adapter broke"), ConnectionError("refused")])
def test_when_the_remote_geocoder_fails_it_falls_back_to_the_zip_in_the_address(remote, script, failure):
    script.then(failure)
    found = remote.locate(ADDRESS)
    assert (found.label, found.precision, found.reduced) == ("45402, Dayton, OH", "zip", True)
    assert len(script.calls) == 1


def test_when_the_remote_geocoder_fails_it_falls_back_to_the_city_in_the_address(remote, script):
    script.then(GeocoderTimedOut("timed out"))
    found = remote.locate("123 Main St, Dayton, OH")
    assert (found.label, found.precision, found.reduced) == ("Dayton, OH", "city", True)


def test_when_the_remote_geocoder_fails_and_the_address_names_no_place_it_asks_for_a_zip(remote, script):
    script.then(GeocoderTimedOut("timed out"))
    with pytest.raises(LocationNotFound, match="address_without_zip"):
        remote.locate("123 Main St")


def test_when_the_remote_geocoder_finds_nothing_it_falls_back(remote, script):
    script.then([])
    assert remote.locate(ADDRESS).reduced


@pytest.mark.parametrize("answer", [nominatim_answer(48.8566, 2.3522, "Rue de Rivoli, Paris, France"),
                                    nominatim_answer(29.9, -94.9, "Main Street, Dayton, Texas, United States")])
def test_it_rejects_a_remote_answer_outside_the_us_or_far_from_the_named_place(remote, script, answer):
    script.then(answer)
    found = remote.locate(ADDRESS)
    assert (found.label, found.reduced) == ("45402, Dayton, OH", True)


def test_it_asks_nominatim_for_us_answers_only(remote, script):
    script.then(DAYTON_ANSWER)
    remote.locate(ADDRESS)
    assert "countrycodes=us" in script.calls[0]["url"]


def test_it_pauses_between_calls_when_the_service_asks_for_it(remote, script):
    script.then(DAYTON_ANSWER, DAYTON_ANSWER)
    remote.remote.min_interval = 0.2
    started = time.monotonic()
    remote.locate(ADDRESS)
    remote.locate(ADDRESS)
    assert time.monotonic() - started >= 0.19


def test_public_nominatim_is_asked_at_most_once_a_second():
    service = build_service({**REMOTE_SETTINGS, "GEOCODER_DOMAIN": "", "GEOCODER_USER_AGENT": "x (x@example.org)"},
                            adapter_factory=lambda **kw: ScriptedAdapter(None, **kw))
    assert service.remote.min_interval == 1.0


def test_a_turn_that_would_come_after_the_timeout_is_not_waited_for(remote, script):
    script.then(DAYTON_ANSWER)
    remote.remote.min_interval, remote.remote.timeout = 5.0, 0.5
    remote.locate(ADDRESS)  # takes the turn
    started = time.monotonic()
    found = remote.locate("9 Elm St, Dayton, OH 45402")  # its turn would come in 5 s
    assert time.monotonic() - started < 0.3 and found.reduced and len(script.calls) == 1


def test_the_remote_geocoder_never_retries_on_its_own():
    from geopy.adapters import URLLibAdapter

    service = build_service(REMOTE_SETTINGS)
    assert isinstance(service.remote.geocoder.adapter, URLLibAdapter)  # geopy's requests adapter retries twice


def test_after_three_failures_in_a_row_it_stops_asking_for_a_minute(remote, script, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(remote_module.time, "monotonic", lambda: clock[0])
    script.then(GeocoderTimedOut("1"), GeocoderServiceError("2"), GeocoderTimedOut("3"), DAYTON_ANSWER)
    for _ in range(3):
        assert remote.locate(ADDRESS).reduced
    assert remote.remote.open and len(script.calls) == 3
    assert remote.locate(ADDRESS).reduced and len(script.calls) == 3  # not asked: the ZIP at once
    clock[0] += remote_module.OPEN_SECONDS + 1
    assert not remote.locate(ADDRESS).reduced and len(script.calls) == 4 and not remote.remote.open


def test_a_success_between_failures_keeps_the_breaker_closed(remote, script):
    script.then(GeocoderTimedOut("1"), GeocoderTimedOut("2"), DAYTON_ANSWER, GeocoderTimedOut("3"), DAYTON_ANSWER)
    for _ in range(5):
        remote.locate(ADDRESS)
    assert len(script.calls) == 5 and not remote.remote.open


# The cache -----------------------------------------------------------------------------------

def test_it_serves_a_repeated_address_from_the_cache(remote, script, session):
    script.then(DAYTON_ANSWER)
    first = remote.locate(ADDRESS, session=session)
    second = remote.locate(ADDRESS, session=session)
    assert first == second
    assert len(script.calls) == 1
    row = session.scalars(select(GeocodeCache)).one()
    key = cache.derive_key(REMOTE_SETTINGS["SECRET_KEY"])
    assert row.query_hash == hmac.new(key, cache_key(ADDRESS).encode(), "sha256").hexdigest()
    assert (row.latitude, row.longitude, row.precision) == (39.759, -84.192, "address")  # the block, not the door
    assert row.label == "45402, Dayton, OH"
    assert row.expires_at > datetime.now(UTC) + timedelta(days=29)


def test_it_caches_under_the_normalised_query(remote, script, session):
    script.then(DAYTON_ANSWER)
    remote.locate(ADDRESS, session=session)
    assert remote.locate("123  main st dayton oh 45402", session=session).precision == "address"
    assert len(script.calls) == 1


def test_it_keeps_nothing_a_person_typed(remote, script, session):
    script.then(DAYTON_ANSWER)
    remote.locate(ADDRESS, session=session)
    row = session.scalars(select(GeocodeCache)).one()
    stored = " ".join(str(getattr(row, c)) for c in GeocodeCache.__table__.columns.keys()).lower()
    assert "main" not in stored and "123" not in stored
    assert set(GeocodeCache.__table__.columns.keys()) == {
        "query_hash", "latitude", "longitude", "label", "precision", "expires_at"}


def test_a_guessed_address_cannot_be_tested_without_the_secret_key(remote, script, session):
    import hashlib

    script.then(DAYTON_ANSWER)
    remote.locate(ADDRESS, session=session)
    guess = hashlib.sha256(cache_key(ADDRESS).encode()).hexdigest()
    assert session.get(GeocodeCache, guess) is None
    other = build_service({**REMOTE_SETTINGS, "SECRET_KEY": "another-secret-key-0123456789"},
                          adapter_factory=lambda **kw: ScriptedAdapter(script, **kw))
    script.then(DAYTON_ANSWER)
    other.locate(ADDRESS, session=session)
    assert cached_rows(session) == 2 and len(script.calls) == 2  # another key, another row


def test_writing_a_row_deletes_the_expired_ones_and_purge_deletes_the_rest(remote, script, session):
    for n in range(3):
        session.add(GeocodeCache(query_hash=f"old-{n}", latitude=39.0, longitude=-84.0, label="x",
                                 precision="address", expires_at=datetime.now(UTC) - timedelta(days=1)))
    session.commit()
    script.then(DAYTON_ANSWER)
    remote.locate(ADDRESS, session=session)
    assert cached_rows(session) == 1
    session.add(GeocodeCache(query_hash="old-again", latitude=39.0, longitude=-84.0, label="x",
                             precision="address", expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    session.commit()
    assert cache.purge(session) == 1
    session.commit()
    assert cached_rows(session) == 1


def test_it_ignores_an_expired_cache_row(remote, script, session):
    key = cache.cache_key(cache.derive_key(REMOTE_SETTINGS["SECRET_KEY"]), ADDRESS)
    session.add(GeocodeCache(query_hash=key, latitude=39.0, longitude=-84.0, label="old answer",
                             precision="address", expires_at=datetime.now(UTC) - timedelta(days=1)))
    session.commit()
    script.then(DAYTON_ANSWER)
    found = remote.locate(ADDRESS, session=session)
    assert found.latitude == 39.759 and len(script.calls) == 1
    session.expire_all()
    assert session.get(GeocodeCache, key).expires_at > datetime.now(UTC)


def test_it_does_not_cache_a_fallback(remote, script, session):
    script.then(GeocoderTimedOut("timed out"), DAYTON_ANSWER)
    assert remote.locate(ADDRESS, session=session).reduced
    assert cached_rows(session) == 0
    assert not remote.locate(ADDRESS, session=session).reduced


def test_without_a_session_nothing_is_cached(remote, script):
    script.then(DAYTON_ANSWER, DAYTON_ANSWER)
    remote.locate(ADDRESS)
    remote.locate(ADDRESS)
    assert len(script.calls) == 2


def test_an_unreadable_cache_is_skipped(remote, script, session):
    GeocodeCache.__table__.drop(session.get_bind())
    script.then(DAYTON_ANSWER)
    assert remote.locate(ADDRESS, session=session).precision == "address"


# Settings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes,complaint", [
    ({"GEOCODER": "census"}, "not a geocoder that geopy provides"),
    ({"GEOCODER": "pelias", "GEOCODER_DOMAIN": ""}, "could not be set up"),
    ({"GEOCODER_API_KEY": "secret"}, "takes no API key"),
    ({"GEOCODER": "here", "GEOCODER_API_KEY": "k"}, "has no domain"),
    ({"GEOCODER": "opencage", "GEOCODER_DOMAIN": ""}, "could not be set up")])
def test_a_remote_geocoder_that_cannot_be_built_is_a_config_error(changes, complaint):
    with pytest.raises(ConfigError, match=complaint):
        build_service({**REMOTE_SETTINGS, **changes})


def test_a_domain_with_a_scheme_sets_both():
    service = build_service({**REMOTE_SETTINGS, "GEOCODER": "photon", "GEOCODER_DOMAIN": "http://localhost:2322/"})
    assert (service.remote.geocoder.domain, service.remote.geocoder.scheme) == ("localhost:2322", "http")


def test_an_api_key_is_passed_to_a_geocoder_that_takes_one():
    service = build_service({**REMOTE_SETTINGS, "GEOCODER": "opencage", "GEOCODER_DOMAIN": "",
                             "GEOCODER_API_KEY": "k-123"})
    assert service.remote.geocoder.api_key == "k-123"


def test_it_reads_the_settings_of_load_settings():
    from locator.config import load_settings

    service = build_service(load_settings({"LOCATOR_ENV": "testing", "GEOCODE_CACHE_DAYS": "7"}))
    assert service.remote is None and service.cache_days == 7


# Reverse and place_provider ------------------------------------------------------------------

def test_reverse_answers_the_nearest_zip(offline):
    found = offline.reverse(39.9526, -75.1652)
    assert found.label.endswith(", Philadelphia, PA") and found.precision == "zip"
    assert found.zip and found.state == "PA"


@pytest.mark.parametrize("lat,lon", [(float("nan"), 0), (91, 0), (0, 181), ("north", "west"), (None, None),
                                     (0, 0), (float("inf"), 1)])
def test_reverse_rejects_points_it_cannot_use(offline, lat, lon):
    with pytest.raises(InvalidLocation):
        offline.reverse(lat, lon)


def test_place_provider_uses_the_zip_first(offline):
    assert offline.place_provider("1 Main St", "Dayton", "OH", "45402-1234") == (39.7563, -84.1895, "zip")


def test_place_provider_uses_the_city_when_the_zip_is_missing_or_in_another_state(offline):
    dayton = offline.locate("Dayton, OH")
    for zip_code in ("", "19104", "99999"):
        assert offline.place_provider("", "Dayton", "Ohio", zip_code) == (dayton.latitude, dayton.longitude,
                                                                         "city")


def test_place_provider_restores_leading_zeros_that_spreadsheets_drop(offline):
    assert offline.place_provider("", "", "MA", "2134")[2] == "zip"
    assert offline.place_provider("", "", "MA", "2134")[:2] == (42.3535, -71.1329)


def test_place_provider_returns_none_when_nothing_is_known(offline):
    assert offline.place_provider("", "Nowheresville", "OH", "") is None
    assert offline.place_provider("", "", "", "") is None


def test_place_provider_never_calls_the_remote_geocoder(remote, script):
    assert remote.place_provider("123 Main St", "Dayton", "OH", "45402")[2] == "zip"
    assert script.calls == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=20), st.text(max_size=12))
def test_place_provider_never_raises(street, city, state, zip_code):
    result = GeocodingService().place_provider(street, city, state, zip_code)
    assert result is None or result[2] in ("zip", "city")
