"""Tabular files every importer reads: CSV (UTF-8, optionally gzipped) or an Excel workbook.

`open_rows(path, columns, required)` checks the file and its header (a `FileError`, before any
row, when either is wrong) and gives an iterator of `(line, row as a dict)` per data row, or a
`RowError` for a row that cannot be read, with the header's names; blank rows are passed over.
A `.xlsx` is read with openpyxl (`locator.importers.spreadsheet`): its lines are the sheet's row
numbers. `parsed_rows` turns those rows into records with a parse function, keeping every error
with its line.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Iterator

from locator.importers.base import FileError, Note, ReportEntry, RowError, check_header
from locator.importers.spreadsheet import is_spreadsheet, open_xlsx
from locator.text_safety import from_spreadsheet_cell, has_invisible, without_invisible

INVISIBLE_REMOVED = "invisible or text-direction characters removed"


def open_rows(path, columns, required, expected: str = "") -> tuple[Iterator, list]:
    """The data rows of a CSV or XLSX file below a checked header, and the header's names
    (`expected` is added to a header error, to name the format that was expected). Each cell is
    cleaned (`clean_cells`): a Note says where something was removed."""
    if is_spreadsheet(path):
        rows, names = open_xlsx(path, columns, required, expected=expected)
    else:
        reader, names = open_csv(path, columns, required, expected=expected)
        rows = csv_rows(reader, names)
    return clean_cells(rows), names


def clean_cells(rows) -> Iterator:
    """Each row with every cell as it was before a spreadsheet-safe export (the apostrophe the
    exporters add taken off) and without invisible or direction characters: a Note for each
    cell they were removed from, then the row. Errors pass through."""
    for item in rows:
        if isinstance(item, (RowError, ReportEntry)):
            yield item
            continue
        line, row = item
        for column, value in row.items():
            value = from_spreadsheet_cell(value)
            if has_invisible(value):
                value = without_invisible(value)
                yield Note(line, column, INVISIBLE_REMOVED)
            row[column] = value
        yield line, row


def open_text(path: Path) -> io.TextIOBase:
    """Open a UTF-8 (optionally gzipped) text file, or raise FileError."""
    path = Path(path)
    if not path.is_file():
        raise FileError(f"{path}: no such file")
    try:
        raw = gzip.open(path, "rb").read() if path.suffix == ".gz" else path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, EOFError) as exc:
        raise FileError(f"{path}: cannot be read ({exc})") from None
    except UnicodeDecodeError as exc:
        raise FileError(f"{path}: is not UTF-8 text (byte {exc.start})") from None
    return io.StringIO(text, newline="")


def open_csv(path, columns, required, expected: str = "") -> tuple:
    """A csv reader past a checked header, and the header's names; FileError when the file or
    its header is not right (`expected` is added to a header error). Shared by every CSV importer."""
    reader = csv.reader(open_text(path))
    try:
        header = next(reader, None)
        check_header(header, columns, required, path)
    except csv.Error as exc:
        raise FileError(f"{path}: cannot parse the header ({exc}){expected}") from None
    except FileError as exc:
        raise FileError(f"{exc}{expected}") from None
    return reader, [h.strip() for h in header]


def csv_rows(reader, names: list[str]) -> Iterator[tuple[int, dict] | RowError]:
    """(first line, row as a dict) per data row, or a RowError for a row that cannot be read
    or has the wrong number of fields; blank lines are passed over. Shared by every CSV importer."""
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            yield RowError(start, "*", f"cannot parse the row ({exc})")
            continue
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            yield RowError(start, "*", f"has {len(values)} fields, the header has {len(names)}")
            continue
        yield start, dict(zip(names, values, strict=True))


def parsed_rows(rows, parse) -> Iterator:
    """Each row's record, or every RowError that `parse(row, line, errors)` collected for it;
    the notes of the rows pass through."""
    for item in rows:
        if isinstance(item, (RowError, ReportEntry)):
            yield item
            continue
        start, row = item
        errors: list[RowError] = []
        record = parse(row, start, errors)
        yield from errors if errors else [record]


def field_reader(row: dict, line: int, errors: list[RowError]):
    """`field(column, parse, *args)` for one row: the column's value through `parse`, or None
    with a RowError for the line and column kept in `errors`. Shared by the row parsers."""
    def field(column, parse, *args):
        try:
            return parse(row.get(column, ""), *args)
        except ValueError as exc:
            errors.append(RowError(line, column, str(exc)))
            return None
    return field
