"""What every importer shares: row errors, the report, field parsers, and the transactional,
idempotent upsert of validated records.

An importer turns a file into `ProviderRecord`s (or `RowError`s, one per bad value, with its
line and column); `upsert_records` writes the records in the caller's single transaction,
matching existing providers by (source, source_id): a new id adds, a changed record updates,
an identical one is left alone. Nothing here commits.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator import vocabulary
from locator.availability import add_report
from locator.models import Provider, ProviderSource, utcnow

PROVIDER_FIELDS = (
    "name", "name2", "street", "street2", "city", "state", "zip", "latitude", "longitude",
    "geocode_precision", "phone", "intake_phone", "website", "medications", "medication_forms",
    "settings", "payment", "insurance_plans", "languages", "services", "populations", "walk_in",
    "same_day_start", "accepts_outside_moud", "hours", "is_demo",
)
PRECISIONS = ("address", "zip", "city", "point")


class FileError(Exception):
    """The file cannot be read at all (missing, unreadable, wrong header): nothing is written."""


class RowError(ValueError):
    def __init__(self, line: int, column: str, reason: str):
        super().__init__(f"line {line}: {column}: {reason}")
        self.line, self.column, self.reason = line, column, reason


@dataclass
class ProviderRecord:
    line: int
    source_id: str
    fields: dict
    availability: dict | None = None  # add_report keyword arguments, with reported_at

    def content_hash(self) -> str:
        payload = json.dumps([self.fields, self.availability], sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({e.line for e in self.rejected})

    def summary(self) -> str:
        return (f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"rejected {len(self.rejected_lines)}")


# ---- field parsers: each returns the clean value or raises ValueError with the reason ----

TRUE_WORDS = {"yes", "y", "true", "t", "1", "si", "sí"}
FALSE_WORDS = {"no", "n", "false", "f", "0"}
ZIP_RE = re.compile(r"^(\d{5})(?:-?(\d{4}))?$")


def parse_bool(text: str) -> bool | None:
    word = text.strip().lower()
    if word == "":
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{text!r} is not yes, no or empty")


def parse_terms(text: str, category: str, sep: str = ";") -> list[str]:
    cat = vocabulary.CATEGORIES[category]
    keys = [k.strip().lower() for k in text.split(sep) if k.strip()]
    unknown = [k for k in keys if k not in cat]
    if unknown:
        raise ValueError(f"unknown {category} {', '.join(map(repr, unknown))}; allowed: {', '.join(cat.keys())}")
    return [k for k in cat.keys() if k in set(keys)]


def parse_state(text: str) -> str:
    code = text.strip().upper()
    if code not in vocabulary.US_STATES:
        raise ValueError(f"{text!r} is not a US state or territory code")
    return code


def parse_zip(text: str) -> str:
    match = ZIP_RE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a 5-digit ZIP code")
    return match.group(1)


EXT_RE = re.compile(r"\s*(?:x|ext\.?|extension)\s*(\d{1,6})\s*$", re.I)


def parse_phone(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    ext = ""
    match = EXT_RE.search(text)
    if match:
        ext, text = match.group(1), text[:match.start()]
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10 or re.search(r"[A-Za-z]", text):
        raise ValueError(f"{text!r} is not a 10-digit US phone number")
    number = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    return f"{number} x{ext}" if ext else number


def parse_website(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    if not re.match(r"^https?://", text, re.I):
        text = "https://" + text
    if not re.match(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::\d+)?(?:[/?#]\S*)?$", text):
        raise ValueError(f"{text!r} is not a web address")
    return text


def parse_coordinate(text: str, low: float, high: float, what: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not low <= value <= high:
        raise ValueError(f"{what} {value} is outside {low} to {high}")
    return round(value, 6)


def parse_datetime(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or ISO 8601)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value > utcnow():
        raise ValueError(f"{text!r} is in the future")
    return value


def parse_int(text: str, low: int, high: int) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise ValueError(f"{text!r} is not a whole number")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{value} is outside {low} to {high}")
    return value


# ---- writing ----

Locate = Callable[[str, str, str, str], "tuple[float, float, str] | None"]


def upsert_records(session: Session, items: Iterable[ProviderRecord | RowError], source: str,
                   report: ImportReport | None = None) -> ImportReport:
    """Write records (in the caller's transaction); collect RowErrors into the report."""
    report = report or ImportReport()
    known = {s.source_id: s for s in session.scalars(
        select(ProviderSource).where(ProviderSource.source == source))}
    seen: dict[str, int] = {}
    now = utcnow()
    for item in items:
        if isinstance(item, RowError):
            report.rejected.append(item)
            continue
        if item.source_id in seen:
            report.rejected.append(RowError(item.line, "source_id",
                                            f"{item.source_id!r} repeats line {seen[item.source_id]}"))
            continue
        seen[item.source_id] = item.line
        digest = item.content_hash()
        link = known.get(item.source_id)
        if link is None:
            provider = Provider(**item.fields)
            provider.sources.append(ProviderSource(source=source, source_id=item.source_id,
                                                   content_hash=digest, first_seen=now, last_seen=now))
            session.add(provider)
            session.flush()
            report.added += 1
        elif link.content_hash == digest:
            link.last_seen = now
            report.unchanged += 1
            continue
        else:
            provider = link.provider
            for key, value in item.fields.items():
                setattr(provider, key, value)
            link.content_hash, link.last_seen = digest, now
            report.updated += 1
        if item.availability:
            _add_imported_report(session, provider, item.availability)
    session.flush()
    return report


def _add_imported_report(session: Session, provider: Provider, values: dict) -> None:
    """Add the file's availability report unless the same one is already kept."""
    current = provider.current_report
    if current is not None and current.reported_at == values["reported_at"] \
            and current.reporter_kind == values["reporter_kind"]:
        return
    add_report(session, provider.id, **values)
    session.expire(provider, ["current_report_id", "current_report"])
