"""Availability: reports, their freshness, and a provider's current availability.

`Availability` is what people are shown about getting in (accepting, wait, walk-in, same-day
start) with when and by whom it was said and how fresh that is; `current_availability()`
combines a provider's newest report with the directory's standing intake facts. The web layer
words it (one Jinja macro, availability_status in templates/macros/provider.html); nothing here
is worded.

A report is never changed once written. The provider's current availability is its newest
report (ties: the one written last); `add_report` moves the provider's pointer with one
conditional UPDATE, so two reports written at the same moment by two workers are both kept and
the newest wins without a lost update (the provider row is locked first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, aliased

from locator.models import NOTE_MAX, AvailabilityReport, Provider, utcnow

__all__ = ["NOTE_MAX", "Availability", "Freshness", "add_report", "current_availability", "freshness", "history"]

FRESH_DAYS = 14
AGEING_DAYS = 60
MAX_WAIT_DAYS = 365


FRESHNESS_KEYS = ("fresh", "ageing", "stale", "unknown")


@dataclass(frozen=True)
class Freshness:
    key: str  # one of FRESHNESS_KEYS
    age_days: int | None


@dataclass(frozen=True)
class Availability:
    accepting_new_patients: bool | None
    wait_days: int | None
    walk_in: bool | None
    same_day_start: bool | None
    updated_at: datetime | None
    reported_by: str | None  # vocabulary.REPORTER_KINDS
    freshness: Freshness

    def to_dict(self) -> dict:
        return {"accepting_new_patients": self.accepting_new_patients, "wait_days": self.wait_days,
                "walk_in": self.walk_in, "same_day_start": self.same_day_start,
                "updated_at": self.updated_at.isoformat() if self.updated_at else None,
                "reported_by": self.reported_by, "freshness": self.freshness.key}


def current_availability(provider: Provider, now: datetime | None = None) -> Availability:
    """The provider's newest report, its walk-in and same-day facts filled in from the directory."""
    report = provider.current_report
    if report is None:
        return Availability(None, None, provider.walk_in, provider.same_day_start, None, None,
                            freshness(None))
    walk_in = report.walk_in if report.walk_in is not None else provider.walk_in
    same_day = report.same_day_start if report.same_day_start is not None else provider.same_day_start
    return Availability(report.accepting_new_patients, report.wait_days, walk_in, same_day, report.reported_at,
                        report.reporter_kind, freshness(report.reported_at, now or utcnow()))


def freshness(reported_at: datetime | None, now: datetime | None = None) -> Freshness:
    if reported_at is None:
        return Freshness("unknown", None)
    now = now or utcnow()
    age = max(0, (now - reported_at).days)
    if age <= FRESH_DAYS:
        return Freshness("fresh", age)
    if age <= AGEING_DAYS:
        return Freshness("ageing", age)
    return Freshness("stale", age)


def add_report(session: Session, provider_id: int, *, reporter_kind: str,
               accepting_new_patients: bool | None = None, wait_days: int | None = None,
               walk_in: bool | None = None, same_day_start: bool | None = None, note: str = "",
               reported_at: datetime | None = None, token_id: int | None = None) -> AvailabilityReport:
    """Write a new report and make it current if it is the newest. The caller commits."""
    if wait_days is not None and not 0 <= wait_days <= MAX_WAIT_DAYS:
        raise ValueError(f"wait_days must be between 0 and {MAX_WAIT_DAYS}")
    # Lock the provider row first (PostgreSQL; SQLite serialises writers anyway): otherwise a
    # newer report whose UPDATE waits on an older one's lock re-checks the row without seeing
    # the older report, and the pointer would stay on the older one.
    session.execute(select(Provider.id).where(Provider.id == provider_id).with_for_update())
    report = AvailabilityReport(
        provider_id=provider_id, reporter_kind=reporter_kind,
        accepting_new_patients=accepting_new_patients, wait_days=wait_days, walk_in=walk_in,
        same_day_start=same_day_start, note=(note or "")[:NOTE_MAX],
        reported_at=reported_at or utcnow(), token_id=token_id)
    session.add(report)
    session.flush()
    current = aliased(AvailabilityReport)
    newer_or_same = select(current.id).where(
        current.id == Provider.current_report_id, current.reported_at <= report.reported_at)
    session.execute(
        update(Provider)
        .where(Provider.id == provider_id,
               or_(Provider.current_report_id.is_(None), newer_or_same.exists()))
        .values(current_report_id=report.id)
        .execution_options(synchronize_session=False))
    return report


def history(session: Session, provider_id: int, limit: int = 100) -> list[AvailabilityReport]:
    return list(session.scalars(
        select(AvailabilityReport).where(AvailabilityReport.provider_id == provider_id)
        .order_by(AvailabilityReport.reported_at.desc(), AvailabilityReport.id.desc()).limit(limit)))


def days_ago(days: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=days)
