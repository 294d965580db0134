"""The data's health at a glance, for the verification desk's front page. Plain Python over a Session.

`data_health(session, now)` answers three questions in three queries, with numbers and codes only
(the web layer words them):

- per state (only states with open listings; a listing closed from the desk is left out): how
  many listings, and how many have availability younger than FRESH_DAYS (14 and 60 days). A
  listing's availability is as old as its oldest medication's (`worklist.oldest_availability`);
  one never reported (NULL) is fresh in neither;
- the open problem reports: how many, how many in each age bucket (PROBLEM_BUCKETS: under 7
  days, 7 to 30 days, over 30 days) and the oldest one's age in whole days;
- the calls made in the last CALL_DAYS days: how many, and how many of each outcome
  (desk_models.CALL_OUTCOMES, in that order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from locator.desk_models import CALL_OUTCOMES, DeskCall
from locator.models import ProblemReport, Provider, utcnow
from locator.worklist import oldest_availability

FRESH_DAYS = (14, 60)
PROBLEM_BUCKETS = ("under_7", "7_to_30", "over_30")  # ages in days: < 7, 7 to 30, > 30
CALL_DAYS = 7


@dataclass(frozen=True)
class StateHealth:
    state: str
    listings: int
    fresh_14: int  # availability younger than 14 days
    fresh_60: int  # ... younger than 60 days (includes fresh_14)

    @property
    def share_14(self) -> float:
        return self.fresh_14 / self.listings if self.listings else 0.0

    @property
    def share_60(self) -> float:
        return self.fresh_60 / self.listings if self.listings else 0.0


@dataclass(frozen=True)
class OpenProblems:
    count: int
    buckets: tuple[tuple[str, int], ...]  # (PROBLEM_BUCKETS code, count), in that order
    oldest_days: int | None  # None: no open report


@dataclass(frozen=True)
class WeekCalls:
    total: int
    outcomes: tuple[tuple[str, int], ...]  # (CALL_OUTCOMES code, count), every outcome, in that order


@dataclass(frozen=True)
class Health:
    states: tuple[StateHealth, ...]  # by state code
    problems: OpenProblems
    calls: WeekCalls


def data_health(session: Session, now: datetime | None = None) -> Health:
    now = now or utcnow()
    return Health(_states(session, now), _problems(session, now), _calls(session, now))


def _states(session: Session, now: datetime) -> tuple[StateHealth, ...]:
    listings = (select(Provider.state.label("state"), oldest_availability().label("said_at"))
                .where(Provider.closed_at.is_(None)).subquery())
    fresh = [func.sum(case((listings.c.said_at > now - timedelta(days=days), 1), else_=0)) for days in FRESH_DAYS]
    rows = session.execute(select(listings.c.state, func.count(), *fresh)
                           .group_by(listings.c.state).order_by(listings.c.state))
    return tuple(StateHealth(state, count, int(fresh_14 or 0), int(fresh_60 or 0))
                 for state, count, fresh_14, fresh_60 in rows)


def _problems(session: Session, now: datetime) -> OpenProblems:
    week, month = now - timedelta(days=7), now - timedelta(days=30)
    said = ProblemReport.reported_at
    counts = [func.sum(case((said > week, 1), else_=0)),
              func.sum(case(((said <= week) & (said >= month), 1), else_=0)),
              func.sum(case((said < month, 1), else_=0))]
    row = session.execute(select(func.count(), func.min(said), *counts)
                          .where(ProblemReport.resolved_at.is_(None))).one()
    count, oldest, *buckets = row
    return OpenProblems(count, tuple(zip(PROBLEM_BUCKETS, (int(n or 0) for n in buckets), strict=True)),
                        (now - oldest).days if oldest is not None else None)


def _calls(session: Session, now: datetime) -> WeekCalls:
    rows = dict(session.execute(select(DeskCall.outcome, func.count())
                                .where(DeskCall.called_at > now - timedelta(days=CALL_DAYS))
                                .group_by(DeskCall.outcome)).all())
    outcomes = tuple((outcome, rows.get(outcome, 0)) for outcome in CALL_OUTCOMES)
    return WeekCalls(sum(rows.values()), outcomes)
