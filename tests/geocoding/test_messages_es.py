"""Every GeocodeError a person can meet has a Spanish message, and Spanish pages show it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from locator.geocoding import GeocodeError, InvalidLocation, LocationAmbiguous, LocationNotFound, resolver

GEOCODING = Path(__file__).resolve().parents[2] / "locator" / "geocoding"
ERRORS = {"GeocodeError", "InvalidLocation", "LocationNotFound", "LocationAmbiguous"}
ENGLISH = ("Please", "We could not", "There is", "That ", "The location", "Latitude", "A ZIP code")


def test_every_raise_in_the_geocoding_package_gives_a_spanish_message():
    missing = []
    for path in sorted(GEOCODING.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ERRORS:
                if not any(keyword.arg == "es" for keyword in node.keywords):
                    missing.append(f"{path.name}:{node.lineno}")
    assert not missing, f"GeocodeError without es=: {missing}"


def spanish(exc: GeocodeError) -> str:
    text = exc.text("es")
    assert text and text != exc.message, exc.message
    assert not text.startswith(ENGLISH), text
    assert exc.text("en") == exc.message == str(exc)
    return text


@pytest.mark.parametrize("query,kind,words", [
    (None, InvalidLocation, "Escriba un código postal"),
    ("x" * 201, InvalidLocation, "demasiado largo"),
    ("Dayton\x07", InvalidLocation, "caracteres de control"),
    ("<b>Dayton</b>", InvalidLocation, "Escriba solo un lugar"),
    ("   ", InvalidLocation, "Escriba un código postal"),
    ("- - -", InvalidLocation, "Escriba un código postal"),
    ("1910", InvalidLocation, "cinco dígitos"),
    ("99999", LocationNotFound, "No encontramos el código postal 99999"),
    ("95,-75", InvalidLocation, "La latitud debe estar"),
    ("0,0", InvalidLocation, "no está en los Estados Unidos"),
    ("Qwxzyville, PA", LocationNotFound, "en Pensilvania"),
    ("Ohio", InvalidLocation, "Agregue una ciudad"),
    ("Washington", InvalidLocation, "¿O quiso decir"),
    ("Springfield", LocationAmbiguous, "Hay un lugar llamado Springfield"),
    ("Qwxzyville", LocationNotFound, "No encontramos un lugar llamado “Qwxzyville”"),
    ("123 Main St", LocationNotFound, "sin un código postal"),
])
def test_each_locate_error_has_its_spanish_text(offline, query, kind, words):
    with pytest.raises(kind) as caught:
        offline.locate(query)
    assert words in spanish(caught.value)


@pytest.mark.parametrize("lat,lon,words", [("here", 1, "No pudimos leer"), (100, 0, "fuera de rango"),
                                           (0, 0, "no está en los Estados Unidos")])
def test_each_reverse_error_has_its_spanish_text(offline, lat, lon, words):
    with pytest.raises(InvalidLocation) as caught:
        offline.reverse(lat, lon)
    assert words in spanish(caught.value)


def test_an_unexpected_failure_has_its_spanish_text(offline, monkeypatch):
    def broken(gaz, text):
        raise RuntimeError("a bug")

    monkeypatch.setattr(resolver, "resolve_clean", broken)
    with pytest.raises(LocationNotFound) as caught:
        offline.locate("Dayton, OH")
    assert "No pudimos entender ese lugar" in spanish(caught.value)


def test_an_error_without_spanish_falls_back_to_english():
    assert GeocodeError("Only English").text("es") == "Only English"


def test_the_search_page_shows_the_message_in_the_page_language(client):
    spanish_page = client.get("/search?location=99999&lang=es").get_data(as_text=True)
    english_page = client.get("/search?location=99999").get_data(as_text=True)
    assert "No encontramos el código postal 99999" in spanish_page and "could not find" not in spanish_page
    assert "We could not find the ZIP code 99999" in english_page


def test_the_api_keeps_english_unless_spanish_is_asked_for(client):
    english = client.get("/api/v1/search?location=99999").get_json()["error"]
    spanish_body = client.get("/api/v1/search?location=99999&lang=es").get_json()["error"]
    assert english["code"] == spanish_body["code"] == "location_not_found"
    assert english["message"].startswith("We could not find")
    assert spanish_body["message"].startswith("No encontramos")
