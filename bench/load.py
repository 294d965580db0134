"""Load test: gunicorn with 2 workers on loopback, 32 concurrent connections, mixed traffic.

Starts its own server on a free 127.0.0.1 port over a fresh SQLite database holding the
demonstration data, then runs bounded phases (each stops by itself):
  1. mixed traffic for --duration seconds: search pages, the search API, provider pages,
     referral packets, and the trivial /livez;
  2. the results page alone for --phase seconds (the budget: p99 at most 250 ms, no errors);
  3. for reference, the trivial route alone for half as long.
Prints requests/s, p50/p95/p99 latency and errors per kind and phase. Never a timed test.

Usage: python bench/load.py [--duration 60] [--phase 30] [--connections 32] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, workers: int) -> tuple[subprocess.Popen, int, dict]:
    # Production settings: several workers need shared rate-limit counters (gunicorn.conf.py).
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp / 'load.sqlite3'}", LOCATOR_ENV="production",
               SECRET_KEY="load-test-secret-key-0123456789abcdef", LOG_LEVEL="WARNING",
               PUBLIC_URL="http://127.0.0.1", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
               WORKERS=str(workers))
    flask = [str(BIN / "flask"), "--app", "locator"]
    subprocess.run([*flask, "init-db"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*flask, "import-providers", "data/providers.csv", "--source", "demo"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", "locator:create_app()"], env=env, cwd=ROOT)
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/livez")
            if conn.getresponse().status == 200:
                return server, port, env
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def demo_targets() -> tuple[list[str], int]:
    with open(ROOT / "data/providers.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return sorted({r["zip"] for r in rows}), len(rows)


def mixed_request(rng: random.Random, zips: list[str], count: int) -> tuple[str, str]:
    roll = rng.random()
    zip_code = rng.choice(zips)
    filters = rng.choice(["", "&medication=buprenorphine", "&payment=medicaid", "&accepting=1",
                          "&medication=methadone&payment=medicaid", "&sort=wait", "&walk_in=1"])
    if roll < 0.35:
        return "search", f"/search?location={zip_code}{filters}"
    if roll < 0.55:
        return "api_search", f"/api/v1/search?location={zip_code}{filters}"
    if roll < 0.75:
        return "provider", f"/providers/{rng.randint(1, count)}"
    if roll < 0.85:
        ids = ",".join(str(rng.randint(1, count)) for _ in range(rng.randint(1, 6)))
        return "referrals", f"/referrals?ids={ids}"
    if roll < 0.90:
        return "api_provider", f"/api/v1/providers/{rng.randint(1, count)}"
    return "livez", "/livez"


def run_phase(port: int, seconds: float, connections: int, pick, seed: int = 0) -> dict[str, list]:
    """Closed loop: each connection sends its next request when the last one is answered."""
    results: dict[str, list] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(seed: int):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        local: dict[str, list] = defaultdict(list)
        local_errors: dict[str, int] = defaultdict(int)
        while time.monotonic() < deadline:
            kind, path = pick(rng)
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status < 500 and response.status != 429
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = (time.perf_counter() - started) * 1000
            local[kind].append(elapsed)
            if not ok:
                local_errors[kind] += 1
        with lock:
            for kind, values in local.items():
                results[kind].extend(values)
            for kind, n in local_errors.items():
                errors[kind] += n

    threads = [threading.Thread(target=worker, args=(seed + n,)) for n in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Requests still under way at the deadline are counted, so the rate is over the time until
    # the last one was answered, not over the nominal `seconds`.
    return {"times": results, "errors": errors, "seconds": time.monotonic() - started}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def report(title: str, phase: dict) -> dict[str, float]:
    print(f"\n{title}")
    print(f"  {'kind':<13}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    everything = [t for values in phase["times"].values() for t in values]
    rates = {}
    for kind in [*sorted(phase["times"]), "ALL"]:
        values = everything if kind == "ALL" else phase["times"][kind]
        errors = sum(phase["errors"].values()) if kind == "ALL" else phase["errors"].get(kind, 0)
        rates[kind] = len(values) / phase["seconds"]
        print(f"  {kind:<13}{len(values):>9}{rates[kind]:>9.1f}{pct(values, .5):>9.1f}{pct(values, .95):>9.1f}"
              f"{pct(values, .99):>9.1f}{errors:>8}")
    return rates


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--phase", type=float, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    zips, count = demo_targets()
    with tempfile.TemporaryDirectory() as tmp:
        server, port, _env = start_server(Path(tmp), args.workers)
        try:
            print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}; {args.connections} connections; "
                  f"{count:,} demonstration providers; {os.cpu_count()} CPU cores shared with this client")
            mixed = run_phase(port, args.duration, args.connections, lambda rng: mixed_request(rng, zips, count))
            report(f"Phase 1: mixed traffic for {args.duration:.0f} s", mixed)

            def results_page(rng):
                kind, path = mixed_request(rng, zips, count)
                while kind != "search":
                    kind, path = mixed_request(rng, zips, count)
                return kind, path

            pages = run_phase(port, args.phase, args.connections, results_page, seed=1000)
            report(f"Phase 2: the results page alone for {args.phase:.0f} s", pages)
            trivial = run_phase(port, args.phase / 2, args.connections, lambda rng: ("livez", "/livez"), seed=2000)
            report(f"Phase 3, for reference: the trivial route /livez alone for {args.phase / 2:.0f} s", trivial)
            page_times = pages["times"]["search"]
            all_times = [t for values in mixed["times"].values() for t in values]
            print(f"\nResults page alone: {sum(pages['errors'].values())} errors, p99 {pct(page_times, .99):.0f} ms "
                  "(targets: zero errors, p99 at most 250 ms)")
            print(f"Mixed traffic: {sum(mixed['errors'].values())} errors, p99 {pct(all_times, .99):.0f} ms")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
