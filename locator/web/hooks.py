"""What the pages need from the request they answer: hooks that run around each request, and the
template globals that read it (the language links, the referral list being built).

Everything here lives as long as its request: values are kept on `g`, which Flask drops with
the request's app context, and `forget_request_state` clears them at the end of each request
too, for the case where an outer app context outlives it (a script or a test holding one).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from babel import Locale
from flask import Flask, g, request, url_for
from sqlalchemy import exists, select

from locator.db import get_session
from locator.models import Provider
from locator.referrals import ReferralError, join_ids, parse_ids
from locator.web.i18n import current_lang, languages

REQUEST_STATE = ("demo_data", "referral_ids")
ANY_DEMO = select(exists().where(Provider.is_demo.is_(True)))
NO_DATABASE = ("static", "views.livez")  # endpoints that answer without the database


def demo_data() -> bool:
    """Whether the directory holds demonstration rows; asked of the database once per request.
    Where it could not be asked (an error page), the notice is shown."""
    return g.get("demo_data", True)


def referral_ids() -> list[int]:
    """The referral list being built (`list=ID,ID`), carried through searches; [] when malformed."""
    if "referral_ids" not in g:
        try:
            g.referral_ids = parse_ids(request.args.get("list"))
        except ReferralError:
            g.referral_ids = []
    return g.referral_ids


def kept_list() -> dict:
    """The `list` parameter to carry through search links and forms."""
    ids = referral_ids()
    return {"list": join_ids(ids)} if ids else {}


def language_links() -> list[tuple[str, str, str]]:
    """(code, the language's own name, link to this page in it) for each language but the page's.
    An error page (no route) links to the home page."""
    # The query's own parameters, kept; url_for's own arguments (endpoint, _external, _scheme ...)
    # never come from it.
    kept = {k: v for k, v in request.args.to_dict(flat=False).items()
            if not k.startswith("_") and k not in ("lang", "endpoint")}
    endpoint, view_args = (request.endpoint, request.view_args or {}) if request.url_rule else ("views.home", {})
    links = []
    for code in languages():
        if code != current_lang():
            name = Locale.parse(code).get_display_name(code) or code
            href = url_for(endpoint, **{**kept, **view_args, "lang": code})
            links.append((code, name[:1].upper() + name[1:], href))
    return links


def _ask_the_database() -> None:
    # Every page asks, so a page that would not otherwise touch the database still answers 503
    # (with the helpline) when the database is gone. The JSON API shows no notice (each provider
    # says whether it is a demonstration) and its answers need the database anyway.
    if request.endpoint not in NO_DATABASE and not request.path.startswith("/api/"):
        g.demo_data = bool(get_session().connection().scalar(ANY_DEMO))


def forget_request_state(_exc=None) -> None:
    for name in REQUEST_STATE:
        g.pop(name, None)


def forget_split_addresses() -> None:
    """Python 3.11's urlsplit memoises the last 128 URLs it split (functools.lru_cache), and the
    server (gunicorn's request parser; Werkzeug's, and its access log) and this app split each
    request's address, query string and all: the places people typed would stay in the worker's
    memory. Emptied when the server closes the response (after its last write and log line) and
    at the start of each request."""
    clear = getattr(urlsplit, "cache_clear", None)  # a Python without the memo has nothing to empty
    if clear is not None:
        clear()


def _forget_when_closed(response):
    response.call_on_close(forget_split_addresses)
    return response


def init_app(app: Flask) -> None:
    app.before_request(forget_split_addresses)
    app.before_request(_ask_the_database)
    app.teardown_request(forget_request_state)
    app.after_request(_forget_when_closed)
    app.jinja_env.globals.update(kept_list=kept_list, language_links=language_links)

    @app.context_processor
    def _page_context():
        return {"demo_data": demo_data()}
