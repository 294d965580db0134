"""Write providers in the providers.csv format, so an export re-imports with nothing lost.

Each provider is written with its first source id (or "provider-<id>"), its terms as
vocabulary keys separated by ";" and its current availability report for all medications; each
current report naming one medication follows on a row of its own that repeats the provider's
columns (docs/providers-csv.md). A cell a spreadsheet
would run as a formula is written as text (`locator.text_safety`); the importer reads it back
unchanged. A listing's contact email for the desk (PRIVATE_COLUMNS) is never written.
"""

from __future__ import annotations

import csv
from typing import Iterable, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.importers.providers_csv import COLUMNS, LIST_SEPARATOR, PRIVATE_COLUMNS, TERM_COLUMNS
from locator.models import Provider
from locator.ranking import MEDICATION_ORDER
from locator.text_safety import spreadsheet_row

EXPORTED = [column for column in COLUMNS if column not in PRIVATE_COLUMNS]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def provider_rows(provider: Provider) -> list[dict[str, str]]:
    """The provider's rows: one per current report (for all, then by medication), at least one."""
    source_id = provider.sources[0].source_id if provider.sources else f"provider-{provider.id}"
    row = {
        "source_id": source_id, "name": provider.name, "name2": provider.name2,
        "street": provider.street, "street2": provider.street2, "city": provider.city,
        "state": provider.state, "zip": provider.zip, "latitude": f"{provider.latitude:.6f}",
        "longitude": f"{provider.longitude:.6f}", "geocode_precision": provider.geocode_precision,
        "phone": provider.phone, "intake_phone": provider.intake_phone, "website": provider.website,
        "insurance_plans": LIST_SEPARATOR.join(provider.insurance_plans or []),
        "walk_in": _yes_no(provider.walk_in), "same_day_start": _yes_no(provider.same_day_start),
        "accepts_outside_moud": _yes_no(provider.accepts_outside_moud),
        "counseling_required_to_start": _yes_no(provider.counseling_required_to_start),
        "hours": provider.hours, "dosing_hours": provider.dosing_hours, "demo": _yes_no(provider.is_demo),
        "county": provider.county,
    }
    for column in TERM_COLUMNS:
        row[column] = LIST_SEPARATOR.join(getattr(provider, column))
    reports = [provider.current_report] if provider.current_report is not None else []
    reports += [m.report for m in sorted(provider.medication_reports, key=lambda m: MEDICATION_ORDER[m.medication])]
    rows = [dict(row, **_report_columns(report)) for report in reports] or [row]
    return [{column: r.get(column, "") for column in EXPORTED} for r in rows]


def _report_columns(report) -> dict[str, str]:
    return {"availability_medication": report.medication or "",
            "accepting_new_patients": _yes_no(report.accepting_new_patients),
            "wait_days": "" if report.wait_days is None else str(report.wait_days),
            "first_dose_at_first_visit": _yes_no(report.first_dose_at_first_visit),
            "walk_in_hours": report.walk_in_hours, "availability_note": report.note,
            "availability_reported_at": report.reported_at.isoformat(timespec="seconds"),
            "availability_reported_by": report.reporter_kind}


def write_rows(providers: Iterable[Provider], handle: TextIO) -> int:
    writer = csv.DictWriter(handle, fieldnames=EXPORTED, lineterminator="\n")
    writer.writeheader()
    count = 0
    for provider in providers:
        for row in provider_rows(provider):
            writer.writerow(spreadsheet_row(row))
        count += 1
    return count


def write_providers_csv(session: Session, handle: TextIO) -> int:
    providers = session.scalars(select(Provider).order_by(Provider.id)).unique()
    return write_rows(providers, handle)
