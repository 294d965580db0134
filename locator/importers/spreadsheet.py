"""Excel workbooks (.xlsx) read as the CSV importers read their files, with openpyxl.

`open_xlsx(path, columns, required)` gives what `open_csv` + `csv_rows` give: the header's names
(checked by `check_header`, so a wrong header raises the same FileError) and an iterator of
`(row number, row as a dict)` or `RowError`, where the row number is the one Excel shows.

- The sheet is the first worksheet whose first rows hold a header with every required column
  (title rows above the header are passed over); without one, the first worksheet's likeliest
  row is checked, so the error names what is missing.
- Cells become the text a CSV export holds: empty -> "", 2134 or 19104.0 -> "2134", "19104"
  (ZIPs and phones stored as numbers), dates -> ISO 8601, TRUE/FALSE for booleans.
- Blank rows are passed over; short rows are padded; a value right of the header is a RowError.
- Not a workbook (an .xls, a renamed CSV, a broken file) is a FileError. The workbook, which a
  read-only workbook keeps open, is closed when the rows are exhausted or the iterator closed.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Iterator

import openpyxl
from openpyxl.utils import get_column_letter

from locator.importers.base import FileError, RowError, check_header

XLSX_SUFFIXES = (".xlsx", ".xlsm")
OTHER_SPREADSHEET_SUFFIXES = (".xls", ".xlsb", ".ods")
HEADER_SEARCH_ROWS = 10


def is_spreadsheet(path) -> bool:
    """Whether `path` is named as a spreadsheet: read it with `open_xlsx`, not as CSV."""
    return Path(path).suffix.lower() in XLSX_SUFFIXES + OTHER_SPREADSHEET_SUFFIXES


def open_xlsx(path, columns, required, expected: str = "") -> tuple[Iterator, list[str]]:
    """The rows below a checked header, and the header's names; FileError when the file is not a
    readable workbook or has no right header (`expected` is added to a header error)."""
    workbook = _load(Path(path))
    try:
        rows, header = _find_header(workbook, columns, required)
        if header and "" in header:
            raise FileError(f"{path}: wrong header: column {get_column_letter(header.index('') + 1)} has no name")
        check_header(header, columns, required, path)
    except FileError as exc:
        workbook.close()
        raise FileError(f"{exc}{expected}") from None
    except Exception as exc:
        workbook.close()
        raise FileError(f"{path}: cannot read the workbook ({exc})") from None
    names = [h.strip() for h in header]
    items = _sheet_rows(workbook, rows, names, path)
    next(items)  # started: from here on, closing the iterator closes the workbook
    return items, names


def cell_text(value) -> str:
    """A cell's value as the text a CSV export of the sheet holds."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time() and value.tzinfo is None:
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _load(path: Path):
    suffix = path.suffix.lower()
    if not path.is_file():
        raise FileError(f"{path}: no such file")
    if suffix in OTHER_SPREADSHEET_SUFFIXES:
        raise FileError(f"{path}: only .xlsx workbooks are read, not {suffix}; save the sheet as .xlsx or as "
                        "CSV (UTF-8)")
    with path.open("rb") as handle:
        start = handle.read(8)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(f"{path}: is an old Excel (.xls) or a password-protected workbook, not an .xlsx; "
                        "save it (without a password) as .xlsx or as CSV (UTF-8)")
    if not start.startswith(b"PK"):
        raise FileError(f"{path}: is not an .xlsx workbook (not a zip archive); if it is CSV, name it .csv")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: the file is broken
        raise FileError(f"{path}: is not a readable .xlsx workbook ({exc.__class__.__name__}: {exc})") from None


def _find_header(workbook, columns, required) -> tuple[Iterator, list[str] | None]:
    """(the rows below the header, the header) of the first sheet with every required column,
    else of the first sheet's row with most known columns (or its first non-blank row)."""
    fallback = None
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # some writers record a wrong size, which would cut rows off
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        best, best_known = None, 0
        for number, values in rows:
            header = _trimmed([cell_text(v).strip() for v in values])
            if header and all(c in header for c in required):
                return rows, header
            known = len(header) if columns is None else sum(c in columns for c in header)
            if header and (best is None or known > best_known):
                best, best_known = header, known
            if number >= HEADER_SEARCH_ROWS:
                break
        if fallback is None:
            fallback = (iter(()), best)
    return fallback or (iter(()), None)


def _sheet_rows(workbook, rows, names, path) -> Iterator[tuple[int, dict] | RowError | None]:
    try:
        yield None
        for number, values in rows:
            texts = _trimmed([cell_text(v) for v in values])
            if not any(t.strip() for t in texts):
                continue
            if len(texts) > len(names):
                yield RowError(number, "*", f"has a value in column {get_column_letter(len(texts))}, right of "
                                            f"the header's {len(names)} columns")
                continue
            texts += [""] * (len(names) - len(texts))
            yield number, dict(zip(names, texts, strict=True))
    except Exception as exc:  # a sheet broken part-way: nothing is written
        raise FileError(f"{path}: cannot read the workbook ({exc.__class__.__name__}: {exc})") from None
    finally:
        workbook.close()


def _trimmed(texts: list[str]) -> list[str]:
    while texts and not texts[-1].strip():
        texts.pop()
    return texts
