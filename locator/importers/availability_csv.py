"""Availability reports from a CSV file (`flask --app locator import-availability PATH`).

For networks and states that collect waits. One row is one report (docs/availability.md):
    provider_id | source + source_id, medication (empty: all), accepting_new_patients, wait_days,
    walk_in, same_day_start, first_dose_at_first_visit, walk_in_hours,
    counseling_required_to_start, note, reported_at, reported_by (provider | caseworker | import)
A wrong header (or a missing, unreadable file) raises `FileError` before anything is written.
Each bad value is a `RowError` with its line and column; good rows are kept. The same report
(same provider, medication, `reported_at` and reporter kind) is never added twice, so a file can be loaded
again. `import_availability()` writes every good row in one transaction, or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from locator import vocabulary
from locator.availability import MAX_WAIT_DAYS, add_report
from locator.importers.base import (
    FileError,
    ImportReport,
    ReportEntry,
    RowError,
    parse_bool,
    parse_datetime,
    parse_int,
)
from locator.importers.tables import field_reader, open_rows, parsed_rows
from locator.models import MAX_ID, AvailabilityReport, Provider, ProviderSource
from locator.reports_input import clean_hours, clean_medication, clean_note

COLUMNS = ("provider_id", "source", "source_id", "medication", "accepting_new_patients", "wait_days", "walk_in",
           "same_day_start", "first_dose_at_first_visit", "walk_in_hours", "counseling_required_to_start", "note",
           "reported_at", "reported_by")
REQUIRED = ("accepting_new_patients", "reported_at")

CHUNK = 500  # ids per IN (...): well under SQLite's limit of bound parameters


@dataclass
class ReportRow:
    line: int
    provider_id: int | None
    source: tuple[str, str] | None  # (source, source_id)
    values: dict  # add_report keyword arguments, reported_at and reporter_kind included


def read_availability_csv(path) -> Iterator[ReportRow | RowError]:
    """Check the header (FileError) and return an iterator over the rows."""
    rows, names = open_rows(Path(path), COLUMNS, REQUIRED)
    if "provider_id" not in names and not {"source", "source_id"} <= set(names):
        rows.close()  # a workbook is closed with its rows
        raise FileError(f"{path}: wrong header: needs a provider_id column, or source and source_id columns")
    return parsed_rows(rows, parse_row)


def parse_row(row: dict, line: int, errors: list[RowError]) -> ReportRow | None:
    field = field_reader(row, line, errors)

    provider_id = field("provider_id", parse_int, 1, MAX_ID)
    source, source_id = row.get("source", "").strip(), row.get("source_id", "").strip()
    if provider_id is None and not (source and source_id) and not errors:
        column = "provider_id" if "provider_id" in row else "source_id"
        errors.append(RowError(line, column, "is required: a provider_id, or a source and a source_id"))
    accepting = field("accepting_new_patients", parse_bool)
    if accepting is None and not any(e.column == "accepting_new_patients" for e in errors):
        errors.append(RowError(line, "accepting_new_patients", "is required (yes or no)"))
    reported_at = field("reported_at", parse_datetime)
    if reported_at is None and not any(e.column == "reported_at" for e in errors):
        errors.append(RowError(line, "reported_at", "is required (a report needs its date)"))
    kind = row.get("reported_by", "").strip().lower() or "import"
    if kind not in vocabulary.REPORTER_KINDS:
        errors.append(RowError(line, "reported_by", f"{kind!r} is not one of {', '.join(vocabulary.REPORTER_KINDS)}"))
    values = {"medication": field("medication", clean_medication),
              "accepting_new_patients": accepting, "wait_days": field("wait_days", parse_int, 0, MAX_WAIT_DAYS),
              "walk_in": field("walk_in", parse_bool), "same_day_start": field("same_day_start", parse_bool),
              "first_dose_at_first_visit": field("first_dose_at_first_visit", parse_bool),
              "walk_in_hours": field("walk_in_hours", clean_hours) or "",
              "counseling_required_to_start": field("counseling_required_to_start", parse_bool),
              "note": field("note", clean_note), "reported_at": reported_at, "reporter_kind": kind}
    if errors:
        return None
    return ReportRow(line, provider_id, (source, source_id) if source and source_id else None, values)


def _resolve(session: Session, rows: list[ReportRow]) -> dict:
    """Map each row's provider reference (an id, or a (source, source_id) pair) to a provider id."""
    ids = sorted({r.provider_id for r in rows if r.provider_id is not None})
    pairs = sorted({r.source for r in rows if r.source is not None})
    found: dict = {}
    for chunk in _chunks(ids):
        found.update({i: i for i in session.scalars(select(Provider.id).where(Provider.id.in_(chunk)))})
    for chunk in _chunks(pairs):
        query = select(ProviderSource.source, ProviderSource.source_id, ProviderSource.provider_id).where(
            tuple_(ProviderSource.source, ProviderSource.source_id).in_(chunk))
        found.update({(s, sid): pid for s, sid, pid in session.execute(query)})
    return found


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _provider_of(row: ReportRow, found: dict) -> int | RowError:
    by_id = found.get(row.provider_id) if row.provider_id is not None else None
    by_source = found.get(row.source) if row.source is not None else None
    if row.provider_id is not None and by_id is None:
        return RowError(row.line, "provider_id", f"no provider has the id {row.provider_id}")
    if row.source is not None and by_source is None:
        return RowError(row.line, "source_id", f"no provider comes from {row.source[0]!r} with id {row.source[1]!r}")
    if by_id is not None and by_source is not None and by_id != by_source:
        return RowError(row.line, "provider_id", f"is {by_id}, but source and source_id name provider {by_source}")
    return by_id if by_id is not None else by_source


