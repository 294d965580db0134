"""Read-only provider rows for result lists, read with one Core statement.

A results page shows 20 providers and their newest reports. Reading them as plain rows rather
than ORM objects (no identity map, no change tracking) halves the cost, and a search is
mostly this. `ProviderRow` has the attribute names of `models.Provider` that lists, cards and
the API use; its `current_report` has those of `models.AvailabilityReport`.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import BigInteger, Integer, bindparam, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from locator import vocabulary
from locator.models import AvailabilityReport, Provider, TermSet
from locator.prepared import Prepared, padded

_Report = aliased(AvailabilityReport)
REPORT_FIELDS = ("accepting_new_patients", "wait_days", "walk_in", "same_day_start", "note", "reported_at",
                 "reporter_kind")
# Every column a list shows; not the bookkeeping ones (timestamps, grid cell): dates cost a parse each.
_COLUMNS = [c for c in Provider.__table__.columns if c.name not in ("created_at", "updated_at", "geocell")]


# Term sets come back as their stored bit masks and are unmasked here, by their category's
# memoised table: the column type's own converter costs three calls a value, 7 values a row.
_TERMS = [(n, vocabulary.CATEGORIES[c.type.category]) for n, c in enumerate(_COLUMNS) if isinstance(c.type, TermSet)]
_SELECTED = [type_coerce(c, BigInteger).label(c.name) if isinstance(c.type, TermSet) else c for c in _COLUMNS]


@lru_cache(maxsize=16)
def _statement(size: int) -> Prepared:
    """The statement for `size` ids (padded to a power of two: few variants, each prepared once)."""
    return Prepared(select(*_SELECTED, *[getattr(_Report, f).label(f"r_{f}") for f in REPORT_FIELDS])
                    .outerjoin(_Report, _Report.id == Provider.current_report_id)
                    .where(Provider.id.in_([bindparam(f"id_{n}", type_=Integer) for n in range(size)])))


class ProviderRow(SimpleNamespace):
    @property
    def telehealth(self) -> bool:
        return "telehealth" in self.settings


_PROVIDER_KEYS = [c.name for c in _COLUMNS]
_REPORT_AT = len(_PROVIDER_KEYS)
_CURRENT = _PROVIDER_KEYS.index("current_report_id")


def load_rows(connection: Connection, ids: list[int]) -> dict[int, ProviderRow]:
    """The providers with these ids (and their newest reports), by id."""
    out = {}
    if not ids:
        return out
    ids = padded(ids)
    for row in _statement(len(ids)).tuples(connection, {f"id_{n}": i for n, i in enumerate(ids)}):
        for index, category in _TERMS:
            row[index] = category.unmask(row[index] or 0)
        report = None
        if row[_CURRENT] is not None:
            report = SimpleNamespace(id=row[_CURRENT], **dict(zip(REPORT_FIELDS, row[_REPORT_AT:], strict=True)))
        provider = ProviderRow(**dict(zip(_PROVIDER_KEYS, row[:_REPORT_AT], strict=True)), current_report=report)
        out[provider.id] = provider
    return out
