"""Small providers.csv files written by tests."""

from __future__ import annotations

import csv

from locator.importers.providers_csv import COLUMNS

GOOD_ROW = {
    "source_id": "x-1", "name": "Demo Test Clinic", "street": "1 Demo Street", "city": "Dayton",
    "state": "OH", "zip": "45402", "latitude": "39.7589", "longitude": "-84.1916",
    "geocode_precision": "address", "phone": "937-555-0100", "website": "https://example.org/x",
    "medications": "buprenorphine;naltrexone", "settings": "outpatient", "payment": "medicaid;private",
    "languages": "es", "services": "peer_support", "walk_in": "yes", "accepting_new_patients": "yes",
    "wait_days": "3", "availability_reported_at": "2026-11-01", "availability_reported_by": "provider",
    "demo": "yes",
}


def row(n: int, **overrides) -> dict:
    values = dict(GOOD_ROW, source_id=f"x-{n}", name=f"Demo Test Clinic {n}")
    values.update(overrides)
    return values


def write_csv(path, rows, columns=COLUMNS):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for values in rows:
            writer.writerow(values)
    return path
