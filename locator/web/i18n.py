"""Language: English or Spanish, chosen by `?lang=` or the browser, never by a cookie.

Templates use Flask-Babel's `_()`; the domain core takes a plain `lang` argument. Links made
with `url()` keep the chosen language.
"""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import Babel

from locator.config import PROJECT_ROOT

LANGUAGES = ("en", "es")
babel = Babel()


def current_lang() -> str:
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def url(endpoint: str, **values) -> str:
    """url_for that carries the page's language along."""
    lang = current_lang()
    if lang != "en" and "lang" not in values:
        values["lang"] = lang
    return url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "translations"))
    babel.init_app(app, locale_selector=current_lang)
    app.jinja_env.globals.update(url=url, current_lang=current_lang)
