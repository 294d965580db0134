"""The OpenAPI document: valid OpenAPI 3.1, complete, and true of the running app (schemathesis).

SCHEMATHESIS_MAX_EXAMPLES sets the examples per run in RUNS (default 100). Eight runs generate up
to that many cases each (search with valid and invalid data, each with any location and with
places the gazetteer knows; the two provider operations with valid and invalid data), the two
runs over existing ids one per provider: the total is about 8 x the value + 10. CI sets 130:
more than 1,000 cases.
"""

import dataclasses
import os
import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from locator import vocabulary
from locator.search_query import LIST_PARAMS, SearchQuery
from tests.factories import make_provider

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "100"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HSDS_OPERATIONS = ("GET /api/hsds/", "GET /api/hsds/services", "GET /api/hsds/services/{id}",
                   "GET /api/hsds/organizations", "GET /api/hsds/organizations/{id}",
                   "GET /api/hsds/service_at_locations", "GET /api/hsds/service_at_locations/{id}",
                   "GET /api/hsds/taxonomies", "GET /api/hsds/taxonomies/{id}", "GET /api/hsds/taxonomy_terms",
                   "GET /api/hsds/taxonomy_terms/{id}")
GET_OPERATIONS = ("GET /api/v1/search", "GET /api/v1/providers/{id}", "GET /api/v1/providers/{id}/availability",
                  *HSDS_OPERATIONS)


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.fixture
def doc(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(doc):
    assert doc["openapi"].startswith("3.1.")
    try:  # the official OAS 3.1 meta-schema, as bundled with schemathesis
        from schemathesis.specs.openapi.definitions import OPENAPI_31
    except ImportError:  # pragma: no cover - a schemathesis without it: the structure checks below remain
        OPENAPI_31 = None
    if OPENAPI_31 is not None:
        Draft202012Validator(OPENAPI_31).validate(doc)
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for ref in _refs(doc):
        assert ref.startswith("#/components/schemas/") and ref.split("/")[-1] in doc["components"]["schemas"]
    operation_ids = []
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            assert any(code.startswith("2") for code in operation["responses"]), (method, path)
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), (method, path)
    assert len(operation_ids) == len(set(operation_ids))


def test_it_describes_every_search_parameter_with_the_vocabulary_as_enums(doc):
    params = {p["name"]: p for p in doc["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert set(params) == {f.name for f in dataclasses.fields(SearchQuery)} | {"lang"}
    for name, category in LIST_PARAMS.items():
        assert params[name]["schema"]["items"]["enum"] == vocabulary.CATEGORIES[category].keys()
    assert params["location"]["required"] is True


def test_it_describes_the_errors_and_the_availability_endpoints(doc):
    paths = doc["paths"]
    assert {"400", "422", "429"} <= set(paths["/api/v1/search"]["get"]["responses"])
    assert "404" in paths["/api/v1/providers/{id}"]["get"]["responses"]
    post = paths["/api/v1/providers/{id}/availability"]["post"]
    assert post["security"] == [{"bearerAuth": []}]
    assert {"201", "400", "401", "403", "404", "413", "429"} <= set(post["responses"])


@pytest.fixture
def api(app, session):
    """The schema as the app serves it, over a small directory so that searches find something."""
    ids = [make_provider(session, miles_north=n, report={"accepting_new_patients": True, "wait_days": n}).id
           for n in range(4)]
    ids.append(make_provider(session, settings=["telehealth"], medications=["naltrexone"]).id)
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app), ids


def _run(strategy, label: str) -> Counter:
    """Call the app with every generated case and check the response; return the statuses seen."""
    statuses: Counter = Counter()

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        response = case.call()
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS)

    check()
    print(f"{label}: {statuses.total()} generated cases {dict(statuses)}")  # shown with pytest -s
    return statuses


# Places the gazetteer knows (a ZIP, a city, a point, an ambiguous name, an unknown ZIP): with them
# searches answer 200 with results, or 422 with candidates, not only 400.
PLACES = ("19104", "Philadelphia, PA", "39.9597,-75.2024", "19103", "Camden, NJ", "Portland", "99999")
RUNS = [
    ("GET /api/v1/search", "positive", {}),
    ("GET /api/v1/search", "positive", {"places": True}),
    ("GET /api/v1/search", "negative", {}),
    ("GET /api/v1/search", "negative", {"places": True}),
    ("GET /api/v1/providers/{id}", "positive", {}),
    ("GET /api/v1/providers/{id}", "positive", {"existing": True}),
    ("GET /api/v1/providers/{id}/availability", "positive", {}),
    ("GET /api/v1/providers/{id}/availability", "positive", {"existing": True}),
    ("GET /api/v1/providers/{id}", "negative", {}),
    ("GET /api/v1/providers/{id}/availability", "negative", {}),
    # Ids are any text, and / takes no parameter: nothing to get wrong on purpose there.
    *[(label, mode, {}) for label in HSDS_OPERATIONS for mode in ("positive", "negative")
      if mode == "positive" or not (label.endswith("{id}") or label.endswith("/"))],
]


@pytest.mark.parametrize(("label", "mode", "options"), RUNS, ids=[f"{r[0]}-{r[1]}-{n}" for n, r in enumerate(RUNS)])
def test_schemathesis_finds_no_server_error_and_every_response_matches_the_schema(api, label, mode, options):
    schema, ids = api
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    if options.get("existing"):
        strategy = st.sampled_from(ids).flatmap(
            lambda pid: operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"id": pid}))
    elif options.get("places"):
        strategy = st.sampled_from(PLACES).flatmap(
            lambda place: operation.as_strategy(GenerationMode(mode), query={"location": place}))
    else:
        strategy = operation.as_strategy(GenerationMode(mode))
    statuses = _run(strategy, f"{label} {mode} {options}")
    if mode == "positive" and options:  # known places and ids: real results were checked too
        assert statuses[200] > 0, statuses


def test_schemathesis_covers_every_get_operation_of_the_api(api):
    schema, _ = api
    served = {op.ok().label for op in schema.get_all_operations() if op.ok().method.upper() == "GET"}
    assert set(GET_OPERATIONS) <= served
    assert {label for label, _, _ in RUNS} == set(GET_OPERATIONS)


@pytest.mark.parametrize("path", ["/api/v1/providers/{}", "/api/v1/providers/{}/availability", "/providers/{}"])
def test_an_id_beyond_the_database_range_is_a_404(client, path):
    for provider_id in (10**11, 2**63, 10**30):
        assert client.get(path.format(provider_id)).status_code == 404
    assert client.get(path.format(2**31)).status_code == 404
