"""The desk's worklist: the listings that most need a call, in order. Plain Python over a Session.

A listing's availability is as old as its oldest medication's: for each medication it offers,
the newest report naming it, else the newest report for all of its medications
(`oldest_availability`, an SQL expression; NULL when a medication it offers has no report at
all). The reasons to call, most pressing first (REASONS):

1. `problems`: people reported a problem that staff have not checked;
2. `stale`: availability older than STALE_DAYS for a medication it offers, or none for one of
   them while the listing was reported on or verified otherwise;
3. `never_verified`: no availability report but the imported directory's, and no verified fact;
4. `phone_unverified`: its phone was never verified.

A listing closed from the desk is left out; a listing with none of these reasons is not on the
list. Within a reason, the longest-waiting first (oldest problem, then never-given availability,
then the oldest), then by id. Filters: state, county, source (where the record came from) and medication.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, exists, func, nulls_first, or_, select
from sqlalchemy.orm import Session, aliased

from locator import vocabulary
from locator.desk_models import Verification
from locator.models import AvailabilityReport, MedicationReport, ProblemReport, Provider, ProviderSource, utcnow
from locator.search_statements import medication_rows, raw_terms

STALE_DAYS = 60
REASONS = ("problems", "stale", "never_verified", "phone_unverified")
PAGE = 50


def oldest_availability(provider=Provider):
    """When the listing's oldest availability was said, across the medications it offers: a
    correlated scalar subquery; NULL when one of them (or the listing) has no report at all."""
    medication = medication_rows()
    pointer = aliased(MedicationReport)
    named, for_all = aliased(AvailabilityReport), aliased(AvailabilityReport)
    said = func.coalesce(named.reported_at, for_all.reported_at)
    return (select(case((func.count() == func.count(said), func.min(said)), else_=None))
            .select_from(medication)
            .outerjoin(pointer, and_(pointer.provider_id == provider.id, pointer.medication == medication.c.key))
            .outerjoin(named, named.id == pointer.report_id)
            .outerjoin(for_all, for_all.id == provider.current_report_id)
            .where(raw_terms(provider.medications).op("&")(medication.c.bit) != 0)
            .correlate(provider).scalar_subquery())


@dataclass(frozen=True)
class Filters:
    state: str = ""
    county: str = ""
    source: str = ""
    medication: str = ""


@dataclass(frozen=True)
class Entry:
    provider: Provider
    reason: str  # REASONS
    open_problems: int
    oldest_problem: datetime | None
    availability_at: datetime | None  # the oldest availability (None: some medication has none)


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    total: int
    page: int
    per_page: int


def worklist(session: Session, filters: Filters = Filters(), page: int = 1, now: datetime | None = None) -> Page:
    now = now or utcnow()
    problems = (select(ProblemReport.provider_id, func.count().label("count"),
                       func.min(ProblemReport.reported_at).label("oldest"))
                .where(ProblemReport.resolved_at.is_(None)).group_by(ProblemReport.provider_id).subquery())
    availability = oldest_availability().label("availability_at")
    any_report = exists().where(AvailabilityReport.provider_id == Provider.id)
    reported = exists().where(AvailabilityReport.provider_id == Provider.id,
                              AvailabilityReport.reporter_kind != "import")
    verified = exists().where(Verification.provider_id == Provider.id)
    phone_verified = exists().where(Verification.provider_id == Provider.id, Verification.fact == "phone")
    cutoff = now - timedelta(days=STALE_DAYS)
    stale = or_(availability < cutoff, and_(availability.is_(None), or_(any_report, verified)))
    rank = case((problems.c.count > 0, 0), (stale, 1), (and_(~reported, ~verified), 2), (~phone_verified, 3),
                else_=None)
    rows = (select(Provider.id.label("id"), rank.label("rank"), problems.c.count, problems.c.oldest, availability)
            .outerjoin(problems, problems.c.provider_id == Provider.id)
            .where(Provider.closed_at.is_(None), *_conditions(filters)))
    ranked = rows.subquery()
    listed = select(ranked).where(ranked.c.rank.isnot(None))
    total = session.scalar(select(func.count()).select_from(listed.subquery())) or 0
    found = session.execute(
        listed.order_by(ranked.c.rank, ranked.c.oldest, nulls_first(ranked.c.availability_at.asc()), ranked.c.id)
        .limit(PAGE).offset((page - 1) * PAGE)).all()
    providers = {p.id: p for p in session.scalars(select(Provider).where(Provider.id.in_([r.id for r in found])))}
    entries = [Entry(providers[r.id], REASONS[r.rank], r.count or 0, r.oldest, r.availability_at) for r in found]
    return Page(entries, total, page, PAGE)


def _conditions(filters: Filters) -> list:
    conditions = []
    if filters.state:
        conditions.append(Provider.state == filters.state)
    if filters.county:
        conditions.append(func.lower(Provider.county) == filters.county.lower())
    if filters.source:
        conditions.append(exists().where(ProviderSource.provider_id == Provider.id,
                                         ProviderSource.source == filters.source))
    if filters.medication in vocabulary.MEDICATIONS.by_key:
        conditions.append(raw_terms(Provider.medications).op("&")(
            vocabulary.MEDICATIONS.mask([filters.medication])) != 0)
    return conditions


def sources(session: Session) -> list[str]:
    """The sources listings came from, for the filter's choices."""
    return list(session.scalars(select(ProviderSource.source).distinct().order_by(ProviderSource.source)))
