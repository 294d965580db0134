"""A listing's county and its contact email for the desk: read from providers.csv and HSDS
contacts, kept when a re-import says nothing of them, refused when not an address, and never
written out again (exports, the HSDS API, referral lists)."""

from __future__ import annotations

import csv

from sqlalchemy import select

from locator.importers import import_file
from locator.models import Provider
from tests.csvfiles import row, write_csv
from tests.importers.test_hsds import FOREIGN, write_foreign

SECRET = "intake.private@clinic.example"


def test_county_and_contact_email_come_from_providers_csv(session, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(1, county="Montgomery County",
                                              contact_email=" Intake.Private@Clinic.example", contact_language="es")])
    report = import_file(session, path, source="test")
    assert report.added == 1 and report.rejected == []
    p = session.scalar(select(Provider))
    assert (p.county, p.contact_email, p.contact_language) == ("Montgomery County", SECRET, "es")


def test_a_re_import_without_them_keeps_what_the_desk_set(session, tmp_path):
    import_file(session, write_csv(tmp_path / "a.csv", [row(1, contact_email=SECRET)]), source="test")
    import_file(session, write_csv(tmp_path / "b.csv", [row(1, name="Renamed Demo Clinic")]), source="test")
    p = session.scalar(select(Provider))
    assert (p.name, p.contact_email) == ("Renamed Demo Clinic", SECRET)


def test_a_bad_address_or_language_rejects_the_row_without_echoing_it(session, tmp_path):
    path = write_csv(tmp_path / "p.csv", [row(1, contact_email="a,b@x.example"), row(2, contact_language="fr"),
                                          row(3, contact_email="ok@x.example")])
    report = import_file(session, path, source="test")
    assert report.added == 1
    assert [(e.line, e.column) for e in report.rejected] == [(2, "contact_email"), (3, "contact_language")]
    assert "a,b@x.example" not in str(report.rejected[0].reason)


def test_a_new_phone_number_from_an_import_clears_a_number_staff_found_not_working(session, tmp_path):
    from locator.models import utcnow

    import_file(session, write_csv(tmp_path / "a.csv", [row(1)]), source="test")
    p = session.scalar(select(Provider))
    p.phone_bad_at = utcnow()
    session.commit()
    import_file(session, write_csv(tmp_path / "b.csv", [row(1, phone="937-555-0111")]), source="test")
    session.refresh(p)
    assert (p.phone, p.phone_bad_at) == ("937-555-0111", None)


def test_hsds_contacts_give_the_contact_email(app, session, tmp_path):
    tables = dict(FOREIGN, **{"contacts.csv": [{"id": "c1", "service_id": "s1", "name": "Intake desk",
                                                "email": SECRET}]})
    import_file(session, write_foreign(tmp_path / "hsds", tables), "hsds",
                locate=app.extensions["locator.geocoder"].place_provider)
    assert session.scalar(select(Provider.contact_email)) == SECRET


def test_the_contact_email_is_never_exported_or_served(app, client, runner, session, tmp_path):
    import_file(session, write_csv(tmp_path / "p.csv", [row(1, contact_email=SECRET)]), source="test")
    provider_id = session.scalar(select(Provider.id))
    assert runner.invoke(args=["export-providers", str(tmp_path / "out.csv")]).exit_code == 0
    with open(tmp_path / "out.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert "contact_email" not in header and "county" in header
    assert SECRET not in (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert runner.invoke(args=["export-providers", str(tmp_path / "hsds"), "--format", "hsds"]).exit_code == 0
    assert not (tmp_path / "hsds" / "contacts.csv").exists()
    assert all(SECRET not in f.read_text(encoding="utf-8") for f in (tmp_path / "hsds").iterdir())
    for path in (f"/providers/{provider_id}", f"/api/v1/providers/{provider_id}", "/api/hsds/services",
                 "/api/hsds/organizations", f"/referrals?ids={provider_id}", f"/referrals.csv?ids={provider_id}",
                 "/api/v1/search?location=45402"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert SECRET not in response.get_data(as_text=True), path
