"""The SAMHSA National Directory importer, on small fictional files in the directory's format."""

import csv
import gzip
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from locator import vocabulary
from locator.geocoding import get_gazetteer
from locator.importers import FileError, import_file
from locator.importers.samhsa import read_samhsa
from locator.models import Provider, ProviderSource

HEADER = ("facility_id,directory_type,name1,name2,street1,street2,city,state,zip,phone,"
          "intake1,intake2,intake1a,intake2a,service_code_info").split(",")


def facility(fid, codes, *, kind="substance", name=None, city="Philadelphia", state="PA", zip="19104",
             phone="215-555-0100", **extra):
    values = {"facility_id": fid, "directory_type": kind, "name1": name if name is not None else f"Fictional {fid}",
              "street1": "100 Sample Street", "city": city, "state": state, "zip": zip, "phone": phone,
              "service_code_info": codes}
    values.update(extra)
    return values


ROWS = [
    facility("substance_1", "SA * OP TELE * BU BUM NU VTRL MOA * MD SF * SP F4 * PEER CM * PW VET * CBT SMPD",
             name2="Main Campus", intake1="215-555-0101"),                                    # line 2
    facility("substance_2", "SA * OTP * METH MM BU * MD MC SS * HH", city="Chicago", state="IL",
             zip="60601", phone="312-555-0100"),                                              # line 3
    facility("substance_3", "SA * OP * NOOP * MD"),                                            # line 4
    facility("substance_4", "SA * OP * BU NMOA * MD"),                                         # line 5
    facility("mental_1", "MH * OP * MD SF", kind="mental"),                                    # line 6
    facility("mental_2", "SA MH * OP * MD", kind="mental"),                                    # line 7
    facility("substance_5", "SA * OP * NU * PI", city="Boston", state="MA", zip="2134"),       # line 8
    facility("substance_6", "SA * OP * BU * MD", phone="555-HELP", intake1a="215-555HOPE"),    # line 9
    facility("substance_7", "SA * OP * BU * MD", city="Nowhere Gulch", zip="00000"),           # line 10
    facility("substance_8", "", name=""),                                                      # line 11
]


def write(path, rows, header=HEADER):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wt", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def by_source_id(session, source_id):
    return session.scalar(select(Provider).join(ProviderSource).where(ProviderSource.source_id == source_id))


@pytest.fixture
def imported(session, tmp_path, app):
    locate = app.extensions["locator.geocoder"].place_provider
    report = import_file(session, write(tmp_path / "dir.csv", ROWS), "samhsa", locate=locate)
    return session, report


def test_it_maps_every_code_group_to_the_vocabulary(imported):
    session, _ = imported
    p = by_source_id(session, "substance_1")
    assert (p.name, p.name2, p.street, p.city, p.state, p.zip) == (
        "Fictional substance_1", "Main Campus", "100 Sample Street", "Philadelphia", "PA", "19104")
    assert p.medications == ["buprenorphine", "naltrexone"]
    assert p.medication_forms == ["buprenorphine_maintenance", "naltrexone_injectable"]
    assert p.settings == ["outpatient", "telehealth"] and p.telehealth
    assert p.payment == ["medicaid", "self_pay"]
    assert p.languages == ["es", "ar"]
    assert p.services == ["peer_support", "case_management"]
    assert p.populations == ["pregnant", "veterans"]
    assert p.accepts_outside_moud is True
    assert (p.phone, p.intake_phone) == ("215-555-0100", "215-555-0101")
    otp = by_source_id(session, "substance_2")
    assert otp.medications == ["buprenorphine", "methadone"]
    assert "otp" in otp.settings and "otp" in otp.medication_forms and otp.services == ["housing"]
    assert otp.accepts_outside_moud is None  # no MOA code: not known, never "no"


def test_it_tells_self_pay_from_the_sliding_fee_scale(imported):
    session, _ = imported
    assert by_source_id(session, "substance_1").payment == ["medicaid", "self_pay"]
    assert by_source_id(session, "substance_2").payment == ["medicaid", "medicare", "sliding_scale"]


