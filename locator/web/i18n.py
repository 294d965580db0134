"""Language: chosen by `?lang=` or the browser's Accept-Language among the app's LANGUAGES,
never stored in a cookie. Flask-Babel does the rest, through its public API only.

`LANGUAGES` (app config; default `DEFAULT_LANGUAGES`) is the one line of configuration a new
language needs, beside its catalogue `translations/<code>/LC_MESSAGES/messages.po`. At start,
every language but English must have its catalogue compiled (a stale or missing .mo is
compiled then), or the app refuses to start and says how to build it: a page is never marked
as Spanish while its words are English.

Flask-Babel keeps the chosen locale on the app context, which can outlive one request (a test
or a script holding an app context): `refresh()` before each request forgets it.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import Babel, get_locale, refresh

from locator.catalogue import TRANSLATIONS, ensure_compiled

DEFAULT_LANGUAGES = ("en", "es")
babel = Babel()


def languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_lang() -> str:
    """The page's language: `?lang=` when it names one of LANGUAGES, else the browser's choice."""
    if not has_request_context():
        return "en"
    offered = languages()
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in offered:
        return asked
    return request.accept_languages.best_match(offered, default="en") or "en"


def current_lang() -> str:
    locale = get_locale()
    return str(locale) if locale is not None else "en"


def url(endpoint: str, **values) -> str:
    """url_for that carries the page's language along."""
    lang = current_lang()
    if lang != "en" and "lang" not in values:
        values["lang"] = lang
    return url_for(endpoint, **values)


def translation_directories(app: Flask) -> list[str]:
    return [d for d in str(app.config["BABEL_TRANSLATION_DIRECTORIES"]).split(";") if d]


def init_app(app: Flask) -> None:
    app.config.setdefault("LANGUAGES", DEFAULT_LANGUAGES)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    ensure_compiled([lang for lang in app.config["LANGUAGES"] if lang != "en"], translation_directories(app))
    babel.init_app(app, locale_selector=select_lang)
    app.before_request(refresh)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(url=url, current_lang=current_lang)
