"""Availability: reports, their freshness, and a provider's availability for each medication.

`Availability` is what people are shown about getting in (accepting, wait, walk-in, same-day
start, a first dose at the first visit, walk-in hours) with when and by whom it was said, how
fresh that is, and the days to a first dose derived from it (`days_to_first_dose`,
docs/ranking.md). `availability_for(provider, medication)` is the provider's newest report
naming that medication, else its newest report for all of its medications, with the
directory's standing walk-in and same-day facts filled in when the report gives no wait;
`availability_by_medication` gives it for each medication the provider offers. The web layer
words it; nothing here is worded.

A report is never changed once written. `add_report` moves the provider's pointer (for all, or
for the report's medication) only forward in time, the provider row locked first, so two
reports written at the same moment by two workers are both kept and the newest wins without a
lost update.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from locator import vocabulary
from locator.models import HOURS_MAX, NOTE_MAX, AvailabilityReport, MedicationReport, Provider, utcnow

__all__ = ["HOURS_MAX", "NOTE_MAX", "Availability", "Freshness", "add_report", "availability_by_medication",
           "availability_for", "days_to_first_dose", "freshness", "history"]

FRESH_DAYS = 14
AGEING_DAYS = 60
MAX_WAIT_DAYS = 365


FRESHNESS_KEYS = ("fresh", "ageing", "stale", "unknown")


@dataclass(frozen=True)
class Freshness:
    key: str  # one of FRESHNESS_KEYS
    age_days: int | None


def days_to_first_dose(accepting: bool | None, wait_days: int | None, walk_in: bool | None,
                       same_day_start: bool | None, first_dose_at_first_visit: bool | None) -> int | None:
    """Days until a person can take a first dose (docs/ranking.md), or None when not known.

    Not accepting new patients: None. A same-day start, or a walk-in with a first dose at the
    first visit: 0. Otherwise the wait to a first visit (0 for a walk-in that gives no wait),
    plus a day when the first visit is known to give no dose.
    """
    if accepting is False:
        return None
    if same_day_start or (walk_in and first_dose_at_first_visit):
        return 0
    visit = wait_days if wait_days is not None else (0 if walk_in else None)
    if visit is None:
        return None
    return visit + (1 if first_dose_at_first_visit is False else 0)


@dataclass(frozen=True)
class Availability:
    accepting_new_patients: bool | None
    wait_days: int | None
    walk_in: bool | None
    same_day_start: bool | None
    updated_at: datetime | None
    reported_by: str | None  # vocabulary.REPORTER_KINDS
    freshness: Freshness
    medication: str | None = None  # what it is the availability for (None: no medication asked)
    first_dose_at_first_visit: bool | None = None
    walk_in_hours: str = ""
    for_all: bool = True  # said of all the provider's medications, not of this one by name

    @property
    def days_to_first_dose(self) -> int | None:
        """None without a report: an undated directory fact starts nobody."""
        if self.updated_at is None:
            return None
        return days_to_first_dose(self.accepting_new_patients, self.wait_days, self.walk_in,
                                  self.same_day_start, self.first_dose_at_first_visit)

    def to_dict(self) -> dict:
        return {"accepting_new_patients": self.accepting_new_patients, "wait_days": self.wait_days,
                "walk_in": self.walk_in, "same_day_start": self.same_day_start,
                "updated_at": self.updated_at.isoformat() if self.updated_at else None,
                "reported_by": self.reported_by, "freshness": self.freshness.key,
                "medication": self.medication, "days_to_first_dose": self.days_to_first_dose,
                "first_dose_at_first_visit": self.first_dose_at_first_visit,
                "walk_in_hours": self.walk_in_hours}


def _availability(provider: Provider, report: AvailabilityReport | None, medication: str | None,
                  now: datetime | None) -> Availability:
    if report is None:
        return Availability(None, None, provider.walk_in, provider.same_day_start, None, None,
                            freshness(None), medication)
    # The directory's standing facts fill in only a report that gives no wait: an undated "same-day
    # start" must not turn a dated 21-day wait into a start today.
    standing = report.wait_days is None
    walk_in = report.walk_in if report.walk_in is not None else (provider.walk_in if standing else None)
    same_day = report.same_day_start if report.same_day_start is not None else \
        (provider.same_day_start if standing else None)
    return Availability(report.accepting_new_patients, report.wait_days, walk_in, same_day, report.reported_at,
                        report.reporter_kind, freshness(report.reported_at, now or utcnow()), medication,
                        report.first_dose_at_first_visit, report.walk_in_hours or "", report.medication is None)


def availability_for(provider: Provider, medication: str | None = None, now: datetime | None = None) -> Availability:
    """The provider's availability for `medication`: its newest report naming it, else its newest
    report for all; for None, its newest report for all."""
    named = next((m.report for m in provider.medication_reports if m.medication == medication), None) \
        if medication else None
    return _availability(provider, named or provider.current_report, medication, now)


def current_availability(provider: Provider, now: datetime | None = None) -> Availability:
    """The provider's newest report for all medications (see `availability_for`)."""
    return availability_for(provider, None, now)


