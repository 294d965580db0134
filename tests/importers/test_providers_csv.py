import gzip

import pytest
from sqlalchemy import func, select

from locator.importers import FileError, import_file
from locator.models import AvailabilityReport, Provider, ProviderSource
from tests.csvfiles import row, write_csv


def count(session, model=Provider):
    return session.scalar(select(func.count()).select_from(model))


def test_it_imports_a_good_file(session, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(1), row(2)])
    report = import_file(session, path, source="test")
    assert (report.added, report.updated, report.unchanged, report.rejected) == (2, 0, 0, [])
    provider = session.scalar(select(Provider).where(Provider.name == "Demo Test Clinic 1"))
    assert provider.medications == ["buprenorphine", "naltrexone"]
    assert provider.payment == ["medicaid", "private"]
    assert provider.languages == ["es"]
    assert provider.walk_in is True and provider.is_demo is True
    assert provider.current_report.wait_days == 3
    assert provider.current_report.reporter_kind == "provider"
    assert provider.sources[0].source == "test" and provider.sources[0].source_id == "x-1"


def test_twenty_rows_with_three_bad_imports_seventeen_and_names_the_lines(session, tmp_path):
    rows = [row(n) for n in range(1, 21)]
    rows[4]["state"] = "ZZ"             # line 6
    rows[9]["medications"] = "aspirin"  # line 11
    rows[16]["latitude"] = "123"        # line 18
    report = import_file(session, write_csv(tmp_path / "p.csv", rows), source="test")
    assert report.added == 17
    assert report.rejected_lines == [6, 11, 18]
    reasons = {e.line: (e.column, e.reason) for e in report.rejected}
    assert reasons[6][0] == "state" and "'ZZ'" in reasons[6][1]
    assert reasons[11][0] == "medications" and "aspirin" in reasons[11][1]
    assert reasons[18][0] == "latitude" and "outside" in reasons[18][1]
    assert count(session) == 17


def test_each_bad_value_in_a_row_is_reported(session, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(1, phone="12", website="not a site", wait_days="-3")])
    report = import_file(session, path, source="test")
    assert sorted(e.column for e in report.rejected) == ["phone", "wait_days", "website"]
    assert count(session) == 0


def test_a_wrong_header_raises_and_writes_nothing(session, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,town,state\nDemo,Dayton,OH\n")
    with pytest.raises(FileError, match="wrong header"):
        import_file(session, path, source="test")
    assert count(session) == 0


def test_a_missing_file_raises(session, tmp_path):
    with pytest.raises(FileError, match="no such file"):
        import_file(session, tmp_path / "nope.csv")


def test_a_file_that_is_not_utf8_raises(session, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"source_id,name\n\xff\xfe\n")
    with pytest.raises(FileError, match="UTF-8"):
        import_file(session, path)


def test_it_reads_gzipped_files(session, tmp_path):
    plain = write_csv(tmp_path / "p.csv", [row(1)])
    packed = tmp_path / "p.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert import_file(session, packed, source="test").added == 1


def test_reimporting_the_same_file_changes_nothing(session, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(1), row(2)])
    import_file(session, path, source="test")
    report = import_file(session, path, source="test")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 2)
    assert count(session) == 2
    assert count(session, AvailabilityReport) == 2
    assert count(session, ProviderSource) == 2


def test_a_changed_row_is_updated_in_place(session, tmp_path):
    import_file(session, write_csv(tmp_path / "a.csv", [row(1), row(2)]), source="test")
    first_id = session.scalar(select(Provider.id).where(Provider.name == "Demo Test Clinic 1"))
    changed = [row(1, phone="937-555-0199", availability_reported_at="2026-11-05", wait_days="9"), row(2)]
    report = import_file(session, write_csv(tmp_path / "b.csv", changed), source="test")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    session.expire_all()
    provider = session.get(Provider, first_id)
    assert provider.phone == "937-555-0199"
    assert provider.current_report.wait_days == 9
    assert len(provider.reports) == 2  # the older report is kept as history


def test_the_same_source_id_from_another_source_is_another_provider(session, tmp_path):
    import_file(session, write_csv(tmp_path / "a.csv", [row(1)]), source="one")
    other_site = row(1, name="Another Place", street="77 Elsewhere Road", phone="937-555-0177")
    import_file(session, write_csv(tmp_path / "b.csv", [other_site]), source="two")
    assert count(session) == 2


def test_the_same_site_from_two_sources_becomes_one_provider_with_both_sources(session, tmp_path):
    import_file(session, write_csv(tmp_path / "a.csv", [row(1)]), source="state-list")
    same_site = row(9, name="DEMO TEST CLINIC 1", street="1 Demo St.", phone="(937) 555-0100")
    report = import_file(session, write_csv(tmp_path / "b.csv", [same_site]), source="samhsa")
    assert (report.added, report.merged) == (0, 1)
    provider = session.scalar(select(Provider))
    session.refresh(provider)
    assert count(session) == 1
    assert sorted((s.source, s.source_id) for s in provider.sources) == [("samhsa", "x-9"), ("state-list", "x-1")]


