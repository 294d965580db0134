"""The MOUD treatment locator: `create_app()` builds the Flask app. Nothing else lives here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from locator.config import PROJECT_ROOT, ConfigError, load_settings

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["ConfigError", "create_app"]


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment, overridden by `config` (tests pass a dict)."""
    from flask import Flask  # here, so that importing the domain core never loads Flask

    app = Flask(__name__, template_folder=str(PROJECT_ROOT / "templates"),
                instance_path=str(PROJECT_ROOT / "instance"))
    from flask_orjson import OrjsonProvider

    from locator.web.routing import DatabaseId

    app.url_map.converters["int"] = DatabaseId  # before any route is added
    # orjson writes an API search's 10-30 KB a tenth of the request faster than the standard
    # library (bench/search_bench.py); it keeps the documented field order.
    app.json = OrjsonProvider(app)
    settings = load_settings()
    settings.update(config or {})
    app.config.update(settings)
    app.config.setdefault("MAX_CONTENT_LENGTH", 64 * 1024)

    from locator import cli, db, logs
    from locator.geocoding import build_service
    from locator.web import (
        api,
        confirm,
        desk,
        errors,
        filters,
        hooks,
        hsds_api,
        i18n,
        openapi,
        problems,
        ratelimit,
        referrals,
        reports,
        security,
        sms,
        views,
    )

    logs.init_app(app)
    db.init_app(app)
    app.extensions["locator.geocoder"] = build_service(app.config)
    security.init_app(app)
    security.csrf.exempt(api.bp)  # token-authenticated JSON; forms keep CSRF
    i18n.init_app(app)
    hooks.init_app(app)
    filters.init_app(app)
    errors.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(hsds_api.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(problems.bp)
    app.register_blueprint(confirm.bp)
    security.csrf.exempt(problems.api_problem)  # JSON without cookies: nothing for a forged form to ride on
    referrals.init_app(app)
    sms.init_app(app)
    desk.init_app(app)
    security.csrf.exempt(reports.api_report)  # bearer-token JSON; the report form keeps CSRF
    ratelimit.init_app(app)
    cli.init_app(app)
    return app