def availability_by_medication(provider: Provider, now: datetime | None = None) -> dict[str, Availability]:
    """The availability for each medication the provider offers, in vocabulary order."""
    now = now or utcnow()
    return {medication: availability_for(provider, medication, now) for medication in provider.medications}


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


def add_report(session: Session, provider_id: int, *, reporter_kind: str, medication: str | None = None,
               accepting_new_patients: bool | None = None, wait_days: int | None = None,
               walk_in: bool | None = None, same_day_start: bool | None = None,
               first_dose_at_first_visit: bool | None = None, walk_in_hours: str = "",
               counseling_required_to_start: bool | None = None, note: str = "",
               reported_at: datetime | None = None, token_id: int | None = None,
               staff_id: int | None = None) -> AvailabilityReport:
    """Write a new report and make it current (for all, or for its medication) if it is the
    newest. A report that says whether counselling is required to start sets the provider's
    standing fact when it is the newest. The caller commits; a Provider already loaded in the
    session is not refreshed (expire it)."""
    if wait_days is not None and not 0 <= wait_days <= MAX_WAIT_DAYS:
        raise ValueError(f"wait_days must be between 0 and {MAX_WAIT_DAYS}")
    if medication is not None and medication not in vocabulary.MEDICATIONS:
        raise ValueError(f"{medication!r} is not a medication")
    # Lock the provider row first (PostgreSQL; SQLite serialises writers anyway): otherwise a
    # newer report whose UPDATE waits on an older one's lock re-checks the row without seeing
    # the older report, and the pointer would stay on the older one.
    session.execute(select(Provider.id).where(Provider.id == provider_id).with_for_update())
    report = AvailabilityReport(
        provider_id=provider_id, reporter_kind=reporter_kind, medication=medication,
        accepting_new_patients=accepting_new_patients, wait_days=wait_days, walk_in=walk_in,
        same_day_start=same_day_start, first_dose_at_first_visit=first_dose_at_first_visit,
        walk_in_hours=" ".join((walk_in_hours or "").split())[:HOURS_MAX],
        counseling_required_to_start=counseling_required_to_start, note=(note or "")[:NOTE_MAX],
        reported_at=reported_at or utcnow(), token_id=token_id, staff_id=staff_id)
    session.add(report)
    session.flush()
    newest = _point_to(session, report) if medication else _point_all_to(session, report)
    changes: dict = {"updated_at": utcnow()}  # the provider's record changed (the HSDS API's modified_after)
    if newest and counseling_required_to_start is not None:
        changes["counseling_required_to_start"] = counseling_required_to_start
    session.execute(update(Provider).where(Provider.id == provider_id).values(**changes)
                    .execution_options(synchronize_session=False))
    return report


def _point_all_to(session: Session, report: AvailabilityReport) -> bool:
    current = aliased(AvailabilityReport)
    newer_or_same = select(current.id).where(
        current.id == Provider.current_report_id, current.reported_at <= report.reported_at)
    result = session.execute(
        update(Provider)
        .where(Provider.id == report.provider_id,
               or_(Provider.current_report_id.is_(None), newer_or_same.exists()))
        .values(current_report_id=report.id)
        .execution_options(synchronize_session=False))
    return result.rowcount > 0


def _point_to(session: Session, report: AvailabilityReport) -> bool:
    """Point the provider's pointer for the report's medication at it, if it is the newest."""
    key = (MedicationReport.provider_id == report.provider_id, MedicationReport.medication == report.medication)
    current = session.execute(
        select(AvailabilityReport.reported_at)
        .join(MedicationReport, MedicationReport.report_id == AvailabilityReport.id).where(*key)).first()
    if current is None:
        session.execute(insert(MedicationReport).values(provider_id=report.provider_id,
                                                        medication=report.medication, report_id=report.id))
        return True
    if current.reported_at > report.reported_at:
        return False
    session.execute(update(MedicationReport).where(*key).values(report_id=report.id)
                    .execution_options(synchronize_session=False))
    return True


def history(session: Session, provider_id: int, limit: int = 100) -> list[AvailabilityReport]:
    return list(session.scalars(
        select(AvailabilityReport).where(AvailabilityReport.provider_id == provider_id)
        .order_by(AvailabilityReport.reported_at.desc(), AvailabilityReport.id.desc()).limit(limit)))


def days_ago(days: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=days)
