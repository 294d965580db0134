"""Validation of an availability report sent to the API or the form. Plain Python, no Flask.

The body is a JSON object:
    {"accepting_new_patients": bool, "wait_days": 0..365 or null, "walk_in": bool or null,
     "same_day_start": bool or null, "note": string of up to 280 characters}
`accepting_new_patients` is required; the others may be left out or null ("not said"). Types
are strict: a boolean must be a JSON true/false (not "yes", not 1), `wait_days` a whole number
(not a boolean, not 3.0). Unknown keys are refused. `validate_report()` returns the keyword
arguments of `availability.add_report` or raises `ReportInvalid` with one message per field.
`parse_json_body()` reads the raw bytes strictly: UTF-8, no NaN, no repeated key.
"""

from __future__ import annotations

import json
import unicodedata

from locator.availability import MAX_WAIT_DAYS, NOTE_MAX

FIELDS = ("accepting_new_patients", "wait_days", "walk_in", "same_day_start", "note")
REQUIRED = ("accepting_new_patients",)
BOOLEANS = ("accepting_new_patients", "walk_in", "same_day_start")


class ReportInvalid(ValueError):
    """The body is not a valid report; `errors` maps each field ("body" for the whole) to why."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    @property
    def field(self) -> str:
        return next(iter(self.errors))


def _no_constants(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def _unique_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} is repeated")
        result[key] = value
    return result


def parse_json_body(raw: bytes) -> object:
    """Decode a request body as strict JSON, or raise ReportInvalid naming the body."""
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_no_constants, object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        raise ReportInvalid({"body": "is not UTF-8 text"}) from None
    except RecursionError:
        raise ReportInvalid({"body": "is nested too deeply"}) from None
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise ReportInvalid({"body": f"is not valid JSON ({exc})"}) from None


def clean_note(value: str) -> str:
    """Collapse white space; refuse control characters (a NUL would break PostgreSQL)."""
    note = " ".join(value.split())
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in note):
        raise ValueError("contains control characters")
    if len(note) > NOTE_MAX:
        raise ValueError(f"is longer than {NOTE_MAX} characters")
    return note


def validate_report(data: object) -> dict:
    """Check a decoded body; return add_report's keyword arguments or raise ReportInvalid."""
    if not isinstance(data, dict):
        raise ReportInvalid({"body": "must be a JSON object with the report's fields"})
    errors: dict[str, str] = {}
    for key in data:
        if key not in FIELDS:
            errors[str(key)[:40]] = f"is not a known field; known: {', '.join(FIELDS)}"
    for key in REQUIRED:
        if data.get(key) is None:
            errors[key] = "is required"
    values: dict = {}
    for key in BOOLEANS:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            errors.setdefault(key, "must be true or false")
        values[key] = value if isinstance(value, bool) else None
    wait = data.get("wait_days")
    if wait is not None:
        if isinstance(wait, bool) or not isinstance(wait, int):
            errors["wait_days"] = "must be a whole number of days or null"
        elif not 0 <= wait <= MAX_WAIT_DAYS:
            errors["wait_days"] = f"must be between 0 and {MAX_WAIT_DAYS}"
    values["wait_days"] = wait if "wait_days" not in errors else None
    note = data.get("note")
    values["note"] = ""
    if note is not None:
        if not isinstance(note, str):
            errors["note"] = "must be text"
        else:
            try:
                values["note"] = clean_note(note)
            except ValueError as exc:
                errors["note"] = str(exc)
    if errors:
        raise ReportInvalid(errors)
    return values
