"""The SAMHSA directory read from an .xlsx workbook (locator/importers/spreadsheet.py), on small
fictional workbooks built here with openpyxl."""

import re
import zipfile
from datetime import date, datetime, time

import openpyxl
import pytest
from sqlalchemy import func, select

from locator.importers import FileError, import_file
from locator.importers import spreadsheet as spreadsheet_module
from locator.importers.base import Note, ProviderRecord, RowError, Skipped, UnmappedCodes
from locator.importers.samhsa import read_samhsa
from locator.importers.spreadsheet import cell_text
from locator.models import Provider
from tests.importers.test_samhsa import HEADER, ROWS, by_source_id, facility, write


def table(rows, header=HEADER):
    """The header and the rows as sheet rows, empty values as empty cells."""
    return [list(header), *[[row.get(column) or None for column in header] for row in rows]]


def write_xlsx(path, sheet_rows, *, sheets=None):
    """A workbook whose first sheet holds `sheet_rows`, or the sheets {title: rows} in order."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in (sheets or {"Facilities": sheet_rows}).items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def described(items):
    """What a reader yielded, as comparable tuples."""
    out = []
    for item in items:
        if isinstance(item, ProviderRecord):
            out.append(("record", item.line, item.source_id, item.fields))
        elif isinstance(item, RowError):
            out.append(("error", item.line, item.column, item.reason))
        elif isinstance(item, (Skipped, Note, UnmappedCodes)):
            out.append(("entry", item))
        else:
            raise AssertionError(f"unexpected item {item!r}")
    return out


@pytest.fixture
def locate(app):
    return app.extensions["locator.geocoder"].place_provider


def test_an_xlsx_yields_exactly_what_the_same_rows_as_csv_yield(tmp_path, locate):
    from_csv = described(read_samhsa(write(tmp_path / "dir.csv", ROWS), locate))
    from_xlsx = described(read_samhsa(write_xlsx(tmp_path / "dir.xlsx", table(ROWS)), locate))
    assert from_xlsx == from_csv
    assert sum(1 for item in from_xlsx if item[0] == "record") == 5


def test_an_xlsx_imports_the_same_providers_and_counts_as_the_csv(session, tmp_path, locate):
    report = import_file(session, write_xlsx(tmp_path / "dir.xlsx", table(ROWS)), "samhsa", locate=locate)
    assert report.summary() == "added 5, updated 0, unchanged 0, rejected 2, skipped 3"
    assert report.rejected_lines == [10, 11] and report.unmapped_codes == {"CBT": 1, "SMPD": 1}
    p = by_source_id(session, "substance_1")
    assert (p.name2, p.zip, p.phone, p.intake_phone) == ("Main Campus", "19104", "215-555-0100", "215-555-0101")
    assert p.medications == ["buprenorphine", "naltrexone"]


def test_it_reads_zip_codes_and_phones_stored_as_numbers(session, tmp_path, locate):
    rows = table([facility("boston", "SA * OP * BU * MD", city="Boston", state="MA"),
                  facility("philly", "SA * OP * BU * MD")])
    rows[1][HEADER.index("zip")] = 2134         # the leading zero lost, as Excel does
    rows[1][HEADER.index("phone")] = 6175550100
    rows[2][HEADER.index("zip")] = 19104.0      # a whole-number float (openpyxl writes it as 19104)
    report = import_file(session, write_xlsx(tmp_path / "numbers.xlsx", rows), "samhsa", locate=locate)
    assert report.added == 2 and report.rejected == []
    assert (by_source_id(session, "boston").zip, by_source_id(session, "boston").phone) == ("02134", "617-555-0100")
    assert by_source_id(session, "philly").zip == "19104"


def test_it_finds_the_header_below_title_rows_and_numbers_rows_as_excel_does(session, tmp_path, locate):
    above = [["National Directory of Drug and Alcohol Use Treatment Facilities 2024"], ["Fictional edition"], []]
    sheet = [*above, *table(ROWS)]
    sheet.insert(len(above) + 3, [None, "  "])  # a blank row among the data (row 6) is passed over
    report = import_file(session, write_xlsx(tmp_path / "titled.xlsx", sheet), "samhsa", locate=locate)
    assert report.added == 5
    # The CSV's lines 2-11 are rows 5-14 of the sheet, after the blank row 6: the CSV's line N is row N + 4.
    assert {s.line for s in report.skipped} == {8, 10, 11}
    assert report.rejected_lines == [14, 15]
    assert [(n.line, n.column) for n in report.notes] == [(13, "phone")]


def test_it_reads_the_first_sheet_that_holds_the_directory(session, tmp_path, locate):
    path = write_xlsx(tmp_path / "two_sheets.xlsx", None, sheets={
        "About": [["About this file"], ["Fictional facilities for a test"]],
        "Facilities": table([facility("substance_1", "SA * OP * BU * MD")]),
    })
    report = import_file(session, path, "samhsa", locate=locate)
    assert report.added == 1 and by_source_id(session, "substance_1").city == "Philadelphia"


def test_the_cli_imports_an_xlsx_as_it_imports_the_csv(app, runner, session, tmp_path):
    path = write_xlsx(tmp_path / "directory.xlsx", table(ROWS))
    result = runner.invoke(args=["import-providers", str(path), "--format", "samhsa"])
    assert result.exit_code == 0, result.output
    assert "directory.xlsx: added 5, updated 0, unchanged 0, rejected 2, skipped 3" in result.output
    assert "rejected line 10: zip:" in result.output and "skipped 1: marked NOOP" in result.output
    assert by_source_id(session, "substance_5").zip == "02134"


def test_a_wrong_header_exits_2_names_the_format_and_writes_nothing(app, runner, session, tmp_path):
    path = write_xlsx(tmp_path / "wrong.xlsx", [["A title row"], ["facility_id", "title"], ["x", "y"]])
    result = runner.invoke(args=["import-providers", str(path), "--format", "samhsa"])
    assert result.exit_code == 2
    assert "wrong header" in result.output and "SAMHSA National Directory format" in result.output
    assert "unknown column(s) title" in result.output  # the header row was found under the title
    assert session.scalar(select(func.count()).select_from(Provider)) == 0


def test_a_header_cell_without_a_name_is_a_wrong_header(tmp_path):
    header = [*HEADER[:3], None, *HEADER[3:]]
    with pytest.raises(FileError, match="column D has no name"):
        read_samhsa(write_xlsx(tmp_path / "gap.xlsx", [header]))


def test_an_empty_workbook_says_it_has_no_header(tmp_path):
    with pytest.raises(FileError, match="the file is empty; expected a header row"):
        read_samhsa(write_xlsx(tmp_path / "empty.xlsx", []))


@pytest.mark.parametrize(("name", "content", "message"), [
    ("truncated.xlsx", b"PK\x03\x04", "is not a readable .xlsx workbook"),
    ("renamed.xlsx", ",".join(HEADER).encode() + b"\n", "not a zip archive); if it is CSV, name it .csv"),
    ("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "old Excel (.xls) or a password-protected"),
    ("directory.xlsb", b"PK\x03\x04", "only .xlsx workbooks are read, not .xlsb"),
])
def test_a_file_that_is_not_an_xlsx_workbook_is_a_file_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileError, match=re.escape(message)):
        read_samhsa(path)


def test_a_zip_that_is_not_a_workbook_is_a_file_error(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(FileError, match=r"is not a readable \.xlsx workbook"):
        read_samhsa(path)


def test_a_missing_workbook_is_a_file_error(tmp_path):
    with pytest.raises(FileError, match="no such file"):
        read_samhsa(tmp_path / "missing.xlsx")


def test_bad_rows_are_reported_with_their_sheet_row_numbers_and_good_rows_kept(session, tmp_path, locate):
    rows = table([facility("good_1", "SA * OP * BU * MD"),                       # row 2
                  facility("extra", "SA * OP * BU * MD"),                        # row 3
                  facility("bad_state", "SA * OP * BU * MD", state="Pennsylvania"),  # row 4
                  facility("good_2", "SA * OP * BU * MD")])                      # row 5
    rows[2] += [None, "a stray note"]  # a value two columns right of the header
    rows[4] += [None, "   "]           # blank cells right of the header are no error
    report = import_file(session, write_xlsx(tmp_path / "bad.xlsx", rows), "samhsa", locate=locate)
    assert report.added == 2 and by_source_id(session, "good_1") and by_source_id(session, "good_2")
    assert report.rejected_lines == [3, 4]
    reasons = {e.line: (e.column, e.reason) for e in report.rejected}
    assert reasons[3] == ("*", f"has a value in column {openpyxl.utils.get_column_letter(len(HEADER) + 2)}, "
                               f"right of the header's {len(HEADER)} columns")
    assert reasons[4][0] == "state"


def test_the_workbook_is_closed_after_reading_and_after_a_wrong_header(tmp_path, monkeypatch, locate):
    opened = []
    real_load = spreadsheet_module.openpyxl.load_workbook

    def spy(*args, **kwargs):
        book = real_load(*args, **kwargs)
        book.closed = False
        real_close = book.close

        def close():
            book.closed = True
            real_close()

        book.close = close
        opened.append(book)
        return book

    monkeypatch.setattr(spreadsheet_module.openpyxl, "load_workbook", spy)
    items = read_samhsa(write_xlsx(tmp_path / "dir.xlsx", table(ROWS[:2])), locate)
    assert not opened[0].closed  # open while rows are read
    assert [type(item) for item in items] == [ProviderRecord, ProviderRecord, UnmappedCodes]
    assert opened[0].closed
    with pytest.raises(FileError):
        read_samhsa(write_xlsx(tmp_path / "wrong.xlsx", [["facility_id", "title"]]))
    assert opened[1].closed
    unfinished = read_samhsa(write_xlsx(tmp_path / "again.xlsx", table(ROWS[:2])), locate)
    next(unfinished)
    unfinished.close()
    assert opened[2].closed


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), ("  Main Campus ", "  Main Campus "), (2134, "2134"), (19104.0, "19104"), (39.95, "39.95"),
    (-75.1652, "-75.1652"), (True, "TRUE"), (False, "FALSE"), (datetime(2024, 5, 1), "2024-05-01"),
    (datetime(2024, 5, 1, 8, 30), "2024-05-01T08:30:00"), (date(2024, 5, 1), "2024-05-01"), (time(8, 30), "08:30:00"),
])
def test_cells_become_the_text_a_csv_export_holds(value, text):
    assert cell_text(value) == text
