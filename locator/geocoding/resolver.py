"""How the gazetteer understands a query: ZIP, point, street address, "City, ST", a county, a state, a bare city.

`resolve(gazetteer, query)` returns a `Place` or raises a `GeocodeError` subclass, in this order:

1. `clean()`: empty, too long, control characters, markup or SQL punctuation -> InvalidLocation.
2. A ZIP or ZIP+4 ("19104", "19104-3301") -> the ZIP, or LocationNotFound naming it; three or
   four digits that are a ZIP once zero-padded ("2139") -> LocationAmbiguous offering that ZIP;
   other runs of digits -> InvalidLocation saying a ZIP code has five digits.
3. "lat,lon" (also "lat lon", "(lat, lon)", "40.7°N 74.0°W") -> the point itself, labelled by
   its nearest ZIP; out of range, or over 100 miles from every US ZIP -> InvalidLocation.
4. A street address (a house number, then a street) -> offline, its ZIP, else the city before
   its state, with reduced=True (the service sends these to a remote geocoder when configured).
5. A ZIP with words around it ("Dayton, OH 45402") -> the ZIP (an unknown ZIP: the words).
6. "City, ST" / "City State" / "City ST" -> that city (or county: "Cook County, IL"); a state
   alone -> InvalidLocation asking for a city or ZIP ("New York" and "DC" name cities).
7. A bare name -> the place when only one state has it; else LocationAmbiguous, largest first.
8. No place of that name -> LocationAmbiguous "did_you_mean" when names a slip away exist
   (locator.geocoding.suggestions), else LocationNotFound.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from locator.geocoding import normalize as n
from locator.geocoding.places import Candidate, InvalidLocation, LocationAmbiguous, LocationNotFound, Place, shown
from locator.geocoding.suggestions import close_places, did_you_mean, digits_error

if TYPE_CHECKING:
    from locator.geocoding.gazetteer import Gazetteer

MAX_CANDIDATES = 12
_ZIP_WORDS = frozenset(("zip", "zipcode", "code", "postal"))


def resolve(gaz: Gazetteer, query: str) -> Place:
    return resolve_clean(gaz, n.clean(query))


def resolve_clean(gaz: Gazetteer, text: str) -> Place:
    """`resolve` for text that has been through `normalize.clean` already."""
    match = n.ZIP_ONLY.match(text)
    if match:
        return zip_place(gaz, match.group(1))
    match = n.POINT.match(text)
    if match:
        return point(gaz, match)
    if text.isdigit():
        raise digits_error(gaz, text)
    words = n.tokens(text)
    if not words:
        raise InvalidLocation("ask")
    if is_address(gaz, words, text):
        return address_fallback(gaz, text)
    words = n.strip_country(words)
    code, rest = _zip_among(words)
    if code:
        place = gaz.zip_place(code)
        if place is not None:
            return place
        if not rest:
            raise _zip_not_found(code)
        try:
            return replace(named_place(gaz, rest, text), reduced=True)
        except (LocationNotFound, InvalidLocation):
            raise _zip_not_found(code) from None
    return named_place(gaz, words, text)


def is_address(gaz: Gazetteer, words: tuple[str, ...], text: str) -> bool:
    """A street address, not a place whose name starts with a number ("29 Palms, CA")."""
    if not n.looks_like_address(words, text):
        return False
    city_words, state = n.split_state(n.strip_country(words))
    return not (state and city_words and _find(gaz, state, city_words) is not None)


def zip_place(gaz: Gazetteer, code: str) -> Place:
    place = gaz.zip_place(code)
    if place is None:
        raise _zip_not_found(code)
    return place


def _zip_not_found(code: str) -> LocationNotFound:
    return LocationNotFound("zip_not_found", zip=code)


def point(gaz: Gazetteer, match) -> Place:
    lat, north, lon, east = float(match.group(1)), match.group(2), float(match.group(3)), match.group(4)
    if north and north.lower() == "s":
        lat = -abs(lat)
    if east and east.lower() == "w":
        lon = -abs(lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidLocation("lat_lon_range")
    found = gaz.nearest_zip(lat, lon)
    if found is None:
        raise InvalidLocation("not_in_us")
    near = found[0]
    return Place(lat, lon, near.label, "point", near.state, near.zip)  # "near" that ZIP: the web layer words it


def _zip_among(words: tuple[str, ...], leading: bool = True) -> tuple[str | None, tuple[str, ...]]:
    """A ZIP (or ZIP+4) at the end (or, when `leading`, the start) of the words, and the rest."""
    if not words:
        return None, words
    if len(words) >= 2 and n.is_zip_token(words[-2]) and len(words[-1]) == 4 and words[-1].isdigit():
        words = words[:-1]
    if n.is_zip_token(words[-1]):
        code, rest = words[-1], words[:-1]
    elif leading and n.is_zip_token(words[0]) and not any(word.isdigit() for word in words[1:]):
        code, rest = words[0], words[1:]
    else:
        return None, words
    return code, tuple(word for word in rest if word not in _ZIP_WORDS)


def named_place(gaz: Gazetteer, words: tuple[str, ...], text: str) -> Place:
    city_words, state = n.split_state(words)
    if state and not city_words:
        return _state_alone(gaz, state, words)
    if state is None:
        return bare_city(gaz, words, text)
    city = _find(gaz, state, city_words)
    if city is not None:
        return gaz.city_place(city)
    if gaz.cities_named(n.city_key(words)):  # the "state" ends a name: "Wilkes Barre Pa S&Dc"
        return bare_city(gaz, words, text)
    city = city_at_end(gaz, state, city_words)
    if city is not None:
        return gaz.city_place(city, reduced=True)
    close = close_places(gaz, city_words, state)
    if close:
        raise did_you_mean(gaz, close, text)
    raise LocationNotFound("not_in_state", text=shown(text), state=state)


def _find(gaz: Gazetteer, state: str, words: tuple[str, ...]) -> int | None:
    city = gaz.find_city(state, n.city_key(words))
    if city is None and len(words) > 1 and words[-1] == "city":  # "New York City"
        city = gaz.find_city(state, n.city_key(words[:-1]))
    return city


def _state_alone(gaz: Gazetteer, state: str, words: tuple[str, ...]) -> Place:
    key = n.city_key(words)
    city = gaz.find_city("DC", "washington") if state == "DC" else gaz.find_city(state, key)
    if city is not None:  # "New York" is a city as well as a state; "DC" is Washington
        return gaz.city_place(city)
    others = [city for city in gaz.cities_named(key) if gaz.is_living(city)][:MAX_CANDIDATES]
    candidates = [Candidate(gaz.city_label(city), gaz.city_label(city)) for city in others]
    if candidates:  # "Washington": the state, or Washington, DC?
        raise InvalidLocation("state_or_city", candidates, state=state, suggestion=candidates[0].label)
    raise InvalidLocation("state_alone", state=state)


def bare_city(gaz: Gazetteer, words: tuple[str, ...], text: str, suggest: bool = True) -> Place:
    """The one place of that name; else LocationAmbiguous (largest population first), or the
    names a slip away (`suggest`), or LocationNotFound."""
    key = n.city_key(words)
    cities = gaz.cities_named(key)
    if not cities and len(words) > 1 and words[-1] == "city":
        cities = gaz.cities_named(n.city_key(words[:-1]))
    # A name that survives only in retired ZIPs should not make a living one ambiguous.
    cities = [city for city in cities if gaz.is_living(city)] or cities
    if len(cities) == 1:
        return gaz.city_place(cities[0])
    if cities:
        name = gaz.city_label(cities[0]).rsplit(", ", 1)[0]
        candidates = [Candidate(gaz.city_label(city), gaz.city_label(city))
                      for city in cities[:MAX_CANDIDATES]]
        reason = "ambiguous_largest" if len(cities) > len(candidates) else "ambiguous"
        raise LocationAmbiguous(reason, candidates, name=name, count=len(cities), listed=len(candidates),
                                example=candidates[0].query)
    close = close_places(gaz, words) if suggest else []
    if close:
        raise did_you_mean(gaz, close, text)
    raise LocationNotFound("not_found", text=shown(text))


def city_at_end(gaz: Gazetteer, state: str, words: tuple[str, ...]) -> int | None:
    """The longest known city name (up to five words) that ends the words, in that state (a
    county is not a city here: importers place providers with this)."""
    for size in range(min(5, len(words)), 0, -1):
        window = words[-size:]
        if not window[0].isdigit():
            city = _find(gaz, state, window)
            if city is not None and not gaz.is_county(city):
                return city
    return None


def address_fallback(gaz: Gazetteer, text: str) -> Place:
    """A street address placed offline at its ZIP, else at its city (reduced=True), else not found."""
    words = n.strip_country(n.tokens(text))
    code, rest = _zip_among(words, leading=False)
    if code:
        place = gaz.zip_place(code, reduced=True)
        if place is not None:
            return place
        words = rest
    city_words, state = n.split_state(words)
    if state:
        city = city_at_end(gaz, state, city_words[1:])
        if city is not None:
            return gaz.city_place(city, reduced=True)
    elif "," in text:
        last = n.tokens(text.rsplit(",", 1)[1])
        if last and not any(word.isdigit() for word in last):
            try:
                return replace(bare_city(gaz, last, text, suggest=False), reduced=True)
            except LocationNotFound:
                pass
    raise LocationNotFound("address_without_zip")
