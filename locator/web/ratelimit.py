"""Rate limits (Flask-Limiter) for the routes that write (availability reports) and for the
costly one (referral PDFs, `pdf_limit`, per address).

`limiter` is created here and bound by `init_app(app)`, which reads
`RATELIMIT_STORAGE_URI` (memory:// for one process, redis://host:6379 for several workers).
`report_limits` decorates a view with two shared limits (the API and the form count together):
`REPORT_RATE_LIMIT` per token (per address when no token is presented) and
`REPORT_ADDRESS_RATE_LIMIT` per address over all tokens, so trying many tokens does not help.
Both are read from app.config on each request, so tests may lower them. When Redis cannot be
reached, counting falls back to this process's memory rather than failing the request.

Counters never hold a token or an address: keys are HMACs made with the app's SECRET_KEY,
and Flask-Limiter's own "limit exceeded" log line is stripped of the key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

SCOPE = "availability-reports"
FORM_ENDPOINT = "reports.report_form"


def _digest(kind: str, value: str) -> str:
    key = str(current_app.config.get("SECRET_KEY") or "").encode()
    return f"{kind}:" + hmac.new(key, value.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def presented_token() -> str | None:
    """The bearer token, or the report form's token field; never one from the URL."""
    token = bearer_token()
    if token is None and request.endpoint == FORM_ENDPOINT and request.method == "POST":
        token = request.form.get("token", "").strip() or None
    return token


def address_key() -> str:
    return _digest("a", get_remote_address() or "unknown")


def token_or_address_key() -> str:
    token = presented_token()
    return _digest("t", token) if token else address_key()


class _NoKeys(logging.Filter):
    """Drop the client key (hashed, still an identifier) from Flask-Limiter's log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("ratelimit ") and record.args:
            record.msg, record.args = "ratelimit exceeded", ()
        return True


limiter = Limiter(key_func=token_or_address_key, headers_enabled=True, strategy="fixed-window",
                  in_memory_fallback_enabled=True)  # Redis down: count in memory, do not fail
logging.getLogger("flask-limiter").addFilter(_NoKeys())


# Their defaults are the settings' own (locator.config.SETTINGS).
def _report_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["REPORT_ADDRESS_RATE_LIMIT"]


def report_limits(view):
    """Both report limits on a view's POSTs; the scopes are shared by every report route."""
    view = limiter.shared_limit(_address_limit, scope=SCOPE + "-address", key_func=address_key,
                                methods=["POST"])(view)
    return limiter.shared_limit(_report_limit, scope=SCOPE, key_func=token_or_address_key, methods=["POST"])(view)


def init_app(app: Flask) -> None:
    limiter.init_app(app)


def problem_limit(view):
    """Problem reports, per client address: the form's and the API's POSTs count together."""
    return limiter.shared_limit(lambda: current_app.config["PROBLEM_RATE_LIMIT"], scope="problem-reports",
                                key_func=address_key, methods=["POST"])(view)


PDF_LIMIT = "10 per minute; 60 per hour"


def pdf_limit(view):
    """PDFs take seconds of CPU each: a per-address limit keeps one client from starving others."""
    return limiter.limit(PDF_LIMIT, key_func=address_key, scope="referral-pdf")(view)
