"""`geocode-providers`: ask the configured geocoder where the providers placed only at their ZIP's or
city's point really are, one street address at a time, at a polite pace.

- Which providers: those whose location is coarser than a street address (all of them with
  `overwrite`), with a published street, optionally of one source or state, up to a limit.
- The pace: geopy's `RateLimiter`, GEOCODER_RATE_LIMIT requests a second; no retries (a failed
  address is asked again on the next run, not in a loop now).
- Resumable: each answer is kept (`GeocodeAttempt`: a hash of the address asked, the outcome,
  the geocoder) and committed at once; a later run (`not_asked`) asks nothing the same geocoder
  already answered about the same address, only what failed (`error`), and a limit counts only
  what is still to ask. An interrupted run loses at most the address being asked; a refused key
  or an exhausted quota stops the run.
- An answer is used only when it is a street-level place inside the provider's state and within
  25 miles of its ZIP (`locator.locations.acceptable`); otherwise it is `refused`, with why.
  A geocoder's postcode, city or county answer is `not_found`: it says nothing new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterator

from geopy.exc import GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges, GeocoderQuotaExceeded
from geopy.extra.rate_limiter import RateLimiter
from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.geo import haversine_miles
from locator.locations import SAME_POINT_MILES, acceptable, upgrade
from locator.models import AT_THE_DOOR, GeocodeAttempt, Provider, ProviderSource, utcnow

STOPS = (GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges, GeocoderQuotaExceeded)
OUTCOMES = ("improved", "unchanged", "not_found", "refused", "error")
# What geocoders call an answer that is not a street address (Nominatim's addresstype and type,
# Pelias' layer, Photon's type).
COARSE = frozenset({"postcode", "postalcode", "city", "town", "village", "hamlet", "municipality", "locality",
                    "county", "state", "region", "country", "administrative", "localadmin", "borough"})


@dataclass
class GeocodeRun:
    asked: int = 0
    skipped: int = 0  # asked before about the same address
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    refusals: list[tuple[int, str]] = field(default_factory=list)  # (provider id, why)


def address_of(provider) -> str:
    return f"{provider.street}, {provider.city}, {provider.state} {provider.zip}".strip()


def address_key(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def candidates(session: Session, source: str | None = None, state: str | None = None,
               overwrite: bool = False) -> list[Provider]:
    """The providers to ask about, in id order."""
    statement = select(Provider).order_by(Provider.id)
    if not overwrite:
        statement = statement.where(Provider.geocode_precision.notin_(AT_THE_DOOR))
    if state:
        statement = statement.where(Provider.state == state.upper())
    if source:
        statement = statement.where(Provider.id.in_(select(ProviderSource.provider_id)
                                                    .where(ProviderSource.source == source)))
    return [p for p in session.scalars(statement) if p.street_published]


def _coarse(location) -> bool:
    raw = getattr(location, "raw", None) or {}
    properties = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
    kinds = {str(v).lower() for v in (raw.get("addresstype"), raw.get("type"), properties.get("layer"),
                                      properties.get("type")) if v}
    return bool(kinds & COARSE)


def _outcome(provider: Provider, location) -> tuple[str, str, tuple[float, float] | None]:
    if isinstance(location, list):
        location = location[0] if location else None
    if location is None or _coarse(location):
        return "not_found", "", None
    lat, lon = float(location.latitude), float(location.longitude)
    why = acceptable(provider, lat, lon)
    if why:
        return "refused", why, None
    if provider.geocode_precision in AT_THE_DOOR and haversine_miles(lat, lon, provider.latitude,
                                                               provider.longitude) <= SAME_POINT_MILES:
        return "unchanged", "", None
    return "improved", "", (lat, lon)


def not_asked(session: Session, providers: list[Provider], name: str) -> tuple[list[Provider], int]:
    """The providers `name` has not been asked about at their current address (or was asked,
    and failed), and how many it has: a resumed run asks only the former."""
    answered = {(pid, key) for pid, key in session.execute(
        select(GeocodeAttempt.provider_id, GeocodeAttempt.address_key)
        .where(GeocodeAttempt.geocoder == name, GeocodeAttempt.outcome != "error"))}
    todo = [p for p in providers if (p.id, address_key(address_of(p))) not in answered]
    return todo, len(providers) - len(todo)


def geocode(session: Session, providers: list[Provider], geocoder, name: str, rate: float, timeout: float,
            ask_kwargs: dict | None = None) -> Iterator[tuple[Provider, str, str]]:
    """Ask about each provider (yielding it, its outcome, and why when refused or failed),
    committing as it goes. A refused key or an exhausted quota (STOPS) ends the run: asking on
    would only fail again."""
    ask: Callable = RateLimiter(geocoder.geocode, min_delay_seconds=1.0 / rate, max_retries=0,
                                swallow_exceptions=False)
    for provider in providers:
        text = address_of(provider)
        try:
            outcome, why, point = _outcome(provider, ask(text, exactly_one=True, timeout=timeout,
                                                         **(ask_kwargs or {})))
        except STOPS:
            raise
        except Exception as exc:  # geopy's errors, or the adapter's: asked again next run
            outcome, why, point = "error", type(exc).__name__, None
        if point is not None:
            upgrade(session, provider.id, *point, f"geocoder:{name}")
        session.merge(GeocodeAttempt(provider_id=provider.id, address_key=address_key(text), outcome=outcome,
                                     reason=why[:200], geocoder=name, asked_at=utcnow()))
        session.commit()
        yield provider, outcome, why
