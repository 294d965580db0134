"""Our directory as Open Referral HSDS 3.0 records: one mapping, written as tables by the
tabular export (locator.exporters.hsds) and nested by the HSDS API (locator.hsds_objects).

Each provider is one organization and one physical location (its address, phones, opening
hours and languages), and one service per medication it offers ("Methadone for opioid use
disorder") linked to the location by a service_at_location. A service carries its cost options
(payment, named insurance plans), every vocabulary term as an attribute pointing at our
taxonomies (its own medication only, of the medications), the provider's facts, and its
medication's availability: `assured_date` (when it was last confirmed), `wait_time` (in words)
and one attribute per fact of the AVAILABILITY taxonomy (days to a first dose ...); walk-in
hours and, for methadone, dosing hours are schedules of the service. Ids: locator.hsds_ids.
The open-data files are in English (HSDS text fields have no language of their own).
"""

from __future__ import annotations

from typing import Iterator

from locator import vocabulary
from locator.availability import availability_for
from locator.hsds_ids import name_id, record_id, taxonomy_id, term_id
from locator.hsds_schedules import schedule_rows
from locator.importers.hsds_files import (
    AVAILABILITY,
    AVAILABILITY_TERMS,
    FACT_TERMS,
    FACTS,
    INSURANCE_PREFIX,
    TERM_CATEGORIES,
)
from locator.models import Provider

REPORTERS = {"provider": "the provider", "caseworker": "a caseworker", "import": "an imported directory"}
DEMO_ALERT = "Demonstration data: this provider is fictional."


def taxonomy_rows() -> Iterator[tuple[str, dict]]:
    """One taxonomy per vocabulary category (terms: the keys, with their SAMHSA codes), FACTS and
    AVAILABILITY."""
    for category in TERM_CATEGORIES:
        cat = vocabulary.CATEGORIES[category]
        yield "taxonomy", {"id": taxonomy_id(category), "name": category, "version": "1",
                           "description": f"MOUD locator vocabulary: {cat.label}"}
        for term in cat:
            yield "taxonomy_term", {
                "id": term_id(category, term.key), "code": term.key, "name": term.label, "taxonomy": category,
                "taxonomy_id": taxonomy_id(category), "language": "en",
                "description": f"{cat.label}: {term.label} (SAMHSA codes: {', '.join(term.codes) or 'none'})"}
    for name, terms, about in ((FACTS, FACT_TERMS, "MOUD locator facts about a provider, one value each"),
                               (AVAILABILITY, AVAILABILITY_TERMS, "MOUD locator availability of a service, "
                                                                  "one value each")):
        yield "taxonomy", {"id": taxonomy_id(name), "name": name, "version": "1", "description": about}
        for code, description in terms.items():
            yield "taxonomy_term", {"id": term_id(name, code), "code": code, "name": code, "taxonomy": name,
                                    "taxonomy_id": taxonomy_id(name), "description": description, "language": "en"}


def provider_rows(p: Provider) -> Iterator[tuple[str, dict]]:
    """Every HSDS row of one provider, as (table, row)."""
    yield "organization", organization_row(p)
    yield from location_rows(p)
    for medication in p.medications:
        yield from service_rows(p, medication)


def _labels(p: Provider) -> dict[str, list[str]]:
    return {c: [vocabulary.CATEGORIES[c].by_key[k].label for k in getattr(p, c)] for c in TERM_CATEGORIES}


def organization_row(p: Provider) -> dict:
    names = ", ".join(vocabulary.MEDICATIONS.by_key[k].label for k in p.medications)
    return {"id": record_id("organization", p.id), "name": p.name, "website": p.website,
            "description": f"{p.name}: {names} for opioid use disorder."}


def location_rows(p: Provider) -> Iterator[tuple[str, dict]]:
    """The location, its address, phones, opening hours, languages and how it was placed."""
    first = min(p.sources, key=lambda s: s.id) if p.sources else None
    key = f"provider:{p.id}"
    loc = record_id("location", p.id)
    yield "location", {"id": loc, "location_type": "physical", "organization_id": record_id("organization", p.id),
                       "name": p.name2 or p.name, "latitude": f"{p.latitude:.6f}", "longitude": f"{p.longitude:.6f}",
                       "external_identifier": first.source_id if first else str(p.id),
                       "external_identifier_type": first.source if first else "provider id"}
    yield "address", {"id": name_id("address", key), "location_id": loc, "address_1": p.street,
                      "address_2": p.street2, "city": p.city, "state_province": p.state, "postal_code": p.zip,
                      "country": "US", "address_type": "physical"}
    for kind, number in (("main", p.phone), ("intake", p.intake_phone)):
        if number:
            digits, _, extension = number.partition(" x")
            yield "phone", {"id": name_id("phone", kind, key), "location_id": loc, "number": digits,
                            "extension": extension, "type": "voice",
                            "description": "intake line" if kind == "intake" else "main line"}
    for n, row in enumerate(schedule_rows(p.hours)):
        yield "schedule", {"id": name_id("schedule", n, key), "location_id": loc, **row}
    for term in p.languages:
        # Two-letter keys are ISO 639-1 codes; the others ("asl", "native" ...) travel by name.
        yield "language", {"id": name_id("language", term, key), "location_id": loc,
                           "name": vocabulary.LANGUAGES.by_key[term].label, "code": term if len(term) == 2 else ""}
    if p.geocode_precision:
        yield _attribute(FACTS, "geocode_precision", p.geocode_precision, loc, "location", key)


