"""The audit log: every staff action and every provider confirmation, appended, never changed
(locator.desk_models.AuditEntry). Plain Python over a Session.

`record` appends an entry in the caller's transaction, so an action and its entry are written
together or not at all. `entries` reads them back in order, from a date on. Details are short
codes and values (ids, outcomes, medication keys, facts): never a password, a token, a client
address or what a member of the public typed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.desk_models import AUDIT_ACTORS, AuditEntry
from locator.models import StaffAccount, utcnow


def record(session: Session, actor: str, action: str, *, staff_id: int | None = None,
           confirmation_id: int | None = None, provider_id: int | None = None,
           at: datetime | None = None, **detail) -> AuditEntry:
    """Append an entry (the caller commits). `actor` is one of AUDIT_ACTORS; `detail` holds
    JSON-ready values."""
    if actor not in AUDIT_ACTORS:
        raise ValueError(f"{actor!r} is not an audit actor")
    entry = AuditEntry(at=at or utcnow(), actor=actor, staff_id=staff_id, confirmation_id=confirmation_id,
                       action=action, provider_id=provider_id,
                       detail=json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str))
    session.add(entry)
    return entry


@dataclass(frozen=True)
class Line:
    at: datetime
    actor: str
    who: str  # "staff 3 (Ana Ruiz)", "confirmation 12", "an unsubscribe link", "operator"
    action: str
    provider_id: int | None
    detail: dict


def entries(session: Session, since: datetime | None = None) -> Iterator[Line]:
    """The log from `since` on (all of it without), oldest first, read in batches."""
    names = dict(session.execute(select(StaffAccount.id, StaffAccount.name)).all())
    query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id).execution_options(yield_per=500)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    for entry in session.scalars(query):
        detail = json.loads(entry.detail or "{}")
        if entry.actor == "staff":
            who = f"staff {entry.staff_id} ({names.get(entry.staff_id, '?')})"
        elif entry.actor == "confirmation":
            who = f"confirmation {entry.confirmation_id}" if entry.confirmation_id else "an unsubscribe link"
        else:
            who = "operator"
        # What the operator acted on: the staff account created, the confirmation sent.
        if entry.actor != "staff" and entry.staff_id is not None:
            detail["staff"] = f"{entry.staff_id} ({names.get(entry.staff_id, '?')})"
        if entry.actor != "confirmation" and entry.confirmation_id is not None:
            detail["confirmation_id"] = entry.confirmation_id
        yield Line(entry.at, entry.actor, who, entry.action, entry.provider_id, detail)
