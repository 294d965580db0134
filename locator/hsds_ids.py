"""Ids of our HSDS 3.0 records, the same in the tabular export and the HSDS API.

An organization, a location, a service (one per medication) and a service_at_location are
named by a UUID that can be read back: `4d6f7564-EEEE-8MMM-8000-PPPPPPPPPPPP` (an RFC 9562
version-8 UUID) holds the kind of record (E), the medication's place in the vocabulary (M, 0
for none) and the provider's id (P), so `/api/hsds/services/{id}` finds its provider without
a table of ids. Child records (phones, schedules, attributes ...) and the taxonomies have
name-based UUIDs (version 5) that stay the same as long as what they name does.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from locator import vocabulary

NAMESPACE = uuid.UUID("6f1d8c1e-8f3b-5b7a-9a53-3c1f5e0b2d41")  # fixed: ids stay stable across exports
ENTITIES = ("organization", "location", "service", "service_at_location")
MEDICATIONS = vocabulary.MEDICATIONS.keys()
_RECORD = re.compile(r"^4d6f7564-(?P<entity>[0-9a-f]{4})-8(?P<medication>[0-9a-f]{3})-8000-(?P<provider>[0-9a-f]{12})$")


def name_id(*parts: object) -> str:
    """uuid.uuid5(NAMESPACE, "a:b:c") as text."""
    raw = bytearray(hashlib.sha1(NAMESPACE.bytes + ":".join(map(str, parts)).encode()).digest()[:16])
    raw[6], raw[8] = (raw[6] & 0x0F) | 0x50, (raw[8] & 0x3F) | 0x80  # version 5, RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def record_id(entity: str, provider_id: int, medication: str | None = None) -> str:
    """The id of a provider's organization, location, or service and service_at_location of a medication."""
    number = MEDICATIONS.index(medication) + 1 if medication else 0
    return f"4d6f7564-{ENTITIES.index(entity) + 1:04x}-8{number:03x}-8000-{provider_id:012x}"


def read_record_id(text: str, entity: str) -> tuple[int, str | None] | None:
    """(provider id, medication) of an id of that kind of record, or None for any other text."""
    match = _RECORD.match((text or "").strip().lower())
    if not match or int(match["entity"], 16) != ENTITIES.index(entity) + 1:
        return None
    number = int(match["medication"], 16)
    if number > len(MEDICATIONS) or (entity in ("service", "service_at_location")) != (number > 0):
        return None
    return int(match["provider"], 16), MEDICATIONS[number - 1] if number else None


def taxonomy_id(name: str) -> str:
    return name_id("taxonomy", name)


def term_id(taxonomy: str, code: str) -> str:
    return name_id("term", taxonomy, code)
