"""`flask geocode QUERY`: LAT,LON<TAB>LABEL<TAB>PRECISION; exit 1 not found, 3 ambiguous."""

from __future__ import annotations

import re

import pytest

from locator.geocoding import build_service
from tests.geocoding.conftest import REMOTE_SETTINGS, Script, ScriptedAdapter, nominatim_answer

LINE = re.compile(r"^(-?\d+\.\d{6}),(-?\d+\.\d{6})\t([^\t]+)\t(address|zip|city|county|point)$")


def geocode(runner, query):
    return runner.invoke(args=["geocode", query])


@pytest.mark.parametrize("query,label,precision,lat,lon", [
    ("19104", "19104, Philadelphia, PA", "zip", 39.96, -75.20),
    ("dayton oh", "Dayton, OH", "city", 39.76, -84.19),
    ("St. Louis, Missouri", "Saint Louis, MO", "city", 38.63, -90.24),
    ("Ft Worth TX", "Fort Worth, TX", "city", 32.75, -97.33),
    ("40.7128,-74.0060", "10007, New York, NY", "point", 40.7128, -74.006),
    ("Cook County, IL", "Cook County, IL", "county", 41.85, -87.77),
    ("Queens, NY", "Queens, NY", "city", 40.68, -73.84)])
def test_it_prints_where_the_issue_examples_land(runner, query, label, precision, lat, lon):
    result = geocode(runner, query)
    assert result.exit_code == 0, result.output
    match = LINE.match(result.stdout.strip())
    assert match, result.stdout
    assert (match.group(3), match.group(4)) == (label, precision)
    assert float(match.group(1)) == pytest.approx(lat, abs=0.1)
    assert float(match.group(2)) == pytest.approx(lon, abs=0.1)


def test_it_exits_3_and_lists_the_states_of_an_ambiguous_name(runner):
    result = geocode(runner, "Springfield")
    assert result.exit_code == 3
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "Springfield, MO"  # the largest first
    assert len({line.rsplit(", ", 1)[1] for line in lines}) >= 5
    assert "more than one" in result.stderr or "states" in result.stderr


@pytest.mark.parametrize("query,message,first", [
    ("Cincinatti, OH", 'Did you mean Cincinnati, OH?', "Cincinnati, OH"),
    ("Louisvile", "Did you mean Louisville, KY?", "Louisville, KY"),
    ("2139", "A ZIP code has five digits. Did you mean 02139, Cambridge, MA?", "02139, Cambridge, MA")])
def test_it_exits_3_and_lists_what_a_slip_of_the_keyboard_meant(runner, query, message, first):
    result = geocode(runner, query)
    assert result.exit_code == 3
    assert message in result.stderr
    assert result.stdout.splitlines()[0] == first


def test_it_exits_1_naming_a_zip_it_cannot_find(runner):
    result = geocode(runner, "99999")
    assert result.exit_code == 1
    assert "99999" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("query,message", [("Ohio", "Please add a city or ZIP code in Ohio"),
                                           ("0,0", "not in the United States"),
                                           ("", "Please enter"),
                                           ("<b>x</b>", "only a place")])
def test_it_exits_1_with_the_message_for_an_invalid_location(runner, query, message):
    result = geocode(runner, query)
    assert result.exit_code == 1
    assert message in result.stderr


def test_it_says_when_an_address_was_placed_at_its_zip(runner):
    result = geocode(runner, "123 Main St, Dayton, OH 45402")
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("45402, Dayton, OH\tzip")
    assert "Precision reduced" in result.stderr


def test_it_uses_the_configured_remote_geocoder_and_its_cache(app, runner):
    script = Script().then(nominatim_answer(39.7589, -84.1916, "123, Main Street, Dayton, Ohio, United States"))
    app.extensions["locator.geocoder"] = build_service(
        REMOTE_SETTINGS, adapter_factory=lambda **kw: ScriptedAdapter(script, **kw))
    first = geocode(runner, "123 Main St, Dayton, OH 45402")
    second = geocode(runner, "123 Main St, Dayton, OH 45402")
    assert first.stdout == second.stdout == "39.759000,-84.192000\t45402, Dayton, OH\taddress\n"
    assert len(script.calls) == 1


def test_purge_cache_deletes_the_expired_answers_only(app, runner, session):
    from datetime import UTC, datetime, timedelta

    from locator.models import GeocodeCache

    now = datetime.now(UTC)
    for key, days in (("old-1", -2), ("old-2", -1), ("fresh", 10)):
        session.add(GeocodeCache(query_hash=key, latitude=39.0, longitude=-84.0, label="45402, Dayton, OH",
                                 precision="address", expires_at=now + timedelta(days=days)))
    session.commit()
    result = runner.invoke(args=["purge-cache"])
    assert result.exit_code == 0 and "Deleted 2 expired" in result.output
    session.expire_all()
    assert [row.query_hash for row in session.query(GeocodeCache)] == ["fresh"]


def test_the_privacy_page_says_what_a_remote_geocoder_keeps(app, client):
    offline = client.get("/privacy").get_data(as_text=True)
    assert "never sent to any other company" in offline and "kept for" not in offline
    app.extensions["locator.geocoder"] = build_service(REMOTE_SETTINGS)
    remote = client.get("/privacy").get_data(as_text=True)
    assert "kept for 30 days" in remote and "never with the street" in remote
