"""Open Referral HSDS 3.0 tabular datasets: `import-providers PATH --format hsds`.

PATH is a folder (or a .zip) holding CSV files named as in HSDS 3.0 (organizations.csv,
services.csv, locations.csv, service_at_location.csv, addresses.csv, phones.csv,
schedules.csv, languages.csv, cost_options.csv, attributes.csv, taxonomy_terms.csv ...);
a datapackage.json, when present, may point the resources at other paths. The mapping is in
docs/open-data.md; `locator.exporters.hsds` writes the same layout, so an export re-imports.

One provider per location and organization: the services at one location of one organization
(one per medication, as our export writes them) are one provider, whose source id is its first
service_at_location's id (RowError lines are that file's lines). Terms come from attributes
whose taxonomy_term belongs to a vocabulary category (`taxonomy` = the category name, `code` =
the key), plus languages.csv (code or English name) and cost_options.csv (the payment label);
when no medication term is linked, the services' names, descriptions and terms are searched for
the medications' names. A site without any MOUD medication is skipped, not rejected. Language
and cost options the vocabulary does not know are counted as unmapped. Bad phones and web
addresses are dropped with a note.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from typing import Iterator

from locator import vocabulary
from locator.geocoding.places import PRECISIONS
from locator.importers.base import (
    Locate,
    Note,
    ProviderRecord,
    RowError,
    Skipped,
    UnmappedCodes,
    parse_bool,
    parse_coordinate,
    parse_email,
    parse_phone,
    parse_state,
    parse_website,
    parse_zip,
)
from locator.importers.hsds_files import FACTS, INSURANCE_PREFIX, TERM_CATEGORIES, load_tables

STATE_NAMES = {name.lower(): code for code, name in vocabulary.US_STATES.items()}
SKIP_NO_MEDICATION = "the service offers no MOUD medication (buprenorphine, methadone or naltrexone)"


def read_hsds(path, locate: Locate | None = None) -> Iterator:
    """Check the dataset (FileError, nothing yielded), then yield one item per location and organization."""
    tables, notes = load_tables(path)
    return chain(notes, _rows(tables, locate))


def _index(rows, *keys) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for _line, row in rows:
        for key in keys:
            if row.get(key):
                out[row[key]].append(row)
    return out


def _rows(tables: dict, locate: Locate | None) -> Iterator:
    by_id = {name: {row["id"]: row for _line, row in tables[name] if row.get("id")}
             for name in ("organization", "service", "location", "taxonomy_term")}
    links = ("service_at_location_id", "service_id", "location_id", "organization_id")
    related = {name: _index(tables[name], *links) for name in ("phone", "language", "schedule", "contact")}
    related["address"] = _index(tables["address"], "location_id")
    related["cost_option"] = _index(tables["cost_option"], "service_id")
    related["attribute"] = _index(tables["attribute"], "link_id")
    unmapped: dict[str, int] = {}
    sites: dict[tuple[str, str], list] = {}  # (location id, organization id) -> its (line, sal, service)
    for line, sal in tables["service_at_location"]:
        service = by_id["service"].get(sal.get("service_id", ""))
        location = by_id["location"].get(sal.get("location_id", ""))
        if service is None or location is None:
            column = "service_id" if service is None else "location_id"
            yield RowError(line, column, f"no {column[:-3]} has the id {sal.get(column, '')!r}")
            continue
        org = by_id["organization"].get(service.get("organization_id") or location.get("organization_id") or "")
        if org is None:
            yield RowError(line, "organization_id", "the service's organization is not in organizations.csv")
            continue
        sites.setdefault((location["id"], org["id"]), []).append((line, sal, service))
    for (location_id, org_id), members in sites.items():
        line, sal, _ = members[0]
        services = [service for _, _, service in members]
        site = Site([m[1]["id"] for m in members], [s["id"] for s in services], location_id, org_id)
        yield from _provider(line, sal, services, by_id["location"][location_id], by_id["organization"][org_id],
                             site, related, by_id["taxonomy_term"], locate, unmapped)
    if unmapped:
        yield UnmappedCodes(unmapped)


@dataclass
class Site:
    """The ids of one provider's rows: its service_at_locations, services, location, organization."""

    sals: list[str]
    services: list[str]
    location: str
    organization: str

    @property
    def here(self) -> list[str]:
        """Ids that languages and schedules may be linked by (not the organization's)."""
        return [*self.sals, *self.services, self.location]

    @property
    def every(self) -> list[str]:
        return [*self.here, self.organization]


