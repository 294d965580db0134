"""Verified facts: a listing's phone, address, medications and payment, each confirmed on a date
by a kind of person (staff at the desk, or the provider itself). Plain Python over a Session.

`verify` records facts as confirmed now; `verified(session, ids)` gives, for each listing, the
newest confirmation of each fact (or nothing for a fact never confirmed). Confirming the phone
clears a mark that it did not work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from locator.desk_models import VERIFIED_FACTS, VERIFIER_KINDS, Verification
from locator.models import Provider, utcnow


@dataclass(frozen=True)
class Verified:
    at: datetime
    kind: str  # VERIFIER_KINDS


def verify(session: Session, provider_id: int, facts, verifier_kind: str, *, staff_id: int | None = None,
           at: datetime | None = None) -> list[str]:
    """Record each of `facts` as confirmed (the caller commits); the facts recorded, in order."""
    if verifier_kind not in VERIFIER_KINDS:
        raise ValueError(f"{verifier_kind!r} is not a kind of verifier")
    unknown = set(facts) - set(VERIFIED_FACTS)
    if unknown:
        raise ValueError(f"not facts that can be verified: {sorted(unknown)}")
    at = at or utcnow()
    recorded = [fact for fact in VERIFIED_FACTS if fact in set(facts)]
    session.add_all(Verification(provider_id=provider_id, fact=fact, verified_at=at, verifier_kind=verifier_kind,
                                 staff_id=staff_id) for fact in recorded)
    if "phone" in recorded:
        session.execute(update(Provider).where(Provider.id == provider_id).values(phone_bad_at=None)
                        .execution_options(synchronize_session=False))
    return recorded


def verified(session: Session, provider_ids) -> dict[int, dict[str, Verified]]:
    """For each listing of `provider_ids` that has any, its newest confirmation of each fact, in
    the order of VERIFIED_FACTS."""
    ids = list(provider_ids)
    if not ids:
        return {}
    newest = (select(Verification.provider_id, Verification.fact, func.max(Verification.verified_at).label("at"))
              .where(Verification.provider_id.in_(ids))
              .group_by(Verification.provider_id, Verification.fact).subquery())
    rows = session.execute(
        select(Verification.provider_id, Verification.fact, Verification.verified_at, Verification.verifier_kind)
        .join(newest, (newest.c.provider_id == Verification.provider_id) & (newest.c.fact == Verification.fact)
              & (newest.c.at == Verification.verified_at))
        .order_by(Verification.id))
    found: dict[int, dict[str, Verified]] = {}
    for provider_id, fact, at, kind in rows:
        found.setdefault(provider_id, {})[fact] = Verified(at, kind)
    order = {fact: n for n, fact in enumerate(VERIFIED_FACTS)}  # each listing's facts in this order
    return {pid: dict(sorted(facts.items(), key=lambda item: order[item[0]])) for pid, facts in found.items()}
