"""Faults: a remote geocoder that fails, a database that goes away and comes back, an import
killed half-way. Each must leave people with a working page or an honest 503 with the
helpline, and must never leave half-written data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut
from sqlalchemy import func, select

from locator import create_app, db
from locator.geocoding import build_service
from locator.models import Provider
from tests.csvfiles import row, write_csv
from tests.factories import make_provider
from tests.geocoding.conftest import REMOTE_SETTINGS, Script, ScriptedAdapter
from tests.tcp import Listener, splice

ROOT = Path(__file__).resolve().parent.parent
HELPLINE = "1-800-662-4357"


@pytest.mark.parametrize("failure", [GeocoderTimedOut("slow"), GeocoderServiceError("down")])
def test_a_failing_remote_geocoder_falls_back_to_the_zip_and_says_so(app, client, session, failure):
    make_provider(session, name="Near Clinic", miles_north=1)
    script = Script().then(failure)
    app.extensions["locator.geocoder"] = build_service(
        REMOTE_SETTINGS, adapter_factory=lambda **kwargs: ScriptedAdapter(script, **kwargs))
    response = client.get("/search?location=3401+Walnut+Street+Philadelphia+PA+19104")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Near Clinic" in page and "could not find that exact address" in page
    assert len(script.calls) == 1


def test_every_page_answers_503_with_the_helpline_when_the_database_is_unreachable(tmp_path):
    unreachable = tmp_path / "not-a-database"
    unreachable.mkdir()  # SQLite cannot open a directory
    app = create_app({"DATABASE_URL": f"sqlite:///{unreachable}", "TESTING": True})
    client = app.test_client()
    for path in ("/", "/search?location=19104", "/providers/1", "/api/v1/search?location=19104"):
        response = client.get(path)
        assert response.status_code == 503, path
        if not path.startswith("/api/"):
            assert HELPLINE in response.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["error"]["code"] == "unavailable"
    assert client.get("/livez").status_code == 200


class _Relay(Listener):
    """A TCP relay on loopback in front of PostgreSQL that can be cut and restored."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.open = True
        self.links: list[socket.socket] = []
        super().__init__()

    def accepted(self, client):
        if not self.open:
            client.close()
            return
        upstream = socket.create_connection(self.target)
        self.links += [client, upstream]
        splice(client, upstream)

    def cut(self):
        self.open = False
        for link in self.links:
            try:
                link.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.links.clear()

    def restore(self):
        self.open = True

    def close(self):
        self.cut()
        self.listener.close()


@pytest.mark.postgres
def test_the_service_recovers_by_itself_when_the_database_comes_back(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL): the fault is a cut TCP connection")
    parts = urlsplit(database_url)
    relay = _Relay((parts.hostname or "127.0.0.1", parts.port or 5432))
    try:
        relayed = database_url.replace(parts.netloc, f"{parts.username}@127.0.0.1:{relay.port}")
        app = create_app({"DATABASE_URL": relayed, "TESTING": True})
        with app.app_context():
            db.create_schema(db.get_engine())
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        relay.cut()
        assert client.get("/healthz").status_code == 503  # asked every time, never remembered
        down = client.get("/search?location=19104")
        assert down.status_code == 503 and HELPLINE in down.get_data(as_text=True)
        relay.restore()
        assert client.get("/healthz").status_code == 200
        assert client.get("/search?location=19104").status_code == 200
        app.extensions["locator.engine"].dispose()
    finally:
        relay.close()


def test_an_import_killed_half_way_leaves_the_database_as_it_was(tmp_path, database_url):
    env = dict(os.environ, DATABASE_URL=database_url, LOCATOR_ENV="testing")
    flask = [sys.executable, "-m", "flask", "--app", "locator"]
    first = write_csv(tmp_path / "first.csv", [row(n) for n in range(1, 4)])
    subprocess.run([*flask, "import-providers", str(first), "--source", "kill"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    big = write_csv(tmp_path / "big.csv", [row(n, phone="937-555-0199") for n in range(1, 40_001)])
    process = subprocess.Popen([*flask, "import-providers", str(big), "--source", "kill"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3.0)  # well into the 40,000 rows (about 15 s of work)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    engine = db.make_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Provider)) == 3
        assert set(connection.scalars(select(Provider.phone))) == {"937-555-0100"}
    engine.dispose()
