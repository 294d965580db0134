"""The query parameters of the HSDS API (`/api/hsds/...`), read strictly: a bad value is a
`ParamError` naming the parameter, answered 400 in the API's error format. The words are the
catalogue's."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import current_app, request
from flask_babel import gettext

from locator.geocoding import GeocodeError
from locator.hsds_queries import HsdsQuery
from locator.text_safety import one_line

MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 50
MAX_PAGE = 100_000
MAX_PROXIMITY = 500_000  # metres
METRES_PER_MILE = 1609.344
ZIP = re.compile(r"^\d{5}$")


class ParamError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def flag(name: str) -> bool:
    raw = (request.args.get(name) or "").strip().lower()
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("", "false", "0", "no"):
        return False
    raise ParamError(name, gettext("%(field)s must be true or false.", field=name))


def whole(name: str, default: int, high: int) -> int:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= high:
        raise ParamError(name, gettext("%(field)s must be a whole number from 1 to %(high)s.", field=name, high=high))
    return int(raw)


def streaming() -> bool:
    raw = (request.args.get("format") or "json").strip().lower()
    if raw not in ("json", "ndjson"):
        raise ParamError("format", gettext("format must be json or ndjson."))
    return raw == "ndjson"


def _moment(raw: str) -> datetime:
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ParamError("modified_after", gettext(
            "modified_after must be a date, or a date and time (ISO 8601), such as 2026-11-01 or "
            "2026-11-01T12:00:00Z.")) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _place(session) -> tuple[tuple[float, float] | None, float | None]:
    postcode = (request.args.get("postcode") or "").strip()
    proximity = (request.args.get("proximity") or "").strip()
    if proximity and not postcode:
        raise ParamError("proximity", gettext("proximity needs a postcode to measure from."))
    if not postcode:
        return None, None
    if not ZIP.match(postcode):
        raise ParamError("postcode", gettext("postcode must be a 5-digit ZIP code."))
    try:
        place = current_app.extensions["locator.geocoder"].locate(postcode, session)
    except GeocodeError:
        raise ParamError("postcode", gettext("We do not know the ZIP code %(zip)s.", zip=postcode)) from None
    metres = None
    if proximity:
        try:
            metres = float(proximity)
        except ValueError:
            metres = -1.0
        if not 0 < metres <= MAX_PROXIMITY:  # NaN fails this too
            raise ParamError("proximity", gettext("proximity must be a number of metres from 1 to %(high)s.",
                                                  high=MAX_PROXIMITY))
    return (place.latitude, place.longitude), None if metres is None else metres / METRES_PER_MILE


def hsds_query(session, *, places: bool = False) -> HsdsQuery:
    """The list parameters of this request (`places`: postcode and proximity too)."""
    search = one_line(request.args.get("search") or "", 200)
    raw_after = (request.args.get("modified_after") or "").strip()
    point, miles = _place(session) if places else (None, None)
    return HsdsQuery(search=search, page=whole("page", 1, MAX_PAGE),
                     per_page=whole("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
                     taxonomy_term_id=(request.args.get("taxonomy_term_id") or "").strip().lower(),
                     taxonomy_id=(request.args.get("taxonomy_id") or "").strip().lower(),
                     organization_id=(request.args.get("organization_id") or "").strip(),
                     modified_after=_moment(raw_after) if raw_after else None, point=point, proximity_miles=miles)