def _attribute(taxonomy: str, code: str, value, link: str, entity: str, *key) -> tuple[str, dict]:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return "attribute", {"id": name_id("fact", taxonomy, code, *key), "link_id": link, "link_type": taxonomy,
                         "link_entity": entity, "taxonomy_term_id": term_id(taxonomy, code), "value": text}


def service_rows(p: Provider, medication: str) -> Iterator[tuple[str, dict]]:
    """The service of one medication (first), then its service_at_location, costs, terms, facts,
    availability and schedules."""
    tag = f"provider:{p.id}:{medication}"
    labels = _labels(p)
    svc, loc = record_id("service", p.id, medication), record_id("location", p.id)
    name = vocabulary.MEDICATIONS.by_key[medication].label
    available = availability_for(p, medication)
    yield "service", {
        "id": svc, "organization_id": record_id("organization", p.id), "name": f"{name} for opioid use disorder",
        "url": p.website, "status": "inactive" if p.closed_at else "active",
        "description": "; ".join([name] + labels["medication_forms"] + labels["settings"]),
        "interpretation_services": ", ".join(labels["languages"]), "wait_time": wait_time(p, medication),
        "fees_description": ", ".join(labels["payment"] + list(p.insurance_plans or [])),
        "eligibility_description": ", ".join(labels["populations"]),
        "assured_date": available.updated_at.date().isoformat() if available.updated_at else "",
        "alert": DEMO_ALERT if p.is_demo else "",
        "last_modified": p.updated_at.isoformat(timespec="seconds") if p.updated_at else ""}
    yield "service_at_location", {"id": record_id("service_at_location", p.id, medication), "service_id": svc,
                                  "location_id": loc}
    for term in p.payment:
        yield "cost_option", {"id": name_id("cost", term, tag), "service_id": svc, "currency": "USD",
                              "option": vocabulary.PAYMENT.by_key[term].label, "amount": "0" if term == "free" else ""}
    for plan in p.insurance_plans or []:
        yield "cost_option", {"id": name_id("plan", plan, tag), "service_id": svc, "option": INSURANCE_PREFIX + plan}
    for category in TERM_CATEGORIES:
        for term in ([medication] if category == "medications" else getattr(p, category)):
            yield "attribute", {"id": name_id("attribute", category, term, tag), "link_id": svc,
                                "link_type": category, "link_entity": "service",
                                "taxonomy_term_id": term_id(category, term)}
    facts = {"accepts_outside_moud": p.accepts_outside_moud, "walk_in": p.walk_in,
             "same_day_start": p.same_day_start, "counseling_required_to_start": p.counseling_required_to_start,
             "demo": p.is_demo or None}
    for code, value in facts.items():
        if value is not None:
            yield _attribute(FACTS, code, value, svc, "service", tag)
    if available.updated_at is not None:
        said = {"accepting_new_patients": available.accepting_new_patients,
                "days_to_first_dose": available.days_to_first_dose, "wait_days": available.wait_days,
                "walk_in": available.walk_in, "walk_in_hours": available.walk_in_hours or None,
                "same_day_start": available.same_day_start,
                "first_dose_at_first_visit": available.first_dose_at_first_visit,
                "reported_by": available.reported_by, "freshness": available.freshness.key}
        for code, value in said.items():
            if value is not None:
                yield _attribute(AVAILABILITY, code, value, svc, "service", tag)
    hours = [("walk-in", available.walk_in_hours if available.walk_in else "")]
    if medication == "methadone":
        hours.append(("dosing", p.dosing_hours))
    for kind, text in hours:
        for n, row in enumerate(schedule_rows(text)):
            yield "schedule", {"id": name_id("schedule", kind, n, tag), "service_id": svc,
                               **row, "description": f"{kind.capitalize()} hours: {row['description']}"}


def wait_time(p: Provider, medication: str | None = None) -> str:
    """The availability for `medication` in words, e.g. "Accepting new patients; wait about 7 days;
    about 8 days to a first dose (reported by the provider on 2026-11-20)"; empty without a report."""
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
