"""What the desk records: a call to a listing and what came of it, a listing closed or opened
again, problem reports resolved, a contact email set. Plain Python over a Session; each writes
its audit entry in the same transaction (the caller commits), so an action is never kept
without its entry.

`record_call` takes the outcome (CALL_OUTCOMES):
- `reached`: the availability answers, when any was given, become a report of kind
  `caseworker` attributed to the staff account, and the facts confirmed (`verified`) are
  recorded as verified by staff;
- `no_answer`: only the call is kept;
- `wrong_number`: the phone is marked as not working (the public page says so and points to
  the intake line or the helpline) until staff verify a phone again;
- `closed`: the listing leaves search, with the reason, until it is opened again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from locator import audit
from locator.availability import add_report
from locator.desk_models import CALL_OUTCOMES, VERIFIED_FACTS, DeskCall
from locator.mail import normal_address
from locator.models import ProblemReport, Provider, utcnow
from locator.verification import verify

REASON_MAX = 200


class CallInvalid(ValueError):
    """`code`: unknown_outcome, verified_unreached (facts confirmed on a call that reached nobody),
    answers_unreached (availability from a call that reached nobody), unknown_fact, not_email,
    unknown_language."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def record_call(session: Session, provider: Provider, staff_id: int, outcome: str, *,
                answers: dict | None = None, verified=(), reason: str = "", now: datetime | None = None) -> DeskCall:
    """Record a call and what follows from it. `answers` are `add_report`'s keyword arguments
    (from `reports_input.validate_report`), or None when the call gave none; `reason` says why
    a listing found closed is (kept with it)."""
    now = now or utcnow()
    if outcome not in CALL_OUTCOMES:
        raise CallInvalid("unknown_outcome")
    if set(verified) - set(VERIFIED_FACTS):
        raise CallInvalid("unknown_fact")
    if outcome != "reached" and verified:
        raise CallInvalid("verified_unreached")
    if outcome != "reached" and answers:
        raise CallInvalid("answers_unreached")
    call = DeskCall(provider_id=provider.id, staff_id=staff_id, outcome=outcome, called_at=now)
    session.add(call)
    detail: dict = {"outcome": outcome}
    if answers:
        report = add_report(session, provider.id, reporter_kind="caseworker", staff_id=staff_id,
                            reported_at=now, **answers)
        detail.update(report_id=report.id, medication=report.medication)
    if verified:
        detail["verified"] = verify(session, provider.id, verified, "staff", staff_id=staff_id, at=now)
    if outcome == "wrong_number":
        provider.phone_bad_at = now
    if outcome == "closed":
        _close(provider, reason, now)
    session.flush()
    detail["call_id"] = call.id
    audit.record(session, "staff", "call_recorded", staff_id=staff_id, provider_id=provider.id, at=now, **detail)
    return call


def close_listing(session: Session, provider: Provider, staff_id: int, reason: str) -> None:
    """Take a listing out of search, saying why (kept, shown to staff)."""
    _close(provider, reason, utcnow())
    audit.record(session, "staff", "listing_closed", staff_id=staff_id, provider_id=provider.id)


def _close(provider: Provider, reason: str, now: datetime) -> None:
    """Closed since the first time it was found closed; the newest reason."""
    provider.closed_at = provider.closed_at or now
    provider.closed_reason = " ".join(reason.split())[:REASON_MAX]


def reopen_listing(session: Session, provider: Provider, staff_id: int) -> None:
    provider.closed_at, provider.closed_reason = None, ""
    audit.record(session, "staff", "listing_reopened", staff_id=staff_id, provider_id=provider.id)


def resolve_problems(session: Session, provider: Provider, staff_id: int, report_ids) -> list[int]:
    """Mark these open problem reports of the listing as checked; the ids resolved."""
    ids = [i for i in report_ids if isinstance(i, int)]
    open_ids = list(session.scalars(select(ProblemReport.id).where(
        ProblemReport.provider_id == provider.id, ProblemReport.resolved_at.is_(None), ProblemReport.id.in_(ids))))
    if open_ids:
        session.execute(update(ProblemReport).where(ProblemReport.id.in_(open_ids)).values(resolved_at=utcnow())
                        .execution_options(synchronize_session=False))
        audit.record(session, "staff", "problems_resolved", staff_id=staff_id, provider_id=provider.id,
                     problem_ids=open_ids)
    return open_ids


def set_contact_email(session: Session, provider: Provider, staff_id: int, email: str, language: str) -> None:
    """The address (empty: none) and language (en, es) of the listing's confirmation emails."""
    try:
        email = normal_address(email) if email.strip() else ""
    except ValueError:
        raise CallInvalid("not_email") from None
    if language not in ("en", "es"):
        raise CallInvalid("unknown_language")
    provider.contact_email, provider.contact_language = email, language
    audit.record(session, "staff", "contact_email_set", staff_id=staff_id, provider_id=provider.id,
                 has_email=bool(email), language=language)
