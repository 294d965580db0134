"""Search: a SearchQuery and a geocoded Place -> ranked, paginated results with their reasons.

Retrieval reads only rows near the place: one SQL statement selects by indexed grid cell
(`locator.geo`) and latitude band, applies every filter, computes the exact great-circle
(haversine) distance, cuts at the radius, ranks (`locator.ranking`'s SQL score), counts and
returns just the page. A search is a fixed, small number of statements whatever the size of the
table: one per radius tried (the radius widens when few places are near), one for the telehealth
group, and one that loads the `Provider` objects shown, with their current reports. The same
statements run on SQLite and PostgreSQL, through SQLAlchemy's public API.

The statements are built once, the same for every search (`NEARBY`, `PROVIDERS`, `TELEHEALTH`):
every value of a request (the place, the filters, the page, the ids) is bound when a statement
runs, and a filter left off passes every row. So neither they nor SQLAlchemy's compiled-statement
cache hold anything of the people who searched, not even which filters they combined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import BigInteger, Float, Integer, and_, bindparam, case, func, literal, or_, select, type_coerce
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
from locator.search_query import LIST_PARAMS, SORTS, SearchQuery

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


def _filters(report) -> list:
    """Every filter as an SQL condition on bound parameters; a filter left off (mask 0, flag 0,
    max_wait -1) lets every row through. The statements are the same for every search."""
    conditions = []
    for param, category in LIST_PARAMS.items():
        mask = bindparam(param, type_=BigInteger)
        conditions.append(or_(mask == 0, _raw(getattr(Provider, category)).op("&")(mask) != 0))
    conditions.append(or_(bindparam("accepting", type_=Integer) == 0, report.accepting_new_patients.is_(True)))
    max_wait = bindparam("max_wait", type_=Integer)
    conditions.append(or_(max_wait < 0, and_(report.wait_days <= max_wait, report.accepting_new_patients.isnot(False))))
    conditions.append(or_(bindparam("walk_in", type_=Integer) == 0,
                          func.coalesce(report.walk_in, Provider.walk_in).is_(True)))
    conditions.append(or_(bindparam("telehealth", type_=Integer) == 0, Provider.offers_telehealth.is_(True)))
    return conditions


def filter_values(query: SearchQuery) -> dict:
    """The values of `_filters`' parameters for this query."""
    values = {param: vocabulary.CATEGORIES[category].mask(getattr(query, param))
              for param, category in LIST_PARAMS.items()}
    values.update(accepting=int(query.accepting), walk_in=int(query.walk_in), telehealth=int(query.telehealth),
                  max_wait=-1 if query.max_wait is None else query.max_wait)
    return values


def _fit(columns):
    """Share of the asked-for services, languages and populations (`fit_service`, ... masks;
    `fit_asked`, how many terms they hold) that the provider offers: one test per term."""
    terms = []
    for param in FIT_PARAMS:
        offered = _raw(columns[LIST_PARAMS[param]]).op("&")(bindparam(f"fit_{param}", type_=BigInteger))
        terms += [case((offered.op("&")(term.mask) != 0, 1.0), else_=0.0)
                  for term in vocabulary.CATEGORIES[LIST_PARAMS[param]]]
    return sum(terms[1:], terms[0]) / bindparam("fit_asked", type_=Float)


def fit_values(query: SearchQuery) -> dict:
    values = {f"fit_{param}": vocabulary.CATEGORIES[LIST_PARAMS[param]].mask(getattr(query, param))
              for param in FIT_PARAMS}
    values["fit_asked"] = sum(len(getattr(query, param)) for param in FIT_PARAMS)
    return values


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


