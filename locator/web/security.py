"""Security headers, caching headers, the session cookie and CSRF, in one place.

The Content-Security-Policy allows only our own origin: no inline script, no third-party
fonts, scripts, images or frames. Pages are never framed and never send a Referer. Nothing
but the static files may be kept by a browser or a cache on the way (`Cache-Control:
no-store`): a results page, a provider, a referral list or an API answer shows what someone
looked for. Answers vary with Accept-Language, which can choose their language. In
production the session cookie (CSRF of the report form) is Secure, HttpOnly and SameSite=Lax.
"""

from __future__ import annotations

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def init_app(app: Flask) -> None:
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    if app.config.get("LOCATOR_ENV") == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
    csrf.init_app(app)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Only behind proxies that set these headers: otherwise clients could forge them.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
            response.vary.add("Accept-Language")
        return response
