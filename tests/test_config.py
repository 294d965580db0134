import re
from pathlib import Path

import pytest

from locator import create_app
from locator.config import SETTINGS, ConfigError, load_settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text()
    missing = [s.name for s in SETTINGS if not re.search(rf"`{s.name}`", text)]
    assert missing == []


def test_it_defaults_to_a_sqlite_file_under_instance():
    settings = load_settings({"LOCATOR_ENV": "testing"})
    assert settings["DATABASE_URL"].startswith("sqlite:///")
    assert settings["DATABASE_URL"].endswith("instance/locator.sqlite3")
    assert settings["GEOCODER"] == "offline"


def test_it_generates_a_secret_key_outside_production():
    assert len(load_settings({"LOCATOR_ENV": "testing"})["SECRET_KEY"]) >= 32


def test_it_requires_a_secret_key_in_production():
    with pytest.raises(ConfigError, match="SECRET_KEY is required"):
        load_settings({"LOCATOR_ENV": "production"})


def test_flask_env_production_also_requires_a_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings({"FLASK_ENV": "production"})


def test_it_rejects_a_short_secret_key_in_production():
    with pytest.raises(ConfigError, match="too short"):
        load_settings({"LOCATOR_ENV": "production", "SECRET_KEY": "abc"})


@pytest.mark.parametrize("name, value, message", [
    ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
    ("GEOCODER", "teleport", "GEOCODER"),
    ("GEOCODER_TIMEOUT", "soon", "GEOCODER_TIMEOUT"),
    ("GEOCODER_TIMEOUT", "-1", "GEOCODER_TIMEOUT"),
    ("LOCATOR_ENV", "staging", "LOCATOR_ENV"),
    ("GEOCODE_CACHE_DAYS", "0", "GEOCODE_CACHE_DAYS"),
    ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
])
def test_a_bad_value_names_the_setting(name, value, message):
    with pytest.raises(ConfigError, match=message):
        load_settings({"LOCATOR_ENV": "testing", name: value})


def test_it_rewrites_heroku_style_postgres_urls():
    settings = load_settings({"LOCATOR_ENV": "testing", "DATABASE_URL": "postgres://u@h/db"})
    assert settings["DATABASE_URL"] == "postgresql+psycopg://u@h/db"


def test_public_nominatim_needs_a_real_user_agent():
    with pytest.raises(ConfigError, match="GEOCODER_USER_AGENT"):
        load_settings({"LOCATOR_ENV": "testing", "GEOCODER": "nominatim"})


def test_create_app_refuses_to_start_with_a_bad_setting(monkeypatch):
    monkeypatch.setenv("GEOCODER_TIMEOUT", "never")
    with pytest.raises(ConfigError):
        create_app({"TESTING": True})


def test_the_domain_core_loads_without_flask():
    import subprocess
    import sys

    code = ("import sys, locator.vocabulary, locator.search, locator.geocoding, locator.importers, "
            "locator.exporters.hsds, locator.referrals, locator.availability; print('flask' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=README.parent).stdout.strip()
    assert out == "False"


PRODUCTION = {"LOCATOR_ENV": "production", "SECRET_KEY": "x" * 32, "PUBLIC_URL": "https://treatment.example.org"}


def test_production_requires_the_public_address():
    with pytest.raises(ConfigError, match="PUBLIC_URL is required in production"):
        load_settings({k: v for k, v in PRODUCTION.items() if k != "PUBLIC_URL"})
    assert load_settings(PRODUCTION)["PUBLIC_URL"] == "https://treatment.example.org"


@pytest.mark.parametrize("value", ["treatment.example.org", "ftp://x.org", "https://x.org/path", "https://x.org/?a=1",
                                   "https://user@x.org"])
def test_the_public_address_is_an_origin(value):
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        load_settings({**PRODUCTION, "PUBLIC_URL": value})


def test_several_workers_counting_rate_limits_in_memory_are_refused_in_production():
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI=redis://"):
        load_settings({**PRODUCTION, "WEB_CONCURRENCY": "4"})
    assert load_settings({**PRODUCTION, "WEB_CONCURRENCY": "1"})
    assert load_settings({**PRODUCTION, "WEB_CONCURRENCY": "4", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"})
    assert load_settings({"LOCATOR_ENV": "testing", "WEB_CONCURRENCY": "4"})  # only production is refused


def test_gunicorn_refuses_to_start_several_workers_on_memory_rate_limits(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", WORKERS="2",
               RATELIMIT_STORAGE_URI="memory://")
    env.pop("WEB_CONCURRENCY", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run([str(gunicorn), "--config", "gunicorn.conf.py", "--bind", "127.0.0.1:0",
                             "locator:create_app()"], env=env, cwd=README.parent, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "RATELIMIT_STORAGE_URI=redis://HOST:6379" in result.stderr
