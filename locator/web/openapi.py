"""The OpenAPI 3.1 description of the JSON API, served at `GET /api/openapi.json`.

Built in code from the modules it describes, so it cannot drift from them by hand: term enums
come from `locator.vocabulary`, search parameters and their bounds from `locator.search_query`,
precisions from the geocoder, reporter kinds and limits from `locator.availability`.
tests/web/test_openapi.py keeps it true with schemathesis (every GET operation, no 5xx, every
response matching its schema).
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from locator import search_query as sq
from locator import vocabulary
from locator.availability import FRESHNESS_KEYS, HOURS_MAX, MAX_WAIT_DAYS, NOTE_MAX
from locator.desk_models import VERIFIED_FACTS, VERIFIER_KINDS
from locator.geocoding.places import PLACE_PRECISIONS, PRECISIONS
from locator.models import BRIDGE_KINDS, DATA_NOTES, DETAILS_MAX, MAX_ID, PROBLEM_KINDS
from locator.ranking import REASON_KINDS
from locator.web import openapi_hsds
from locator.web.i18n import languages

bp = Blueprint("openapi", __name__)
VERSION = "1.0.0"
JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _obj(properties: dict, required=None, **extra) -> dict:
    return {"type": "object", "properties": properties, "required": list(required or properties), **extra}


def _terms(category: str) -> dict:
    return {"type": "array", "items": {"type": "string", "enum": vocabulary.CATEGORIES[category].keys()}}


def _schemas() -> dict:
    reporters = list(vocabulary.REPORTER_KINDS)
    medications = vocabulary.MEDICATIONS.keys()
    availability = _obj({
        "accepting_new_patients": _nullable("boolean"), "wait_days": _nullable("integer", minimum=0),
        "walk_in": _nullable("boolean"), "same_day_start": _nullable("boolean"),
        "updated_at": _nullable("string", format="date-time"),
        "reported_by": {"enum": [*reporters, None]}, "freshness": {"enum": list(FRESHNESS_KEYS)},
        "medication": {"enum": [*medications, None], "description": "The medication this availability is for."},
        "days_to_first_dose": _nullable("integer", minimum=0, description=(
            "Days until a first dose (docs/ranking.md): 0 for a same-day start, or a walk-in with a first dose "
            "at the first visit; else the wait, plus a day when the first visit gives no dose. null when not "
            "taking new patients or not known.")),
        "first_dose_at_first_visit": _nullable("boolean"), "walk_in_hours": {"type": "string"}})
    address = _obj({k: {"type": "string"} for k in ("street", "street2", "city", "state", "zip")})
    provider = _obj({
        "id": {"type": "integer"}, "name": {"type": "string"}, "name2": {"type": "string"}, "address": address,
        "phone": {"type": "string"}, "intake_phone": {"type": "string"}, "website": {"type": "string"},
        "latitude": {"type": "number"}, "longitude": {"type": "number"},
        "geocode_precision": {"type": "string", "enum": list(PRECISIONS)},
        **{c: _terms(c) for c in vocabulary.CATEGORIES},
        "insurance_plans": {"type": "array", "items": {"type": "string"}},
        "telehealth": {"type": "boolean"}, "accepts_outside_moud": _nullable("boolean"),
        "counseling_required_to_start": _nullable("boolean"),
        "hours": {"type": "string"}, "dosing_hours": {"type": "string"}, "demo": {"type": "boolean"},
        "data_notes": {"type": "array", "items": {"enum": list(DATA_NOTES)},
                       "description": "How the directory described it: methadone_by_certification (a certified "
                                      "opioid treatment program listed under methadone without a methadone code), "
                                      "marked_no_moud (also marked as not offering medication)."},
        "availability": _ref("Availability"),
        "availability_by_medication": {
            "type": "object", "propertyNames": {"enum": medications},
            "additionalProperties": _ref("Availability"),
            "description": "For each medication offered: its newest report naming it, else the newest for all."},
        "verified": _obj({fact: _nullable("string", format="date") for fact in VERIFIED_FACTS}, description=(
            "When staff (or the provider) last confirmed each fact of the listing; null: never.")),
        "verified_by": _obj({fact: {"enum": [*VERIFIER_KINDS, None]} for fact in VERIFIED_FACTS},
                            description="Who confirmed each fact: staff or the provider; null: never confirmed."),
        "phone_not_working_since": _nullable("string", format="date", description=(
            "Staff found the phone number not working on this day (the intake line or the helpline may help).")),
        "closed_since": _nullable("string", format="date", description=(
            "Staff found the place closed on this day; closed listings are left out of search."))})
    result = {"allOf": [_ref("Provider"), _obj({
        "distance_miles": _nullable("number", minimum=0),
        "distance_precision": {"enum": [*PRECISIONS, None],
                               "description": "How exact the distance is: the provider's location is a street "
                                              "address, or only its ZIP's or city's point (then approximate)."},
        "score": {"type": "number"},
        "reasons": {"type": "array", "items": {"type": "string"},
                    "description": "Why the result is listed here, worded in the request's language."},
        "reason_details": {"type": "array", "items": _ref("Reason"),
                           "description": "The same reasons as data, in the same order."}})]}
    reason = _obj({"kind": {"type": "string", "enum": list(REASON_KINDS)},
                   "miles": {"type": "number", "minimum": 0}, "precision": {"enum": list(PRECISIONS)},
                   "days": {"type": "integer", "minimum": 0},
                   "medication": {"enum": medications}, "hours": {"type": "string"},
                   "reported_by": {"enum": reporters}, "age_days": {"type": "integer", "minimum": 0},
                   "since": {"type": "string", "format": "date"}, "term": {"type": "string"}},
                  required=["kind"], additionalProperties=False)
    place = _obj({"query": {"type": "string"}, "lat": {"type": "number"}, "lon": {"type": "number"},
                  "label": {"type": "string"}, "precision": {"type": "string", "enum": list(PLACE_PRECISIONS)},
                  "reduced": {"type": "boolean"}})
    search = _obj({
        "query": _obj({"location": place}, description="The parameters as understood (defaults left out)."),
        "radius_miles": {"type": "number"}, "widened": {"type": "boolean"},
        "total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "results": {"type": "array", "items": _ref("Result")},
        "telehealth": {"type": "array", "items": _ref("Result"),
                       "description": "Telehealth providers of the place's state, fewest expected days to a first "
                                      "dose first."},
        "bridges": {"type": "array", "items": _ref("Bridge"),
                    "description": "The state's start-today bridge options, when start_within=0 or fewer than 3 "
                                   "places match (docs/bridges.md); otherwise empty."}})
    bridge = _obj({"name": {"type": "string"}, "kind": {"enum": list(BRIDGE_KINDS)}, "phone": {"type": "string"},
                   "hours": {"type": "string"}, "medications": _terms("medications"), "notes": {"type": "string"},
                   "url": {"type": "string"}, "state": {"type": "string"},
                   "verified_on": _nullable("string", format="date"),
                   "demo": {"type": "boolean", "description": "A fictional demonstration listing."}})
    error = _obj({"error": _obj({
        "code": {"type": "string", "description": "invalid_parameter, invalid_location, location_not_found, "
                 "location_ambiguous, not_found, token_required, invalid_token, wrong_provider, too_large, "
                 "rate_limited, unavailable ..."},
        "message": {"type": "string", "description": "For a person to read."},
        "field": _nullable("string", description="The parameter or field at fault."),
        "errors": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "One message per bad field (400)."},
        "candidates": {"type": "array", "items": _obj({"label": {"type": "string"}, "query": {"type": "string"}}),
                       "description": "Places to choose from (location_ambiguous)."}},
        required=["code", "message", "field"])})
    said = {"medication": {"enum": [*medications, None],
                           "description": "The medication the report is for; null or left out: all the provider's."},
            "first_dose_at_first_visit": _nullable("boolean"),
            "walk_in_hours": _nullable("string", maxLength=HOURS_MAX),
            "counseling_required_to_start": _nullable("boolean")}
    report_in = _obj({
        "accepting_new_patients": {"type": "boolean"},
        "wait_days": _nullable("integer", minimum=0, maximum=MAX_WAIT_DAYS),
        "walk_in": _nullable("boolean"), "same_day_start": _nullable("boolean"), **said,
        "note": _nullable("string", maxLength=NOTE_MAX)}, required=["accepting_new_patients"],
        additionalProperties=False)
    report = _obj({
        "id": {"type": "integer"}, "reported_at": {"type": "string", "format": "date-time"},
        "reporter_kind": {"type": "string", "enum": reporters},
        "accepting_new_patients": _nullable("boolean"), "wait_days": _nullable("integer", minimum=0),
        "walk_in": _nullable("boolean"), "same_day_start": _nullable("boolean"), **said,
        "days_to_first_dose": _nullable("integer", minimum=0), "note": {"type": "string"},
        "freshness": {"enum": list(FRESHNESS_KEYS)}, "age_days": _nullable("integer", minimum=0),
        "current": {"type": "boolean"}})
    history = _obj({"provider_id": {"type": "integer"}, "limit": {"type": "integer"},
                    "reports": {"type": "array", "items": _ref("Report")}})
    problem_in = _obj({"kind": {"enum": list(PROBLEM_KINDS)},
                       "details": _nullable("string", maxLength=DETAILS_MAX)}, required=["kind"],
                      additionalProperties=False)
    problem = _obj({"id": {"type": "integer"}, "provider_id": {"type": "integer"},
                    "kind": {"enum": list(PROBLEM_KINDS)}, "details": {"type": "string"},
                    "reported_at": {"type": "string", "format": "date-time"}})
    return {**openapi_hsds.SCHEMAS, "ProblemInput": problem_in, "ProblemReport": problem, "Bridge": bridge,
            "Availability": availability, "Provider": provider,
            "Result": result, "Reason": reason, "SearchResponse": search, "Error": error, "ReportInput": report_in,
            "Report": report, "ReportHistory": history}


def _param(name: str, schema: dict, description: str, required=False, where="query") -> dict:
    param = {"name": name, "in": where, "required": required, "description": description, "schema": schema}
    if schema.get("type") == "array":
        param.update(style="form", explode=True)
    return param


def search_parameters() -> list[dict]:
    """Every parameter `locator.search_query.parse_query` reads, plus `lang`."""
    params = [
        _param("location", {"type": "string", "minLength": 1, "maxLength": sq.MAX_LOCATION},
               'A ZIP code, "City, ST", a street address or "lat,lon".', required=True),
        _param("radius", {"type": "number", "minimum": sq.MIN_RADIUS, "maximum": sq.MAX_RADIUS,
                          "default": sq.DEFAULT_RADIUS}, "Miles; widened step by step when few results."),
    ]
    for name, category in sq.LIST_PARAMS.items():
        params.append(_param(name, _terms(category), f"Any of these {category} (repeat the parameter, "
                                                     "or separate values with commas)."))
    for name in sq.FLAG_PARAMS:
        params.append(_param(name, {"type": "string", "enum": ["1", "0"]}, f"1: only {name.replace('_', ' ')}."))
    params += [
        _param("max_wait", {"type": "integer", "minimum": 0, "maximum": MAX_WAIT_DAYS},
               "Only providers reporting a wait of at most this many days."),
        _param("start_within", {"type": "integer", "minimum": 0, "maximum": MAX_WAIT_DAYS},
               "Only providers with a known first dose of the medication asked for within this many days "
               "(0: today)."),
        _param("sort", {"type": "string", "enum": list(sq.SORTS), "default": "best"},
               "The order of results: best, distance, soonest (first dose; wait is the same)."),
        _param("page", {"type": "integer", "minimum": 1, "maximum": sq.MAX_PAGE, "default": 1}, "Page number."),
        _param("per_page", {"type": "integer", "minimum": 1, "maximum": sq.MAX_PER_PAGE,
                            "default": sq.DEFAULT_PER_PAGE}, "Results per page."),
        _param("lang", {"type": "string", "enum": list(languages())}, "Language of the reasons and messages."),
    ]
    return params


def _response(description: str, schema: str = "Error", headers: dict | None = None) -> dict:
    out = {"description": description, "content": {JSON: {"schema": _ref(schema)}}}
    if headers:
        out["headers"] = headers
    return out


ERRORS = {
    "400": "A parameter or field is invalid (invalid_parameter, invalid_location).",
    "401": "No token, or an unknown or revoked token (token_required, invalid_token).",
    "403": "The token reports for another provider (wrong_provider).",
    "404": "No provider has this id (not_found).",
    "413": "The body is larger than 4 KB (too_large).",
    "422": "The location was not found, or is ambiguous: see candidates.",
    "429": "Too many requests (rate_limited).",
    "503": "The directory is unavailable for a moment (unavailable).",
}


def _errors(*codes: str) -> dict:
    return {code: _response(ERRORS[code]) for code in codes}


def _paths() -> dict:
    provider_id = _param("id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The provider's id.",
                         required=True, where="path")
    return {
        "/api/v1/search": {"get": {
            "operationId": "searchProviders", "tags": ["search"], "summary": "Providers near a place",
            "parameters": search_parameters(),
            "responses": {"200": _response("Ranked results and telehealth options.", "SearchResponse"),
                          **_errors("400", "422", "429", "503")}}},
        "/api/v1/providers/{id}": {"get": {
            "operationId": "getProvider", "tags": ["providers"], "summary": "One provider",
            "parameters": [provider_id],
            "responses": {"200": _response("The provider.", "Provider"), **_errors("404", "429", "503")}}},
        "/api/v1/providers/{id}/availability": {
            "get": {"operationId": "getAvailabilityHistory", "tags": ["availability"],
                    "summary": "The provider's availability reports, newest first", "parameters": [provider_id],
                    "responses": {"200": _response("The history.", "ReportHistory"),
                                  **_errors("404", "429", "503")}},
            "post": {"operationId": "reportAvailability", "tags": ["availability"],
                     "summary": "Report availability (a provider's or a caseworker's token)",
                     "security": [{"bearerAuth": []}], "parameters": [provider_id],
                     "requestBody": {"required": True, "content": {JSON: {"schema": _ref("ReportInput")}}},
                     "responses": {"201": _response("The stored report.", "Report", headers={
                         "Location": {"description": "The history's address.", "schema": {"type": "string"}}}),
                         **_errors("400", "401", "403", "404", "413", "429", "503")}}},
        "/api/v1/providers/{id}/problems": {"post": {
            "operationId": "reportProblem", "tags": ["problems"],
            "summary": "Tell staff something is wrong with a listing (no token; nothing about the sender is kept)",
            "parameters": [provider_id],
            "requestBody": {"required": True, "content": {JSON: {"schema": _ref("ProblemInput")}}},
            "responses": {"201": _response("The stored report.", "ProblemReport"),
                          **_errors("400", "404", "413", "429", "503")}}},
        **openapi_hsds.paths(),
        "/api/openapi.json": {"get": {
            "operationId": "getOpenApiDocument", "tags": ["meta"], "summary": "This document",
            "responses": {"200": {"description": "The OpenAPI 3.1 document.",
                                  "content": {JSON: {"schema": {"type": "object"}}}}}}},
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "MOUD treatment locator API", "version": VERSION,
                 "description": "Find places that treat opioid use disorder with medication, and keep their "
                                "availability fresh. Terms are the vocabulary's keys; see docs/open-data.md."},
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "paths": _paths(),
        "components": {"schemas": _schemas(), "securitySchemes": {"bearerAuth": {
            "type": "http", "scheme": "bearer",
            "description": "A token from `flask --app locator issue-token` (provider or --staff)."}}},
    }


@bp.get("/api/openapi.json")
def openapi_json():
    return jsonify(document())
