"""Generate data/providers.csv: fictional demonstration providers placed at real US places.

Every provider is invented: names say "Demo", phones are in the fictional 555-0100..555-0199
range, websites are on example.org, and the `demo` column is yes. Places are real: each row
sits near the centroid of a real, active STANDARD ZIP code (from the `zipcodes` package) in
one of the 50 states, DC or Puerto Rico, spread by the number of ZIPs per state (a rough proxy
for population) with a minimum per state. Terms are the vocabulary's keys; the columns are
`COLUMNS` of the importer. The output is byte-identical on every run for the same arguments:
a fixed seed drives one random.Random.

Availability follows published secret-shopper studies: a little over half of buprenorphine
prescribers take new patients, a third of those give a first dose at the first visit, and the
wait is a few days (about a week to a first dose on average); opioid treatment programs mostly
take new patients within 3-4 days, about 30% with walk-in intake hours; naltrexone starts after
7-10 days without opioids. A provider whose medications are reported differently has one row
per medication (the same source_id and provider columns, one after the other). Reports are
dated by `availability_days_ago`, counted back from the day of import, so they never go stale.

    python scripts/make_demo_data.py [--out data/providers.csv] [--count 3000]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import zipcodes  # noqa: E402

from locator import vocabulary as v  # noqa: E402
from locator.importers.providers_csv import COLUMNS, LIST_SEPARATOR  # noqa: E402

SEED = 20261120
DEFAULT_OUT = ROOT / "data" / "providers.csv"
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
# Walk-in hours inside each office week; an OTP's intake hours fall inside its opening hours.
OFFICE_WEEKS = {
    "Mon-Fri 8:00-17:00": ["Mon-Fri 8-10 am", "Tue, Thu 1-4 pm"],
    "Mon-Fri 9:00-17:00": ["Mon-Fri 9-11 am", "Mon, Wed 1-4 pm"],
    "Mon-Thu 8:00-18:00; Fri 8:00-12:00": ["Mon-Thu 8-10 am", "Mon-Fri 8-11 am"],
    "Mon-Fri 7:30-16:30": ["Mon-Fri 7:30-10 am"],
    "Mon, Wed, Fri 9:00-17:00; Tue, Thu 12:00-20:00": ["Tue, Thu 4-7 pm", "Mon, Wed, Fri 9-11 am"],
}
OTP_WALK_IN = ["Mon-Fri 6-9 am", "Mon-Fri 6-10 am", "Mon-Thu 6-9 am", "Mon, Wed, Fri 6:30-9 am",
               "Mon-Fri 7-10 am"]
# Who requires counseling before a first dose: (yes, no) by kind; the rest is unknown.
COUNSELING = {"otp": (.35, .2), "office": (.12, .4), "fqhc": (.1, .45), "telehealth": (.05, .55),
              "hospital": (.1, .3), "residential": (.6, .05)}
# Notes as (English, Spanish for Puerto Rico).
OPEN_NOTES = (["Call before 10:00 for intake.", "Bring a photo ID and insurance card.",
               "Intake by phone first; then an in-person visit.", "Ask for the intake coordinator."],
              ["Llame antes de las 10:00 para admisión.", "Traiga identificación con foto."])
FULL_NOTES = (["Waitlist; call weekly to keep your place.", "Not taking new patients this month."],
              ["Lista de espera; llame cada semana.", "No acepta pacientes nuevos este mes."])
BRIDGE_NOTE = ("Bridge prescriptions available while you wait.", "Recetas puente mientras espera.")
NALTREXONE_NOTE = ("First injection after 7-10 days without opioids.", "Primera inyección tras 7-10 días sin opioides.")
SLOT_NOTE = ("Walk-in intake assessment; waitlist for a methadone slot, about {days} days.",
             "Evaluación sin cita; lista de espera para metadona, unos {days} días.")
CONTRAST_NOTE = ("{slow} waitlist about {days} days; {fast} can start at a walk-in visit.",
                 "Lista de espera para {slow} de unos {days} días; la {fast} puede empezarse sin cita.")
MEDICATION_NAMES = {"buprenorphine": ("buprenorphine", "buprenorfina"), "methadone": ("methadone", "metadona")}


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


def hours(rng: random.Random, kind: str) -> tuple[str, str]:
    """Opening hours, and an OTP's dosing hours (inside them)."""
    if kind == "otp":
        opens, doses = rng.choice([("5:00", "5:30"), ("5:30", "5:30"), ("5:30", "6:00"), ("6:00", "6:00")])
        weekend = rng.choices(["Sat-Sun", "Sat", ""], [45, 30, 25])[0]
        opening = f"Mon-Fri {opens}-{rng.choice(['12:00', '13:00', '14:00'])}"
        dosing = f"Mon-Fri {doses}-{rng.choice(['10:30', '11:00', '11:30'])}"
        if weekend:
            opening, dosing = f"{opening}; {weekend} 6:00-10:00", f"{dosing}; {weekend} 7:00-9:00"
        return opening, dosing
    if kind == "residential" or (kind == "hospital" and rng.random() < .6):
        return "24/7", ""
    if kind == "telehealth":
        return rng.choice(["Mon-Sun 8:00-20:00", "Mon-Fri 9:00-21:00; Sat-Sun 10:00-16:00"]), ""
    if rng.random() < .05:
        return "", ""
    week = rng.choice(list(OFFICE_WEEKS))
    return week + ("; Sat 8:00-12:00" if rng.random() < .15 else ""), ""