def _linked(related: dict, table: str, ids: list[str]) -> list[dict]:
    seen, out = set(), []
    for key in ids:
        for row in related[table].get(key, []):
            if id(row) not in seen:
                seen.add(id(row))
                out.append(row)
    return out


def _terms(attributes: list[dict], terms: dict) -> tuple[dict[str, set], dict[str, str], list[str]]:
    """(category -> keys, fact -> value, names of every linked term) from attribute rows."""
    found: dict[str, set] = defaultdict(set)
    facts: dict[str, str] = {}
    names: list[str] = []
    for attribute in attributes:
        term = terms.get(attribute.get("taxonomy_term_id", ""))
        if term is None:
            continue
        names.append(term.get("name", ""))
        taxonomy, code = term.get("taxonomy", "").strip(), term.get("code", "").strip()
        if taxonomy in TERM_CATEGORIES and code in vocabulary.CATEGORIES[taxonomy]:
            found[taxonomy].add(code)
        elif taxonomy == FACTS and code:
            facts[code] = attribute.get("value", "")
    return found, facts, names


def _provider(line, sal, services, location, org, site: Site, related, terms, locate, unmapped) -> Iterator:
    found, facts, names = _terms(_linked(related, "attribute", site.every), terms)
    service = services[0]
    if not found["medications"]:
        text = " ".join([*(f"{s.get('name', '')} {s.get('description', '')}" for s in services), *names]).lower()
        found["medications"] = {t.key for t in vocabulary.MEDICATIONS if t.label.lower() in text}
    if not found["medications"]:
        yield Skipped(line, SKIP_NO_MEDICATION)
        return
    _languages(_linked(related, "language", site.here), found, unmapped)
    plans = _cost_options(_linked(related, "cost_option", site.services), found, unmapped)
    errors: list[RowError] = []
    notes: list[Note] = []
    addresses = related["address"].get(location["id"], [])
    address = next((a for a in addresses if a.get("address_type", "").strip() == "physical"),
                   addresses[0] if addresses else None)
    if address is None:
        yield RowError(line, "addresses.csv", f"location {location['id']!r} has no address")
        return
    name2 = " ".join(location.get("name", "").split())
    fields = {"name": " ".join(org.get("name", "").split()), "name2": "" if name2 == org.get("name") else name2,
              "street": " ".join(address.get("address_1", "").split()),
              "street2": " ".join(address.get("address_2", "").split()),
              "city": " ".join(address.get("city", "").split()), "insurance_plans": plans,
              "hours": _hours(_linked(related, "schedule", site.here))}
    for key, column in (("name", "organizations.csv name"), ("city", "addresses.csv city")):
        if not fields[key]:
            errors.append(RowError(line, column, "is required"))
    for key, column, parse in (("state", "state_province", _parse_state), ("zip", "postal_code", parse_zip)):
        try:
            fields[key] = parse(address.get(column, ""))
        except ValueError as exc:
            errors.append(RowError(line, f"addresses.csv {column}", str(exc)))
    for category in TERM_CATEGORIES:
        fields[category] = [k for k in vocabulary.CATEGORIES[category].keys() if k in found[category]]
    for fact in ("accepts_outside_moud", "walk_in", "same_day_start", "demo"):
        try:
            fields["is_demo" if fact == "demo" else fact] = parse_bool(facts.get(fact, ""))
        except ValueError:
            notes.append(Note(line, f"attributes.csv {fact}", f"{facts[fact]!r} is not true or false: dropped"))
    fields["is_demo"] = bool(fields.get("is_demo"))
    _phones(line, _linked(related, "phone", site.every), fields, notes)
    _contact_email(line, _linked(related, "contact", site.every), fields, notes)
    try:
        fields["website"] = parse_website(service.get("url") or org.get("website") or "")
    except ValueError as exc:
        fields["website"] = ""
        notes.append(Note(line, "services.csv url", f"{exc}: dropped"))
    if not errors:
        _place(line, location, facts, fields, errors, locate)
    if errors:
        yield from errors
        return
    yield from notes
    yield ProviderRecord(line, sal["id"], fields)


