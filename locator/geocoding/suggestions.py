"""Did you mean ...? What to offer when what a person typed is a slip away from a place.

Called only when exact lookup has failed, so a well-typed query never pays for it.

- `close_places()`: places whose normalised name is at most one edit (names under 8 letters)
  or two edits (longer names) from the typed one. Edits are rapidfuzz's OSA distance
  (insert, delete or change a letter, or swap two neighbours: "Tuscon" is one edit from
  "Tucson"). Text under 4 or over 40 letters gets no suggestions. Places are ranked by edits
  minus half an edit for each tenfold of population, so "Pheonix" offers Phoenix, AZ before
  Phenix, VA, and "Louisvile" offers Louisville, KY, the largest, first. At most
  MAX_SUGGESTIONS. With a state and nothing close in it, the same name in other states
  ("Cincinnati, KY" offers Cincinnati, OH).
- `digits_error()`: a run of digits that is not a ZIP. Three or four digits that are a known ZIP
  once zero-padded ("2139": a spreadsheet dropped the zero of 02139) -> LocationAmbiguous
  "zip_leading_zero" offering that ZIP; any other -> InvalidLocation "zip_digits".

Nothing of the query is kept once the call returns.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import OSA

from locator.geocoding import normalize as n
from locator.geocoding.places import Candidate, GeocodeError, InvalidLocation, LocationAmbiguous, shown

if TYPE_CHECKING:
    from locator.geocoding.gazetteer import Gazetteer

MAX_SUGGESTIONS = 8
MIN_LETTERS = 4  # shorter names are a slip away from too many places
MAX_LETTERS = 40  # the longest name in the data has 38 letters: longer text is a slip from none
LONG_NAME = 8  # from this many letters, two edits are allowed
EDITS_PER_TENFOLD = 0.5  # how much a tenfold population weighs against an edit
COUNTY = "county"  # how a county's key ends (normalize.city_key)


def max_edits(key: str) -> int:
    """How many slips a name may hold, by its own letters: "County" is not part of the name
    ("Dade County" is one short name, and no two edits from "Lake County")."""
    letters = len(key) - len(COUNTY) if key.endswith(COUNTY) and len(key) > len(COUNTY) else len(key)
    if not MIN_LETTERS <= letters <= MAX_LETTERS:
        return 0
    return 1 if letters < LONG_NAME else 2


def close_places(gaz: Gazetteer, words: tuple[str, ...], state: str | None = None) -> list[int]:
    """Living places whose names are close to the words, best first. With a `state`: those in
    that state; when none is close there, the places of exactly that name in other states
    (one slip at a time: the state was wrong, not the name)."""
    key = n.city_key(words)
    edits = max_edits(key)
    if not edits:
        return []
    if state is not None:
        return (_ranked(gaz, key, edits, state)
                or [city for city in gaz.cities_named(key) if gaz.is_living(city)][:MAX_SUGGESTIONS])
    return _ranked(gaz, key, edits, None)


def _ranked(gaz: Gazetteer, key: str, edits: int, state: str | None) -> list[int]:
    ranks: dict[int, float] = {}
    for name, distance, _ in process.extract(key, gaz.names(), scorer=OSA.distance, score_cutoff=edits,
                                              limit=None):
        for city in gaz.cities_named(name):
            if (state is None or gaz.city_state(city) == state) and gaz.is_living(city):
                rank = distance - EDITS_PER_TENFOLD * math.log10(1 + gaz.city_population(city))
                ranks[city] = min(rank, ranks.get(city, rank))
    return sorted(ranks, key=lambda city: (ranks[city], gaz.city_label(city)))[:MAX_SUGGESTIONS]


def did_you_mean(gaz: Gazetteer, cities: list[int], text: str) -> LocationAmbiguous:
    candidates = [Candidate(gaz.city_label(city), gaz.city_label(city)) for city in cities]
    return LocationAmbiguous("did_you_mean", candidates, text=shown(text), suggestion=candidates[0].label)


def digits_error(gaz: Gazetteer, text: str) -> GeocodeError:
    """The error for digits that are not a five-digit ZIP (the caller raises it)."""
    if 3 <= len(text) <= 4:
        code = text.zfill(5)
        place = gaz.zip_place(code)
        if place is not None:
            return LocationAmbiguous("zip_leading_zero", [Candidate(place.label, code)], text=shown(text),
                                     zip=code, suggestion=place.label)
    return InvalidLocation("zip_digits", text=shown(text), digits=len(text))
