"""Result cards: built in Python (locator.web.cards), placed by templates/search/_cards.html;
the listing part (name, address, phones, medicines, payment) is rendered once per key."""

from __future__ import annotations

from types import SimpleNamespace

from locator.availability import days_ago, freshness
from locator.ranking import Availability
from locator.web import cards


def _result(miles: float | None = 1.2, **fields) -> SimpleNamespace:
    provider = dict(id=7, name="Clinic <b>", name2="", is_demo=True, street="1 Main St", city="Philadelphia",
                    state="PA", zip="19104", phone="215-555-0100", intake_phone="", latitude=39.95,
                    longitude=-75.19, medications=["buprenorphine"], payment=[])
    provider.update(fields)
    reported = days_ago(2)
    availability = Availability(True, 0, True, None, reported, "provider", freshness(reported))
    return SimpleNamespace(provider=SimpleNamespace(**provider), distance_miles=miles, availability=availability,
                           reasons=["1.2 mi away"])


def _page(app, *results, lang: str = "en") -> tuple[list, str]:
    with app.test_request_context(f"/?lang={lang}"):
        app.preprocess_request()
        card = cards.maker(lambda i: f"/referrals?ids={i}", lambda i: f"/providers/{i}")
        made = [card(r) for r in results]
        html = app.jinja_env.get_template("search/_cards.html").render(cards=made, t=cards.card_words())
    return made, html


def test_a_card_shows_availability_exactly_as_the_provider_page_does(app):
    result = _result()
    [card], html = _page(app, result)
    with app.test_request_context("/"):
        app.preprocess_request()
        macro = app.jinja_env.get_template("search/_availability.html").module.availability_line
        line = str(macro(app.jinja_env.globals["availability_view"](result.availability)))
    assert line.startswith('<p class="availability fresh">') and line == card.availability and line in html
    assert "Taking new patients" in line and "no wait" in line and "walk-in" in line


def test_a_card_escapes_what_the_directory_says(app):
    _cards, html = _page(app, _result(name2="A & B", city="<Town>"))
    assert "Clinic &lt;b&gt;" in html and "Clinic <b>" not in html
    assert "A &amp; B" in html and "&lt;Town&gt;, PA 19104" in html
    assert html.count('<li class="card">') == 1 and 'class="tag">fictional<' in html
    assert 'href="/providers/7">Clinic &lt;b&gt;</a>' in html and 'href="tel:+12155550100"' in html
    add = '<a href="/referrals?ids=7">Add to referral list<span class="visually-hidden">: Clinic &lt;b&gt;</span>'
    assert add in html


def test_a_listing_is_rendered_once_and_a_changed_listing_is_rendered_anew(app):
    info = app.extensions["locator.listing"].cache_info
    _page(app, _result())
    misses = info().misses
    _page(app, _result(), _result())
    assert info().misses == misses and info().hits >= 2
    _cards, html = _page(app, _result(phone="215-555-0199"))
    assert info().misses == misses + 1
    assert "215-555-0199" in html and "215-555-0100" not in html


def test_a_listing_is_kept_per_language(app):
    _cards, english = _page(app, _result())
    _cards, spanish = _page(app, _result(), lang="es")
    assert "Medications" in english and "Directions" in english
    assert "Medicamentos" in spanish and "Cómo llegar" in spanish and "Medications" not in spanish
    assert "Taking new patients" in english and "Acepta pacientes nuevos" in spanish  # the availability line too
    assert "Taking new patients" not in spanish


def test_a_card_without_a_distance_has_no_directions(app):
    _cards, html = _page(app, _result(miles=None))
    assert "openstreetmap" not in html
    _cards, near = _page(app, _result())
    assert "openstreetmap.org/directions?route=%3B39.95000%2C-75.19000" in near
