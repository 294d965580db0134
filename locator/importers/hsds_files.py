"""The HSDS 3.0 tabular layout shared by the HSDS importer and exporter, and reading a dataset.

`TABLES` lists, for each HSDS resource we read or write, its file name and its columns in the
order of the HSDS 3.0 schema. `load_tables(path)` reads a folder or a .zip (a datapackage.json
may point resources at other paths) into `{resource: [(line, row), ...]}`, raising FileError
(nothing is imported) when the dataset is missing, unreadable or lacks a core table or column.
Our own terms travel as HSDS taxonomies: one per vocabulary category (taxonomy_term.taxonomy =
the category, code = the key) and FACTS for single values (geocode precision, walk-in ...).
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import zipfile
from pathlib import Path

from locator import vocabulary
from locator.importers.base import FileError, Note
from locator.importers.tables import clean_cells

TERM_CATEGORIES = tuple(vocabulary.CATEGORIES)
FACTS = "moud_locator_facts"
FACT_TERMS = {
    "geocode_precision": "How precisely the location was placed: address, zip, city or point",
    "accepts_outside_moud": "Accepts people on MOUD prescribed elsewhere (true or false)",
    "walk_in": "Walk-in intake (true or false)",
    "same_day_start": "Same-day start of medication (true or false)",
    "demo": "Fictional demonstration record (true or false)",
    "counseling_required_to_start": "Counseling required before a first dose (true or false)",
}
# Each service's (each medication's) current availability, one attribute per fact.
AVAILABILITY = "moud_locator_availability"
AVAILABILITY_TERMS = {
    "accepting_new_patients": "Taking new patients for this medication (true or false)",
    "days_to_first_dose": "Days until a first dose, 0 for today (docs/ranking.md); absent when not known",
    "wait_days": "Days until a first appointment",
    "walk_in": "Walk-in intake (true or false)",
    "walk_in_hours": "When walk-ins are seen, as the provider wrote it",
    "same_day_start": "Same-day start of medication (true or false)",
    "first_dose_at_first_visit": "A first dose at the first visit (true or false)",
    "reported_by": "Who said so: provider, caseworker or import",
    "freshness": "How fresh the report is: fresh (14 days or less), ageing (60 days or less) or stale",
}
INSURANCE_PREFIX = "Insurance plan: "

TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "organization": ("organizations.csv", (
        "id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
        "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id")),
    "service": ("services.csv", (
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email",
        "status", "interpretation_services", "application_process", "fees_description", "wait_time", "fees",
        "accreditations", "eligibility_description", "minimum_age", "maximum_age", "assured_date",
        "assurer_email", "licenses", "alert", "last_modified")),
    "location": ("locations.csv", (
        "id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
        "transportation", "latitude", "longitude", "external_identifier", "external_identifier_type")),
    "service_at_location": ("service_at_location.csv", ("id", "service_id", "location_id", "description")),
    "address": ("addresses.csv", (
        "id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
        "postal_code", "country", "address_type")),
    "phone": ("phones.csv", (
        "id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id",
        "number", "extension", "type", "description")),
    "schedule": ("schedules.csv", (
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
        "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday",
        "byyearday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes")),
    "language": ("languages.csv", ("id", "service_id", "location_id", "phone_id", "name", "code", "note")),
    "cost_option": ("cost_options.csv", (
        "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description")),
    "taxonomy": ("taxonomies.csv", ("id", "name", "description", "uri", "version")),
    "taxonomy_term": ("taxonomy_terms.csv", (
        "id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri")),
    "attribute": ("attributes.csv", ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value")),
    # Read for the desk's contact email (never written with one: contact emails are not exported).
    "contact": ("contacts.csv", (
        "id", "organization_id", "service_id", "service_at_location_id", "location_id", "name", "title",
        "department", "email")),
}
NOT_EXPORTED = ("contact",)  # read only: contact emails never leave the service
EXPORTED_TABLES = {name: spec for name, spec in TABLES.items() if name not in NOT_EXPORTED}
CORE = {"organization": ("id", "name"), "service": ("id", "organization_id", "name"), "location": ("id",),
        "service_at_location": ("id", "service_id", "location_id")}
READ_REQUIRED = {**CORE, "address": ("location_id", "address_1", "city", "state_province", "postal_code"),
                 "phone": ("number",), "attribute": ("link_id", "taxonomy_term_id"), "taxonomy_term": ("id",)}
TYPES = {"latitude": "number", "longitude": "number", "extension": "number", "amount": "number",
         "year_incorporated": "number", "minimum_age": "number", "maximum_age": "number", "timezone": "number",
         "count": "number", "interval": "number", "valid_from": "date", "valid_to": "date", "dtstart": "date",
         "until": "date", "assured_date": "date", "last_modified": "datetime", "opens_at": "time",
         "closes_at": "time"}
EXPECTED = "expected an HSDS 3.0 tabular dataset: a folder or .zip with " + ", ".join(
    TABLES[name][0] for name in CORE)


def datapackage(name: str = "moud-locator-hsds") -> dict:
    """The datapackage.json descriptor of an export (every table in TABLES but NOT_EXPORTED)."""
    resources = []
    for resource, (path, columns) in EXPORTED_TABLES.items():
        fields = [{"name": c, "type": TYPES.get(c, "string")} for c in columns]
        resources.append({"name": resource, "path": path, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": {"primaryKey": "id", "fields": fields}})
    return {"name": name, "title": "MOUD treatment providers (Open Referral HSDS 3.0)",
            "profile": "tabular-data-package", "version": "3.0.0", "resources": resources}


class _Dataset:
    """A folder or a zip file, read by relative path."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = None
        if path.is_file() and zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            names = [n for n in self.zip.namelist() if not n.endswith("/")]
            roots = sorted({posixpath.dirname(n) for n in names if posixpath.basename(n) in
                            ("datapackage.json", "service_at_location.csv")}, key=len)
            self.root = roots[0] if roots else ""
        elif not path.is_dir():
            raise FileError(f"{path}: no such folder or .zip file; {EXPECTED}")

    def read(self, relative: str) -> str | None:
        try:
            if self.zip is not None:
                member = posixpath.normpath(posixpath.join(self.root, relative))
                raw = self.zip.read(member) if member in self.zip.namelist() else None
            else:
                target = self.path / relative
                raw = target.read_bytes() if target.is_file() else None
            return None if raw is None else raw.decode("utf-8-sig")
        except (OSError, zipfile.BadZipFile) as exc:
            raise FileError(f"{self.path}: {relative} cannot be read ({exc})") from None
        except UnicodeDecodeError as exc:
            raise FileError(f"{self.path}: {relative} is not UTF-8 text (byte {exc.start})") from None


