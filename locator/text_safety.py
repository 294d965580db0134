"""Text that crosses a boundary: characters that hide or reorder what a person reads, and cells
that a spreadsheet would run as a formula.

- Invisible and direction characters (zero-width spaces and joiners, direction marks, embeddings,
  overrides and isolates, the byte-order mark) make "call 215-555-0100" display reversed or
  split words so they escape a check. Report notes refuse them (`has_invisible`); importers
  remove them from every cell and say so (`without_invisible`).
- A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is run by a spreadsheet
  as a formula (a `=HYPERLINK(...)` in a note becomes a link that leaks the sheet). Every CSV
  the project writes passes its cells through `spreadsheet_cell`, which prefixes such a value
  with an apostrophe, the OWASP practice: the spreadsheet shows it as text. A plain number
  ("-75.16") is not a formula and is left as it is. Every importer reads cells back through
  `from_spreadsheet_cell`, so a value written and read again is unchanged.
- A filter's text from a query string (`one_line`) loses control and format characters
  (PostgreSQL refuses a NUL in a text, and none belongs in a search) and runs of spaces.
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def one_line(text: str, limit: int) -> str:
    """`text` without control or format characters, its spaces collapsed, cut at `limit`."""
    kept = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:limit]


def has_invisible(text: str) -> bool:
    return INVISIBLE.search(text) is not None


def without_invisible(text: str) -> str:
    return INVISIBLE.sub("", text)


def _runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet could take the text as a formula: it starts with a formula
    character (after any apostrophes a previous quoting left), and is not a plain number."""
    body = text.lstrip("'")
    return body.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(body)


def spreadsheet_cell(value):
    """A value as a CSV or XLSX cell: text a spreadsheet would run gets a leading apostrophe."""
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value


def from_spreadsheet_cell(text: str) -> str:
    """The value `spreadsheet_cell` wrote: one leading apostrophe taken off where it added one."""
    if text.startswith("'") and _runs_as_formula(text[1:]):
        return text[1:]
    return text


def spreadsheet_row(row: dict) -> dict:
    """Every cell of a CSV row through `spreadsheet_cell`."""
    return {column: spreadsheet_cell(value) for column, value in row.items()}
