"""Build locator/geocoding/data/gazetteer.json.gz, the offline gazetteer, from the `zipcodes` package.

Run after upgrading `zipcodes` (its data is refreshed monthly) or after changing the text rules
in locator/geocoding/normalize.py (city keys are computed here with the same functions):

    .venv/bin/python scripts/build_gazetteer.py

Importing `zipcodes` and expanding its records takes most of a second, so the service reads
this compact file instead. What goes in (see docs/geocoding.md):

- every ZIP in the 50 states, DC, Puerto Rico and the island territories that has coordinates
  (military APO/FPO ZIPs and the freely associated states are left out);
- one city per (state, normalised name): its centroid is the mean of its active STANDARD ZIPs
  (else of its active ZIPs, else of all), and its size is its number of active ZIPs;
- the USPS "acceptable" alternative city names: an abbreviation or extension of the one city
  its ZIPs belong to ("Phila", "New York City") points at that city; any other alias ("Santurce", a district
  of San Juan) becomes a place of its own, at the mean of the ZIPs that accept it;
- which ZIPs answer reverse lookups: active STANDARD ZIPs, plus the active PO box and unique
  ZIPs of cities that have no standard one (post offices and single buildings crowd city
  centres, and "near 19195" is no use to anyone).
"""

from __future__ import annotations

import datetime
import gzip
import json
import sys
from collections import Counter, defaultdict
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from locator.geocoding.normalize import city_key, tokens  # noqa: E402
from locator.vocabulary import US_STATES  # noqa: E402

OUTPUT = ROOT / "locator" / "geocoding" / "data" / "gazetteer.json.gz"


def usable(record: dict) -> bool:
    lat, lon = float(record["lat"]), float(record["long"])
    return record["state"] in US_STATES and not (abs(lat) < 0.01 and abs(lon) < 0.01)


def centroid(records: list[dict]) -> tuple[float, float]:
    chosen = ([r for r in records if r["active"] and r["zip_code_type"] == "STANDARD"]
              or [r for r in records if r["active"]] or records)
    lat = sum(float(r["lat"]) for r in chosen) / len(chosen)
    lon = sum(float(r["long"]) for r in chosen) / len(chosen)
    return round(lat, 4), round(lon, 4)


def abbreviates(short: str, long: str) -> bool:
    """"phila" abbreviates "philadelphia": same first letter, its letters in order within the other."""
    if not short or not long or short[0] != long[0]:
        return False
    rest = iter(long)
    return all(letter in rest for letter in short)


def display_name(names: list[str]) -> str:
    name = Counter(names).most_common(1)[0][0]
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


def build() -> dict:
    import zipcodes

    records = sorted((r for r in zipcodes.list_all() if usable(r)), key=lambda r: r["zip_code"])
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for record in records:
        groups[(record["state"], city_key(tokens(record["city"])))].append(record)

    cities: list[dict] = []
    city_of_group: dict[tuple[str, str], int] = {}
    keys: dict[str, set[int]] = defaultdict(set)

    def add_city(state: str, key: str, name: str, members: list[dict]) -> int:
        lat, lon = centroid(members)
        cities.append({"state": state, "name": name, "lat": lat, "lon": lon,
                       "zips": sum(1 for r in members if r["active"])})
        keys[key].add(len(cities) - 1)
        return len(cities) - 1

    for (state, key), members in sorted(groups.items()):
        city_of_group[(state, key)] = add_city(state, key, display_name([r["city"] for r in members]),
                                               members)

    aliases: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
    for record in records:
        for alias in record["acceptable_cities"]:
            key = city_key(tokens(alias))
            if key and (record["state"], key) not in groups:
                aliases[(record["state"], key)].append((alias, record))
    for (state, key), pairs in sorted(aliases.items()):
        owners = {city_of_group[(state, city_key(tokens(r["city"])))] for _, r in pairs}
        owner_key = city_key(tokens(cities[min(owners)]["name"])) if len(owners) == 1 else ""
        if owner_key and (abbreviates(key, owner_key) or key.startswith(owner_key)):
            keys[key].add(owners.pop())
        else:
            add_city(state, key, display_name([name for name, _ in pairs]), [r for _, r in pairs])

    has_standard = {city_of_group[(r["state"], city_key(tokens(r["city"])))]
                    for r in records if r["active"] and r["zip_code_type"] == "STANDARD"}
    zip_city = [city_of_group[(r["state"], city_key(tokens(r["city"])))] for r in records]
    reverse = "".join(
        "1" if r["active"] and (r["zip_code_type"] == "STANDARD" or city not in has_standard) else "0"
        for r, city in zip(records, zip_city, strict=True))
    order = {key: sorted(ids, key=lambda i: (-cities[i]["zips"], cities[i]["state"]))
             for key, ids in sorted(keys.items())}
    return {
        "meta": {"format": 1, "coordinates": "degrees x 10^4 (WGS84)", "source": "zipcodes",
                 "source_version": version("zipcodes"), "built": datetime.date.today().isoformat(),
                 "zips": len(records), "cities": len(cities), "keys": len(order)},
        "zips": [r["zip_code"] for r in records],
        "zip_lat_e4": [round(float(r["lat"]) * 1e4) for r in records],
        "zip_lon_e4": [round(float(r["long"]) * 1e4) for r in records],
        "zip_city": zip_city,
        "zip_reverse": reverse,
        "city_state": "".join(c["state"] for c in cities),
        "city_name": [c["name"] for c in cities],
        "city_lat_e4": [round(c["lat"] * 1e4) for c in cities],
        "city_lon_e4": [round(c["lon"] * 1e4) for c in cities],
        "city_zips": [c["zips"] for c in cities],
        "keys": order,
    }


def main() -> int:
    data = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with open(OUTPUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(payload)
    meta = data["meta"]
    print(f"{OUTPUT.relative_to(ROOT)}: {meta['zips']} ZIPs, {meta['cities']} places, "
          f"{meta['keys']} names, {OUTPUT.stat().st_size // 1024} KiB "
          f"(zipcodes {meta['source_version']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
