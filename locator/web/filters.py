"""Template filters: small pure functions of their arguments, each tested on its own.

They format what templates show (phone links, outside-map links, vocabulary labels, reasons);
none reads the request, and none keeps anything between calls.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Flask

from locator.web import wording

_NOT_DIGIT = re.compile(r"\D")


def tel_href(phone: str) -> str:
    """A tel: link for a US number as written in the directory ("(215) 555-0100 x12")."""
    digits = _NOT_DIGIT.sub("", (phone or "").split(" x")[0])
    return f"tel:+1{digits}" if len(digits) == 10 else "tel:" + digits


def directions_url(provider) -> str:
    """An outside map with only the destination in it; opened only when the person follows it."""
    point = quote(f"{provider.latitude:.5f},{provider.longitude:.5f}", safe="")
    return f"https://www.openstreetmap.org/directions?route=%3B{point}"


def labels(keys, category: str) -> str:
    """`p.payment|labels("payment")`: the terms' labels in the page's language."""
    return wording.labels(category, keys)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        tel_href=tel_href, directions_url=directions_url, label=wording.label, labels=labels,
        state_name=wording.state_name, reason=wording.reason, miles=wording.miles, ago=wording.ago,
        reporter=lambda kind: wording.REPORTERS.get(kind, kind),
        precision=lambda key: wording.PRECISIONS.get(key, key),
        freshness=lambda key: wording.FRESHNESS.get(key, key),
        field_label=lambda name: wording.FIELDS.get(name, name))
