"""The HSDS API's part of our OpenAPI document (`/api/openapi.json`): its paths, parameters and
response shapes. The shapes here are the outline the specification's compiled schemas fill in
(required fields, the Page envelope); the tests hold every answer to those compiled schemas too.
Nothing here refers to a remote document, so tools read it offline."""

from __future__ import annotations

from locator.web.hsds_params import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_PROXIMITY

JSON = "application/json"
NDJSON = "application/x-ndjson"


def _record(*required: str, description: str) -> dict:
    return {"type": "object", "required": list(required), "description": description,
            "properties": {name: {"type": "string"} for name in required}}


SCHEMAS = {
    "HsdsRoot": {"type": "object", "required": ["version", "profile", "openapi_url"],
                 "properties": {"version": {"const": "3.0"}, "profile": {"type": "string", "format": "uri"},
                                "openapi_url": {"type": "string", "format": "uri"}}},
    "HsdsService": _record("id", "name", "status", description="An HSDS 3.0 service (compiled/service.json; "
                                                               "in lists, service_list.json)."),
    "HsdsOrganization": _record("id", "name", "description", description="An HSDS 3.0 organization "
                                                                          "(compiled/organization.json)."),
    "HsdsServiceAtLocation": _record("id", description="An HSDS 3.0 service_at_location "
                                                       "(compiled/service_at_location.json)."),
    "HsdsTaxonomy": _record("id", "name", "description", description="An HSDS 3.0 taxonomy."),
    "HsdsTaxonomyTerm": _record("id", "name", "description", description="An HSDS 3.0 taxonomy term."),
}


def _page(item: str) -> dict:
    return {"type": "object", "required": ["total_items", "total_pages", "page_number", "size", "first_page",
                                           "last_page", "empty", "contents"],
            "properties": {"total_items": {"type": "integer", "minimum": 0},
                           "total_pages": {"type": "integer", "minimum": 0},
                           "page_number": {"type": "integer", "minimum": 1}, "size": {"type": "integer", "minimum": 0},
                           "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"},
                           "empty": {"type": "boolean"},
                           "contents": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}}}


def _param(name: str, schema: dict, description: str, where: str = "query") -> dict:
    return {"name": name, "in": where, "required": where == "path", "description": description, "schema": schema}


BOOLEAN = {"type": "string", "enum": ["true", "false"]}
PAGING = [
    _param("search", {"type": "string", "maxLength": 200}, "Words in the name, second name or city."),
    _param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number."),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
           "Results per page."),
    _param("format", {"type": "string", "enum": ["json", "ndjson"], "default": "json"},
           "ndjson: every result, one JSON object a line, without pages."),
]
FILTERS = [
    _param("taxonomy_term_id", {"type": "string"}, "Only services filed under this term."),
    _param("taxonomy_id", {"type": "string"}, "Only services with a term of this taxonomy."),
    _param("organization_id", {"type": "string"}, "Only this organization's services."),
    _param("modified_after", {"type": "string", "format": "date-time"}, "Only records changed at or after this."),
    _param("full", BOOLEAN, "Fully nested records."),
]
PLACES = [
    _param("postcode", {"type": "string", "pattern": "^[0-9]{5}$"}, "A ZIP code: nearest first."),
    _param("proximity", {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_PROXIMITY},
           "Only within this many metres of the postcode's centre (needs postcode)."),
]


def _ok(description: str, schema: dict, stream: bool = False) -> dict:
    content = {JSON: {"schema": schema}}
    if stream:
        content[NDJSON] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


def _error(description: str) -> dict:
    return {"description": description, "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _list(operation: str, item: str, params: list, summary: str) -> dict:
    return {"get": {"operationId": operation, "tags": ["hsds"], "summary": summary, "parameters": params,
                    "responses": {"200": _ok("A page of records (or, with format=ndjson, every one).", _page(item),
                                             stream=True),
                                  "400": _error("A parameter is invalid (invalid_parameter)."),
                                  "503": _error("The directory is unavailable for a moment.")}}}


def _one(operation: str, item: str, summary: str, params: list | None = None) -> dict:
    return {"get": {"operationId": operation, "tags": ["hsds"], "summary": summary,
                    "parameters": [_param("id", {"type": "string"}, "The record's id.", "path"), *(params or [])],
                    "responses": {"200": _ok("The record, fully nested.", {"$ref": f"#/components/schemas/{item}"}),
                                  "400": _error("A parameter is invalid (invalid_parameter)."),
                                  "404": _error("Nothing has this id (not_found)."),
                                  "503": _error("The directory is unavailable for a moment.")}}}


def paths() -> dict:
    full_service = _param("full_service", BOOLEAN, "Services fully nested in the organization.")
    return {
        "/api/hsds/": {"get": {"operationId": "hsdsRoot", "tags": ["hsds"], "summary": "About this HSDS API",
                               "responses": {"200": _ok("Version, profile and this document's address.",
                                                        {"$ref": "#/components/schemas/HsdsRoot"})}}},
        "/api/hsds/services": _list("hsdsServices", "HsdsService", PAGING + FILTERS + [
            _param("minimal", BOOLEAN, "Only id, name, status and last_modified.")], "Services: one per medication"),
        "/api/hsds/services/{id}": _one("hsdsService", "HsdsService", "One service"),
        "/api/hsds/organizations": _list("hsdsOrganizations", "HsdsOrganization",
                                         [*PAGING, FILTERS[-1], full_service], "Organizations"),
        "/api/hsds/organizations/{id}": _one("hsdsOrganization", "HsdsOrganization", "One organization",
                                             [full_service]),
        "/api/hsds/service_at_locations": _list("hsdsServiceAtLocations", "HsdsServiceAtLocation",
                                                PAGING + FILTERS + PLACES, "Services at their locations"),
        "/api/hsds/service_at_locations/{id}": _one("hsdsServiceAtLocation", "HsdsServiceAtLocation",
                                                    "One service at its location"),
        "/api/hsds/taxonomies": _list("hsdsTaxonomies", "HsdsTaxonomy", PAGING, "Our taxonomies"),
        "/api/hsds/taxonomies/{id}": _one("hsdsTaxonomy", "HsdsTaxonomy", "One taxonomy"),
        "/api/hsds/taxonomy_terms": _list("hsdsTaxonomyTerms", "HsdsTaxonomyTerm", [
            *PAGING, _param("taxonomy_id", {"type": "string"}, "Only this taxonomy's terms."),
            _param("top_only", BOOLEAN, "Only top terms (all of ours are)."),
            _param("parent_id", {"type": "string"}, "Only this term's children (ours have none).")],
            "Taxonomy terms, with SAMHSA codes"),
        "/api/hsds/taxonomy_terms/{id}": _one("hsdsTaxonomyTerm", "HsdsTaxonomyTerm", "One taxonomy term"),
    }
