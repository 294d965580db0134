"""The project's own providers.csv format (documented in docs/providers-csv.md).

`read_providers_csv(path)` yields a `ProviderRecord` or a `RowError` per data row, after
checking the header; a missing or unreadable file or a wrong header raises `FileError` before
anything is yielded. Lists are separated by ";" and hold vocabulary keys. The same columns are
read from an Excel workbook (.xlsx) too (`locator.importers.tables`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Iterator

from locator import vocabulary
from locator.availability import MAX_WAIT_DAYS
from locator.geocoding.places import PRECISIONS
from locator.importers.base import (
    Locate,
    ProviderRecord,
    RowError,
    parse_bool,
    parse_coordinate,
    parse_datetime,
    parse_email,
    parse_int,
    parse_phone,
    parse_state,
    parse_terms,
    parse_website,
    parse_zip,
)
from locator.importers.tables import field_reader, open_rows, parsed_rows
from locator.models import utcnow
from locator.reports_input import clean_hours, clean_medication, clean_note

LIST_SEPARATOR = ";"
REQUIRED = ("source_id", "name", "city", "state", "zip", "medications")
TERM_COLUMNS = ("medications", "medication_forms", "settings", "payment", "languages", "services",
                "populations")
COLUMNS = (
    "source_id", "name", "name2", "street", "street2", "city", "state", "zip",
    "latitude", "longitude", "geocode_precision", "phone", "intake_phone", "website",
    *TERM_COLUMNS, "insurance_plans", "walk_in", "same_day_start", "accepts_outside_moud",
    "counseling_required_to_start", "hours", "dosing_hours",
    "availability_medication", "accepting_new_patients", "wait_days", "first_dose_at_first_visit", "walk_in_hours",
    "availability_note", "availability_reported_at", "availability_days_ago", "availability_reported_by", "demo",
    "county", "contact_email", "contact_language",
)
# Where the desk's confirmation emails go: read, never exported (the exporter leaves them out).
PRIVATE_COLUMNS = ("contact_email", "contact_language")
CONTACT_LANGUAGES = ("en", "es")
REPORT_COLUMNS = ("accepting_new_patients", "wait_days", "first_dose_at_first_visit", "walk_in_hours",
                  "availability_note")
MAX_TEXT = 200


def read_providers_csv(path, locate: Locate | None = None) -> Iterator[ProviderRecord | RowError]:
    """The file's records and row errors; a CSV (or CSV.gz) or an .xlsx with the same columns."""
    rows, _ = open_rows(path, COLUMNS, REQUIRED)
    return parsed_rows(rows, lambda row, line, errors: parse_row(row, line, errors, locate))


def parse_row(row: dict, line: int, errors: list[RowError], locate: Locate | None) -> ProviderRecord | None:
    field = field_reader(row, line, errors)

    def text(column, required=False):
        value = " ".join(row.get(column, "").split())
        if required and not value:
            errors.append(RowError(line, column, "is required"))
        elif len(value) > MAX_TEXT:
            errors.append(RowError(line, column, f"is longer than {MAX_TEXT} characters"))
        return value

    fields = {
        "name": text("name", required=True), "name2": text("name2"),
        "street": text("street"), "street2": text("street2"), "city": text("city", required=True),
        "state": field("state", parse_state), "zip": field("zip", parse_zip),
        "phone": field("phone", parse_phone), "intake_phone": field("intake_phone", parse_phone),
        "website": field("website", parse_website),
        "insurance_plans": [p.strip() for p in row.get("insurance_plans", "").split(LIST_SEPARATOR) if p.strip()],
        "walk_in": field("walk_in", parse_bool), "same_day_start": field("same_day_start", parse_bool),
        "accepts_outside_moud": field("accepts_outside_moud", parse_bool),
        "counseling_required_to_start": field("counseling_required_to_start", parse_bool),
        "hours": " ".join(row.get("hours", "").split()), "dosing_hours": text("dosing_hours"),
        "is_demo": bool(field("demo", parse_bool)),
    }
    # Given only when the file says: a re-import without them keeps what the desk set.
    if text("county"):
        fields["county"] = text("county")
    email, language = field("contact_email", parse_email), field("contact_language", parse_language)
    if email:
        fields["contact_email"], fields["contact_language"] = email, language or "en"
    for column in TERM_COLUMNS:
        fields[column] = field(column, parse_terms, column, LIST_SEPARATOR) or []
    if not fields["medications"] and not any(e.column == "medications" for e in errors):
        errors.append(RowError(line, "medications", "is required: at least one of "
                                                    + ", ".join(vocabulary.MEDICATIONS.keys())))
    source_id = row.get("source_id", "").strip()
    if not source_id:
        errors.append(RowError(line, "source_id", "is required"))
    _place(row, line, fields, errors, locate, field)
    availability = _availability(row, line, fields, errors, field)
    if errors:
        return None
    return ProviderRecord(line, source_id, fields, availability)


