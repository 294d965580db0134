"""What every importer shares: row errors, the report and the field parsers.

An importer turns a file into `ProviderRecord`s (or `RowError`s, one per bad value, with its
line and column); `locator.importers.writer.upsert_records` writes them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Callable

from locator import vocabulary
from locator.mail import normal_address
from locator.models import utcnow

PROVIDER_FIELDS = (
    "name", "name2", "street", "street2", "city", "state", "zip", "latitude", "longitude",
    "geocode_precision", "phone", "intake_phone", "website", "medications", "medication_forms",
    "settings", "payment", "insurance_plans", "languages", "services", "populations", "walk_in",
    "same_day_start", "accepts_outside_moud", "hours", "is_demo",
)
FLUSH_EVERY = 1000


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
    # Set by the writer: the provider written for it, and other rows of its source that are the
    # same listing (source id, content hash), linked to it when it is written.
    provider_id: int | None = None
    same_listing: list[tuple[str, str]] = field(default_factory=list)

    def content_hash(self) -> str:
        availability = self.availability
        if availability and "reported_at" in availability:  # the one non-JSON value: keep json's fast path
            availability = dict(availability, reported_at=str(availability["reported_at"]))
        payload = json.dumps([self.fields, availability], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


class ReportEntry:
    """Something a reader yields that is neither a record nor an error: it goes to the report."""

    def add_to(self, report: ImportReport) -> None:
        raise NotImplementedError


@dataclass
class Skipped(ReportEntry):
    """A row read and deliberately not listed (e.g. not an MOUD provider): not an error."""

    line: int
    reason: str

    def add_to(self, report: ImportReport) -> None:
        report.skipped.append(self)


@dataclass
class Note(ReportEntry):
    """A row kept with one value dropped (e.g. an unusable phone number): a warning."""

    line: int
    column: str
    reason: str

    def add_to(self, report: ImportReport) -> None:
        report.notes.append(self)


@dataclass
class UnmappedCodes(ReportEntry):
    """Codes the file used that the vocabulary does not map, with the number of rows using each."""

    counts: dict[str, int]

    def add_to(self, report: ImportReport) -> None:
        for code, rows in self.counts.items():
            report.unmapped_codes[code] = report.unmapped_codes.get(code, 0) + rows


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # new to this source, but the same site as another source's provider
    reports: int = 0  # availability reports added from rows repeating a source id
    removed: int = 0  # rows of a list that the file replaces (import-bridges)
    rejected: list[RowError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    unmapped_codes: dict[str, int] = field(default_factory=dict)

    @property
    def rejected_lines(self) -> list[int]:
        return sorted({e.line for e in self.rejected})

    def summary(self) -> str:
        text = (f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"rejected {len(self.rejected_lines)}")
        text += f", merged {self.merged}" if self.merged else ""
        text += f", more reports {self.reports}" if self.reports else ""
        text += f", removed {self.removed}" if self.removed else ""
        return text + (f", skipped {len(self.skipped)}" if self.skipped else "")

    def details(self) -> list[str]:
        """Lines explaining skipped rows (by reason), kept-with-a-note rows and unmapped codes."""
        lines = [f"note line {n.line}: {n.column}: {n.reason}" for n in self.notes]
        reasons: dict[str, int] = {}
        for s in self.skipped:
            reasons[s.reason] = reasons.get(s.reason, 0) + 1
        lines += [f"skipped {count}: {reason}" for reason, count in
                  sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
        if self.unmapped_codes:
            codes = sorted(self.unmapped_codes.items(), key=lambda kv: (-kv[1], kv[0]))
            lines.append(f"codes not mapped to the vocabulary ({len(codes)}, with rows): "
                         + ", ".join(f"{code} {rows}" for code, rows in codes))
        return lines


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
    return list(_terms(text, category, sep))


@lru_cache(maxsize=8192)
def _terms(text: str, category: str, sep: str) -> tuple[str, ...]:
    """Memoised: a directory repeats the same few combinations on thousands of rows."""
    cat = vocabulary.CATEGORIES[category]
    keys = [k.strip().lower() for k in text.split(sep) if k.strip()]
    unknown = [k for k in keys if k not in cat]
    if unknown:
        raise ValueError(f"unknown {category} {', '.join(map(repr, unknown))}; allowed: {', '.join(cat.keys())}")
    wanted = set(keys)
    return tuple(t.key for t in cat.terms if t.key in wanted)


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


def parse_email(value: str) -> str:
    """An email address (lower case), or "" for an empty cell."""
    return normal_address(value) if value.strip() else ""


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


# Places a row that has no coordinates: (street, city, state, zip) -> (lat, lon, precision) or None.
Locate = Callable[[str, str, str, str], "tuple[float, float, str] | None"]


def check_header(header: list[str] | None, columns, required, path) -> None:
    """FileError naming what is wrong with a header: missing, unknown (unless `columns` is None:
    any column is read) or repeated columns."""
    if not header:
        raise FileError(f"{path}: the file is empty; expected a header row")
    names = [h.strip() for h in header]
    missing = [c for c in required if c not in names]
    unknown = [] if columns is None else [c for c in names if c not in columns]
    duplicate = sorted({c for c in names if names.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    if duplicate:
        problems.append(f"repeated column(s) {', '.join(duplicate)}")
    if problems:
        raise FileError(f"{path}: wrong header: {'; '.join(problems)}")
