"""Write the directory as an Open Referral HSDS 3.0 tabular dataset (`export-providers PATH --format hsds`).

PATH becomes a folder of CSV files plus datapackage.json (or a .zip of them when PATH ends in
.zip). Each provider is one organization and one physical location with its address, phones,
schedules (from `hours`) and languages, and one service per medication it offers ("Methadone for
opioid use disorder"), each linked to the location by a service_at_location, with its cost
options (payment, named insurance plans) and every vocabulary term as an attribute pointing at
our taxonomies (see `locator.importers.hsds_files`). Ids are UUIDs derived from the provider's
first source, so exporting twice gives the same ids. Each medication's availability is written,
as text, into its service's wait_time: it is not read back. The mapping is documented in
docs/open-data.md.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import tempfile
import uuid
import zipfile
from pathlib import Path
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from locator import vocabulary
from locator.availability import availability_for
from locator.importers.hsds_files import FACT_TERMS, FACTS, INSURANCE_PREFIX, TABLES, TERM_CATEGORIES, datapackage
from locator.models import Provider
from locator.text_safety import spreadsheet_row

NAMESPACE = uuid.UUID("6f1d8c1e-8f3b-5b7a-9a53-3c1f5e0b2d41")  # fixed: ids stay stable across exports
# The open-data files are written in English (HSDS text fields have no language of their own).
REPORTERS = {"provider": "the provider", "caseworker": "a caseworker", "import": "an imported directory"}
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEGMENT_RE = re.compile(r"^(?P<days>[A-Za-z][A-Za-z ,-]*?)\s+(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})$")


def _id(*parts: object) -> str:
    """uuid.uuid5(NAMESPACE, "a:b:c") as text, without building UUID objects (3x faster)."""
    raw = bytearray(hashlib.sha1(NAMESPACE.bytes + ":".join(map(str, parts)).encode()).digest()[:16])
    raw[6], raw[8] = (raw[6] & 0x0F) | 0x50, (raw[8] & 0x3F) | 0x80  # version 5, RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def write_hsds(session: Session, path) -> int:
    """Write every provider to the folder (or .zip) PATH; return how many were written."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        return write_folder(session, path)
    with tempfile.TemporaryDirectory() as tmp:
        count = write_folder(session, Path(tmp))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in sorted(Path(tmp).iterdir()):
                archive.write(item, item.name)
    return count


