"""Settings, read from the environment and validated once at start.

`SETTINGS` is the single list of every setting the service reads; the README documents each
one and a test fails when one is missing there. `load_settings()` turns the environment into a
plain dict of typed values or raises `ConfigError` naming the setting and what is wrong.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
REMOTE_GEOCODERS = ("nominatim", "pelias", "photon", "arcgis", "opencage", "geocodio", "here",
                    "mapbox", "googlev3", "bing")


class ConfigError(ValueError):
    """A setting is missing or has a bad value; the message says which and why."""


def _text(value: str) -> str:
    return value.strip()


def _database_url(value: str) -> str:
    value = value.strip()
    # Heroku-style URLs name the old driver; SQLAlchemy needs the dialect and driver.
    if value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value[len("postgres://"):]
    elif value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    if not (value.startswith("sqlite") or value.startswith("postgresql+")):
        raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
    return value


def _environment(value: str) -> str:
    value = value.strip().lower()
    if value not in ("development", "production", "testing"):
        raise ValueError("must be development, production or testing")
    return value


def _geocoder(value: str) -> str:
    value = value.strip().lower()
    if value != "offline" and value not in REMOTE_GEOCODERS:
        raise ValueError(f"must be offline or one of {', '.join(REMOTE_GEOCODERS)}")
    return value


def _positive_float(value: str) -> float:
    number = float(value)
    if not 0 < number <= 120:
        raise ValueError("must be a number of seconds between 0 and 120")
    return number


def _rate(value: str) -> float:
    number = float(value)
    if not 0 < number <= 100:
        raise ValueError("must be a number of requests a second, above 0 and at most 100")
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("must be a whole number of at least 1")
    return number


def _rate_limit(value: str) -> str:
    from limits import parse_many

    value = value.strip()
    parse_many(value)  # ValueError names the bad part
    return value


def _public_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username:
        raise ValueError("must be the site's origin, such as https://treatment.example.org")
    return f"{parts.scheme}://{parts.netloc}"


def _proxy_count(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 5:
        raise ValueError("must be a whole number from 0 to 5")
    return number


def _port(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 65535:
        raise ValueError("must be a port number from 1 to 65535")
    return number


def _flag(value: str) -> bool:
    value = value.strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError("must be true or false")
    return value in ("true", "1", "yes")


def _mail_from(value: str) -> str:
    from email.utils import parseaddr

    value = value.strip()
    if value and "@" not in parseaddr(value)[1]:
        raise ValueError("must be an email address, such as 'MOUD Locator <updates@example.org>'")
    return value


def _log_level(value: str) -> str:
    value = value.strip().upper()
    if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
    return value


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    parse: Callable[[str], Any]
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting("LOCATOR_ENV", "development", _environment,
            "development, production or testing. Production requires SECRET_KEY. FLASK_ENV=production also counts."),
    Setting("DATABASE_URL", None, _database_url,
            "SQLAlchemy URL. Default: a SQLite file at instance/locator.sqlite3. "
            "PostgreSQL: postgresql+psycopg://user@host/db."),
    Setting("DATABASE_TIMEOUT", "5", _positive_float,
            "Seconds to wait for the database: for a pooled connection, to connect (PostgreSQL: at least 2), "
            "for each statement (PostgreSQL) or a write lock (SQLite). Past it, pages answer 503 with the helpline."),
    Setting("PUBLIC_URL", None, _public_url,
            "The site's address as people reach it (https://host). Share links, QR codes and every absolute "
            "address use it, never the request's Host header. Required in production."),
    Setting("SECRET_KEY", None, _text,
            "Signs CSRF tokens. In development a random key is generated once into instance/secret_key; "
            "required in production."),
    Setting("GEOCODER", "offline", _geocoder,
            "offline (default: nothing leaves the server) or a geopy service for street addresses: "
            + ", ".join(REMOTE_GEOCODERS) + "."),
    Setting("GEOCODER_DOMAIN", "", _text, "Domain of a self-hosted remote geocoder (Nominatim, Pelias, Photon)."),
    Setting("GEOCODER_USER_AGENT", "moud-locator", _text, "User agent sent to the remote geocoder."),
    Setting("GEOCODER_API_KEY", "", _text, "API key of the remote geocoder, when it needs one."),
    Setting("GEOCODER_TIMEOUT", "3", _positive_float, "Seconds to wait for the remote geocoder before falling back."),
    Setting("GEOCODER_RATE_LIMIT", "1", _rate,
            "Requests a second that geocode-providers sends to the remote geocoder (public Nominatim allows 1)."),
    Setting("GEOCODE_CACHE_DAYS", "30", _positive_int, "Days a remote geocoder answer is kept in the cache."),
    Setting("RATELIMIT_STORAGE_URI", "memory://", _text,
            "Where rate-limit counters live: memory:// for one process, redis://host:6379 for several workers."),
    Setting("REPORT_RATE_LIMIT", "30 per minute; 300 per hour", _rate_limit,
            "Availability reports allowed per token (per address without one), e.g. '30 per minute; 300 per hour'."),
    Setting("REPORT_ADDRESS_RATE_LIMIT", "60 per minute; 600 per hour", _rate_limit,
            "Availability reports allowed per client address, over all tokens."),
    Setting("PROBLEM_RATE_LIMIT", "5 per minute; 30 per day", _rate_limit,
            "Problem reports (\"something wrong?\") allowed per client address, the form and the API together."),
    Setting("TWILIO_AUTH_TOKEN", "", _text,
            "The Twilio account's auth token: turns on the text-message webhook POST /sms/inbound and checks "
            "every request's signature with it (docs/sms.md). Empty: the webhook does not exist."),
    Setting("MAIL_SERVER", "", _text,
            "The SMTP server that send-confirmations sends through (empty: no email is sent)."),
    Setting("MAIL_PORT", "25", _port, "The SMTP server's port (587 for submission with STARTTLS, 465 for TLS)."),
    Setting("MAIL_USE_TLS", "false", _flag,
            "true: STARTTLS before signing in (port 465 always uses TLS from the start)."),
    Setting("MAIL_USERNAME", "", _text, "The SMTP account's user name (empty: no sign-in)."),
    Setting("MAIL_PASSWORD", "", str, "The SMTP account's password (kept exactly as given)."),
    Setting("MAIL_FROM", "", _mail_from,
            "The sender of the confirmation emails, such as 'MOUD Locator <updates@example.org>'. "
            "Required to send."),
    Setting("LOG_LEVEL", "INFO", _log_level, "DEBUG, INFO, WARNING or ERROR."),
    Setting("TRUSTED_PROXIES", "0", _proxy_count,
            "How many reverse proxies sit in front of the app (0: none). Their X-Forwarded-For/-Proto "
            "headers are trusted (Werkzeug ProxyFix), for HTTPS detection and per-address rate limits."),
)


def _secret_key(env: str) -> str:
    """A development key kept in instance/ so sessions and CSRF survive restarts."""
    if env == "testing":
        return secrets.token_hex(32)
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def shared_rate_limits_problem(settings: Mapping[str, Any], workers: int) -> str | None:
    """Why these settings cannot serve `workers` processes, or None: in production the rate-limit
    counters must be shared (Redis) once there is more than one worker."""
    storage = str(settings.get("RATELIMIT_STORAGE_URI") or "memory://")
    if settings.get("LOCATOR_ENV") == "production" and workers > 1 and storage.startswith("memory://"):
        return (f"RATELIMIT_STORAGE_URI={storage} counts in each worker's own memory, and {workers} workers would "
                "each allow the full limit. Set RATELIMIT_STORAGE_URI=redis://HOST:6379 (shared by every worker), "
                "or run one worker.")
    return None


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read and validate every setting; raise ConfigError on the first bad one."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        if raw is None or raw.strip() == "":
            values[setting.name] = setting.parse(setting.default) if setting.default is not None else None
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{setting.name}={raw[:60]!r} is not valid: {exc}") from None
    if environ.get("FLASK_ENV", "").strip().lower() == "production":
        values["LOCATOR_ENV"] = "production"
    env = values["LOCATOR_ENV"]
    if not values["SECRET_KEY"]:
        if env == "production":
            raise ConfigError("SECRET_KEY is required in production: set it to a long random string.")
        values["SECRET_KEY"] = _secret_key(env)
    elif env == "production" and len(values["SECRET_KEY"]) < 24:
        raise ConfigError("SECRET_KEY is too short for production: use at least 24 random characters.")
    if not values["PUBLIC_URL"]:
        if env == "production":
            raise ConfigError("PUBLIC_URL is required in production: the site's address as people reach it, "
                              "such as https://treatment.example.org (share links and QR codes use it).")
        values["PUBLIC_URL"] = "http://localhost" if env == "testing" else "http://127.0.0.1:5000"
    if not values["DATABASE_URL"]:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        values["DATABASE_URL"] = f"sqlite:///{INSTANCE_DIR / 'locator.sqlite3'}"
    workers = str(environ.get("WEB_CONCURRENCY") or "").strip()
    problem = shared_rate_limits_problem(values, int(workers)) if workers.isdigit() else None
    if problem:  # gunicorn takes WEB_CONCURRENCY as its number of workers
        raise ConfigError(problem)
    if values["GEOCODER"] == "nominatim" and values["GEOCODER_USER_AGENT"] == "moud-locator" \
            and not values["GEOCODER_DOMAIN"]:
        raise ConfigError("GEOCODER=nominatim on the public server needs GEOCODER_USER_AGENT naming "
                          "your deployment and a contact (its usage policy), or GEOCODER_DOMAIN for your own.")
    return values
