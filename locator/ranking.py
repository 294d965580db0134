"""The "best match" score, the other orders, and the plain-language reasons for each result.

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
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, case, func, or_

from locator import vocabulary
from locator.availability import AGEING_DAYS, FRESH_DAYS, Freshness, freshness

W_NEAR, W_AVAIL, W_FIT = 0.40, 0.50, 0.10
NEUTRAL = 0.4  # what an unknown availability is worth: below a good report, above a bad one
REPORTER_TRUST = {"provider": 1.0, "caseworker": 0.9, "import": 0.8}
FRESHNESS_WEIGHT = {"fresh": 1.0, "ageing": 0.6, "stale": 0.2}
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")


@dataclass(slots=True)
class Availability:
    accepting_new_patients: bool | None
    wait_days: int | None
    walk_in: bool | None
    same_day_start: bool | None
    updated_at: datetime | None
    reported_by: str | None
    freshness: Freshness

    def to_dict(self) -> dict:
        return {"accepting_new_patients": self.accepting_new_patients, "wait_days": self.wait_days,
                "walk_in": self.walk_in, "same_day_start": self.same_day_start,
                "updated_at": self.updated_at.isoformat() if self.updated_at else None,
                "reported_by": self.reported_by, "freshness": self.freshness.key}


def make_availability(accepting, wait_days, report_walk_in, report_same_day, reported_at, kind,
                      provider_walk_in, provider_same_day, now: datetime) -> Availability:
    """Combine the newest report with the directory's standing intake facts."""
    walk_in = report_walk_in if report_walk_in is not None else provider_walk_in
    same_day = report_same_day if report_same_day is not None else provider_same_day
    return Availability(accepting, wait_days, walk_in, same_day, reported_at, kind,
                        freshness(reported_at, now))


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


# ---- reasons ----

def _t(lang: str, en: str, es: str) -> str:
    return es if lang == "es" else en


def _ago(days: int, lang: str) -> str:
    if days == 0:
        return _t(lang, "today", "hoy")
    if days == 1:
        return _t(lang, "yesterday", "ayer")
    return _t(lang, f"{days} days ago", f"hace {days} días")


def _month(year: int, month: int, this_year: int, lang: str) -> str:
    name = MONTHS_ES[month - 1] if lang == "es" else datetime(year, month, 1).strftime("%B")
    return f"{name} {year}" if this_year != year else name


def availability_reasons(a: Availability, lang: str = "en") -> list[str]:
    stale_since = None
    if a.freshness.key == "stale" and a.updated_at is not None:
        stale_since = (a.updated_at.year, a.updated_at.month, datetime.now(a.updated_at.tzinfo).year)
    return list(_availability_reasons(lang, a.updated_at is not None, a.reported_by, a.freshness.key,
                                      a.freshness.age_days or 0, a.accepting_new_patients, a.walk_in,
                                      a.same_day_start, a.wait_days, stale_since))


@lru_cache(maxsize=4096)  # a pure function of a few small values: results repeat the same few
def _availability_reasons(lang: str, reported: bool, reported_by: str | None, fresh: str, age_days: int,
                          accepting: bool | None, walk_in: bool | None, same_day_start: bool | None,
                          wait_days: int | None, stale_since: tuple[int, int, int] | None) -> tuple[str, ...]:
    if not reported:
        return (_t(lang, "No availability reported yet: call to ask about openings",
                   "Sin información de disponibilidad: llame para preguntar"),)
    who_en, who_es = vocabulary.REPORTER_KINDS.get(reported_by or "import", ("", ""))
    who = _t(lang, f"reported by {who_en}", f"según {who_es}")
    when = _ago(age_days, lang)
    out = []
    if stale_since:
        since = _month(*stale_since, lang)
        out.append(_t(lang, f"Availability not confirmed since {since}", f"Disponibilidad sin confirmar desde {since}"))
    if accepting is False:
        out.append(_t(lang, f"Not taking new patients, {who} {when}",
                      f"No acepta pacientes nuevos, {who} {when}"))
        return tuple(out)
    if walk_in:
        out.append(_t(lang, "Walk-in: no appointment needed", "Sin cita: puede llegar sin cita"))
    if same_day_start:
        out.append(_t(lang, "Can start medication the same day", "Puede empezar el medicamento el mismo día"))
    if wait_days is not None:
        if wait_days == 0:
            wait = _t(lang, "No wait", "Sin espera")
        else:
            unit = _t(lang, "day" if wait_days == 1 else "days", "día" if wait_days == 1 else "días")
            wait = _t(lang, f"About {wait_days} {unit}' wait" if wait_days != 1 else "About 1 day's wait",
                      f"Espera de unos {wait_days} {unit}" if wait_days != 1 else "Espera de alrededor de 1 día")
        out.append(f"{wait}, {who} {when}")
    elif accepting:
        out.append(_t(lang, f"Taking new patients, {who} {when}", f"Acepta pacientes nuevos, {who} {when}"))
    return tuple(out)


def result_reasons(miles: float | None, a: Availability, matched: dict[str, list[str]], lang: str = "en") -> list[str]:
    """Reasons in the order a person weighs them: distance, availability, what was asked for."""
    out = []
    if miles is not None:
        out.append(_t(lang, f"{miles:.1f} mi away", f"a {miles:.1f} millas"))
    out.extend(availability_reasons(a, lang))
    for key in matched.get("payment", []):
        out.append(_t(lang, "Accepts ", "Acepta ") + vocabulary.PAYMENT.by_key[key].label(lang))
    for category in ("services", "languages", "populations"):
        for key in matched.get(category, []):
            out.append(vocabulary.CATEGORIES[category].by_key[key].label(lang))
    return out
