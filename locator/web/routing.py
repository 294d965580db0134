"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: ASCII digits only (Werkzeug's own pattern takes any Unicode
    digit, so "/providers/１" would resolve), at most ten of them. A longer number does not match
    the route (a plain 404); one beyond the largest id (models.MAX_ID) matches and finds nothing,
    also a 404 (`models.find_provider`). The limit is left to the lookup, not to the converter: a converter refusing a
    matched value makes Werkzeug answer 405 where another method shares the path."""

    regex = r"[0-9]{1,10}"
