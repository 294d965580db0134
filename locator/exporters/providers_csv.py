"""Write providers in the providers.csv format, so an export re-imports with nothing lost.

Each provider is written with its first source id (or "provider-<id>"), its terms as
vocabulary keys separated by ";" and its current availability report. A cell a spreadsheet
would run as a formula is written as text (`locator.text_safety`); the importer reads it back
unchanged.
"""

from __future__ import annotations

import csv
from typing import Iterable, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.importers.providers_csv import COLUMNS, LIST_SEPARATOR, TERM_COLUMNS
from locator.models import Provider
from locator.text_safety import spreadsheet_row


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def provider_row(provider: Provider) -> dict[str, str]:
    source_id = provider.sources[0].source_id if provider.sources else f"provider-{provider.id}"
    row = {
        "source_id": source_id, "name": provider.name, "name2": provider.name2,
        "street": provider.street, "street2": provider.street2, "city": provider.city,
        "state": provider.state, "zip": provider.zip, "latitude": f"{provider.latitude:.6f}",
        "longitude": f"{provider.longitude:.6f}", "geocode_precision": provider.geocode_precision,
        "phone": provider.phone, "intake_phone": provider.intake_phone, "website": provider.website,
        "insurance_plans": LIST_SEPARATOR.join(provider.insurance_plans or []),
        "walk_in": _yes_no(provider.walk_in), "same_day_start": _yes_no(provider.same_day_start),
        "accepts_outside_moud": _yes_no(provider.accepts_outside_moud), "hours": provider.hours,
        "demo": _yes_no(provider.is_demo),
    }
    for column in TERM_COLUMNS:
        row[column] = LIST_SEPARATOR.join(getattr(provider, column))
    report = provider.current_report
    if report is not None:
        row.update(accepting_new_patients=_yes_no(report.accepting_new_patients),
                   wait_days="" if report.wait_days is None else str(report.wait_days),
                   availability_note=report.note,
                   availability_reported_at=report.reported_at.isoformat(timespec="seconds"),
                   availability_reported_by=report.reporter_kind)
    return {column: row.get(column, "") for column in COLUMNS}


def write_rows(providers: Iterable[Provider], handle: TextIO) -> int:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for provider in providers:
        writer.writerow(spreadsheet_row(provider_row(provider)))
        count += 1
    return count


def write_providers_csv(session: Session, handle: TextIO) -> int:
    providers = session.scalars(select(Provider).order_by(Provider.id)).unique()
    return write_rows(providers, handle)
