"""The offline gazetteer and the resolver: ZIPs, cities, states, points, ambiguity and bad input."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locator.geo import haversine_miles as miles_between
from locator.geocoding import GeocodeError, InvalidLocation, LocationAmbiguous, LocationNotFound, Place, get_gazetteer
from locator.geocoding.normalize import city_key, tokens
from locator.geocoding.resolver import resolve


def place(gazetteer, query: str) -> Place:
    return resolve(gazetteer, query)


# ZIP codes ---------------------------------------------------------------------------------

def test_it_answers_a_zip_with_its_city_label(gazetteer):
    found = place(gazetteer, "19104")
    assert found.label == "19104, Philadelphia, PA"
    assert (found.precision, found.state, found.zip, found.reduced) == ("zip", "PA", "19104", False)
    assert found.latitude == pytest.approx(39.96, abs=0.05)
    assert found.longitude == pytest.approx(-75.20, abs=0.05)


@pytest.mark.parametrize("query", ["19104-3301", "19104 3301", "191043301", " 19104 ", "１９１０４"])
def test_it_answers_zip_plus_four_and_other_spellings_of_a_zip(gazetteer, query):
    assert place(gazetteer, query).zip == "19104"


@pytest.mark.parametrize("query,label", [("02134", "02134, Allston, MA"), ("00901", "00901, San Juan, PR"),
                                         ("96799", "96799, Pago Pago, AS"), ("20500", "20500, Washington, DC")])
def test_it_answers_zips_with_leading_zeros_and_in_dc_and_the_territories(gazetteer, query, label):
    assert place(gazetteer, query).label == label


@pytest.mark.parametrize("query", ["99999", "00000", "99999-1234"])
def test_it_names_the_zip_it_cannot_find(gazetteer, query):
    with pytest.raises(LocationNotFound) as error:
        place(gazetteer, query)
    assert (error.value.reason, error.value.values) == ("zip_not_found", {"zip": query[:5]})
    assert error.value.code == "location_not_found"


@pytest.mark.parametrize("query", ["9999", "191", "12", "1910412"])  # 09999, 00191, 00012: no such ZIP
def test_it_says_a_zip_code_has_five_digits(gazetteer, query):
    with pytest.raises(InvalidLocation) as error:
        place(gazetteer, query)
    assert error.value.reason == "zip_digits" and error.value.values["digits"] == len(query)


def test_it_prefers_the_zip_when_a_city_comes_with_one(gazetteer):
    assert place(gazetteer, "Dayton, OH 45402").label == "45402, Dayton, OH"
    assert place(gazetteer, "45402 Dayton").label == "45402, Dayton, OH"


def test_it_uses_the_city_when_the_zip_beside_it_does_not_exist(gazetteer):
    found = place(gazetteer, "Dayton, OH 99999")
    assert (found.label, found.precision, found.reduced) == ("Dayton, OH", "city", True)


# Cities and states -------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["dayton oh", "Dayton, OH", "DAYTON OHIO", "Dayton, Ohio", " dayton ,  oh ",
                                   "Dayton OH USA", "Dayton, OH, United States", "Dayton, Oh."])
def test_it_answers_dayton_ohio_however_it_is_written(gazetteer, query):
    found = place(gazetteer, query)
    assert (found.label, found.precision, found.state, found.zip) == ("Dayton, OH", "city", "OH", None)
    assert found.latitude == pytest.approx(39.76, abs=0.1)


@pytest.mark.parametrize("query", ["St. Louis, Missouri", "st louis mo", "Saint Louis, MO", "St.Louis,MO"])
def test_it_answers_st_louis_as_saint_louis(gazetteer, query):
    assert place(gazetteer, query).label == "Saint Louis, MO"


@pytest.mark.parametrize("query", ["Ft Worth TX", "Ft. Worth, Texas", "fort worth tx"])
def test_it_answers_ft_worth_as_fort_worth(gazetteer, query):
    found = place(gazetteer, query)
    assert found.label == "Fort Worth, TX"
    assert found.latitude == pytest.approx(32.75, abs=0.2)


def test_it_answers_mt_as_mount_and_n_as_north(gazetteer):
    assert place(gazetteer, "Mt. Vernon, NY").label == "Mount Vernon, NY"
    assert place(gazetteer, "N Little Rock, AR").label == "North Little Rock, AR"


def test_it_ignores_hyphens_apostrophes_and_accents_in_names(gazetteer):
    assert place(gazetteer, "Winston-Salem, NC") == place(gazetteer, "winston salem nc")
    assert place(gazetteer, "O'Fallon, MO") == place(gazetteer, "OFallon MO")
    assert place(gazetteer, "Mayagüez, Puerto Rico").state == "PR"


@pytest.mark.parametrize("query", ["Washington DC", "Washington, D.C.", "washington d.c", "DC",
                                   "Washington, District of Columbia"])
def test_it_answers_washington_dc_however_it_is_written(gazetteer, query):
    assert place(gazetteer, query).label == "Washington, DC"


@pytest.mark.parametrize("query", ["San Juan PR", "San Juan, Puerto Rico", "san juan, p.r."])
def test_it_answers_san_juan_puerto_rico(gazetteer, query):
    found = place(gazetteer, query)
    assert (found.label, found.state) == ("San Juan, PR", "PR")


def test_it_knows_usps_alternative_city_names(gazetteer):
    assert place(gazetteer, "Phila, PA").label == "Philadelphia, PA"
    santurce = place(gazetteer, "Santurce PR")
    assert santurce.label == "Santurce, PR"
    assert miles_between(santurce.latitude, santurce.longitude, 18.45, -66.06) < 5


def test_it_answers_a_place_whose_name_starts_with_a_number(gazetteer):
    found = place(gazetteer, "29 Palms, California")
    assert (found.label, found.precision, found.reduced) == ("29 Palms, CA", "city", False)


def test_it_answers_new_york_city_by_its_usual_names(gazetteer):
    for query in ("New York", "New York City", "NYC", "new york, ny"):
        assert place(gazetteer, query).label == "New York, NY"


def test_it_answers_a_city_name_found_in_only_one_state(gazetteer):
    assert place(gazetteer, "Honolulu").label == "Honolulu, HI"


def test_it_ignores_emoji_between_words(gazetteer):
    assert place(gazetteer, "Dayton 🙂 OH").label == "Dayton, OH"


@pytest.mark.parametrize("query", ["Ohio", "OH", "ohio", "Texas", "West Virginia"])
def test_it_asks_for_a_city_or_zip_when_given_a_state_alone(gazetteer, query):
    with pytest.raises(InvalidLocation) as error:
        place(gazetteer, query)
    assert error.value.reason in ("state_alone", "state_or_city") and error.value.values["state"]
    assert error.value.code == "invalid_location"


def test_it_asks_about_washington_state_and_offers_washington_dc(gazetteer):
    with pytest.raises(InvalidLocation) as error:
        place(gazetteer, "Washington")
    assert error.value.reason == "state_or_city" and error.value.values["state"] == "WA"
    assert error.value.candidates[0].label == "Washington, DC"


def test_it_says_which_state_it_looked_in_for_an_unknown_city(gazetteer):
    with pytest.raises(LocationNotFound) as error:
        place(gazetteer, "Nowheresville, OH")
    assert error.value.reason == "not_in_state"
    assert error.value.values == {"text": "Nowheresville, OH", "state": "OH"}


# Ambiguity -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name,first_two", [("Springfield", {"MO", "MA"}), ("Portland", {"OR", "ME"})])
def test_it_lists_the_states_of_an_ambiguous_name_largest_population_first(gazetteer, name, first_two):
    with pytest.raises(LocationAmbiguous) as error:
        place(gazetteer, name)
    candidates = error.value.candidates
    assert error.value.code == "location_ambiguous"
    assert len({c.label.rsplit(", ", 1)[1] for c in candidates}) >= 5
    assert {c.label.rsplit(", ", 1)[1] for c in candidates[:2]} == first_two
    people = [gazetteer.city_population(gazetteer.find_city(c.label[-2:], city_key(tokens(name))))
              for c in candidates]
    assert people == sorted(people, reverse=True)
    for candidate in candidates:
        assert place(gazetteer, candidate.query).label == candidate.label


def test_it_calls_a_city_in_several_states_ambiguous_even_when_one_is_large(gazetteer):
    with pytest.raises(LocationAmbiguous) as error:
        place(gazetteer, "Philadelphia")
    assert error.value.candidates[0].label == "Philadelphia, PA"


# Points --------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["40.7128,-74.0060", "40.7128, -74.0060", "40.7128 -74.0060",
                                   "(40.7128, -74.0060)", "40.7128° N, 74.0060° W"])
def test_it_answers_a_point_as_given_labelled_by_its_nearest_zip(gazetteer, query):
    found = place(gazetteer, query)
    assert (found.latitude, found.longitude) == (40.7128, -74.006)
    assert (found.label, found.precision, found.state) == ("10007, New York, NY", "point", "NY")


@pytest.mark.parametrize("query", ["91,181", "-91,0", "0,181", "90.5,-74"])
def test_it_rejects_a_point_out_of_range(gazetteer, query):
    with pytest.raises(InvalidLocation) as error:
        place(gazetteer, query)
    assert error.value.reason == "lat_lon_range"


@pytest.mark.parametrize("query", ["0,0", "19.43,-99.13", "51.5,-0.12", "30,-60"])
def test_it_says_a_point_far_from_every_us_zip_is_not_in_the_united_states(gazetteer, query):
    with pytest.raises(InvalidLocation) as error:
        place(gazetteer, query)
    assert error.value.reason == "not_in_us"


@pytest.mark.parametrize("query,state", [("61.2181,-149.9003", "AK"), ("21.3069,-157.8583", "HI"),
                                         ("18.4655,-66.1057", "PR"), ("13.4443,144.7937", "GU"),
                                         ("51.88,-176.65", "AK")])
def test_it_answers_points_in_alaska_hawaii_and_the_territories(gazetteer, query, state):
    assert place(gazetteer, query).state == state


def test_the_nearest_zip_index_agrees_with_a_scan_of_every_zip(gazetteer):
    points = gazetteer.reverse_points()
    rng = random.Random(7)
    for _ in range(200):
        lat, lon = rng.uniform(18, 50), rng.uniform(-125, -66)
        found = gazetteer.nearest_zip(lat, lon)
        near = [(y, x) for y, x in points if abs(y - lat) < 1.5]  # 100 miles is 1.45 degrees
        best = min((miles_between(lat, lon, y, x) for y, x in near), default=math.inf)
        if best > 100:
            assert found is None
        else:
            assert found is not None and found[1] == pytest.approx(best, abs=0.05)


# Bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "   ", "\t\n", "x" * 5000, "😀😀😀", "a\x00b", "Dayton\x1b[31m",
                                   "<script>alert(1)</script>", "'; DROP TABLE providers; --", "1 OR 1=1",
                                   "北京", "\u200b", "...", "-", "%", "?"])
def test_it_answers_bad_input_with_a_reason_and_only_short_clean_values(gazetteer, query):
    with pytest.raises(GeocodeError) as error:
        place(gazetteer, query)
    assert error.value.reason
    for value in error.value.values.values():
        assert len(str(value)) <= 60 and not any(ord(ch) < 32 for ch in str(value))


def test_it_says_when_a_location_is_too_long(gazetteer):
    with pytest.raises(InvalidLocation) as error:
        place(gazetteer, "Dayton " * 800)
    assert error.value.reason == "too_long" and error.value.values == {"limit": 200}


def test_it_quotes_the_query_shortened(gazetteer):
    with pytest.raises(LocationNotFound) as error:
        place(gazetteer, "Quxville " + "a" * 150)
    text = error.value.values["text"]
    assert text.startswith("Quxville") and text.endswith("…") and len(text) == 60


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_it_never_raises_anything_but_a_geocode_error_for_any_text(query):
    try:
        assert isinstance(resolve(get_gazetteer(), query), Place)
    except GeocodeError as error:
        assert error.reason


PIECES = ["st", "St.", "oh", "OH", ",", " ", ".", "-", "'", "19104", "45402-1234", "0", "40.7", "-74.0",
          "new", "york", "city", "washington", "d.c.", "springfield", "123", "main", "ave", "usa", "°",
          "n", "w", "puerto", "rico", "zip", "ft", "mt", "(", ")", "99999", "12345", "kansas", "county",
          "co", "cook", "queens", "2139", "cincinatti"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_it_never_raises_anything_but_a_geocode_error_for_place_like_text(query):
    try:
        found = resolve(get_gazetteer(), query)
        assert found.precision in ("zip", "city", "county", "point") and math.isfinite(found.latitude)
    except GeocodeError as error:
        assert error.reason


# The data ------------------------------------------------------------------------------------

def test_every_city_is_found_under_the_key_of_its_own_name(gazetteer):
    for city in range(gazetteer.city_count()):
        name = gazetteer.city_name(city)
        assert city in gazetteer.cities_named(city_key(tokens(name))), name


def test_the_data_comes_from_the_installed_zipcodes_package_and_matches_it(gazetteer):
    from importlib.metadata import version

    import zipcodes

    assert gazetteer.meta["source"] == "zipcodes"
    assert gazetteer.meta["source_version"] == version("zipcodes")
    standard = [r for r in zipcodes.filter_by(city="Dayton", state="OH")
                if r["active"] and r["zip_code_type"] == "STANDARD"]
    dayton = place(gazetteer, "Dayton, OH")
    assert dayton.latitude == pytest.approx(sum(float(r["lat"]) for r in standard) / len(standard), abs=1e-4)
    assert dayton.longitude == pytest.approx(sum(float(r["long"]) for r in standard) / len(standard), abs=1e-4)
    assert gazetteer.meta["zips"] > 41000


def test_the_zips_are_sorted_for_bisection(gazetteer):
    codes = gazetteer.zip_codes()
    assert codes == sorted(codes) and len(set(codes)) == len(codes)


def test_it_is_loaded_once_per_process():
    assert get_gazetteer() is get_gazetteer()