def walk_in_hours(rng: random.Random, kind: str, opening: str) -> str:
    if kind == "otp":
        return rng.choice(OTP_WALK_IN)
    if opening == "24/7":
        return "Any time, at the emergency department"
    return rng.choice(OFFICE_WEEKS.get(opening.split("; Sat")[0], ["Mon-Fri 9-11 am"]))


def said(accepting: bool, wait: int | None, first_dose: str = "", walk_in: str = "", note: str = "") -> dict:
    """One report's columns; a walk-in report has walk-in hours."""
    return {"accepting_new_patients": "yes" if accepting else "no", "wait_days": "" if wait is None else str(wait),
            "first_dose_at_first_visit": first_dose, "walk_in_hours": walk_in, "availability_note": note}


def open_note(rng: random.Random, lang: int) -> str:
    return rng.choice(OPEN_NOTES[lang]) if rng.random() < .25 else ""


def not_accepting(rng: random.Random, lang: int) -> dict:
    """Not taking new patients: half give the length of their waitlist."""
    if rng.random() < .5:
        return said(False, rng.randint(10, 30), note=FULL_NOTES[lang][0] if rng.random() < .6 else "")
    return said(False, None, note=FULL_NOTES[lang][1] if rng.random() < .4 else "")


def buprenorphine(rng: random.Random, kind: str, opening: str, lang: int) -> dict:
    """About 57% of prescribers accept; some see walk-ins and dose that day; others book a visit
    a few days out (a first dose at it a third of the time)."""
    if rng.random() >= {"otp": .8, "telehealth": .75, "fqhc": .6, "hospital": .6}.get(kind, .52):
        return not_accepting(rng, lang)
    if kind not in ("telehealth", "residential") and rng.random() < (.3 if kind == "otp" else .12):
        return said(True, 0, tri(rng, .85, 0), walk_in_hours(rng, kind, opening), open_note(rng, lang))
    if kind == "telehealth":
        return said(True, min(int(rng.expovariate(1 / 2)), 14), tri(rng, .55, .2), note=open_note(rng, lang))
    wait = min(int(rng.expovariate(1 / 6)), 45) if rng.random() < .75 else rng.randint(10, 30)
    note = BRIDGE_NOTE[lang] if wait >= 7 and rng.random() < .2 else open_note(rng, lang)
    return said(True, wait, tri(rng, .25, .5), note=note)


def methadone(rng: random.Random, lang: int) -> dict:
    """Most programs accept within a few days; about 30% have walk-in intake hours and dose that
    day, a few of them only assess at the walk-in and keep a waitlist for a methadone slot."""
    if rng.random() >= .88:
        return not_accepting(rng, lang)
    if rng.random() < .27:
        if rng.random() < .1:
            wait = rng.randint(14, 28)
            return said(True, wait, "no", rng.choice(OTP_WALK_IN), SLOT_NOTE[lang].format(days=wait))
        return said(True, 0, tri(rng, .9, 0), rng.choice(OTP_WALK_IN), open_note(rng, lang))
    return said(True, min(int(rng.expovariate(1 / 3.5)), 30), tri(rng, .6, .2), note=open_note(rng, lang))


def naltrexone(rng: random.Random, lang: int) -> dict:
    """A first dose needs 7-10 days without opioids, so rarely at the first visit."""
    if rng.random() >= .7:
        return not_accepting(rng, lang)
    first_dose = tri(rng, .1, .75)
    note = NALTREXONE_NOTE[lang] if first_dose != "yes" and rng.random() < .4 else open_note(rng, lang)
    return said(True, min(int(rng.expovariate(1 / 5)), 30), first_dose, note=note)


def contrast(rng: random.Random, lang: int) -> dict[str, dict]:
    """An OTP reporting its two medications differently: one starts today at a walk-in, the other
    has a waitlist of a week or more."""
    fast, slow = rng.sample(["buprenorphine", "methadone"], 2)
    wait = rng.randint(8, 21)
    note = CONTRAST_NOTE[lang].format(slow=MEDICATION_NAMES[slow][lang], fast=MEDICATION_NAMES[fast][lang],
                                      days=wait)
    return {fast: said(True, 0, "yes", rng.choice(OTP_WALK_IN)),
            slow: said(True, wait, rng.choice(["no", ""]), note=note[0].upper() + note[1:])}


def report_age(rng: random.Random) -> int:
    r = rng.random()
    return rng.randint(0, 14) if r < .6 else rng.randint(15, 60) if r < .88 else rng.randint(61, 180)


