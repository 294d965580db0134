"""\"Something wrong?\": the form, the JSON API, the rate limit and the caution on the listing."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from locator import db
from locator.models import ProblemReport
from tests.factories import make_provider


def count(app) -> int:
    with app.app_context(), db.new_session() as session:
        return session.scalar(select(func.count()).select_from(ProblemReport))


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def post_json(client, provider_id, body):
    return client.post(f"/api/v1/providers/{provider_id}/problems", data=json.dumps(body),
                       content_type="application/json")


def test_every_provider_page_links_to_the_form(client, session):
    provider = make_provider(session)
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert f"/providers/{provider.id}/problem" in page and "Something wrong?" in page


def test_the_form_stores_a_report_and_thanks_without_asking_who(app, client, session):
    provider = make_provider(session)
    page = client.get(f"/providers/{provider.id}/problem?lang=es").get_data(as_text=True)
    assert "El número de teléfono no funciona" in page and 'name="email"' not in page and 'name="name"' not in page
    response = client.post(f"/providers/{provider.id}/problem?lang=es", data={
        "csrf_token": csrf(page), "kind": "phone", "details": "disconnected", "website": ""})
    assert response.status_code == 303 and "reported=1" in response.headers["Location"]
    assert count(app) == 1
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gracias: nuestro personal revisará este listado." in thanks


def test_a_filled_trap_is_thanked_and_nothing_is_kept(app, client, session):
    provider = make_provider(session)
    page = client.get(f"/providers/{provider.id}/problem").get_data(as_text=True)
    response = client.post(f"/providers/{provider.id}/problem", data={
        "csrf_token": csrf(page), "kind": "closed", "website": "http://spam.example"})
    assert response.status_code == 303 and count(app) == 0


def test_the_form_needs_its_csrf_token_and_says_what_is_wrong(app, client, session):
    provider = make_provider(session)
    assert client.post(f"/providers/{provider.id}/problem", data={"kind": "phone"}).status_code == 400
    page = client.get(f"/providers/{provider.id}/problem").get_data(as_text=True)
    bad = client.post(f"/providers/{provider.id}/problem", data={"csrf_token": csrf(page), "kind": "rude"})
    assert bad.status_code == 400 and "choose from" in bad.get_data(as_text=True)
    assert count(app) == 0


def test_the_api_takes_json_and_answers_201(app, client, session):
    provider = make_provider(session)
    response = post_json(client, provider.id, {"kind": "not_accepting", "details": "full until March"})
    assert response.status_code == 201 and response.get_json()["kind"] == "not_accepting"
    assert count(app) == 1


@pytest.mark.parametrize("body, field", [({"kind": "x"}, "kind"), ({}, "kind"),
                                         ({"kind": "other", "details": "é" * 501}, "details"),
                                         ({"kind": "other", "email": "a@b.c"}, "email")])
def test_the_api_refuses_bad_reports_naming_the_field(app, client, session, body, field):
    provider = make_provider(session)
    response = post_json(client, provider.id, body)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field and count(app) == 0


def test_the_api_answers_404_413_and_400_for_what_it_cannot_take(client, session):
    provider = make_provider(session)
    assert post_json(client, 999999, {"kind": "phone"}).status_code == 404
    big = client.post(f"/api/v1/providers/{provider.id}/problems", data="x" * 5000, content_type="application/json")
    assert big.status_code == 413
    broken = client.post(f"/api/v1/providers/{provider.id}/problems", data="{", content_type="application/json")
    assert broken.status_code == 400


def test_reports_are_rate_limited_per_address(app, client, session):
    provider = make_provider(session)
    statuses = [post_json(client, provider.id, {"kind": "other"}).status_code for _ in range(7)]
    assert statuses[:5] == [201] * 5 and statuses[5:] == [429, 429] and count(app) == 5


def test_two_reports_of_a_dead_number_put_a_caution_on_the_listing_and_the_card(client, session):
    provider = make_provider(session, name="Caution Clinic")
    post_json(client, provider.id, {"kind": "phone"})
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "may not work" not in page
    post_json(client, provider.id, {"kind": "phone"})
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "People reported on" in page and "this number may not work" in page and "tel:+18006624357" in page
    results = client.get("/search?location=19104").get_data(as_text=True)
    assert "this number may not work" in results
