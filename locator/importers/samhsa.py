"""SAMHSA National Directory (N-SUMHSS / FindTreatment.gov) files: `import-providers PATH --format samhsa`.

Reads the directory's CSV (or CSV.gz) or its published XLSX (`locator.importers.spreadsheet`:
title rows above the header are passed over, row numbers are the sheet's) with the columns
`facility_id, directory_type, name1, name2, street1, street2, city, state, zip, phone, intake1,
intake2, intake1a, intake2a, service_code_info` (latitude/longitude, zip4, county and website
too when present). An .xls is refused with advice: save it as .xlsx or CSV.

- `service_code_info` holds space-separated codes with `*` between groups. Each category of
  the vocabulary maps them (`Category.from_codes`); MOA sets `accepts_outside_moud` (its
  absence means "not known", never "no"). Codes no category maps are counted and listed in
  the report (`UnmappedCodes`), never dropped silently.
- A certified opioid treatment program (`OTP` or `SOTP`) is listed under methadone even without
  a methadone code (methadone for opioid use disorder is given only by certified OTPs), with the
  data note `methadone_by_certification` ("methadone is normally offered; call to confirm").
- Explicit medication codes win over `NMOA`/`NOOP` ("does not use MOUD" / "does not treat OUD"):
  such a row is listed, with the data note `marked_no_moud` keeping the conflict.
- Not listed, and reported as *skipped* (not as errors): facilities marked NOOP or NMOA without
  any medication code, mental-health facilities without substance use treatment, and any
  facility without a buprenorphine, methadone or naltrexone code or an OTP certification.
- A street that is empty or only dashes ("- - -", "---": the directory withholds it) is kept
  empty, with a note: the listing says the address is not published.
- A phone that cannot be read is dropped and the row kept, with a `Note` (real directories
  hold vanity numbers such as 800-555HOPE: letters are read as on a phone keypad first).
- ZIPs that lost their leading zeros in a spreadsheet (4 or 3 digits) are padded back; a
  `name2` that repeats `name1` is left empty.
- Without coordinates a row is placed by `locate` (the offline ZIP centroid, precision
  `zip`, else the city); a row that cannot be placed, or has no name, is a `RowError`.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterator

from locator import vocabulary
from locator.importers.base import (
    Locate,
    Note,
    ProviderRecord,
    RowError,
    Skipped,
    UnmappedCodes,
    parse_coordinate,
    parse_phone,
    parse_state,
    parse_website,
    parse_zip,
)
from locator.importers.providers_csv import MAX_TEXT
from locator.importers.tables import open_rows
from locator.models import WITHHELD_STREET

COLUMNS = ("facility_id", "directory_type", "name1", "name2", "street1", "street2", "city", "state",
           "zip", "zip4", "county", "phone", "intake1", "intake2", "intake1a", "intake2a", "website",
           "latitude", "longitude", "service_code_info")
REQUIRED = ("name1", "street1", "city", "state", "zip", "service_code_info")
INTAKE_COLUMNS = ("intake1", "intake2", "intake1a", "intake2a")
TERM_CATEGORIES = ("medications", "medication_forms", "settings", "payment", "services", "populations",
                   "languages")
# The directory's own flag for substance use treatment (not a vocabulary term: it selects rows).
SUBSTANCE_USE_CODE = "SA"
MENTAL_DIRECTORY = "mental"
MAPPED_CODES = frozenset(
    {code for name in TERM_CATEGORIES for code in vocabulary.CATEGORIES[name].by_code}
    | {vocabulary.ACCEPTS_OUTSIDE_MOUD_CODE, SUBSTANCE_USE_CODE} | vocabulary.NOT_MOUD_CODES)
EXPECTED = (f" (expected the SAMHSA National Directory format: {', '.join(REQUIRED)}, "
            f"and optionally {', '.join(c for c in COLUMNS if c not in REQUIRED)})")
KEYPAD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "22233344455566677778889999")

SKIP_NOT_MOUD = "marked {codes}: does not use medication for, or does not treat, opioid use disorder"
SKIP_MENTAL_ONLY = "mental health facility without substance use treatment"
SKIP_NO_MEDICATION = "no MOUD medication code (buprenorphine, methadone or naltrexone) and no OTP certification"
OTP_CODES = frozenset({"OTP", "SOTP"})  # SAMHSA certification for an opioid treatment program


def read_samhsa(path, locate: Locate | None = None) -> Iterator[ProviderRecord | RowError | Skipped | Note]:
    """Check the file and its header (FileError, nothing yielded), then yield one item per row."""
    rows, _ = open_rows(path, COLUMNS, REQUIRED, expected=EXPECTED)
    return _rows(rows, locate)


def _rows(rows: Iterator[tuple[int, dict] | RowError], locate) -> Iterator:
    unmapped: dict[str, int] = {}
    for item in rows:
        if isinstance(item, (RowError, Note)):
            yield item
            continue
        start, row = item
        yield from parse_row(row, start, locate, unmapped)
    if unmapped:
        yield UnmappedCodes(unmapped)


def medications(codes: set[str]) -> tuple[list[str], list[str]]:
    """The medications a row's codes name, and its data notes: a certified OTP without a
    methadone code is listed under methadone (`methadone_by_certification`)."""
    found = vocabulary.MEDICATIONS.from_codes(codes)
    notes = []
    if codes & OTP_CODES and "methadone" not in found:
        found = vocabulary.MEDICATIONS.from_codes(codes | {"METH"})
        notes.append("methadone_by_certification")
    if found and codes & vocabulary.NOT_MOUD_CODES:
        notes.append("marked_no_moud")
    return found, notes


def skip_reason(directory_type: str, codes: set[str]) -> str | None:
    """Why a facility is not listed as an MOUD provider, or None when it is. Explicit medication
    codes (or an OTP certification) win over NMOA and NOOP."""
    found, _notes = medications(codes)
    if directory_type.strip().lower() == MENTAL_DIRECTORY and SUBSTANCE_USE_CODE not in codes:
        return SKIP_MENTAL_ONLY
    if not found:
        flagged = sorted(codes & vocabulary.NOT_MOUD_CODES)
        return SKIP_NOT_MOUD.format(codes=" and ".join(flagged)) if flagged else SKIP_NO_MEDICATION
    return None


def parse_row(row: dict, line: int, locate: Locate | None, unmapped: dict[str, int]) -> Iterator:
    """Yield a Skipped, or RowErrors, or Notes then the ProviderRecord (counting its unmapped codes)."""
    def text(column):
        return " ".join(row.get(column, "").split())

    name = text("name1")
    if not name:
        yield RowError(line, "name1", "is required (a facility without a name is not a directory row)")
        return
    codes = set(row.get("service_code_info", "").replace("*", " ").upper().split())
    reason = skip_reason(row.get("directory_type", ""), codes)
    if reason:
        yield Skipped(line, reason)
        return
    errors: list[RowError] = []
    notes: list[Note] = []
    name2 = text("name2")
    fields = {"name": name, "name2": "" if name2.lower() == name.lower() else name2,  # a repeated name says nothing
              "street": text("street1"), "street2": text("street2"), "city": text("city"),
              "county": text("county")[:100]}
    for column, key in (("name1", "name"), ("name2", "name2"), ("street1", "street"), ("street2", "street2"),
                        ("city", "city")):
        if len(fields[key]) > MAX_TEXT:
            errors.append(RowError(line, column, f"is longer than {MAX_TEXT} characters"))
    if WITHHELD_STREET.fullmatch(fields["street"]):
        if fields["street"]:
            notes.append(Note(line, "street1", f"{fields['street']!r}: the address is withheld; listed without it"))
        fields["street"] = ""
    if not fields["city"]:
        errors.append(RowError(line, "city", "is required: a row without a usable address cannot be listed"))
    for column, parse in (("state", parse_state), ("zip", _parse_zip)):
        try:
            fields[column] = parse(row.get(column, ""))
        except ValueError as exc:
            errors.append(RowError(line, column, str(exc)))
    fields["phone"] = _phone(row, "phone", line, notes)
    intakes = [_phone(row, column, line, notes) for column in INTAKE_COLUMNS]
    fields["intake_phone"] = next((p for p in intakes if p), "")
    try:
        fields["website"] = parse_website(row.get("website", ""))
    except ValueError as exc:
        fields["website"] = ""
        notes.append(Note(line, "website", f"{exc}: dropped"))
    for category in TERM_CATEGORIES:
        fields[category] = vocabulary.CATEGORIES[category].from_codes(codes)
    fields["medications"], fields["data_notes"] = medications(codes)
    fields.update(accepts_outside_moud=True if vocabulary.ACCEPTS_OUTSIDE_MOUD_CODE in codes else None,
                  walk_in=None, same_day_start=None, insurance_plans=[], hours="", is_demo=False)
    if not errors:
        _place(row, line, fields, errors, locate)
    if errors:
        yield from errors
        return
    for code in codes - MAPPED_CODES:
        unmapped[code] = unmapped.get(code, 0) + 1
    yield from notes
    yield ProviderRecord(line, _source_id(row, fields), fields)


def _parse_zip(text: str) -> str:
    digits = text.strip()
    if re.fullmatch(r"\d{3,4}", digits):  # leading zeros lost in a spreadsheet (New England, PR)
        digits = digits.zfill(5)
    return parse_zip(digits)


def _phone(row: dict, column: str, line: int, notes: list[Note]) -> str:
    raw = row.get(column, "").strip()
    for candidate in (raw, raw.upper().translate(KEYPAD)):
        try:
            return parse_phone(candidate)
        except ValueError:
            continue
    notes.append(Note(line, column, f"{raw!r} is not a 10-digit US phone number: dropped, the row is kept"))
    return ""


def _place(row: dict, line: int, fields: dict, errors: list[RowError], locate: Locate | None) -> None:
    try:
        lat = parse_coordinate(row.get("latitude", ""), -90.0, 90.0, "latitude")
        lon = parse_coordinate(row.get("longitude", ""), -180.0, 180.0, "longitude")
    except ValueError as exc:
        errors.append(RowError(line, "latitude", str(exc)))
        return
    precision = "address"
    if lat is None or lon is None:
        found = locate(fields["street"], fields["city"], fields["state"], fields["zip"]) if locate else None
        if found is None:
            errors.append(RowError(line, "zip", f"cannot be placed: neither ZIP {fields['zip']} nor "
                                                f"{fields['city']}, {fields['state']} is known to the geocoder"))
            return
        lat, lon, precision = found
    fields.update(latitude=lat, longitude=lon, geocode_precision=precision)


def _source_id(row: dict, fields: dict) -> str:
    """The directory's facility_id; files without one get a key from name, street and ZIP."""
    given = row.get("facility_id", "").strip()
    if given:
        return given
    key = "|".join(fields[k].lower() for k in ("name", "street", "zip"))
    return "addr-" + hashlib.sha1(key.encode()).hexdigest()[:16]