def import_rows(session: Session, items: Iterator[ReportRow | RowError | ReportEntry]) -> ImportReport:
    """Write the good rows in the caller's transaction (no commit); count and collect the rest."""
    report = ImportReport()
    rows: list[ReportRow] = []
    for item in items:
        if isinstance(item, RowError):
            report.rejected.append(item)
        elif isinstance(item, ReportEntry):  # notes of the rows (a cleaned cell)
            item.add_to(report)
        else:
            rows.append(item)
    found = _resolve(session, rows)
    targets = {row.line: _provider_of(row, found) for row in rows}
    provider_ids = {t for t in targets.values() if isinstance(t, int)}
    kept: set[tuple] = set()
    for chunk in _chunks(sorted(provider_ids)):
        # Lock the providers (in id order) before reading their reports: a report a concurrent
        # request commits meanwhile is then seen, by this check and by add_report's pointer move.
        session.execute(select(Provider.id).where(Provider.id.in_(chunk)).order_by(Provider.id).with_for_update())
        kept.update(tuple(row) for row in session.execute(
            select(AvailabilityReport.provider_id, AvailabilityReport.medication, AvailabilityReport.reported_at,
                   AvailabilityReport.reporter_kind)
            .where(AvailabilityReport.provider_id.in_(chunk))))
    seen: dict[tuple, int] = {}
    for row in rows:
        target = targets[row.line]
        if isinstance(target, RowError):
            report.rejected.append(target)
            continue
        key = (target, row.values["medication"], row.values["reported_at"], row.values["reporter_kind"])
        if key in seen:
            report.rejected.append(RowError(row.line, "reported_at", f"the same report is on line {seen[key]}"))
            continue
        seen[key] = row.line
        if key in kept:
            report.unchanged += 1
            continue
        add_report(session, target, **row.values)
        report.added += 1
    session.flush()
    return report


def import_availability(session: Session, path) -> ImportReport:
    """Import PATH in one transaction; FileError (nothing written) when it cannot be read."""
    items = read_availability_csv(path)
    try:
        report = import_rows(session, items)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report
