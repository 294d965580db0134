"""Which records the HSDS API lists: its filters and pages as SQL over providers (one
organization and location each) and their medications (one service and service_at_location
each), through SQLAlchemy's public API. Plain Python over a Session; no Flask.

A page is two statements whatever its size: the ids of the page with the count of all matches
(a window function), then the providers with their sources and current reports (plus the
relationships' own selects). `modified_after` reads an index on providers.updated_at, and a
postcode's proximity the latitude and longitude index, as search does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy import false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from locator import vocabulary
from locator.geo import bounding_box
from locator.hsds_ids import read_record_id
from locator.hsds_records import taxonomy_rows
from locator.models import Provider
from locator.search_statements import distance_miles, medication_rows, raw_terms

# taxonomy_term id -> (taxonomy, code), taxonomy id -> name: from the vocabulary, the same for everyone.
TERMS = {row["id"]: (row["taxonomy"], row["code"]) for table, row in taxonomy_rows() if table == "taxonomy_term"}
TAXONOMIES = {row["id"]: row["name"] for table, row in taxonomy_rows() if table == "taxonomy"}
STREAM_CHUNK = 500


@dataclass(frozen=True)
class HsdsQuery:
    search: str = ""
    page: int = 1
    per_page: int = 50
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: datetime | None = None
    point: tuple[float, float] | None = None  # a postcode's centre: nearest first
    proximity_miles: float | None = None  # and only this close to it


def _text_search(text: str):
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*[func.lower(column).like(pattern, escape="\\") for column in
                 (Provider.name, Provider.name2, Provider.city)])


def _provider_conditions(q: HsdsQuery) -> list:
    conditions = []
    if q.search:
        conditions.append(_text_search(q.search))
    if q.modified_after is not None:
        conditions.append(Provider.updated_at >= q.modified_after)
    if q.organization_id:
        found = read_record_id(q.organization_id, "organization")
        conditions.append(Provider.id == found[0] if found else false())
    if q.point is not None and q.proximity_miles is not None:
        box = bounding_box(q.point[0], q.point[1], q.proximity_miles)
        conditions += [Provider.latitude.between(box[0], box[1]), Provider.longitude.between(box[2], box[3]),
                       distance_miles() <= q.proximity_miles]
    return conditions


def _bound(statement, q: HsdsQuery):
    """The statement with the postcode's centre bound to `distance_miles()`'s parameters."""
    if q.point is None:
        return statement
    lat, lon = q.point
    return statement.params(lat_rad=math.radians(lat), lon_rad=math.radians(lon), cos_lat=math.cos(math.radians(lat)))


def _term_conditions(q: HsdsQuery, medication) -> list:
    """taxonomy_term_id: a term offered (a medication: that service); taxonomy_id: any term of it."""
    conditions = []
    if q.taxonomy_term_id:
        taxonomy, code = TERMS.get(q.taxonomy_term_id, (None, None))
        if taxonomy == "medications":
            conditions.append(medication.c.key == code)
        elif taxonomy in vocabulary.CATEGORIES:
            mask = vocabulary.CATEGORIES[taxonomy].mask([code])
            conditions.append(raw_terms(getattr(Provider, taxonomy)).op("&")(mask) != 0)
        else:  # facts and availability are values, not terms a service is filed under
            conditions.append(false())
    if q.taxonomy_id:
        name = TAXONOMIES.get(q.taxonomy_id)
        if name is None:
            conditions.append(false())
        elif name in vocabulary.CATEGORIES and name != "medications":
            conditions.append(raw_terms(getattr(Provider, name)) != 0)
        else:
            conditions.append(true())
    return conditions


def _services(q: HsdsQuery, nearest_first: bool = True):
    medication = medication_rows()
    statement = (select(Provider.id.label("provider_id"), medication.c.key.label("medication"),
                        medication.c.position.label("position"))
                 .select_from(Provider)
                 .join(medication, raw_terms(Provider.medications).op("&")(medication.c.bit) != 0)
                 .where(*_provider_conditions(q), *_term_conditions(q, medication)))
    if q.point is not None and nearest_first:
        statement = statement.order_by(distance_miles(), Provider.id, medication.c.position)
    else:
        statement = statement.order_by(Provider.id, medication.c.position)
    return _bound(statement, q), medication


def service_page(session: Session, q: HsdsQuery) -> tuple[list[tuple[int, str]], int]:
    """(provider id, medication) of the page's services (or service_at_locations), and how many match."""
    statement, _ = _services(q)
    statement = statement.add_columns(func.count().over().label("total")) \
        .limit(q.per_page).offset((q.page - 1) * q.per_page)
    rows = session.execute(statement).all()
    if not rows:
        return [], _count(session, _services(q)[0]) if q.page > 1 else 0
    return [(r.provider_id, r.medication) for r in rows], rows[0].total


def organization_page(session: Session, q: HsdsQuery) -> tuple[list[int], int]:
    statement = select(Provider.id, func.count().over().label("total")).where(*_provider_conditions(q)) \
        .order_by(Provider.id).limit(q.per_page).offset((q.page - 1) * q.per_page)
    rows = session.execute(_bound(statement, q)).all()
    if not rows:
        everything = _bound(select(Provider.id).where(*_provider_conditions(q)), q)
        return [], _count(session, everything) if q.page > 1 else 0
    return [r.id for r in rows], rows[0].total


def _count(session: Session, statement) -> int:
    return session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))


def load(session: Session, ids) -> dict[int, Provider]:
    """The providers with these ids, with what their HSDS records need, by id."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    statement = select(Provider).where(Provider.id.in_(ids)).options(selectinload(Provider.sources))
    return {p.id: p for p in session.scalars(statement)}


def every_service(session: Session, q: HsdsQuery) -> Iterator[tuple[Provider, str]]:
    """Every matching (provider, medication), in order, STREAM_CHUNK providers at a time (keyset
    pages on the provider id, so memory stays flat however large the directory); the session is
    emptied between chunks."""
    services, _ = _services(q, nearest_first=False)
    for ids in _provider_chunks(session, q):
        rows = session.execute(services.where(Provider.id.in_(ids))).all()
        providers = load(session, ids)
        for row in rows:
            yield providers[row.provider_id], row.medication
        session.expunge_all()


def _provider_chunks(session: Session, q: HsdsQuery) -> Iterator[list[int]]:
    after = 0
    while True:
        ids = list(session.scalars(_bound(select(Provider.id).where(Provider.id > after, *_provider_conditions(q))
                                          .order_by(Provider.id).limit(STREAM_CHUNK), q)))
        if not ids:
            return
        yield ids
        after = ids[-1]


def every_organization(session: Session, q: HsdsQuery) -> Iterator[Provider]:
    for ids in _provider_chunks(session, q):
        providers = load(session, ids)
        yield from (providers[i] for i in ids)
        session.expunge_all()
