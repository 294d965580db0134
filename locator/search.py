"""Search: a SearchQuery and a geocoded Place -> ranked, paginated results with reasons.

Retrieval reads only rows near the place: the SQL selects by indexed grid cell
(`locator.geo`) and latitude band, applies every filter, computes the exact great-circle
(haversine) distance, cuts at the radius, ranks (`locator.ranking`'s SQL score) and returns
just the page with the total. Only the page's providers are loaded as objects, so a search
is a fixed number of statements whatever the size of the table or the page. The same
statements run on SQLite and PostgreSQL. Telehealth providers serve a whole state and form
their own group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import BigInteger, Integer, and_, bindparam, case, func, literal, select, type_coerce
from sqlalchemy.orm import Session, aliased

from locator import vocabulary
from locator.geo import EARTH_RADIUS_MILES, bounding_box, cells_covering
from locator.models import AvailabilityReport, Provider, utcnow
from locator.prepared import Prepared, padded
from locator.provider_rows import ProviderRow, load_rows
from locator.ranking import (
    Availability,
    result_reasons,
    sql_availability,
    sql_score,
    sql_wait_order,
    time_params,
)
from locator.search_query import LIST_PARAMS, SearchQuery
from locator.serialize import current_availability

MIN_RESULTS = 3
MAX_CELLS = 64  # 0.5-degree cells: a 100-mile radius at mid latitudes needs about 60
WIDEN_STEPS = (10, 25, 50, 100)
TELEHEALTH_LIMIT = 5
TELEHEALTH_ONLY = vocabulary.SETTINGS.mask(["telehealth"])
FIT_PARAMS = ("service", "language", "population")
Report = aliased(AvailabilityReport)


@dataclass
class SearchResult:
    provider: ProviderRow  # a read-only row with Provider's attribute names
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


def _raw(column):
    return type_coerce(column, BigInteger)


def _shape(query: SearchQuery) -> tuple[tuple, dict]:
    """The query's filters as a hashable shape (which are on, how many fit terms) and their values."""
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
    shape.append(("sort", query.sort))
    for param in FIT_PARAMS:
        category = LIST_PARAMS[param]
        for n, key in enumerate(getattr(query, param)):
            params[f"fit_{param}_{n}"] = vocabulary.CATEGORIES[category].by_key[key].mask
        shape.append((param, len(getattr(query, param))))
    return tuple(shape), params


def _conditions(shape: tuple) -> list:
    conditions = []
    for param, category in LIST_PARAMS.items():
        if param in shape:
            conditions.append(_raw(getattr(Provider, category)).op("&")(bindparam(param, type_=BigInteger)) != 0)
    if "accepting" in shape:
        conditions.append(Report.accepting_new_patients.is_(True))
    if "max_wait" in shape:
        conditions.append(and_(Report.wait_days <= bindparam("max_wait", type_=Integer),
                               Report.accepting_new_patients.isnot(False)))
    if "walk_in" in shape:
        conditions.append(func.coalesce(Report.walk_in, Provider.walk_in).is_(True))
    if "telehealth" in shape:
        conditions.append(Provider.offers_telehealth.is_(True))
    return conditions


def _fit(shape: tuple, provider):
    """Share of the asked-for services, languages and populations offered (1 when none asked)."""
    terms = []
    for item in shape:
        if isinstance(item, tuple) and item[0] in FIT_PARAMS:
            column = _raw(getattr(provider, LIST_PARAMS[item[0]]))
            for n in range(item[1]):
                bit = bindparam(f"fit_{item[0]}_{n}", type_=BigInteger)
                terms.append(case((column.op("&")(bit) != 0, 1.0), else_=0.0))
    if not terms:
        return literal(1.0)
    return sum(terms[1:], terms[0]) * (1.0 / len(terms))


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


def _cells(box) -> list[int]:
    """The grid cells to read, padded (`padded`) to few statement variants; none (the latitude
    and longitude index alone) for a box wider than MAX_CELLS, which would make a long statement."""
    cells = cells_covering(box)
    return padded(cells) if len(cells) <= MAX_CELLS else []


@lru_cache(maxsize=256)
def _nearby_statement(shape: tuple, cells: int) -> Prepared:
    """One statement per filter shape and number of grid cells, built once and re-executed.

    The inner query computes each candidate's distance once; the outer one cuts at the
    radius, scores from the inner columns, counts and returns one page.
    """
    sort = dict(i for i in shape if isinstance(i, tuple))["sort"]
    inner = (select(Provider.id.label("id"), _distance().label("miles"),
                    *[getattr(Provider, f).label(f"p_{f}") for f in _PROVIDER_FIELDS],
                    *[getattr(Report, f).label(f"r_{f}") for f in _REPORT_FIELDS])
             .outerjoin(Report, Report.id == Provider.current_report_id)
             .where(*([Provider.geocell.in_([bindparam(f"cell_{n}", type_=BigInteger) for n in range(cells)])]
                      if cells else []),
                    Provider.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
                    # The box's longitudes, unwrapped; across the antimeridian the cells decide.
                    Provider.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
                    _raw(Provider.settings) != TELEHEALTH_ONLY, *_conditions(shape))
             .subquery())
    provider = SimpleNamespace(**{f: inner.c[f"p_{f}"] for f in _PROVIDER_FIELDS})
    report = SimpleNamespace(**{f: inner.c[f"r_{f}"] for f in _REPORT_FIELDS})
    score = sql_score(inner.c.miles, provider, report, _fit(shape, provider)).label("score")
    if sort == "distance":
        order = [inner.c.miles, inner.c.id]
    elif sort == "wait":
        order = [*sql_wait_order(provider, report, inner.c.miles), inner.c.id]
    else:
        order = [score.desc(), inner.c.miles, inner.c.id]
    return Prepared(select(inner.c.id, inner.c.miles, score, func.count().over().label("total"))
                    .where(inner.c.miles <= bindparam("radius"))
                    .order_by(*order)
                    .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))


