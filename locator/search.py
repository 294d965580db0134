"""Search: a SearchQuery and a geocoded Place -> ranked, paginated results with their reasons.

Retrieval reads only rows near the place: one SQL statement selects by indexed grid cell
(`locator.geo`) and latitude band, applies every filter, computes the exact great-circle
(haversine) distance, cuts at the radius, ranks (`locator.ranking`'s SQL score), counts and
returns just the page. The page's providers are then loaded as `Provider` objects with their
current report, in one more statement. A search is a fixed, small number of statements whatever
the size of the table: one per radius tried (the radius widens when few places are near), one
for the telehealth group, one for the providers shown. The same statements run on SQLite and
PostgreSQL, through SQLAlchemy's public API.

Every value of a request (the place, the filters' masks, the page) is passed when the statement
is executed, never written into the statement: SQLAlchemy's compiled-statement cache holds the
SQL of each filter combination, and nothing of the person who searched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import BigInteger, Integer, and_, bindparam, case, func, literal, select, type_coerce
from sqlalchemy.orm import Session, aliased

from locator import vocabulary
from locator.availability import Availability, current_availability
from locator.geo import EARTH_RADIUS_MILES, bounding_box, cells_covering
from locator.models import AvailabilityReport, Provider, utcnow
from locator.ranking import (
    Reason,
    result_reasons,
    sql_availability,
    sql_score,
    sql_wait_order,
    time_params,
)
from locator.search_query import LIST_PARAMS, SearchQuery

MIN_RESULTS = 3
MAX_CELLS = 64  # 0.5-degree cells: a 100-mile radius at mid latitudes needs about 60
WIDEN_STEPS = (10, 25, 50, 100)
TELEHEALTH_LIMIT = 5
TELEHEALTH_ONLY = vocabulary.SETTINGS.mask(["telehealth"])
FIT_PARAMS = ("service", "language", "population")


@dataclass
class SearchResult:
    provider: Provider
    distance_miles: float | None
    score: float
    availability: Availability
    reasons: list[Reason]


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


def _raw(column):
    """A term-set column as its stored integer, for bitwise tests."""
    return type_coerce(column, BigInteger)


def _filters(query: SearchQuery, report) -> tuple[list, dict]:
    """The query's filters as SQL conditions on bound parameters, and those parameters' values."""
    conditions, params = [], {}
    for param, category in LIST_PARAMS.items():
        keys = getattr(query, param)
        if keys:
            conditions.append(_raw(getattr(Provider, category)).op("&")(bindparam(param, type_=BigInteger)) != 0)
            params[param] = vocabulary.CATEGORIES[category].mask(keys)
    if query.accepting:
        conditions.append(report.accepting_new_patients.is_(True))
    if query.max_wait is not None:
        conditions.append(and_(report.wait_days <= bindparam("max_wait", type_=Integer),
                               report.accepting_new_patients.isnot(False)))
        params["max_wait"] = query.max_wait
    if query.walk_in:
        conditions.append(func.coalesce(report.walk_in, Provider.walk_in).is_(True))
    if query.telehealth:
        conditions.append(Provider.offers_telehealth.is_(True))
    return conditions, params


def _fit(query: SearchQuery, columns) -> tuple[object, dict]:
    """Share of the asked-for services, languages and populations offered (1 when none asked)."""
    terms, params = [], {}
    for param in FIT_PARAMS:
        category = vocabulary.CATEGORIES[LIST_PARAMS[param]]
        for n, key in enumerate(getattr(query, param)):
            name = f"fit_{param}_{n}"
            params[name] = category.by_key[key].mask
            offered = _raw(columns[LIST_PARAMS[param]]).op("&")(bindparam(name, type_=BigInteger)) != 0
            terms.append(case((offered, 1.0), else_=0.0))
    if not terms:
        return literal(1.0), params
    return sum(terms[1:], terms[0]) * (1.0 / len(terms)), params


def _distance():
    """Haversine distance in miles from the bound point (lat_rad, lon_rad, cos_lat)."""
    lat = func.radians(Provider.latitude)
    half_dlat = (lat - bindparam("lat_rad")) / 2.0
    half_dlon = (func.radians(Provider.longitude) - bindparam("lon_rad")) / 2.0
    a = func.sin(half_dlat) * func.sin(half_dlat) \
        + bindparam("cos_lat") * func.cos(lat) * func.sin(half_dlon) * func.sin(half_dlon)
    return 2.0 * EARTH_RADIUS_MILES * func.asin(func.sqrt(a))


_PROVIDER_FIELDS = ("walk_in", "same_day_start", "services", "languages", "populations")
_REPORT_FIELDS = ("accepting_new_patients", "wait_days", "walk_in", "same_day_start", "reported_at",
                  "reporter_kind")


class _Columns:
    """Columns of the inner query under the attribute names the ranking expressions read."""

    def __init__(self, inner, prefix: str, names: tuple[str, ...]):
        for name in names:
            setattr(self, name, inner.c[f"{prefix}{name}"])

    def __getitem__(self, name: str):
        return getattr(self, name)


def _nearby(query: SearchQuery, use_cells: bool) -> tuple[object, dict]:
    """The statement that filters, measures, cuts at the radius, scores, counts and pages.

    The inner query computes each candidate's distance once; the outer one cuts at the radius,
    scores from the inner columns, counts (a window function) and returns one page.
    """
    report = aliased(AvailabilityReport)
    conditions, params = _filters(query, report)
    where_cells = [Provider.geocell.in_(bindparam("cells", expanding=True))] if use_cells else []
    inner = (select(Provider.id.label("id"), _distance().label("miles"),
                    *[getattr(Provider, f).label(f"p_{f}") for f in _PROVIDER_FIELDS],
                    *[getattr(report, f).label(f"r_{f}") for f in _REPORT_FIELDS])
             .outerjoin(report, report.id == Provider.current_report_id)
             .where(*where_cells,
                    Provider.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
                    # The box's longitudes, unwrapped; across the antimeridian the cells decide.
                    Provider.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
                    _raw(Provider.settings) != TELEHEALTH_ONLY, *conditions)
             .subquery())
    provider = _Columns(inner, "p_", _PROVIDER_FIELDS)
    said = _Columns(inner, "r_", _REPORT_FIELDS)
    fit, fit_params = _fit(query, provider)
    params.update(fit_params)
    score = sql_score(inner.c.miles, provider, said, fit).label("score")
    if query.sort == "distance":
        order = [inner.c.miles, inner.c.id]
    elif query.sort == "wait":
        order = [*sql_wait_order(provider, said, inner.c.miles), inner.c.id]
    else:
        order = [score.desc(), inner.c.miles, inner.c.id]
    statement = (select(inner.c.id, inner.c.miles, score, func.count().over().label("total"))
                 .where(inner.c.miles <= bindparam("radius"))
                 .order_by(*order)
                 .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))
    return statement, params


def _page(session: Session, query: SearchQuery, place, radius: float, now: datetime) -> tuple[list, int]:
    """(id, miles, score) of one page of results within `radius`, and how many there are in all."""
    box = bounding_box(place.latitude, place.longitude, radius)
    min_lon, max_lon = (box[2], box[3]) if -180 <= box[2] and box[3] <= 180 else (-180.0, 180.0)
    cells = cells_covering(box)
    use_cells = len(cells) <= MAX_CELLS  # wider boxes: the latitude and longitude index alone
    statement, params = _nearby(query, use_cells)
    if use_cells:
        params["cells"] = cells
    params.update(time_params(now), min_lat=box[0], max_lat=box[1], radius=radius,
                  min_lon=min_lon, max_lon=max_lon,
                  lat_rad=math.radians(place.latitude), lon_rad=math.radians(place.longitude),
                  cos_lat=math.cos(math.radians(place.latitude)),
                  limit=query.per_page, offset=(query.page - 1) * query.per_page)
    rows = session.execute(statement, params).all()
    if rows:
        return [(r.id, r.miles, r.score) for r in rows], rows[0].total
    if query.page > 1:  # past the last page: count what there is
        first = session.execute(statement, dict(params, limit=1, offset=0)).first()
        return [], first.total if first else 0
    return [], 0


def _telehealth_rows(session: Session, query: SearchQuery, state: str | None, now: datetime) -> list:
    """(id, None, score) of the state's telehealth providers, best availability first."""
    if not state:
        return []
    report = aliased(AvailabilityReport)
    conditions, params = _filters(query, report)
    availability = sql_availability(Provider, report)
    statement = (select(Provider.id, availability.label("score"))
                 .outerjoin(report, report.id == Provider.current_report_id)
                 .where(Provider.state == bindparam("state"), Provider.offers_telehealth.is_(True), *conditions)
                 .order_by(availability.desc(), Provider.id).limit(TELEHEALTH_LIMIT))
    params.update(time_params(now), state=state)
    return [(row.id, None, row.score) for row in session.execute(statement, params)]


