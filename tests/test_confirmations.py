"""One-tap confirmations: who is asked, the signed links, the answers, opting out, and
send-confirmations through a real SMTP server on the loopback."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from locator import confirmations, db
from locator.availability import add_report, availability_for, days_ago
from locator.desk_models import AuditEntry, ConfirmationRequest, MailOptOut, Verification
from locator.models import AvailabilityReport, Provider, utcnow
from tests.factories import make_provider
from tests.test_mail import REFUSED, free_port, smtp  # noqa: F401  (the SMTP server fixture)

SECRET = "s" * 32
LINK = re.compile(r"http://localhost/confirm/[A-Za-z0-9_.-]+(?:\?lang=es)?")
UNSUBSCRIBE = re.compile(r"http://localhost/unsubscribe/[A-Za-z0-9_.-]+(?:\?lang=es)?")


@pytest.fixture
def app_config(smtp):  # noqa: F811
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_FROM": "Locator <updates@locator.example>"}


def stale(session, **fields) -> Provider:
    return make_provider(session, contact_email=fields.pop("contact_email", "clinic@example.org"),
                         report=fields.pop("report", {"accepting_new_patients": True, "wait_days": 5,
                                                      "age_days": 30}), **fields)


def count(app, model, *where) -> int:
    with app.app_context(), db.new_session() as own:
        return own.scalar(select(func.count()).select_from(model).where(*where))


def audit_actions(app) -> list[tuple[str, str, dict]]:
    with app.app_context(), db.new_session() as own:
        entries = own.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.actor, e.action, json.loads(e.detail)) for e in entries]


# Who is asked

def test_it_asks_listings_never_confirmed_first_then_the_oldest_and_skips_the_rest(session):
    old = stale(session, report={"accepting_new_patients": True, "age_days": 40})
    older = stale(session, report={"accepting_new_patients": True, "age_days": 90})
    never = make_provider(session, contact_email="new@example.org")
    make_provider(session, contact_email="fresh@example.org", report={"accepting_new_patients": True, "age_days": 3})
    make_provider(session, report={"accepting_new_patients": True, "age_days": 90})  # no address
    stale(session, closed_at=utcnow())
    opted = stale(session, contact_email="Out@Example.org ")
    session.add(MailOptOut(email_hash=confirmations.email_hash("out@example.org")))
    asked = stale(session)
    session.add(ConfirmationRequest(provider_id=asked.id, sent_at=days_ago(3)))
    session.commit()
    assert [p.id for p in confirmations.due(session)] == [never.id, older.id, old.id]
    assert [p.id for p in confirmations.due(session, older_than_days=60)] == [never.id, older.id]
    assert [p.id for p in confirmations.due(session, limit=1)] == [never.id]
    assert opted.id not in [p.id for p in confirmations.due(session, older_than_days=1)]


def test_a_listing_asked_long_enough_ago_is_asked_again(session):
    provider = stale(session)
    session.add(ConfirmationRequest(provider_id=provider.id, sent_at=days_ago(20)))
    session.commit()
    assert [p.id for p in confirmations.due(session)] == [provider.id]


def test_a_medication_with_old_availability_makes_the_listing_due(session):
    provider = stale(session, medications=["buprenorphine", "methadone"],
                     report={"accepting_new_patients": True, "medication": "methadone", "age_days": 2})
    assert [p.id for p in confirmations.due(session)] == [provider.id]  # buprenorphine: never said


# Links

def test_a_link_names_its_request_and_reads_back_while_unused(session):
    provider = stale(session)
    request = confirmations.new_request(session, provider)
    session.commit()
    token = confirmations.make_token(SECRET, request)
    assert confirmations.open_request(session, SECRET, token).id == request.id
    assert "clinic@example.org" not in token


@pytest.mark.parametrize("token", ["", "abc", "W1sMSwgMV0.forged.sig"])
def test_a_forged_link_is_refused(session, token):
    with pytest.raises(confirmations.LinkInvalid) as caught:
        confirmations.open_request(session, SECRET, token)
    assert caught.value.reason == "forged"


def test_a_link_signed_with_another_key_or_for_another_listing_is_forged(session):
    provider, other = stale(session), stale(session)
    request = confirmations.new_request(session, provider)
    session.commit()
    for token in (confirmations.make_token("another key" * 3, request),
                  confirmations.make_token(SECRET, ConfirmationRequest(id=request.id, provider_id=other.id))):
        with pytest.raises(confirmations.LinkInvalid, match="forged"):
            confirmations.open_request(session, SECRET, token)


def test_a_link_expires_after_14_days(session, monkeypatch):
    provider = stale(session)
    request = confirmations.new_request(session, provider)
    session.commit()
    import itsdangerous.timed

    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - 15 * 86400)
    token = confirmations.make_token(SECRET, request)
    monkeypatch.undo()
    with pytest.raises(confirmations.LinkInvalid, match="expired"):
        confirmations.open_request(session, SECRET, token)
    fresh = confirmations.make_token(SECRET, request)
    with pytest.raises(confirmations.LinkInvalid, match="expired"):  # the row says when it was sent, too
        confirmations.open_request(session, SECRET, fresh, now=utcnow() + timedelta(days=15))


# Answers

def test_still_accepting_writes_a_provider_report_uses_the_link_and_audits_it(app, session):
    provider = stale(session)
    request = confirmations.new_request(session, provider)
    session.commit()
    confirmations.answer(session, request, "still_accepting", wait_days=2)
    session.commit()
    session.expire_all()
    a = availability_for(session.get(Provider, provider.id), "buprenorphine")
    assert (a.accepting_new_patients, a.wait_days, a.reported_by, a.freshness.key) == (True, 2, "provider", "fresh")
    assert session.get(ConfirmationRequest, request.id).used_at is not None
    with pytest.raises(confirmations.LinkInvalid, match="used"):
        confirmations.open_request(session, SECRET, confirmations.make_token(SECRET, request))
    assert ("confirmation", "confirmation_answered") in [(a, b) for a, b, _ in audit_actions(app)]
    [detail] = [d for _, action, d in audit_actions(app) if action == "confirmation_answered"]
    assert detail["answer"] == "still_accepting" and detail["wait_days"] == 2
    assert "clinic@example.org" not in json.dumps(detail)


def test_of_two_clicks_at_once_only_one_writes(app, session):
    provider = stale(session)
    request = confirmations.new_request(session, provider)
    session.commit()
    token = confirmations.make_token(SECRET, request)
    with app.app_context(), db.new_session() as first, db.new_session() as second:
        one = confirmations.open_request(first, SECRET, token)
        two = confirmations.open_request(second, SECRET, token)  # both read it unused
        confirmations.answer(first, one, "not_accepting")
        first.commit()
        with pytest.raises(confirmations.LinkInvalid, match="used"):
            confirmations.answer(second, two, "still_accepting", wait_days=1)
        second.rollback()
    assert count(app, AvailabilityReport, AvailabilityReport.reporter_kind == "provider",
                 AvailabilityReport.reported_at > days_ago(1)) == 1


def test_an_answer_for_all_also_answers_each_medication_with_its_own_report(session):
    provider = stale(session, medications=["buprenorphine", "methadone"],
                     report={"accepting_new_patients": True, "wait_days": 9, "medication": "methadone",
                             "age_days": 50})
    request = confirmations.new_request(session, provider)
    session.commit()
    confirmations.answer(session, request, "not_accepting")
    session.commit()
    session.expire_all()
    fresh = session.get(Provider, provider.id)
    for medication in ("buprenorphine", "methadone"):
        a = availability_for(fresh, medication)
        assert a.accepting_new_patients is False and a.freshness.key == "fresh"
    assert confirmations.due(session) == []


def test_a_one_tap_answer_keeps_what_the_listing_said_of_walk_ins_and_the_first_dose(session):
    provider = stale(session, medications=["buprenorphine", "methadone"],
                     report={"accepting_new_patients": True, "wait_days": 9, "walk_in": True,
                             "walk_in_hours": "Mon 6-9", "first_dose_at_first_visit": True, "age_days": 50})
    add_report(session, provider.id, reporter_kind="provider", medication="methadone", accepting_new_patients=True,
               wait_days=4, walk_in_hours="Tue 7-8", walk_in=True, reported_at=days_ago(40))
    request = confirmations.new_request(session, provider)
    session.commit()
    confirmations.answer(session, request, "still_accepting", wait_days=2)
    session.commit()
    session.expire_all()
    fresh = session.get(Provider, provider.id)
    buprenorphine, methadone = availability_for(fresh, "buprenorphine"), availability_for(fresh, "methadone")
    assert (buprenorphine.wait_days, buprenorphine.walk_in_hours, buprenorphine.first_dose_at_first_visit) == (
        2, "Mon 6-9", True)
    assert (methadone.wait_days, methadone.walk_in_hours, methadone.walk_in) == (2, "Tue 7-8", True)
    assert buprenorphine.freshness.key == methadone.freshness.key == "fresh"


def test_something_changed_writes_the_report_and_the_facts_still_right(session):
    provider = stale(session, medications=["buprenorphine", "naltrexone"])
    request = confirmations.new_request(session, provider)
    session.commit()
    confirmations.answer(session, request, "changed", verified=["phone", "payment"],
                         values={"medication": "naltrexone", "accepting_new_patients": True, "wait_days": 0,
                                 "walk_in": True, "note": "Vivitrol on Mondays"})
    session.commit()
    session.expire_all()
    a = availability_for(session.get(Provider, provider.id), "naltrexone")
    assert (a.wait_days, a.walk_in, a.medication, a.for_all) == (0, True, "naltrexone", False)
    facts = session.execute(select(Verification.fact, Verification.verifier_kind)
                            .where(Verification.provider_id == provider.id)).all()
    assert sorted(facts) == [("payment", "provider"), ("phone", "provider")]


# Opting out

def test_an_unsubscribe_link_carries_no_address_and_records_the_opt_out_once(app, session):
    token = confirmations.unsubscribe_token(SECRET, "Clinic@Example.org")
    assert "clinic" not in token.lower()
    address_hash = confirmations.read_unsubscribe(SECRET, token)
    assert address_hash == confirmations.email_hash("clinic@example.org")
    assert confirmations.opt_out(session, address_hash) is True
    assert confirmations.opt_out(session, address_hash) is False
    assert [(a, b) for a, b, _ in audit_actions(app)] == [("confirmation", "mail_opt_out")]
    with pytest.raises(confirmations.LinkInvalid):
        confirmations.read_unsubscribe("another key" * 3, token)


# send-confirmations

def test_it_emails_each_due_listing_a_link_and_an_unsubscribe_link(app, runner, session, smtp):  # noqa: F811
    provider = stale(session, name="Demo Harbor Clinic")
    stale(session, contact_email="fresh@example.org", report={"accepting_new_patients": True, "age_days": 1})
    result = runner.invoke(args=["send-confirmations"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 confirmation emails" in result.output and "clinic@example.org" not in result.output
    [mail] = smtp.inbox.messages
    assert mail["To"] == "clinic@example.org" and mail["From"] == "Locator <updates@locator.example>"
    assert "Demo Harbor Clinic" in mail["Subject"]
    body = mail.get_content()
    assert LINK.search(body) and UNSUBSCRIBE.search(body)
    assert mail["List-Unsubscribe"] == f"<{UNSUBSCRIBE.search(body).group(0)}>"
    assert "About 5 days to a first buprenorphine dose" in body
    assert count(app, ConfirmationRequest, ConfirmationRequest.provider_id == provider.id) == 1
    assert ("operator", "confirmation_sent") in [(a, b) for a, b, _ in audit_actions(app)]
    token = LINK.search(body).group(0).rsplit("/", 1)[1]
    assert all(token not in json.dumps(d) for _, _, d in audit_actions(app))
    again = runner.invoke(args=["send-confirmations"])  # cron the next day: nobody asked twice
    assert "Sent 0" in again.output and len(smtp.inbox.messages) == 1


def test_a_spanish_listing_gets_its_email_and_link_in_spanish(session, runner, smtp):  # noqa: F811
    make_provider(session, contact_email="clinica@example.org", contact_language="es")
    assert runner.invoke(args=["send-confirmations"]).exit_code == 0
    body = smtp.inbox.messages[0].get_content()
    assert "Disponibilidad desconocida" in body
    assert "?lang=es" in LINK.search(body).group(0) and "?lang=es" in UNSUBSCRIBE.search(body).group(0)


def test_a_dry_run_says_who_and_sends_and_writes_nothing(app, session, runner, smtp):  # noqa: F811
    provider = stale(session)
    result = runner.invoke(args=["send-confirmations", "--dry-run", "--older-than", "7"])
    assert result.exit_code == 0 and f"would ask provider {provider.id}" in result.output
    assert smtp.inbox.messages == [] and count(app, ConfirmationRequest) == 0 and count(app, AuditEntry) == 0


def test_limit_caps_the_emails_and_a_refused_address_is_skipped(app, session, runner, smtp):  # noqa: F811
    stale(session, contact_email=REFUSED)
    for _ in range(3):
        stale(session)
    result = runner.invoke(args=["send-confirmations", "--limit", "3"])
    assert result.exit_code == 0
    assert "refused" in result.output and REFUSED not in result.output
    assert len(smtp.inbox.messages) == 2 and count(app, ConfirmationRequest) == 2


def test_it_refuses_to_send_without_mail_settings(app, session, runner):
    stale(session)
    app.config["MAIL_SERVER"] = ""
    result = runner.invoke(args=["send-confirmations"])
    assert result.exit_code == 1 and "MAIL_SERVER" in result.output
    assert count(app, ConfirmationRequest) == 0


def test_a_mail_server_that_is_down_stops_the_run_and_keeps_nothing_unsent(app, session, runner):
    stale(session)
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    result = runner.invoke(args=["send-confirmations"])
    assert result.exit_code == 1 and "mail server failed" in result.output
    assert count(app, ConfirmationRequest) == 0 and count(app, AuditEntry) == 0