@lru_cache(maxsize=256)
def _telehealth_statement(shape: tuple) -> Prepared:
    availability = sql_availability(Provider, Report)
    return Prepared(select(Provider.id, availability.label("score"))
                    .outerjoin(Report, Report.id == Provider.current_report_id)
                    .where(Provider.state == bindparam("state"), Provider.offers_telehealth.is_(True),
                           *_conditions(shape))
                    .order_by(availability.desc(), Provider.id).limit(TELEHEALTH_LIMIT))


def _matched(query: SearchQuery, provider: Provider) -> dict[str, list[str]]:
    """Which of the asked-for payments, services, languages and populations the provider offers."""
    out = {}
    for param in ("payment", "service", "language", "population"):
        asked = getattr(query, param)
        if asked:
            offered = set(getattr(provider, LIST_PARAMS[param]))
            out[LIST_PARAMS[param]] = [k for k in asked if k in offered]
    return out


def _load(connection, rows, query: SearchQuery, lang: str, now: datetime,
          providers: dict | None = None) -> list[SearchResult]:
    """The page's providers (one statement, unless already read), with availability and reasons."""
    if not rows:
        return []
    if providers is None:
        providers = load_rows(connection, [r[0] for r in rows])
    out = []
    for pid, miles, score in rows:
        provider = providers[pid]
        availability = current_availability(provider, now)
        miles = None if miles is None else round(miles, 2)
        out.append(SearchResult(provider, miles, round(score, 4), availability,
                                result_reasons(miles, availability, _matched(query, provider), lang)))
    return out


def _page(connection, query: SearchQuery, place, radius: float, now: datetime) -> tuple[list, int]:
    shape, params = _shape(query)
    box = bounding_box(place.latitude, place.longitude, radius)
    min_lon, max_lon = (box[2], box[3]) if -180 <= box[2] and box[3] <= 180 else (-180.0, 180.0)
    cells = _cells(box)
    params.update({f"cell_{n}": cell for n, cell in enumerate(cells)})
    params.update(time_params(now), min_lat=box[0], max_lat=box[1], radius=radius,
                  min_lon=min_lon, max_lon=max_lon,
                  lat_rad=math.radians(place.latitude), lon_rad=math.radians(place.longitude),
                  cos_lat=math.cos(math.radians(place.latitude)),
                  limit=query.per_page, offset=(query.page - 1) * query.per_page)
    statement = _nearby_statement(shape, len(cells))
    rows = statement.execute(connection, params)
    if rows:
        return [(r[0], r[1], r[2]) for r in rows], rows[0][3]
    if query.page > 1:  # past the last page: count what there is
        params.update(limit=1, offset=0)
        first = statement.execute(connection, params)
        return [], first[0][3] if first else 0
    return [], 0


def _telehealth_rows(connection, query: SearchQuery, state: str | None, now: datetime) -> list:
    if not state:
        return []
    shape, params = _shape(query)
    params.update(time_params(now), state=state)
    return [(r[0], None, r[1]) for r in _telehealth_statement(shape).execute(connection, params)]


def telehealth_options(session: Session, query: SearchQuery, state: str | None, lang: str = "en",
                       now: datetime | None = None) -> list[SearchResult]:
    """Telehealth providers of the person's state, best availability first (no distance)."""
    now = now or utcnow()
    connection = session.connection()
    return _load(connection, _telehealth_rows(connection, query, state, now), query, lang, now)


def search(session: Session, query: SearchQuery, place, lang: str = "en", now: datetime | None = None) -> SearchResults:
    """Run the query around `place` (anything with latitude, longitude and state)."""
    now = now or utcnow()
    connection = session.connection()
    radius = float(query.radius)
    rows, total = _page(connection, query, place, radius, now)
    widened = False
    for step in WIDEN_STEPS:
        if total >= MIN_RESULTS:
            break
        if step <= radius:
            continue
        radius, widened = float(step), True
        rows, total = _page(connection, query, place, radius, now)
    tele_rows = _telehealth_rows(connection, query, getattr(place, "state", None), now)
    providers = load_rows(connection, [r[0] for r in rows + tele_rows]) if rows or tele_rows else {}
    page = _load(connection, rows, query, lang, now, providers)
    telehealth = _load(connection, tele_rows, query, lang, now, providers)
    return SearchResults(query, place, radius, widened, total, page, telehealth)
