"""The desk's front page benchmark (the data's health and the worklist): prints figures, asserts nothing.

Builds N listings spread over every state (default 20,000) in a temporary SQLite database, most
with an availability report of a random age (some also with a methadone report of their own),
some closed, with open and resolved problem reports and a month of desk calls; then times
`data_health` and the worklist's first page, unfiltered and for one state (median of a few
runs each), and prints the size of the freshness chart.

Usage: python bench/health_bench.py [--listings 20000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, update

from locator import create_app, db, vocabulary
from locator.availability import days_ago
from locator.data_health import data_health
from locator.desk_models import CALL_OUTCOMES, DeskCall
from locator.health_svg import ChartWords, freshness_chart
from locator.models import AvailabilityReport, MedicationReport, ProblemReport, Provider, utcnow
from locator.staff import create_staff
from locator.worklist import Filters, worklist

RNG = random.Random(2026)
STATES = sorted(vocabulary.US_STATES)
WORDS = ChartWords(title="Listings with fresh availability, by state", within_14="within 14 days",
                   within_60="within 60 days", empty="No listings yet.",
                   row=lambda s: f"{s.state}: {s.listings} listings, {s.share_14:.0%} within 14 days, "
                                 f"{s.share_60:.0%} within 60 days")


def listing(n: int, now) -> dict:
    otp = RNG.random() < 0.15
    return dict(name=f"Bench {n}", state=RNG.choice(STATES), city="X", zip="00000", latitude=40.0, longitude=-75.0,
                geocode_precision="address", medications=["methadone", "buprenorphine"] if otp else ["buprenorphine"],
                settings=["outpatient"], medication_forms=[], payment=["medicaid"], services=[], languages=[],
                populations=[], is_demo=True, name2="", street="", street2="", phone="", intake_phone="", website="",
                hours="", insurance_plans=[], closed_at=now if RNG.random() < 0.02 else None,
                created_at=now, updated_at=now)


def load(engine, count: int) -> None:
    now = utcnow()
    rows = [listing(n, now) for n in range(count)]
    with engine.begin() as conn:
        conn.execute(insert(Provider), rows)
        ids = list(conn.scalars(select(Provider.id).order_by(Provider.id)))
        conn.execute(insert(AvailabilityReport), [
            dict(provider_id=pid, reporter_kind=RNG.choice(["provider", "caseworker", "import"]), medication=None,
                 accepting_new_patients=True, wait_days=RNG.choice([0, 2, 7, 30]), note="",
                 reported_at=days_ago(RNG.randint(0, 120))) for pid in ids if RNG.random() < 0.8])
        conn.execute(update(Provider).values(current_report_id=select(AvailabilityReport.id).where(
            AvailabilityReport.provider_id == Provider.id).scalar_subquery()))
        both = [pid for pid, row in zip(ids, rows, strict=True) if len(row["medications"]) > 1 and RNG.random() < 0.5]
        first = (conn.scalar(select(AvailabilityReport.id).order_by(AvailabilityReport.id.desc()).limit(1)) or 0) + 1
        if both:
            conn.execute(insert(AvailabilityReport), [
                dict(id=first + n, provider_id=pid, reporter_kind="provider", medication="methadone",
                     accepting_new_patients=True, wait_days=3, note="", reported_at=days_ago(RNG.randint(0, 30)))
                for n, pid in enumerate(both)])
            conn.execute(insert(MedicationReport), [
                dict(provider_id=pid, medication="methadone", report_id=first + n) for n, pid in enumerate(both)])
        conn.execute(insert(ProblemReport), [
            dict(provider_id=RNG.choice(ids), kind="phone", details="", reported_at=days_ago(RNG.randint(0, 90)),
                 resolved_at=now if RNG.random() < 0.5 else None) for _ in range(max(count // 20, 1))])
    with db.new_session() as session:
        staff_id = create_staff(session, "bench@example.org", "Bench", "a long enough password").id
        session.commit()
    with engine.begin() as conn:
        conn.execute(insert(DeskCall), [
            dict(provider_id=RNG.choice(ids), staff_id=staff_id, outcome=RNG.choice(CALL_OUTCOMES),
                 called_at=now - timedelta(hours=RNG.randint(0, 24 * 30))) for _ in range(max(count // 10, 1))])
    db.checkpoint(engine)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{Path(tmp) / 'health.sqlite3'}", "TESTING": True,
                          "LOCATOR_ENV": "testing", "LOG_LEVEL": "WARNING"})
        with app.app_context():
            engine = db.get_engine()
            db.create_schema(engine)
            started = time.perf_counter()
            load(engine, args.listings)
            print(f"loaded {args.listings:,} listings in {time.perf_counter() - started:.1f} s")
            times = []
            with db.new_session() as session:
                for _ in range(args.runs):
                    started = time.perf_counter()
                    health = data_health(session)
                    times.append((time.perf_counter() - started) * 1000)
                lists = {"worklist": Filters(), "worklist, one state": Filters(state="PA")}
                list_times = {name: [] for name in lists}
                for name, filters in lists.items():
                    for _ in range(args.runs):
                        started = time.perf_counter()
                        page = worklist(session, filters)
                        list_times[name].append((time.perf_counter() - started) * 1000)
                    list_times[name].append(page.total)
            svg = freshness_chart(health.states, WORDS)
    print(f"data_health: median {statistics.median(times):.1f} ms over {args.runs} runs "
          f"(min {min(times):.1f}, max {max(times):.1f})")
    print(f"{len(health.states)} states, {sum(s.listings for s in health.states):,} open listings, "
          f"{health.problems.count:,} open problem reports, {health.calls.total:,} calls this week")
    print(f"chart: {len(svg.encode()):,} bytes of SVG")
    for name, figures in list_times.items():
        total, runs = figures[-1], figures[:-1]
        print(f"{name} (page 1 of {total:,} listings to call): median {statistics.median(runs):.1f} ms "
              f"(min {min(runs):.1f}, max {max(runs):.1f})")


if __name__ == "__main__":
    main()
