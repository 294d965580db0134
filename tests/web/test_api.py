from tests.factories import make_provider


def test_api_search_returns_the_guide_shape(client, session):
    make_provider(session, name="A", miles_north=1, report={"accepting_new_patients": True, "wait_days": 2})
    body = client.get("/api/v1/search?location=19104&medication=buprenorphine").get_json()
    assert body["query"]["location"]["precision"] == "zip"
    assert body["radius_miles"] == 100 and body["widened"] is True and body["total"] == 1
    result = body["results"][0]
    for key in ("id", "name", "address", "phone", "website", "latitude", "longitude", "distance_miles",
                "medications", "payment", "services", "languages", "telehealth", "availability", "score", "reasons"):
        assert key in result
    assert result["availability"]["freshness"] == "fresh"
    assert result["availability"]["reported_by"] == "provider"
    assert isinstance(body["telehealth"], list)


def test_api_bad_parameter_is_400_naming_the_field(client):
    response = client.get("/api/v1/search?location=19104&per_page=500")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"
    assert response.get_json()["error"]["field"] == "per_page"


def test_api_unknown_place_is_422(client):
    response = client.get("/api/v1/search?location=99999")
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "location_not_found"


def test_api_ambiguous_place_is_422_with_candidates(client):
    error = client.get("/api/v1/search?location=Portland").get_json()["error"]
    assert error["code"] == "location_ambiguous"
    assert {"Portland, OR", "Portland, ME"} <= {c["label"] for c in error["candidates"]}


def test_api_provider_and_404(client, session):
    provider = make_provider(session)
    assert client.get(f"/api/v1/providers/{provider.id}").get_json()["name"] == provider.name
    missing = client.get("/api/v1/providers/424242")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
