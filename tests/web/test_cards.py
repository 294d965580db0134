"""Result cards: built in Python (locator.web.cards), placed by templates/search/_cards.html."""

from __future__ import annotations

from markupsafe import Markup

from locator.web.cards import AvailabilityLine, Card, card_words


def _card(**fields) -> Card:
    values = dict(id=7, name="Clinic <b>", name2="", demo=True, href="/providers/7", distance="1.2 mi",
                  address="1 Main St, Philadelphia, PA 19104", phone="215-555-0100", phone_href="tel:+12155550100",
                  intake_phone="", intake_href="", directions_href="", medications="Buprenorphine", payment="",
                  availability=AvailabilityLine("fresh", "Taking new patients", ["no wait", "walk-in"],
                                                Markup("(recent: confirmed 2026-11-20)")),
                  add_href="/referrals?ids=7", reasons=["1.2 mi away"])
    values.update(fields)
    return Card(**values)


def test_a_card_shows_availability_exactly_as_the_provider_page_does(app):
    card = _card()
    with app.test_request_context("/"):
        app.preprocess_request()
        macro = app.jinja_env.get_template("search/_availability.html").module.availability_line
        line = str(macro(card.availability))
        html = app.jinja_env.get_template("search/_cards.html").render(cards=[card], t=card_words())
    assert line.startswith('<p class="availability fresh">') and line in html


def test_a_card_escapes_what_the_directory_says(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        html = app.jinja_env.get_template("search/_cards.html").render(cards=[_card()], t=card_words())
    assert "Clinic &lt;b&gt;" in html and "Clinic <b>" not in html
    assert html.count('<li class="card">') == 1 and 'class="tag">fictional<' in html