def reports(rng: random.Random, kind: str, meds: set[str], opening: str, state: str) -> list[dict]:
    """The provider's availability reports: none (13%); for 32% of those offering several
    medications, one per medication; else one for all of them (or, 15%, for the main one)."""
    if rng.random() < .13:
        return []
    lang = 1 if state == "PR" else 0

    def report(medication: str) -> dict:
        if medication == "methadone":
            return methadone(rng, lang)
        if medication == "naltrexone":
            return naltrexone(rng, lang)
        return buprenorphine(rng, kind, opening, lang)

    offered = [m for m in v.MEDICATIONS.keys() if m in meds]
    if len(offered) > 1 and rng.random() < .32:
        pair = kind == "otp" and "buprenorphine" in meds and rng.random() < .4
        by_medication = contrast(rng, lang) if pair else {}
        by_medication = {m: by_medication.get(m) or report(m) for m in offered}
    else:
        main = "methadone" if "methadone" in meds else offered[0]
        by_medication = {main if rng.random() < .15 else "": report(main)}
    age, reporter = report_age(rng), rng.choices(["provider", "caseworker", "import"], [70, 20, 10])[0]
    rows = []
    for medication, columns in by_medication.items():
        apart = len(by_medication) > 1 and rng.random() < .25  # a medication is sometimes reported on another day
        days_ago = report_age(rng) if apart else age
        rows.append(dict(columns, availability_medication=medication, availability_days_ago=str(days_ago),
                         availability_reported_by=reporter))
    return rows


def standing(rng: random.Random, kind: str, told: list[dict]) -> dict:
    """The provider's own walk-in, same-day and counseling columns, which hold for every report:
    yes only when all its reports agree (the importer fills a report's gaps with them)."""
    if not told:
        return {"walk_in": tri(rng, .55, .25) if kind == "otp" else tri(rng, .2, .45),
                "same_day_start": tri(rng, .5, .2) if kind in ("otp", "telehealth") else tri(rng, .25, .4),
                "counseling_required_to_start": tri(rng, *COUNSELING[kind])}
    walk_ins = {bool(r["walk_in_hours"]) for r in told}
    starts = {r["wait_days"] == "0" and r["first_dose_at_first_visit"] == "yes" for r in told}
    low_barrier = kind != "otp" and True in starts
    return {"walk_in": "yes" if walk_ins == {True} else rng.choice(["no", ""]) if walk_ins == {False} else "",
            "same_day_start": tri(rng, .7, 0) if starts == {True}
            else "no" if all(r["first_dose_at_first_visit"] == "no" for r in told) else "",
            "counseling_required_to_start": "no" if low_barrier and rng.random() < .8 else tri(rng, *COUNSELING[kind])}


def provider(rng: random.Random, number: int, z: dict, area_codes: list[str], used_names: set[str]) -> list[dict]:
    """The provider's rows: one, or one per medication reported apart (the same provider columns)."""
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
    opening, dosing = hours(rng, kind)
    told = reports(rng, kind, meds, opening, state)
    columns = {
        "source_id": slug, "name": name,
        "name2": "Demo Health Network (fictional)" if rng.random() < .08 else "",
        "street": f"{rng.randint(1, 98) * 100 + rng.choice([0, 0, 10, 25, 50])} "
                  f"{rng.choice(STREETS)} {rng.choice(STREET_TYPES)}",
        "street2": f"Suite {rng.randint(1, 4)}{rng.randint(0, 2)}0" if rng.random() < .25 else "",
        "city": city, "state": state, "zip": z["zip_code"], "county": z.get("county") or "",
        "latitude": f"{lat:.6f}", "longitude": f"{lon:.6f}", "geocode_precision": "address",
        "phone": f"{area}-555-01{rng.randint(0, 99):02d}",
        "intake_phone": f"{area}-555-01{rng.randint(0, 99):02d}" if rng.random() < .3 else "",
        "website": f"https://example.org/providers/{slug}" if rng.random() < .85 else "",
        "medications": meds, "medication_forms": forms, "settings": settings, "payment": payment,
        "languages": languages, "services": services,
        "populations": set(pick(rng, v.POPULATIONS, POPULATIONS_P)),
        "insurance_plans": LIST_SEPARATOR.join(rng.sample(PLANS, rng.randint(1, 3))) if rng.random() < .25 else "",
        "accepts_outside_moud": tri(rng, .5, .15), **standing(rng, kind, told),
        "hours": opening, "dosing_hours": dosing, "demo": "yes",
    }
    return [dict(columns, **report) for report in told] or [columns]


def generate(count: int, seed: int = SEED) -> list[dict]:
    """The rows of `count` providers (more rows than providers: some have one per medication)."""
    rng = random.Random(seed)
    by_state = places()
    shares = allocate(count, {s: len(zips) for s, zips in by_state.items()})
    used_names: set[str] = set()
    rows, number = [], 0
    for state in STATES:
        codes = Counter(a for z in by_state[state] for a in z["area_codes"])
        state_codes = [a for a, _ in codes.most_common(3)]
        for _ in range(shares[state]):
            z = rng.choice(by_state[state])
            number += 1
            rows += provider(rng, number, z, state_codes, used_names)
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
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    rows = generate(args.count, args.seed)
    write(rows, args.out)
    print(f"wrote {args.count} fictional providers ({len(rows)} rows) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
