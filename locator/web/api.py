"""The JSON API (version 1): search and providers, with the result and error shapes of the
guide (section 4). Same parameters, same core as the HTML search. Messages and reasons are
worded in the request's language (English unless `?lang=` or Accept-Language asks for another).
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext

from locator import verification
from locator.bridges import bridge_dict
from locator.db import get_session
from locator.geocoding import GeocodeError, LocationAmbiguous
from locator.models import find_provider
from locator.search import search
from locator.search_query import QueryError, parse_query
from locator.serialize import provider_dict, result_dict
from locator.web.errors import error_response
from locator.web.wording import Words

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _result(result, words: Words, verified: dict) -> dict:
    return result_dict(result, words.reasons(result.reasons), verified.get(result.provider.id))


@bp.get("/search")
def api_search():
    try:
        query = parse_query(request.args)
    except QueryError as exc:
        words = Words()
        errors = {name: words.problem(problem, keys=True) for name, problem in exc.errors.items()}
        field, message = next(iter(errors.items()))
        return error_response(400, "invalid_parameter", words.gettext("%(field)s %(problem)s", field=field,
                                                                      problem=message), field, errors=errors)
    if not query.location:
        return error_response(400, "invalid_parameter", gettext("location is required"), "location")
    session = get_session()
    try:
        place = current_app.extensions["locator.geocoder"].locate(query.location, session)
    except GeocodeError as exc:
        status = 400 if exc.code == "invalid_location" else 422
        extra = {"candidates": [{"label": c.label, "query": c.query} for c in exc.candidates]} \
            if isinstance(exc, LocationAmbiguous) else {}
        return error_response(status, exc.code, Words().location_error(exc), "location", **extra)
    results = search(session, query, place)
    words = Words()
    params = query.to_params()
    params["location"] = {"query": query.location, "lat": place.latitude, "lon": place.longitude,
                          "label": place.label, "precision": place.precision, "reduced": place.reduced}
    shown = [*results.results, *results.telehealth]
    facts = verification.verified(get_session(), {r.provider.id for r in shown})
    return jsonify(query=params, radius_miles=results.radius_miles, widened=results.widened,
                   total=results.total, page=query.page, pages=results.pages,
                   results=[_result(r, words, facts) for r in results.results],
                   telehealth=[_result(r, words, facts) for r in results.telehealth],
                   bridges=[bridge_dict(b) for b in results.bridges])


@bp.get("/providers/<int:provider_id>")
def api_provider(provider_id: int):
    provider = find_provider(get_session(), provider_id)
    if provider is None:
        return error_response(404, "not_found", gettext("No provider has the id %(id)s.", id=provider_id), "id")
    verified = verification.verified(get_session(), [provider_id]).get(provider_id)
    return jsonify(provider_dict(provider, verified=verified))
