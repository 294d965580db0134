"""HTML pages: the search form, results, a provider, privacy, and the health check.

Views are thin: parse the query, geocode, call the domain core, render. A problem a person
can cause (a bad value, an unknown place) is shown on the form, never as an error page.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from markupsafe import Markup

from locator import availability, vocabulary
from locator.db import get_session, provider_count
from locator.geocoding import GeocodeError
from locator.mapsvg import results_map
from locator.models import Provider
from locator.ranking import availability_reasons
from locator.search import search, telehealth_options
from locator.search_query import QueryError, SearchQuery, parse_query
from locator.serialize import current_availability
from locator.web import cards
from locator.web.i18n import current_lang, gettext
from locator.web.referrals import referral_add_urls

bp = Blueprint("views", __name__)


def form_context(query: SearchQuery | None = None, errors: dict | None = None, **extra) -> dict:
    return {"query": query or SearchQuery(), "errors": errors or {}, "vocabulary": vocabulary,
            "for_someone": request.args.get("for") == "someone", **extra}


@bp.get("/")
def home():
    return render_template("search/index.html", **form_context())


@bp.get("/search")
def search_page():
    lang = current_lang()
    try:
        query = parse_query(request.args)
    except QueryError as exc:
        return render_template("search/index.html", **form_context(errors=exc.text(lang))), 400
    if not query.location:
        return render_template("search/index.html", **form_context(
            query, {"location": gettext("Enter a ZIP code, a city and state, or an address.")}))
    session = get_session()
    try:
        place = current_app.extensions["locator.geocoder"].locate(query.location, session)
    except GeocodeError as exc:
        return render_template("search/index.html", **form_context(
            query, {"location": exc.text(lang)}, candidates=exc.candidates))
    results = search(session, query, place, lang=lang)
    if not results.results and not results.telehealth:
        results.telehealth = telehealth_options(session, SearchQuery(medication=("buprenorphine",)),
                                                place.state, lang)
    # A point's label reads "near 10007, New York, NY": the page's own words say "near" already.
    place_name = place.label.removeprefix("near ")
    card = cards.maker(referral_add_urls(), cards.provider_urls())
    first = (query.page - 1) * query.per_page + 1
    dots = [(first + n, r.provider.latitude, r.provider.longitude) for n, r in enumerate(results.results)]
    drawing = results_map(place.latitude, place.longitude, results.radius_miles, dots,
                          gettext("Map of the numbered places on this page around %(place)s", place=place_name),
                          gettext("You searched here"))
    return render_template("search/results.html", **form_context(
        query, results=results, place=place, place_name=place_name, map_svg=Markup(drawing),
        card_words=cards.card_words(), cards=[card(r) for r in results.results],
        telehealth_cards=[card(r) for r in results.telehealth]))


@bp.get("/providers/<int:provider_id>")
def provider_page(provider_id: int):
    session = get_session()
    provider = session.get(Provider, provider_id)
    if provider is None:
        abort(404)
    reports = availability.history(session, provider_id, limit=10)
    avail = current_availability(provider)
    return render_template("providers/detail.html", provider=provider, reports=reports, availability=avail,
                           reasons=availability_reasons(avail, current_lang()), vocabulary=vocabulary,
                           freshness=availability.freshness, sources=provider.sources)


@bp.get("/privacy")
def privacy():
    return render_template("pages/privacy.html")


@bp.get("/livez")
def livez():
    """The process answers (no database): for load balancers and as the load test's baseline."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    """The service works: the database answers. 503 (with the helpline page) when it does not."""
    return jsonify(status="ok", providers=provider_count(get_session()))
