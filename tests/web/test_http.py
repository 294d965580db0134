"""The small HTTP promises: 405 with Allow, no-store on what shows a search, Vary on the
language, the session cookie's flags in production, and absolute addresses on PUBLIC_URL."""

from __future__ import annotations

import pytest

from locator import create_app, db
from tests.factories import make_provider


@pytest.mark.parametrize("method, path", [("POST", "/search"), ("PUT", "/"), ("DELETE", "/providers/1"),
                                          ("POST", "/referrals"), ("PATCH", "/api/v1/search"),
                                          ("DELETE", "/api/v1/providers/1/availability"), ("POST", "/privacy")])
def test_a_wrong_method_answers_405_with_the_methods_allowed(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    if not path.startswith("/api/"):
        assert "1-800-662-4357" in response.get_data(as_text=True)  # an error page, with the crisis lines


def test_what_shows_a_search_a_provider_or_a_list_is_never_stored(client, session):
    provider = make_provider(session)
    for path in ("/search?location=19104", f"/providers/{provider.id}", f"/referrals?ids={provider.id}",
                 f"/referrals.csv?ids={provider.id}", f"/referrals.pdf?ids={provider.id}",
                 "/api/v1/search?location=19104", f"/api/v1/providers/{provider.id}", "/", "/privacy"):
        response = client.get(path)
        assert response.status_code in (200, 503), path
        assert response.headers["Cache-Control"] == "no-store", path
        assert "Accept-Language" in response.headers.get("Vary", ""), path
    static = client.get("/static/style.css")
    assert static.headers.get("Cache-Control") != "no-store" and "Accept-Language" not in static.headers.get("Vary", "")


def test_the_language_can_come_from_the_browser(client):
    assert '<html lang="es">' in client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)


@pytest.fixture
def production(database_url, monkeypatch):
    monkeypatch.setenv("LOCATOR_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("PUBLIC_URL", "https://treatment.example.org")
    app = create_app({"DATABASE_URL": database_url})
    with app.app_context():
        db.create_schema(db.get_engine())
    yield app
    app.extensions["locator.engine"].dispose()


def test_in_production_the_session_cookie_is_secure_httponly_and_same_site(production):
    with production.app_context(), db.new_session() as session:
        provider = make_provider(session)
    response = production.test_client().get(f"/providers/{provider.id}/availability",
                                             base_url="https://treatment.example.org")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_share_links_and_qr_codes_use_the_public_address_never_the_host_header(production):
    with production.app_context(), db.new_session() as session:
        provider = make_provider(session)
    page = production.test_client().get(f"/referrals?ids={provider.id}",
                                        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    html = page.get_data(as_text=True)
    assert f'href="https://treatment.example.org/referrals?ids={provider.id}"' in html
    assert "evil.example" not in html
