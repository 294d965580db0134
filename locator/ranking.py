"""The "best match" score, the other orders, and the reasons for each result (as data).

The score is computed by the database (SQL expressions built here, the same on SQLite and
PostgreSQL), so only the page's rows reach Python. It is (docs/ranking.md; each promise is
held by a test)
    0.40 * nearness + 0.50 * availability + 0.10 * fit
where nearness = 1 / (1 + miles / 10); availability mixes what the newest report says
(accepting, wait, walk-in or same-day start) with a neutral 0.4 in proportion to how much the
report is trusted (fresh 1.0, ageing 0.6, stale 0.2, none 0; a caseworker's report x 0.9, an
imported one x 0.8); fit is the share of the asked-for services and languages offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, case, func, or_

from locator.availability import AGEING_DAYS, FRESH_DAYS, Availability

W_NEAR, W_AVAIL, W_FIT = 0.40, 0.50, 0.10
NEUTRAL = 0.4  # what an unknown availability is worth: below a good report, above a bad one
REPORTER_TRUST = {"provider": 1.0, "caseworker": 0.9, "import": 0.8}
FRESHNESS_WEIGHT = {"fresh": 1.0, "ageing": 0.6, "stale": 0.2}


# ---- the score, as SQL expressions (the database ranks; Python only explains the page) ----

def _start_now(provider, report):
    walk_in = func.coalesce(report.walk_in, provider.walk_in)
    same_day = func.coalesce(report.same_day_start, provider.same_day_start)
    return or_(walk_in.is_(True), same_day.is_(True))


def sql_trust(report):
    """Freshness weight x reporter weight, against bound cut-off times `fresh_after` and
    `ageing_after` (see `time_params`); 0 when there is no report."""
    weight = case((report.reported_at > bindparam("fresh_after"), FRESHNESS_WEIGHT["fresh"]),
                  (report.reported_at > bindparam("ageing_after"), FRESHNESS_WEIGHT["ageing"]),
                  (report.reported_at.isnot(None), FRESHNESS_WEIGHT["stale"]), else_=0.0)
    who = case(*[(report.reporter_kind == kind, value) for kind, value in REPORTER_TRUST.items()], else_=0.8)
    return weight * who


def sql_availability(provider, report):
    """What the newest report says, mixed with NEUTRAL by how far it is trusted."""
    accepting = case((report.accepting_new_patients.is_(True), 1.0), else_=0.5)
    wait = case((report.wait_days.is_(None), 0.4), else_=1.0 / (1.0 + report.wait_days / 7.0))
    start = case((_start_now(provider, report), 1.0), else_=0.0)
    said = case((report.accepting_new_patients.is_(False), 0.0), else_=0.5 * accepting + 0.3 * wait + 0.2 * start)
    trust = sql_trust(report)
    return trust * said + (1.0 - trust) * NEUTRAL


def sql_score(distance, provider, report, fit):
    nearness = 1.0 / (1.0 + distance / 10.0)
    return W_NEAR * nearness + W_AVAIL * sql_availability(provider, report) + W_FIT * fit


def sql_wait_order(provider, report, distance) -> list:
    """Soonest start first: walk-in/same-day, then known waits, then unknown, then not accepting."""
    group = case((report.accepting_new_patients.is_(False), 3), (_start_now(provider, report), 0),
                 (report.wait_days.isnot(None), 1), else_=2)
    return [group, func.coalesce(report.wait_days, 0), distance]


def time_params(now: datetime) -> dict:
    """Cut-off times matching `locator.availability.freshness` (whole days of age)."""
    return {"fresh_after": now - timedelta(days=FRESH_DAYS + 1),
            "ageing_after": now - timedelta(days=AGEING_DAYS + 1)}


# ---- reasons: data, worded by the web layer (locator.web.wording) ----

@dataclass(frozen=True)
class Reason:
    """Why a result is listed where it is, as a kind and its numbers; never a sentence.

    kinds: distance (miles; precision: how exactly the provider is placed, address, zip, city or
    point, so that a distance from a ZIP's point reads as approximate), no_report, stale_since
    (since: the report's date), not_accepting,
    walk_in, same_day_start, wait (days), accepting, and for what was asked for and is offered:
    payment, services, languages, populations (term: the vocabulary key). `not_accepting`, `wait`
    and `accepting` also carry who said so (reported_by) and how many days ago (age_days).
    """

    kind: str
    miles: float | None = None
    days: int | None = None
    reported_by: str | None = None
    age_days: int | None = None
    since: date | None = None
    term: str | None = None
    precision: str | None = None

    def to_dict(self) -> dict:
        data = {"kind": self.kind}
        for name in ("miles", "precision", "days", "reported_by", "age_days", "term"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.since is not None:
            data["since"] = self.since.isoformat()
        return data


def availability_reasons(a: Availability) -> list[Reason]:
    """What the current availability says, most important first."""
    if a.updated_at is None:
        return [Reason("no_report")]
    said = {"reported_by": a.reported_by or "import", "age_days": a.freshness.age_days or 0}
    out = []
    if a.freshness.key == "stale":
        out.append(Reason("stale_since", since=a.updated_at.date()))
    if a.accepting_new_patients is False:
        return [*out, Reason("not_accepting", **said)]
    if a.walk_in:
        out.append(Reason("walk_in"))
    if a.same_day_start:
        out.append(Reason("same_day_start"))
    if a.wait_days is not None:
        out.append(Reason("wait", days=a.wait_days, **said))
    elif a.accepting_new_patients:
        out.append(Reason("accepting", **said))
    return out


MATCHED_CATEGORIES = ("payment", "services", "languages", "populations")
REASON_KINDS = ("distance", "no_report", "stale_since", "not_accepting", "walk_in", "same_day_start", "wait",
                "accepting", *MATCHED_CATEGORIES)


def result_reasons(miles: float | None, a: Availability, matched: dict[str, list[str]],
                   precision: str | None = None) -> list[Reason]:
    """Reasons in the order a person weighs them: distance, availability, what was asked for."""
    out = [Reason("distance", miles=miles, precision=precision)] if miles is not None else []
    out.extend(availability_reasons(a))
    for category in MATCHED_CATEGORIES:
        out.extend(Reason(category, term=key) for key in matched.get(category, []))
    return out
