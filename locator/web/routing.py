"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest id a database integer column holds


def at_most(limit: int) -> str:
    """A regular expression matching the decimal numbers from 0 to `limit` (no leading zeros
    needed): the route itself then refuses larger ids, so they are a plain 404 everywhere."""
    digits = str(limit)
    parts = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, d in enumerate(digits):
        if d != "0":
            rest = len(digits) - i - 1
            lower = "1" if i == 0 and len(digits) > 1 else "0"
            if int(d) - 1 >= int(lower):
                parts.append(digits[:i] + f"[{lower}-{int(d) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    parts.append(digits)
    return "(?:" + "|".join(parts) + ")"


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route, limited to what a database integer holds."""

    regex = at_most(MAX_ID)
