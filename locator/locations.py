"""Street-level locations for providers the directory placed only at their ZIP's or city's point.

Two ways in, one set of rules (`acceptable`, `upgrade`):
- `import_coordinates(session, path)`: a CSV or XLSX of geocoded addresses (a state's geocoded
  list, a research group's extract) is matched to providers by normalised street and ZIP, the
  house number agreeing; a whole directory is fixed in seconds;
- `locator.geocode_providers`: asks the configured geocoder, politely, one address at a time.

A point is accepted only inside the provider's state and within ACCEPT_MILES of its ZIP's point:
a geocoder that matched the street name in the next county, or a file row whose ZIP was mistyped,
is refused with its reason. A location is never made coarser, and one that is already at a street
address (or a point a source gave) is left alone unless `overwrite`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from locator.geo import geocell, haversine_miles
from locator.geocoding import get_gazetteer
from locator.importers.base import FileError, RowError
from locator.importers.matching import normal
from locator.importers.tables import open_rows
from locator.models import AT_THE_DOOR, Provider

ACCEPT_MILES = 25.0
STATE_LINE_MILES = 3.0
COLUMNS = {"street": ("street", "street1", "address"), "zip": ("zip", "zipcode", "postal_code"),
           "latitude": ("latitude", "lat"), "longitude": ("longitude", "lon", "lng"),
           "name": ("name", "name1"), "city": ("city",), "state": ("state",)}
REQUIRED = ("street", "zip", "latitude", "longitude")
UNIT = re.compile(r"\b(ste|apt|unit|fl|bldg|rm|room)\b.*$")  # on normal() text: "#" is read as a suite
SAME_POINT_MILES = 0.1


def street_key(street: str, zip_code: str) -> tuple[str, str, str] | None:
    """(ZIP, house number, street without its suite or unit), or None without a house number."""
    words = UNIT.sub("", normal(street.replace("#", " suite "))).split()
    zip5 = (zip_code or "").strip()[:5]
    if zip5.isdigit() and len(zip5) in (3, 4):  # a spreadsheet dropped its leading zeros
        zip5 = zip5.zfill(5)
    if len(words) < 2 or not words[0][0].isdigit() or len(zip5) != 5:
        return None
    return zip5, words[0], " ".join(words[1:])


def acceptable(provider, lat: float, lon: float) -> str | None:
    """Why a point cannot be the provider's (in English, for the operator), or None.

    The state is judged by the nearest ZIP's point. Near a state line that ZIP may be across it
    (State Line Road in Kansas City), so a point is only "in another state" when the provider's
    own ZIP is more than STATE_LINE_MILES farther from it than that nearest ZIP."""
    gazetteer = get_gazetteer()
    found = gazetteer.nearest_zip(lat, lon)
    if found is None:
        return "not in the United States"
    anchor = gazetteer.zip_place((provider.zip or "")[:5])
    ref = (anchor.latitude, anchor.longitude) if anchor else (provider.latitude, provider.longitude)
    miles = haversine_miles(lat, lon, *ref)
    if found[0].state != provider.state and miles > found[1] + STATE_LINE_MILES:
        return f"in {found[0].state}, not {provider.state}"
    if miles > ACCEPT_MILES:
        return f"{miles:.0f} miles from ZIP {provider.zip or '?'} (at most {ACCEPT_MILES:.0f})"
    return None


def upgrade(session: Session, provider_id: int, lat: float, lon: float, source: str) -> None:
    """Place the provider at a street address (the caller checked `acceptable`)."""
    session.execute(update(Provider).where(Provider.id == provider_id).values(
        latitude=lat, longitude=lon, geocell=geocell(lat, lon), geocode_precision="address",
        location_source=source[:120]).execution_options(synchronize_session=False))


@dataclass
class CoordinatesReport:
    improved: int = 0
    unchanged: int = 0  # already at a street address, or within SAME_POINT_MILES of it
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    ambiguous: list[tuple[int, str]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def _columns(names: list[str], path) -> dict[str, str]:
    lower = {n.strip().lower(): n for n in names}
    found = {key: next((lower[a] for a in aliases if a in lower), None) for key, aliases in COLUMNS.items()}
    missing = [" or ".join(COLUMNS[key]) for key in REQUIRED if found[key] is None]
    if missing:
        raise FileError(f"{path}: wrong header: missing column(s) {'; '.join(missing)}")
    return found


def _rows(path) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """(line, {street, zip, latitude, longitude, name...}) of each readable row, and the bad ones."""
    rows, names = open_rows(Path(path), None, ())
    columns = _columns(names, path)
    good, bad = [], []
    for item in rows:
        if isinstance(item, RowError):
            bad.append((item.line, item.reason))
            continue
        if not isinstance(item, tuple):  # a note about a cleaned cell
            continue
        line, row = item
        values = {key: (row.get(column) or "").strip() for key, column in columns.items() if column}
        try:
            lat, lon = float(values["latitude"]), float(values["longitude"])
        except ValueError:
            bad.append((line, "latitude and longitude must be numbers"))
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also refuses nan and inf
            bad.append((line, "latitude must be within -90 to 90 and longitude within -180 to 180"))
            continue
        values["latitude"], values["longitude"] = lat, lon
        good.append((line, values))
    return good, bad


def import_coordinates(session: Session, path, overwrite: bool = False) -> CoordinatesReport:
    """Place the providers a file of geocoded addresses names at their street address; the
    caller commits. FileError when the file or its header cannot be read."""
    source = Path(path).name
    report = CoordinatesReport()
    rows, bad = _rows(path)
    report.unmatched.extend(bad)
    by_key: dict[tuple, list] = {}
    for provider in session.execute(select(Provider.id, Provider.name, Provider.street, Provider.zip, Provider.state,
                                           Provider.latitude, Provider.longitude, Provider.geocode_precision)):
        key = street_key(provider.street, provider.zip)
        if key:
            by_key.setdefault(key, []).append(provider)
    points: dict[tuple, list[tuple[int, dict]]] = {}
    for line, values in rows:
        key = street_key(values["street"], values["zip"])
        if key is None:
            report.unmatched.append((line, "no house number and street, or no 5-digit ZIP"))
        elif key not in by_key:
            report.unmatched.append((line, "no provider at this street address and ZIP"))
        else:
            points.setdefault(key, []).append((line, values))
    done: set[int] = set()
    for key, found in points.items():
        line, values = found[0]
        far = [other for other, v in found[1:] if haversine_miles(values["latitude"], values["longitude"],
                                                                  v["latitude"], v["longitude"]) > SAME_POINT_MILES]
        if far:
            others = ", ".join(map(str, far))
            report.ambiguous.append((line, f"the same address is placed elsewhere on line(s) {others}"))
            continue
        for provider in by_key[key]:
            if provider.id in done:
                continue
            done.add(provider.id)
            if provider.geocode_precision in AT_THE_DOOR and not overwrite:
                report.unchanged += 1
                continue
            why = acceptable(provider, values["latitude"], values["longitude"])
            if why:
                report.refused.append((line, why))
                continue
            upgrade(session, provider.id, values["latitude"], values["longitude"], source)
            report.improved += 1
    session.flush()
    return report
