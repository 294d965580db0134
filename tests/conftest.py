"""Shared fixtures: an app on a fresh database per test, its client and CLI runner.

The database is a SQLite file in the test's temporary folder, or, when TEST_DATABASE_URL is
set (CI sets it), the PostgreSQL database it names, emptied before each test. Sockets to
anything but this machine are refused for the whole run: no test may use the network.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import pytest
from sqlalchemy import text

os.environ.setdefault("LOCATOR_ENV", "testing")

from locator import create_app, db

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # a unix socket path
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded(real):
    def connect(self, address):
        if not _is_local(address):
            raise OSError(f"tests may not use the network (tried {address!r})")
        return real(self, address)
    return connect


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    socket.socket.connect = _guarded(_real_connect)
    socket.socket.connect_ex = _guarded(_real_connect_ex)
    yield
    socket.socket.connect, socket.socket.connect_ex = _real_connect, _real_connect_ex


@pytest.fixture
def database_url(tmp_path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    engine = db.make_engine(url)
    with engine.begin() as conn:
        # Everything in the schema, not only the tables these models know: a database another
        # version of the project (or a test run stopped half-way) left behind starts empty too.
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def app_config() -> dict:
    """Settings a test module adds to the app's (override this fixture in the module)."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "LOCATOR_ENV": "testing", **app_config})
    with app.app_context():
        db.create_schema(db.get_engine())
    yield app
    app.extensions["locator.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    with app.app_context():
        with db.new_session() as session:
            yield session
