"""The Open Referral HSDS 3.0 API: the specification's compiled schemas, its filters, ndjson,
errors, a fixed number of statements a page, and agreement with the tabular export."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import timedelta
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import event

from locator.availability import add_report, days_ago
from locator.hsds_ids import record_id, taxonomy_id, term_id
from locator.models import utcnow
from tests.factories import make_provider

COMPILED = Path(__file__).resolve().parents[3] / "shared/data/hsds/hsds3_api/schema/compiled"
needs_spec = pytest.mark.skipif(not COMPILED.is_dir(), reason="the HSDS 3.0 API specification is not in ../shared")
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def compiled(name: str) -> Draft202012Validator:
    with gzip.open(COMPILED / f"{name}.json.gz") as handle:
        return Draft202012Validator(json.load(handle))


@pytest.fixture
def directory(session):
    clinic = make_provider(session, name="Both Clinic (fictional)", medications=["buprenorphine", "methadone"],
                           payment=["medicaid", "free"], insurance_plans=["Keystone First"], languages=["es", "asl"],
                           hours="Mon-Fri 8:00-16:00", dosing_hours="Mon-Sat 5:30-10:00", phone="215-555-0100 x12",
                           intake_phone="215-555-0101", is_demo=True, counseling_required_to_start=False,
                           report={"accepting_new_patients": True, "wait_days": 9})
    add_report(session, clinic.id, reporter_kind="provider", medication="buprenorphine", accepting_new_patients=True,
               walk_in=True, first_dose_at_first_visit=True, walk_in_hours="Mon-Fri 6-9 am", reported_at=days_ago(1))
    session.commit()
    make_provider(session, name="Far Naltrexone", medications=["naltrexone"], miles_north=40, payment=["private"])
    make_provider(session, name="Near Bupe", medications=["buprenorphine"], miles_north=5, payment=[])
    return clinic


def test_the_root_names_the_version_and_the_openapi_document(client):
    body = client.get("/api/hsds/").get_json()
    assert body["version"] == "3.0" and body["openapi_url"].endswith("/api/openapi.json") and body["profile"]


@needs_spec
@pytest.mark.parametrize("path, schema, listed", [
    ("/api/hsds/services", "service_list", True), ("/api/hsds/services?full=true", "service", True),
    ("/api/hsds/service_at_locations", "service_at_location_list", True),
    ("/api/hsds/service_at_locations?full=true", "service_at_location", True),
    ("/api/hsds/organizations", "organization_list", True),
    ("/api/hsds/organizations?full=true&full_service=true", "organization", True),
])
def test_every_list_answer_validates_against_the_specifications_compiled_schemas(client, directory, path, schema,
                                                                                 listed):
    body = client.get(path).get_json()
    assert set(body) == PAGE_KEYS and body["total_items"] >= 3
    validator = compiled(schema)
    for item in body["contents"]:
        assert not list(validator.iter_errors(item)), item


@needs_spec
def test_every_single_record_validates_too(client, directory):
    for medication in ("buprenorphine", "methadone"):
        service = client.get(f"/api/hsds/services/{record_id('service', directory.id, medication)}").get_json()
        assert not list(compiled("service").iter_errors(service))
        sal = client.get(f"/api/hsds/service_at_locations/"
                         f"{record_id('service_at_location', directory.id, medication)}").get_json()
        # The specification's OpenAPI names the service schema here; the record is a service_at_location.
        assert not list(compiled("service_at_location").iter_errors(sal))
        assert not list(compiled("service").iter_errors(sal))
    organization = client.get(f"/api/hsds/organizations/{record_id('organization', directory.id)}").get_json()
    assert not list(compiled("organization").iter_errors(organization))


def test_one_service_per_medication_carries_that_medications_availability(client, directory):
    bupe = client.get(f"/api/hsds/services/{record_id('service', directory.id, 'buprenorphine')}").get_json()
    methadone = client.get(f"/api/hsds/services/{record_id('service', directory.id, 'methadone')}").get_json()
    assert bupe["name"] == "Buprenorphine for opioid use disorder" and bupe["assured_date"] == \
        (utcnow() - timedelta(days=1)).date().isoformat()
    values = {a["taxonomy_term_id"]: a.get("value") for a in bupe["attributes"]}
    assert values[term_id("moud_locator_availability", "days_to_first_dose")] == "0"
    assert values[term_id("moud_locator_availability", "walk_in_hours")] == "Mon-Fri 6-9 am"
    methadone_values = {a["taxonomy_term_id"]: a.get("value") for a in methadone["attributes"]}
    assert methadone_values[term_id("moud_locator_availability", "days_to_first_dose")] == "9"
    assert any(s["description"] == "Dosing hours: Mon-Sat 5:30-10:00" for s in methadone["schedules"])
    assert bupe["alert"].startswith("Demonstration data")
    location = bupe["service_at_locations"][0]["location"]
    assert location["phones"][0]["number"] == "215-555-0100" and location["phones"][0]["extension"] == 12
    assert {term_id("medications", "buprenorphine")} == {a["taxonomy_term_id"] for a in bupe["attributes"]
                                                         if a["link_type"] == "medications"}


def test_filters_are_cumulative(client, directory):
    def names(query):
        body = client.get(f"/api/hsds/services?{query}").get_json()
        return sorted(s["name"] + " @ " + s["organization"]["name"] for s in body["contents"])
    assert len(names("")) == 4
    assert names(f"taxonomy_term_id={term_id('medications', 'methadone')}") == [
        "Methadone for opioid use disorder @ Both Clinic (fictional)"]
    assert len(names(f"taxonomy_term_id={term_id('payment', 'medicaid')}")) == 2
    assert names(f"taxonomy_term_id={term_id('payment', 'medicaid')}&organization_id="
                 f"{record_id('organization', directory.id)}&search=both") == [
        "Buprenorphine for opioid use disorder @ Both Clinic (fictional)",
        "Methadone for opioid use disorder @ Both Clinic (fictional)"]
    assert len(names(f"taxonomy_id={taxonomy_id('payment')}")) == 3  # Near Bupe takes no listed payment
    assert names("taxonomy_term_id=not-a-term") == [] and names("organization_id=nope") == []


def test_modified_after_keeps_what_changed_since(client, session, directory):
    later = (utcnow() + timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    assert client.get(f"/api/hsds/services?modified_after={later}").get_json()["total_items"] == 0
    assert client.get("/api/hsds/services?modified_after=2020-01-01").get_json()["total_items"] == 4
    before = utcnow()
    add_report(session, directory.id, reporter_kind="provider", medication="methadone", accepting_new_patients=False)
    session.commit()
    since = before.isoformat().replace("+00:00", "Z")
    changed = client.get(f"/api/hsds/services?modified_after={since}").get_json()
    assert {s["organization"]["name"] for s in changed["contents"]} == {"Both Clinic (fictional)"}


def test_a_postcode_and_proximity_keep_what_is_near_nearest_first(client, directory):
    near = client.get("/api/hsds/service_at_locations?postcode=19104&proximity=16000").get_json()  # about 10 miles
    assert [s["location"]["name"] for s in near["contents"]] == ["Both Clinic (fictional)"] * 2 + ["Near Bupe"]
    everyone = client.get("/api/hsds/service_at_locations?postcode=19104").get_json()
    assert everyone["total_items"] == 4 and everyone["contents"][-1]["location"]["name"] == "Far Naltrexone"


def test_pages_use_the_specifications_envelope(client, directory):
    first = client.get("/api/hsds/services?per_page=3").get_json()
    last = client.get("/api/hsds/services?per_page=3&page=2").get_json()
    past = client.get("/api/hsds/services?per_page=3&page=9").get_json()
    assert (first["total_pages"], first["first_page"], first["last_page"], first["size"]) == (2, True, False, 3)
    assert (last["page_number"], last["last_page"], last["size"]) == (2, True, 1)
    assert (past["size"], past["total_items"], past["empty"]) == (0, 4, False)


def test_ndjson_streams_every_match_one_object_a_line(client, directory):
    with client.get("/api/hsds/services?format=ndjson&per_page=1") as response:  # closing ends the request
        assert response.mimetype == "application/x-ndjson"
        lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert len(lines) == 4 and all("id" in line and "name" in line for line in lines)
    with client.get("/api/hsds/organizations?format=ndjson") as response:
        assert len(response.get_data(as_text=True).splitlines()) == 3


@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("per_page=501", "per_page"), ("per_page=x", "per_page"), ("full=maybe", "full"),
    ("format=xml", "format"), ("modified_after=yesterday", "modified_after"),
])
def test_bad_parameters_are_400_naming_them(client, query, field):
    response = client.get(f"/api/hsds/services?{query}")
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field


@pytest.mark.parametrize("query, field", [("postcode=1910", "postcode"), ("postcode=00000", "postcode"),
                                          ("proximity=100", "proximity"),
                                          ("postcode=19104&proximity=-5", "proximity"),
                                          ("postcode=19104&proximity=nan", "proximity")])
def test_bad_places_are_400_naming_them(client, query, field):
    response = client.get(f"/api/hsds/service_at_locations?{query}")
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field


@pytest.mark.parametrize("path", ["/api/hsds/services/nope",
                                  "/api/hsds/organizations/4d6f7564-0003-8001-8000-000000000001",
                                  "/api/hsds/services/4d6f7564-0003-8001-8000-0000000f4240",
                                  "/api/hsds/taxonomies/x", "/api/hsds/taxonomy_terms/x"])
def test_unknown_ids_are_404(client, directory, path):
    response = client.get(path)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_a_medication_the_provider_does_not_offer_is_404(client, directory):
    assert client.get(f"/api/hsds/services/{record_id('service', directory.id, 'naltrexone')}").status_code == 404


def test_taxonomies_publish_our_vocabulary_with_samhsa_codes(client):
    taxonomies = client.get("/api/hsds/taxonomies").get_json()["contents"]
    assert {"medications", "payment", "moud_locator_availability"} <= {t["name"] for t in taxonomies}
    terms = client.get(f"/api/hsds/taxonomy_terms?taxonomy_id={taxonomy_id('medications')}&per_page=10").get_json()
    assert {t["code"] for t in terms["contents"]} == {"buprenorphine", "methadone", "naltrexone"}
    methadone = client.get(f"/api/hsds/taxonomy_terms/{term_id('medications', 'methadone')}").get_json()
    assert "METH" in methadone["description"]


def test_a_page_of_fifty_takes_a_fixed_number_of_statements(client, session):
    for n in range(60):
        make_provider(session, miles_north=n / 10, medications=["buprenorphine", "methadone"],
                      report={"accepting_new_patients": True, "wait_days": n % 9})
    seen = []
    engine = session.get_bind()

    def count(*_args):
        seen.append(1)
    event.listen(engine, "before_cursor_execute", count)
    try:
        counts = []
        for path in ("/api/hsds/services?per_page=50&full=true", "/api/hsds/service_at_locations?per_page=5",
                     "/api/hsds/organizations?per_page=50&full_service=true"):
            seen.clear()
            assert client.get(path).status_code == 200
            counts.append(len(seen))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert counts[0] == counts[1] and max(counts) <= 6, counts


def test_the_api_and_the_tabular_export_agree(client, runner, directory, tmp_path):
    runner.invoke(args=["export-providers", str(tmp_path / "x"), "--format", "hsds"])
    with open(tmp_path / "x" / "services.csv", newline="", encoding="utf-8") as handle:
        exported = {row["id"]: row for row in csv.DictReader(handle)}
    served = client.get("/api/hsds/services?per_page=50").get_json()["contents"]
    assert set(exported) == {s["id"] for s in served}
    for service in served:
        row = exported[service["id"]]
        for key in ("name", "status", "wait_time", "assured_date", "organization_id", "fees_description"):
            assert row[key] == service.get(key, ""), key
    with open(tmp_path / "x" / "service_at_location.csv", newline="", encoding="utf-8") as handle:
        links = {row["id"] for row in csv.DictReader(handle)}
    assert links == {s["id"] for s in client.get("/api/hsds/service_at_locations").get_json()["contents"]}


def test_demonstration_listings_say_so(client, directory):
    services = client.get("/api/hsds/services?search=both").get_json()["contents"]
    assert services and all(s["alert"] == "Demonstration data: this provider is fictional." for s in services)


def test_a_search_with_control_characters_is_searched_without_them(client, directory):
    body = client.get("/api/hsds/organizations?search=bo%00th").get_json()
    assert [o["name"] for o in body["contents"]] == ["Both Clinic (fictional)"]


REAL = COMPILED.parents[3] / "facilities" / "nsumhss_2024_directory_facilities.csv.gz"


@needs_spec
@pytest.mark.skipif(not REAL.is_file(), reason="the real directory snapshot is not in ../shared")
def test_a_sample_of_the_real_directory_validates_too(app, client, session, tmp_path):
    from locator.importers import import_file

    sample = tmp_path / "sample.csv"  # substance-use rows, in a temporary file only
    with gzip.open(REAL, "rt", encoding="utf-8") as source, open(sample, "w", encoding="utf-8") as target:
        target.write(next(source))
        kept = 0
        for line in source:
            if not line.startswith("mental_") and kept < 1500:
                target.write(line)
                kept += 1
    report = import_file(session, sample, "samhsa", "samhsa", locate=app.extensions["locator.geocoder"].place_provider)
    assert report.added > 100
    checks = [("/api/hsds/services?per_page=200&full=true", "service"),
              ("/api/hsds/service_at_locations?per_page=200", "service_at_location_list"),
              ("/api/hsds/organizations?per_page=200&full=true", "organization")]
    for path, schema in checks:
        validator = compiled(schema)
        for item in client.get(path).get_json()["contents"]:
            assert not list(validator.iter_errors(item)), item
