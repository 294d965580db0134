"""Search: a SearchQuery and a geocoded Place -> ranked, paginated results with reasons.

Retrieval reads only rows near the place: the SQL selects by indexed grid cell
(`locator.geo`) and bounding box with every filter in SQL, returning narrow tuples; exact
haversine distance, the radius cut and ranking run in Python on those tuples; then only the
page's providers are loaded as objects. A search is a fixed number of statements, whatever
the page size. Telehealth providers serve a whole state and form their own group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import BigInteger, and_, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from locator import vocabulary
from locator.geo import bounding_box, cells_covering, haversine_miles, lon_in_box
from locator.models import AvailabilityReport, Provider, any_of, utcnow
from locator.ranking import Availability, availability_score, make_availability, result_reasons, score, wait_sort_key
from locator.search_query import LIST_PARAMS, SearchQuery

MIN_RESULTS = 3
WIDEN_STEPS = (10, 25, 50, 100)
TELEHEALTH_LIMIT = 5
TELEHEALTH_ONLY = vocabulary.SETTINGS.mask(["telehealth"])
Report = aliased(AvailabilityReport)


@dataclass
class SearchResult:
    provider: Provider
    distance_miles: float | None
    score: float
    availability: Availability
    reasons: list[str]


@dataclass
class SearchResults:
    query: SearchQuery
    place: object  # locator.geocoding.Place
    radius_miles: float
    widened: bool
    total: int
    results: list[SearchResult]
    telehealth: list[SearchResult] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))


@dataclass
class _Row:
    id: int
    miles: float | None
    availability: Availability
    matched: dict
    score: float = 0.0


def _raw(column):
    return type_coerce(column, BigInteger)


_COLUMNS = (Provider.id, Provider.latitude, Provider.longitude, Provider.walk_in, Provider.same_day_start,
            _raw(Provider.payment), _raw(Provider.services), _raw(Provider.languages), _raw(Provider.populations),
            Report.accepting_new_patients, Report.wait_days, Report.walk_in, Report.same_day_start,
            Report.reported_at, Report.reporter_kind)


def _filters(query: SearchQuery) -> list:
    conditions = []
    for param, category in LIST_PARAMS.items():
        keys = getattr(query, param)
        if keys:
            conditions.append(any_of(getattr(Provider, category), category, keys))
    if query.accepting:
        conditions.append(Report.accepting_new_patients.is_(True))
    if query.max_wait is not None:
        conditions.append(and_(Report.wait_days <= query.max_wait, Report.accepting_new_patients.isnot(False)))
    if query.walk_in:
        conditions.append(func.coalesce(Report.walk_in, Provider.walk_in).is_(True))
    if query.telehealth:
        conditions.append(any_of(Provider.settings, "settings", ["telehealth"]))
    return conditions


def _rows(session: Session, statement, query: SearchQuery, now: datetime, origin=None, box=None) -> list[_Row]:
    asked = {category: vocabulary.CATEGORIES[category].mask(getattr(query, param))
             for param, category in LIST_PARAMS.items() if param != "medication"}
    out = []
    for (pid, lat, lon, p_walk, p_same, pay, svc, lang, pop,
         accepting, wait, r_walk, r_same, reported_at, kind) in session.execute(statement):
        miles = None
        if origin is not None:
            if not (box[0] <= lat <= box[1] and lon_in_box(lon, box[2], box[3])):
                continue
            miles = haversine_miles(origin[0], origin[1], lat, lon)
            if miles > origin[2]:
                continue
        availability = make_availability(accepting, wait, r_walk, r_same, reported_at, kind, p_walk, p_same, now)
        masks = {"payment": pay, "services": svc, "languages": lang, "populations": pop}
        matched = {c: vocabulary.CATEGORIES[c].unmask(masks[c] & m) for c, m in asked.items() if m}
        out.append(_Row(pid, miles, availability, matched))
    return out


def _fit(query: SearchQuery, matched: dict) -> float:
    wanted = len(query.service) + len(query.language) + len(query.population)
    if not wanted:
        return 1.0
    got = sum(len(matched.get(c, [])) for c in ("services", "languages", "populations"))
    return got / wanted


def _nearby(session: Session, query: SearchQuery, lat: float, lon: float, radius: float, now) -> list[_Row]:
    box = bounding_box(lat, lon, radius)
    statement = (select(*_COLUMNS).outerjoin(Report, Report.id == Provider.current_report_id)
                 .where(Provider.geocell.in_(cells_covering(box)),
                        Provider.latitude.between(box[0], box[1]),
                        _raw(Provider.settings) != TELEHEALTH_ONLY, *_filters(query)))
    return _rows(session, statement, query, now, origin=(lat, lon, radius), box=box)


def _order(rows: list[_Row], query: SearchQuery) -> list[_Row]:
    for row in rows:
        row.score = score(row.miles or 0.0, row.availability, _fit(query, row.matched))
    if query.sort == "distance":
        return sorted(rows, key=lambda r: (r.miles, r.id))
    if query.sort == "wait":
        return sorted(rows, key=lambda r: (wait_sort_key(r.availability, r.miles), r.id))
    return sorted(rows, key=lambda r: (-r.score, r.miles, r.id))


def _load(session: Session, rows: list[_Row], lang: str) -> list[SearchResult]:
    if not rows:
        return []
    providers = {p.id: p for p in session.scalars(select(Provider).where(Provider.id.in_([r.id for r in rows])))}
    return [SearchResult(providers[r.id], None if r.miles is None else round(r.miles, 2), r.score, r.availability,
                         result_reasons(r.miles, r.availability, r.matched, lang)) for r in rows]


def telehealth_options(session: Session, query: SearchQuery, state: str | None, lang: str = "en",
                       now: datetime | None = None) -> list[SearchResult]:
    """Telehealth providers of the person's state, best availability first (no distance)."""
    if not state:
        return []
    now = now or utcnow()
    statement = (select(*_COLUMNS).outerjoin(Report, Report.id == Provider.current_report_id)
                 .where(Provider.state == state, any_of(Provider.settings, "settings", ["telehealth"]),
                        *_filters(query)))
    rows = _rows(session, statement, query, now)
    for row in rows:
        row.score = round(availability_score(row.availability), 4)
    rows.sort(key=lambda r: (-r.score, r.id))
    return _load(session, rows[:TELEHEALTH_LIMIT], lang)


def search(session: Session, query: SearchQuery, place, lang: str = "en", now: datetime | None = None) -> SearchResults:
    """Run the query around `place` (anything with latitude, longitude and state)."""
    now = now or utcnow()
    radius = float(query.radius)
    rows = _nearby(session, query, place.latitude, place.longitude, radius, now)
    widened = False
    for step in WIDEN_STEPS:
        if len(rows) >= MIN_RESULTS:
            break
        if step <= radius:
            continue
        radius, widened = float(step), True
        rows = _nearby(session, query, place.latitude, place.longitude, radius, now)
    ordered = _order(rows, query)
    start = (query.page - 1) * query.per_page
    page = _load(session, ordered[start:start + query.per_page], lang)
    telehealth = telehealth_options(session, query, getattr(place, "state", None), lang, now)
    return SearchResults(query, place, radius, widened, len(ordered), page, telehealth)
