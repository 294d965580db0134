import logging

from tests.factories import make_provider


def test_home_shows_the_form_and_crisis_lines(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="location"' in page
    assert "988" in page and "1-800-662-4357" in page and "911" in page


def test_healthz_reports_the_provider_count(client, session):
    make_provider(session)
    assert client.get("/healthz").get_json() == {"status": "ok", "providers": 1}


def test_a_zip_search_shows_ranked_cards_with_reasons(client, session):
    make_provider(session, name="Near Clinic", miles_north=2, report={"accepting_new_patients": True, "wait_days": 2})
    page = client.get("/search?location=19104").get_data(as_text=True)
    assert "Near Clinic" in page
    assert "19104" in page and "Philadelphia" in page
    assert "mi away" in page and "About 2 days to a first buprenorphine dose" in page
    assert 'href="tel:+12155550100"' in page


def test_an_unknown_place_is_explained_on_the_form(client):
    response = client.get("/search?location=99999")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and "99999" in page


def test_an_ambiguous_place_offers_candidates(client):
    page = client.get("/search?location=Springfield").get_data(as_text=True)
    assert "Did you mean" in page and "Springfield, IL" in page


def test_a_bad_parameter_is_a_message_not_an_error_page(client):
    response = client.get("/search?location=19104&radius=9000&medication=aspirin")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Within" in page and "Medicine" in page and 'role="alert"' in page


def test_an_empty_search_asks_for_a_place(client):
    page = client.get("/search?location=+++").get_data(as_text=True)
    assert "Enter a ZIP code" in page


def test_demo_rows_are_labelled_as_demonstration_data(client, session):
    make_provider(session, name="Demo Place", is_demo=True)
    page = client.get("/search?location=19104").get_data(as_text=True)
    assert "Demonstration data" in page and "fictional" in page


def test_real_rows_carry_no_demonstration_notice(client, session):
    make_provider(session, name="Real Place")
    assert "Demonstration data" not in client.get("/search?location=19104").get_data(as_text=True)


def test_the_provider_page_shows_history_and_what_to_ask(client, session):
    provider = make_provider(session, report={"accepting_new_patients": True, "wait_days": 4, "age_days": 2})
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert provider.name in page and "What to ask when you call" in page and "Earlier reports" in page


def test_an_unknown_provider_is_404_with_crisis_lines(client):
    response = client.get("/providers/999999")
    assert response.status_code == 404 and "1-800-662-4357" in response.get_data(as_text=True)


def test_security_headers_are_set(client):
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_no_cookie_is_set_for_people_searching(client, session):
    make_provider(session)
    for path in ("/", "/search?location=19104", "/privacy"):
        assert "Set-Cookie" not in client.get(path).headers


def test_the_log_never_holds_the_searched_place(client, session, caplog):
    make_provider(session)
    logger = logging.getLogger("locator")
    logger.propagate = True
    try:
        with caplog.at_level(logging.DEBUG):
            client.get("/search?location=Dayton%2C+OH&payment=medicaid")
            client.get("/api/v1/search?location=Dayton%2C+OH")
    finally:
        logger.propagate = False
    text = caplog.text + " ".join(str(getattr(r, "fields", "")) for r in caplog.records)
    assert "/search" in text
    assert "Dayton" not in text and "medicaid" not in text and "location=" not in text


def test_spanish_pages_use_spanish_reasons(client, session):
    make_provider(session, miles_north=2)
    page = client.get("/search?location=19104&lang=es").get_data(as_text=True)
    assert "a 2.0 millas" in page and 'lang="es"' in page


def test_the_referral_list_being_built_travels_with_the_search(client, session):
    for n in range(25):
        make_provider(session, miles_north=n / 5)
    page = client.get("/search?location=19104&list=3,1").get_data(as_text=True)
    assert '<input type="hidden" name="list" value="3,1">' in page
    assert "list=3,1" in page.split('rel="next"')[1].split(">")[0]
    bad = client.get("/search?location=19104&list=x").get_data(as_text=True)
    assert "list=" not in bad.split('rel="next"')[1].split(">")[0]


def test_a_page_past_the_last_one_shows_the_last_one(client, session):
    for n in range(3):
        make_provider(session, miles_north=n)
    response = client.get("/search?location=19104&per_page=2&page=9&lang=es&list=5")
    assert response.status_code == 302
    target = response.headers["Location"]
    assert "page=2" in target and "lang=es" in target and "list=5" in target and "per_page=2" in target
    assert client.get(target).status_code == 200


def test_unknown_parameters_never_break_a_page(client):
    for path in ("/?endpoint=x", "/referrals?ids=1&endpoint=z", "/no-such-page?endpoint=x&_external=1",
                 "/search?location=19104&_scheme=javascript&endpoint=views.home"):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert "1-800-662-4357" in response.get_data(as_text=True)


def test_the_privacy_page_credits_the_place_data_it_is_licensed_to_credit(client):
    assert "GeoNames (geonames.org), licensed under CC BY 4.0" in client.get("/privacy").get_data(as_text=True)
    assert "GeoNames (geonames.org), con licencia CC BY 4.0" in client.get("/privacy?lang=es").get_data(as_text=True)
