"""Error pages and JSON errors. Every error page still shows the crisis lines.

API paths answer `{"error": {"code", "message", "field"}}`; pages answer HTML. When the
database cannot be reached, every route answers 503 with the helpline, and the next request
tries again (connections are checked before use), so the service recovers by itself.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from locator.logs import route
from locator.vocabulary import N_

log = logging.getLogger("locator.errors")

MESSAGES = {
    400: ("bad_request", N_("The request could not be understood.")),
    404: ("not_found", N_("There is no such page or provider.")),
    405: ("method_not_allowed", N_("This address does not accept that kind of request.")),
    413: ("too_large", N_("The request is too large.")),
    429: ("rate_limited", N_("Too many requests. Please wait a minute and try again.")),
    500: ("server_error", N_("Something went wrong on our side.")),
    503: ("unavailable", N_("The directory is unavailable for a moment.")),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str | None = None, message: str | None = None, field: str | None = None,
                   **extra):
    """A JSON error for the API, an error page for the rest. `message`, when given, is already
    worded in the request's language; otherwise the status's own message is used."""
    default_code, default_message = MESSAGES.get(status, ("error", N_("Something went wrong.")))
    code, message = code or default_code, message or gettext(default_message)
    if wants_json():
        body = {"code": code, "message": message, "field": field, **extra}
        return make_response(jsonify(error=body), status)
    return make_response(render_template("errors/error.html", status=status, message=message), status)


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        response = error_response(exc.code or 500)
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def _database_down(exc):
        log.error("database unavailable", extra={"fields": {"error": type(exc).__name__}})
        return error_response(503)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error", extra={"fields": {"path": route()}})
        return error_response(500)
