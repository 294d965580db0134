"""What a result card and an availability line show, prepared in Python for the templates.

A results page has 25 cards. Building each card's words, links and labels here, once, and
leaving the templates to place them, renders the page several times faster than calling
helpers from the template (every call from Jinja costs far more than one from Python).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from markupsafe import Markup

from locator.ranking import Availability
from locator.web.helpers import directions_url, labels, tel_href
from locator.web.i18n import _gettext as gettext
from locator.web.i18n import _ngettext as ngettext
from locator.web.i18n import url


@dataclass(slots=True)
class AvailabilityLine:
    css: str  # fresh, ageing, stale or unknown
    status: str
    details: list[str]
    confirmed: str


@dataclass(slots=True)
class Card:
    id: int
    name: str
    name2: str
    demo: bool
    href: str
    distance: str
    address: str
    phone: str
    phone_href: str
    intake_phone: str
    intake_href: str
    directions_href: str
    medications: str
    payment: str
    availability: AvailabilityLine
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
    if a.accepting_new_patients is True:
        status = gettext("Taking new patients")
    elif a.accepting_new_patients is False:
        status = gettext("Not taking new patients")
    else:
        status = gettext("Availability unknown")
    details = []
    if a.wait_days is not None and a.accepting_new_patients is not False:
        details.append(gettext("no wait") if a.wait_days == 0 else
                       ngettext("wait about %(num)s day", "wait about %(num)s days", a.wait_days))
    if a.walk_in:
        details.append(gettext("walk-in"))
    if a.same_day_start:
        details.append(gettext("same-day start"))
    # Markup joined with Markup stays safe: both parts are escaped already.
    if a.updated_at:
        date = gettext("confirmed %(date)s", date=a.updated_at.date().isoformat())
        confirmed = Markup(f"({freshness_word(a.freshness.key)}: {date})")
    else:
        confirmed = Markup(f"({gettext('never confirmed: call to ask')})")
    return AvailabilityLine(a.freshness.key, status, details, confirmed)


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


def card(result, add_href, provider_href) -> Card:
    """The card of one search.SearchResult; `add_href(id)` makes its "Add to referral list" link
    and `provider_href(id)` its link to the provider's page."""
    p = result.provider
    near = result.distance_miles is not None
    intake = p.intake_phone if p.intake_phone and p.intake_phone != p.phone else ""
    street = f"{p.street}, " if p.street else ""
    return Card(
        id=p.id, name=p.name, name2=p.name2, demo=p.is_demo, href=provider_href(p.id),
        distance=gettext("%(d)s mi", d=f"{result.distance_miles:.1f}") if near else "",
        address=f"{street}{p.city}, {p.state} {p.zip}", phone=p.phone, phone_href=tel_href(p.phone),
        intake_phone=intake, intake_href=tel_href(intake) if intake else "",
        directions_href=directions_url(p) if near else "", medications=labels("medications", p.medications),
        payment=labels("payment", p.payment), availability=availability_line(result.availability),
        add_href=add_href(p.id), reasons=result.reasons)
