"""Is it the same site? Normalised keys that two directories' records of one place share.

Two keys per record: (street, ZIP, phone digits) and (name, street, ZIP). Normalising removes
case, punctuation and the usual spelling variants of street words, so "1200 N. Main Street,
Suite 4" and "1200 North Main St Ste 4" agree. `listing_key` is the key two rows of one source
share when they are one listing (same name, street and ZIP, the street possibly withheld), and
`merged_fields` what that listing keeps of both.
"""

from __future__ import annotations

import re

WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr",
    "lane": "ln", "court": "ct", "place": "pl", "parkway": "pkwy", "highway": "hwy", "suite": "ste",
    "north": "n", "south": "s", "east": "e", "west": "w", "building": "bldg", "floor": "fl",
    "center": "ctr", "centre": "ctr", "saint": "st", "mount": "mt", "fort": "ft", "and": "&",
    "incorporated": "inc", "company": "co", "the": "",
}


def normal(text: str) -> str:
    words = re.sub(r"[^a-z0-9&]+", " ", (text or "").lower()).split()
    return " ".join(w for w in (WORDS.get(w, w) for w in words) if w)


def site_keys(name: str, street: str, zip_code: str, phone: str) -> list[tuple]:
    street_n, zip5 = normal(street), (zip_code or "")[:5]
    if not street_n or not zip5:
        return []
    keys = []
    digits = re.sub(r"\D", "", (phone or "").split(" x")[0])[-10:]
    if len(digits) == 10:
        keys.append(("phone", street_n, zip5, digits))
    name_n = normal(name)
    if name_n:
        keys.append(("name", name_n, street_n, zip5))
    return keys


def listing_key(name: str, street: str, zip_code: str) -> tuple | None:
    """One listing's key within a source, or None when the row cannot be told apart from others
    by it (a name of only punctuation, no street: a withheld address says nothing of the site)."""
    name_n, street_n, zip5 = normal(name), normal(street), (zip_code or "")[:5]
    return (name_n, street_n, zip5) if name_n and street_n and zip5 else None


def same_address(street_a: str, zip_a: str, street_b: str, zip_b: str) -> bool:
    return normal(street_a) == normal(street_b) and (zip_a or "")[:5] == (zip_b or "")[:5]


def merged_fields(kept: dict, other: dict) -> dict:
    """The fields of one listing read from two rows: lists joined (terms, plans, notes), and a
    value the first row left empty taken from the second."""
    out = dict(kept)
    for key, value in other.items():
        mine = out.get(key)
        if isinstance(mine, list) and isinstance(value, list):
            out[key] = mine + [v for v in value if v not in mine]
        elif mine in (None, "") and value not in (None, ""):
            out[key] = value
    return out
