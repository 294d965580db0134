"""Referral lists: the ids in a `/referrals?ids=...` address, and the packet built from them.

Plain Python over a SQLAlchemy `Session`, no Flask. The list lives only in the address:
`parse_ids()` reads it (positive integers separated by commas, order kept, repeats dropped,
at most `MAX_IDS`; anything else raises `ReferralError`, whose kind the web layer words),
`load_providers()` fetches them in that order with one query and names the ids it did not
find, and `build_packet()` makes the view model the packet templates render. The helpers
`added`, `removed` and `moved` give the id list of the "Add", "Remove" and "Move" links, so
every change to the list is a plain link that works without JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import segno
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload

from locator.availability import Availability, availability_by_medication
from locator.geo import haversine_miles
from locator.models import MAX_ID, Provider, utcnow
from locator.ranking import best_of

MAX_IDS = 50
_ID_RE = re.compile(r"[0-9]{1,10}")


class ReferralError(ValueError):
    """A list address a person can fix.

    `kind` is "malformed" (then `value` is the bad item, shortened) or "too_many"; the web
    layer words its page from these, in the reader's language.
    """

    def __init__(self, kind: str, value: str = ""):
        super().__init__(kind)
        self.kind, self.value = kind, value


def parse_ids(text: str | None) -> list[int]:
    """`"3, 1,3"` -> `[3, 1]`. Empty items are skipped; a malformed id or too many raise."""
    ids: list[int] = []
    seen: set[int] = set()
    for piece in (text or "").split(","):
        piece = piece.strip()
        if not piece:
            continue
        if not _ID_RE.fullmatch(piece) or not 0 < int(piece) <= MAX_ID:
            shown = piece if len(piece) <= 20 else piece[:20] + "…"
            raise ReferralError("malformed", shown)
        number = int(piece)
        if number not in seen:
            seen.add(number)
            ids.append(number)
            if len(ids) > MAX_IDS:
                raise ReferralError("too_many")
    return ids


def join_ids(ids) -> str:
    return ",".join(str(i) for i in ids)


def added(ids: list[int], provider_id: int) -> list[int]:
    """The list with `provider_id` at the end (unchanged if already there or full)."""
    if provider_id in ids or len(ids) >= MAX_IDS:
        return list(ids)
    return [*ids, provider_id]


def removed(ids: list[int], provider_id: int) -> list[int]:
    return [i for i in ids if i != provider_id]


def moved(ids: list[int], index: int, step: int) -> list[int]:
    """The list with the item at `index` moved `step` places (clamped to the ends)."""
    out = list(ids)
    target = max(0, min(len(out) - 1, index + step))
    out.insert(target, out.pop(index))
    return out


def load_providers(session: Session, ids: list[int], with_sources: bool = False
                   ) -> tuple[list[Provider], list[int]]:
    """The providers in the order of `ids` (one query), and the ids that matched none."""
    if not ids:
        return [], []
    stmt = select(Provider).where(Provider.id.in_(bindparam("ids", expanding=True)))
    if with_sources:  # the CSV names each provider's source id: one more query, not one per row
        stmt = stmt.options(selectinload(Provider.sources))
    found = {p.id: p for p in session.scalars(stmt, {"ids": ids}).unique()}
    return [found[i] for i in ids if i in found], [i for i in ids if i not in found]


@dataclass(frozen=True)
class PacketItem:
    """One provider on the packet: its record, its availability (the soonest first dose of what
    it offers, and each medication's), what to ask, and (when the list was made near a place) how
    far it is and how exactly that is known."""

    provider: Provider
    availability: Availability
    questions: tuple[str, ...]
    distance_miles: float | None = None
    distance_precision: str | None = None  # the provider's placing: address, zip, city, point
    by_medication: dict[str, Availability] = field(default_factory=dict)


@dataclass
class Packet:
    ids: list[int]
    items: list[PacketItem]
    unknown: list[int] = field(default_factory=list)
    printed_on: date | None = None
    near: object = None  # the place distances are from (a locator.geocoding.Place), or None
    bridges: list = field(default_factory=list)  # a state's start-today options (locator.models.Bridge)

    @property
    def any_demo(self) -> bool:
        return any(item.provider.is_demo for item in self.items) or any(b.is_demo for b in self.bridges)

    @property
    def empty(self) -> bool:
        """Nothing to print: no provider and no start-today option."""
        return not self.items and not self.bridges


def questions_for(availability: Availability, provider: Provider) -> tuple[str, ...]:
    """Keys of what to ask when calling, most useful first; the templates word them."""
    asks = []
    if availability.accepting_new_patients is not True or availability.freshness.key != "fresh":
        asks.append("openings")
    if availability.days_to_first_dose is None:
        asks.append("wait")
    asks.append("insurance" if provider.payment else "cost")
    if not availability.same_day_start:
        asks.append("same_day")
    return tuple(asks)  # "what to bring" is the same everywhere: the packet's foot says it once


def build_packet(providers: list[Provider], unknown: list[int] | None = None,
                 now: datetime | None = None, near=None) -> Packet:
    """The packet of `providers`; with `near` (anything with latitude and longitude: the place
    the list was made for), each item says how far it is from there."""
    now = now or utcnow()
    items = []
    for provider in providers:
        by_medication = availability_by_medication(provider, now)
        availability = best_of(provider, by_medication, now=now)
        miles = None if near is None else round(haversine_miles(near.latitude, near.longitude,
                                                                 provider.latitude, provider.longitude), 1)
        items.append(PacketItem(provider, availability, questions_for(availability, provider), miles,
                                None if near is None else provider.geocode_precision, by_medication))
    return Packet([p.id for p in providers], items, list(unknown or []), now.date(), near)


def qr_svg(url: str, title: str = "") -> str:
    """An inline SVG QR code (no XML declaration, sized by CSS through its viewBox)."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(omitsize=True, border=4, dark="#000", light="#fff", title=title or None)
