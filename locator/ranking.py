"""The "best match" score, the other orders, and the reasons for each result (as data).

Everything turns on the days to a first dose of the medication asked for (locator.availability,
`days_to_first_dose`; the best of the provider's medications when none is asked). The score is
computed by the database (SQL expressions built here, the same on SQLite and PostgreSQL), so
only the page's rows reach Python; `expected_days` is the same formula in Python, for the groups
ranked without SQL. In days (docs/ranking.md; each promise is held by a test):

    expected = trust x said + (1 - trust) x UNKNOWN_DAYS
    cost     = expected + miles / MILES_PER_DAY + FIT_DAYS x (1 - fit)
    score    = 1 / (1 + cost / 7)          (higher is better; 1.0: a trusted start today, here)

where `said` is the days to a first dose the report gives (CLOSED_DAYS when it is not taking
new patients, ACCEPTING_DAYS when it is but gives no days, UNKNOWN_DAYS without a report), and
`trust` how far the report is believed: fresh 1.0, ageing 0.6, stale 0.2, none 0; a provider's
own report x 1.0, a caseworker's x 0.9, an imported one x 0.8. Fit is the share of the asked-for
services, languages and populations offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, bindparam, case, func, null, or_

from locator import vocabulary
from locator.availability import AGEING_DAYS, FRESH_DAYS, Availability, availability_by_medication, availability_for

UNKNOWN_DAYS = 8  # no report: published secret-shopper studies found about 8 days to a first dose
ACCEPTING_DAYS = 7  # taking new patients, no days given: a little better than not knowing
CLOSED_DAYS = 90  # not taking new patients
MILES_PER_DAY = 10  # ten miles further is worth a day sooner
FIT_DAYS = 1  # offering none of the services, languages and populations asked for costs a day
REPORTER_TRUST = {"provider": 1.0, "caseworker": 0.9, "import": 0.8}
FRESHNESS_WEIGHT = {"fresh": 1.0, "ageing": 0.6, "stale": 0.2}
MEDICATION_ORDER = {key: n for n, key in enumerate(vocabulary.MEDICATIONS.keys())}


# ---- in Python: for groups ranked without SQL, and to choose which medication a result shows ----

def trust(a: Availability) -> float:
    if a.updated_at is None:
        return 0.0
    return FRESHNESS_WEIGHT.get(a.freshness.key, 0.0) * REPORTER_TRUST.get(a.reported_by or "import", 0.8)


def said_days(a: Availability) -> float:
    days = a.days_to_first_dose
    if days is not None:
        return float(days)
    if a.updated_at is None:
        return float(UNKNOWN_DAYS)
    if a.accepting_new_patients is False:
        return float(CLOSED_DAYS)
    return float(ACCEPTING_DAYS if a.accepting_new_patients else UNKNOWN_DAYS)


def expected_days(a: Availability) -> float:
    """The days to a first dose as far as the report is trusted (see the module's docstring),
    computed in the same order as `sql_expected_days`, so that ties come out the same."""
    return UNKNOWN_DAYS + trust(a) * (said_days(a) - UNKNOWN_DAYS)


def best_medication(by_medication: dict[str, Availability], asked=()) -> str | None:
    """Which of the provider's medications a result shows: of those asked for that it offers (all
    it offers when none are), the one with the fewest expected days; vocabulary order on ties."""
    choices = [m for m in by_medication if m in asked] or list(by_medication)
    if not choices:
        return None
    return min(choices, key=lambda m: (expected_days(by_medication[m]), MEDICATION_ORDER[m]))


def best_availability(provider, asked=(), now: datetime | None = None) -> Availability:
    """The provider's availability for `best_medication`: what a result, a packet or a provider's
    page leads with."""
    return best_of(provider, availability_by_medication(provider, now), asked, now)


def best_of(provider, by_medication: dict[str, Availability], asked=(), now: datetime | None = None) -> Availability:
    """As `best_availability`, from the provider's `availability_by_medication` already at hand."""
    chosen = best_medication(by_medication, asked)
    return by_medication[chosen] if chosen else availability_for(provider, None, now)


# ---- the same, as SQL expressions (the database ranks; Python only explains the page) ----

def sql_days(provider, report):
    """`days_to_first_dose` in SQL (NULL when not known), for a report that may be missing; when
    it gives no wait, its walk-in and same-day facts fall back to the provider's standing ones."""
    no_wait = report.wait_days.is_(None)
    walk_in = func.coalesce(report.walk_in, case((no_wait, provider.walk_in)))
    same_day = func.coalesce(report.same_day_start, case((no_wait, provider.same_day_start)))
    first = report.first_dose_at_first_visit
    no_dose = case((first.is_(False), 1), else_=0)
    return case((report.reported_at.is_(None), null()),
                (report.accepting_new_patients.is_(False), null()),
                (or_(same_day.is_(True), and_(walk_in.is_(True), first.is_(True))), 0),
                (report.wait_days.isnot(None), report.wait_days + no_dose),
                (walk_in.is_(True), no_dose), else_=null())