def parse_language(value: str) -> str:
    value = value.strip().lower()
    if value and value not in CONTACT_LANGUAGES:
        raise ValueError(f"{value[:20]!r} is not one of {', '.join(CONTACT_LANGUAGES)}")
    return value


def _place(row, line, fields, errors, locate, field) -> None:
    lat = field("latitude", parse_coordinate, -90.0, 90.0, "latitude")
    lon = field("longitude", parse_coordinate, -180.0, 180.0, "longitude")
    precision = row.get("geocode_precision", "").strip().lower()
    if precision and precision not in PRECISIONS:
        errors.append(RowError(line, "geocode_precision", f"{precision!r} is not one of {', '.join(PRECISIONS)}"))
    if (lat is None) != (lon is None) and not any(e.column in ("latitude", "longitude") for e in errors):
        errors.append(RowError(line, "latitude" if lat is None else "longitude",
                               "is empty while the other coordinate is given"))
    if lat is None and lon is None and not errors and locate is not None:
        found = locate(fields["street"], fields["city"], fields["state"], fields["zip"])
        if found:
            lat, lon, precision = found
    if lat is None or lon is None:
        if not any(e.column in ("latitude", "longitude") for e in errors) and not errors:
            errors.append(RowError(line, "latitude", "no coordinates, and the ZIP or city could not be placed"))
        return
    fields.update(latitude=lat, longitude=lon, geocode_precision=precision or "address")


def _availability(row, line, fields, errors, field) -> dict | None:
    """The row's availability report (add_report's keyword arguments), or None. Its date is
    `availability_reported_at`, or `availability_days_ago` days before today (UTC midnight), so
    that a file of demonstration data reads as fresh on the day it is imported."""
    reported_at = field("availability_reported_at", parse_datetime)
    days_ago = field("availability_days_ago", parse_int, 0, MAX_WAIT_DAYS)
    values = {"medication": field("availability_medication", clean_medication),
              "accepting_new_patients": field("accepting_new_patients", parse_bool),
              "wait_days": field("wait_days", parse_int, 0, MAX_WAIT_DAYS),
              "first_dose_at_first_visit": field("first_dose_at_first_visit", parse_bool),
              "walk_in_hours": field("walk_in_hours", clean_hours) or "",
              "note": field("availability_note", clean_note) or ""}
    kind = row.get("availability_reported_by", "").strip().lower() or "import"
    if kind not in vocabulary.REPORTER_KINDS:
        errors.append(RowError(line, "availability_reported_by",
                               f"{kind!r} is not one of {', '.join(vocabulary.REPORTER_KINDS)}"))
    if reported_at is not None and days_ago is not None:
        errors.append(RowError(line, "availability_days_ago", "give availability_reported_at or "
                                                              "availability_days_ago, not both"))
    if days_ago is not None:
        today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
        reported_at = today - timedelta(days=days_ago)
    if reported_at is None:
        said = [c for c in REPORT_COLUMNS if row.get(c, "").strip()]
        if said or values["medication"]:
            errors.append(RowError(line, "availability_reported_at",
                                   "is required when availability is given (a report needs its date, or "
                                   "availability_days_ago)"))
        return None
    # Walk-in hours say walk-ins are seen (for this medication). A report naming a medication does
    # not take the provider's walk-in and same-day columns, which are about the whole provider.
    named = values["medication"] is not None
    walk_in = True if values["walk_in_hours"] else (None if named else fields.get("walk_in"))
    return dict(values, walk_in=walk_in, same_day_start=None if named else fields.get("same_day_start"),
                counseling_required_to_start=fields.get("counseling_required_to_start"),
                reported_at=reported_at, reporter_kind=kind)
