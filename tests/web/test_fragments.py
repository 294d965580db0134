"""The search form's filters are rendered once per language and choice, and never hold the place."""

from __future__ import annotations

from locator import create_app


def _filters(client, query: str) -> str:
    page = client.get(f"/search?{query}").get_data(as_text=True)
    return page[page.index('<legend>'):page.index('<button type="submit"')]


def test_the_filters_show_the_choices_of_each_search(client):
    assert 'value="methadone" checked' in _filters(client, "location=99999&medication=methadone")
    plain = _filters(client, "location=99999")
    assert 'value="methadone" checked' not in plain and 'value="methadone"' in plain


def test_a_repeated_choice_is_rendered_once_and_the_place_is_not_part_of_it(app, client):
    info = app.jinja_env.globals["filter_fields"].cache_info
    client.get("/search?location=19104&payment=medicaid")
    misses = info().misses
    client.get("/search?location=10001&payment=medicaid")
    client.get("/search?location=60601&payment=medicaid&page=2")
    assert info().misses == misses and info().hits >= 2
    assert "10001" not in _filters(client, "location=10001&payment=medicaid")


def test_spanish_pages_get_spanish_filters(client):
    english = _filters(client, "location=99999")
    spanish = _filters(client, "location=99999&lang=es")
    assert "Which medicine?" in english and "Which medicine?" not in spanish
    assert "¿Qué medicamento?" in spanish


def test_someone_else_highlights_family_counseling(client):
    assert "highlight" in _filters(client, "location=99999&for=someone")
    assert "highlight" not in _filters(client, "location=99999")


def test_nothing_is_kept_in_debug_mode_so_edited_templates_show(database_url):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "DEBUG": True})
    assert app.jinja_env.globals["filter_fields"].cache_info().maxsize == 0


def test_the_frame_is_rendered_once_per_language_and_says_when_the_data_is_fictional(app, client, session):
    from tests.factories import make_provider

    info = app.jinja_env.globals["frame_part"].cache_info
    english = client.get("/").get_data(as_text=True)
    misses = info().misses
    assert "1-800-662-4357" in english and "Staying safe" in english and "Demonstration data" not in english
    client.get("/privacy")
    assert info().misses == misses
    spanish = client.get("/?lang=es").get_data(as_text=True)
    assert "Ayuda en una crisis" in spanish and "Para mantenerse a salvo" in spanish and "Crisis help" not in spanish
    assert 'href="/privacy?lang=es"' in spanish
    make_provider(session, is_demo=True)
    app.extensions.pop("locator.demo_cache", None)  # the once-a-minute check, asked again now
    assert "Demonstration data" in client.get("/").get_data(as_text=True)


def test_static_addresses_are_those_url_for_makes(app):
    from flask import url_for

    with app.test_request_context("/", base_url="http://localhost/locator/"):
        assert app.jinja_env.globals["static_url"]("style.css") == url_for("static", filename="style.css")
        assert url_for("static", filename="style.css").startswith("/locator/static/")
    with app.test_request_context("/"):
        assert app.jinja_env.globals["static_url"]("style.css") == "/static/style.css"