def test_reimporting_either_merged_source_updates_and_never_duplicates(session, tmp_path):
    import_file(session, write_csv(tmp_path / "a.csv", [row(1)]), source="one")
    same_site = row(9, street="1 Demo Street")
    import_file(session, write_csv(tmp_path / "b.csv", [same_site]), source="two")
    again = import_file(session, write_csv(tmp_path / "c.csv", [dict(same_site, hours="Mon-Fri 8-4")]), source="two")
    first = import_file(session, write_csv(tmp_path / "d.csv", [row(1, hours="24/7")]), source="one")
    assert (again.updated, first.updated, first.added, again.added) == (1, 1, 0, 0)
    assert count(session) == 1 and count(session, ProviderSource) == 2
    assert session.scalar(select(Provider.hours)) == "24/7"


def test_the_same_address_in_one_source_stays_two_providers(session, tmp_path):
    rows = [row(1), row(2, name="Demo Test Clinic 1 Methadone Program")]
    assert import_file(session, write_csv(tmp_path / "p.csv", rows), source="one").added == 2


def test_a_repeated_source_id_in_one_file_is_rejected(session, tmp_path):
    report = import_file(session, write_csv(tmp_path / "p.csv", [row(1), row(1)]), source="test")
    assert report.added == 1
    assert [(e.line, e.column) for e in report.rejected] == [(3, "source_id")]


def test_an_exception_half_way_leaves_the_database_as_it_was(session, tmp_path):
    import_file(session, write_csv(tmp_path / "a.csv", [row(1)]), source="test")

    def explode_after_five(items):
        for n, item in enumerate(items):
            if n == 5:
                raise RuntimeError("killed")
            yield item

    path = write_csv(tmp_path / "b.csv", [row(n, phone="937-555-0111") for n in range(1, 11)])
    with pytest.raises(RuntimeError):
        import_file(session, path, source="test", progress=explode_after_five)
    session.expire_all()
    assert count(session) == 1
    assert session.scalar(select(Provider.phone)) == "937-555-0100"


def test_rows_without_coordinates_are_placed_by_the_locator_and_say_how(session, tmp_path):
    calls = []

    def locate(street, city, state, zip_code):
        calls.append(zip_code)
        return (39.76, -84.19, "zip")

    path = write_csv(tmp_path / "p.csv", [row(1, latitude="", longitude="")])
    import_file(session, path, source="test", locate=locate)
    provider = session.scalar(select(Provider))
    assert calls == ["45402"]
    assert (provider.latitude, provider.geocode_precision) == (39.76, "zip")


def test_a_row_that_cannot_be_placed_is_rejected(session, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(1, latitude="", longitude="")])
    report = import_file(session, path, source="test", locate=lambda *a: None)
    assert [e.column for e in report.rejected] == ["latitude"]


def test_availability_without_a_date_is_rejected(session, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(1, availability_reported_at="")])
    report = import_file(session, path, source="test")
    assert [e.column for e in report.rejected] == ["availability_reported_at"]


def test_a_row_with_too_many_fields_is_reported_with_its_line(session, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(1), row(2)])
    with open(path, "a") as handle:
        handle.write("a,b,c\n")
    report = import_file(session, path, source="test")
    assert report.added == 2 and report.rejected_lines == [4]


def test_a_repeated_row_with_the_same_details_adds_a_report_for_another_medication(session, tmp_path):
    from locator.availability import availability_by_medication

    rows = [row(1, availability_medication="buprenorphine", wait_days="0", first_dose_at_first_visit="yes",
                walk_in_hours="Mon-Fri 6-9 am"),
            row(1, availability_medication="naltrexone", wait_days="14", walk_in="yes"),
            row(1, availability_medication="naltrexone", wait_days="10"),
            row(1, name="Another name", availability_medication="", wait_days="1")]
    report = import_file(session, write_csv(tmp_path / "p.csv", rows), source="test")
    assert (report.added, report.reports) == (1, 1)
    assert [(e.line, e.column) for e in report.rejected] == [(4, "source_id"), (5, "source_id")]
    provider = session.scalars(select(Provider)).one()
    by_medication = availability_by_medication(provider)
    assert by_medication["buprenorphine"].days_to_first_dose == 0
    assert by_medication["buprenorphine"].walk_in_hours == "Mon-Fri 6-9 am"
    assert by_medication["naltrexone"].days_to_first_dose == 14
    # Imported again: nothing new.
    again = import_file(session, write_csv(tmp_path / "p.csv", rows), source="test")
    assert (again.added, again.updated, again.unchanged, again.reports) == (0, 0, 1, 0)


def test_availability_days_ago_dates_a_report_before_today(session, tmp_path):
    from locator.availability import availability_by_medication

    rows = [row(1, availability_reported_at="", availability_days_ago="3", availability_medication="methadone",
                medications="methadone", counseling_required_to_start="no", dosing_hours="Mon-Sat 5:30-11:00")]
    report = import_file(session, write_csv(tmp_path / "p.csv", rows), source="test")
    assert report.added == 1, report.rejected
    provider = session.scalars(select(Provider)).one()
    methadone = availability_by_medication(provider)["methadone"]
    assert methadone.freshness.age_days == 3 and methadone.for_all is False
    assert provider.counseling_required_to_start is False and provider.dosing_hours == "Mon-Sat 5:30-11:00"
    both = [row(2, availability_reported_at="2026-11-01", availability_days_ago="3")]
    assert [e.column for e in import_file(session, write_csv(tmp_path / "q.csv", both), source="test").rejected] \
        == ["availability_days_ago"]
