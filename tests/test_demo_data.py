"""The demonstration dataset: its generator is deterministic, its output imports without a
rejected row, and the committed data/providers.csv is fictional, national and realistic."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from datetime import date
from math import cos, hypot, radians
from pathlib import Path

import pytest
import zipcodes

from locator import vocabulary
from locator.importers.base import ProviderRecord
from locator.importers.providers_csv import COLUMNS, TERM_COLUMNS, read_providers_csv

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "providers.csv"
SCRIPT = ROOT / "scripts" / "make_demo_data.py"
AS_OF = date(2026, 11, 20)
STATES_50_DC_PR = set(vocabulary.US_STATES) - {"GU", "VI", "AS", "MP"}


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


def terms(row, column):
    return row[column].split(";") if row[column] else []


def share(rows, predicate):
    return sum(1 for r in rows if predicate(r)) / len(rows)


def test_it_generates_the_same_bytes_on_every_run(generator, tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert generator.main(["--count", "300", "--out", str(first)]) == 0
    assert generator.main(["--count", "300", "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_its_output_imports_with_zero_rejected_rows(generator, tmp_path):
    out = tmp_path / "providers.csv"
    generator.main(["--count", "300", "--out", str(out)])
    items = list(read_providers_csv(out))
    assert len(items) == 300
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


def test_regenerating_with_the_defaults_reproduces_the_committed_file(generator, tmp_path):
    out = tmp_path / "providers.csv"
    generator.main(["--out", str(out)])
    assert out.read_bytes() == DATA.read_bytes(), "run: python scripts/make_demo_data.py"


def test_the_committed_file_has_the_documented_header():
    with open(DATA, encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == COLUMNS


def test_the_committed_file_covers_the_nation(rows):
    assert 2800 <= len(rows) <= 3200
    per_state = Counter(r["state"] for r in rows)
    assert set(per_state) == STATES_50_DC_PR
    assert min(per_state.values()) >= 10
    assert len({r["source_id"] for r in rows}) == len(rows)


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


def test_the_medications_have_realistic_proportions(rows):
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


def test_most_accept_medicaid_and_spanish_follows_the_map(rows):
    assert 0.75 <= share(rows, lambda r: "medicaid" in terms(r, "payment")) <= 0.85
    pr = [r for r in rows if r["state"] == "PR"]
    assert share(pr, lambda r: "es" in terms(r, "languages")) >= 0.8
    tx = [r for r in rows if r["state"] == "TX"]
    assert share(tx, lambda r: "es" in terms(r, "languages")) >= 0.3


def test_availability_is_mostly_reported_short_and_sometimes_stale(rows):
    reported = [r for r in rows if r["availability_reported_at"]]
    assert 0.80 <= len(reported) / len(rows) <= 0.90
    silent = [r for r in rows if not r["availability_reported_at"]]
    availability = ("accepting_new_patients", "wait_days", "availability_note", "availability_reported_by")
    assert all(not r[c] for r in silent for c in availability)
    assert 0.10 <= share(reported, lambda r: r["accepting_new_patients"] == "no") <= 0.20
    waits = [int(r["wait_days"]) for r in reported if r["wait_days"]]
    assert min(waits) == 0 and 45 <= max(waits) <= 60
    assert sorted(waits)[len(waits) // 2] <= 10
    ages = [(AS_OF - date.fromisoformat(r["availability_reported_at"])).days for r in reported]
    assert 0 <= min(ages) and max(ages) <= 200
    assert 0.10 <= sum(a > 60 for a in ages) / len(ages) <= 0.40
    kinds = Counter(r["availability_reported_by"] for r in reported)
    assert set(kinds) == set(vocabulary.REPORTER_KINDS) and kinds.most_common(1)[0][0] == "provider"


def test_the_format_document_names_every_column_and_every_key():
    doc = (ROOT / "docs" / "providers-csv.md").read_text(encoding="utf-8")
    missing = [c for c in COLUMNS if f"`{c}`" not in doc]
    missing += [f"{c}:{t.key}" for c in TERM_COLUMNS for t in vocabulary.CATEGORIES[c] if f"`{t.key}`" not in doc]
    assert missing == []
    assert "python scripts/make_demo_data.py" in doc