def test_it_skips_noop_without_medication_and_mental_health_only_facilities_with_reasons(imported):
    session, report = imported
    reasons = {s.line: s.reason for s in report.skipped}
    assert set(reasons) == {4, 6, 7}
    assert "NOOP" in reasons[4]
    assert "mental health facility without substance use treatment" == reasons[6]
    assert "no MOUD medication code" in reasons[7]
    for fid in ("substance_3", "mental_1", "mental_2"):
        assert by_source_id(session, fid) is None
    assert report.added == 5 and report.rejected_lines == [10, 11]
    assert report.summary() == "added 5, updated 0, unchanged 0, rejected 2, skipped 3"


def test_explicit_medication_codes_win_over_nmoa_and_the_conflict_is_kept(imported):
    session, _ = imported
    listed = by_source_id(session, "substance_4")
    assert listed.medications == ["buprenorphine"] and listed.data_notes == ["marked_no_moud"]


@pytest.mark.parametrize("codes, medications, notes", [
    ("SA * OTP * MD", ["methadone"], ["methadone_by_certification"]),
    ("SA * SOTP * BU * MD", ["buprenorphine", "methadone"], ["methadone_by_certification"]),
    ("SA * OTP * METH MM * MD", ["methadone"], []),
    ("SA * OTP * NMOA * MD", ["methadone"], ["methadone_by_certification", "marked_no_moud"]),
    ("SA * OP * METH * NMOA", ["methadone"], ["marked_no_moud"]),
])
def test_a_certified_otp_is_listed_under_methadone(session, tmp_path, app, codes, medications, notes):
    locate = app.extensions["locator.geocoder"].place_provider
    report = import_file(session, write(tmp_path / "otp.csv", [facility("otp_1", codes)]), "samhsa", locate=locate)
    listed = by_source_id(session, "otp_1")
    assert report.added == 1 and listed.medications == medications and listed.data_notes == notes


def test_reimporting_with_the_otp_rule_updates_the_existing_listing(session, tmp_path, app, monkeypatch):
    from locator.importers import samhsa

    locate = app.extensions["locator.geocoder"].place_provider
    path = write(tmp_path / "otp.csv", [facility("otp_1", "SA * OTP * BU * MD")])
    monkeypatch.setattr(samhsa, "OTP_CODES", frozenset())  # as the importer was before the rule
    import_file(session, path, "samhsa", locate=locate)
    assert by_source_id(session, "otp_1").medications == ["buprenorphine"]
    monkeypatch.undo()
    report = import_file(session, path, "samhsa", locate=locate)
    session.expire_all()
    assert report.updated == 1 and by_source_id(session, "otp_1").medications == ["buprenorphine", "methadone"]


@pytest.mark.parametrize("street", ["- - -", "---", "", " -  "])
def test_a_withheld_street_is_listed_without_it_and_noted(session, tmp_path, app, street):
    locate = app.extensions["locator.geocoder"].place_provider
    report = import_file(session, write(tmp_path / "w.csv", [facility("w_1", "SA * OP * BU * MD", street1=street)]),
                         "samhsa", locate=locate)
    listed = by_source_id(session, "w_1")
    assert report.added == 1 and listed.street == "" and listed.geocode_precision == "zip"
    assert bool([n for n in report.notes if n.column == "street1"]) == bool(street.strip())


