"""Generate data/providers.csv: fictional demonstration providers placed at real US places.

Every provider is invented: names say "Demo", phones are in the fictional 555-0100..555-0199
range, websites are on example.org, and the `demo` column is yes. Places are real: each row
sits near the centroid of a real, active STANDARD ZIP code (from the `zipcodes` package) in
one of the 50 states, DC or Puerto Rico, spread by the number of ZIPs per state (a rough proxy
for population) with a minimum per state. Terms are the vocabulary's keys; the columns are
`COLUMNS` of the importer. The output is byte-identical on every run for the same arguments:
a fixed seed drives one random.Random, and report dates count back from `--as-of`.

    python scripts/make_demo_data.py [--out data/providers.csv] [--count 3000] [--as-of 2026-11-20]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import zipcodes  # noqa: E402

from locator import vocabulary as v  # noqa: E402
from locator.importers.providers_csv import COLUMNS, LIST_SEPARATOR  # noqa: E402

SEED = 20261120
DEFAULT_OUT = ROOT / "data" / "providers.csv"
DEFAULT_AS_OF = "2026-11-20"
LEFT_OUT = {"GU", "VI", "AS", "MP"}  # territories outside the demo; 50 states, DC and PR remain
STATES = [code for code in v.US_STATES if code not in LEFT_OUT]
MIN_SHARE = 250  # every state gets at least count // MIN_SHARE providers (12 of 3,000)
SPANISH = {"PR": .97, "NM": .55, "TX": .5, "CA": .5, "FL": .45, "AZ": .45, "NY": .4}
NATIVE = {"AK", "AZ", "NM", "OK", "SD", "ND", "MT"}

# Probability of each term; a term not named gets the category's default. Keys come from the
# vocabulary (checked below), so a new vocabulary term is generated too.
PAYMENT_P = ({"medicaid": .8, "medicare": .45, "private": .6, "tricare": .15, "ihs": .04,
              "state": .25, "self_pay": .55, "sliding_scale": .3, "free": .05}, .15)
SERVICES_P = ({"peer_support": .4, "family_counseling": .25, "case_management": .45, "naloxone": .55,
               "mental_health": .5, "hiv_hepatitis": .3, "primary_care": .1}, .12)
POPULATIONS_P = ({"pregnant": .3, "adolescents": .1, "young_adults": .25, "veterans": .2,
                  "lgbtq": .2, "justice_involved": .3, "seniors": .2}, .1)
LANGUAGES_P = ({"es": .15, "asl": .06}, .015)

# kind -> (share of providers, name patterns); {city} is the ZIP's city.
KINDS = {
    "otp": (.15, ["Demo Opioid Treatment Program of {city}", "Demo Methadone Clinic of {city}",
                  "{city} Demo Treatment Center (fictional)"]),
    "fqhc": (.12, ["Demo Community Health Center of {city}", "{city} Demo Family Health (fictional)"]),
    "telehealth": (.06, ["Demo Virtual Recovery Care ({city})", "Demo TeleMOUD Clinic of {city}"]),
    "hospital": (.04, ["Demo General Hospital of {city}, Addiction Medicine"]),
    "residential": (.04, ["Demo Recovery House of {city}", "{city} Demo Residential Recovery (fictional)"]),
    "office": (.59, ["Demo Recovery Clinic of {city}", "Demo Family Medicine of {city}",
                     "Demo Behavioral Health of {city}", "{city} Demo Health Center (fictional)",
                     "Demo Addiction Medicine Associates of {city}"]),
}
PR_NAMES = {"otp": ["Clínica Demo de Metadona de {city} (ficticia)"],
            "fqhc": ["Centro de Salud Demo de {city} (ficticio)"]}
PR_DEFAULT = ["Centro Demo de Recuperación de {city} (ficticio)", "Clínica Demo de {city} (ficticia)"]
STREETS = ["Demo", "Sample", "Example"]
STREET_TYPES = ["Avenue", "Street", "Road", "Boulevard", "Drive", "Lane", "Parkway"]
PLANS = ["Demo Health Plan Gold", "Demo Health Plan Silver", "Demo Community Care Medicaid",
         "Demo Mutual PPO", "Demo Senior Advantage", "Demo Employee Choice HMO"]
NOTES = ["Call before 10:00 for intake.", "Bring a photo ID and insurance card.", "Evening intake on Tuesdays.",
         "Intake by phone first; then an in-person visit.", "Bridge prescriptions available while you wait."]
FULL_NOTES = ["Waitlist; call weekly to keep your place.", "Not taking new patients this month."]
PR_NOTES = ["Llame antes de las 10:00 para admisión.", "Traiga identificación con foto."]


def places() -> dict[str, list[dict]]:
    """Real, active STANDARD ZIPs per demo state, in ZIP order."""
    by_state: dict[str, list[dict]] = {s: [] for s in STATES}
    for z in sorted(zipcodes.list_all(), key=lambda z: z["zip_code"]):
        if z["zip_code_type"] == "STANDARD" and z["active"] and z["state"] in by_state:
            by_state[z["state"]].append(z)
    return by_state


def allocate(count: int, weights: dict[str, int]) -> dict[str, int]:
    """Spread count over states by weight (largest remainder), with a minimum per state."""
    floor = max(1, count // MIN_SHARE) if count >= len(weights) else 0
    rest, total = count - floor * len(weights), sum(weights.values())
    exact = {s: rest * w / total for s, w in weights.items()}
    shares = {s: floor + int(x) for s, x in exact.items()}
    for s in sorted(exact, key=lambda s: (int(exact[s]) - exact[s], s))[:count - sum(shares.values())]:
        shares[s] += 1
    return shares


def pick(rng: random.Random, category, probabilities) -> list[str]:
    p, default = probabilities
    assert set(p) <= set(category.keys()), f"not in the vocabulary: {set(p) - set(category.keys())}"
    return [t.key for t in category if rng.random() < p.get(t.key, default)]


def tri(rng: random.Random, p_yes: float, p_no: float) -> str:
    r = rng.random()
    return "yes" if r < p_yes else "no" if r < p_yes + p_no else ""


def hours(rng: random.Random, kind: str) -> str:
    if kind == "otp":
        sat = "; Sat 6:00-10:00" if rng.random() < .7 else ""
        return f"Mon-Fri {rng.choice(['5:00', '5:30', '6:00'])}-{rng.choice(['12:00', '13:00', '14:00'])}{sat}"
    if kind == "residential" or (kind == "hospital" and rng.random() < .6):
        return "24/7"
    if kind == "telehealth":
        return rng.choice(["Mon-Sun 8:00-20:00", "Mon-Fri 9:00-21:00; Sat-Sun 10:00-16:00"])
    if rng.random() < .05:
        return ""
    week = rng.choice(["Mon-Fri 8:00-17:00", "Mon-Fri 9:00-17:00", "Mon-Thu 8:00-18:00; Fri 8:00-12:00",
                       "Mon-Fri 7:30-16:30", "Mon, Wed, Fri 9:00-17:00; Tue, Thu 12:00-20:00"])
    return week + ("; Sat 8:00-12:00" if rng.random() < .15 else "")


def availability(rng: random.Random, as_of: date, state: str) -> dict:
    """One availability report (85% of rows), or all availability columns empty."""
    if rng.random() >= .85:
        return {}
    accepting = rng.random() < .85
    if accepting:
        wait = int(rng.expovariate(1 / 5)) if rng.random() < .85 else rng.randint(14, 60)
        wait_text = str(min(wait, 60))
    else:
        wait_text = str(rng.randint(21, 60)) if rng.random() < .5 else ""
    r = rng.random()
    age = rng.randint(0, 30) if r < .6 else rng.randint(31, 60) if r < .8 else rng.randint(61, 200)
    notes = PR_NOTES if state == "PR" else NOTES if accepting else FULL_NOTES
    return {
        "accepting_new_patients": "yes" if accepting else "no", "wait_days": wait_text,
        "availability_note": rng.choice(notes) if rng.random() < .3 else "",
        "availability_reported_at": (as_of - timedelta(days=age)).isoformat(),
        "availability_reported_by": rng.choices(["provider", "caseworker", "import"], [70, 20, 10])[0],
    }


def provider(rng: random.Random, number: int, z: dict, area_codes: list[str], as_of: date,
             used_names: set[str]) -> dict:
    state, city = z["state"], z["city"]
    kind = rng.choices(list(KINDS), [share for share, _ in KINDS.values()])[0]
    patterns = PR_NAMES.get(kind, PR_DEFAULT) if state == "PR" else KINDS[kind][1]
    base = rng.choice(patterns).format(city=city)
    name = next(n for n in [base] + [f"{base} (site {i})" for i in range(2, 99)] if n not in used_names)
    used_names.add(name)

    def maybe(p: float, *keys: str) -> set[str]:
        return set(keys) if rng.random() < p else set()

    if kind == "otp":
        meds = {"methadone"} | maybe(.8, "buprenorphine") | maybe(.25, "naltrexone")
        settings = {"otp", "outpatient"} | maybe(.2, "detox")
    else:
        meds = maybe(.86, "buprenorphine")
        meds |= maybe(.2, "naltrexone") if meds else {"naltrexone"}
        settings = {"fqhc": {"fqhc", "outpatient"}, "telehealth": {"telehealth"}, "hospital": {"hospital"},
                    "residential": {"residential"}, "office": {"outpatient"}}[kind]
        settings |= maybe(.5, "detox") if kind in ("hospital", "residential") else set()
        settings |= maybe(.07, "telehealth") if kind == "office" else set()
    forms = {"otp", "methadone_maintenance"} if kind == "otp" else set()
    if "buprenorphine" in meds:
        forms |= maybe(.9, "buprenorphine_maintenance") | maybe(.2, "buprenorphine_injectable")
    forms |= maybe(.7, "naltrexone_injectable") if "naltrexone" in meds else set()
    forms |= {"detox"} if "detox" in settings else set()

    payment = set(pick(rng, v.PAYMENT, PAYMENT_P)) | ({"sliding_scale"} if kind == "fqhc" else set())
    payment = payment or {"self_pay"}
    services = set(pick(rng, v.SERVICES, SERVICES_P)) | ({"primary_care"} if kind == "fqhc" else set())
    languages = set(pick(rng, v.LANGUAGES, LANGUAGES_P)) - {"es", "native"}
    if rng.random() < SPANISH.get(state, LANGUAGES_P[0]["es"]):
        languages.add("es")
    if rng.random() < (.25 if state in NATIVE else .005):
        languages.add("native")

    # A point within ~1.2 km of the ZIP centroid (uniform over the disc).
    lat0, lon0 = float(z["lat"]), float(z["long"])
    dist, bearing = 1.2 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    lat = lat0 + dist * math.cos(bearing) / 111.32
    lon = lon0 + dist * math.sin(bearing) / (111.32 * math.cos(math.radians(lat0)))
    area = rng.choice(z["area_codes"] or area_codes)
    slug = f"demo-{number:05d}"
    return {
        "source_id": slug, "name": name,
        "name2": "Demo Health Network (fictional)" if rng.random() < .08 else "",
        "street": f"{rng.randint(1, 98) * 100 + rng.choice([0, 0, 10, 25, 50])} "
                  f"{rng.choice(STREETS)} {rng.choice(STREET_TYPES)}",
        "street2": f"Suite {rng.randint(1, 4)}{rng.randint(0, 2)}0" if rng.random() < .25 else "",
        "city": city, "state": state, "zip": z["zip_code"],
        "latitude": f"{lat:.6f}", "longitude": f"{lon:.6f}", "geocode_precision": "address",
        "phone": f"{area}-555-01{rng.randint(0, 99):02d}",
        "intake_phone": f"{area}-555-01{rng.randint(0, 99):02d}" if rng.random() < .3 else "",
        "website": f"https://example.org/providers/{slug}" if rng.random() < .85 else "",
        "medications": meds, "medication_forms": forms, "settings": settings, "payment": payment,
        "languages": languages, "services": services,
        "populations": set(pick(rng, v.POPULATIONS, POPULATIONS_P)),
        "insurance_plans": LIST_SEPARATOR.join(rng.sample(PLANS, rng.randint(1, 3))) if rng.random() < .25 else "",
        "walk_in": tri(rng, .55, .25) if kind == "otp" else tri(rng, .2, .45),
        "same_day_start": tri(rng, .5, .2) if kind in ("otp", "telehealth") else tri(rng, .25, .4),
        "accepts_outside_moud": tri(rng, .5, .15),
        "hours": hours(rng, kind), **availability(rng, as_of, state), "demo": "yes",
    }


def generate(count: int, as_of: date, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    by_state = places()
    shares = allocate(count, {s: len(zips) for s, zips in by_state.items()})
    used_names: set[str] = set()
    rows = []
    for state in STATES:
        codes = Counter(a for z in by_state[state] for a in z["area_codes"])
        state_codes = [a for a, _ in codes.most_common(3)]
        for _ in range(shares[state]):
            z = rng.choice(by_state[state])
            rows.append(provider(rng, len(rows) + 1, z, state_codes, as_of, used_names))
    return rows


def write(rows: list[dict], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            assert set(row) <= set(COLUMNS), set(row) - set(COLUMNS)
            writer.writerow([LIST_SEPARATOR.join(t.key for t in v.CATEGORIES[c] if t.key in row[c])
                             if isinstance(row.get(c), set) else row.get(c, "") for c in COLUMNS])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write (default data/providers.csv)")
    parser.add_argument("--count", type=int, default=3000, help="number of providers (default 3000)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date.fromisoformat(DEFAULT_AS_OF),
                        help=f"date the availability reports count back from (default {DEFAULT_AS_OF})")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    rows = generate(args.count, args.as_of, args.seed)
    write(rows, args.out)
    print(f"wrote {len(rows)} fictional providers to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
