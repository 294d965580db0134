"""The remote geocoder's answers, kept in `geocode_cache` so an address is not asked twice.

What is kept is what the privacy page promises, and nothing of the person who typed it:
- the key is an HMAC-SHA256 of the normalised query, with a key derived from SECRET_KEY: a
  copy of the database alone cannot tell whether someone searched a guessed address;
- the label is the nearest ZIP's ("19104, Philadelphia, PA"), never the street;
- the point is rounded to 3 decimals (about 100 m: the block, not the door);
- each row expires after GEOCODE_CACHE_DAYS and expired rows are deleted, whenever a row is
  written and by `flask --app locator purge-cache` (for cron).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from locator.geocoding import normalize
from locator.geocoding.places import Place
from locator.models import GeocodeCache

log = logging.getLogger(__name__)
DECIMALS = 3


def derive_key(secret: str) -> bytes:
    """The cache's own HMAC key, derived from SECRET_KEY (so it signs nothing else)."""
    return hmac.new(secret.encode("utf-8"), b"locator geocode cache v1", hashlib.sha256).digest()


def cache_key(key: bytes, text: str) -> str:
    return hmac.new(key, normalize.cache_key(text).encode("utf-8"), hashlib.sha256).hexdigest()


def read(session, key: str) -> GeocodeCache | None:
    """The unexpired row for a key, or None (also when the cache cannot be read)."""
    try:
        row = session.get(GeocodeCache, key)
    except Exception as exc:
        log.warning("geocode cache unreadable (%s)", type(exc).__name__)
        session.rollback()
        return None
    return row if row is not None and row.expires_at > datetime.now(UTC) else None


def store(session, key: str, place: Place, days: int) -> None:
    """Keep an answer (a Place already rounded and labelled by its ZIP or city) and delete the
    expired rows; the session is committed (it must hold nothing else pending)."""
    now = datetime.now(UTC)
    try:
        session.execute(delete(GeocodeCache).where(GeocodeCache.expires_at <= now))
        session.merge(GeocodeCache(query_hash=key, latitude=round(place.latitude, DECIMALS),
                                   longitude=round(place.longitude, DECIMALS), label=place.label[:300],
                                   precision=place.precision, expires_at=now + timedelta(days=days)))
        session.commit()
    except Exception as exc:
        log.warning("geocode cache not written (%s)", type(exc).__name__)
        session.rollback()


def purge(session) -> int:
    """Delete the expired rows; how many there were. The caller commits."""
    result = session.execute(delete(GeocodeCache).where(GeocodeCache.expires_at <= datetime.now(UTC)))
    return result.rowcount or 0
