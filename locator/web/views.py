"""HTML pages: the search form, results, a provider, privacy, and the health checks.

Views are thin: parse the query, geocode, call the domain core, render. A problem a person
can cause (a bad value, an unknown place) is shown on the form, never as an error page.
Templates word and format what the views hand them (templates/macros/provider.html renders
every provider card).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request
from flask_babel import gettext

from locator import availability, verification, vocabulary
from locator.db import get_session, provider_count
from locator.geocoding import GeocodeError
from locator.mapsvg import results_map
from locator.models import find_provider
from locator.problems import cautions
from locator.ranking import availability_reasons, best_of
from locator.search import search, telehealth_options
from locator.search_query import DEFAULT_RADIUS, QueryError, SearchQuery, parse_query
from locator.web.hooks import kept_list, referral_ids
from locator.web.i18n import url
from locator.web.referral_links import this_page
from locator.web.wording import Words

bp = Blueprint("views", __name__)


def form_context(query: SearchQuery | None = None, errors: dict | None = None, **extra) -> dict:
    return {"query": query or SearchQuery(), "errors": errors or {}, "vocabulary": vocabulary,
            "default_radius": DEFAULT_RADIUS,
            "for_someone": request.args.get("for") == "someone", **extra}


def place_name(place) -> str:
    if place.precision == "point":
        return gettext("near %(place)s", place=place.label)
    return place.label


@bp.get("/")
def home():
    return render_template("search/index.html", **form_context())


@bp.get("/search")
def search_page():
    try:
        query = parse_query(request.args)
    except QueryError as exc:
        words = Words()
        errors = {name: words.problem(problem) for name, problem in exc.errors.items()}
        return render_template("search/index.html", **form_context(errors=errors)), 400
    if not query.location:
        return render_template("search/index.html", **form_context(
            query, {"location": gettext("Enter a ZIP code, a city and state, or an address.")}))
    session = get_session()
    try:
        place = current_app.extensions["locator.geocoder"].locate(query.location, session)
    except GeocodeError as exc:
        return render_template("search/index.html", **form_context(
            query, {"location": Words().location_error(exc)}, candidates=exc.candidates))
    results = search(session, query, place)
    if not results.results and query.page > results.pages:  # past the last page: show the last one
        return redirect(url("views.search_page", **dict(query.to_params(), page=results.pages, **kept_list())))
    if not results.results and not results.telehealth:
        results.telehealth = telehealth_options(session, SearchQuery(medication=("buprenorphine",)), place.state)
    where = place_name(place)
    first = (query.page - 1) * query.per_page + 1
    dots = [(first + n, r.provider.latitude, r.provider.longitude) for n, r in enumerate(results.results)]
    shown = [r.provider.id for r in results.results + results.telehealth]
    return render_template("search/results.html", **form_context(
        query, results=results, place=place, place_name=where, cautions=cautions(session, shown),
        drawing=results_map(place.latitude, place.longitude, results.radius_miles, dots),
        list_ids=referral_ids(), back=this_page()))


@bp.get("/providers/<int:provider_id>")
def provider_page(provider_id: int):
    session = get_session()
    provider = find_provider(session, provider_id)
    if provider is None:
        abort(404)
    by_medication = availability.availability_by_medication(provider)
    current = best_of(provider, by_medication)
    return render_template("providers/detail.html", provider=provider, availability=current,
                           by_medication=by_medication, cautions=cautions(session, [provider_id]),
                           reported=request.args.get("reported") == "1",
                           verified=verification.verified(session, [provider_id]).get(provider_id, {}),
                           reports=availability.history(session, provider_id, limit=10),
                           reasons=availability_reasons(current), sources=provider.sources,
                           list_ids=referral_ids(), back=this_page())


@bp.get("/privacy")
def privacy():
    geocoder = current_app.extensions["locator.geocoder"]
    return render_template("pages/privacy.html", remote_geocoder=geocoder.remote is not None,
                           cache_days=geocoder.cache_days)


@bp.get("/livez")
def livez():
    """The process answers (no database): for load balancers."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    """The service works: the database answers, asked on every call. 503 when it does not."""
    return jsonify(status="ok", providers=provider_count(get_session()))
