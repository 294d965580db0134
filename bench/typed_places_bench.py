"""Benchmark of "places people type": how often the offline geocoder gives a right answer.

    .venv/bin/python bench/typed_places_bench.py [--failures-only]

Prints figures; it asserts nothing. Each input below is something people really type
(misspellings, counties, New York boroughs and neighbourhoods, ZIPs that lost their leading
zero, ambiguous names, abbreviations, ZIP+4, "City ST", odd case and spacing), with what a
right answer is:

- `is`:       the answer is the place with this label;
- `offers`:   the answer is that place, or the error's candidates include it;
- `first`:    the answer is that place, or it is the error's first candidate (ambiguous names
              are listed by population: the largest first).

Each input runs through `build_service({})` (offline, as the app calls it); the success rate
is printed overall and per kind, then every failure with what came back.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CASES: list[tuple[str, str, str, str]] = [  # (kind, typed, expectation, label)
    ("misspelling", "Cincinatti, OH", "offers", "Cincinnati, OH"),
    ("misspelling", "Albuqerque NM", "offers", "Albuquerque, NM"),
    ("misspelling", "Louisvile", "first", "Louisville, KY"),
    ("misspelling", "Philedelphia", "first", "Philadelphia, PA"),
    ("misspelling", "Sacremento, CA", "offers", "Sacramento, CA"),
    ("misspelling", "Tuscon AZ", "offers", "Tucson, AZ"),
    ("misspelling", "Pheonix", "first", "Phoenix, AZ"),
    ("misspelling", "Chicgo, IL", "offers", "Chicago, IL"),
    ("misspelling", "Milwaukie, WI", "offers", "Milwaukee, WI"),
    ("misspelling", "Knoxvile, TN", "offers", "Knoxville, TN"),
    ("misspelling", "Nashvile", "first", "Nashville, TN"),
    ("misspelling", "Mimai, FL", "offers", "Miami, FL"),
    ("misspelling", "Los Angelas", "first", "Los Angeles, CA"),
    ("misspelling", "Indianappolis", "first", "Indianapolis, IN"),
    ("misspelling", "Colombus, Ohio", "offers", "Columbus, OH"),
    ("misspelling", "Allbany NY", "offers", "Albany, NY"),
    ("misspelling", "Pittsburg, PA", "offers", "Pittsburgh, PA"),
    ("misspelling", "San Fransisco, CA", "offers", "San Francisco, CA"),
    ("misspelling", "Seatle WA", "offers", "Seattle, WA"),
    ("misspelling", "Harrisburgh PA", "offers", "Harrisburg, PA"),
    ("misspelling", "Bostn", "first", "Boston, MA"),
    ("misspelling", "Cincinnati, KY", "offers", "Cincinnati, OH"),
    ("nickname", "Philly", "offers", "Philadelphia, PA"),
    ("nickname", "Wash DC", "is", "Washington, DC"),
    ("county", "Cook County, IL", "is", "Cook County, IL"),
    ("county", "Miami-Dade County, FL", "is", "Miami-Dade County, FL"),
    ("county", "Los Angeles County", "is", "Los Angeles County, CA"),
    ("county", "cook county illinois", "is", "Cook County, IL"),
    ("county", "Cuyahoga County OH", "is", "Cuyahoga County, OH"),
    ("county", "Kanawha County, West Virginia", "is", "Kanawha County, WV"),
    ("county", "Orleans Parish, LA", "is", "Orleans Parish, LA"),
    ("county", "Harris County, TX", "is", "Harris County, TX"),
    ("county", "Cook County", "first", "Cook County, IL"),
    ("county", "Washington County", "offers", "Washington County, PA"),
    ("county", "Prince Georges County", "is", "Prince George's County, MD"),
    ("county", "Fairfax County VA", "is", "Fairfax County, VA"),
    ("borough", "Queens, NY", "is", "Queens, NY"),
    ("borough", "Queens", "is", "Queens, NY"),
    ("borough", "The Bronx", "is", "Bronx, NY"),
    ("borough", "Bronx", "is", "Bronx, NY"),
    ("borough", "Staten Island", "is", "Staten Island, NY"),
    ("borough", "Manhattan, NY", "is", "Manhattan, NY"),
    ("borough", "Brooklyn, NY", "is", "Brooklyn, NY"),
    ("borough", "Brooklyn", "first", "Brooklyn, NY"),
    ("borough", "Manhattan", "first", "Manhattan, NY"),
    ("borough", "Staten Is", "is", "Staten Island, NY"),
    ("borough", "Bronx NY", "is", "Bronx, NY"),
    ("neighbourhood", "Harlem", "first", "Harlem, NY"),
    ("neighbourhood", "Astoria, NY", "is", "Astoria, NY"),
    ("neighbourhood", "Jamaica, NY", "is", "Jamaica, NY"),
    ("neighbourhood", "Flushing, NY", "is", "Flushing, NY"),
    ("neighbourhood", "Washington Heights, NY", "is", "Washington Heights, NY"),
    ("neighbourhood", "Bushwick", "first", "Bushwick, NY"),
    ("neighbourhood", "Upper West Side", "first", "Upper West Side, NY"),
    ("neighbourhood", "Koreatown, CA", "is", "Koreatown, CA"),
    ("neighbourhood", "Logan Square, IL", "is", "Logan Square, IL"),
    ("neighbourhood", "Long Island City", "is", "Long Island City, NY"),
    ("neighbourhood", "Far Rockaway", "is", "Far Rockaway, NY"),
    ("neighbourhood", "Bed-Stuy", "offers", "Brooklyn, NY"),
    ("neighbourhood", "Williamsburg, Brooklyn", "is", "Williamsburg, NY"),
    ("zip4", "2139", "offers", "02139, Cambridge, MA"),
    ("zip4", "2134", "offers", "02134, Allston, MA"),
    ("zip4", "7102", "offers", "07102, Newark, NJ"),
    ("zip4", "6103", "offers", "06103, Hartford, CT"),
    ("zip4", "3101", "offers", "03101, Manchester, NH"),
    ("ambiguous", "Springfield", "first", "Springfield, MO"),
    ("ambiguous", "Portland", "first", "Portland, OR"),
    ("ambiguous", "Columbus", "first", "Columbus, OH"),
    ("ambiguous", "Kansas City", "first", "Kansas City, MO"),
    ("ambiguous", "Aurora", "first", "Aurora, CO"),
    ("ambiguous", "Jacksonville", "first", "Jacksonville, FL"),
    ("ambiguous", "Arlington", "first", "Arlington, TX"),
    ("ambiguous", "Richmond", "first", "Richmond, VA"),
    ("ambiguous", "Rochester", "first", "Rochester, NY"),
    ("ambiguous", "Glendale", "first", "Glendale, AZ"),
    ("abbreviation", "St. Paul, MN", "is", "Saint Paul, MN"),
    ("abbreviation", "Ft. Lauderdale, Fla", "is", "Fort Lauderdale, FL"),
    ("abbreviation", "Mt Pleasant, SC", "is", "Mount Pleasant, SC"),
    ("abbreviation", "NYC", "is", "New York, NY"),
    ("abbreviation", "Phila, PA", "is", "Philadelphia, PA"),
    ("abbreviation", "Washington, D.C.", "is", "Washington, DC"),
    ("zip_plus4", "45402-1234", "is", "45402, Dayton, OH"),
    ("zip_plus4", "191043301", "is", "19104, Philadelphia, PA"),
    ("city_state", "dayton oh", "is", "Dayton, OH"),
    ("city_state", "  columbus ,   ohio  ", "is", "Columbus, OH"),
    ("city_state", "BOSTON MA", "is", "Boston, MA"),
    ("city_state", "san juan pr", "is", "San Juan, PR"),
    ("city_state", "Dayton, OH 45402", "is", "45402, Dayton, OH"),
]


def judge(service, typed: str, expectation: str, label: str) -> tuple[bool, str]:
    """(right?, what came back, in a few words)."""
    from locator.geocoding import GeocodeError

    try:
        place = service.locate(typed)
    except GeocodeError as error:
        labels = [candidate.label for candidate in error.candidates]
        got = f"{type(error).__name__}({error.reason}) candidates={labels[:5]}"
        if expectation == "offers":
            return label in labels, got
        if expectation == "first":
            return labels[:1] == [label], got
        return False, got
    return place.label == label, f"{place.label} ({place.precision})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures-only", action="store_true", help="print only the failures")
    args = parser.parse_args()

    from locator.geocoding import build_service

    service = build_service({})
    service.gazetteer  # noqa: B018 - load it before the clock starts
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    started = time.perf_counter()
    for kind, typed, expectation, label in CASES:
        right, got = judge(service, typed, expectation, label)
        tally[kind][0] += right
        tally[kind][1] += 1
        if not right:
            failures.append((kind, typed, expectation, label, got))
    elapsed = time.perf_counter() - started
    passed = sum(right for right, _ in tally.values())
    if not args.failures_only:
        print(f"typed places: {passed}/{len(CASES)} right ({passed / len(CASES):.0%}) "
              f"in {elapsed * 1000:.0f} ms")
        for kind, (right, total) in tally.items():
            print(f"  {kind:<14} {right:>2}/{total:<2} {right / total:>5.0%}")
    print(f"failures ({len(failures)}):")
    for kind, typed, expectation, label, got in failures:
        print(f"  [{kind}] {typed!r}: expected {expectation} {label!r}; got {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
