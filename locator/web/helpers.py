"""Small helpers the templates call: labels, phone and map links, language links."""

from __future__ import annotations

import re
import time
from functools import lru_cache
from urllib.parse import urlencode

from flask import Flask, current_app, request
from flask_babel import lazy_gettext
from sqlalchemy import exists, select

from locator import vocabulary
from locator.db import get_session
from locator.models import Provider
from locator.web.i18n import current_lang

FIELD_LABELS = {
    "location": lazy_gettext("Where"), "radius": lazy_gettext("Within"), "medication": lazy_gettext("Medicine"),
    "payment": lazy_gettext("Payment"), "language": lazy_gettext("Language"), "service": lazy_gettext("Services"),
    "population": lazy_gettext("Programs for"), "accepting": lazy_gettext("Taking new patients"),
    "walk_in": lazy_gettext("Walk-in"), "telehealth": lazy_gettext("Telehealth"),
    "max_wait": lazy_gettext("Longest wait"), "sort": lazy_gettext("Order"), "page": lazy_gettext("Page"),
    "per_page": lazy_gettext("Results per page"),
}
REPORTER_LABELS = {"provider": lazy_gettext("the provider"), "caseworker": lazy_gettext("a caseworker"),
                   "import": lazy_gettext("an imported directory")}
PRECISION_LABELS = {"address": lazy_gettext("street address"), "zip": lazy_gettext("ZIP code area only"),
                    "city": lazy_gettext("city only"), "point": lazy_gettext("map point")}
DEMO_CHECK_SECONDS = 60


@lru_cache(maxsize=4096)
def tel_href(phone: str) -> str:
    digits = re.sub(r"\D", "", (phone or "").split(" x")[0])
    return f"tel:+1{digits}" if len(digits) == 10 else "tel:" + digits


def labels(category: str, keys) -> str:
    return _labels(category, tuple(keys), current_lang())


@lru_cache(maxsize=2048)
def _labels(category: str, keys: tuple, lang: str) -> str:
    terms = vocabulary.CATEGORIES[category].by_key
    return ", ".join(terms[k].label(lang) for k in keys if k in terms)


def directions_url(provider: Provider) -> str:
    """An outside map with only the destination in it; opened only when the person clicks."""
    # Digits, points and minus signs need no quoting; the comma is %2C, as quote() writes it.
    return f"https://www.openstreetmap.org/directions?route=%3B{provider.latitude:.5f}%2C{provider.longitude:.5f}"


def kept_list() -> dict:
    """The referral list being built (`list=ID,ID`), to carry through search links and forms."""
    from locator.referrals import ReferralError, join_ids, parse_ids

    try:
        ids = parse_ids(request.args.get("list"))
    except ReferralError:
        return {}
    return {"list": join_ids(ids)} if ids else {}


def lang_query(lang: str) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    if lang != "en":
        args.append(("lang", lang))
    return urlencode(args)


def demo_data(strict: bool = False) -> bool:
    """Whether the directory holds demonstration rows, asked of the database at most once a
    minute. `strict` lets a failure through (so a page can answer 503); otherwise, as on an
    error page, an unreachable database counts as "maybe demo" and the notice is shown."""
    now = time.monotonic()
    cache = current_app.extensions.setdefault("locator.demo_cache", {})
    cached = cache.get("demo")
    if cached and now - cached[0] < DEMO_CHECK_SECONDS:
        return cached[1]
    try:
        value = bool(get_session().scalar(select(exists().where(Provider.is_demo.is_(True)))))
    except Exception:
        if strict:
            raise
        return True
    cache["demo"] = (now, value)
    return value


def _availability_view(a):
    from locator.web.cards import availability_line

    return availability_line(a)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        tel_href=tel_href, labels=labels, directions_url=directions_url, lang_query=lang_query, kept_list=kept_list,
        state_name=lambda code: vocabulary.state_name(code, current_lang()),
        field_label=lambda f: FIELD_LABELS.get(f, f), reporter_label=lambda k: REPORTER_LABELS.get(k, k),
        precision_label=lambda k: PRECISION_LABELS.get(k, k),
        availability_view=_availability_view)

    @app.context_processor
    def _demo():
        return {"demo_data": demo_data()}

    @app.before_request
    def _database_answers():
        # Pages that would not otherwise touch the database still answer 503 when it is gone.
        if request.endpoint not in ("static", "views.livez"):
            demo_data(strict=True)

    app.jinja_env.policies["ext.i18n.trimmed"] = True
