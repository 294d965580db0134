"""A listing's history as the desk shows it: calls, availability reports, verified facts and
problem reports, newest first, as one list of events. Plain Python over a Session; nothing is
worded here (the template words each kind of event).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.availability import history as availability_history
from locator.desk_models import DeskCall, Verification
from locator.models import ProblemReport, StaffAccount

LIMIT = 60  # events of each kind


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # call, report, verified, problem
    staff: str = ""  # the staff member's name, for what the desk did
    values: dict = field(default_factory=dict)


def listing_history(session: Session, provider_id: int) -> list[Event]:
    names = dict(session.execute(select(StaffAccount.id, StaffAccount.name)).all())
    events = [Event(c.called_at, "call", names.get(c.staff_id, ""), {"outcome": c.outcome})
              for c in session.scalars(select(DeskCall).where(DeskCall.provider_id == provider_id)
                                       .order_by(DeskCall.called_at.desc()).limit(LIMIT))]
    events += [Event(r.reported_at, "report", names.get(r.staff_id, "") if r.staff_id else "",
                     {"report": r, "reporter_kind": r.reporter_kind})
               for r in availability_history(session, provider_id, limit=LIMIT)]
    events += _verified(session, provider_id, names)
    events += [Event(p.reported_at, "problem", "", {"problem": p})
               for p in session.scalars(select(ProblemReport).where(ProblemReport.provider_id == provider_id)
                                        .order_by(ProblemReport.reported_at.desc()).limit(LIMIT))]
    return sorted(events, key=lambda e: e.at, reverse=True)


def _verified(session: Session, provider_id: int, names: dict) -> list[Event]:
    """Facts confirmed together (same moment, same person) as one event."""
    grouped: dict[tuple, list[str]] = {}
    for v in session.scalars(select(Verification).where(Verification.provider_id == provider_id)
                             .order_by(Verification.verified_at.desc(), Verification.id).limit(LIMIT * 4)):
        grouped.setdefault((v.verified_at, v.verifier_kind, v.staff_id), []).append(v.fact)
    return [Event(at, "verified", names.get(staff_id, "") if staff_id else "", {"facts": facts, "verifier_kind": kind})
            for (at, kind, staff_id), facts in grouped.items()]


def open_problems(session: Session, provider_id: int) -> list[ProblemReport]:
    return list(session.scalars(select(ProblemReport).where(
        ProblemReport.provider_id == provider_id, ProblemReport.resolved_at.is_(None))
        .order_by(ProblemReport.reported_at)))
