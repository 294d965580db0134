"""Where the real directory's providers are, and what people find: prints figures, asserts nothing.

On the N-SUMHSS 2024 directory (../shared/data/facilities/, never committed), imported into a
temporary SQLite database:
(a) methadone: rows the directory lists under methadone by the old rules (a methadone code, no
    NMOA/NOOP) and by the new ones (certified OTPs count; medication codes win over NMOA), the
    providers listed under methadone after the import, and, near Baltimore, how many of the
    expected places (substance use rows with a methadone code or an OTP certification within
    25 miles of 21201) a methadone search finds;
(b) `import-coordinates` fed with the geocoded extracts (oeps SAMHSA 2019-20, GeoDa MOUD 2020):
    the share of providers at street-address precision, and the median distance they moved;
(c) the top five buprenorphine providers by distance from random places, in the true order (by
    the geocoded points), before and after (b): only searches whose true top five all have a
    geocoded point count.

Usage: python bench/real_locations_bench.py [--searches 500]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from locator import create_app, db, vocabulary  # noqa: E402
from locator.geo import geocell, haversine_miles  # noqa: E402
from locator.importers import samhsa  # noqa: E402
from locator.models import Provider  # noqa: E402
from locator.search import search  # noqa: E402
from locator.search_query import SearchQuery  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DIRECTORY = SHARED / "facilities" / "nsumhss_2024_directory_facilities.csv.gz"
EXTRACTS = [SHARED / "facilities" / "oeps_SAMHSA_Nationwide_Substance_Use_Treatment_Data.csv",
            SHARED / "moud" / "geoda_moud_providers_2020-09.csv"]
RNG = random.Random(16)


def methadone_rows() -> tuple[int, int, list[dict]]:
    old = new = 0
    rows = list(csv.DictReader(gzip.open(DIRECTORY, "rt", encoding="utf-8")))
    for row in rows:
        codes = set(row["service_code_info"].replace("*", " ").upper().split())
        if row["directory_type"] == "mental" and "SA" not in codes:
            continue
        if "methadone" in vocabulary.MEDICATIONS.from_codes(codes) and not codes & vocabulary.NOT_MOUD_CODES:
            old += 1
        if "methadone" in samhsa.medications(codes)[0]:
            new += 1
    return old, new, rows


def baltimore(app, rows) -> None:
    with app.app_context(), db.new_session() as session:
        place = app.extensions["locator.geocoder"].locate("21201")
        gaz = app.extensions["locator.geocoder"].gazetteer
        expected = 0
        for row in rows:
            codes = set(row["service_code_info"].replace("*", " ").upper().split())
            if "SA" not in codes or not (codes & {"METH", "MU", "MM", "DM", "OTP", "SOTP"}):
                continue
            at = gaz.zip_place(row["zip"].strip()[:5].zfill(5))
            if at and haversine_miles(place.latitude, place.longitude, at.latitude, at.longitude) <= 25:
                expected += 1
        found = search(session, SearchQuery(location="21201", medication=("methadone",), radius=25, per_page=50),
                       place)
        print(f"    near Baltimore (21201, 25 mi): {expected} substance use rows with a methadone code or an OTP "
              f"certification; a methadone search finds {found.total} places")


def points(session) -> dict[int, tuple[float, float, str]]:
    return {pid: (lat, lon, precision) for pid, lat, lon, precision in session.execute(
        select(Provider.id, Provider.latitude, Provider.longitude, Provider.geocode_precision))}


def top_five_agreement(app, true_points: dict[int, tuple[float, float]], searches: int) -> float:
    """Share of searches whose top five by distance come in the true order."""
    with app.app_context(), db.new_session() as session:
        geocoder = app.extensions["locator.geocoder"]
        anchors = list(true_points.values())
        agree = counted = 0
        for _ in range(searches * 20):
            if counted >= searches:
                break
            lat, lon = RNG.choice(anchors)
            place = geocoder.reverse(lat + RNG.uniform(-0.05, 0.05), lon + RNG.uniform(-0.05, 0.05))
            found = search(session, SearchQuery(location="x", medication=("buprenorphine",), sort="distance",
                                                radius=25, per_page=20), place)
            ids = [r.provider.id for r in found.results]
            if len(ids) < 5 or not all(pid in true_points for pid in ids):
                continue
            truth = sorted(ids, key=lambda pid: haversine_miles(place.latitude, place.longitude, *true_points[pid]))
            counted += 1
            agree += ids[:5] == truth[:5]
        return agree / max(counted, 1), counted


def put_back(app, points: dict) -> None:
    """Place each provider id at its (lat, lon, precision)."""
    with app.app_context(), db.new_session() as session:
        for pid, (lat, lon, precision) in points.items():
            session.execute(Provider.__table__.update().where(Provider.id == pid).values(
                latitude=lat, longitude=lon, geocode_precision=precision, geocell=geocell(lat, lon)))
        session.commit()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=500)
    args = parser.parse_args(argv)
    if not DIRECTORY.exists():
        raise SystemExit(f"{DIRECTORY} is missing: this benchmark needs the shared real-data snapshots")
    old, new, rows = methadone_rows()
    print(f"(a) directory rows listed under methadone: {old} by the old rules, {new} by the new ones "
          f"(+{new - old})")
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{Path(tmp) / 'real.sqlite3'}", "TESTING": True,
                          "LOG_LEVEL": "WARNING"})
        runner = app.test_cli_runner()
        started = time.perf_counter()
        out = runner.invoke(args=["import-providers", str(DIRECTORY), "--format", "samhsa"]).output
        print(f"    import ({time.perf_counter() - started:.0f} s): {out.strip().splitlines()[-1]}")
        with app.app_context(), db.new_session() as session:
            count = session.scalar(select(func.count()).select_from(Provider).where(
                Provider.medications.op("&")(vocabulary.MEDICATIONS.mask(["methadone"])) != 0))
            total = session.scalar(select(func.count()).select_from(Provider))
            print(f"    providers listed under methadone: {count} of {total}")
            before = points(session)
        baltimore(app, rows)
        for extract in EXTRACTS:
            started = time.perf_counter()
            out = runner.invoke(args=["import-coordinates", str(extract)]).output
            print(f"(b) {out.strip().splitlines()[-1]} ({time.perf_counter() - started:.1f} s)")
        with app.app_context(), db.new_session() as session:
            after = points(session)
        moved = [haversine_miles(b[0], b[1], a[0], a[1]) for pid, a in after.items()
                 if (b := before[pid]) and a[2] == "address" and b[2] != "address"]
        exact = sum(1 for a in after.values() if a[2] == "address")
        was = sum(1 for b in before.values() if b[2] == "address")
        print(f"    at street-address precision: {exact} of {len(after)} ({100 * exact / len(after):.1f}%), "
              f"before {was}; median move {statistics.median(moved):.2f} mi, "
              f"90th percentile {sorted(moved)[int(len(moved) * .9)]:.2f} mi, max {max(moved):.1f} mi")
        true_points = {pid: (a[0], a[1]) for pid, a in after.items() if a[2] == "address"}
        # Before: the same searches with every provider back at its ZIP's point.
        put_back(app, before)
        RNG.seed(16)
        share, n = top_five_agreement(app, true_points, args.searches)
        print(f"(c) top five by distance in the true order, ZIP points: {100 * share:.0f}% of {n} searches")
        put_back(app, after)
        RNG.seed(16)
        share, n = top_five_agreement(app, true_points, args.searches)
        print(f"    after import-coordinates: {100 * share:.0f}% of {n} searches")


if __name__ == "__main__":
    main()
