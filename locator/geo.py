"""Distances and the coarse spatial index used by search.

`geocell()` files every provider under a 0.5-degree grid cell (an indexed integer column);
`cells_covering()` lists the cells a search box touches, so the database reads only rows near
the searched place, on SQLite and PostgreSQL alike, whatever the size of the table.
"""

from __future__ import annotations

import math

EARTH_RADIUS_MILES = 3958.7613
MILES_PER_DEGREE = math.radians(1) * EARTH_RADIUS_MILES  # of latitude (and of longitude at the equator)
CELL_DEGREES = 0.5
_CELLS_PER_ROW = 1000  # longitude cells per latitude row: 360 / 0.5 = 720 < 1000


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def geocell(lat: float, lon: float) -> int:
    row = math.floor((lat + 90.0) / CELL_DEGREES)
    col = math.floor((lon + 180.0) / CELL_DEGREES) % int(360 / CELL_DEGREES)
    return row * _CELLS_PER_ROW + col


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) that contains every point within `miles`.

    Longitudes may fall outside -180..180 near the antimeridian; `cells_covering` wraps them,
    and search then leaves the longitude test to the cells.
    """
    dlat = math.degrees(miles / EARTH_RADIUS_MILES)
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(min_lat), abs(max_lat))
    cos = math.cos(math.radians(widest))
    dlon = 180.0 if cos < 1e-6 else min(180.0, math.degrees(miles / (EARTH_RADIUS_MILES * cos)))
    return min_lat, max_lat, lon - dlon, lon + dlon


def cells_covering(box: tuple[float, float, float, float]) -> list[int]:
    min_lat, max_lat, min_lon, max_lon = box
    rows = range(math.floor((min_lat + 90.0) / CELL_DEGREES), math.floor((max_lat + 90.0) / CELL_DEGREES) + 1)
    first = math.floor((min_lon + 180.0) / CELL_DEGREES)
    last = math.floor((max_lon + 180.0) / CELL_DEGREES)
    per_row = int(360 / CELL_DEGREES)
    cols = sorted({c % per_row for c in range(first, min(last, first + per_row - 1) + 1)})
    return [r * _CELLS_PER_ROW + c for r in rows for c in cols]
