"""One-tap confirmations: asking providers by email whether their availability still holds, and
recording their answer. Plain Python over a Session; no Flask.

- `due(session, older_than_days)`: the listings to ask: open (not closed), with a contact email
  that did not opt out, whose availability (the oldest of their medications',
  `worklist.oldest_availability`) is older than that or was never given, and that were not
  already asked within that many days. Never-given first, then the oldest.
- `new_request` writes the ConfirmationRequest row for one email; `make_token` signs its id and
  the provider's id (itsdangerous, salt "confirm"); `open_request` reads a token back and
  raises `LinkInvalid` with the reason ("forged", "expired" after TOKEN_DAYS, "used").
- `answer` records the provider's answer: the row is marked used by a conditional UPDATE (only
  while `used_at` is NULL) in the caller's transaction, so of two clicks at once only one
  writes; the other raises LinkInvalid("used") and the caller rolls back.
- `unsubscribe_token` / `read_unsubscribe` sign the SHA-256 of the address (never the address:
  it is what `MailOptOut` keeps) with no expiry; `opt_out` records it.

Tokens and addresses are never put in the audit log or any log: the confirmation id is enough.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import exists, nulls_first, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from locator import audit
from locator.availability import add_report
from locator.desk_models import ConfirmationRequest, MailOptOut
from locator.models import AvailabilityReport, MedicationReport, Provider, utcnow
from locator.verification import verify
from locator.worklist import oldest_availability

TOKEN_DAYS = 14
DEFAULT_OLDER_THAN_DAYS = 14
ANSWERS = ("still_accepting", "not_accepting", "changed")
CARRIED = ("walk_in", "same_day_start", "first_dose_at_first_visit", "walk_in_hours")
CONFIRM_SALT = "confirm"
UNSUBSCRIBE_SALT = "unsubscribe"


class LinkInvalid(ValueError):
    """A confirmation or unsubscribe link that cannot be used; `reason`: forged, expired or used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def has_opted_out(session: Session, address_hash: str) -> bool:
    return session.get(MailOptOut, address_hash) is not None


