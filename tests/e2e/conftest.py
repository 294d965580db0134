"""Browser-test fixtures: a live server on a free port and Debian's Chromium driven by Playwright.

`live_server` is the base URL (http://127.0.0.1:PORT) of the app serving a fresh SQLite
database that holds twelve providers near ZIP 19104 (`live_server.provider_ids` lists them, in
the order they were made). `browser` is Chromium from /usr/bin/chromium (never a downloaded
build); `page` is a fresh page in a fresh context. Without Chromium the browser tests are
skipped with an install hint, or fail when REQUIRE_BROWSER=1 (CI sets it where it installs one).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from locator import create_app, db
from locator.availability import add_report, days_ago
from locator.importers.bridges_csv import import_bridges
from tests.factories import make_provider

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Providers near ZIP 19104 that look like the demonstration data: varied names, terms and reports.
ROOT = Path(__file__).resolve().parents[2]
PROVIDERS = [
    dict(name="Demo General Hospital of Philadelphia, Addiction Medicine", miles_north=0.5, phone="267-555-0131",
         street="4700 Example Avenue", street2="Suite 210", zip="19134", hours="24/7",
         payment=["medicaid", "self_pay", "sliding_scale"], report={"accepting_new_patients": True, "wait_days": 2}),
    dict(name="Demo Recovery Clinic of Philadelphia", miles_north=1.2, phone="610-555-0172", walk_in=True,
         hours="Mon-Fri 7:30-16:30; Sat 8:00-12:00", payment=["medicaid", "private", "self_pay"],
         report={"accepting_new_patients": True, "wait_days": 57, "age_days": 20}),
    dict(name="Phoenixville Demo Health Center (fictional)", miles_north=2.0, phone="484-555-0190",
         medications=["naltrexone"], hours="Mon, Wed, Fri 9:00-17:00; Tue, Thu 12:00-20:00",
         payment=["medicaid", "medicare", "state", "self_pay", "free"], report={"accepting_new_patients": True,
                                                                               "wait_days": 1, "age_days": 3}),
    dict(name="Camden Demo Health Center (fictional)", miles_north=3.1, phone="856-555-0181",
         medications=["buprenorphine", "naltrexone"], intake_phone="856-555-0182",
         payment=["private", "tricare", "self_pay", "assistance"], report={"accepting_new_patients": True,
                                                                         "wait_days": 0, "age_days": 70}),
    dict(name="Demo Methadone Clinic of Philadelphia", miles_north=4.0, phone="215-555-0102",
         medications=["methadone"], settings=["outpatient", "otp"], hours="Mon-Fri 6:00-14:00; Sat 6:00-10:00",
         payment=["medicare", "self_pay"], report={"accepting_new_patients": True, "wait_days": 18, "age_days": 30}),
    dict(name="Demo Family Medicine of Wyncote", miles_north=6.0, phone="445-555-0130", street2="Suite 420",
         payment=["medicaid", "state"]),
] + [
    dict(name=f"Demo Community Treatment Center {n}", miles_north=6.5 + n, phone=f"215-555-01{40 + n}",
         hours="Mon-Fri 8:00-17:00", payment=["medicaid", "medicare", "private"],
         report={"accepting_new_patients": n % 2 == 0, "wait_days": n * 4, "age_days": n * 10})
    for n in range(1, 7)
]


def seed(session) -> list[int]:
    ids = []
    for values in PROVIDERS:
        values = dict(values)
        provider = make_provider(session, is_demo=True, **values)
        ids.append(provider.id)
    # One clinic that reports each medication on its own, and today's walk-in start for one.
    add_report(session, ids[0], reporter_kind="provider", medication="buprenorphine", accepting_new_patients=True,
               walk_in=True, first_dose_at_first_visit=True, walk_in_hours="Mon-Fri 6-9 am", reported_at=days_ago(1))
    session.commit()
    import_bridges(session, ROOT / "data" / "bridges.csv")
    return ids


class LiveServer(str):
    """The base URL, with the ids of the seeded providers and the app (to add data a test needs)."""

    provider_ids: list[int]
    app: object


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("live") / "live.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "TESTING": True, "LOCATOR_ENV": "testing"})
    with app.app_context():
        db.create_schema(db.get_engine())
        with db.new_session() as session:
            ids = seed(session)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    url = LiveServer(f"http://127.0.0.1:{server.server_port}")
    app.config["PUBLIC_URL"] = str(url)  # share links and QR codes point here
    url.provider_ids, url.app = ids, app
    yield url
    server.shutdown()
    thread.join(timeout=5)
    app.extensions["locator.engine"].dispose()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
