"""The statements search runs, built once and the same for every search.

`NEARBY[(sort, use_cells, fit)]` filters, measures, cuts at the radius, chooses each provider's
best medication (`_per_medication`), scores, counts and pages; `TELEHEALTH` ranks a state's
telehealth providers; `PROVIDERS` loads the providers shown, with their current reports.
Every value of a request is a bound parameter (`filter_values`, `fit_values`, and the place and
page that locator.search binds); a filter left off passes every row. So neither these statements
nor SQLAlchemy's compiled-statement cache hold anything of the people who searched, not even
which filters they combined.
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
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import FunctionElement

from locator import vocabulary
from locator.geo import EARTH_RADIUS_MILES
from locator.models import AvailabilityReport, MedicationReport, Provider
from locator.ranking import sql_days, sql_expected_days, sql_score, sql_soonest_order
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


def raw_terms(column):
    """A term-set column as its stored integer, for bitwise tests."""
    return type_coerce(column, BigInteger)


def medication_rows():
    """One row per medication of the vocabulary (its key, its bit and its order): joined to a
    provider, one row per medication it offers."""
    rows = [select(literal(term.key, String).label("key"), literal(vocabulary.MEDICATIONS.mask([term.key]),
                                                                   BigInteger).label("bit"),
                   literal(n, Integer).label("position"))
            for n, term in enumerate(vocabulary.MEDICATIONS)]
    return union_all(*rows).subquery("medication")


def _filters(provider, report, days) -> list:
    """Every filter as an SQL condition on bound parameters; a filter left off (mask 0, flag 0,
    max_wait or start_within -1) lets every row through. The availability filters read the
    report for the row's medication. The statements are the same for every search."""
    conditions = [provider.closed_at.is_(None)]  # a listing the desk found closed is out of search
    for param, category in LIST_PARAMS.items():
        if param == "medication":
            continue  # see _per_medication: a row per medication asked for
        mask = bindparam(param, type_=BigInteger)
        conditions.append(or_(mask == 0, raw_terms(getattr(provider, category)).op("&")(mask) != 0))
    conditions.append(or_(bindparam("accepting", type_=Integer) == 0, report.accepting_new_patients.is_(True)))
    max_wait = bindparam("max_wait", type_=Integer)
    conditions.append(or_(max_wait < 0, and_(report.wait_days <= max_wait, report.accepting_new_patients.isnot(False))))
    start_within = bindparam("start_within", type_=Integer)
    conditions.append(or_(start_within < 0, days <= start_within))
    conditions.append(or_(bindparam("walk_in", type_=Integer) == 0,
                          func.coalesce(report.walk_in, provider.walk_in).is_(True)))
    conditions.append(or_(bindparam("telehealth", type_=Integer) == 0, provider.offers_telehealth.is_(True)))
    conditions.append(or_(bindparam("no_counseling_required", type_=Integer) == 0,
                          provider.counseling_required_to_start.is_(False)))
    return conditions


def filter_values(query: SearchQuery) -> dict:
    """The values of `_filters`' parameters for this query."""
    values = {param: vocabulary.CATEGORIES[category].mask(getattr(query, param))
              for param, category in LIST_PARAMS.items()}
    values.update(accepting=int(query.accepting), walk_in=int(query.walk_in), telehealth=int(query.telehealth),
                  no_counseling_required=int(query.no_counseling_required),
                  max_wait=-1 if query.max_wait is None else query.max_wait,
                  start_within=-1 if query.start_within is None else query.start_within)
    return values


def _fit(columns):
    """Share of the asked-for services, languages and populations (`fit_service`, ... masks;
    `fit_asked`, how many terms they hold) that the provider offers: one test per term."""
    terms = []
    for param in FIT_PARAMS:
        offered = raw_terms(columns[LIST_PARAMS[param]]).op("&")(bindparam(f"fit_{param}", type_=BigInteger))
        terms += [case((offered.op("&")(term.mask) != 0, 1.0), else_=0.0)
                  for term in vocabulary.CATEGORIES[LIST_PARAMS[param]]]
    return sum(terms[1:], terms[0]) / bindparam("fit_asked", type_=Float)


def fit_values(query: SearchQuery) -> dict:
    values = {f"fit_{param}": vocabulary.CATEGORIES[LIST_PARAMS[param]].mask(getattr(query, param))
              for param in FIT_PARAMS}
    values["fit_asked"] = sum(len(getattr(query, param)) for param in FIT_PARAMS)
    return values


def distance_miles():
    """Haversine distance in miles from the bound point (lat_rad, lon_rad, cos_lat)."""
    lat = func.radians(Provider.latitude)
    half_dlat = (lat - bindparam("lat_rad")) / 2.0
    half_dlon = (func.radians(Provider.longitude) - bindparam("lon_rad")) / 2.0
    a = func.sin(half_dlat) * func.sin(half_dlat) \
        + bindparam("cos_lat") * func.cos(lat) * func.sin(half_dlon) * func.sin(half_dlon)
    return 2.0 * EARTH_RADIUS_MILES * func.asin(func.sqrt(a))


