"""Plain-dict views of providers and search results: the API's JSON shape (guide, section 4).

Reasons are data here (`reason_details`); the web layer adds them worded in the reader's
language (`reasons`), since the core words nothing.
"""

from __future__ import annotations

from locator.availability import Availability, availability_by_medication
from locator.desk_models import VERIFIED_FACTS
from locator.models import Provider
from locator.ranking import best_of
from locator.verification import Verified


def provider_dict(provider: Provider, availability: Availability | None = None,
                  verified: dict[str, Verified] | None = None) -> dict:
    """`availability` is the one a search ranked it by (for the medication asked for, or its
    best); without one, its best. `availability_by_medication` has each medication it offers.
    `verified`: the newest confirmation of each fact (locator.verification.verified), dated in
    `verified` and said by whom in `verified_by` (null: never confirmed)."""
    verified = verified or {}
    by_medication = availability_by_medication(provider)
    availability = availability or best_of(provider, by_medication)
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
        "counseling_required_to_start": provider.counseling_required_to_start,
        "hours": provider.hours, "dosing_hours": provider.dosing_hours,
        "demo": provider.is_demo, "data_notes": provider.data_notes or [],
        "availability": availability.to_dict(),
        "availability_by_medication": {medication: a.to_dict()
                                       for medication, a in by_medication.items()},
        "verified": {fact: verified[fact].at.date().isoformat() if fact in verified else None
                     for fact in VERIFIED_FACTS},
        "verified_by": {fact: verified[fact].kind if fact in verified else None for fact in VERIFIED_FACTS},
        "phone_not_working_since": provider.phone_bad_at.date().isoformat() if provider.phone_bad_at else None,
        "closed_since": provider.closed_at.date().isoformat() if provider.closed_at else None,
    }


def result_dict(result, reasons: list[str], verified: dict[str, Verified] | None = None) -> dict:
    """A search result: the provider, its distance and score, its reasons worded (`reasons`,
    in the order of `result.reasons`) and as data (`reason_details`)."""
    data = provider_dict(result.provider, result.availability, verified)
    data.update(distance_miles=result.distance_miles, distance_precision=result.distance_precision,
                score=result.score, reasons=reasons,
                reason_details=[reason.to_dict() for reason in result.reasons])
    return data
