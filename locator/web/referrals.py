"""Referral lists: `/referrals` (the list and its printable packet), `.pdf` and `.csv`.

The list lives only in the address: `ids=3,1,7` (order kept), `lang=en|es|both` (the packet's
language), and optionally `back=` (the search page to return to, a local path), `near=` and
`bridges=` (see locator.web.referral_links). The server
keeps nothing about the person; the client's name field never leaves the browser (see
`static/referrals.js`). Malformed ids or more than 50 answer 400 with a page saying why;
unknown ids are named and the others kept. The PDF is the same packet HTML rendered by
WeasyPrint; where WeasyPrint cannot load, a page offers printing and says why.
"""

from __future__ import annotations

import io
import logging

from babel import Locale
from flask import Blueprint, Flask, Response, render_template, request
from flask_babel import force_locale, gettext, lazy_gettext
from markupsafe import Markup

from locator.bridges import bridges_for
from locator.config import PROJECT_ROOT
from locator.db import get_session
from locator.exporters.providers_csv import write_rows
from locator.referrals import (
    MAX_IDS,
    Packet,
    ReferralError,
    added,
    build_packet,
    join_ids,
    load_providers,
    moved,
    parse_ids,
    qr_svg,
    removed,
)
from locator.web.i18n import current_lang, url
from locator.web.ratelimit import pdf_limit
from locator.web.referral_links import (
    back_url,
    bridges_state,
    list_url,
    live_url,
    near_place,
    packet_langs,
    this_page,
)

bp = Blueprint("referrals", __name__)
log = logging.getLogger("locator.referrals")

STYLESHEET = PROJECT_ROOT / "locator" / "static" / "referrals.css"
PAPERS = {"letter": "letter", "a4": "A4"}
QR_LARGE_AFTER = 120  # characters of address: a longer one makes a denser code, printed larger
LABELS = {  # short labels that stand side by side when the packet is in both languages
    "name": lazy_gettext("Name"), "appointment": lazy_gettext("Appointment date"), "time": lazy_gettext("Time"),
    "notes": lazy_gettext("Notes"), "scan": lazy_gettext("Scan for the live list"),
    "fictional": lazy_gettext("fictional"), "intake": lazy_gettext("Intake"),
    "phone_not_working": lazy_gettext("staff found this number not working: try the intake line or 1-800-662-4357"),
    "bridges": lazy_gettext("Ways to start today, even when places have a wait"),
}


class PdfUnavailable(Exception):
    """No PDF: `kind` is "libraries" (WeasyPrint cannot load here) or "failed" (it could not render)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def language_name(code: str) -> str:
    """A packet language's name, each language in itself ("English", "Español", "English + Español")."""
    names = []
    for lang in packet_langs().get(code, (code,)):
        name = Locale.parse(lang).get_display_name(lang) or lang
        names.append(name[:1].upper() + name[1:])
    return " + ".join(names)


def in_lang(lang: str, template: str, **context) -> Markup:
    """Render a partial in `lang` (templates call this for each language of the packet)."""
    with force_locale(lang):
        return Markup(render_template(template, lang=lang, **context).strip())


def tr(key: str, langs) -> str:
    parts = []
    for lang in langs:
        with force_locale(lang):
            parts.append(str(LABELS[key]))
    return " / ".join(dict.fromkeys(parts))


def packet_lang() -> str:
    asked = (request.args.get("lang") or "").strip().lower()
    return asked if asked in packet_langs() else current_lang()


def packet_context(packet: Packet, manage: bool) -> dict:
    lang = packet_lang()
    langs = packet_langs()[lang]
    live = live_url(packet.ids)
    return dict(
        packet=packet, langs=langs, packet_lang=lang, manage=manage, live_url=live,
        qr=Markup(qr_svg(live, title=tr("scan", langs))), qr_large=len(live) > QR_LARGE_AFTER,
        in_lang=in_lang, tr=lambda key: tr(key, langs),
        list_url=list_url, moved=moved, removed=removed, back_link=back_url(packet.ids),
        pdf_url=list_url(packet.ids, "referrals.pdf", keep_back=False),
        csv_url=list_url(packet.ids, "referrals.csv", keep_back=False), max_ids=MAX_IDS,
        lang_choices=[(code, language_name(code), list_url(packet.ids, lang=code)) for code in packet_langs()])


def requested_ids() -> list[int]:
    return parse_ids(",".join(request.args.getlist("ids")))


def error_page(exc: ReferralError):
    if exc.kind == "too_many":
        message = gettext("A referral list holds at most %(n)s providers. Remove some, or make two lists.",
                          n=MAX_IDS)
    else:
        message = gettext("“%(item)s” is not a provider number. A list is provider numbers separated by commas, "
                        "for example ids=12,40,7.", item=exc.value)
    return render_template("referrals/list.html", error=message, packet=None, back_link=url("views.home")), 400


def _load(with_sources: bool = False) -> Packet:
    session = get_session()
    providers, unknown = load_providers(session, requested_ids(), with_sources=with_sources)
    packet = build_packet(providers, unknown, near=near_place(session) if providers else None)
    packet.bridges = bridges_for(session, bridges_state())
    return packet


@bp.get("/referrals")
def packet():
    try:
        packet = _load()
    except ReferralError as exc:
        return error_page(exc)
    return render_template("referrals/list.html", **packet_context(packet, manage=True))


def load_weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango libraries are missing
        log.warning("weasyprint unavailable", extra={"fields": {"error": f"{type(exc).__name__}: {exc}"}})
        raise PdfUnavailable("libraries") from exc
    return weasyprint


def render_pdf(html: str, paper: str) -> bytes:
    weasyprint = load_weasyprint()
    css = STYLESHEET.read_text(encoding="utf-8") + f"\n@page {{ size: {paper}; }}\n"
    try:  # the document names no stylesheet, image or font: nothing is fetched
        return weasyprint.HTML(string=html, base_url=request.url_root).write_pdf(
            stylesheets=[weasyprint.CSS(string=css)])
    except Exception as exc:
        log.exception("pdf rendering failed")
        raise PdfUnavailable("failed") from exc


@bp.get("/referrals.pdf")
@pdf_limit
def pdf():
    try:
        packet = _load()
    except ReferralError as exc:
        return error_page(exc)
    if packet.empty:
        return render_template("referrals/list.html", **packet_context(packet, manage=True)), 400
    context = packet_context(packet, manage=False)
    html = render_template("referrals/print.html", **context)
    paper = PAPERS.get((request.args.get("paper") or "").lower(), "letter")
    try:
        data = render_pdf(html, paper)
    except PdfUnavailable as exc:
        return render_template("referrals/no_pdf.html", reason=exc.kind,
                               print_url=list_url(packet.ids), **context), 503
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="referral-list.pdf"'})


@bp.get("/referrals.csv", endpoint="csv")
def csv_file():
    try:
        packet = _load(with_sources=True)
    except ReferralError as exc:
        return error_page(exc)
    handle = io.StringIO()
    write_rows((item.provider for item in packet.items), handle)
    return Response(handle.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="referral-list.csv"'})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(added=added, join_ids=join_ids, this_page=this_page)