def _parse_state(text: str) -> str:
    name = " ".join(text.split()).lower()
    return STATE_NAMES[name] if name in STATE_NAMES else parse_state(text)


def _languages(rows: list[dict], found: dict, unmapped: dict) -> None:
    names = {t.label.lower(): t.key for t in vocabulary.LANGUAGES}
    for row in rows:
        code, name = row.get("code", "").strip().lower(), row.get("name", "").strip().lower()
        key = code if len(code) == 2 and code in vocabulary.LANGUAGES else names.get(name)
        if key:
            found["languages"].add(key)
        elif name not in ("english", "") or code not in ("en", "eng", ""):
            label = f"language {row.get('name') or row.get('code')}"
            unmapped[label] = unmapped.get(label, 0) + 1


def _cost_options(rows: list[dict], found: dict, unmapped: dict) -> list[str]:
    labels = {t.label.lower(): t.key for t in vocabulary.PAYMENT} | {t.key: t.key for t in vocabulary.PAYMENT}
    plans = []
    for row in rows:
        option = " ".join(row.get("option", "").split())
        if option.startswith(INSURANCE_PREFIX):
            plans.append(option[len(INSURANCE_PREFIX):].strip())
        elif option.lower() in labels:
            found["payment"].add(labels[option.lower()])
        elif option:
            unmapped[f"cost option {option}"] = unmapped.get(f"cost option {option}", 0) + 1
    return list(dict.fromkeys(p for p in plans if p))  # each service may repeat them


def _phones(line: int, rows: list[dict], fields: dict, notes: list[Note]) -> None:
    fields["phone"] = fields["intake_phone"] = ""
    for row in rows:
        number, extension = row.get("number", "").strip(), row.get("extension", "").strip()
        kind = "intake_phone" if "intake" in row.get("description", "").lower() else "phone"
        if fields[kind] or not number:
            continue
        try:
            fields[kind] = parse_phone(f"{number} x{extension}" if extension else number)
        except ValueError as exc:
            notes.append(Note(line, "phones.csv number", f"{exc}: dropped, the row is kept"))


SERVICE_HOURS = ("Walk-in hours: ", "Dosing hours: ")  # our export's schedules of a medication's service


def _contact_email(line: int, rows: list[dict], fields: dict, notes: list[Note]) -> None:
    """The first contact's email that is an address, for the desk's confirmation emails (only
    when there is one: a re-import without contacts keeps what the desk set)."""
    for row in rows:
        try:
            email = parse_email(row.get("email", ""))
        except ValueError as exc:
            notes.append(Note(line, "contacts.csv email", f"{exc}: dropped"))
            continue
        if email:
            fields["contact_email"] = email
            return


def _hours(rows: list[dict]) -> str:
    """The schedules' descriptions in file order (a row without one is spelt from byday and
    times), leaving out the walk-in and dosing hours our export writes for a medication."""
    parts = []
    for row in rows:
        text = " ".join(row.get("description", "").split())
        if text.startswith(SERVICE_HOURS):
            continue
        if not text and row.get("opens_at") and row.get("closes_at"):
            text = f"{row.get('byday', '')} {row['opens_at'][:5]}-{row['closes_at'][:5]}".strip()
        if text:
            parts.append(text)
    return "; ".join(parts)


def _place(line, location, facts, fields, errors, locate) -> None:
    try:
        lat = parse_coordinate(location.get("latitude", ""), -90.0, 90.0, "latitude")
        lon = parse_coordinate(location.get("longitude", ""), -180.0, 180.0, "longitude")
    except ValueError as exc:
        errors.append(RowError(line, "locations.csv latitude", str(exc)))
        return
    precision = facts.get("geocode_precision", "").strip().lower()
    if lat is None or lon is None:
        found = locate(fields["street"], fields["city"], fields["state"], fields["zip"]) if locate else None
        if found is None:
            errors.append(RowError(line, "locations.csv latitude", "no coordinates, and the ZIP or city "
                                                                   "could not be placed"))
            return
        lat, lon, precision = found
    fields.update(latitude=lat, longitude=lon, geocode_precision=precision if precision in PRECISIONS else "address")
