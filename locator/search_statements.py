"""The statements search runs, built once and the same for every search.

`NEARBY[(sort, use_cells, fit)]` filters, measures, cuts at the radius, scores, counts and pages;
`TELEHEALTH` ranks a state's telehealth providers; `PROVIDERS` loads the providers shown, with
their current reports. Every value of a request is a bound parameter (`filter_values`,
`fit_values`, and the place and page that locator.search binds); a filter left off passes
every row. So neither these statements nor SQLAlchemy's compiled-statement cache hold anything
of the people who searched, not even which filters they combined.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import FunctionElement

from locator import vocabulary
from locator.geo import EARTH_RADIUS_MILES
from locator.models import AvailabilityReport, Provider
from locator.ranking import sql_availability, sql_score, sql_wait_order
from locator.search_query import LIST_PARAMS, SORTS, SearchQuery

TELEHEALTH_LIMIT = 5
TELEHEALTH_ONLY = vocabulary.SETTINGS.mask(["telehealth"])
FIT_PARAMS = ("service", "language", "population")


class NameOrder(FunctionElement):
    """lower(name) in byte order on every engine, so ties come in one order on SQLite and on
    PostgreSQL (whose database collation, en_US say, would skip spaces and accents)."""

    type = String()
    name = "name_order"
    inherit_cache = True


@compiles(NameOrder)
def _name_order(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(NameOrder, "postgresql")
def _name_order_postgresql(element, compiler, **kw):
    return f'lower({compiler.process(element.clauses, **kw)}) COLLATE "C"'


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


_PROVIDER_FIELDS = ("name", "walk_in", "same_day_start", "services", "languages", "populations")
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
    # Places at the same point (a ZIP's, when street addresses are not known) come in order of
    # availability, then name: never in the order the database happened to number them.
    ties = [sql_availability(provider, said).desc(), NameOrder(inner.c.p_name), inner.c.id]
    if sort == "distance":
        order = [inner.c.miles, *ties]
    elif sort == "wait":
        order = [*sql_wait_order(provider, said, inner.c.miles), *ties]
    else:
        order = [score.desc(), inner.c.miles, *ties]
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
            .order_by(availability.desc(), NameOrder(Provider.name), Provider.id).limit(TELEHEALTH_LIMIT))


# Built once: the same statements serve every search; a request's values are bound when they run.
NEARBY = {(sort, use_cells, fit): _nearby(sort, use_cells, fit)
          for sort in SORTS for use_cells in (True, False) for fit in (True, False)}
TELEHEALTH = _telehealth()
# The providers shown, each with its current report (Provider.current_report loads joined).
PROVIDERS = select(Provider).where(Provider.id.in_(bindparam("ids", expanding=True)))