_PROVIDER_FIELDS = ("name", "services", "languages", "populations")


class _Columns:
    """Columns of a subquery under the attribute names the ranking expressions read."""

    def __init__(self, inner, prefix: str, names: tuple[str, ...]):
        for name in names:
            setattr(self, name, inner.c[f"{prefix}{name}"])

    def __getitem__(self, name: str):
        return getattr(self, name)


def _per_medication(where: list, extra: list, cut=None):
    """One row per provider and medication it offers (of those asked for, when some are: the
    `medication` mask), with that medication's availability (its newest report naming it, else
    the provider's newest for all), its days to a first dose and expected days; then only each
    provider's best row (fewest expected days, vocabulary order on ties), as a subquery.

    `where`: conditions on Provider; `extra`: more labelled columns; `cut`: a condition on the
    first subquery's columns (the radius) applied before choosing.
    """
    medication = medication_rows()
    pointer = aliased(MedicationReport)
    report = aliased(AvailabilityReport)
    days = sql_days(Provider, report)
    asked = bindparam("medication", type_=BigInteger)
    rows = (select(Provider.id.label("id"), medication.c.key.label("medication"),
                   medication.c.position.label("position"), days.label("days"),
                   sql_expected_days(days, report).label("expected"),
                   report.accepting_new_patients.label("accepting"),
                   *[getattr(Provider, f).label(f"p_{f}") for f in _PROVIDER_FIELDS], *extra)
            .select_from(Provider)
            .join(medication, raw_terms(Provider.medications).op("&")(medication.c.bit) != 0)
            .outerjoin(pointer, and_(pointer.provider_id == Provider.id, pointer.medication == medication.c.key))
            .outerjoin(report, report.id == func.coalesce(pointer.report_id, Provider.current_report_id))
            .where(*where, or_(asked == 0, medication.c.bit.op("&")(asked) != 0),
                   *_filters(Provider, report, days))
            .subquery("rows"))
    rank = func.row_number().over(partition_by=rows.c.id, order_by=[rows.c.expected, rows.c.position])
    return select(rows, rank.label("rank")).where(*([cut(rows)] if cut is not None else [])).subquery("chosen")


def _nearby(sort: str, use_cells: bool, fit: bool):
    """The statement that filters, measures, cuts at the radius, scores, counts and pages.

    `_per_medication` computes each candidate's distance once and keeps its best medication; the
    outer query scores, counts (a window function) and returns one page. `use_cells`: read by
    grid cell (`cells`), or, for a box wider than MAX_CELLS, by latitude and longitude alone;
    `fit`: some services, languages or populations were asked for.
    """
    where_cells = [Provider.geocell.in_(bindparam("cells", expanding=True))] if use_cells else []
    where = [*where_cells,
             Provider.latitude.between(bindparam("min_lat"), bindparam("max_lat")),
             # The box's longitudes, unwrapped; across the antimeridian the cells decide.
             Provider.longitude.between(bindparam("min_lon"), bindparam("max_lon")),
             raw_terms(Provider.settings) != TELEHEALTH_ONLY]
    chosen = _per_medication(where, [distance_miles().label("miles")],
                             cut=lambda rows: rows.c.miles <= bindparam("radius"))
    provider = _Columns(chosen, "p_", _PROVIDER_FIELDS)
    score = sql_score(chosen.c.miles, chosen.c.expected, _fit(provider) if fit else literal(1.0)).label("score")
    # Places at the same point (a ZIP's, when street addresses are not known) come in order of
    # availability, then name: never in the order the database happened to number them.
    ties = [chosen.c.expected, NameOrder(chosen.c.p_name), chosen.c.id]
    if sort == "distance":
        order = [chosen.c.miles, *ties]
    elif sort in ("soonest", "wait"):
        order = [*sql_soonest_order(chosen.c.days, chosen.c.accepting, chosen.c.miles), *ties]
    else:
        order = [score.desc(), chosen.c.miles, *ties]
    return (select(chosen.c.id, chosen.c.miles, chosen.c.medication, score, func.count().over().label("total"))
            .where(chosen.c.rank == 1)
            .order_by(*order)
            .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))


def _telehealth():
    """The state's telehealth providers, soonest expected first dose first."""
    chosen = _per_medication([Provider.state == bindparam("state"), Provider.offers_telehealth.is_(True)], [])
    score = sql_score(literal(0.0), chosen.c.expected, literal(1.0))
    return (select(chosen.c.id, chosen.c.medication, score.label("score"))
            .where(chosen.c.rank == 1)
            .order_by(chosen.c.expected, NameOrder(chosen.c.p_name), chosen.c.id).limit(TELEHEALTH_LIMIT))


# Built once: the same statements serve every search; a request's values are bound when they run.
NEARBY = {(sort, use_cells, fit): _nearby(sort, use_cells, fit)
          for sort in SORTS for use_cells in (True, False) for fit in (True, False)}
TELEHEALTH = _telehealth()
# The providers shown, each with its current reports (for all, and by medication).
PROVIDERS = select(Provider).where(Provider.id.in_(bindparam("ids", expanding=True)))
