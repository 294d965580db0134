"""The geocoding service the app calls: the offline gazetteer, plus a remote geocoder for street addresses.

- ZIPs, cities, states and points are always answered by the gazetteer: no network, ever.
- With GEOCODER set to a geopy service, a query that looks like a street address goes to that
  service (locator.geocoding.remote: within GEOCODER_TIMEOUT in all, no retries, behind a
  circuit breaker). Its answer is kept only if it lies in the United States (within 100 miles
  of a US ZIP) and within 100 miles of the ZIP or city the address names. The place is labelled
  by its ZIP, never by the street. Kept answers are cached (locator.geocoding.cache: an HMAC
  key, a rounded point, the ZIP's label); the query itself is never stored or logged.
- On a timeout, an error, an exhausted quota, an open breaker, no answer or an answer outside
  the US, the address is placed at its ZIP or city with reduced=True (as it always is with
  GEOCODER=offline).
- `locate()` raises nothing but `GeocodeError` subclasses, whatever string it is given.

When it stores an answer, `locate()` commits the session it was given: pass one with no
pending work of its own (a request's session before anything else is written).
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import replace
from typing import Any, Mapping

from locator.geo import haversine_miles
from locator.geocoding import cache, normalize, resolver
from locator.geocoding.gazetteer import Gazetteer, get_gazetteer
from locator.geocoding.places import GeocodeError, InvalidLocation, LocationNotFound, Place
from locator.geocoding.remote import RemoteGeocoder

log = logging.getLogger(__name__)

FAR_FROM_ADDRESS_MILES = 100.0
_ZIP_PREFIX = re.compile(r"^\s*(\d{3,5})(?:\b|-)")


class GeocodingService:
    def __init__(self, gazetteer: Gazetteer | None = None, remote: RemoteGeocoder | None = None, *,
                 cache_days: int = 30, cache_secret: str = ""):
        self._gazetteer = gazetteer
        self.remote = remote
        self.name = remote.name if remote is not None else "offline"
        self.cache_days = cache_days
        self._cache_key = cache.derive_key(cache_secret)

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = get_gazetteer()
        return self._gazetteer

    def locate(self, query: str, session=None) -> Place:
        """The place a person typed, or a GeocodeError whose message can be shown to them."""
        try:
            text = normalize.clean(query)
            if self.remote is not None and resolver.is_address(self.gazetteer, normalize.tokens(text), text):
                return self._locate_address(text, session)
            return resolver.resolve_clean(self.gazetteer, text)
        except GeocodeError:
            raise
        except Exception:  # a bug must not become a 500 on the search page
            log.exception("geocoding failed unexpectedly")
            raise LocationNotFound("not_understood") from None

    def reverse(self, lat: float, lon: float) -> Place:
        """The nearest ZIP to a point ("use my location"), at the ZIP's centroid."""
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            raise InvalidLocation("device_unreadable") from None
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise InvalidLocation("device_out_of_range")
        found = self.gazetteer.nearest_zip(lat, lon)
        if found is None:
            raise InvalidLocation("not_in_us")
        return found[0]

    def place_provider(self, street: str, city: str, state: str, zip: str) -> tuple[float, float, str] | None:
        """(lat, lon, precision) for an imported provider: its ZIP, else its city. Offline only."""
        try:
            gaz = self.gazetteer
            words = normalize.tokens(normalize.clean(state)) if state and state.strip() else ()
            code = normalize.STATE_PHRASES.get(" ".join(words)) if words else None
            match = _ZIP_PREFIX.match(zip or "")
            at_zip = gaz.zip_place(match.group(1).zfill(5)) if match else None
            if at_zip is not None and (code is None or at_zip.state == code):
                return at_zip.latitude, at_zip.longitude, "zip"
            if code and city and city.strip():
                found = resolver.city_at_end(gaz, code, normalize.tokens(normalize.clean(city)))
                if found is not None:
                    place = gaz.city_place(found)
                    return place.latitude, place.longitude, "city"
            return (at_zip.latitude, at_zip.longitude, "zip") if at_zip is not None else None
        except Exception:  # an importer reports the row as unplaced; it never crashes on one
            return None

    # The remote path -------------------------------------------------------------------------

    def _locate_address(self, text: str, session) -> Place:
        key = cache.cache_key(self._cache_key, text)
        row = cache.read(session, key) if session is not None else None
        if row is not None:
            place = self._address_place(row.latitude, row.longitude, text)
            if place is not None:
                return replace(place, precision=row.precision)
        place = self._accept(self.remote.ask(text), text)
        if place is None:  # no answer, a failure, the breaker open, or an answer refused
            return resolver.address_fallback(self.gazetteer, text)
        if session is not None:
            cache.store(session, key, place, self.cache_days)
        return place

    def _accept(self, location, text: str) -> Place | None:
        if isinstance(location, list):
            location = location[0] if location else None
        if location is None:
            return None
        lat, lon = float(location.latitude), float(location.longitude)
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        return self._address_place(lat, lon, text)

    def _address_place(self, lat: float, lon: float, text: str) -> Place | None:
        """The remote answer as a Place, or None when it is not in the United States or far from
        the ZIP or city the address names. Its point is rounded to the block (cache.DECIMALS) and
        it is labelled by the ZIP or city the address names (else its nearest ZIP), never by the
        street: the same whether it came from the service or from the cache."""
        lat, lon = round(lat, cache.DECIMALS), round(lon, cache.DECIMALS)
        found = self.gazetteer.nearest_zip(lat, lon)
        if found is None:
            return None  # not in the United States
        try:
            named = resolver.address_fallback(self.gazetteer, text)
        except GeocodeError:
            named = None
        if named is not None and haversine_miles(lat, lon, named.latitude, named.longitude) > FAR_FROM_ADDRESS_MILES:
            return None  # the service matched a street of that name somewhere else
        if named is None:
            return Place(lat, lon, found[0].label, "address", found[0].state, found[0].zip)
        return Place(lat, lon, named.label, "address", named.state or found[0].state, named.zip)


def build_service(settings: Mapping[str, Any], *, adapter_factory=None) -> GeocodingService:
    """The service for these settings (`locator.config.load_settings()`); ConfigError on a bad one."""
    from locator.geocoding.remote import make_remote

    name = str(settings.get("GEOCODER") or "offline").strip().lower()
    cache_days = int(settings.get("GEOCODE_CACHE_DAYS") or 30)
    secret = str(settings.get("SECRET_KEY") or "")
    if name == "offline":
        return GeocodingService(cache_days=cache_days, cache_secret=secret)
    geocoder = make_remote(name, settings, adapter_factory=adapter_factory)
    public_nominatim = name == "nominatim" and not str(settings.get("GEOCODER_DOMAIN") or "").strip()
    remote = RemoteGeocoder(geocoder, name, float(settings.get("GEOCODER_TIMEOUT") or 3),
                            min_interval=1.0 if public_nominatim else 0.0)
    return GeocodingService(remote=remote, cache_days=cache_days, cache_secret=secret)
