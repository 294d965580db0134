"""Writing validated records: transactional, idempotent, and one provider per real site.

`upsert_records` writes in the caller's single transaction (nothing here commits):
- a record whose (source, source_id) is known updates that provider when it changed, and is
  left alone when identical;
- a new record that is the same site as a provider from *another* source (same normalised
  street, ZIP and phone, or same normalised name, street and ZIP) joins that provider: both
  sources are recorded, and re-importing either updates it, never duplicates it;
- a new record with the same name, street and ZIP as an earlier row of *its own* source is the
  same listing: it joins it, its terms are added to the listing's, both source ids are kept,
  and a note names the line it joined;
- any other new record is added. New providers are written in batches with bulk statements
  (their sources and first reports too), which is what makes a 100,000-row import fast;
- a row that repeats a source id with the same details carries one more availability report
  (for another medication, say): it is added to that provider once the rest is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from locator.availability import add_report
from locator.importers.base import ImportReport, Note, ProviderRecord, ReportEntry, RowError
from locator.importers.bulk import Batch
from locator.importers.matching import listing_key, merged_fields, same_address, site_keys
from locator.models import AT_THE_DOOR, AvailabilityReport, Provider, ProviderSource, utcnow


def _other_sources_index(session: Session, source: str) -> dict[tuple, int]:
    """Site keys of providers that some other source brought, for matching new records."""
    index: dict[tuple, int] = {}
    rows = session.execute(
        select(Provider.id, Provider.name, Provider.street, Provider.zip, Provider.phone)
        .where(Provider.id.in_(select(ProviderSource.provider_id).where(ProviderSource.source != source))))
    for pid, name, street, zip_code, phone in rows:
        for key in site_keys(name, street, zip_code, phone):
            index.setdefault(key, pid)
    return index


LOCATION = ("latitude", "longitude", "geocode_precision")


def _set_fields(provider: Provider, fields: dict) -> None:
    """Write a record's fields. A provider placed at its door (by geocode-providers or
    import-coordinates) keeps that place when the record brings only its ZIP's or city's point
    for the same street and ZIP; a record that places it itself, or moves it, replaces it."""
    keep = (provider.geocode_precision in AT_THE_DOOR and fields.get("geocode_precision") not in AT_THE_DOOR
            and same_address(provider.street, provider.zip, fields.get("street", ""), fields.get("zip", "")))
    moved = not keep and any(key in fields and fields[key] != getattr(provider, key) for key in LOCATION)
    if "phone" in fields and fields["phone"] != provider.phone:
        provider.phone_bad_at = None  # staff found the old number not working: this is another one
    for key, value in fields.items():
        if not (keep and key in LOCATION):
            setattr(provider, key, value)
    if moved:
        provider.location_source = ""  # placed by this import


def _update(session: Session, provider: Provider, item: ProviderRecord) -> None:
    _set_fields(provider, item.fields)
    if item.availability:
        _add_imported_report(session, provider, item.availability)


def _update_listing(session: Session, provider_id: int, rows: list[ProviderRecord]) -> None:
    """A listing read from several rows of its source, one of which changed: its fields are
    all its rows' merged again, in file order (no row's terms are lost)."""
    fields = rows[0].fields
    for row in rows[1:]:
        fields = merged_fields(fields, row.fields)
    _set_fields(session.get(Provider, provider_id), fields)


def upsert_records(session: Session, items: Iterable[ProviderRecord | RowError | ReportEntry], source: str,
                   report: ImportReport | None = None) -> ImportReport:
    """Write records (in the caller's transaction); collect RowErrors into the report."""
    report = report or ImportReport()
    # (link id, provider id, content hash) by source id: plain rows, not 100,000 ORM objects.
    known = {sid: (lid, pid, digest) for lid, pid, sid, digest in session.execute(
        select(ProviderSource.id, ProviderSource.provider_id, ProviderSource.source_id,
               ProviderSource.content_hash).where(ProviderSource.source == source))}
    confirmed: list[int] = []  # links whose record came again unchanged
    others: dict[tuple, int] | None = None  # built on the first new record
    seen: dict[str, tuple[ProviderRecord, set]] = {}  # the first row of each source id, and its reports' medications
    more_reports: list[ProviderRecord] = []  # rows repeating a source id, for one more report
    listings: dict[tuple, ProviderRecord | int] = {}  # this source's listings: a record, or a provider's id
    now = utcnow()
    batch = Batch(session, source, now)
    links_of: dict[int, int] = {}
    for _link_id, provider_id, _digest in known.values():
        links_of[provider_id] = links_of.get(provider_id, 0) + 1
    rows_of: dict[int, list[ProviderRecord]] = {}  # listings of several rows: their rows, in order
    changed: set[int] = set()
    for item in items:
        if isinstance(item, RowError):
            report.rejected.append(item)
            continue
        if isinstance(item, ReportEntry):  # skipped rows, notes, unmapped codes
            item.add_to(report)
            continue
        if item.source_id in seen:
            first, medications = seen[item.source_id]
            medication = (item.availability or {}).get("medication", "")
            if item.availability and item.fields == first.fields and medication not in medications:
                medications.add(medication)
                more_reports.append(item)
            else:
                report.rejected.append(RowError(
                    item.line, "source_id", f"{item.source_id!r} repeats line {first.line}: a repeated row must have "
                                            "the same details and an availability report for another medication"))
            continue
        seen[item.source_id] = (item, {(item.availability or {}).get("medication", "")})
        digest = item.content_hash()
        key = listing_key(item.fields["name"], item.fields["street"], item.fields["zip"])
        link = known.get(item.source_id)
        if link is not None:
            if key is not None:
                listings.setdefault(key, link[1])
            link_id, provider_id, known_digest = link
            several = links_of[provider_id] > 1
            if several:
                rows_of.setdefault(provider_id, []).append(item)
            if known_digest == digest:
                confirmed.append(link_id)
                report.unchanged += 1
            else:
                if several:
                    changed.add(provider_id)
                    if item.availability:
                        _add_imported_report(session, session.get(Provider, provider_id), item.availability)
                else:
                    _update(session, session.get(Provider, provider_id), item)
                session.execute(update(ProviderSource).where(ProviderSource.id == link_id)
                                .values(content_hash=digest, last_seen=now))
                report.updated += 1
            continue
        if key is not None and key in listings:
            _join_listing(session, listings[key], item, digest, source, now)
            report.merged += 1
            report.notes.append(Note(item.line, "name", "same name, street and ZIP as an earlier row of this "
                                                        "source: one listing, both ids kept"))
            continue
        if others is None:
            others = _other_sources_index(session, source)
        f = item.fields
        match = next((others[k] for k in site_keys(f["name"], f["street"], f["zip"], f["phone"]) if k in others),
                     None) if others else None
        if match is None:
            batch.add(item, digest)
            if key is not None:
                listings[key] = item
            report.added += 1
            continue
        provider = session.get(Provider, match)
        _update(session, provider, item)
        session.add(ProviderSource(provider_id=match, source=source, source_id=item.source_id,
                                   content_hash=digest, first_seen=now, last_seen=now))
        report.merged += 1
    batch.write()
    _add_more_reports(session, source, more_reports, report)
    for provider_id in sorted(changed):
        _update_listing(session, provider_id, rows_of[provider_id])
    for start in range(0, len(confirmed), 900):  # one statement per 900 links, not one per row
        session.execute(update(ProviderSource).where(ProviderSource.id.in_(confirmed[start:start + 900]))
                        .values(last_seen=now))
    session.flush()
    return report


def _join_listing(session: Session, listing: ProviderRecord | int, item: ProviderRecord, digest: str,
                  source: str, now: datetime) -> None:
    """Make `item` part of an earlier listing of its source: a record not written yet takes its
    fields and links it when written; a written provider takes them now, with a link."""
    if isinstance(listing, ProviderRecord) and listing.provider_id is None:
        listing.fields = merged_fields(listing.fields, item.fields)
        listing.same_listing.append((item.source_id, digest))
        return
    provider_id = listing.provider_id if isinstance(listing, ProviderRecord) else listing
    provider = session.get(Provider, provider_id)
    current = {key: getattr(provider, key) for key in item.fields}
    _set_fields(provider, merged_fields(current, item.fields))
    session.add(ProviderSource(provider_id=provider_id, source=source, source_id=item.source_id,
                               content_hash=digest, first_seen=now, last_seen=now))


def _add_more_reports(session: Session, source: str, items: list[ProviderRecord], report: ImportReport) -> None:
    """The reports of rows that repeat a source id, added to the provider its first row became."""
    if not items:
        return
    session.flush()
    wanted = sorted({item.source_id for item in items})
    providers: dict[str, int] = {}
    for start in range(0, len(wanted), 900):
        providers.update(session.execute(
            select(ProviderSource.source_id, ProviderSource.provider_id)
            .where(ProviderSource.source == source, ProviderSource.source_id.in_(wanted[start:start + 900]))).all())
    for item in items:
        if _add_imported_report(session, session.get(Provider, providers[item.source_id]), item.availability):
            report.reports += 1


def _add_imported_report(session: Session, provider: Provider, values: dict) -> bool:
    """Add the file's availability report unless the same one is already kept; True if added."""
    same = session.scalar(select(AvailabilityReport.id).where(
        AvailabilityReport.provider_id == provider.id, AvailabilityReport.reported_at == values["reported_at"],
        AvailabilityReport.reporter_kind == values["reporter_kind"],
        AvailabilityReport.medication.is_(None) if values.get("medication") is None
        else AvailabilityReport.medication == values["medication"]).limit(1))
    if same is not None:
        return False
    add_report(session, provider.id, **values)
    session.expire(provider, ["current_report_id", "current_report", "medication_reports",
                              "counseling_required_to_start"])
    return True