def _nearby(sort: str, use_cells: bool, fit: bool):
    """The statement that filters, measures, cuts at the radius, scores, counts and pages.

    The inner query computes each candidate's distance once; the outer one cuts at the radius,
    scores from the inner columns, counts (a window function) and returns one page. `use_cells`:
    read by grid cell (`cells`), or, for a box wider than MAX_CELLS, by latitude and longitude
    alone; `fit`: some services, languages or populations were asked for.
    """
    report = aliased(AvailabilityReport)
    where_cells = [Provider.geocell.in_(bindparam("cells", expanding=True))] if use_cells else []
    inner = (select(Provider.id.label("id"), _distance().label("miles"),
                    *[getattr(Provider, f).label(f"p_{f}") for f in _PROVIDER_FIELDS],
                    *[getattr(report, f).label(f"r_{f}") for f in _REPORT_FIELDS])
             .outerjoin(report, report.id == Provider.current_report_id)
             .where(*where_cells,
                    Provider.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
                    # The box's longitudes, unwrapped; across the antimeridian the cells decide.
                    Provider.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
                    _raw(Provider.settings) != TELEHEALTH_ONLY, *_filters(report))
             .subquery())
    provider = _Columns(inner, "p_", _PROVIDER_FIELDS)
    said = _Columns(inner, "r_", _REPORT_FIELDS)
    score = sql_score(inner.c.miles, provider, said, _fit(provider) if fit else literal(1.0)).label("score")
    if sort == "distance":
        order = [inner.c.miles, inner.c.id]
    elif sort == "wait":
        order = [*sql_wait_order(provider, said, inner.c.miles), inner.c.id]
    else:
        order = [score.desc(), inner.c.miles, inner.c.id]
    return (select(inner.c.id, inner.c.miles, score, func.count().over().label("total"))
            .where(inner.c.miles <= bindparam("radius"))
            .order_by(*order)
            .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))


def _telehealth():
    """The state's telehealth providers, best availability first."""
    report = aliased(AvailabilityReport)
    availability = sql_availability(Provider, report)
    return (select(Provider.id, availability.label("score"))
            .outerjoin(report, report.id == Provider.current_report_id)
            .where(Provider.state == bindparam("state"), Provider.offers_telehealth.is_(True), *_filters(report))
            .order_by(availability.desc(), Provider.id).limit(TELEHEALTH_LIMIT))


# Built once: the same statements serve every search; a request's values are bound when they run.
NEARBY = {(sort, use_cells, fit): _nearby(sort, use_cells, fit)
          for sort in SORTS for use_cells in (True, False) for fit in (True, False)}
TELEHEALTH = _telehealth()
# The providers shown, each with its current report (Provider.current_report loads joined).
PROVIDERS = select(Provider).where(Provider.id.in_(bindparam("ids", expanding=True)))


def _page(session: Session, query: SearchQuery, place, radius: float, now: datetime) -> tuple[list, int]:
    """(id, miles, score) of one page of results within `radius`, and how many there are in all."""
    box = bounding_box(place.latitude, place.longitude, radius)
    min_lon, max_lon = (box[2], box[3]) if -180 <= box[2] and box[3] <= 180 else (-180.0, 180.0)
    cells = cells_covering(box)
    use_cells = len(cells) <= MAX_CELLS  # wider boxes: the latitude and longitude index alone
    fit = fit_values(query)
    statement = NEARBY[(query.sort, use_cells, fit["fit_asked"] > 0)]
    params = {**filter_values(query), **fit, **time_params(now)}
    if use_cells:
        params["cells"] = cells
    params.update(min_lat=box[0], max_lat=box[1], radius=radius,
                  min_lon=min_lon, max_lon=max_lon,
                  lat_rad=math.radians(place.latitude), lon_rad=math.radians(place.longitude),
                  cos_lat=math.cos(math.radians(place.latitude)),
                  limit=query.per_page, offset=(query.page - 1) * query.per_page)
    connection = session.connection()
    rows = connection.execute(statement, params).all()
    if rows:
        return [(r.id, r.miles, r.score) for r in rows], rows[0].total
    if query.page > 1:  # past the last page: count what there is
        first = connection.execute(statement, dict(params, limit=1, offset=0)).first()
        return [], first.total if first else 0
    return [], 0


def _telehealth_rows(session: Session, query: SearchQuery, state: str | None, now: datetime) -> list:
    """(id, None, score) of the state's telehealth providers, best availability first."""
    if not state:
        return []
    params = {**filter_values(query), **time_params(now), "state": state}
    return [(row.id, None, row.score) for row in session.connection().execute(TELEHEALTH, params)]


def load_providers(session: Session, ids: list[int]) -> dict[int, Provider]:
    """The providers with these ids, with their current reports (one statement), by id."""
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(PROVIDERS, {"ids": list(ids)})}


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
    for provider_id, miles, score in rows:
        provider = providers[provider_id]
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
    telehealth = _telehealth_rows(session, query, getattr(place, "state", None), now)
    providers = load_providers(session, [r[0] for r in rows + telehealth])
    return SearchResults(query, place, radius, widened, total, _results(rows, providers, query, now),
                         _results(telehealth, providers, query, now))
