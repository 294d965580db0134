"""The availability CSV importer: row-level errors, a strict header, one transaction, idempotence."""

import gzip
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from locator.importers.availability_csv import import_availability, read_availability_csv
from locator.importers.base import FileError
from locator.models import AvailabilityReport, Provider, utcnow
from tests.factories import make_provider

HEADER = "provider_id,source,source_id,accepting_new_patients,wait_days,walk_in,same_day_start,note,reported_at," \
         "reported_by\n"


def write(tmp_path, text, name="reports.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(AvailabilityReport))


def current(session, provider_id):
    session.expire_all()
    return session.get(Provider, provider_id).current_report


def test_it_adds_reports_by_provider_id_or_by_source_and_source_id(session, tmp_path):
    first, second = make_provider(session), make_provider(session)
    source_id = second.sources[0].source_id
    path = write(tmp_path, HEADER
                 + f"{first.id},,,yes,5,no,yes,about 5 days,2026-01-10T09:00:00Z,caseworker\n"
                 + f",test,{source_id},no,,,,,2026-01-11,\n")
    report = import_availability(session, path)
    assert (report.added, report.unchanged, report.rejected) == (2, 0, [])
    a, b = current(session, first.id), current(session, second.id)
    assert (a.wait_days, a.walk_in, a.same_day_start, a.note, a.reporter_kind) == (5, False, True, "about 5 days",
                                                                                   "caseworker")
    assert b.accepting_new_patients is False and b.reporter_kind == "import"


def test_it_reports_each_bad_row_with_its_line_column_and_reason_and_keeps_the_good_ones(session, tmp_path):
    provider = make_provider(session)
    future = (utcnow() + timedelta(days=3)).date().isoformat()
    p = provider.id
    path = write(tmp_path, HEADER
                 + f"{p},,,yes,3,,,,2026-01-10,\n"            # line 2: good
                 + f"{p},,,maybe,3,,,,2026-01-10,provider\n"  # 3
                 + f"{p},,,yes,400,,,,2026-01-11,\n"          # 4
                 + f"{p},,,yes,,,,,{future},\n"               # 5
                 + f"{p},,,yes,,,,,,\n"                       # 6
                 + f"{p},,,yes,,,,,2026-01-12,robot\n"        # 7
                 + "424242,,,yes,,,,,2026-01-12,\n"           # 8
                 + ",,,yes,,,,,2026-01-12,\n"                 # 9
                 + ",test,nope,yes,,,,,2026-01-12,\n"         # 10
                 + f"{p},,,yes,,,,{'x' * 281},2026-01-12,\n"  # 11
                 + f"{p},,,yes\n"                             # 12
                 + f"{p},,,no,,,,,2026-01-13,\n")             # 13: good
    report = import_availability(session, path)
    assert report.added == 2
    found = {(e.line, e.column) for e in report.rejected}
    assert found == {(3, "accepting_new_patients"), (4, "wait_days"), (5, "reported_at"), (6, "reported_at"),
                     (7, "reported_by"), (8, "provider_id"), (9, "provider_id"), (10, "source_id"), (11, "note"),
                     (12, "*")}
    reasons = {e.line: e.reason for e in report.rejected}
    assert "future" in reasons[5] and "424242" in reasons[8] and "outside 0 to 365" in reasons[4]
    assert count(session) == 2


def test_a_wrong_header_is_a_file_error_and_nothing_is_written(session, tmp_path):
    provider = make_provider(session)
    for text in ("id,when\n1,2026-01-01\n", "accepting_new_patients,reported_at\nyes,2026-01-01\n",
                 HEADER.replace("note", "notes") + f"{provider.id},,,yes,,,,,2026-01-01,\n", ""):
        with pytest.raises(FileError):
            import_availability(session, write(tmp_path, text))
    with pytest.raises(FileError):
        read_availability_csv(tmp_path / "missing.csv")
    assert count(session) == 0


def test_importing_the_same_file_again_adds_nothing(session, tmp_path):
    provider = make_provider(session)
    path = write(tmp_path, HEADER + f"{provider.id},,,yes,2,,,,2026-01-10T10:00:00+00:00,\n"
                 + f"{provider.id},,,yes,2,,,,2026-01-10T10:00:00+00:00,caseworker\n")
    assert import_availability(session, path).added == 2
    # The same instant written in another zone is the same report.
    again = write(tmp_path, HEADER + f"{provider.id},,,yes,9,,,,2026-01-10T05:00:00-05:00,\n", "again.csv")
    report = import_availability(session, again)
    assert (report.added, report.unchanged) == (0, 1)
    assert import_availability(session, path).unchanged == 2
    assert count(session) == 2


def test_a_report_repeated_within_the_file_is_rejected(session, tmp_path):
    provider = make_provider(session)
    row = f"{provider.id},,,yes,2,,,,2026-01-10,\n"
    report = import_availability(session, write(tmp_path, HEADER + row + row))
    assert report.added == 1 and [(e.line, e.column) for e in report.rejected] == [(3, "reported_at")]


def test_an_older_imported_report_is_kept_in_history_but_does_not_replace_a_newer_one(session, tmp_path):
    provider = make_provider(session, report={"accepting_new_patients": True, "wait_days": 1, "age_days": 2})
    old = (utcnow() - timedelta(days=40)).isoformat()
    import_availability(session, write(tmp_path, HEADER + f"{provider.id},,,no,,,,,{old},\n"))
    assert count(session) == 2
    assert current(session, provider.id).accepting_new_patients is True


def test_provider_id_and_source_must_name_the_same_provider(session, tmp_path):
    first, second = make_provider(session), make_provider(session)
    text = HEADER + f"{first.id},test,{second.sources[0].source_id},yes,,,,,2026-01-10,\n"
    report = import_availability(session, write(tmp_path, text))
    assert report.added == 0 and "source and source_id name provider" in report.rejected[0].reason


def test_a_failure_part_way_writes_nothing(session, tmp_path, monkeypatch):
    provider = make_provider(session)
    calls = []
    from locator.importers import availability_csv

    real = availability_csv.add_report

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(availability_csv, "add_report", failing)
    text = HEADER + f"{provider.id},,,yes,,,,,2026-01-10,\n{provider.id},,,no,,,,,2026-01-11,\n"
    with pytest.raises(RuntimeError):
        import_availability(session, write(tmp_path, text))
    assert count(session) == 0


def test_it_reads_a_gzipped_file_with_only_the_columns_it_needs(session, tmp_path):
    provider = make_provider(session)
    path = tmp_path / "reports.csv.gz"
    path.write_bytes(gzip.compress(f"provider_id,accepting_new_patients,reported_at\n{provider.id},yes,2026-02-01\n"
                                   .encode()))
    assert import_availability(session, path).added == 1
