"""New providers written with bulk statements: what makes a 100,000-row import fast.

`Batch` collects new records and writes them BATCH at a time: the providers, their sources
(and the other rows of the same listing), and their first availability reports with the
provider's pointers (for all, or for the report's medication), with one executemany each.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from locator.geo import geocell
from locator.importers.base import ProviderRecord
from locator.models import AvailabilityReport, MedicationReport, Provider, ProviderSource

BATCH = 1000


class Batch:
    """New providers waiting to be written with bulk statements."""

    def __init__(self, session: Session, source: str, now: datetime):
        self.session, self.source, self.now = session, source, now
        self.items: list[tuple[ProviderRecord, str]] = []

    def add(self, item: ProviderRecord, digest: str) -> None:
        self.items.append((item, digest))
        if len(self.items) >= BATCH:
            self.write()

    def write(self) -> None:
        if not self.items:
            return
        ids = reserve_ids(self.session, Provider, len(self.items))
        _insert(self.session, Provider, [
            dict(item.fields, id=pid, created_at=self.now, updated_at=self.now,
                 geocell=geocell(item.fields["latitude"], item.fields["longitude"]),
                 offers_telehealth="telehealth" in item.fields.get("settings", []))
            for pid, (item, _) in zip(ids, self.items, strict=True)])
        for pid, (item, _) in zip(ids, self.items, strict=True):
            item.provider_id = pid
        _insert(self.session, ProviderSource, [
            dict(provider_id=pid, source=self.source, source_id=source_id, content_hash=digest,
                 first_seen=self.now, last_seen=self.now)
            for pid, (item, first_digest) in zip(ids, self.items, strict=True)
            for source_id, digest in [(item.source_id, first_digest), *item.same_listing]])
        with_reports = [(pid, item) for pid, (item, _) in zip(ids, self.items, strict=True) if item.availability]
        if with_reports:
            report_ids = reserve_ids(self.session, AvailabilityReport, len(with_reports))
            _insert(self.session, AvailabilityReport, [
                dict(item.availability, id=rid, provider_id=pid, token_id=None)
                for (pid, item), rid in zip(with_reports, report_ids, strict=True)])
            pointers = [(pid, item.availability.get("medication"), rid)
                        for (pid, item), rid in zip(with_reports, report_ids, strict=True)]
            for_all = [{"id": pid, "current_report_id": rid} for pid, medication, rid in pointers if not medication]
            if for_all:
                self.session.execute(update(Provider), for_all)
            _insert(self.session, MedicationReport, [
                {"provider_id": pid, "medication": medication, "report_id": rid}
                for pid, medication, rid in pointers if medication])
        self.items.clear()


def _insert(session: Session, model, rows: list[dict]) -> None:
    """Core executemany, one statement per set of keys (the ORM's bulk insert splits a batch
    wherever a value is None, which made a statement per row)."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for group in groups.values():
        session.execute(insert(model.__table__), group)


def reserve_ids(session: Session, model, count: int) -> list[int]:
    """`count` fresh primary keys for bulk inserts that need their ids up front (RETURNING row by
    row is slow on SQLite). PostgreSQL hands them out from the table's sequence, safe under
    concurrency; SQLite has one writer at a time, and continues after the largest id."""
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
        return list(session.scalars(text("SELECT nextval(:s) FROM generate_series(1, :n)"),
                                    {"s": sequence, "n": count}))
    start = (session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + count))
