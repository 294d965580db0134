"""Search: a SearchQuery and a geocoded Place -> ranked, paginated results with their reasons.

Retrieval reads only rows near the place: one SQL statement selects by indexed grid cell
(`locator.geo`) and latitude band, applies every filter, computes the exact great-circle
(haversine) distance, cuts at the radius, ranks (`locator.ranking`'s SQL score), counts and
returns just the page. A search is a fixed, small number of statements whatever the size of the
table: one per radius tried (the radius widens when few places are near), one for the telehealth
group, one that loads the `Provider` objects shown, with their current reports, and one for the
state's start-today bridge options when they are wanted (locator.bridges). The same
statements run on SQLite and PostgreSQL, through SQLAlchemy's public API.

The statements are built once, the same for every search (`locator.search_statements`): every
value of a request is bound when a statement runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.orm import Session

from locator import bridges
from locator.availability import Availability, availability_for
from locator.bridges import bridges_for
from locator.geo import bounding_box, cells_covering
from locator.models import Provider, utcnow
from locator.ranking import Reason, result_reasons, time_params
from locator.search_query import LIST_PARAMS, SearchQuery, starting_radius
from locator.search_statements import NEARBY, PROVIDERS, TELEHEALTH, filter_values, fit_values

MIN_RESULTS = 3
MAX_CELLS = 64  # 0.5-degree cells: a 100-mile radius at mid latitudes needs about 60
WIDEN_STEPS = (10, 25, 50, 100)


@dataclass
class SearchResult:
    provider: Provider
    distance_miles: float | None
    score: float
    availability: Availability  # for the medication it is ranked by (`availability.medication`)
    reasons: list[Reason]

    @property
    def distance_precision(self) -> str | None:
        """How exact the distance is: the provider's placing (address, zip, city, point)."""
        return self.provider.geocode_precision if self.distance_miles is not None else None


@dataclass
class SearchResults:
    query: SearchQuery
    place: object  # locator.geocoding.Place
    radius_miles: float
    widened: bool
    total: int
    results: list[SearchResult]
    telehealth: list[SearchResult] = field(default_factory=list)
    start_miles: float = 0.0  # the radius searched first, before any widening
    bridges: list = field(default_factory=list)  # locator.models.Bridge: start-today options of the state

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.query.per_page))


def _page(session: Session, query: SearchQuery, place, radius: float, now: datetime) -> tuple[list, int]:
    """(id, miles, medication, score) of one page of results within `radius`, and how many there are in all."""
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
        return [(r.id, r.miles, r.medication, r.score) for r in rows], rows[0].total
    if query.page > 1:  # past the last page: count what there is
        first = connection.execute(statement, dict(params, limit=1, offset=0)).first()
        return [], first.total if first else 0
    return [], 0


def _telehealth_rows(session: Session, query: SearchQuery, state: str | None, now: datetime) -> list:
    """(id, None, medication, score) of the state's telehealth providers, soonest first."""
    if not state:
        return []
    params = {**filter_values(query), **time_params(now), "state": state}
    return [(row.id, None, row.medication, row.score) for row in session.connection().execute(TELEHEALTH, params)]


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
    for provider_id, miles, medication, score in rows:
        provider = providers[provider_id]
        availability = availability_for(provider, medication, now)
        miles = None if miles is None else round(miles, 2)
        out.append(SearchResult(provider, miles, round(score, 4), availability,
                                result_reasons(miles, availability, _matched(query, provider),
                                               provider.geocode_precision)))
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
    radius = start = starting_radius(query, getattr(place, "precision", None))
    rows, total = _page(session, query, place, radius, now)
    widened = False
    for step in WIDEN_STEPS:
        if total >= MIN_RESULTS:
            break
        if step <= radius:
            continue
        radius, widened = float(step), True
        rows, total = _page(session, query, place, radius, now)
    state = getattr(place, "state", None)
    # Starting today: telehealth buprenorphine of the state, whatever it has reported.
    telehealth_query = replace(query, start_within=None, medication=("buprenorphine",)) \
        if query.start_within == 0 else query
    telehealth = _telehealth_rows(session, telehealth_query, state, now)
    providers = load_providers(session, [r[0] for r in rows + telehealth])
    return SearchResults(query, place, radius, widened, total, _results(rows, providers, query, now),
                         _results(telehealth, providers, telehealth_query, now), start,
                         bridges_for(session, state) if bridges.wanted(query.start_within, total) else [])
