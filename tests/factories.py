"""Test data built in code: providers with sensible defaults and availability reports."""

from __future__ import annotations

import itertools

from locator.availability import add_report, days_ago
from locator.models import Provider, ProviderSource

_ids = itertools.count(1)

# Philadelphia, PA (ZIP 19104), the reference point of most search tests.
PHILLY = (39.9597, -75.2024)
MILE_LAT = 1 / 69.05  # degrees of latitude in one mile


def make_provider(session, *, miles_north: float = 0.0, report: dict | None = None, **fields) -> Provider:
    """A buprenorphine outpatient clinic in Philadelphia, `miles_north` of ZIP 19104's centre."""
    n = next(_ids)
    values = dict(
        name=f"Test Clinic {n}", city="Philadelphia", state="PA", zip="19104",
        street=f"{n} Test Street", latitude=PHILLY[0] + miles_north * MILE_LAT, longitude=PHILLY[1],
        geocode_precision="address", phone="215-555-0100", medications=["buprenorphine"],
        settings=["outpatient"], payment=["medicaid"])
    values.update(fields)
    provider = Provider(**values)
    provider.sources.append(ProviderSource(source="test", source_id=f"t-{n}"))
    session.add(provider)
    session.flush()
    if report is not None:
        report = dict(report)
        age = report.pop("age_days", 1)
        report.setdefault("reporter_kind", "provider")
        add_report(session, provider.id, reported_at=days_ago(age), **report)
    session.commit()
    return provider
