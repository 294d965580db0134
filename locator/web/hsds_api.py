"""The Open Referral HSDS 3.0 API, read-only, under `/api/hsds/` (docs/open-data.md).

    GET /api/hsds/                                  version, profile, openapi_url
    GET /api/hsds/services[/{id}]                   one service per provider and medication
    GET /api/hsds/organizations[/{id}]              one organization per provider
    GET /api/hsds/service_at_locations[/{id}]       with postcode and proximity (metres)
    GET /api/hsds/taxonomies[/{id}], /taxonomy_terms[/{id}]   our vocabulary, with SAMHSA codes

Lists come in the specification's Page envelope; `format=ndjson` streams every match, one
object a line, in constant memory. Unknown ids are 404 and bad parameters 400, in the API's
error format. The objects are locator.hsds_objects'; which ones, locator.hsds_queries'.
"""

from __future__ import annotations

import math

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context
from flask_babel import gettext

from locator import hsds_objects, hsds_queries
from locator.db import get_session, new_session
from locator.hsds_ids import read_record_id
from locator.web.errors import error_response
from locator.web.hsds_params import ParamError, flag, hsds_query, streaming, whole

bp = Blueprint("hsds", __name__, url_prefix="/api/hsds")
PROFILE = "https://docs.openreferral.org/en/v3.0/hsds/"


@bp.errorhandler(ParamError)
def bad_parameter(exc: ParamError):
    return error_response(400, "invalid_parameter", exc.message, exc.field)


def _not_found(given: str):
    return error_response(404, "not_found", gettext("Nothing here has the id %(id)s.", id=given[:80]), "id")


def _page(contents: list, total: int, page: int, per_page: int):
    pages = math.ceil(total / per_page)
    return jsonify(total_items=total, total_pages=pages, page_number=page, size=len(contents),
                   first_page=page == 1, last_page=page >= pages, empty=total == 0, contents=contents)


def _ndjson(produce):
    """Every object `produce(session)` yields, one JSON a line. The stream reads with a session of
    its own, closed when the stream ends: the request's is closed when the view returns."""
    dumps = current_app.json.dumps

    def lines():
        with new_session() as session:
            for item in produce(session):
                yield dumps(item) + "\n"
    return Response(stream_with_context(lines()), mimetype="application/x-ndjson")


@bp.get("/")
def root():
    return jsonify(version="3.0", profile=PROFILE,
                   openapi_url=current_app.config["PUBLIC_URL"] + "/api/openapi.json")


def _service_list(kind: str, build):
    session = get_session()
    q = hsds_query(session, places=kind == "service_at_location")
    if streaming():
        return _ndjson(lambda own: (build(p, m) for p, m in hsds_queries.every_service(own, q)))
    rows, total = hsds_queries.service_page(session, q)
    providers = hsds_queries.load(session, [pid for pid, _ in rows])
    return _page([build(providers[pid], m) for pid, m in rows], total, q.page, q.per_page)


@bp.get("/services")
def services():
    full, minimal = flag("full"), flag("minimal")

    def build(provider, medication):
        service = hsds_objects.service_object(provider, medication, full=full)
        if minimal:
            return {k: service[k] for k in ("id", "name", "status", "last_modified") if k in service}
        return service
    return _service_list("service", build)


@bp.get("/service_at_locations")
def service_at_locations():
    full = flag("full")
    return _service_list("service_at_location",
                         lambda p, m: hsds_objects.service_at_location_object(p, m, full=full))


def _one(kind: str, given: str):
    """The provider (and medication) an id of that kind names, or None."""
    found = read_record_id(given, kind)
    if found is None:
        return None
    provider = hsds_queries.load(get_session(), [found[0]]).get(found[0])
    if provider is None or (found[1] is not None and found[1] not in provider.medications):
        return None
    return provider, found[1]


@bp.get("/services/<path:given>")
def service(given: str):
    found = _one("service", given)
    return jsonify(hsds_objects.service_object(*found, full=True)) if found else _not_found(given)


@bp.get("/service_at_locations/<path:given>")
def service_at_location(given: str):
    found = _one("service_at_location", given)
    return jsonify(hsds_objects.service_at_location_object(*found, full=True)) if found else _not_found(given)


@bp.get("/organizations")
def organizations():
    full, full_service = flag("full"), flag("full_service")
    session = get_session()
    q = hsds_query(session)

    def build(provider):
        return hsds_objects.organization_object(provider, full=full, full_service=full_service)
    if streaming():
        return _ndjson(lambda own: (build(p) for p in hsds_queries.every_organization(own, q)))
    ids, total = hsds_queries.organization_page(session, q)
    providers = hsds_queries.load(session, ids)
    return _page([build(providers[i]) for i in ids], total, q.page, q.per_page)


@bp.get("/organizations/<path:given>")
def organization(given: str):
    found = _one("organization", given)
    if not found:
        return _not_found(given)
    return jsonify(hsds_objects.organization_object(found[0], full=True, full_service=flag("full_service")))


def _static_list(items: list[dict]):
    search = " ".join((request.args.get("search") or "").split()).lower()
    if search:
        items = [i for i in items if search in " ".join(str(v) for v in i.values()).lower()]
    page, per_page = whole("page", 1, 100_000), whole("per_page", 50, 500)
    if streaming():
        return _ndjson(lambda _session: items)
    return _page(items[(page - 1) * per_page:page * per_page], len(items), page, per_page)


@bp.get("/taxonomies")
def taxonomies():
    return _static_list(hsds_objects.taxonomies())


@bp.get("/taxonomies/<path:given>")
def taxonomy(given: str):
    found = next((t for t in hsds_objects.taxonomies() if t["id"] == given.strip().lower()), None)
    return jsonify(found) if found else _not_found(given)


@bp.get("/taxonomy_terms")
def taxonomy_terms():
    terms = hsds_objects.taxonomy_terms()
    wanted = (request.args.get("taxonomy_id") or "").strip().lower()
    if wanted:
        terms = [t for t in terms if t["taxonomy_id"] == wanted]
    if (request.args.get("parent_id") or "").strip():
        terms = []  # our terms have no parents: every term is a top term
    flag("top_only")  # checked for its value; all our terms are top terms
    return _static_list(terms)


@bp.get("/taxonomy_terms/<path:given>")
def taxonomy_term(given: str):
    found = next((t for t in hsds_objects.taxonomy_terms() if t["id"] == given.strip().lower()), None)
    return jsonify(found) if found else _not_found(given)
