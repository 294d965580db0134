"""Structured (JSON lines) logging that never records what a person searched.

A request is logged as method, route path, status and duration: never the query string,
the client address, cookies, headers or tokens. Paths of search routes carry no place,
because places travel only in the query string.
"""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, g, request


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def route() -> str:
    """The request's route as declared ("/confirm/<token>"), never the path it was asked with: a
    path may carry a secret (a confirmation link's token) or what a person typed. A request that
    matched no route is "-"."""
    return request.url_rule.rule if request.url_rule is not None else "-"


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("locator")
    logger.handlers[:] = [handler]
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logger.propagate = False
    # Flask-Limiter says when its storage (Redis) is unreachable and it counts in this process's
    # memory instead, and when the storage is back: those lines go to the same log (its
    # "limit exceeded" lines are stripped of the client's key, locator.web.ratelimit).
    limiter_log = logging.getLogger("flask-limiter")
    limiter_log.handlers[:] = [handler]
    limiter_log.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    limiter_log.propagate = False
    # Werkzeug's own access log prints the full URL with its query string: keep it quiet.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    access = logging.getLogger("locator.access")

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        access.info("request", extra={"fields": {
            "method": request.method, "path": route(), "endpoint": request.endpoint,
            "status": response.status_code, "ms": duration}})
        return response
