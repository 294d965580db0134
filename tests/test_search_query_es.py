"""Every QueryError message has a Spanish text; HTML pages show the page's language, the API English."""

from __future__ import annotations

import pytest

from locator.search_query import LIST_PARAMS, QueryError, parse_query

ENGLISH = ("must", "unknown value", "is too long", "choose from")


def errors_for(args: dict) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse_query(args)
    return caught.value


@pytest.mark.parametrize("args,field,words", [
    ({"location": "x" * 201}, "location", "es demasiado largo"),
    *[({name: "nonsense"}, name, "no es una de las opciones") for name in LIST_PARAMS],
    ({"accepting": "maybe"}, "accepting", "debe ser 1 (sí) o 0 (no)"),
    ({"walk_in": "maybe"}, "walk_in", "debe ser 1 (sí) o 0 (no)"),
    ({"telehealth": "maybe"}, "telehealth", "debe ser 1 (sí) o 0 (no)"),
    ({"radius": "far"}, "radius", "debe ser un número del 1 al 250"),
    ({"radius": "999"}, "radius", "debe estar entre 1 y 250"),
    ({"radius": "nan"}, "radius", "debe estar entre 1 y 250"),
    ({"max_wait": "soon"}, "max_wait", "debe ser un número entero del 0 al 365"),
    ({"max_wait": "400"}, "max_wait", "debe estar entre 0 y 365"),
    ({"sort": "random"}, "sort", "debe ser una de las opciones de la lista"),
    ({"page": "first"}, "page", "debe ser un número entero del 1 al 1000"),
    ({"page": "0"}, "page", "debe estar entre 1 y 1000"),
    ({"per_page": "500"}, "per_page", "debe estar entre 1 y 50"),
])
def test_each_error_has_its_spanish_text(args, field, words):
    exc = errors_for(args)
    assert exc.text("en") is exc.errors and set(exc.errors) == set(exc.errors_es) == {field}
    spanish = exc.text("es")[field]
    assert words in spanish and spanish != exc.errors[field]
    assert not any(word in spanish for word in ENGLISH), spanish


def test_several_errors_keep_one_spanish_message_per_field():
    exc = errors_for({"radius": "0", "sort": "x", "medication": "aspirin"})
    assert list(exc.errors_es) == list(exc.errors) == ["medication", "radius", "sort"]
    assert "Buprenorfina, Metadona, Naltrexona" in exc.errors_es["medication"]


def test_the_search_form_shows_spanish_messages_on_spanish_pages(client):
    response = client.get("/search?location=19104&radius=999&sort=x&lang=es")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "debe estar entre 1 y 250" in page and "debe ser una de las opciones" in page
    assert "must be" not in page
    english = client.get("/search?location=19104&radius=999").get_data(as_text=True)
    assert "must be from 1 to 250" in english


def test_the_api_answers_in_english_unless_spanish_is_asked_for(client):
    english = client.get("/api/v1/search?location=19104&radius=999").get_json()["error"]
    spanish = client.get("/api/v1/search?location=19104&radius=999&lang=es").get_json()["error"]
    assert english["message"] == "radius must be from 1 to 250"
    assert spanish["message"] == "radius debe estar entre 1 y 250" and spanish["field"] == "radius"