def load_providers(session: Session, ids: list[int]) -> dict[int, Provider]:
    """The providers with these ids, with their current reports (one statement), by id."""
    if not ids:
        return {}
    statement = select(Provider).where(Provider.id.in_(bindparam("ids", expanding=True)))
    return {p.id: p for p in session.scalars(statement, {"ids": list(ids)})}


def _matched(query: SearchQuery, provider: Provider) -> dict[str, list[str]]:
    """Which of the asked-for payments, services, languages and populations the provider offers."""
    out = {}
    for param in ("payment", "service", "language", "population"):
        asked = getattr(query, param)
        if asked:
            offered = set(getattr(provider, LIST_PARAMS[param]))
            out[LIST_PARAMS[param]] = [k for k in asked if k in offered]
    return out


def _results(rows: list, providers: dict[int, Provider], query: SearchQuery, now: datetime) -> list[SearchResult]:
    out = []
    for pid, miles, score in rows:
        provider = providers[pid]
        availability = current_availability(provider, now)
        miles = None if miles is None else round(miles, 2)
        out.append(SearchResult(provider, miles, round(score, 4), availability,
                                result_reasons(miles, availability, _matched(query, provider))))
    return out


def telehealth_options(session: Session, query: SearchQuery, state: str | None,
                       now: datetime | None = None) -> list[SearchResult]:
    """Telehealth providers of the person's state, best availability first (no distance)."""
    now = now or utcnow()
    rows = _telehealth_rows(session, query, state, now)
    return _results(rows, load_providers(session, [r[0] for r in rows]), query, now)


def search(session: Session, query: SearchQuery, place, now: datetime | None = None) -> SearchResults:
    """Run the query around `place` (anything with latitude, longitude and state)."""
    now = now or utcnow()
    radius = float(query.radius)
    rows, total = _page(session, query, place, radius, now)
    widened = False
    for step in WIDEN_STEPS:
        if total >= MIN_RESULTS:
            break
        if step <= radius:
            continue
        radius, widened = float(step), True
        rows, total = _page(session, query, place, radius, now)
    tele_rows = _telehealth_rows(session, query, getattr(place, "state", None), now)
    providers = load_providers(session, [r[0] for r in rows + tele_rows])
    return SearchResults(query, place, radius, widened, total, _results(rows, providers, query, now),
                         _results(tele_rows, providers, query, now))
