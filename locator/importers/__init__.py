"""Importers: read a directory file in one of the known formats and write it in one transaction.

`import_file()` is the one entry point (the CLI and tests call it): the file is checked before
anything is written, every bad row is reported with its line, and either every good row is
written or, if anything fails part-way, nothing is.
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

from locator.importers.base import FileError, ImportReport, Locate, RowError
from locator.importers.hsds import read_hsds
from locator.importers.providers_csv import read_providers_csv
from locator.importers.samhsa import read_samhsa
from locator.importers.writer import upsert_records

READERS: dict[str, Callable] = {"csv": read_providers_csv, "samhsa": read_samhsa, "hsds": read_hsds}

__all__ = ["READERS", "FileError", "ImportReport", "RowError", "import_file"]


def import_file(session: Session, path, fmt: str = "csv", source: str | None = None,
                locate: Locate | None = None, progress: Callable | None = None) -> ImportReport:
    """Import `path`; raise FileError (nothing written) when the file cannot be read."""
    if fmt not in READERS:
        raise FileError(f"unknown format {fmt!r}; known: {', '.join(READERS)}")
    items = READERS[fmt](path, locate=locate)
    if progress is not None:
        items = progress(items)
    source = source or fmt
    try:
        report = upsert_records(session, items, source)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report
