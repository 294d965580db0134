"""A small map of the search drawn as SVG on the server: no tiles, no outside service.

The searched point sits in the middle, the radius is a circle, and each result is a numbered
dot placed by an equirectangular projection (fine at the scale of a search). The drawing is
plain markup, so it needs no script and prints well.
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT, PAD = 320, 200, 14


def _projector(lat0: float, lon0: float, radius_miles: float):
    scale = (min(WIDTH, HEIGHT) / 2 - PAD) / max(radius_miles, 0.5)  # pixels per mile
    miles_per_lat = 69.05
    miles_per_lon = 69.17 * max(math.cos(math.radians(lat0)), 0.01)

    def project(lat: float, lon: float) -> tuple[float, float]:
        dx = (lon - lon0) * miles_per_lon * scale
        dy = (lat - lat0) * miles_per_lat * scale
        x = min(max(WIDTH / 2 + dx, PAD), WIDTH - PAD)
        y = min(max(HEIGHT / 2 - dy, PAD), HEIGHT - PAD)
        return round(x, 1), round(y, 1)

    return project, scale


def results_map(lat: float, lon: float, radius_miles: float, points: list[tuple[int, float, float]],
                title: str, label_here: str = "You searched here") -> str:
    """SVG markup: `points` are (number, latitude, longitude) of the results shown."""
    project, scale = _projector(lat, lon, radius_miles)
    cx, cy = WIDTH / 2, HEIGHT / 2
    parts = [
        f'<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="map-title" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f3f7fb"/>',
        f'<circle cx="{cx}" cy="{cy}" r="{round(radius_miles * scale, 1)}" fill="none" stroke="#9db7d1" '
        f'stroke-dasharray="4 3"/>',
    ]
    for number, plat, plon in reversed(points):  # first result drawn last, on top
        x, y = project(plat, plon)
        parts.append(f'<g><circle cx="{x}" cy="{y}" r="8" fill="#0b5394" stroke="#fff" stroke-width="1.5"/>'
                     f'<text x="{x}" y="{y + 3.5}" font-size="10" font-family="sans-serif" text-anchor="middle" '
                     f'fill="#fff">{number}</text></g>')
    parts.append(f'<g><path d="M{cx} {cy - 11} l5 11 l-5 -3 l-5 3 z" fill="#7a1020"/>'
                 f'<circle cx="{cx}" cy="{cy}" r="3" fill="#7a1020"/>'
                 f'<text x="{cx + 8}" y="{cy + 14}" font-size="9" font-family="sans-serif" fill="#1b1b1b">'
                 f'{escape(label_here)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
