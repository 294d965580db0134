"""SAMHSA directory import benchmark and check: prints figures, asserts nothing.

(a) imports the real N-SUMHSS 2024 snapshot (../shared/data/facilities/, about 20,500 rows) into
    a temporary SQLite database through the CLI (`import-providers --format samhsa`): rows per
    second, added / skipped / rejected, the top rejection and skip reasons, peak memory (RSS);
(b) gives 30% of the imported providers a random availability report (in the temporary
    database only), runs random searches and compares each with a brute-force computation over
    every provider (the semantics of tests/test_search_properties.py): agreement;
(c) a buprenorphine + Medicaid search in a large city: the top 5 names with their SAMHSA codes.

The snapshot is for development only: nothing it produces is kept.
Usage: python bench/real_directory_bench.py [--snapshot PATH] [--searches 200] [--city "Chicago, IL"]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from locator import create_app, db, vocabulary  # noqa: E402
from locator.availability import add_report, days_ago  # noqa: E402
from locator.geo import haversine_miles  # noqa: E402
from locator.models import Provider, ProviderSource  # noqa: E402
from locator.search import search  # noqa: E402
from locator.search_query import SearchQuery  # noqa: E402
from tests.brute_force import passes  # noqa: E402

SNAPSHOT = ROOT.parent / "shared/data/facilities/nsumhss_2024_directory_facilities.csv.gz"
RNG = random.Random(8)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_snapshot(app, path: Path) -> None:
    rows = sum(1 for _ in gzip.open(path, "rt", encoding="utf-8")) - 1
    before = peak_mb()
    start = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["import-providers", str(path), "--format", "samhsa"])
    seconds = time.perf_counter() - start
    out = result.output
    print(f"(a) import: exit {result.exit_code}, {rows} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s; "
          f"peak RSS {peak_mb():.0f} MB (before the import {before:.0f} MB)")
    print("   ", out.strip().splitlines()[-1])
    rejected = Counter(re.sub(r"'[^']*'|\b\d+\b", "#", m) for m in re.findall(r"^rejected line \d+: (.*)$", out, re.M))
    for reason, count in rejected.most_common(5):
        print(f"    rejected {count}: {reason}")
    for line in re.findall(r"^skipped \d+: .*$", out, re.M):
        print("   ", line)
    unmapped = re.search(r"^codes not mapped to the vocabulary \((\d+)", out, re.M)
    print(f"    codes not mapped to the vocabulary: {unmapped.group(1) if unmapped else 0} distinct")


def random_query(rng: random.Random) -> SearchQuery:
    def some(category, k=2):
        keys = vocabulary.CATEGORIES[category].keys()
        return tuple(rng.sample(keys, rng.randint(0, k))) if rng.random() < 0.5 else ()
    return SearchQuery(location="x", radius=rng.choice([5, 10, 25, 50, 100]), medication=some("medications"),
                       payment=some("payment"), service=some("services", 1), language=some("languages", 1),
                       population=some("populations", 1), accepting=rng.random() < 0.15,
                       walk_in=rng.random() < 0.1, telehealth=rng.random() < 0.1,
                       max_wait=rng.choice([None, None, None, 7, 30]), sort=rng.choice(["best", "distance", "wait"]),
                       per_page=1_000_000)


def compare_searches(session, searches: int) -> None:
    providers = list(session.scalars(select(Provider)).unique())
    for p in RNG.sample(providers, len(providers) * 3 // 10):
        add_report(session, p.id, reporter_kind=RNG.choice(["provider", "caseworker", "import"]),
                   accepting_new_patients=RNG.choice([True, False, None]), wait_days=RNG.choice([None, 0, 3, 10, 40]),
                   walk_in=RNG.choice([True, False, None]), reported_at=days_ago(RNG.randint(0, 200)))
    session.commit()
    session.expire_all()
    providers = list(session.scalars(select(Provider)).unique())
    agree, found_total, start = 0, 0, time.perf_counter()
    for _ in range(searches):
        anchor = RNG.choice(providers)
        place = SimpleNamespace(latitude=anchor.latitude + RNG.uniform(-0.3, 0.3),
                                longitude=anchor.longitude + RNG.uniform(-0.3, 0.3), state=anchor.state)
        q = random_query(RNG)
        found = search(session, q, place)
        ids = [r.provider.id for r in found.results]
        expected = {p.id for p in providers if p.settings != ["telehealth"] and passes(p, q)
                    and haversine_miles(place.latitude, place.longitude, p.latitude, p.longitude) <= found.radius_miles}
        tele_ok = all("telehealth" in r.provider.settings and r.provider.state == place.state
                      and passes(r.provider, q) for r in found.telehealth)
        distances = [r.distance_miles for r in found.results]
        order_ok = q.sort != "distance" or distances == sorted(distances)
        agree += set(ids) == expected and len(ids) == len(set(ids)) == found.total and tele_ok and order_ok
        found_total += found.total
    seconds = time.perf_counter() - start
    print(f"(b) {searches} random searches: {agree}/{searches} agree with brute force "
          f"({found_total / searches:.0f} results on average; {seconds:.1f} s with the brute force)")


def city_search(app, session, city: str, path: Path) -> None:
    place = app.extensions["locator.geocoder"].locate(city, session)
    q = SearchQuery(location=city, medication=("buprenorphine",), payment=("medicaid",), per_page=5)
    found = search(session, q, place)
    wanted = {*vocabulary.MEDICATIONS.by_key["buprenorphine"].codes, *vocabulary.PAYMENT.by_key["medicaid"].codes}
    codes = {}
    for row in csv.DictReader(gzip.open(path, "rt", encoding="utf-8")):
        codes[row["facility_id"]] = row["service_code_info"].replace("*", " ").split()
    print(f"(c) buprenorphine + Medicaid near {place.label} ({place.precision}): {found.total} within "
          f"{found.radius_miles:g} miles; top 5:")
    for r in found.results[:5]:
        fid = session.scalar(select(ProviderSource.source_id).where(ProviderSource.provider_id == r.provider.id))
        shown = [c for c in codes.get(fid, []) if c in wanted]
        name = " / ".join(n for n in (r.provider.name, r.provider.name2) if n)
        print(f"    {r.distance_miles:5.1f} mi  {name} ({r.provider.city}) [{fid}] codes: {' '.join(shown)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--city", default="Chicago, IL")
    args = parser.parse_args()
    if not args.snapshot.is_file():
        sys.exit(f"{args.snapshot}: not found (the SAMHSA snapshot is in ../shared/data/facilities/)")
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "LOG_LEVEL": "WARNING"})
        import_snapshot(app, args.snapshot)
        with app.app_context(), db.new_session() as session:
            city_search(app, session, args.city, args.snapshot)
            compare_searches(session, args.searches)
        app.extensions["locator.engine"].dispose()


if __name__ == "__main__":
    main()
