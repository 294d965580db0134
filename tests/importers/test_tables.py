"""The project's own formats read from Excel too (locator/importers/tables.py): a providers list
or a waitlist sheet kept in a spreadsheet imports as its CSV export would."""

from datetime import datetime

import pytest

from locator.importers import FileError, import_file
from locator.importers.availability_csv import import_availability
from locator.importers.providers_csv import COLUMNS, read_providers_csv
from locator.models import Provider
from tests.csvfiles import row, write_csv
from tests.factories import make_provider
from tests.importers.test_spreadsheet import write_xlsx


def records(items):
    return [(i.line, i.source_id, i.fields) if hasattr(i, "fields") else (i.line, i.column, i.reason) for i in items]


def test_a_providers_workbook_reads_as_its_csv(tmp_path):
    rows = [row(1), row(2, zip="45403", wait_days="12"), row(3, wait_days="x")]
    sheet = [list(COLUMNS), *[[r.get(c) or None for c in COLUMNS] for r in rows]]
    sheet[2][COLUMNS.index("zip")] = 45403  # numbers, as a spreadsheet keeps them
    sheet[2][COLUMNS.index("wait_days")] = 12.0
    from_csv = records(read_providers_csv(write_csv(tmp_path / "p.csv", rows)))
    from_xlsx = records(read_providers_csv(write_xlsx(tmp_path / "p.xlsx", sheet)))
    assert from_xlsx == from_csv
    assert [r[0] for r in from_xlsx] == [2, 3, 4] and from_xlsx[2][1] == "wait_days"
    assert from_xlsx[1][2]["zip"] == "45403"


def test_a_providers_workbook_imports_through_the_cli(runner, tmp_path):
    sheet = [list(COLUMNS), *[[r.get(c) or None for c in COLUMNS] for r in (row(1), row(2))]]
    result = runner.invoke(args=["import-providers", str(write_xlsx(tmp_path / "p.xlsx", sheet))])
    assert result.exit_code == 0, result.output
    assert "added 2" in result.output


def test_a_waitlist_workbook_adds_reports_with_dates_as_excel_keeps_them(session, tmp_path):
    provider = make_provider(session)
    header = ["provider_id", "accepting_new_patients", "wait_days", "reported_at", "reported_by"]
    sheet = [header, [provider.id, "yes", 4, datetime(2026, 11, 2, 9, 30), "caseworker"],
             [provider.id, "maybe", None, datetime(2026, 11, 3), "caseworker"]]
    report = import_availability(session, write_xlsx(tmp_path / "waits.xlsx", sheet))
    assert report.added == 1 and [(e.line, e.column) for e in report.rejected] == [(3, "accepting_new_patients")]
    session.expire_all()
    current = session.get(Provider, provider.id).current_report
    assert (current.wait_days, current.reported_at.isoformat()) == (4, "2026-11-02T09:30:00+00:00")


def test_a_waitlist_workbook_without_provider_columns_is_refused(session, tmp_path):
    sheet = [["accepting_new_patients", "reported_at"], ["yes", "2026-11-02"]]
    with pytest.raises(FileError, match="needs a provider_id column"):
        import_availability(session, write_xlsx(tmp_path / "waits.xlsx", sheet))


def test_an_old_excel_file_names_what_to_do_for_every_format(app, session, tmp_path):
    path = tmp_path / "providers.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    with pytest.raises(FileError, match=r"save the sheet as \.xlsx or as CSV"):
        import_file(session, path, "csv", "x")