def due(session: Session, older_than_days: int = DEFAULT_OLDER_THAN_DAYS, limit: int | None = None,
        now: datetime | None = None) -> list[Provider]:
    """The listings to ask now, never-given availability first, then the oldest, then by id."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    said = oldest_availability()
    asked_lately = exists().where(ConfirmationRequest.provider_id == Provider.id,
                                  ConfirmationRequest.sent_at >= cutoff)
    query = (select(Provider)
             .where(Provider.closed_at.is_(None), Provider.contact_email != "", ~asked_lately,
                    said.is_(None) | (said < cutoff))
             .order_by(nulls_first(said.asc()), Provider.id))
    out = set(session.scalars(select(MailOptOut.email_hash)))  # few: the addresses that asked for no more
    chosen = [p for p in session.scalars(query) if "@" in p.contact_email and email_hash(p.contact_email) not in out]
    return chosen if limit is None else chosen[:limit]


def new_request(session: Session, provider: Provider, now: datetime | None = None) -> ConfirmationRequest:
    """The row for one email to `provider`, with its id (the caller commits once it is sent)."""
    request = ConfirmationRequest(provider_id=provider.id, sent_at=now or utcnow())
    session.add(request)
    session.flush()
    audit.record(session, "operator", "confirmation_sent", confirmation_id=request.id, provider_id=provider.id,
                 language=provider.contact_language or "en")
    return request


def make_token(secret: str, request: ConfirmationRequest) -> str:
    return URLSafeTimedSerializer(secret, salt=CONFIRM_SALT).dumps([request.id, request.provider_id])


def open_request(session: Session, secret: str, token: str, now: datetime | None = None) -> ConfirmationRequest:
    """The unused request the token names, or LinkInvalid (forged, expired or used)."""
    serializer = URLSafeTimedSerializer(secret, salt=CONFIRM_SALT)
    try:
        request_id, provider_id = serializer.loads(token, max_age=TOKEN_DAYS * 86400)
    except SignatureExpired:
        raise LinkInvalid("expired") from None
    except (BadSignature, ValueError, TypeError):
        raise LinkInvalid("forged") from None
    request = session.get(ConfirmationRequest, request_id) if isinstance(request_id, int) else None
    if request is None or request.provider_id != provider_id:
        raise LinkInvalid("forged")  # signed by us, but its row (or its listing) is gone
    if request.sent_at < (now or utcnow()) - timedelta(days=TOKEN_DAYS):
        raise LinkInvalid("expired")
    if request.used_at is not None:
        raise LinkInvalid("used")
    return request


def answer(session: Session, request: ConfirmationRequest, kind: str, *, wait_days: int | None = None,
           values: dict | None = None, verified=(), now: datetime | None = None) -> None:
    """Record the provider's answer (`kind`, one of ANSWERS) and use the link up; the caller
    commits, or rolls back on LinkInvalid("used"). `values` are add_report's keyword arguments
    (for "changed", from reports_input.validate_report); `verified` the facts still right.

    An answer for all medications is also written for each medication that has a report of its
    own, which would otherwise hide it (docs/availability.md). A one-tap answer says only whether
    new patients are taken and the wait: each report it writes keeps what the report it follows
    said of walk-ins, same-day starts, the first dose and walk-in hours (CARRIED)."""
    if kind not in ANSWERS:
        raise ValueError(f"{kind!r} is not an answer")
    now = now or utcnow()
    used = session.execute(update(ConfirmationRequest)
                           .where(ConfirmationRequest.id == request.id, ConfirmationRequest.used_at.is_(None))
                           .values(used_at=now).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise LinkInvalid("used")
    if kind == "still_accepting":
        values = {"accepting_new_patients": True, "wait_days": wait_days}
    elif kind == "not_accepting":
        values = {"accepting_new_patients": False}
    values = dict(values or {})
    own = session.scalars(select(MedicationReport.medication).where(MedicationReport.provider_id == request.provider_id)
                          .order_by(MedicationReport.medication))
    medications = [values["medication"]] if values.get("medication") else [None, *own]
    for medication in medications:
        before = _said_before(session, request.provider_id, medication) if kind != "changed" else {}
        add_report(session, request.provider_id, reporter_kind="provider", reported_at=now,
                   **{**before, **values, "medication": medication})
    facts = verify(session, request.provider_id, verified, "provider", at=now) if verified else []
    audit.record(session, "confirmation", "confirmation_answered", confirmation_id=request.id,
                 provider_id=request.provider_id, at=now, answer=kind,
                 accepting_new_patients=values.get("accepting_new_patients"), wait_days=values.get("wait_days"),
                 medication=values.get("medication"), verified=facts)


def _said_before(session: Session, provider_id: int, medication: str | None) -> dict:
    """What the listing's current report (for all, or naming `medication`) said of CARRIED, read
    from the database (not from a Provider this session may hold from before)."""
    if medication is None:
        query = select(AvailabilityReport).join(Provider, Provider.current_report_id == AvailabilityReport.id) \
            .where(Provider.id == provider_id)
    else:
        query = select(AvailabilityReport).join(MedicationReport, MedicationReport.report_id == AvailabilityReport.id) \
            .where(MedicationReport.provider_id == provider_id, MedicationReport.medication == medication)
    report = session.scalar(query)
    return {} if report is None else {key: getattr(report, key) for key in CARRIED}


def unsubscribe_token(secret: str, email: str) -> str:
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps(email_hash(email))


def read_unsubscribe(secret: str, token: str) -> str:
    """The address hash an unsubscribe link carries, or LinkInvalid("forged")."""
    try:
        value = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise LinkInvalid("forged") from None
    if not (isinstance(value, str) and len(value) == 64):
        raise LinkInvalid("forged")
    return value


def opt_out(session: Session, address_hash: str, now: datetime | None = None) -> bool:
    """Stop emails to the address; False when it had already asked. Commits (a click twice at
    once records one opt-out)."""
    if has_opted_out(session, address_hash):
        return False
    try:
        session.add(MailOptOut(email_hash=address_hash, opted_out_at=now or utcnow()))
        audit.record(session, "confirmation", "mail_opt_out", at=now)
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True
