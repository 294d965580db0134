"""A database that does not answer: every wait on it ends after DATABASE_TIMEOUT, pages answer 503
with the crisis lines and the helpline, /livez keeps answering at once (also under gunicorn, with
requests stuck on the database), and the site recovers by itself."""

from __future__ import annotations

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from locator import create_app, db
from tests.factories import make_provider
from tests.tcp import Listener, splice
from tests.test_workers import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HELPLINE = "1-800-662-4357"
TIMEOUT = 2  # seconds: libpq waits at least 2 to connect


class SilentDatabase(Listener):
    """A TCP server that accepts every connection and never says a word; with `forward_to`,
    it can be switched to relay to a real PostgreSQL (`answer()`)."""

    def __init__(self, forward_to: tuple[str, int] | None = None):
        self.forward_to, self.answering, self.held = forward_to, False, []
        super().__init__()

    def accepted(self, client):
        if not self.answering:
            self.held.append(client)  # kept open, never answered
            return
        splice(client, socket.create_connection(self.forward_to))

    def answer(self):
        self.answering = True
        for client in self.held:
            client.close()
        self.held.clear()

    def close(self):
        self.listener.close()
        for client in self.held:
            client.close()


@pytest.fixture
def silent():
    server = SilentDatabase()
    yield server
    server.close()


def silent_url(server) -> str:
    return f"postgresql+psycopg://locator@127.0.0.1:{server.port}/locator"


def test_every_page_answers_503_with_the_helpline_within_the_deadline(silent):
    app = create_app({"DATABASE_URL": silent_url(silent), "TESTING": True, "DATABASE_TIMEOUT": TIMEOUT})
    client = app.test_client()
    for path in ("/privacy", "/search?location=19104", "/healthz", "/api/v1/search?location=19104"):
        started = time.monotonic()
        response = client.get(path)
        waited = time.monotonic() - started
        assert response.status_code == 503, path
        assert waited < TIMEOUT + 2, (path, waited)
        if path not in ("/healthz",) and not path.startswith("/api/"):
            page = response.get_data(as_text=True)
            assert HELPLINE in page and 'href="tel:988"' in page and 'href="tel:911"' in page
    started = time.monotonic()
    assert client.get("/livez").status_code == 200 and time.monotonic() - started < 0.5
    app.extensions["locator.engine"].dispose()


def test_under_gunicorn_livez_answers_at_once_while_requests_wait_on_the_database(silent):
    port = free_port()
    env = dict(os.environ, DATABASE_URL=silent_url(silent), LOCATOR_ENV="testing", LOG_LEVEL="WARNING",
               DATABASE_TIMEOUT=str(TIMEOUT), WORKERS="2", THREADS="4")
    server = subprocess.Popen([str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                               "locator:create_app()"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):  # until a worker answers (the socket listens before workers boot)
            try:
                ready = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                ready.request("GET", "/livez")
                if ready.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        statuses: list[int] = []

        def stuck(path):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            statuses.append(conn.getresponse().status)

        # More requests waiting on the database than there are workers (with sync workers, two
        # were enough to leave /livez waiting); fewer than one worker's threads.
        waiting = [threading.Thread(target=stuck, args=(path,)) for path in ("/privacy", "/providers/1", "/")]
        for thread in waiting:
            thread.start()
        time.sleep(0.5)
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/livez")
        assert conn.getresponse().status == 200
        assert time.monotonic() - started < 1.0
        for thread in waiting:
            thread.join()
        assert statuses == [503] * 3
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.postgres
def test_the_site_recovers_by_itself_when_the_database_answers_again(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL) to relay to once it answers")
    parts = urlsplit(database_url)
    server = SilentDatabase(forward_to=(parts.hostname or "127.0.0.1", parts.port or 5432))
    try:
        url = database_url.replace(parts.netloc, f"{parts.username}@127.0.0.1:{server.port}")
        app = create_app({"DATABASE_URL": url, "TESTING": True, "DATABASE_TIMEOUT": TIMEOUT})
        client = app.test_client()
        assert client.get("/search?location=19104").status_code == 503
        server.answer()
        with app.app_context():
            db.create_schema(db.get_engine())
        assert client.get("/healthz").status_code == 200
        assert client.get("/search?location=19104").status_code == 200
        app.extensions["locator.engine"].dispose()
    finally:
        server.close()


def test_sqlite_waits_for_a_locked_database_no_longer_than_the_deadline(tmp_path):
    path = tmp_path / "locked.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "TESTING": True, "DATABASE_TIMEOUT": 1,
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.create_schema(db.get_engine())
        with db.new_session() as session:
            provider = make_provider(session)
            from locator import tokens

            token = tokens.issue(session, provider_id=provider.id).token
            session.commit()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        client = app.test_client()
        assert client.get(f"/providers/{provider.id}").status_code == 200  # reading still works (WAL)
        started = time.monotonic()
        response = client.post(f"/api/v1/providers/{provider.id}/availability", json={"accepting_new_patients": True},
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 503 and 0.9 < time.monotonic() - started < 3
    finally:
        holder.rollback()
        holder.close()
    response = client.post(f"/api/v1/providers/{provider.id}/availability", json={"accepting_new_patients": True},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201  # the lock gone, writes go through again
    app.extensions["locator.engine"].dispose()
