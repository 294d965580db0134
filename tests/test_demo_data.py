"""The demonstration dataset: its generator is deterministic, its output imports without a
rejected row, and the committed data/providers.csv is fictional, national and realistic: its
availability reads like real clinics' reports (per medication, dated days before the import)."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from itertools import groupby
from math import cos, hypot, radians
from pathlib import Path
from statistics import mean, median

import pytest
import zipcodes
from sqlalchemy import select

from locator import vocabulary
from locator.availability import availability_by_medication, days_to_first_dose
from locator.importers import import_file
from locator.importers.base import ProviderRecord
from locator.importers.providers_csv import COLUMNS, TERM_COLUMNS, read_providers_csv
from locator.models import Provider

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "providers.csv"
SCRIPT = ROOT / "scripts" / "make_demo_data.py"
STATES_50_DC_PR = set(vocabulary.US_STATES) - {"GU", "VI", "AS", "MP"}
# A provider's report columns; every other column is the provider's, the same on each of its rows.
AVAILABILITY = ("availability_medication", "accepting_new_patients", "wait_days", "first_dose_at_first_visit",
                "walk_in_hours", "availability_note", "availability_reported_at", "availability_days_ago",
                "availability_reported_by")
PROVIDER_COLUMNS = tuple(c for c in COLUMNS if c not in AVAILABILITY)


def load_generator():
    spec = importlib.util.spec_from_file_location("make_demo_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return load_generator()


@pytest.fixture(scope="module")
def rows():
    with open(DATA, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def providers(rows):
    """Each provider's rows (consecutive in the file), by source_id."""
    return {source_id: list(group) for source_id, group in groupby(rows, key=lambda r: r["source_id"])}


@pytest.fixture(scope="module")
def reports(rows):
    return [r for r in rows if r["availability_days_ago"]]


def terms(row, column):
    return row[column].split(";") if row[column] else []


def share(rows, predicate):
    return sum(1 for r in rows if predicate(r)) / len(rows)


def yes_no(value):
    return {"yes": True, "no": False}.get(value)


def walk_in(report):
    """As the importer reads it: walk-in hours make a report walk-in, else the provider's column."""
    return bool(report["walk_in_hours"]) or report["walk_in"] == "yes"


def medication_of(report):
    """The medication a report is about: the one it names, else methadone at a program (what a
    program's report for all its medications is first about), else the provider's only one."""
    medications = terms(report, "medications")
    if report["availability_medication"] or "methadone" in medications:
        return report["availability_medication"] or "methadone"
    return medications[0] if len(medications) == 1 else None


def for_medication(reports, medication):
    return [r for r in reports if medication_of(r) == medication]


def first_dose_days(report):
    """Days to a first dose as the locator derives them (locator.availability)."""
    return days_to_first_dose(yes_no(report["accepting_new_patients"]),
                              int(report["wait_days"]) if report["wait_days"] else None, walk_in(report),
                              yes_no(report["same_day_start"]), yes_no(report["first_dose_at_first_visit"]))