def test_rows_of_one_source_with_the_same_name_street_and_zip_become_one_listing(session, tmp_path, app):
    locate = app.extensions["locator.geocoder"].place_provider
    rows = [facility("a_1", "SA * OP * BU * MD", name="Harbor Clinic"),
            facility("a_2", "SA * OTP * METH * MC", name="HARBOR CLINIC", street1="100 Sample St."),
            facility("b_1", "SA * OP * NU * PI", name="Other Clinic")]
    path = write(tmp_path / "dup.csv", rows)
    report = import_file(session, path, "samhsa", locate=locate)
    assert (report.added, report.merged) == (2, 1)
    assert [n.line for n in report.notes if "one listing" in n.reason] == [3]
    listing = by_source_id(session, "a_1")
    assert by_source_id(session, "a_2").id == listing.id
    assert listing.medications == ["buprenorphine", "methadone"] and listing.payment == ["medicaid", "medicare"]
    assert sorted(s.source_id for s in listing.sources) == ["a_1", "a_2"]
    again = import_file(session, path, "samhsa", locate=locate)
    assert (again.added, again.updated, again.unchanged, again.merged) == (0, 0, 3, 0)
    assert session.scalar(select(func.count()).select_from(Provider)) == 2


def test_a_changed_row_of_a_merged_listing_keeps_the_other_rows_terms(session, tmp_path, app):
    locate = app.extensions["locator.geocoder"].place_provider
    rows = [facility("a_1", "SA * OP * BU * MD", name="Harbor Clinic"),
            facility("a_2", "SA * OTP * METH * MC", name="Harbor Clinic")]
    import_file(session, write(tmp_path / "one.csv", rows), "samhsa", locate=locate)
    rows[1] = facility("a_2", "SA * OTP * METH * MC PI", name="Harbor Clinic")
    again = import_file(session, write(tmp_path / "two.csv", rows), "samhsa", locate=locate)
    listing = by_source_id(session, "a_2")
    assert (again.updated, again.unchanged) == (1, 1)
    assert listing.medications == ["buprenorphine", "methadone"]
    assert listing.payment == ["medicaid", "medicare", "private"]


def test_rows_without_a_name_or_street_to_tell_them_apart_are_never_joined(session, tmp_path, app):
    locate = app.extensions["locator.geocoder"].place_provider
    rows = [facility("p_1", "SA * OP * BU * MD", name="**"), facility("p_2", "SA * OP * BU * MD", name="--"),
            facility("w_1", "SA * OP * BU * MD", name="Quiet Clinic", street1="---", phone="215-555-0111"),
            facility("w_2", "SA * OP * BU * MD", name="Quiet Clinic", street1="- - -", phone="215-555-0122")]
    report = import_file(session, write(tmp_path / "apart.csv", rows), "samhsa", locate=locate)
    assert (report.added, report.merged) == (4, 0)


def test_reimporting_keeps_a_location_placed_at_the_door_while_the_street_is_the_same(session, tmp_path, app):
    locate = app.extensions["locator.geocoder"].place_provider
    rows = [facility("d_1", "SA * OP * BU * MD", name="Door Clinic")]
    import_file(session, write(tmp_path / "one.csv", rows), "samhsa", locate=locate)
    listing = by_source_id(session, "d_1")
    listing.latitude, listing.longitude, listing.geocode_precision = 39.9523, -75.1932, "address"
    listing.location_source = "geocoded.csv"
    session.flush()
    rows[0] = facility("d_1", "SA * OP * BU * MD MC", name="Door Clinic")
    import_file(session, write(tmp_path / "two.csv", rows), "samhsa", locate=locate)
    kept = by_source_id(session, "d_1")
    assert (kept.latitude, kept.geocode_precision, kept.location_source) == (39.9523, "address", "geocoded.csv")
    assert "medicare" in kept.payment
    rows[0] = facility("d_1", "SA * OP * BU * MD MC", name="Door Clinic", street1="200 Other Street")
    import_file(session, write(tmp_path / "three.csv", rows), "samhsa", locate=locate)
    moved = by_source_id(session, "d_1")
    assert (moved.geocode_precision, moved.location_source) == ("zip", "")


def test_it_rejects_rows_without_a_name_or_a_place_with_their_line(imported):
    _, report = imported
    reasons = {e.line: (e.column, e.reason) for e in report.rejected}
    assert reasons[10][0] == "zip" and "cannot be placed" in reasons[10][1]
    assert reasons[11][0] == "name1"


