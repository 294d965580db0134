"""Write the directory as an Open Referral HSDS 3.0 tabular dataset (`export-providers PATH --format hsds`).

PATH becomes a folder of CSV files plus datapackage.json (or a .zip of them when PATH ends in
.zip), one file per HSDS table, with the records of locator.hsds_records (the same the HSDS API
serves) and our taxonomies. Exporting twice gives the same ids and the same bytes. Each
medication's availability (wait_time, assured_date, availability attributes) is written but not
read back by the importer. The mapping is documented in docs/open-data.md.
"""

from __future__ import annotations

import csv
import json
import tempfile
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from locator.hsds_records import provider_rows, taxonomy_rows
from locator.importers.hsds_files import EXPORTED_TABLES, datapackage
from locator.models import Provider
from locator.text_safety import spreadsheet_row


def write_hsds(session: Session, path) -> int:
    """Write every provider to the folder (or .zip) PATH; return how many were written."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        return write_folder(session, path)
    with tempfile.TemporaryDirectory() as tmp:
        count = write_folder(session, Path(tmp))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in sorted(Path(tmp).iterdir()):
                archive.write(item, item.name)
    return count


def write_folder(session: Session, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    handles = {name: (folder / file).open("w", newline="", encoding="utf-8") for name, (file, _) in
               EXPORTED_TABLES.items()}
    try:
        writers = {name: csv.DictWriter(handles[name], fieldnames=columns, restval="", lineterminator="\n")
                   for name, (_, columns) in EXPORTED_TABLES.items()}
        for writer in writers.values():
            writer.writeheader()
        for table, row in taxonomy_rows():
            writers[table].writerow(spreadsheet_row(row))
        count = 0
        providers = session.scalars(select(Provider).options(selectinload(Provider.sources))
                                    .order_by(Provider.id)).unique()
        for provider in providers:
            for table, row in provider_rows(provider):
                writers[table].writerow(spreadsheet_row(row))
            count += 1
    finally:
        for handle in handles.values():
            handle.close()
    (folder / "datapackage.json").write_text(json.dumps(datapackage(), indent=2) + "\n", encoding="utf-8")
    return count
