"""Building the remote geocoder named by GEOCODER: a geopy geocoder set up from the settings.

`make_remote(name, settings)` looks the name up with geopy's `get_geocoder_for_service` and
passes GEOCODER_DOMAIN (a host, or a URL whose scheme is kept), GEOCODER_USER_AGENT,
GEOCODER_API_KEY and GEOCODER_TIMEOUT to the parameters that geocoder has. A name geopy does not
know, a setting the geocoder cannot take, or a missing required one is a `ConfigError` at start,
not a failure on the first search. Tests pass `adapter_factory` (a fake geopy adapter).
"""

from __future__ import annotations

import inspect
from typing import Any, Mapping

from geopy.exc import GeocoderNotFound, GeopyError
from geopy.geocoders import get_geocoder_for_service

from locator.config import ConfigError

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
    if adapter_factory is not None:
        kwargs["adapter_factory"] = adapter_factory
    try:
        return cls(**kwargs)
    except (TypeError, ValueError, GeopyError) as exc:
        raise ConfigError(f"GEOCODER={name} could not be set up ({exc}); check GEOCODER_DOMAIN, "
                          "GEOCODER_API_KEY and GEOCODER_USER_AGENT.") from None
