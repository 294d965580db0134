"""What geocoding answers: a `Place`, or a `GeocodeError` whose message can be shown to a person.

A `Place` always says how precise it is (`precision`: address, zip, city or point) and carries
the label the interface shows ("19104, Philadelphia, PA"). `reduced` is True when the person
typed more than we could place (a street address answered at its ZIP or city).

Every error has a stable `code` (the API's error code), a `message` written for a person (in
English; `message_es` in Spanish, `text(lang)` picks one), and `candidates` (places to choose
from when the query was ambiguous). Messages may quote what the person typed, shortened and
stripped of control characters; templates escape them.
"""

from __future__ import annotations

from dataclasses import dataclass

PRECISIONS = ("address", "zip", "city", "point")


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str
    precision: str  # one of PRECISIONS
    state: str | None = None
    zip: str | None = None
    reduced: bool = False


@dataclass(frozen=True)
class Candidate:
    """One answer to an ambiguous query: `query` resubmitted resolves to it alone."""

    label: str
    query: str


class GeocodeError(Exception):
    code = "geocode_error"

    def __init__(self, message: str, candidates: list[Candidate] | tuple[Candidate, ...] = (), *,
                 es: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_es = es or message
        self.candidates = list(candidates)

    def text(self, lang: str = "en") -> str:
        """The message in the page's language ("en" or "es")."""
        return self.message_es if lang == "es" else self.message

    def __str__(self) -> str:
        return self.message


class LocationNotFound(GeocodeError):
    code = "location_not_found"


class LocationAmbiguous(GeocodeError):
    code = "location_ambiguous"


class InvalidLocation(GeocodeError):
    code = "invalid_location"


def shown(text: str, limit: int = 60) -> str:
    """The person's text as quoted back in a message: one line, at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
