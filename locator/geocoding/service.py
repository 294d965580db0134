"""The geocoding service the app calls: the offline gazetteer, plus a remote geocoder for street addresses.

- ZIPs, cities, states and points are always answered by the gazetteer: no network, ever.
- With GEOCODER set to a geopy service, a query that looks like a street address goes to that
  service. Its answer is kept only if it lies in the United States (within 100 miles of a US
  ZIP) and within 100 miles of the ZIP or city the address names. Kept answers are cached in
  `geocode_cache` under sha256(normalised query) for GEOCODE_CACHE_DAYS; nothing else about the
  person is stored, and the query itself is never logged.
- On a timeout, an error, an exhausted quota, no answer or an answer outside the US, the address
  is placed at its ZIP or city with reduced=True (as it always is with GEOCODER=offline).
- `locate()` raises nothing but `GeocodeError` subclasses, whatever string it is given.

When it stores an answer, `locate()` commits the session it was given: pass one with no
pending work of its own (a request's session before anything else is written).
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import math
import re
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Mapping

from locator.geo import haversine_miles
from locator.geocoding import normalize, resolver
from locator.geocoding.gazetteer import Gazetteer, get_gazetteer
from locator.geocoding.places import GeocodeError, InvalidLocation, LocationNotFound, Place

log = logging.getLogger(__name__)

US_COUNTRY_CODES = ["us", "pr", "vi", "gu", "as", "mp"]
FAR_FROM_ADDRESS_MILES = 100.0
_ZIP_PREFIX = re.compile(r"^\s*(\d{3,5})(?:\b|-)")


class GeocodingService:
    def __init__(self, gazetteer: Gazetteer | None = None, remote: Any = None, *, name: str = "offline",
                 cache_days: int = 30, min_interval: float = 0.0):
        self._gazetteer = gazetteer
        self.remote = remote
        self.name = name if remote is not None else "offline"
        self.cache_days = cache_days
        self.min_interval = min_interval  # seconds between remote calls (public Nominatim: 1)
        self._lock = threading.Lock()
        self._next_call = 0.0
        self._remote_params = set(inspect.signature(remote.geocode).parameters) if remote else set()

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
        query_hash = hashlib.sha256(normalize.cache_key(text).encode("utf-8")).hexdigest()
        cached = self._cached(session, query_hash, text)
        if cached is not None:
            return cached
        try:
            location = self._ask_remote(text)
        except Exception as exc:  # geopy's GeopyError family, or anything an adapter raises
            log.warning("remote geocoder %s failed (%s): placing the address at its ZIP or city",
                        self.name, type(exc).__name__)
            return resolver.address_fallback(self.gazetteer, text)
        place = self._accept(location, text)
        if place is None:
            return resolver.address_fallback(self.gazetteer, text)
        self._store(session, query_hash, place)
        return place

    def _ask_remote(self, text: str):
        if self.min_interval > 0:
            with self._lock:
                now = time.monotonic()
                if self._next_call > now:
                    time.sleep(self._next_call - now)
                self._next_call = max(now, self._next_call) + self.min_interval
        kwargs: dict[str, Any] = {"exactly_one": True}
        if "country_codes" in self._remote_params:
            kwargs["country_codes"] = US_COUNTRY_CODES
        return self.remote.geocode(text, **kwargs)

    def _accept(self, location, text: str) -> Place | None:
        if isinstance(location, list):
            location = location[0] if location else None
        if location is None:
            return None
        lat, lon = float(location.latitude), float(location.longitude)
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        return self._address_place(lat, lon, _label(str(location.address or "")), text)

    def _address_place(self, lat: float, lon: float, label: str, text: str) -> Place | None:
        found = self.gazetteer.nearest_zip(lat, lon)
        if found is None:
            return None  # not in the United States
        try:
            named = resolver.address_fallback(self.gazetteer, text)
        except GeocodeError:
            named = None
        if named is not None and haversine_miles(lat, lon, named.latitude, named.longitude) > FAR_FROM_ADDRESS_MILES:
            return None  # the service matched a street of that name somewhere else
        return Place(lat, lon, label or found[0].label, "address", found[0].state,
                     named.zip if named is not None else None)

    def _cached(self, session, query_hash: str, text: str) -> Place | None:
        if session is None:
            return None
        from locator.models import GeocodeCache

        try:
            row = session.get(GeocodeCache, query_hash)
        except Exception as exc:
            log.warning("geocode cache unreadable (%s)", type(exc).__name__)
            session.rollback()
            return None
        if row is None or row.expires_at <= datetime.now(UTC):
            return None
        place = self._address_place(row.latitude, row.longitude, row.label, text)
        return replace(place, precision=row.precision) if place is not None else None

    def _store(self, session, query_hash: str, place: Place) -> None:
        if session is None:
            return
        from locator.models import GeocodeCache

        expires = datetime.now(UTC) + timedelta(days=self.cache_days)
        try:
            session.merge(GeocodeCache(query_hash=query_hash, latitude=place.latitude,
                                       longitude=place.longitude, label=place.label[:300],
                                       precision=place.precision, expires_at=expires))
            session.commit()
        except Exception as exc:
            log.warning("geocode cache not written (%s)", type(exc).__name__)
            session.rollback()


def _label(address: str) -> str:
    """The remote service's name for the place, without the country, at most 120 characters."""
    address = " ".join(address.split())
    for suffix in (", United States of America", ", United States", ", USA"):
        if address.endswith(suffix):
            address = address[: -len(suffix)]
    return address if len(address) <= 120 else address[:119].rsplit(",", 1)[0] + "…"


def build_service(settings: Mapping[str, Any], *, adapter_factory=None) -> GeocodingService:
    """The service for these settings (`locator.config.load_settings()`); ConfigError on a bad one."""
    from locator.geocoding.remote import make_remote

    name = str(settings.get("GEOCODER") or "offline").strip().lower()
    cache_days = int(settings.get("GEOCODE_CACHE_DAYS") or 30)
    if name == "offline":
        return GeocodingService(cache_days=cache_days)
    remote = make_remote(name, settings, adapter_factory=adapter_factory)
    public_nominatim = name == "nominatim" and not str(settings.get("GEOCODER_DOMAIN") or "").strip()
    return GeocodingService(remote=remote, name=name, cache_days=cache_days,
                            min_interval=1.0 if public_nominatim else 0.0)
