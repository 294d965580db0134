"""Two gunicorn workers taking availability reports at the same time: none is lost, and the
newest is current. Runs against the test database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from locator import db
from locator.models import AvailabilityReport, Provider
from tests.factories import make_provider

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPORTS_PER_CLIENT = 15


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app, session, database_url):
    provider = make_provider(session)
    env = dict(os.environ, DATABASE_URL=database_url, LOCATOR_ENV="testing", LOG_LEVEL="WARNING",
               REPORT_RATE_LIMIT="1000 per minute", REPORT_ADDRESS_RATE_LIMIT="1000 per minute")
    issued = subprocess.run([str(BIN / "flask"), "--app", "locator", "issue-token", "--staff", "Load Test"],
                            env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    token = re.search(r"^([A-Za-z0-9_-]{30,})$", issued.stdout, re.M).group(1)
    port = free_port()
    process = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                "locator:create_app()"], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/livez")
                break
            except OSError:
                time.sleep(0.1)
        yield port, token, provider.id
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_two_workers_writing_reports_at_once_lose_none(server, app):
    port, token, provider_id = server
    statuses: list[int] = []
    start = threading.Barrier(2)

    def client(offset: int):
        start.wait()
        for n in range(REPORTS_PER_CLIENT):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body = json.dumps({"accepting_new_patients": True, "wait_days": offset + n})
            conn.request("POST", f"/api/v1/providers/{provider_id}/availability", body,
                         {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            statuses.append(conn.getresponse().status)
            conn.close()

    threads = [threading.Thread(target=client, args=(offset,)) for offset in (0, 100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * (2 * REPORTS_PER_CLIENT)
    with app.app_context(), db.new_session() as session:
        kept = session.scalar(select(func.count()).select_from(AvailabilityReport)
                              .where(AvailabilityReport.provider_id == provider_id))
        newest = session.scalar(select(AvailabilityReport.id).where(AvailabilityReport.provider_id == provider_id)
                                .order_by(AvailabilityReport.reported_at.desc(), AvailabilityReport.id.desc()))
        current = session.scalar(select(Provider.current_report_id).where(Provider.id == provider_id))
    assert kept == 2 * REPORTS_PER_CLIENT
    assert current == newest