def sql_trust(report):
    """Freshness weight x reporter weight, against bound cut-off times `fresh_after` and
    `ageing_after` (see `time_params`); 0 when there is no report."""
    weight = case((report.reported_at > bindparam("fresh_after"), FRESHNESS_WEIGHT["fresh"]),
                  (report.reported_at > bindparam("ageing_after"), FRESHNESS_WEIGHT["ageing"]),
                  (report.reported_at.isnot(None), FRESHNESS_WEIGHT["stale"]), else_=0.0)
    who = case(*[(report.reporter_kind == kind, value) for kind, value in REPORTER_TRUST.items()], else_=0.8)
    return weight * who


def sql_expected_days(days, report):
    """`expected_days` in SQL, from `sql_days` and the report, written so that each of the two
    long expressions is evaluated once per row: UNKNOWN + trust x (said - UNKNOWN)."""
    otherwise = case((report.reported_at.is_(None), float(UNKNOWN_DAYS)),
                     (report.accepting_new_patients.is_(False), float(CLOSED_DAYS)),
                     (report.accepting_new_patients.is_(True), float(ACCEPTING_DAYS)), else_=float(UNKNOWN_DAYS))
    said = func.coalesce(days * 1.0, otherwise)
    return UNKNOWN_DAYS + sql_trust(report) * (said - UNKNOWN_DAYS)


def sql_score(distance, expected, fit):
    cost = expected + distance / float(MILES_PER_DAY) + FIT_DAYS * (1.0 - fit)
    return 1.0 / (1.0 + cost / 7.0)


def sql_soonest_order(days, accepting, distance) -> list:
    """Soonest first dose first: known days (fewest first), then unknown, then not taking new
    patients; nearer first within each."""
    group = case((days.isnot(None), 0), (accepting.is_(False), 2), else_=1)
    return [group, func.coalesce(days, 0), distance]


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
    (since: the report's date), not_accepting, first_dose (days to a first dose; hours: walk-in
    hours when it is a walk-in start), walk_in (hours), accepting, and for what was asked for and
    is offered: payment, services, languages, populations (term: the vocabulary key).
    `not_accepting`, `first_dose` and `accepting` also carry who said so (reported_by), how many
    days ago (age_days), and the medication the report names (None: all the provider's).
    """

    kind: str
    miles: float | None = None
    days: int | None = None
    reported_by: str | None = None
    age_days: int | None = None
    since: date | None = None
    term: str | None = None
    precision: str | None = None
    medication: str | None = None
    hours: str | None = None

    def to_dict(self) -> dict:
        data = {"kind": self.kind}
        for name in ("miles", "precision", "days", "medication", "hours", "reported_by", "age_days", "term"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.since is not None:
            data["since"] = self.since.isoformat()
        return data


def availability_reasons(a: Availability) -> list[Reason]:
    """What the availability says, most important first: the days to a first dose when known."""
    if a.updated_at is None:
        return [Reason("no_report")]
    said = {"reported_by": a.reported_by or "import", "age_days": a.freshness.age_days or 0,
            "medication": a.medication}
    out = []
    if a.freshness.key == "stale":
        out.append(Reason("stale_since", since=a.updated_at.date()))
    if a.accepting_new_patients is False:
        return [*out, Reason("not_accepting", **dict(said, medication=None if a.for_all else a.medication))]
    days = a.days_to_first_dose
    hours = a.walk_in_hours or None
    if days is not None:
        out.append(Reason("first_dose", days=days, hours=hours if a.walk_in and days == 0 else None, **said))
    elif a.accepting_new_patients:
        out.append(Reason("accepting", **said))
    if a.walk_in and not (days == 0 and hours):
        out.append(Reason("walk_in", hours=hours))
    return out


MATCHED_CATEGORIES = ("payment", "services", "languages", "populations")
REASON_KINDS = ("distance", "no_report", "stale_since", "not_accepting", "first_dose", "walk_in",
                "accepting", *MATCHED_CATEGORIES)


def result_reasons(miles: float | None, a: Availability, matched: dict[str, list[str]],
                   precision: str | None = None) -> list[Reason]:
    """Reasons in the order a person weighs them: distance, availability, what was asked for."""
    out = [Reason("distance", miles=miles, precision=precision)] if miles is not None else []
    out.extend(availability_reasons(a))
    for category in MATCHED_CATEGORIES:
        out.extend(Reason(category, term=key) for key in matched.get(category, []))
    return out