def test_it_keeps_a_row_with_an_unreadable_phone_and_notes_it(imported):
    session, report = imported
    p = by_source_id(session, "substance_6")
    assert p.phone == "" and p.intake_phone == "215-555-4673"  # the vanity number read as on a keypad
    assert [(n.line, n.column) for n in report.notes] == [(9, "phone")]
    assert any(line.startswith("note line 9: phone: '555-HELP'") for line in report.details())


def test_it_pads_zip_codes_that_lost_their_leading_zero(imported):
    session, _ = imported
    assert by_source_id(session, "substance_5").zip == "02134"


def test_it_counts_and_lists_the_codes_it_does_not_map(imported):
    _, report = imported
    assert report.unmapped_codes == {"CBT": 1, "SMPD": 1}
    assert "codes not mapped to the vocabulary (2, with rows): CBT 1, SMPD 1" in report.details()


def test_reimporting_the_same_file_changes_nothing(imported, tmp_path, app):
    session, _ = imported
    again = import_file(session, write(tmp_path / "dir.csv", ROWS), "samhsa",
                        locate=app.extensions["locator.geocoder"].place_provider)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    assert session.scalar(select(func.count()).select_from(Provider)) == 5


def test_the_cli_places_rows_at_their_zip_centroid_from_a_gzip_file(app, runner, session, tmp_path):
    path = write(tmp_path / "directory.csv.gz", ROWS)
    result = runner.invoke(args=["import-providers", str(path), "--format", "samhsa"])
    assert result.exit_code == 0, result.output
    assert "added 5, updated 0, unchanged 0, rejected 2, skipped 3" in result.output
    assert "rejected line 10: zip:" in result.output and "skipped 1: marked NOOP" in result.output
    gazetteer = get_gazetteer()
    for fid, zip_code in (("substance_1", "19104"), ("substance_2", "60601"), ("substance_5", "02134")):
        p = by_source_id(session, fid)
        centroid = gazetteer.zip_place(zip_code)
        assert (p.latitude, p.longitude, p.geocode_precision) == (centroid.latitude, centroid.longitude, "zip")
        assert p.sources[0].source == "samhsa"


def test_a_wrong_header_exits_2_names_the_format_and_writes_nothing(app, runner, session, tmp_path):
    path = write(tmp_path / "wrong.csv", [{"facility_id": "x"}], header=["facility_id", "title"])
    result = runner.invoke(args=["import-providers", str(path), "--format", "samhsa"])
    assert result.exit_code == 2
    assert "wrong header" in result.output and "SAMHSA National Directory format" in result.output
    assert session.scalar(select(func.count()).select_from(Provider)) == 0


def test_an_old_excel_file_is_refused_with_advice_to_save_it_as_xlsx_or_csv(tmp_path):
    path = tmp_path / "directory.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(FileError, match=r"only \.xlsx workbooks are read, not \.xls; save the sheet as \.xlsx or "):
        read_samhsa(path)


def test_the_code_table_in_the_docs_matches_the_vocabulary():
    text = (Path(__file__).resolve().parents[2] / "docs/open-data.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `(\w+)` \| [^|]+ \| ([A-Z0-9 ]+) \|$", text, re.M)
    assert documented == [(t.key, " ".join(t.codes)) for cat in vocabulary.CATEGORIES.values() for t in cat]


def test_it_keeps_the_coordinates_a_file_gives(session, tmp_path):
    header = [*HEADER, "latitude", "longitude"]
    row = facility("substance_9", "SA * OP * BU * MD", latitude="39.95", longitude="-75.16")
    report = import_file(session, write(tmp_path / "with_points.csv", [row], header=header), "samhsa")
    p = by_source_id(session, "substance_9")
    assert report.added == 1 and (p.latitude, p.longitude, p.geocode_precision) == (39.95, -75.16, "address")
