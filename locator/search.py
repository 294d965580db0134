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
from functools import lru_cache

from sqlalchemy import BigInteger, and_, bindparam, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from locator import vocabulary
from locator.geo import bounding_box, cells_covering, haversine_miles, lon_in_box
from locator.models import AvailabilityReport, Provider, utcnow
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
    masks: tuple[int, int, int, int]  # payment, services, languages, populations
    score: float = 0.0


def _raw(column):
    return type_coerce(column, BigInteger)


_COLUMNS = (Provider.id, Provider.latitude, Provider.longitude, Provider.walk_in, Provider.same_day_start,
            _raw(Provider.payment), _raw(Provider.services), _raw(Provider.languages), _raw(Provider.populations),
            Report.accepting_new_patients, Report.wait_days, Report.walk_in, Report.same_day_start,
            Report.reported_at, Report.reporter_kind)


def _filters(query: SearchQuery) -> tuple[tuple, dict]:
    """The query's filters as a hashable shape (which filters are on) and their bound values."""
    shape, params = [], {}
    for param, category in LIST_PARAMS.items():
        keys = getattr(query, param)
        if keys:
            shape.append(param)
            params[param] = vocabulary.CATEGORIES[category].mask(keys)
    for flag in ("accepting", "walk_in", "telehealth"):
        if getattr(query, flag):
            shape.append(flag)
    if query.max_wait is not None:
        shape.append("max_wait")
        params["max_wait"] = query.max_wait
    return tuple(shape), params


def _conditions(shape: tuple) -> list:
    conditions = []
    for param, category in LIST_PARAMS.items():
        if param in shape:
            conditions.append(_raw(getattr(Provider, category)).op("&")(bindparam(param, type_=BigInteger)) != 0)
    if "accepting" in shape:
        conditions.append(Report.accepting_new_patients.is_(True))
    if "max_wait" in shape:
        conditions.append(and_(Report.wait_days <= bindparam("max_wait"), Report.accepting_new_patients.isnot(False)))
    if "walk_in" in shape:
        conditions.append(func.coalesce(Report.walk_in, Provider.walk_in).is_(True))
    if "telehealth" in shape:
        conditions.append(Provider.offers_telehealth.is_(True))
    return conditions


@lru_cache(maxsize=512)
def _statement(kind: str, shape: tuple):
    """One statement object per kind and filter shape, built once: re-executing the same
    object skips SQLAlchemy's per-call construction and result adaptation."""
    base = select(*_COLUMNS).outerjoin(Report, Report.id == Provider.current_report_id)
    if kind == "nearby":
        return base.where(Provider.geocell.in_(bindparam("cells", expanding=True)),
                          Provider.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
                          _raw(Provider.settings) != TELEHEALTH_ONLY, *_conditions(shape))
    return base.where(Provider.state == bindparam("state"), Provider.offers_telehealth.is_(True),
                      *_conditions(shape))


_PAGE = select(Provider).where(Provider.id.in_(bindparam("ids", expanding=True)))


def _rows(session: Session, statement, params: dict, now: datetime, origin=None, box=None) -> list[_Row]:
    out = []
    # Core execution: narrow tuples, no ORM identity work for rows that may not be shown.
    for (pid, lat, lon, p_walk, p_same, pay, svc, lang, pop,
         accepting, wait, r_walk, r_same, reported_at, kind) in session.connection().execute(statement, params):
        miles = None
        if origin is not None:
            if not (box[0] <= lat <= box[1] and lon_in_box(lon, box[2], box[3])):
                continue
            miles = haversine_miles(origin[0], origin[1], lat, lon)
            if miles > origin[2]:
                continue
        availability = make_availability(accepting, wait, r_walk, r_same, reported_at, kind, p_walk, p_same, now)
        out.append(_Row(pid, miles, availability, (pay, svc, lang, pop)))
    return out


_MASKED = ("payment", "services", "languages", "populations")
_PARAM_OF = {category: param for param, category in LIST_PARAMS.items()}


def _matched(query: SearchQuery, row: _Row) -> dict[str, list[str]]:
    """Which of the asked-for payments, services, languages and populations the row offers."""
    out = {}
    for category, mask in zip(_MASKED, row.masks, strict=True):
        asked = getattr(query, _PARAM_OF[category])
        if asked:
            terms = vocabulary.CATEGORIES[category]
            out[category] = terms.unmask(mask & terms.mask(asked))
    return out


def _fit(query: SearchQuery, row: _Row) -> float:
    wanted = len(query.service) + len(query.language) + len(query.population)
    if not wanted:
        return 1.0
    matched = _matched(query, row)
    got = sum(len(matched.get(c, [])) for c in ("services", "languages", "populations"))
    return got / wanted


def _nearby(session: Session, query: SearchQuery, lat: float, lon: float, radius: float, now) -> list[_Row]:
    box = bounding_box(lat, lon, radius)
    shape, params = _filters(query)
    params.update(cells=cells_covering(box), min_lat=box[0], max_lat=box[1])
    return _rows(session, _statement("nearby", shape), params, now, origin=(lat, lon, radius), box=box)


def _order(rows: list[_Row], query: SearchQuery) -> list[_Row]:
    for row in rows:
        row.score = score(row.miles or 0.0, row.availability, _fit(query, row))
    if query.sort == "distance":
        return sorted(rows, key=lambda r: (r.miles, r.id))
    if query.sort == "wait":
        return sorted(rows, key=lambda r: (wait_sort_key(r.availability, r.miles), r.id))
    return sorted(rows, key=lambda r: (-r.score, r.miles, r.id))


def _load(session: Session, rows: list[_Row], query: SearchQuery, lang: str) -> list[SearchResult]:
    if not rows:
        return []
    providers = {p.id: p for p in session.scalars(_PAGE, {"ids": [r.id for r in rows]})}
    return [SearchResult(providers[r.id], None if r.miles is None else round(r.miles, 2), r.score, r.availability,
                         result_reasons(r.miles, r.availability, _matched(query, r), lang)) for r in rows]


def telehealth_options(session: Session, query: SearchQuery, state: str | None, lang: str = "en",
                       now: datetime | None = None) -> list[SearchResult]:
    """Telehealth providers of the person's state, best availability first (no distance)."""
    if not state:
        return []
    now = now or utcnow()
    shape, params = _filters(query)
    params["state"] = state
    rows = _rows(session, _statement("telehealth", shape), params, now)
    for row in rows:
        row.score = round(availability_score(row.availability), 4)
    rows.sort(key=lambda r: (-r.score, r.id))
    return _load(session, rows[:TELEHEALTH_LIMIT], query, lang)


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
    page = _load(session, ordered[start:start + query.per_page], query, lang)
    telehealth = telehealth_options(session, query, getattr(place, "state", None), lang, now)
    return SearchResults(query, place, radius, widened, len(ordered), page, telehealth)
