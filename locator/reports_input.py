"""Validation of an availability report sent to the API or the form. Plain Python, no Flask.

The body is a JSON object:
    {"accepting_new_patients": bool, "wait_days": 0..365 or null, "walk_in": bool or null,
     "same_day_start": bool or null, "medication": a medication key or null (all),
     "first_dose_at_first_visit": bool or null, "walk_in_hours": string of up to 100 characters,
     "counseling_required_to_start": bool or null, "note": string of up to 280 characters}
`accepting_new_patients` is required; the others may be left out or null ("not said"), so a
client written before `medication` and the fields after it works as before. Types
are strict: a boolean must be a JSON true/false (not "yes", not 1), `wait_days` a whole number
(not a boolean, not 3.0). Unknown keys are refused. `validate_report()` returns the keyword
arguments of `availability.add_report` or raises `ReportInvalid` with one `Problem` per field
(worded by the web layer). `parse_json_body()` reads the raw bytes strictly: UTF-8, no NaN, no
repeated key.
"""

from __future__ import annotations

import json
import unicodedata

from locator import vocabulary
from locator.availability import HOURS_MAX, MAX_WAIT_DAYS, NOTE_MAX
from locator.search_query import Problem
from locator.text_safety import has_invisible

FIELDS = ("medication", "accepting_new_patients", "wait_days", "walk_in", "same_day_start",
          "first_dose_at_first_visit", "walk_in_hours", "counseling_required_to_start", "note")
REQUIRED = ("accepting_new_patients",)
BOOLEANS = ("accepting_new_patients", "walk_in", "same_day_start", "first_dose_at_first_visit",
            "counseling_required_to_start")


class ReportInvalid(ValueError):
    """The body is not a valid report; `errors` maps each field ("body" for the whole) to its
    Problem. codes: not_utf8, too_deep, not_json (line, column), not_json_constant (value),
    repeated_key (key), not_object, unknown_field
    (known), required, not_boolean, not_whole_days, out_of_range (low, high), not_text,
    control_characters, invisible_characters, too_long (limit), unknown_value (value, category)."""

    def __init__(self, errors: dict[str, Problem]):
        super().__init__("; ".join(f"{k}: {v.code}" for k, v in errors.items()))
        self.errors = errors

    @property
    def field(self) -> str:
        return next(iter(self.errors))


class _Refused(ValueError):
    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


def _no_constants(name: str):
    raise _Refused(Problem("not_json_constant", {"value": name}))


def _unique_keys(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(Problem("repeated_key", {"key": str(key)[:40]}))
        result[key] = value
    return result


def parse_json_body(raw: bytes) -> object:
    """Decode a request body as strict JSON, or raise ReportInvalid naming the body."""
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_no_constants, object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        raise ReportInvalid({"body": Problem("not_utf8")}) from None
    except RecursionError:
        raise ReportInvalid({"body": Problem("too_deep")}) from None
    except _Refused as exc:
        raise ReportInvalid({"body": exc.problem}) from None
    except json.JSONDecodeError as exc:
        raise ReportInvalid({"body": Problem("not_json", {"line": exc.lineno, "column": exc.colno})}) from None


def note_problem(note: str, limit: int = NOTE_MAX) -> Problem | None:
    """What keeps a (white-space collapsed) note, or walk-in hours, from being stored, or None.
    Control characters would break PostgreSQL (NUL) or the page."""
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in note):
        return Problem("control_characters")
    if has_invisible(note):  # a phone number in it could be shown reversed
        return Problem("invisible_characters")
    if len(note) > limit:
        return Problem("too_long", {"limit": limit})
    return None


IMPORT_REASONS = {"control_characters": "contains control characters",
                  "invisible_characters": "contains invisible or text-direction characters",
                  "too_long": "is longer than {limit} characters"}


def clean_note(value: str, limit: int = NOTE_MAX) -> str:
    """A note (or walk-in hours) from an imported file: white space collapsed, or ValueError
    saying (in English, for the operator's import report) why it cannot be kept."""
    note = " ".join(value.split())
    problem = note_problem(note, limit)
    if problem is not None:
        raise ValueError(IMPORT_REASONS[problem.code].format(limit=limit))
    return note


def clean_hours(value: str) -> str:
    return clean_note(value, HOURS_MAX)


def clean_medication(value: str) -> str | None:
    """A medication key from an imported file (empty: all), or ValueError."""
    key = value.strip().lower()
    if key and key not in vocabulary.MEDICATIONS:
        raise ValueError(f"{key!r} is not one of {', '.join(vocabulary.MEDICATIONS.keys())} (or empty for all)")
    return key or None


def unknown_fields(data: object, fields: tuple[str, ...]) -> dict[str, Problem]:
    """One `unknown_field` Problem per key of the body that is not in `fields` (ReportInvalid
    when the body is not a JSON object at all)."""
    if not isinstance(data, dict):
        raise ReportInvalid({"body": Problem("not_object")})
    return {str(key)[:40]: Problem("unknown_field", {"known": ", ".join(fields)}) for key in data if key not in fields}


def read_text(data: dict, key: str, limit: int, errors: dict[str, Problem]) -> str:
    """The text field `key` with its white space collapsed ("" when left out), or "" with its
    Problem added to `errors`."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[key] = Problem("not_text")
        return ""
    text = " ".join(value.split())
    problem = note_problem(text, limit)
    if problem:
        errors[key] = problem
    return text


def validate_report(data: object) -> dict:
    """Check a decoded body; return add_report's keyword arguments or raise ReportInvalid."""
    errors = unknown_fields(data, FIELDS)
    for key in REQUIRED:
        if data.get(key) is None:
            errors[key] = Problem("required")
    values: dict = {}
    for key in BOOLEANS:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            errors.setdefault(key, Problem("not_boolean"))
        values[key] = value if isinstance(value, bool) else None
    wait = data.get("wait_days")
    if wait is not None:
        if isinstance(wait, bool) or not isinstance(wait, int):
            errors["wait_days"] = Problem("not_whole_days")
        elif not 0 <= wait <= MAX_WAIT_DAYS:
            errors["wait_days"] = Problem("out_of_range", {"low": 0, "high": MAX_WAIT_DAYS})
    values["wait_days"] = wait if "wait_days" not in errors else None
    medication = data.get("medication")
    if medication is not None and (not isinstance(medication, str) or medication not in vocabulary.MEDICATIONS):
        errors["medication"] = Problem("unknown_value", {"value": str(medication)[:40], "category": "medications"})
    values["medication"] = medication if "medication" not in errors else None
    for key, limit in (("walk_in_hours", HOURS_MAX), ("note", NOTE_MAX)):
        values[key] = read_text(data, key, limit, errors)
    if errors:
        raise ReportInvalid(errors)
    return values
