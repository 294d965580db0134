"""Benchmark of the offline geocoder: lookups per second, gazetteer load time and memory.

    .venv/bin/python bench/geocode_bench.py [--queries 10000] [--seed 1]

Prints figures; it is not a timed test. Targets (issue 3): at least 20,000 lookups/s over
10,000 mixed queries offline, a cold load under 0.5 s and under 40 MB.

- Queries: distinct, generated from the gazetteer itself: ZIPs, ZIP+4, cities in varied
  spellings ("dayton oh", "DAYTON, Ohio", "St. Louis, MO" ...), "lat,lon" points and reverse
  lookups, timed through `GeocodingService.locate` / `.reverse` as the app calls them. Errors
  (an ambiguous name) count as lookups: they are answers too.
- Load: in a fresh Python process, the time of `Gazetteer()` (reading and indexing the data
  file) and, separately, of importing the geocoding package (geopy and friends).
- Memory: tracemalloc's count of what the loaded gazetteer keeps (and its peak while loading),
  and the process's resident-size growth, each in its own fresh process.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOAD_PROBE = """
import json, sys, time
sys.path.insert(0, {root!r})
started = time.perf_counter()
import locator.geocoding.gazetteer as module
imported = time.perf_counter()
module.Gazetteer()
loaded = time.perf_counter()
print(json.dumps({{"import_s": imported - started, "load_s": loaded - imported}}))
"""

MEMORY_PROBE = """
import json, sys, tracemalloc
sys.path.insert(0, {root!r})
import locator.geocoding.gazetteer as module

def rss():
    with open("/proc/self/statm") as handle:
        import os
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

before = rss()
gazetteer = module.Gazetteer()
after = rss()
del gazetteer
tracemalloc.start()
gazetteer = module.Gazetteer()
kept, peak = tracemalloc.get_traced_memory()
print(json.dumps({{"rss_mb": (after - before) / 1e6, "kept_mb": kept / 1e6, "peak_mb": peak / 1e6}}))
"""


def probe(code: str) -> dict:
    output = subprocess.run([sys.executable, "-c", code.format(root=str(ROOT))], check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output)


def city_spellings(name: str, state: str, state_name: str) -> list[str]:
    short = name.replace("Saint ", "St. ").replace("Fort ", "Ft ").replace("Mount ", "Mt. ")
    return [f"{name}, {state}", f"{name.lower()} {state.lower()}", f"{name.upper()}, {state_name}",
            f"{short} {state}", f"  {name} ,  {state_name.lower()} ", f"{short}, {state_name}"]


def make_queries(gazetteer, count: int, seed: int) -> list[tuple[str, object]]:
    from locator.vocabulary import US_STATES

    rng = random.Random(seed)
    zips = gazetteer.zip_codes()
    cities = [c for c in range(gazetteer.city_count()) if gazetteer.city_zip_count(c)]
    queries: set[tuple[str, object]] = set()
    while len(queries) < count:
        roll = rng.random()
        if roll < 0.25:
            queries.add(("locate", rng.choice(zips)))
        elif roll < 0.35:
            queries.add(("locate", f"{rng.choice(zips)}-{rng.randrange(10000):04d}"))
        elif roll < 0.70:
            city = rng.choice(cities)
            state = gazetteer.city_state(city)
            queries.add(("locate", rng.choice(city_spellings(gazetteer.city_name(city), state,
                                                             US_STATES[state]))))
        elif roll < 0.85:
            at = gazetteer.zip_place(rng.choice(zips))
            lat = at.latitude + rng.uniform(-0.05, 0.05)
            lon = at.longitude + rng.uniform(-0.05, 0.05)
            queries.add(("locate", f"{lat:.5f},{lon:.5f}"))
        else:
            at = gazetteer.zip_place(rng.choice(zips))
            queries.add(("reverse", (at.latitude + rng.uniform(-0.1, 0.1), at.longitude + rng.uniform(-0.1, 0.1))))
    ordered = sorted(queries, key=repr)
    rng.shuffle(ordered)
    return ordered


def run(service, queries) -> tuple[float, int]:
    from locator.geocoding import GeocodeError

    errors = 0
    started = time.perf_counter()
    for kind, query in queries:
        try:
            if kind == "locate":
                service.locate(query)
            else:
                service.reverse(*query)
        except GeocodeError:
            errors += 1
    return time.perf_counter() - started, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    loads = [probe(LOAD_PROBE) for _ in range(3)]
    load = min(loads, key=lambda figures: figures["load_s"])
    memory = probe(MEMORY_PROBE)

    from locator.geocoding import build_service, get_gazetteer

    service = build_service({"GEOCODER": "offline"})
    queries = make_queries(get_gazetteer(), args.queries, args.seed)
    first, errors = run(service, queries)
    second, _ = run(service, queries)
    kinds = {kind: sum(1 for k, _ in queries if k == kind) for kind in ("locate", "reverse")}

    rate = len(queries) / first
    print(f"queries:            {len(queries)} distinct ({kinds['locate']} locate, {kinds['reverse']} reverse; "
          f"{errors} answered with an error such as an ambiguous name)")
    print(f"lookups/s (cold):   {rate:,.0f}   ({first * 1e6 / len(queries):.1f} µs each)   target >= 20,000")
    print(f"lookups/s (repeat): {len(queries) / second:,.0f}   (normalisation cache warm)")
    print(f"gazetteer load:     {load['load_s'] * 1000:.0f} ms cold, in a fresh process (best of 3)   "
          f"target < 500 ms")
    print(f"package import:     {load['import_s'] * 1000:.0f} ms (geopy, the locator package)")
    print(f"gazetteer memory:   {memory['kept_mb']:.1f} MB kept, {memory['peak_mb']:.1f} MB peak while "
          f"loading (tracemalloc); RSS +{memory['rss_mb']:.1f} MB   target < 40 MB")
    ok = rate >= 20_000 and load["load_s"] < 0.5 and max(memory["peak_mb"], memory["rss_mb"]) < 40
    print("targets:            " + ("all met" if ok else "NOT MET"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
