"""Geocoding: turn what a person types into a `Place`, offline by default.

`build_service(settings)` gives the `GeocodingService` the app uses (`locate`, `reverse`,
`place_provider`); `get_gazetteer()` the offline gazetteer (loaded once per process). Errors
are `GeocodeError` subclasses carrying a reason and its values, which the web layer words for
people (locator.web.wording). See docs/geocoding.md.
"""

from locator.geocoding.gazetteer import Gazetteer, get_gazetteer
from locator.geocoding.places import (
                                      Candidate,
                                      GeocodeError,
                                      InvalidLocation,
                                      LocationAmbiguous,
                                      LocationNotFound,
                                      Place,
)
from locator.geocoding.service import GeocodingService, build_service

__all__ = ["Candidate", "Gazetteer", "GeocodeError", "GeocodingService", "InvalidLocation",
           "LocationAmbiguous", "LocationNotFound", "Place", "build_service", "get_gazetteer"]
