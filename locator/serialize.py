"""Plain-dict views of providers and search results: the API's JSON shape (guide, section 4)."""

from __future__ import annotations

from locator.availability import utcnow
from locator.models import Provider
from locator.ranking import Availability, make_availability


def current_availability(provider: Provider, now=None) -> Availability:
    report = provider.current_report
    return make_availability(
        report.accepting_new_patients if report else None, report.wait_days if report else None,
        report.walk_in if report else None, report.same_day_start if report else None,
        report.reported_at if report else None, report.reporter_kind if report else None,
        provider.walk_in, provider.same_day_start, now or utcnow())


def provider_dict(provider: Provider, availability: Availability | None = None) -> dict:
    availability = availability or current_availability(provider)
    return {
        "id": provider.id, "name": provider.name, "name2": provider.name2,
        "address": {"street": provider.street, "street2": provider.street2, "city": provider.city,
                    "state": provider.state, "zip": provider.zip},
        "phone": provider.phone, "intake_phone": provider.intake_phone, "website": provider.website,
        "latitude": provider.latitude, "longitude": provider.longitude,
        "geocode_precision": provider.geocode_precision,
        "medications": provider.medications, "medication_forms": provider.medication_forms,
        "settings": provider.settings, "payment": provider.payment,
        "insurance_plans": provider.insurance_plans or [], "services": provider.services,
        "languages": provider.languages, "populations": provider.populations,
        "telehealth": provider.telehealth, "accepts_outside_moud": provider.accepts_outside_moud,
        "hours": provider.hours, "demo": provider.is_demo,
        "availability": availability.to_dict(),
    }


def result_dict(result) -> dict:
    data = provider_dict(result.provider, result.availability)
    data.update(distance_miles=result.distance_miles, score=result.score, reasons=result.reasons)
    return data
