"""The verification desk's records: what staff verified, the calls they made, the confirmation
emails sent to providers, the addresses that asked for no more, and the audit log.

The audit log is append-only: the ORM refuses to change or delete an entry, and the database
does too (triggers on SQLite and PostgreSQL, made with the table here and by migration 0008).
Its ids of staff, confirmations and providers are plain numbers, not foreign keys, so that no
deletion elsewhere ever reaches it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from locator.models import Base, UTCDateTime, utcnow

VERIFIED_FACTS = ("phone", "address", "medications", "payment")
VERIFIER_KINDS = ("staff", "provider")
CALL_OUTCOMES = ("reached", "no_answer", "wrong_number", "closed")
AUDIT_ACTORS = ("staff", "confirmation", "operator")


class Verification(Base):
    """One fact of a listing (VERIFIED_FACTS) confirmed on a date by a kind of person (VERIFIER_KINDS)."""

    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    fact: Mapped[str] = mapped_column(String(20))
    verified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verifier_kind: Mapped[str] = mapped_column(String(12))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"), nullable=True)

    __table_args__ = (Index("ix_verifications_provider_fact", "provider_id", "fact", "verified_at"),)


class DeskCall(Base):
    """A call staff made to a listing, and how it went (CALL_OUTCOMES)."""

    __tablename__ = "desk_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"))
    outcome: Mapped[str] = mapped_column(String(20))
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ConfirmationRequest(Base):
    """An email that asked a provider to confirm its availability. The link names this row (signed,
    locator.confirmations), and works once: `used_at`. The address is not kept here: it is the
    listing's contact email at the time of sending."""

    __tablename__ = "confirmation_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MailOptOut(Base):
    """An address that asked for no more email, kept as the SHA-256 of its lower-case form."""

    __tablename__ = "mail_opt_outs"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """Who (a staff account, a confirmation link, the operator at the command line) did what
    (`action`, a code) to which listing, when, with the details as JSON. Never changed."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(20))  # AUDIT_ACTORS
    staff_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    confirmation_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    provider_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper, _connection, entry: AuditEntry) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {entry.id} cannot be changed or deleted")


# The same rule in the database (migration 0008 runs these statements too).
APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ],
}
for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _statement in _statements:
        event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))