def load_tables(path) -> tuple[dict[str, list[tuple[int, dict]]], list[Note]]:
    """Every table of the dataset as (line, row) pairs, and a Note for each cell that held
    invisible or direction characters (removed)."""
    dataset = _Dataset(Path(path))
    paths = {name: spec[0] for name, spec in TABLES.items()}
    descriptor = dataset.read("datapackage.json")
    if descriptor is not None:
        try:
            for resource in json.loads(descriptor).get("resources", []):
                if resource.get("name") in paths and isinstance(resource.get("path"), str):
                    paths[resource["name"]] = resource["path"]
        except (ValueError, AttributeError) as exc:
            raise FileError(f"{path}: datapackage.json is not a valid descriptor ({exc})") from None
    tables, notes = {}, []
    for name, relative in paths.items():
        text = dataset.read(relative)
        if text is None and name in CORE:
            raise FileError(f"{path}: {relative} is missing; {EXPECTED}")
        rows = [] if text is None else _parse(text, relative, READ_REQUIRED.get(name, ()), path)
        tables[name] = []
        for item in clean_cells(rows):
            if isinstance(item, Note):
                notes.append(Note(item.line, f"{relative} {item.column}", item.reason))
            else:
                tables[name].append(item)
    return tables, notes


def _parse(text: str, relative: str, required, path) -> list[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in required if c not in header]
        if missing:
            raise FileError(f"{path}: {relative}: wrong header: missing column(s) {', '.join(missing)}; {EXPECTED}")
        rows, line = [], reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if any(v.strip() for v in values):
                rows.append((start, {h: (values[i].strip() if i < len(values) else "")
                                     for i, h in enumerate(header)}))
        return rows
    except csv.Error as exc:
        raise FileError(f"{path}: {relative} cannot be parsed as CSV ({exc})") from None
