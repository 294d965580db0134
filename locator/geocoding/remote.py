"""The remote geocoder named by GEOCODER: a geopy geocoder set up from the settings, and the
rules for asking it (`RemoteGeocoder`).

`make_remote(name, settings)` looks the name up with geopy's `get_geocoder_for_service` and
passes GEOCODER_DOMAIN (a host, or a URL whose scheme is kept), GEOCODER_USER_AGENT,
GEOCODER_API_KEY and GEOCODER_TIMEOUT to the parameters that geocoder has. Its HTTP adapter is
geopy's URLLibAdapter, which never retries (geopy's requests adapter retries twice, so a 3 s
timeout could wait 9). A name geopy does not know, a setting the geocoder cannot take, or a
missing required one is a `ConfigError` at start, not a failure on the first search. Tests pass
`adapter_factory` (a fake geopy adapter).

`RemoteGeocoder.ask(text)` keeps three promises:
- the whole wait is bounded by the timeout, a wait for a turn (`min_interval`, public
  Nominatim's one request a second) included: when the turn would come too late, it does not ask;
- a circuit breaker: after FAILURES_TO_OPEN failures in a row it stops asking for OPEN_SECONDS,
  and answers None at once (the address is then placed at its ZIP or city), then tries again;
- it never raises: a failure, a refusal or no answer is None, and failures are logged without
  the query.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from typing import Any, Mapping

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderNotFound, GeopyError
from geopy.geocoders import get_geocoder_for_service

from locator.config import ConfigError

log = logging.getLogger(__name__)
US_COUNTRY_CODES = ["us", "pr", "vi", "gu", "as", "mp"]
FAILURES_TO_OPEN = 3
OPEN_SECONDS = 60.0

_KEY_PARAMETERS = ("api_key", "apikey", "key")


def make_remote(name: str, settings: Mapping[str, Any], *, adapter_factory=None):
    try:
        cls = get_geocoder_for_service(name)
    except GeocoderNotFound:
        raise ConfigError(f"GEOCODER={name!r} is not a geocoder that geopy provides: use offline, "
                          "or one of nominatim, pelias, photon, arcgis, opencage, geocodio, here, "
                          "mapbox, googlev3, bing.") from None
    params = inspect.signature(cls.__init__).parameters
    kwargs: dict[str, Any] = {}
    domain = str(settings.get("GEOCODER_DOMAIN") or "").strip()
    if domain:
        if "domain" not in params:
            raise ConfigError(f"GEOCODER_DOMAIN is set, but the {name} geocoder has no domain to set.")
        scheme, _, host = domain.partition("://") if "://" in domain else ("", "", domain)
        kwargs["domain"] = host.rstrip("/")
        if scheme and "scheme" in params:
            kwargs["scheme"] = scheme
    user_agent = str(settings.get("GEOCODER_USER_AGENT") or "").strip()
    if user_agent and "user_agent" in params:
        kwargs["user_agent"] = user_agent
    timeout = settings.get("GEOCODER_TIMEOUT")
    if timeout and "timeout" in params:
        kwargs["timeout"] = float(timeout)
    api_key = str(settings.get("GEOCODER_API_KEY") or "").strip()
    if api_key:
        parameter = next((p for p in _KEY_PARAMETERS if p in params), None)
        if parameter is None:
            raise ConfigError(f"GEOCODER_API_KEY is set, but the {name} geocoder takes no API key.")
        kwargs[parameter] = api_key
    kwargs["adapter_factory"] = adapter_factory or URLLibAdapter
    try:
        return cls(**kwargs)
    except (TypeError, ValueError, GeopyError) as exc:
        raise ConfigError(f"GEOCODER={name} could not be set up ({exc}); check GEOCODER_DOMAIN, "
                          "GEOCODER_API_KEY and GEOCODER_USER_AGENT.") from None


class RemoteGeocoder:
    """A geopy geocoder asked within a deadline, at a polite pace, behind a circuit breaker."""

    def __init__(self, geocoder, name: str, timeout: float, min_interval: float = 0.0):
        self.geocoder, self.name, self.timeout, self.min_interval = geocoder, name, timeout, min_interval
        self.params = set(inspect.signature(geocoder.geocode).parameters)
        self._lock = threading.Lock()
        self._next_turn = 0.0
        self._failures = 0
        self._open_until = 0.0

    @property
    def open(self) -> bool:
        """Whether the breaker is open: the geocoder failed and is left alone for a while."""
        return time.monotonic() < self._open_until

    def _turn(self, deadline: float) -> bool:
        """Wait for this call's turn (min_interval apart); False when it would come after `deadline`."""
        if self.min_interval <= 0:
            return True
        with self._lock:
            now = time.monotonic()
            turn = max(now, self._next_turn)
            if turn >= deadline:
                return False
            self._next_turn = turn + self.min_interval
        time.sleep(max(0.0, turn - now))
        return True

    def _failed(self, what: str) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= FAILURES_TO_OPEN:
                self._open_until = time.monotonic() + OPEN_SECONDS
                log.warning("remote geocoder %s failed %s times in a row (%s): not asked for %.0f s",
                            self.name, self._failures, what, OPEN_SECONDS)
                self._failures = 0
            else:
                log.warning("remote geocoder %s failed (%s)", self.name, what)

    def ask(self, text: str):
        """The geocoder's answer (a geopy Location, a list of them, or None); None on any failure,
        while the breaker is open, or when no answer can come within the timeout."""
        if self.open:
            return None
        deadline = time.monotonic() + self.timeout
        if not self._turn(deadline):
            return None
        kwargs: dict[str, Any] = {"exactly_one": True, "timeout": max(0.1, deadline - time.monotonic())}
        if "country_codes" in self.params:
            kwargs["country_codes"] = US_COUNTRY_CODES
        try:
            answer = self.geocoder.geocode(text, **kwargs)
        except Exception as exc:  # geopy's GeopyError family, or anything an adapter raises
            self._failed(type(exc).__name__)
            return None
        with self._lock:
            self._failures = 0
        return answer
