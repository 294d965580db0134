"""Import benchmark: 100,000 rows of providers.csv into a fresh SQLite database, through the
same code path as `flask --app locator import-providers`. Prints rows per second and peak
memory, for a first import and for a re-import of the same file (all unchanged).

The rows are the demonstration data repeated with new source ids (so every row is new).
Usage: python bench/import_bench.py [--rows 100000] [--database-url postgresql+psycopg://...]
(the database named by --database-url is emptied first; by default a new SQLite file is used)
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from locator import create_app, db
from locator.importers import import_file
from locator.models import Base

ROOT = Path(__file__).resolve().parent.parent


def make_file(path: Path, rows: int) -> None:
    with open(ROOT / "data/providers.csv", newline="") as handle:
        reader = csv.DictReader(handle)
        demo = list(reader)
        columns = reader.fieldnames
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for n in range(rows):
            row = dict(demo[n % len(demo)], source_id=f"bench-{n:06d}")
            writer.writerow(row)


def empty(engine) -> None:
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def timed_import(app, path: Path) -> tuple[float, object]:
    geocoder = app.extensions["locator.geocoder"]
    with app.app_context(), db.new_session() as session:
        started = time.perf_counter()
        report = import_file(session, path, "csv", "bench", locate=geocoder.place_provider)
        return time.perf_counter() - started, report


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="an existing database to empty and import into")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "providers.csv"
        make_file(path, args.rows)
        url = args.database_url or f"sqlite:///{Path(tmp) / 'import.sqlite3'}"
        app = create_app({"DATABASE_URL": url, "TESTING": True, "LOG_LEVEL": "WARNING"})
        with app.app_context():
            if args.database_url:
                empty(db.get_engine())
            db.migrate(db.get_engine())
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds, report = timed_import(app, path)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        engine = app.extensions["locator.engine"].dialect.name
        print(f"{engine}: first import of {args.rows:,} rows: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s "
              f"({report.summary()}); peak RSS {peak:.0f} MB (was {before:.0f} MB)  (target: at most 20 s)")
        seconds, report = timed_import(app, path)
        print(f"re-import of the same file: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s ({report.summary()})")


if __name__ == "__main__":
    main()
