"""HSDS 3.0 objects as the HSDS API serves them, nested from the same records the tabular
export writes (locator.hsds_records), so the two always agree.

Shapes, after the specification's compiled schemas: `service_object` (a `service_list` item, or
with `full` a fully nested `service`), `organization_object` (`organization_list`, or with `full`
the nested `organization`, its services minimal or, with `full_service`, full),
`service_at_location_object` (`service_at_location_list`, or with `full` a nested
`service_at_location`, which also carries its service's `name` and `status`: the
specification's OpenAPI declares the `service` schema for that endpoint). Empty values are left
out (HSDS types allow no null), numbers are numbers.
"""

from __future__ import annotations

from collections import defaultdict

from locator.hsds_ids import record_id
from locator.hsds_records import location_rows, organization_row, provider_rows, service_rows, taxonomy_rows
from locator.models import Provider

NUMBERS = {"latitude", "longitude"}
WHOLE_NUMBERS = {"amount", "extension"}
# An address the directory withholds (no street) is still an address: its required fields stay, empty.
REQUIRED_TEXT = {"address_1", "city", "state_province", "postal_code", "country"}


def _clean(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        if value is None or (value == "" and key not in REQUIRED_TEXT):
            continue
        out[key] = float(value) if key in NUMBERS else int(value) if key in WHOLE_NUMBERS else value
    return out


class Records:
    """A provider's HSDS rows (all of them, for nested objects), by table and by what they belong to."""

    def __init__(self, provider: Provider):
        self.by_table: dict[str, list[dict]] = defaultdict(list)
        for table, row in provider_rows(provider):
            self.by_table[table].append(_clean(row))
        self.services = {row["id"]: row for row in self.by_table["service"]}

    def linked(self, table: str, key: str, value: str) -> list[dict]:
        return [row for row in self.by_table[table] if row.get(key) == value]

    @property
    def organization(self) -> dict:
        return self.by_table["organization"][0]

    def location(self, full: bool) -> dict:
        location = dict(self.by_table["location"][0])
        if full:
            loc = location["id"]
            location.update(addresses=self.linked("address", "location_id", loc),
                            phones=self.linked("phone", "location_id", loc),
                            schedules=self.linked("schedule", "location_id", loc),
                            languages=self.linked("language", "location_id", loc),
                            attributes=self.linked("attribute", "link_id", loc))
        return location


def _minimal(service: dict) -> dict:
    return {key: service[key] for key in ("id", "name", "status")}


def _service_row(provider: Provider, medication: str) -> dict:
    """Just the service row (the first of service_rows): what a list needs, without the rest."""
    return _clean(next(service_rows(provider, medication))[1])


def service_object(provider: Provider, medication: str, full: bool = False, records: Records | None = None) -> dict:
    if not full:
        return dict(_service_row(provider, medication), organization=_clean(organization_row(provider)))
    records = records or Records(provider)
    svc = record_id("service", provider.id, medication)
    loc = record_id("location", provider.id)
    sal = records.linked("service_at_location", "service_id", svc)[0]
    return dict(records.services[svc], organization=records.organization,
                schedules=records.linked("schedule", "service_id", svc),
                service_at_locations=[dict(sal, location=records.location(full=True))],
                languages=records.linked("language", "location_id", loc),
                cost_options=records.linked("cost_option", "service_id", svc),
                attributes=records.linked("attribute", "link_id", svc),
                phones=records.linked("phone", "location_id", loc))


def organization_object(provider: Provider, full: bool = False, full_service: bool = False) -> dict:
    if not (full or full_service):
        return _clean(organization_row(provider))
    records = Records(provider)
    loc = record_id("location", provider.id)
    return dict(records.organization,
                services=[service_object(provider, m, True, records) if full_service
                          else _minimal(records.services[record_id("service", provider.id, m)])
                          for m in provider.medications],
                locations=[records.location(full=True)], phones=records.linked("phone", "location_id", loc))


def service_at_location_object(provider: Provider, medication: str, full: bool = False) -> dict:
    svc = record_id("service", provider.id, medication)
    service = _service_row(provider, medication)
    sal = {"id": record_id("service_at_location", provider.id, medication), "service_id": svc,
           "location_id": record_id("location", provider.id), "service": _minimal(service)}
    if not full:
        return dict(sal, location=_clean(next(location_rows(provider))[1]))
    return dict(sal, location=Records(provider).location(full=True), name=service["name"], status=service["status"])


def taxonomies() -> list[dict]:
    return [_clean(row) for table, row in taxonomy_rows() if table == "taxonomy"]


def taxonomy_terms() -> list[dict]:
    return [_clean(row) for table, row in taxonomy_rows() if table == "taxonomy_term"]
