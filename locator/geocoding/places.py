"""What geocoding answers: a `Place`, or a `GeocodeError` whose message can be shown to a person.

A `Place` always says how precise it is (`precision`: address, zip, city, point, or county for
a county's centre) and carries the label the interface shows ("19104, Philadelphia, PA").
`reduced` is True when the person typed more than we could place (a street address answered
at its ZIP or city).

Every error has a stable `code` (the API's error code), a `reason` (which message to show: the
web layer words it in the reader's language, locator.web.wording), the `values` that message
needs, and `candidates` (places to choose from: an ambiguous name, a misspelling, a ZIP that
lost its leading zero). Values may quote what the person typed (`shown()`: shortened, one
line); templates escape them. The error lives as long as its request: nothing here keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass

PRECISIONS = ("address", "zip", "city", "point")  # how a provider is placed, too
PLACE_PRECISIONS = (*PRECISIONS, "county")  # a place a person typed may also be a county


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str
    precision: str  # one of PLACE_PRECISIONS
    state: str | None = None
    zip: str | None = None
    reduced: bool = False


@dataclass(frozen=True)
class Candidate:
    """One answer to an ambiguous query: `query` resubmitted resolves to it alone."""

    label: str
    query: str


class GeocodeError(Exception):
    """`reason` names the message; `values` fill it (text, zip, state, limit ...)."""

    code = "geocode_error"

    def __init__(self, reason: str, candidates: list[Candidate] | tuple[Candidate, ...] = (), **values):
        super().__init__(reason)
        self.reason = reason
        self.values = values
        self.candidates = list(candidates)


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
