"""HSDS 3.0 export and import: the round trip, the layout the spec requires, and foreign datasets."""

import csv
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from locator.geocoding import get_gazetteer
from locator.hsds_schedules import schedule_rows
from locator.importers import FileError, import_file
from locator.models import Provider
from tests.factories import make_provider

FIELDS = ("name", "name2", "street", "street2", "city", "state", "zip", "latitude", "longitude",
          "geocode_precision", "phone", "intake_phone", "website", "medications", "medication_forms",
          "settings", "payment", "insurance_plans", "languages", "services", "populations", "walk_in",
          "same_day_start", "accepts_outside_moud", "hours", "is_demo")
# Required columns (and value rules) of the HSDS 3.0 tables we write, from the specification.
SPEC_REQUIRED = {
    "organizations.csv": ("id", "name", "description"),
    "services.csv": ("id", "organization_id", "name", "status"),
    "locations.csv": ("id", "location_type"),
    "service_at_location.csv": ("id", "service_id", "location_id"),
    "addresses.csv": ("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
    "phones.csv": ("id", "number"),
    "schedules.csv": ("id",),
    "languages.csv": ("id",),
    "cost_options.csv": ("id", "service_id"),
    "taxonomies.csv": ("id", "name", "description"),
    "taxonomy_terms.csv": ("id", "name", "description"),
    "attributes.csv": ("id", "link_id", "taxonomy_term_id", "link_entity"),
}
ENUMS = {("services.csv", "status"): {"active", "inactive", "defunct", "temporarily closed"},
         ("locations.csv", "location_type"): {"physical", "postal", "virtual"},
         ("addresses.csv", "address_type"): {"physical", "postal", "virtual"},
         ("schedules.csv", "freq"): {"WEEKLY", "MONTHLY", ""}}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
SHARED_SCHEMA = (Path(__file__).resolve().parents[3]
                 / "shared/data/hsds/hsds3_spec_examples/hsds3_datapackage_schema.json")


@pytest.fixture
def directory(session):
    make_provider(session, name="Round Trip Clinic", name2="North Site", street2="Suite 4", phone="215-555-0100 x12",
                  intake_phone="215-555-0101", website="https://example.org/rt", medications=["buprenorphine",
                  "naltrexone"], medication_forms=["buprenorphine_injectable"], settings=["outpatient", "telehealth"],
                  payment=["medicaid", "self_pay", "sliding_scale", "free"], insurance_plans=["Keystone First"],
                  languages=["es", "asl", "hmn"], services=["peer_support", "naloxone"], populations=["pregnant"],
                  walk_in=True, same_day_start=False, accepts_outside_moud=True,
                  hours="Mon-Fri 9:00-17:00; Sat 8:00-12:00", is_demo=True,
                  report={"accepting_new_patients": True, "wait_days": 3})
    make_provider(session, miles_north=2, name="Methadone Program", medications=["methadone"], settings=["otp"],
                  medication_forms=["otp"], payment=[], geocode_precision="zip", hours="24/7", phone="")
    return session


def snapshot(session):
    session.expire_all()
    def value(p, f):  # exports keep 6 decimals of a degree (about 10 cm), as providers.csv does
        return round(getattr(p, f), 6) if f in ("latitude", "longitude") else getattr(p, f)
    return sorted(tuple(value(p, f) for f in FIELDS) for p in session.scalars(select(Provider)).unique())


def empty(session):
    for provider in session.scalars(select(Provider)).unique():
        session.delete(provider)
    session.commit()


def read(folder, name):
    with open(folder / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("target", ["export", "export.zip"])
def test_it_round_trips_the_providers_through_an_empty_database(app, runner, directory, tmp_path, target):
    before = snapshot(directory)
    result = runner.invoke(args=["export-providers", str(tmp_path / target), "--format", "hsds"])
    assert result.exit_code == 0 and "Exported 2 providers" in result.output
    empty(directory)
    result = runner.invoke(args=["import-providers", str(tmp_path / target), "--format", "hsds"])
    assert result.exit_code == 0, result.output
    assert "added 2, updated 0, unchanged 0, rejected 0" in result.output
    assert snapshot(directory) == before


def test_exporting_twice_gives_the_same_files_and_a_reimport_changes_nothing(app, runner, directory, tmp_path):
    for name in ("a", "b"):
        runner.invoke(args=["export-providers", str(tmp_path / name), "--format", "hsds"])
    for name in SPEC_REQUIRED:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    empty(directory)
    runner.invoke(args=["import-providers", str(tmp_path / "a"), "--format", "hsds"])
    again = runner.invoke(args=["import-providers", str(tmp_path / "a"), "--format", "hsds"])
    assert "added 0, updated 0, unchanged 2, rejected 0" in again.output


def test_the_export_has_the_hsds_tables_with_their_required_columns_and_values(app, runner, directory, tmp_path):
    runner.invoke(args=["export-providers", str(tmp_path / "x"), "--format", "hsds"])
    folder = tmp_path / "x"
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["profile"] == "tabular-data-package"
    assert {r["path"] for r in package["resources"]} == set(SPEC_REQUIRED)
    ids = {}
    for name, required in SPEC_REQUIRED.items():
        rows = read(folder, name)
        assert rows, name
        ids[name] = {r["id"] for r in rows}
        for row in rows:
            assert all(row[c] for c in required), (name, row)
            assert UUID.match(row["id"]), row["id"]
            for (table, column), allowed in ENUMS.items():
                if table == name:
                    assert row[column] in allowed
    for sal in read(folder, "service_at_location.csv"):
        assert sal["service_id"] in ids["services.csv"] and sal["location_id"] in ids["locations.csv"]
    for attribute in read(folder, "attributes.csv"):
        assert attribute["taxonomy_term_id"] in ids["taxonomy_terms.csv"]
    wait = {r["wait_time"] for r in read(folder, "services.csv")}
    assert "Accepting new patients; wait about 3 days; about 3 days to a first dose (reported by the " \
           "provider on" in " ".join(wait)


def test_each_medication_is_a_service_of_its_own_with_its_own_availability(app, runner, directory, tmp_path):
    from locator.availability import add_report

    clinic = directory.scalars(select(Provider).where(Provider.name == "Round Trip Clinic")).one()
    add_report(directory, clinic.id, reporter_kind="provider", medication="naltrexone", accepting_new_patients=False)
    directory.commit()
    runner.invoke(args=["export-providers", str(tmp_path / "x"), "--format", "hsds"])
    services = read(tmp_path / "x", "services.csv")
    assert sorted(s["name"] for s in services) == ["Buprenorphine for opioid use disorder",
                                                   "Methadone for opioid use disorder",
                                                   "Naltrexone for opioid use disorder"]
    wait = {s["name"].split()[0]: s["wait_time"] for s in services}
    assert wait["Buprenorphine"].startswith("Accepting new patients; wait about 3 days")
    assert wait["Naltrexone"].startswith("Not accepting new patients")
    assert wait["Methadone"] == ""
    assert len(read(tmp_path / "x", "service_at_location.csv")) == 3
    assert len(read(tmp_path / "x", "locations.csv")) == len(read(tmp_path / "x", "organizations.csv")) == 2


@pytest.mark.skipif(not SHARED_SCHEMA.is_file(), reason="the HSDS 3.0 schema is not in ../shared")
def test_the_export_meets_the_official_hsds_schema_required_fields(app, runner, directory, tmp_path):
    runner.invoke(args=["export-providers", str(tmp_path / "x"), "--format", "hsds"])
    schema = json.loads(SHARED_SCHEMA.read_text())
    for resource in schema["resources"]:
        path = tmp_path / "x" / resource["path"]
        if not path.is_file():
            continue
        header = next(csv.reader(path.open(encoding="utf-8")))
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields], resource["path"]
        required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
        for row in read(tmp_path / "x", resource["path"]):
            assert all(row[name] for name in required), (resource["path"], row)


def test_schedules_are_weekly_rows_when_simple_and_text_otherwise():
    rows = schedule_rows("Mon-Fri 9:00-17:00; Sat 8:00-12:00")
    assert [(r["byday"], r["opens_at"], r["closes_at"], r["description"]) for r in rows] == [
        ("MO,TU,WE,TH,FR", "09:00:00", "17:00:00", "Mon-Fri 9:00-17:00"),
        ("SA", "08:00:00", "12:00:00", "Sat 8:00-12:00")]
    assert schedule_rows("Mon, Wed, Fri 9:00-17:00")[0]["byday"] == "MO,WE,FR"
    assert schedule_rows("24/7") == [{"description": "24/7"}]
    assert schedule_rows("") == []


def write_foreign(folder: Path, tables: dict) -> Path:
    folder.mkdir()
    for name, rows in tables.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


FOREIGN = {  # a fictional 211-style dataset, without our taxonomies and without coordinates
    "organizations.csv": [{"id": "o1", "name": "Harbor Fictional Health", "description": "x"},
                          {"id": "o2", "name": "Fictional Food Bank", "description": "x"}],
    "services.csv": [{"id": "s1", "organization_id": "o1", "name": "Methadone Clinic", "status": "active"},
                     {"id": "s2", "organization_id": "o2", "name": "Groceries", "status": "active"}],
    "locations.csv": [{"id": "l1", "location_type": "physical", "name": "Harbor Fictional Health"},
                      {"id": "l2", "location_type": "physical", "name": "Pantry"}],
    "service_at_location.csv": [{"id": "sal1", "service_id": "s1", "location_id": "l1"},
                                {"id": "sal2", "service_id": "s2", "location_id": "l2"}],
    "addresses.csv": [{"location_id": "l1", "address_1": "1 Sample Way", "city": "Miami",
                       "state_province": "Florida ", "postal_code": "33130", "address_type": "physical"},
                      {"location_id": "l2", "address_1": "2 Sample Way", "city": "Miami",
                       "state_province": "FL", "postal_code": "33130", "address_type": "physical"}],
    "languages.csv": [{"service_id": "s1", "name": "Spanish", "code": ""}, {"service_id": "s1", "name": "Urdu",
                                                                            "code": "ur"}],
    "cost_options.csv": [{"service_id": "s1", "option": "Medicaid"}, {"service_id": "s1", "option": "Under 18s"}],
}


def test_it_imports_a_foreign_dataset_placing_it_and_skipping_services_without_moud(session, app, tmp_path):
    folder = write_foreign(tmp_path / "foreign", FOREIGN)
    report = import_file(session, folder, "hsds", locate=app.extensions["locator.geocoder"].place_provider)
    assert (report.added, report.rejected) == (1, [])
    assert [(s.line, s.reason) for s in report.skipped] == [(3, "the service offers no MOUD medication "
                                                                "(buprenorphine, methadone or naltrexone)")]
    assert report.unmapped_codes == {"language Urdu": 1, "cost option Under 18s": 1}
    p = session.scalar(select(Provider))
    centroid = get_gazetteer().zip_place("33130")
    assert (p.name, p.name2, p.state, p.medications, p.languages, p.payment) == (
        "Harbor Fictional Health", "", "FL", ["methadone"], ["es"], ["medicaid"])
    assert (p.latitude, p.longitude, p.geocode_precision) == (centroid.latitude, centroid.longitude, "zip")


def test_a_dataset_missing_a_core_table_exits_2_naming_the_format(app, runner, session, tmp_path):
    tables = {k: v for k, v in FOREIGN.items() if k != "service_at_location.csv"}
    result = runner.invoke(args=["import-providers", str(write_foreign(tmp_path / "f", tables)), "--format", "hsds"])
    assert result.exit_code == 2 and "service_at_location.csv is missing" in result.output
    assert "expected an HSDS 3.0 tabular dataset" in result.output
    assert session.scalar(select(func.count()).select_from(Provider)) == 0


def test_a_missing_folder_is_a_file_error(session, tmp_path):
    with pytest.raises(FileError, match="no such folder"):
        import_file(session, tmp_path / "nope", "hsds")
