"""The geometry of the small map of a search: the searched point in the middle, the radius as a
circle, and each result as a numbered dot placed by an equirectangular projection (fine at the
scale of a search). The template (templates/search/_map.html) draws it as SVG: no tiles, no
outside service, no script, and it prints well.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from locator.geo import MILES_PER_DEGREE

WIDTH, HEIGHT, PAD = 320, 200, 14


@dataclass(frozen=True)
class Dot:
    number: int
    x: float
    y: float


@dataclass(frozen=True)
class MapDrawing:
    width: int
    height: int
    cx: float
    cy: float
    radius: float  # of the search circle, in pixels
    dots: list[Dot]  # the first result last, so that it is drawn on top


def results_map(lat: float, lon: float, radius_miles: float, points: list[tuple[int, float, float]]) -> MapDrawing:
    """Where to draw each of `points` ((number, latitude, longitude) of the results shown)."""
    scale = (min(WIDTH, HEIGHT) / 2 - PAD) / max(radius_miles, 0.5)  # pixels per mile
    miles_per_lon = MILES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)
    cx, cy = WIDTH / 2, HEIGHT / 2

    def place(number: int, plat: float, plon: float) -> Dot:
        x = min(max(cx + (plon - lon) * miles_per_lon * scale, PAD), WIDTH - PAD)
        y = min(max(cy - (plat - lat) * MILES_PER_DEGREE * scale, PAD), HEIGHT - PAD)
        return Dot(number, round(x, 1), round(y, 1))

    dots = [place(*point) for point in reversed(points)]
    return MapDrawing(WIDTH, HEIGHT, cx, cy, round(radius_miles * scale, 1), dots)
