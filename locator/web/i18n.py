"""Language: English or Spanish, chosen by `?lang=` or the browser, never by a cookie.

Templates use Flask-Babel's `_()`; the domain core takes a plain `lang` argument. Links made
with `url()` keep the chosen language.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator
from weakref import WeakKeyDictionary

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import Babel, force_locale, get_translations, refresh
from markupsafe import Markup

from locator.config import PROJECT_ROOT

LANGUAGES = ("en", "es")
babel = Babel()


# The request's (language, catalogue), set first thing in each request and cleared after it.
# A context variable is read far faster than Flask's request proxies, and pages ask hundreds
# of times.
_state: ContextVar[tuple[str, object] | None] = ContextVar("locator_i18n", default=None)


def current_lang() -> str:
    """The page's language, decided once per request."""
    state = _state.get()
    if state is not None:
        return state[0]
    return _choose_lang() if has_request_context() else "en"


def _choose_lang() -> str:
    asked = (request.args.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def _begin_request() -> None:
    refresh()  # Flask-Babel caches the locale on the app context, which can outlive a request
    lang = _choose_lang()
    catalogues = current_app.extensions.setdefault("locator.catalogues", {})  # loaded once per language
    catalogue = catalogues.get(lang)
    if catalogue is None:
        _state.set((lang, None))  # Flask-Babel's locale selector asks for the language first
        catalogue = catalogues[lang] = get_translations()
    _state.set((lang, catalogue))


def _end_request(_exc=None) -> None:
    _state.set(None)


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Render in `lang` for a while (one column of a bilingual packet), then the page's language again."""
    with force_locale(lang):
        token = _state.set((lang, get_translations()))
        try:
            yield
        finally:
            _state.reset(token)


def _translations():
    state = _state.get()
    if state is not None and state[1] is not None:
        return state[1]
    return get_translations()


# Each catalogue's looked-up messages, as Markup: a page asks for a hundred, mostly the same.
_looked_up: WeakKeyDictionary = WeakKeyDictionary()


def _gettext(message: str, **variables) -> Markup:
    """`_()` in templates. Catalogue text is trusted; the values put into it are escaped."""
    catalogue = _translations()
    memo = _looked_up.get(catalogue)
    if memo is None:
        memo = _looked_up[catalogue] = {}
    text = memo.get(message)
    if text is None:
        text = memo[message] = Markup(catalogue.gettext(message))
    return text % variables if variables else text


def gettext(message: str, **variables) -> str:
    """Flask-Babel's `gettext` for Python code (plain text, nothing escaped), without its
    per-call lookup of the locale and catalogue."""
    text = _translations().gettext(message)
    return text % variables if variables else text


def _ngettext(singular: str, plural: str, n: int, **variables) -> Markup:
    variables.setdefault("num", n)
    return Markup(_translations().ngettext(singular, plural, n)) % variables


def url(endpoint: str, **values) -> str:
    """url_for that carries the page's language along."""
    lang = current_lang()
    if lang != "en" and "lang" not in values:
        values["lang"] = lang
    return url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "translations"))
    babel.init_app(app, locale_selector=current_lang)
    app.before_request(_begin_request)
    app.teardown_request(_end_request)
    # Our callables format and escape themselves (Jinja's "new style" wrapper did it at about
    # 15 us a call); `_` is bound directly, without the extension's alias.
    app.jinja_env.install_gettext_callables(_gettext, _ngettext, newstyle=False)
    app.jinja_env.globals.update(_=_gettext, url=url, current_lang=current_lang)
