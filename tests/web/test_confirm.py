"""The confirmation and unsubscribe pages, from links that arrived at a real SMTP server."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from locator import db
from locator.availability import availability_for
from locator.desk_models import AuditEntry, ConfirmationRequest, MailOptOut, Verification
from locator.models import AvailabilityReport, Provider, utcnow
from tests.factories import make_provider
from tests.test_mail import smtp  # noqa: F401  (the SMTP server fixture)

LINK = re.compile(r"http://localhost(/confirm/[A-Za-z0-9_.-]+)(\?lang=es)?")
UNSUBSCRIBE = re.compile(r"http://localhost(/unsubscribe/[A-Za-z0-9_.-]+)(\?lang=es)?")


@pytest.fixture
def app_config(smtp):  # noqa: F811
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_FROM": "updates@locator.example"}


def listing(app, **fields) -> int:
    with app.app_context(), db.new_session() as session:
        return make_provider(session, contact_email="clinic@example.org",
                             report={"accepting_new_patients": True, "wait_days": 5, "age_days": 30}, **fields).id


def mailed(app, smtp, pattern=LINK) -> str:  # noqa: F811
    """Run send-confirmations and return the path (and language) of the link in the last email."""
    result = app.test_cli_runner().invoke(args=["send-confirmations"])
    assert result.exit_code == 0, result.output
    found = pattern.search(smtp.inbox.messages[-1].get_content())
    return found.group(1) + (found.group(2) or "")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def reports(app) -> int:
    with app.app_context(), db.new_session() as session:
        return session.scalar(select(func.count()).select_from(AvailabilityReport))


def availability(app, provider_id, medication="buprenorphine"):
    with app.app_context(), db.new_session() as session:
        return availability_for(session.get(Provider, provider_id), medication)


def test_the_link_shows_three_answers_and_still_accepting_works_exactly_once(app, client, smtp):  # noqa: F811
    provider_id = listing(app, name="Demo Harbor Clinic")
    link = mailed(app, smtp)
    page = client.get(link)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Demo Harbor Clinic" in html and 'name="wait_days"' in html and 'value="5"' in html
    for answer in ("still_accepting", "not_accepting"):
        assert f'name="answer" value="{answer}"' in html
    assert "Something changed" in html and "clinic@example.org" not in html
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    before = reports(app)
    done = client.post(link, data={"csrf_token": csrf(html), "answer": "still_accepting", "wait_days": "3"})
    assert done.status_code == 303 and "/confirm/thanks" in done.headers["Location"]
    assert "Thank you" in client.get(done.headers["Location"]).get_data(as_text=True)
    a = availability(app, provider_id)
    assert (a.accepting_new_patients, a.wait_days, a.reported_by, a.freshness.key) == (True, 3, "provider", "fresh")
    assert reports(app) == before + 1
    again = client.post(link, data={"csrf_token": csrf(html), "answer": "not_accepting"})
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert client.get(link).status_code == 410
    assert reports(app) == before + 1 and availability(app, provider_id).accepting_new_patients is True
    with app.app_context(), db.new_session() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["confirmation_sent", "confirmation_answered"]


def test_not_accepting_records_it(app, client, smtp):  # noqa: F811
    provider_id = listing(app)
    link = mailed(app, smtp)
    html = client.get(link).get_data(as_text=True)
    assert client.post(link, data={"csrf_token": csrf(html), "answer": "not_accepting"}).status_code == 303
    assert availability(app, provider_id).accepting_new_patients is False


def test_something_changed_shows_the_listing_filled_in_and_saves_with_the_facts_still_right(app, client, smtp):  # noqa: F811
    provider_id = listing(app, medications=["buprenorphine", "methadone"])
    link = mailed(app, smtp)
    form = client.get(link + "/changed")
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and 'name="verified"' in html
    assert re.search(r'<input[^>]*name="wait_days"[^>]*value="5"', html)
    assert re.search(r'<input[^>]*checked[^>]*value="yes"|<input[^>]*value="yes"[^>]*checked', html)
    bad = client.post(link, data={"csrf_token": csrf(html), "answer": "changed", "accepting_new_patients": "yes",
                                  "wait_days": "soon", "medication": "methadone"})
    assert bad.status_code == 400 and "from 0 to 365" in bad.get_data(as_text=True)
    saved = client.post(link, data={"csrf_token": csrf(html), "answer": "changed", "medication": "methadone",
                                    "accepting_new_patients": "yes", "wait_days": "12", "walk_in": "no",
                                    "verified": ["phone", "address"]})
    assert saved.status_code == 303
    a = availability(app, provider_id, "methadone")
    assert (a.wait_days, a.walk_in, a.for_all, a.reported_by) == (12, False, False, "provider")
    with app.app_context(), db.new_session() as session:
        facts = sorted(session.scalars(select(Verification.fact).where(Verification.provider_id == provider_id)))
    assert facts == ["address", "phone"]
    assert client.get(link + "/changed").status_code == 410


def test_a_bad_answer_or_a_missing_csrf_token_writes_nothing_and_the_link_still_works(app, client, smtp):  # noqa: F811
    listing(app)
    link = mailed(app, smtp)
    html = client.get(link).get_data(as_text=True)
    before = reports(app)
    assert client.post(link, data={"answer": "still_accepting", "wait_days": "3"}).status_code == 400
    assert client.post(link, data={"csrf_token": csrf(html), "answer": "maybe"}).status_code == 400
    wrong = client.post(link, data={"csrf_token": csrf(html), "answer": "still_accepting", "wait_days": "-2"})
    assert wrong.status_code == 400 and 'aria-invalid="true"' in wrong.get_data(as_text=True)
    assert reports(app) == before and client.get(link).status_code == 200


def test_a_forged_or_expired_link_says_so_and_writes_nothing(app, client, smtp):  # noqa: F811
    listing(app)
    link = mailed(app, smtp)
    forged = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert forged.status_code == 404 and "not valid" in forged.get_data(as_text=True)
    assert client.get("/confirm/nonsense").status_code == 404
    with app.app_context(), db.new_session() as session:
        session.execute(update(ConfirmationRequest).values(sent_at=utcnow() - timedelta(days=15)))
        session.commit()
    expired = client.get(link)
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    before = reports(app)
    assert client.post(link, data={"answer": "not_accepting"}).status_code in (400, 410)
    assert reports(app) == before


def test_a_spanish_listing_opens_its_page_in_spanish(app, client, smtp):  # noqa: F811
    listing(app, contact_language="es")
    link = mailed(app, smtp)
    assert link.endswith("?lang=es")
    assert '<html lang="es">' in client.get(link).get_data(as_text=True)


def test_the_token_and_the_address_are_never_logged(app, client, smtp):  # noqa: F811
    listing(app)
    link = mailed(app, smtp)
    token = link.rsplit("/", 1)[1]
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage() + repr(getattr(record, "fields", {})))
    logger = logging.getLogger("locator")
    logger.addHandler(handler)
    try:
        html = client.get(link).get_data(as_text=True)
        client.post(link, data={"answer": "not_accepting"})  # refused for its CSRF token, logged all the same
        client.post(link, data={"csrf_token": csrf(html), "answer": "not_accepting"})
        client.get(link)
    finally:
        logger.removeHandler(handler)
    assert len(lines) >= 4 and "/confirm/<token>" in "".join(lines)
    assert not [line for line in lines if token in line or "clinic@example.org" in line]


def test_unsubscribing_asks_on_get_stops_on_post_and_no_more_email_is_sent(app, client, smtp):  # noqa: F811
    listing(app)
    path = mailed(app, smtp, UNSUBSCRIBE)
    page = client.get(path)
    assert page.status_code == 200 and "Stop these emails" in page.get_data(as_text=True)
    with app.app_context(), db.new_session() as session:
        assert session.scalar(select(func.count()).select_from(MailOptOut)) == 0  # a GET changes nothing
        session.execute(update(ConfirmationRequest).values(sent_at=utcnow() - timedelta(days=30)))
        session.commit()
    done = client.post(path, data={"csrf_token": csrf(page.get_data(as_text=True))})
    assert done.status_code == 200 and "no more emails" in done.get_data(as_text=True)
    assert "Done" in client.get(path).get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["send-confirmations"])
    assert "Sent 0" in result.output and len(smtp.inbox.messages) == 1
    with app.app_context(), db.new_session() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "mail_opt_out")).one()
        assert entry.actor == "confirmation" and "clinic" not in entry.detail
    assert client.get("/unsubscribe/forged").status_code == 404
