"""Template filters: small functions of their arguments, each tested on its own.

They format what templates show: phone links and outside-map links (pure), and the words of
vocabulary labels, reasons and names in the language of the page being rendered (the render's
`words`, locator.web.i18n.template_words). None reads the request; none keeps anything.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Flask
from jinja2 import pass_context

from locator.web import desk_wording, wording

_NOT_DIGIT = re.compile(r"\D")


def tel_href(phone: str) -> str:
    """A tel: link for a US number as written in the directory ("(215) 555-0100 x12")."""
    digits = _NOT_DIGIT.sub("", (phone or "").split(" x")[0])
    return f"tel:+1{digits}" if len(digits) == 10 else "tel:" + digits


def directions_url(provider) -> str:
    """An outside map with only the destination in it, opened only when the person follows it
    (nothing on our pages loads from a map site). A provider placed at its street address is
    routed to by its point; one placed only at its ZIP's or city's point (up to miles from the
    door) is looked up by its street address on OpenStreetMap's search instead, which works in
    every browser (a geo: URI does not open on desktops or iPhones). The name is left out of
    that search on purpose: Nominatim finds nothing when a clinic's name is not on the map.
    docs/geocoding.md, "Directions", says more."""
    if provider.geocode_precision in ("address", "point"):
        return "https://www.openstreetmap.org/directions?" + urlencode(
            {"route": f";{provider.latitude:.5f},{provider.longitude:.5f}"})
    where = ", ".join(part for part in (provider.street, provider.city, f"{provider.state} {provider.zip}".strip())
                      if part)
    return "https://www.openstreetmap.org/search?" + urlencode({"query": where})


def _worded(method: str):
    """A filter that words its value with the render's `words` (`value|reason`, ...)."""
    @pass_context
    def word(context, value, *args):
        return getattr(context["words"], method)(value, *args)
    return word


def _named(table: dict):
    @pass_context
    def name(context, key):
        return context["words"].named(table, key)
    return name


@pass_context
def labels(context, keys, category: str) -> str:
    """`p.payment|labels("payment")`: the terms' labels in the page's language."""
    return context["words"].labels(category, keys)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        tel_href=tel_href, directions_url=directions_url, labels=labels,
        label=_worded("label"), state_name=_worded("state_name"), reason=_worded("reason"),
        reporter=_named(wording.REPORTERS), bridge_kind=_named(wording.BRIDGE_KINDS),
        precision=_named(wording.PRECISIONS),
        freshness=_named(wording.FRESHNESS), field_label=_named(wording.FIELDS),
        data_note=_named(wording.DATA_NOTES), problem_kind=_named(wording.PROBLEM_KINDS),
        call_outcome=_named(desk_wording.OUTCOMES), verified_fact=_named(desk_wording.FACTS),
        verifier=_named(desk_wording.VERIFIERS), worklist_reason=_named(desk_wording.REASONS))
