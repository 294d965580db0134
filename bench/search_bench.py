"""Search benchmark: prints figures, asserts nothing.

(a) 100,000 synthetic providers spread over real US ZIPs; 1,000 random queries with mixed
    filters through /api/v1/search (in-process test client, SQLite): p50 and p95.
(b) 10,000 providers around the searched places, then the same plus 90,000 far away:
    the p50 ratio shows whether cost follows what is near or the size of the table.
(c) a naive baseline on the (a) directory: geopy geodesic to every provider, filter, sort.

Usage: python bench/search_bench.py [--providers 100000] [--queries 1000] [--naive 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import zipcodes
from geopy.distance import geodesic
from sqlalchemy import insert, select, update

from locator import create_app, db, vocabulary
from locator.availability import days_ago
from locator.geo import geocell
from locator.models import AvailabilityReport, MedicationReport, Provider, utcnow

RNG = random.Random(2026)
ZIPS = [z for z in zipcodes.list_all() if z["zip_code_type"] == "STANDARD" and z["active"]
        and z["state"] in vocabulary.US_STATES]


def mask(category: str, p: float) -> int:
    keys = [t.key for t in vocabulary.CATEGORIES[category] if RNG.random() < p]
    return vocabulary.CATEGORIES[category].mask(keys)


def provider_rows(points):
    now = utcnow()
    for n, (lat, lon, state) in enumerate(points):
        lat, lon = lat + RNG.uniform(-0.01, 0.01), lon + RNG.uniform(-0.01, 0.01)
        otp = RNG.random() < 0.15
        meds = ["methadone", "buprenorphine"] if otp else (["buprenorphine"] if RNG.random() < 0.85 else ["naltrexone"])
        settings = ["otp", "outpatient"] if otp else (["telehealth"] if RNG.random() < 0.03 else ["outpatient"])
        yield dict(name=f"Bench {n}", state=state, city="X", zip="00000", latitude=lat, longitude=lon,
                   geocell=geocell(lat, lon), offers_telehealth="telehealth" in settings,
                   geocode_precision="address", medications=meds, settings=settings,
                   medication_forms=[], payment=mask("payment", 0.4) | vocabulary.PAYMENT.mask(["medicaid"]),
                   services=mask("services", 0.3), languages=mask("languages", 0.05),
                   populations=mask("populations", 0.2), walk_in=RNG.choice([True, False, None]), is_demo=True,
                   name2="", street="", street2="", phone="", intake_phone="", website="", hours="",
                   insurance_plans=[], created_at=now, updated_at=now)


def load(engine, points) -> None:
    rows = list(provider_rows(points))
    with engine.begin() as conn:
        start = conn.scalar(select(Provider.id).order_by(Provider.id.desc()).limit(1)) or 0
        conn.execute(insert(Provider), rows)
        ids = range(start + 1, start + 1 + len(rows))
        reports = [dict(provider_id=pid, reporter_kind=RNG.choice(["provider", "caseworker", "import"]),
                        accepting_new_patients=RNG.random() < 0.85, wait_days=RNG.choice([0, 1, 3, 7, 14, 30, 60]),
                        walk_in=None, same_day_start=RNG.random() < 0.2, note="",
                        first_dose_at_first_visit=RNG.choice([True, False, None]), medication=None,
                        reported_at=days_ago(RNG.randint(0, 200)))
                   for pid in ids if RNG.random() < 0.8]
        conn.execute(insert(AvailabilityReport), reports)
        conn.execute(update(Provider).values(current_report_id=select(AvailabilityReport.id).where(
            AvailabilityReport.provider_id == Provider.id).scalar_subquery()).where(Provider.id > start))
        # Half the programs that offer both report methadone on its own (a waitlist of its own).
        both = [pid for pid, row in zip(ids, rows, strict=True) if len(row["medications"]) > 1 and RNG.random() < 0.5]
        first_named = (conn.scalar(select(AvailabilityReport.id).order_by(AvailabilityReport.id.desc()).limit(1))
                       or 0) + 1
        if both:
            conn.execute(insert(AvailabilityReport), [
                dict(id=first_named + n, provider_id=pid, reporter_kind="provider", medication="methadone",
                     accepting_new_patients=True, wait_days=RNG.choice([0, 3, 14, 21]), walk_in=None,
                     same_day_start=None, first_dose_at_first_visit=True, note="",
                     reported_at=days_ago(RNG.randint(0, 30)))
                for n, pid in enumerate(both)])
            conn.execute(insert(MedicationReport), [
                dict(provider_id=pid, medication="methadone", report_id=first_named + n) for n, pid in enumerate(both)])
    db.checkpoint(engine)  # as `import-providers` does after a large import


def random_query(zip_code: str) -> dict:
    params = {"location": zip_code, "radius": RNG.choice(["10", "25", "25", "50"])}
    if RNG.random() < 0.5:
        params["medication"] = RNG.choice(["buprenorphine", "methadone"])
    if RNG.random() < 0.5:
        params["payment"] = RNG.choice(["medicaid", "private", "medicare", "sliding_scale"])
    if RNG.random() < 0.3:
        params["accepting"] = "1"
    if RNG.random() < 0.2:
        params["max_wait"] = RNG.choice(["3", "7", "14"])
    if RNG.random() < 0.15:
        params["start_within"] = RNG.choice(["0", "3", "7"])
    params["sort"] = RNG.choice(["best", "best", "distance", "soonest"])
    return params


def timed(client, queries) -> list[float]:
    out = []
    for params in queries:
        started = time.perf_counter()
        response = client.get("/api/v1/search", query_string=params)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:200]
    return out


def pct(values, p) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * p))]


def make_app(path: Path):
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "TESTING": True, "LOCATOR_ENV": "testing",
                      "LOG_LEVEL": "WARNING"})
    with app.app_context():
        db.create_schema(db.get_engine())
    return app


def bench_a(tmp: Path, count: int, nqueries: int):
    app = make_app(tmp / "a.sqlite3")
    points = [(float(z["lat"]), float(z["long"]), z["state"]) for z in (RNG.choice(ZIPS) for _ in range(count))]
    started = time.perf_counter()
    load(app.extensions["locator.engine"], points)
    print(f"(a) loaded {count:,} providers in {time.perf_counter() - started:.1f} s")
    queries = [random_query(RNG.choice(ZIPS)["zip_code"]) for _ in range(nqueries)]
    client = app.test_client()
    timed(client, queries[:50])  # warm up: gazetteer, caches
    times = timed(client, queries)
    print(f"(a) {nqueries} queries via /api/v1/search: p50 {pct(times, .5):.2f} ms, p95 {pct(times, .95):.2f} ms, "
          f"max {max(times):.2f} ms  (targets: p50 <= 5, p95 <= 20)")
    return app, points, queries, pct(times, .5)


def bench_b(tmp: Path, nqueries: int):
    app = make_app(tmp / "b.sqlite3")
    east = [z for z in ZIPS if z["state"] in ("PA", "NJ", "NY", "MD", "DE")]
    west = [z for z in ZIPS if z["state"] in ("CA", "OR", "WA", "NV", "AZ")]
    centers = RNG.sample(east, 50)
    near = []
    for _ in range(10_000):
        c = RNG.choice(centers)
        near.append((float(c["lat"]) + RNG.uniform(-0.3, 0.3), float(c["long"]) + RNG.uniform(-0.3, 0.3), c["state"]))
    load(app.extensions["locator.engine"], near)
    queries = [dict(random_query(RNG.choice(centers)["zip_code"]), radius="25") for _ in range(nqueries)]
    client = app.test_client()
    timed(client, queries[:50])
    small = pct(timed(client, queries), .5)
    far = [(float(z["lat"]), float(z["long"]), z["state"]) for z in (RNG.choice(west) for _ in range(90_000))]
    load(app.extensions["locator.engine"], far)
    timed(client, queries[:50])
    large = pct(timed(client, queries), .5)
    print(f"(b) p50 with 10,000 near: {small:.2f} ms; with 90,000 more far away: {large:.2f} ms; "
          f"ratio {large / small:.2f}  (target <= 1.5)")


def bench_c(app, queries, ours_p50: float, n: int):
    with app.app_context(), db.new_session() as session:
        columns = (Provider.id, Provider.latitude, Provider.longitude, Provider.medications)
        everyone = session.execute(select(*columns)).all()
        geocoder = app.extensions["locator.geocoder"]
        times = []
        for params in queries[:n]:
            started = time.perf_counter()
            place = geocoder.locate(params["location"])
            here = (place.latitude, place.longitude)
            radius = float(params["radius"])
            found = []
            for pid, lat, lon, meds in everyone:
                miles = geodesic(here, (lat, lon)).miles
                if miles <= radius and (not params.get("medication") or params["medication"] in meds):
                    found.append((miles, pid))
            found.sort()
            times.append((time.perf_counter() - started) * 1000)
    naive = statistics.median(times)
    print(f"(c) naive geodesic over {len(everyone):,} providers: p50 {naive:.0f} ms over {n} queries; "
          f"ours is {naive / ours_p50:.0f}x faster  (target >= 500x)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        app, _points, queries, p50 = bench_a(Path(tmp), args.providers, args.queries)
        bench_b(Path(tmp), args.queries)
        bench_c(app, queries, p50, args.naive)


if __name__ == "__main__":
    main()
