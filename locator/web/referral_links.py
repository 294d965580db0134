"""The addresses of a referral list: the list itself (`list_url`, keeping its language, the
page to go back to and the place it was made near), the live list a QR code opens (`live_url`,
none of those), and the search or provider page to go back to (`back=`, only ever a local page
of this site).

`near=` is what the person searched for when they added a provider from a results page. The
packet then says how far each provider is from there; it is placed again at each request
(offline for a ZIP or city) and kept nowhere. The QR code and the share link leave it out: a
printed code carries no one's whereabouts. `bridges=` (a state code) adds that state's
start-today bridge options to the packet; it is kept like `near=`.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import current_app, request, url_for
from werkzeug.exceptions import HTTPException

from locator.geocoding import GeocodeError
from locator.referrals import join_ids
from locator.search_query import MAX_LOCATION
from locator.vocabulary import US_STATES
from locator.web.i18n import languages, url


def packet_langs() -> dict[str, tuple[str, ...]]:
    """The packet's language choices: each language of the app alone, and English beside each
    other one (`en+fr`; English and Spanish keep the name their links have always had, `both`)."""
    choices = {lang: (lang,) for lang in languages()}
    for other in languages():
        if other != "en":
            choices["both" if other == "es" else f"en+{other}"] = ("en", other)
    return choices


BACK_ENDPOINTS = ("views.home", "views.search_page", "views.provider_page")


def _back_target(value: str | None) -> tuple[str, dict, dict] | None:
    """(endpoint, view arguments, query) of a local search or provider page to return to, or
    None (never another site, never another kind of page)."""
    if not value or len(value) > 1500 or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):  # browsers drop tabs and newlines from links
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    try:
        endpoint, view_args = current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:  # not found, another method, or a redirect
        return None
    if endpoint not in BACK_ENDPOINTS:
        return None
    query = {k: v for k, v in parse_qs(parts.query, keep_blank_values=True).items()
             if not k.startswith("_") and k != "endpoint"}  # never url_for's own arguments
    return endpoint, view_args, query


def safe_back(value: str | None) -> str | None:
    """`value` when it is a local search or provider page a list may return to, else None."""
    return value if _back_target(value) else None


def back_url(ids: list[int]) -> str:
    """The page to add more providers from, carrying the list along as `list=`."""
    target = _back_target(request.args.get("back"))
    if target is None:
        return url("views.home", **({"list": join_ids(ids)} if ids else {}))
    endpoint, view_args, query = target
    query.pop("list", None)
    if ids:
        query["list"] = join_ids(ids)
    return url_for(endpoint, **{**query, **view_args})


def list_url(ids: list[int], endpoint: str = "referrals.packet", external: bool = False, keep_back=True,
             lang: str | None = None, keep_near=True) -> str:
    """The address of a list (`external`: absolute, on the site's PUBLIC_URL, never the Host the
    request came with)."""
    values: dict[str, str] = {}
    if ids:
        values["ids"] = join_ids(ids)
    near = near_text()
    if near and keep_near:
        values["near"] = near
    asked = lang or (request.args.get("lang") or "").strip().lower()
    if asked in packet_langs():
        values["lang"] = asked
    state = bridges_state()
    if state and keep_near:  # like near=, never in the printed code or the share link
        values["bridges"] = state
    back = safe_back(request.args.get("back")) if keep_back else None
    if back:
        values["back"] = back
    path = url_for(endpoint, **values)
    return current_app.config["PUBLIC_URL"] + path if external else path


def this_page() -> str | None:
    """The page being shown, as the `back` of its "Add to referral list" links (None if not one
    a list may return to)."""
    return safe_back(request.full_path.rstrip("?"))


def live_url(ids: list[int]) -> str:
    """The absolute address of the list the QR code and the share link open (no `back`)."""
    return list_url(ids, external=True, keep_back=False, keep_near=False)


def bridges_state() -> str:
    """The `bridges=` of this request: a state whose start-today options the packet lists, or nothing."""
    code = (request.args.get("bridges") or "").strip().upper()
    return code if code in US_STATES else ""


def near_text() -> str:
    """The `near=` of this request: one line of at most MAX_LOCATION characters, else nothing."""
    text = " ".join((request.args.get("near") or "").split())
    return text if len(text) <= MAX_LOCATION else ""


def near_place(session):
    """The place `near=` names, or None (none given, or none found: the packet then simply
    shows no distances)."""
    text = near_text()
    if not text:
        return None
    try:
        return current_app.extensions["locator.geocoder"].locate(text, session)
    except GeocodeError:
        return None
