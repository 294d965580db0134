"""Language: chosen by `?lang=` or the browser's Accept-Language among the app's LANGUAGES,
never stored in a cookie. Flask-Babel does the rest, through its public API only.

`LANGUAGES` (app config; default `DEFAULT_LANGUAGES`) is the one line of configuration a new
language needs, beside its catalogue `translations/<code>/LC_MESSAGES/messages.po`. At start,
every language but English must have its catalogue compiled (a stale or missing .mo is
compiled then), or the app refuses to start and says how to build it: a page is never marked
as Spanish while its words are English.

Flask-Babel keeps the chosen locale on the app context, which can outlive one request (a test
or a script holding an app context): `refresh()` before each request forgets it.

Each render of a template gets the words of its language (`template_words`): a `Words` (the
catalogue, looked up once through Flask-Babel's public API) and the `gettext` / `ngettext`
that the template's `_()` calls, with Jinja's "new style" behaviour (the result is escaped
Markup, `%(name)s` values are filled and escaped). Flask-Babel's own template functions look
the catalogue up again on every call, which made a results page's 300 messages cost more than
its search; a render under `force_locale` (a packet in two languages) gets its own.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import Babel, get_locale, refresh
from jinja2 import pass_context
from markupsafe import Markup

from locator.catalogue import TRANSLATIONS, ensure_compiled
from locator.web.wording import Words

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


def template_words() -> dict:
    """The words of this render's language, for templates (a context processor)."""
    words = Words()

    @pass_context
    def gettext(context, message: str, **values):
        text = words.translations.gettext(message)
        return (Markup(text) if context.eval_ctx.autoescape else text) % values

    @pass_context
    def ngettext(context, singular: str, plural: str, n: int, **values):
        values.setdefault("num", n)
        text = words.translations.ngettext(singular, plural, n)
        return (Markup(text) if context.eval_ctx.autoescape else text) % values

    return {"words": words, "gettext": gettext, "ngettext": ngettext}


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
    app.context_processor(template_words)
