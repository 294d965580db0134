"""What a result card and an availability line show, prepared in Python for the templates.

A results page has 25 cards. Building each card's words, links and labels here, once, and
leaving the templates to place them, renders the page several times faster than calling
helpers from the template (every call from Jinja costs far more than one from Python).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple

from flask import current_app
from markupsafe import Markup, escape

from locator.ranking import Availability
from locator.web.helpers import directions_url, labels, tel_href
from locator.web.i18n import _gettext as gettext
from locator.web.i18n import _ngettext as ngettext
from locator.web.i18n import _translations, current_lang, url


@dataclass(slots=True, frozen=True)
class AvailabilityLine:
    css: str  # fresh, ageing, stale or unknown
    status: str
    details: tuple[str, ...]
    confirmed: str


class Listing(NamedTuple):
    """What a card shows that depends only on the provider's listing, the link to its page and
    the page's language, rendered (templates/search/_listing.html)."""
    head: Markup  # the name, linked to the provider's page, the "fictional" tag, the second name
    address: Markup
    details: Markup  # phones, directions, medicines, payment
    add_label: Markup  # the words of the "Add to referral list" link


@dataclass(slots=True)
class Card:
    listing: Listing
    distance: str
    availability: Markup  # the availability line, as templates/search/_availability.html words it
    add_href: str
    reasons: list[str]


def freshness_word(key: str) -> str:
    if key == "fresh":
        return gettext("recent")
    if key == "ageing":
        return gettext("getting old")
    if key == "stale":
        return gettext("out of date")
    return gettext("unknown")


def availability_line(a: Availability) -> AvailabilityLine:
    """How a card or a provider page words an availability, in the page's language."""
    return _availability_line(_translations(), a.accepting_new_patients, a.wait_days, a.walk_in, a.same_day_start,
                              a.freshness.key, a.updated_at.date() if a.updated_at else None)


# A pure function of a few small values and the catalogue it is worded from (the page's
# language): a page shows the same few lines, so each is worded once.
@lru_cache(maxsize=4096)
def _availability_line(_catalogue, accepting: bool | None, wait_days: int | None, walk_in: bool | None,
                       same_day_start: bool | None, fresh: str, confirmed_on: date | None) -> AvailabilityLine:
    if accepting is True:
        status = gettext("Taking new patients")
    elif accepting is False:
        status = gettext("Not taking new patients")
    else:
        status = gettext("Availability unknown")
    details = []
    if wait_days is not None and accepting is not False:
        details.append(gettext("no wait") if wait_days == 0 else
                       ngettext("wait about %(num)s day", "wait about %(num)s days", wait_days))
    if walk_in:
        details.append(gettext("walk-in"))
    if same_day_start:
        details.append(gettext("same-day start"))
    # Markup joined with Markup stays safe: both parts are escaped already.
    if confirmed_on:
        when = gettext("confirmed %(date)s", date=confirmed_on.isoformat())
        confirmed = Markup(f"({freshness_word(fresh)}: {when})")
    else:
        confirmed = Markup(f"({gettext('never confirmed: call to ask')})")
    return AvailabilityLine(fresh, status, tuple(details), confirmed)


def card_words() -> SimpleNamespace:
    """The words every card repeats, translated once per page (attributes: Jinja reads them
    directly, where a dict's keys cost it a failed attribute lookup each)."""
    return SimpleNamespace(
        fictional=gettext("fictional"), intake=gettext("Intake"), directions=gettext("Directions"),
        outside_map=gettext("opens an outside map"), medications=gettext("Medications"),
        payment=gettext("Payment"), add=gettext("Add to referral list"), why=gettext("Why this place is listed here"))


def provider_urls():
    """A maker of provider page links for this page: the route is built once, then ids go in."""
    head, tail = url("views.provider_page", provider_id=_PLACEHOLDER).split(str(_PLACEHOLDER))

    def make(provider_id: int) -> str:
        return f"{head}{provider_id}{tail}"
    return make


_PLACEHOLDER = 2_147_483_647  # the largest id a route takes; appears nowhere else in the link


def listing_key(provider, href: str, near: bool) -> tuple:
    """Everything `render_listing` reads: a card's listing is a pure function of this key."""
    p = provider
    return (current_lang(), href, p.name, p.name2, p.is_demo, p.street, p.city, p.state, p.zip, p.phone,
            p.intake_phone, (p.latitude, p.longitude) if near else None, tuple(p.medications), tuple(p.payment))


def render_listing(key: tuple, macros) -> Listing:
    """The listing of `listing_key`'s key, rendered by the macros of templates/search/_listing.html
    (in the request's language, which is the key's)."""
    _lang, href, name, name2, demo, street, city, state, zip_code, phone, intake, point, medications, payment = key
    intake = intake if intake and intake != phone else ""
    listing = SimpleNamespace(
        href=href, name=name, name2=name2, demo=demo, phone=phone, phone_href=tel_href(phone),
        intake_phone=intake, intake_href=tel_href(intake) if intake else "",
        directions_href=directions_url(SimpleNamespace(latitude=point[0], longitude=point[1])) if point else "",
        medications=labels("medications", medications), payment=labels("payment", payment))
    words = card_words()
    street = f"{street}, " if street else ""
    return Listing(macros.head(listing, words), escape(f"{street}{city}, {state} {zip_code}"),
                   macros.details(listing, words), macros.add_label(listing, words))


def maker(add_href, provider_href):
    """A maker of this page's cards from search.SearchResults: `add_href(id)` makes a card's
    "Add to referral list" link and `provider_href(id)` its link to the provider's page. The
    listing and the availability line come rendered from the app's memos (locator.web.fragments)."""
    listing, availability = current_app.extensions["locator.listing"], current_app.extensions["locator.availability"]
    miles = str(gettext("%(d)s mi"))  # a number goes in: nothing to escape

    def card(result) -> Card:
        p = result.provider
        near = result.distance_miles is not None
        return Card(
            listing=listing(listing_key(p, provider_href(p.id), near)),
            distance=miles % {"d": f"{result.distance_miles:.1f}"} if near else "",
            availability=availability(availability_line(result.availability)), add_href=add_href(p.id),
            reasons=result.reasons)
    return card
