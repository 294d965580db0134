"""Write data/bridges.csv: fictional start-today bridge options for every state and territory.

Demonstration data only (every row is marked demo and named "fictional"), so the start-today
section and the text-message answers can be seen working until an operator loads a real list
with `flask --app locator import-bridges PATH`. No row has a verified_on date: nobody verified
a fictional listing. The output is the same on every run.

Usage: python scripts/make_bridges.py [--out data/bridges.csv]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from locator import vocabulary  # noqa: E402
from locator.importers.bridges_csv import COLUMNS  # noqa: E402

KINDS = {
    "telehealth_line": ("{state} 24/7 Telehealth Start Line (fictional)", "24/7", "buprenorphine",
                        "Demonstration listing. A clinician by video or phone can start buprenorphine today and "
                        "send the prescription to a pharmacy near you."),
    "ed_bridge": ("{state} Emergency Department Bridge Program (fictional)", "24/7", "buprenorphine",
                  "Demonstration listing. Emergency departments in the program can give a first dose of "
                  "buprenorphine and book a follow-up at a clinic within days."),
    "access_line": ("{state} Treatment Access Line (fictional)", "Mon-Fri 8:00-20:00; Sat-Sun 10:00-16:00",
                    "buprenorphine;methadone;naltrexone",
                    "Demonstration listing. Navigators look for open intake slots, including methadone programs "
                    "with walk-in hours, and can call ahead for you."),
    "mobile": ("{state} Mobile Treatment Unit (fictional)", "Tue, Thu 9:00-15:00", "buprenorphine;methadone",
               "Demonstration listing. A van that starts buprenorphine (and methadone where allowed) at set "
               "stops; call for this week's stops."),
}


def rows() -> list[dict]:
    out = []
    for n, (code, name) in enumerate(sorted(vocabulary.US_STATES.items())):
        kinds = [k for k in KINDS if k != "mobile" or n % 3 == 0]  # a mobile unit in one state of three
        for m, kind in enumerate(kinds):
            title, hours, medications, notes = KINDS[kind]
            out.append({"state": code, "name": title.format(state=name), "kind": kind,
                        "phone": f"888-555-01{(n * 4 + m) % 100:02d}", "hours": hours, "medications": medications,
                        "notes": notes, "url": f"https://example.org/bridges/{code.lower()}-{kind.replace('_', '-')}",
                        "verified_on": "", "demo": "yes"})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "bridges.csv")
    args = parser.parse_args(argv)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows())
    return 0


if __name__ == "__main__":
    sys.exit(main())
