"""The text-message webhook: `POST /sms/inbound`, in the form Twilio sends, answered in TwiML.

Registered only when TWILIO_AUTH_TOKEN is set (otherwise the address does not exist). Every
request's X-Twilio-Signature is checked with the twilio package's RequestValidator against the
token and the public address (PUBLIC_URL and the path); a missing or wrong one is 403 and
nothing happens. A text is read by locator.sms, searched like the web form (best three places
for starting soon), and answered in at most three SMS segments (LIMIT characters), in English or
Spanish. Nothing of a text is kept but the conversation's paging state for MORE, under an HMAC
of the number, for an hour (locator.sms_state); the log says only that a text was answered and
how long it took. docs/sms.md says how to connect a number.
"""

from __future__ import annotations

import logging
import time

from flask import Blueprint, Flask, Response, abort, current_app, request
from flask_babel import force_locale
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from locator import sms, sms_state
from locator.db import get_session
from locator.geocoding import GeocodeError, LocationAmbiguous
from locator.geocoding.places import Place
from locator.search import search
from locator.search_query import SearchQuery
from locator.web import sms_replies
from locator.web.wording import Words

bp = Blueprint("sms", __name__)
log = logging.getLogger("locator.sms")
PER_TEXT = 3  # places in one answer


def _signed() -> bool:
    path = request.full_path if request.query_string else request.path
    validator = RequestValidator(current_app.config["TWILIO_AUTH_TOKEN"])
    return validator.validate(current_app.config["PUBLIC_URL"] + path, request.form,
                              request.headers.get("X-Twilio-Signature", ""))


@bp.post("/sms/inbound")
def inbound():
    if not _signed():
        abort(403)
    started = time.monotonic()
    session = get_session()
    key = sms_state.conversation_key(current_app.config["SECRET_KEY"], request.form.get("From", ""))
    asked = sms.read_text(request.form.get("Body", ""))
    conversation = sms_state.load(session, key)
    language = asked.language or (conversation.language if conversation else "en")
    if asked.command in ("es", "en"):
        language = asked.command
    with force_locale(language):
        text = _answer(session, key, asked, conversation, language)
    reply = MessagingResponse()
    reply.message(text)
    log.info("text answered", extra={"fields": {"ms": round((time.monotonic() - started) * 1000)}})
    return Response(str(reply), mimetype="application/xml")


def _answer(session, key: str, asked: sms.TextRequest, conversation, language: str) -> str:
    words = Words()
    if asked.command == "stop":
        sms_state.forget(session, key)
        return sms_replies.stopped()
    if asked.command == "help":
        return sms_replies.help_text()
    if asked.command in ("es", "en"):
        _keep(session, key, conversation, language=language)
        return sms_replies.language_set()
    if asked.command == "more":
        if conversation is None or conversation.latitude is None:
            return sms_replies.ask_for_place()
        place = Place(conversation.latitude, conversation.longitude, conversation.label, conversation.precision,
                      conversation.state or None)
        page = conversation.page + 1
        query = SearchQuery(location=conversation.label, medication=tuple(conversation.medications),
                            payment=tuple(conversation.payment), page=page, per_page=PER_TEXT)
        results = search(session, query, place)
        _keep(session, key, conversation, page=page)
        return sms_replies.places(words, results, (page - 1) * PER_TEXT + 1, more=True)
    if not asked.place:
        return sms_replies.ask_for_place(emergency=asked.emergency)
    try:
        place = current_app.extensions["locator.geocoder"].locate(asked.place, session)
    except GeocodeError as exc:  # in an emergency, the emergency first and a plain ask for a ZIP
        if asked.emergency:
            return sms_replies.ask_for_place(emergency=True)
        return sms_replies.ambiguous(asked.place) if isinstance(exc, LocationAmbiguous) else sms_replies.not_found()
    query = SearchQuery(location=asked.place, medication=asked.medications, payment=asked.payment,
                        per_page=PER_TEXT)
    results = search(session, query, place)
    sms_state.save(session, key, language=language, latitude=place.latitude, longitude=place.longitude,
                   state=place.state or "", label=place.label, precision=place.precision,
                   medications=list(asked.medications), payment=list(asked.payment), page=1)
    return sms_replies.places(words, results, 1, emergency=asked.emergency)


def _keep(session, key: str, conversation, **changes) -> None:
    """Save the conversation with `changes` (a language alone starts one without a place)."""
    fields = ("language", "latitude", "longitude", "state", "label", "precision", "medications", "payment", "page")
    values = {name: getattr(conversation, name) for name in fields} if conversation else {"language": "en"}
    values.update(changes)
    sms_state.save(session, key, **values)


def init_app(app: Flask) -> None:
    """The webhook exists only with a Twilio token to check its signatures against."""
    if app.config.get("TWILIO_AUTH_TOKEN"):
        from locator.web.security import csrf

        app.register_blueprint(bp)
        csrf.exempt(bp)  # signed by Twilio, not a browser form