def test_it_generates_the_same_bytes_on_every_run(generator, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert generator.main(["--count", "300", "--out", str(first)]) == 0
    assert generator.main(["--count", "300", "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_its_output_imports_with_zero_rejected_rows(generator, tmp_path):
    out = tmp_path / "providers.csv"
    generator.main(["--count", "300", "--out", str(out)])
    items = list(read_providers_csv(out))
    assert len({i.source_id for i in items}) == 300
    rejected = [str(i) for i in items if not isinstance(i, ProviderRecord)]
    assert rejected == []
    assert all(i.fields["is_demo"] for i in items)


def test_a_small_count_still_covers_every_state(generator, tmp_path):
    out = tmp_path / "providers.csv"
    generator.main(["--count", "300", "--out", str(out)])
    with open(out, encoding="utf-8", newline="") as f:
        assert {r["state"] for r in csv.DictReader(f)} == STATES_50_DC_PR


def test_the_committed_file_imports_with_zero_rejected_rows():
    items = list(read_providers_csv(DATA))
    assert [str(i) for i in items if not isinstance(i, ProviderRecord)] == []


def test_the_committed_file_imports_every_row_into_the_database(session, providers, rows):
    report = import_file(session, DATA, source="providers")
    assert [str(e) for e in report.rejected] == []
    assert (report.added, report.reports) == (len(providers), len(rows) - len(providers))
    apart = next(rs for rs in providers.values() if len(rs) > 1)
    provider = session.scalars(select(Provider).where(Provider.name == apart[0]["name"])).one()
    said = {r["availability_medication"]: r for r in apart}
    shown = {m: a for m, a in availability_by_medication(provider).items() if m in said}
    assert set(shown) == set(said) and not any(a.for_all for a in shown.values())
    newest = max(a.updated_at for a in shown.values())  # dated at UTC midnight, days before the import
    assert {m: (newest - a.updated_at).days for m, a in shown.items()} \
        == {m: int(r["availability_days_ago"]) - min(int(r["availability_days_ago"]) for r in apart)
            for m, r in said.items()}
    assert {m: a.wait_days for m, a in shown.items()} \
        == {m: int(r["wait_days"]) if r["wait_days"] else None for m, r in said.items()}


def test_regenerating_with_the_defaults_reproduces_the_committed_file(generator, tmp_path):
    out = tmp_path / "providers.csv"
    generator.main(["--out", str(out)])
    assert out.read_bytes() == DATA.read_bytes(), "run: python scripts/make_demo_data.py"


def test_the_committed_file_has_the_documented_header():
    with open(DATA, encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == COLUMNS


def test_the_committed_file_covers_the_nation(providers, rows):
    assert 2800 <= len(providers) <= 3200 and len(rows) <= 1.15 * len(providers)
    runs = [source_id for source_id, _ in groupby(r["source_id"] for r in rows)]
    assert len(runs) == len(set(runs)) == len(providers), "a provider's rows are not consecutive"
    per_state = Counter(rs[0]["state"] for rs in providers.values())
    assert set(per_state) == STATES_50_DC_PR
    assert min(per_state.values()) >= 10


def test_every_row_is_visibly_fictional(rows):
    for r in rows:
        assert "Demo" in r["name"], r["name"]
        assert r["demo"] == "yes"
        assert re.fullmatch(r"\d{3}-555-01\d\d", r["phone"]), r["phone"]
        assert r["intake_phone"] == "" or re.fullmatch(r"\d{3}-555-01\d\d", r["intake_phone"])
        assert r["website"] == "" or r["website"].startswith("https://example.org/"), r["website"]
        assert all("Demo" in plan for plan in terms(r, "insurance_plans"))
        assert re.fullmatch(r"demo-\d{5}", r["source_id"])
        assert r["geocode_precision"] == "address"


def test_every_row_is_placed_near_its_real_zip(rows):
    for r in rows[::25]:
        (z,) = zipcodes.matching(r["zip"])
        assert (z["city"], z["state"], z["zip_code_type"]) == (r["city"], r["state"], "STANDARD")
        lat0, lon0 = float(z["lat"]), float(z["long"])
        dy = (float(r["latitude"]) - lat0) * 111.32
        dx = (float(r["longitude"]) - lon0) * 111.32 * cos(radians(lat0))
        assert hypot(dx, dy) < 1.5


def test_the_medications_have_realistic_proportions(providers):
    rows = [rs[0] for rs in providers.values()]
    assert 0.80 <= share(rows, lambda r: "buprenorphine" in terms(r, "medications")) <= 0.90
    assert 0.12 <= share(rows, lambda r: "otp" in terms(r, "settings")) <= 0.18
    assert 0.22 <= share(rows, lambda r: "naltrexone" in terms(r, "medications")) <= 0.38
    assert 0.06 <= share(rows, lambda r: "telehealth" in terms(r, "settings")) <= 0.14
    assert share(rows, lambda r: "fqhc" in terms(r, "settings")) >= 0.05


def test_methadone_is_offered_only_by_certified_programs(rows):
    for r in rows:
        if "methadone" in terms(r, "medications"):
            assert "otp" in terms(r, "settings") and "otp" in terms(r, "medication_forms")
        if "otp" in terms(r, "settings"):
            assert "methadone" in terms(r, "medications")
            assert "methadone_maintenance" in terms(r, "medication_forms")


def test_most_accept_medicaid_and_spanish_follows_the_map(providers):
    rows = [rs[0] for rs in providers.values()]
    assert 0.75 <= share(rows, lambda r: "medicaid" in terms(r, "payment")) <= 0.85
    pr = [r for r in rows if r["state"] == "PR"]
    assert share(pr, lambda r: "es" in terms(r, "languages")) >= 0.8
    tx = [r for r in rows if r["state"] == "TX"]
    assert share(tx, lambda r: "es" in terms(r, "languages")) >= 0.3


def test_reports_are_dated_days_ago_mostly_fresh_and_some_stale(providers, reports):
    assert all(not r["availability_reported_at"] for rs in providers.values() for r in rs)
    silent = [rs for rs in providers.values() if not rs[0]["availability_days_ago"]]
    assert 0.08 <= len(silent) / len(providers) <= 0.20
    assert all(len(rs) == 1 and not any(rs[0][c] for c in AVAILABILITY) for rs in silent)
    ages = [int(r["availability_days_ago"]) for r in reports]
    assert min(ages) == 0 and max(ages) <= 365
    assert 0.50 <= sum(a <= 14 for a in ages) / len(ages) <= 0.70
    assert 0.20 <= sum(15 <= a <= 60 for a in ages) / len(ages) <= 0.40
    assert 0.05 <= sum(a > 60 for a in ages) / len(ages) <= 0.20
    kinds = Counter(r["availability_reported_by"] for r in reports)
    assert set(kinds) == set(vocabulary.REPORTER_KINDS) and kinds.most_common(1)[0][0] == "provider"


def test_some_providers_report_each_medication_on_its_own_row(providers):
    several = [rs for rs in providers.values() if len(terms(rs[0], "medications")) > 1]
    apart = [rs for rs in several if len(rs) > 1]
    assert 0.20 <= len(apart) / len(several) <= 0.35
    for rs in providers.values():
        if len(rs) > 1:
            assert all([r[c] for c in PROVIDER_COLUMNS] == [rs[0][c] for c in PROVIDER_COLUMNS] for r in rs)
            named = [r["availability_medication"] for r in rs]
            assert len(set(named)) == len(named) and set(named) <= set(terms(rs[0], "medications"))
            assert all(r["availability_days_ago"] for r in rs)
    for rs in providers.values():  # a single report names no medication, or one the provider offers
        assert rs[0]["availability_medication"] in [*terms(rs[0], "medications"), ""]
    assert any(len(rs) == 1 and rs[0]["availability_medication"] for rs in several)
    assert any(len(rs) == 1 and rs[0]["availability_days_ago"] and not rs[0]["availability_medication"]
               for rs in several)


def test_a_program_often_reports_its_medications_differently(providers):
    both = [rs for rs in providers.values()
            if {"buprenorphine", "methadone"} <= {r["availability_medication"] for r in rs}]
    assert len(both) >= 30
    differ = [rs for rs in both if len({(r["wait_days"], walk_in(r)) for r in rs
                                       if r["availability_medication"] != "naltrexone"}) > 1]
    assert len(differ) / len(both) >= 0.5


def test_buprenorphine_reads_like_secret_shopper_studies(reports):
    bup = for_medication(reports, "buprenorphine")
    accepting = [r for r in bup if r["accepting_new_patients"] == "yes"]
    assert 0.52 <= len(accepting) / len(bup) <= 0.63
    assert 0.28 <= share(accepting, lambda r: r["first_dose_at_first_visit"] == "yes") <= 0.42
    waits = [int(r["wait_days"]) for r in accepting]
    assert min(waits) == 0 and 2 <= median(waits) <= 5
    assert share(accepting, lambda r: int(r["wait_days"]) <= 14) >= 0.75
    days = [d for d in map(first_dose_days, accepting) if d is not None]
    assert 6 <= mean(days) <= 10


def test_methadone_programs_mostly_accept_within_days_some_by_walk_in(providers, reports):
    methadone = for_medication(reports, "methadone")
    accepting = [r for r in methadone if r["accepting_new_patients"] == "yes"]
    assert len(accepting) / len(methadone) >= 0.80
    assert 2.5 <= mean(int(r["wait_days"]) for r in accepting) <= 4.5
    walk_ins = [r for r in accepting if r["walk_in_hours"]]
    assert share(walk_ins, lambda r: r["wait_days"] == "0" and r["first_dose_at_first_visit"] == "yes") >= 0.7
    otps = [rs for rs in providers.values() if "otp" in terms(rs[0], "settings") and rs[0]["availability_days_ago"]]
    assert 0.22 <= share(otps, lambda rs: any(r["walk_in_hours"] for r in rs)) <= 0.38
    for rs in providers.values():
        assert bool(rs[0]["dosing_hours"]) == ("otp" in terms(rs[0], "settings"))


def test_naltrexone_rarely_starts_at_the_first_visit(reports):
    accepting = [r for r in for_medication(reports, "naltrexone") if r["accepting_new_patients"] == "yes"]
    assert share(accepting, lambda r: r["first_dose_at_first_visit"] == "no") >= 0.6
    assert share(accepting, lambda r: r["first_dose_at_first_visit"] == "yes") <= 0.2


def test_waits_are_plausible_and_a_long_walk_in_wait_is_explained(reports):
    waits = [int(r["wait_days"]) for r in reports if r["wait_days"]]
    assert max(waits) <= 60 and sum(w > 30 for w in waits) / len(waits) <= 0.02
    refusing = [r for r in reports if r["accepting_new_patients"] == "no"]
    assert 0.2 <= share(refusing, lambda r: not r["wait_days"]) <= 0.8
    assert all(not r["first_dose_at_first_visit"] and not r["walk_in_hours"] for r in refusing)
    for r in reports:
        if walk_in(r) and int(r["wait_days"] or 0) > 14:
            assert r["availability_note"], (r["source_id"], r["wait_days"])
        if r["same_day_start"] == "yes":  # it holds for every report of the provider
            assert (r["wait_days"], r["first_dose_at_first_visit"]) == ("0", "yes"), r["source_id"]
    assert any(r["walk_in_hours"] and int(r["wait_days"]) > 14 for r in reports)  # explained ones exist


def test_counseling_before_a_first_dose_is_known_for_a_good_share(providers):
    first = [rs[0] for rs in providers.values()]
    assert 0.4 <= share(first, lambda r: r["counseling_required_to_start"] != "") <= 0.75
    otps = [r for r in first if "otp" in terms(r, "settings")]
    assert share(otps, lambda r: r["counseling_required_to_start"] == "yes") >= 0.2
    offices = [r for r in first if "otp" not in terms(r, "settings") and "buprenorphine" in terms(r, "medications")]
    assert share(offices, lambda r: r["counseling_required_to_start"] == "no") >= 0.3


def test_the_format_document_names_every_column_and_every_key():
    doc = (ROOT / "docs" / "providers-csv.md").read_text(encoding="utf-8")
    missing = [c for c in COLUMNS if f"`{c}`" not in doc]
    missing += [f"{c}:{t.key}" for c in TERM_COLUMNS for t in vocabulary.CATEGORIES[c] if f"`{t.key}`" not in doc]
    assert missing == []
    assert "python scripts/make_demo_data.py" in doc
