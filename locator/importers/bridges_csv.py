"""Start-today bridge options from a CSV or XLSX file (`flask --app locator import-bridges PATH`).

One row is one option for one state (docs/bridges.md):
    state, name, kind (ed_bridge | telehealth_line | access_line | mobile), phone, hours,
    medications, notes, url, verified_on, demo
A wrong header (or a missing, unreadable file) raises `FileError` before anything is written;
each bad value is a `RowError` with its line and column, and good rows are kept. The file is
the whole list: after an import the table holds the file's good rows (matched by state and
name, so unchanged rows keep their ids) and nothing else, so loading a real list removes the
demonstration one. When some row is rejected nothing is removed (the rejected row may be a kept
option with a typo), and a file with no good row changes nothing. One transaction.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.importers.base import (
    FileError,
    ImportReport,
    ReportEntry,
    RowError,
    parse_bool,
    parse_phone,
    parse_state,
    parse_terms,
    parse_website,
)
from locator.importers.tables import field_reader, open_rows, parsed_rows
from locator.models import BRIDGE_KINDS, Bridge
from locator.reports_input import clean_note

COLUMNS = ("state", "name", "kind", "phone", "hours", "medications", "notes", "url", "verified_on", "demo")
REQUIRED = ("state", "name", "kind", "phone")
FIELDS = ("name", "kind", "phone", "hours", "medications", "notes", "url", "verified_on", "is_demo")
LIMITS = {"name": 200, "hours": 200, "notes": 500}
URL_MAX = 300


def parse_day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    if day > date.today():
        raise ValueError(f"{text!r} is in the future")
    return day


def _kind(text: str) -> str:
    kind = text.strip().lower()
    if kind not in BRIDGE_KINDS:
        raise ValueError(f"{kind!r} is not one of {', '.join(BRIDGE_KINDS)}")
    return kind


def parse_row(row: dict, line: int, errors: list[RowError]) -> tuple[int, dict] | None:
    field = field_reader(row, line, errors)
    values = {"state": field("state", parse_state), "kind": field("kind", _kind),
              "phone": field("phone", parse_phone), "medications": field("medications", parse_terms, "medications"),
              "url": field("url", parse_website), "verified_on": field("verified_on", parse_day),
              "is_demo": bool(field("demo", parse_bool))}
    for column, limit in LIMITS.items():
        values[column] = field(column, clean_note, limit)
    if values["url"] and len(values["url"]) > URL_MAX:
        errors.append(RowError(line, "url", f"is longer than {URL_MAX} characters"))
    if not values["name"] and not any(e.column == "name" for e in errors):
        errors.append(RowError(line, "name", "is required"))
    if not values["phone"] and not any(e.column == "phone" for e in errors):
        errors.append(RowError(line, "phone", "is required: people call a bridge option"))
    return None if errors else (line, values)


def read_bridges(path):
    rows, _ = open_rows(Path(path), COLUMNS, REQUIRED, expected="bridges.csv")
    return parsed_rows(rows, parse_row)


def import_bridges(session: Session, path) -> ImportReport:
    """Make the table hold the file's good rows; FileError (nothing written) when it cannot be read."""
    report = ImportReport()
    good: dict[tuple[str, str], dict] = {}
    lines: dict[tuple[str, str], int] = {}
    for item in read_bridges(path):
        if isinstance(item, RowError):
            report.rejected.append(item)
        elif isinstance(item, ReportEntry):
            item.add_to(report)
        else:
            line, values = item
            key = (values["state"], values["name"])
            if key in good:
                report.rejected.append(RowError(line, "name", f"repeats line {lines[key]} (same state and name)"))
                continue
            good[key], lines[key] = values, line
    if not good:
        return report
    try:
        kept = {(b.state, b.name): b for b in session.scalars(select(Bridge))}
        for key, values in good.items():
            bridge = kept.pop(key, None)
            if bridge is None:
                session.add(Bridge(**values))
                report.added += 1
            elif all(getattr(bridge, f) == values[f] for f in FIELDS):
                report.unchanged += 1
            else:
                for name in FIELDS:
                    setattr(bridge, name, values[name])
                report.updated += 1
        if not report.rejected:
            for bridge in kept.values():
                session.delete(bridge)
                report.removed += 1
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report


__all__ = ["FileError", "import_bridges", "read_bridges"]
