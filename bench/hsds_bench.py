"""HSDS API benchmark: prints figures, asserts nothing.

(a) 100,000 synthetic providers (as bench/search_bench.py makes them, with per-medication
    reports), 300 requests of a 50-item page of
    /api/hsds/service_at_locations?postcode=ZIP&proximity=40000 around random ZIPs
    (in-process test client, SQLite): p50 and p95.
(b) /api/hsds/services?format=ndjson over the whole directory: rows per second, then (a second
    pass) the peak memory Python allocated while streaming (tracemalloc).

Usage: python bench/hsds_bench.py [--providers 100000] [--requests 300]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import ZIPS, load, make_app, pct

RNG = random.Random(2027)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp) / "hsds.sqlite3")
        points = [(float(z["lat"]), float(z["long"]), z["state"]) for z in (RNG.choice(ZIPS) for _ in
                                                                             range(args.providers))]
        started = time.perf_counter()
        load(app.extensions["locator.engine"], points)
        print(f"loaded {args.providers:,} providers in {time.perf_counter() - started:.1f} s")
        client = app.test_client()
        zips = [RNG.choice(ZIPS)["zip_code"] for _ in range(args.requests + 20)]
        times, sizes = [], []
        for n, zip_code in enumerate(zips):
            started = time.perf_counter()
            response = client.get("/api/hsds/service_at_locations",
                                  query_string={"postcode": zip_code, "proximity": "40000", "per_page": "50"})
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code in (200, 400), response.status_code  # 400: a ZIP the gazetteer lacks
            if n >= 20 and response.status_code == 200:  # the first 20 warm up
                times.append(elapsed)
                sizes.append(response.get_json()["size"])
        print(f"(a) {len(times)} pages of service_at_locations?postcode&proximity=40000&per_page=50: "
              f"p50 {pct(times, .5):.1f} ms, p95 {pct(times, .95):.1f} ms; median page size {pct(sizes, .5)}")
        started = time.perf_counter()
        rows = stream(client)
        elapsed = time.perf_counter() - started
        tracemalloc.start()  # a second pass for memory: tracing slows Python down several times
        stream(client)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"(b) ndjson of every service: {rows:,} rows in {elapsed:.1f} s, {rows / elapsed:,.0f} rows/s; "
              f"peak memory Python allocated while streaming {peak / 2**20:.1f} MiB")


def stream(client) -> int:
    rows = 0
    with client.get("/api/hsds/services", query_string={"format": "ndjson"}) as response:
        for chunk in response.response:
            rows += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    return rows

if __name__ == "__main__":
    main()
