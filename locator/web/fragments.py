"""Page fragments that are a pure function of a few small inputs, rendered once and reused.

The search form's filters (medicines, payment, availability, language, services, programs,
radius, order) are about 6 KB of checkboxes and options, and rendering them was more than
half the time of rendering a results page. They depend only on the page's language, on
whether the person searches for someone else, and on the filters chosen: never on the
directory, the place searched or the person. So they are rendered once per combination and
kept in a bounded, per-process LRU cache (a few hundred combinations at most are common).

A result card's listing (its name and link, address, phones, medicines and payment) is a
pure function of the provider's listed values, the link to its page and the language
(`cards.listing_key`), so it is kept the same way, under that whole key: a changed phone
number is a new key, never a stale card. Availability, distance, reasons and the referral
link are placed fresh on every page. An availability line, worded in the page's language
(`cards.availability_line`), is rendered once per wording.

The fixed parts of every page's frame (the crisis lines, the demonstration-data notice, the
footer) and the addresses of static files are kept the same way, per language and per
deployment path (`request.script_root`).

In debug mode, or whenever templates reload as they are edited, nothing is kept.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from flask import Flask, request, url_for
from markupsafe import Markup

from locator import vocabulary
from locator.search_query import DEFAULT_PER_PAGE, SearchQuery
from locator.web import cards
from locator.web.i18n import current_lang

FILTERS_TEMPLATE = "search/_filters.html"
KEPT = 256
LISTING_TEMPLATE = "search/_listing.html"
LISTINGS_KEPT = 4096  # about 6 MB per worker; more than a city's providers in both languages
AVAILABILITY_TEMPLATE = "search/_availability.html"
FRAME_PARTS = ("crisis", "footer")  # templates/partials/<name>.html


def init_app(app: Flask) -> None:
    reloading = app.debug or bool(app.config.get("TEMPLATES_AUTO_RELOAD"))

    @lru_cache(maxsize=0 if reloading else KEPT)
    def render(lang: str, for_someone: bool, filters: SearchQuery) -> Markup:
        template = app.jinja_env.get_template(FILTERS_TEMPLATE)
        return Markup(template.render(query=filters, for_someone=for_someone, vocabulary=vocabulary))

    def filter_fields(query: SearchQuery, for_someone: bool = False) -> Markup:
        """The filters of the form, set to `query`'s choices, in the page's language."""
        # The place and the page are not filters: they stay out of the key.
        return render(current_lang(), bool(for_someone), replace(query, location="", page=1,
                                                                per_page=DEFAULT_PER_PAGE))

    filter_fields.cache_info = render.cache_info
    app.jinja_env.globals["filter_fields"] = filter_fields

    @lru_cache(maxsize=0 if reloading else LISTINGS_KEPT)
    def listing(key: tuple) -> cards.Listing:
        return cards.render_listing(key, app.jinja_env.get_template(LISTING_TEMPLATE).module)

    app.extensions["locator.listing"] = listing

    @lru_cache(maxsize=0 if reloading else 1024)
    def availability(line: cards.AvailabilityLine) -> Markup:
        """An availability line (already in the page's language) as the provider page shows it."""
        return app.jinja_env.get_template(AVAILABILITY_TEMPLATE).module.availability_line(line)

    app.extensions["locator.availability"] = availability

    @lru_cache(maxsize=0 if reloading else 64)
    def render_part(name: str, _lang: str, demo: bool, _root: str) -> Markup:
        return Markup(app.jinja_env.get_template(f"partials/{name}.html").render(demo_data=demo))

    def frame_part(name: str, demo_data: bool = False) -> Markup:
        """A fixed part of the page's frame (FRAME_PARTS), in the page's language."""
        if name not in FRAME_PARTS:
            raise ValueError(f"unknown frame part {name!r}")
        return render_part(name, current_lang(), bool(demo_data), request.script_root)

    @lru_cache(maxsize=0 if reloading else 64)
    def static_address(filename: str, _root: str) -> str:
        return url_for("static", filename=filename)

    def static_url(filename: str) -> str:
        """url_for("static", filename=...), worked out once per file."""
        return static_address(filename, request.script_root)

    frame_part.cache_info = render_part.cache_info
    app.jinja_env.globals.update(frame_part=frame_part, static_url=static_url)