def write_folder(session: Session, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    handles = {name: (folder / file).open("w", newline="", encoding="utf-8") for name, (file, _) in TABLES.items()}
    try:
        writers = {name: csv.DictWriter(handles[name], fieldnames=columns, restval="", lineterminator="\n")
                   for name, (_, columns) in TABLES.items()}
        for writer in writers.values():
            writer.writeheader()
        for table, row in taxonomy_rows():
            writers[table].writerow(spreadsheet_row(row))
        count = 0
        providers = session.scalars(select(Provider).options(selectinload(Provider.sources))
                                    .order_by(Provider.id)).unique()
        for provider in providers:
            for table, row in provider_rows(provider):
                writers[table].writerow(spreadsheet_row(row))
            count += 1
    finally:
        for handle in handles.values():
            handle.close()
    (folder / "datapackage.json").write_text(json.dumps(datapackage(), indent=2) + "\n", encoding="utf-8")
    return count


def taxonomy_rows() -> Iterator[tuple[str, dict]]:
    """One taxonomy per vocabulary category (terms: the keys, with their SAMHSA codes), and FACTS."""
    for category in TERM_CATEGORIES:
        cat = vocabulary.CATEGORIES[category]
        yield "taxonomy", {"id": _id("taxonomy", category), "name": category, "version": "1",
                           "description": f"MOUD locator vocabulary: {cat.label}"}
        for term in cat:
            yield "taxonomy_term", {
                "id": _id("term", category, term.key), "code": term.key, "name": term.label, "taxonomy": category,
                "taxonomy_id": _id("taxonomy", category), "language": "en",
                "description": f"{cat.label}: {term.label} (SAMHSA codes: {', '.join(term.codes) or 'none'})"}
    yield "taxonomy", {"id": _id("taxonomy", FACTS), "name": FACTS, "version": "1",
                       "description": "MOUD locator facts about a provider, one value each"}
    for code, description in FACT_TERMS.items():
        yield "taxonomy_term", {"id": _id("term", FACTS, code), "code": code, "name": code, "taxonomy": FACTS,
                                "taxonomy_id": _id("taxonomy", FACTS), "description": description,
                                "language": "en"}


def provider_rows(p: Provider) -> Iterator[tuple[str, dict]]:
    """One organization and one location per provider, and one service per medication it offers
    (each with its own availability and a service_at_location), so that availability per
    medication maps cleanly. Phones, schedules and languages belong to the location; cost options
    and terms to each service."""
    first = min(p.sources, key=lambda s: s.id) if p.sources else None
    key = f"{first.source}:{first.source_id}" if first else f"provider:{p.id}"
    org, loc = _id("organization", key), _id("location", key)
    labels = {c: [vocabulary.CATEGORIES[c].by_key[k].label for k in getattr(p, c)] for c in TERM_CATEGORIES}
    yield "organization", {"id": org, "name": p.name, "website": p.website,
                           "description": f"{p.name}: {', '.join(labels['medications'])} for opioid use disorder."}
    yield "location", {"id": loc, "location_type": "physical", "organization_id": org, "name": p.name2 or p.name,
                       "latitude": f"{p.latitude:.6f}", "longitude": f"{p.longitude:.6f}",
                       "external_identifier": first.source_id if first else str(p.id),
                       "external_identifier_type": first.source if first else "provider id"}
    yield "address", {"id": _id("address", key), "location_id": loc, "address_1": p.street, "address_2": p.street2,
                      "city": p.city, "state_province": p.state, "postal_code": p.zip, "country": "US",
                      "address_type": "physical"}
    for kind, number in (("main", p.phone), ("intake", p.intake_phone)):
        if number:
            digits, _, extension = number.partition(" x")
            yield "phone", {"id": _id("phone", kind, key), "location_id": loc, "number": digits,
                            "extension": extension, "type": "voice",
                            "description": "intake line" if kind == "intake" else "main line"}
    for n, row in enumerate(schedule_rows(p.hours)):
        yield "schedule", {"id": _id("schedule", n, key), "location_id": loc, **row}
    for term in p.languages:
        # Two-letter keys are ISO 639-1 codes; the others ("asl", "native" ...) travel by name.
        yield "language", {"id": _id("language", term, key), "location_id": loc,
                           "name": vocabulary.LANGUAGES.by_key[term].label, "code": term if len(term) == 2 else ""}
    if p.geocode_precision:
        yield _fact("geocode_precision", p.geocode_precision, loc, "location", key)
    for medication in p.medications:
        yield from _service_rows(p, medication, key, org, loc, labels)


def _fact(code: str, value, link: str, entity: str, *key) -> tuple[str, dict]:
    return "attribute", {"id": _id("fact", code, *key), "link_id": link, "link_type": FACTS, "link_entity": entity,
                         "taxonomy_term_id": _id("term", FACTS, code), "value": str(value).lower()}


def _service_rows(p: Provider, medication: str, key: str, org: str, loc: str, labels: dict):
    """The service of one medication: its availability (wait_time), payment and terms."""
    # The first medication's service keeps the id the single service had before (stable ids).
    tag = key if medication == p.medications[0] else f"{key}:{medication}"
    svc = _id("service", tag)
    name = vocabulary.MEDICATIONS.by_key[medication].label
    yield "service", {
        "id": svc, "organization_id": org, "name": f"{name} for opioid use disorder", "url": p.website,
        "status": "active",
        "description": "; ".join([name] + labels["medication_forms"] + labels["settings"]),
        "interpretation_services": ", ".join(labels["languages"]), "wait_time": wait_time(p, medication),
        "fees_description": ", ".join(labels["payment"] + list(p.insurance_plans or [])),
        "eligibility_description": ", ".join(labels["populations"]),
        "alert": "Demonstration data: this provider is fictional." if p.is_demo else "",
        "last_modified": p.updated_at.isoformat(timespec="seconds") if p.updated_at else ""}
    yield "service_at_location", {"id": _id("sal", tag), "service_id": svc, "location_id": loc}
    for term in p.payment:
        yield "cost_option", {"id": _id("cost", term, tag), "service_id": svc, "currency": "USD",
                              "option": vocabulary.PAYMENT.by_key[term].label, "amount": "0" if term == "free" else ""}
    for plan in p.insurance_plans or []:
        yield "cost_option", {"id": _id("plan", plan, tag), "service_id": svc, "option": INSURANCE_PREFIX + plan}
    for category in TERM_CATEGORIES:
        for term in ([medication] if category == "medications" else getattr(p, category)):
            yield "attribute", {"id": _id("attribute", category, term, tag), "link_id": svc, "link_type": category,
                                "link_entity": "service", "taxonomy_term_id": _id("term", category, term)}
    facts = {"accepts_outside_moud": p.accepts_outside_moud, "walk_in": p.walk_in,
             "same_day_start": p.same_day_start, "demo": p.is_demo or None}
    for code, value in facts.items():
        if value is not None:
            yield _fact(code, value, svc, "service", tag)


def wait_time(p: Provider, medication: str | None = None) -> str:
    """The availability for `medication` in words, as the API shows it (the report, with the
    provider's standing walk-in and same-day facts), e.g. "Accepting new patients; wait about 7
    days; about 8 days to a first dose (reported by the provider on 2026-11-20)"; empty without a
    report."""
    r = availability_for(p, medication)
    if r.updated_at is None:
        return ""
    parts = []
    if r.accepting_new_patients is not None:
        parts.append("Accepting new patients" if r.accepting_new_patients else "Not accepting new patients")
    if r.wait_days is not None:
        parts.append(f"wait about {r.wait_days} day{'s' if r.wait_days != 1 else ''}")
    parts += [word for flag, word in ((r.walk_in, "walk-in"), (r.same_day_start, "same-day start")) if flag]
    if r.walk_in and r.walk_in_hours:
        parts.append(f"walk-in hours {r.walk_in_hours}")
    days = r.days_to_first_dose
    if days is not None:
        parts.append("first dose the same day" if days == 0 else
                     f"about {days} day{'s' if days != 1 else ''} to a first dose")
    who = REPORTERS.get(r.reported_by, r.reported_by)
    return f"{'; '.join(parts) or 'No details'} (reported by {who} on {r.updated_at.date().isoformat()})"


def schedule_rows(hours: str) -> list[dict]:
    """Weekly rows (byday, opens_at, closes_at) when every "Days HH:MM-HH:MM" part parses, each with
    its own text as description; otherwise one row whose description is the whole text."""
    hours = " ".join((hours or "").split())
    if not hours:
        return []
    rows = []
    for part in (s.strip() for s in hours.split(";")):
        match = SEGMENT_RE.match(part)
        days = _days(match.group("days")) if match else None
        if not days:
            return [{"description": hours}]
        rows.append({"description": part, "freq": "WEEKLY", "byday": ",".join(days),
                     "opens_at": _time(match.group("opens")), "closes_at": _time(match.group("closes"))})
    return rows


def _days(text: str) -> list[str] | None:
    found: list[int] = []
    for item in (i.strip().lower() for i in text.split(",")):
        ends = [e.strip()[:3] for e in item.split("-")]
        if not 1 <= len(ends) <= 2 or any(e not in DAY_NAMES for e in ends):
            return None
        first, last = DAY_NAMES.index(ends[0]), DAY_NAMES.index(ends[-1])
        found += [(first + n) % 7 for n in range((last - first) % 7 + 1)]
    return [DAY_CODES[d] for d in sorted(set(found))]


def _time(text: str) -> str:
    hour, minute = text.split(":")
    return f"{int(hour):02d}:{minute}:00"
