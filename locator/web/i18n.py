"""Language: English or Spanish, chosen by `?lang=` or the browser, never by a cookie.

Templates use Flask-Babel's `_()`; the domain core takes a plain `lang` argument. Links made
with `url()` keep the chosen language.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request, url_for
from flask_babel import Babel, get_translations, refresh

from locator.config import PROJECT_ROOT

LANGUAGES = ("en", "es")
babel = Babel()


def current_lang() -> str:
    """The page's language, decided once per request."""
    if has_request_context():
        # Kept on the request, not on `g`: an app context can outlive one request (tests).
        lang = request.environ.get("locator.lang")
        if lang is None:
            lang = request.environ["locator.lang"] = _choose_lang()
        return lang
    return "en"


def _choose_lang() -> str:
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def _translations():
    """The request's catalogue, fetched once: Flask-Babel looks it up on every call."""
    if not has_request_context():
        return get_translations()
    translations = request.environ.get("locator.translations")
    if translations is None:
        translations = request.environ["locator.translations"] = get_translations()
    return translations


def _gettext(message: str) -> str:
    return _translations().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


def url(endpoint: str, **values) -> str:
    """url_for that carries the page's language along."""
    lang = current_lang()
    if lang != "en" and "lang" not in values:
        values["lang"] = lang
    return url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "translations"))
    babel.init_app(app, locale_selector=current_lang)
    # Flask-Babel caches the locale on the app context, which can outlive a request (tests,
    # CLI): start every request afresh.
    app.before_request(refresh)
    # Jinja's new-style gettext does the %-formatting and escaping around these.
    app.jinja_env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    app.jinja_env.globals.update(url=url, current_lang=current_lang)
