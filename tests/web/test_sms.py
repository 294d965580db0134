"""The text-message webhook: signatures, conversations in both languages, and what is kept."""

from __future__ import annotations

import logging
import re
from html import unescape

import pytest
from sqlalchemy import select, text
from twilio.request_validator import RequestValidator

from locator import create_app, db
from locator.models import TextConversation
from locator.web.sms_replies import LIMIT
from tests.factories import make_provider

TOKEN = "twilio-test-token"
SENDER = "+12155550123"


@pytest.fixture
def app_config() -> dict:
    return {"TWILIO_AUTH_TOKEN": TOKEN}


@pytest.fixture
def clinics(session):
    for n in range(5):
        make_provider(session, name=f"Clinic {n}", miles_north=n + 0.5, medications=["buprenorphine", "methadone"],
                      report={"accepting_new_patients": True, "wait_days": n})
    return session


def send(app, client, body, sender=SENDER, signature=None, path="/sms/inbound"):
    data = {"From": sender, "To": "+12155550199", "Body": body, "MessageSid": "SM0123456789"}
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(app.config["PUBLIC_URL"] + path, data)
    return client.post(path, data=data, headers={"X-Twilio-Signature": signature})


def message(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/xml"
    found = re.search(r"<Response><Message>(.*)</Message></Response>", response.get_data(as_text=True), re.S)
    return unescape(found.group(1))


def test_without_a_twilio_token_the_webhook_does_not_exist(database_url):
    plain = create_app({"DATABASE_URL": database_url, "TESTING": True, "LOCATOR_ENV": "testing"})
    with plain.app_context():
        db.create_schema(db.get_engine())
    assert plain.test_client().post("/sms/inbound", data={"Body": "19104"}).status_code == 404


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", None])
def test_a_missing_or_wrong_signature_is_403_and_does_nothing(app, client, clinics, signature):
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    response = client.post("/sms/inbound", data={"From": SENDER, "Body": "19104"}, headers=headers)
    assert response.status_code == 403
    assert clinics.scalar(select(text("count(*)")).select_from(TextConversation)) == 0


def test_a_signature_for_other_words_is_refused(app, client, clinics):
    good = RequestValidator(TOKEN).compute_signature(app.config["PUBLIC_URL"] + "/sms/inbound",
                                                      {"From": SENDER, "Body": "19104"})
    response = client.post("/sms/inbound", data={"From": SENDER, "Body": "90210"},
                           headers={"X-Twilio-Signature": good})
    assert response.status_code == 403


def test_a_zip_gets_the_best_three_places_then_more_then_the_end(app, client, clinics):
    first = message(send(app, client, "19104"))
    assert len(first) <= LIMIT
    assert re.findall(r"^(\d)\. Clinic (\d)", first, re.M) == [("1", "0"), ("2", "1"), ("3", "2")]
    assert "215-555-0100" in first and "0.5 mi" in first and "Can start buprenorphine today" in first
    assert "About 1 day to a first buprenorphine dose" in first and "Text MORE" in first
    more = message(send(app, client, "MORE"))
    assert re.findall(r"^(\d)\. Clinic (\d)", more, re.M) == [("4", "3"), ("5", "4")] and "Text MORE" not in more
    end = message(send(app, client, "more"))
    assert "No more places" in end and "1-800-662-4357" in end


def test_a_medication_and_a_payment_in_plain_words_filter_the_places(app, client, session):
    make_provider(session, name="Methadone Program", medications=["methadone"], payment=["medicaid"])
    make_provider(session, name="Bupe Clinic", medications=["buprenorphine"], payment=["medicaid"])
    make_provider(session, name="Private Bupe", medications=["buprenorphine"], payment=["private"])
    answer = message(send(app, client, "19104 bupe medicaid"))
    assert "Bupe Clinic" in answer and "Methadone Program" not in answer and "Private Bupe" not in answer


def test_spanish_words_get_a_spanish_answer_and_mas_continues_in_spanish(app, client, clinics):
    answer = message(send(app, client, "metadona 19104"))
    assert "Puede empezar metadona hoy" in answer and "primera dosis de metadona" in answer
    assert "Envíe MAS" in answer
    more = message(send(app, client, "MAS"))
    assert re.findall(r"^(\d)\.", more, re.M) == ["4", "5"] and "primera dosis" in more


def test_es_and_en_switch_the_language(app, client, clinics):
    assert "español" in message(send(app, client, "ES"))
    assert "Unos 2 días hasta la primera dosis" in message(send(app, client, "19104"))
    assert "English" in message(send(app, client, "EN"))
    assert "About 2 days to a first" in message(send(app, client, "19104"))


@pytest.mark.parametrize("body, crisis", [("HELP", "988"), ("AYUDA", "988")])
def test_help_says_what_to_text_and_gives_988_and_the_helpline_with_safety(app, client, body, crisis):
    answer = message(send(app, client, body))
    assert crisis in answer and "1-800-662-4357" in answer and len(answer) <= LIMIT
    assert ("naloxone" in answer) if body == "HELP" else ("naloxona" in answer)
    assert ("ZIP" in answer) if body == "HELP" else ("código postal" in answer)


def test_stop_is_acknowledged_and_forgets_the_conversation(app, client, clinics):
    send(app, client, "19104")
    assert "no more texts" in message(send(app, client, "STOP"))
    assert "ZIP" in message(send(app, client, "MORE"))  # nothing left to page through
    assert "No le enviaremos más" in message(send(app, client, "PARAR"))


@pytest.mark.parametrize("body", ["overdose 19104", "my friend is not breathing", "sobredosis 19104",
                                  "I want to die, suicide"])
def test_an_emergency_puts_911_and_988_first(app, client, clinics, body):
    answer = message(send(app, client, body))
    assert answer.index("911") < answer.index("988") < 200 and len(answer) <= LIMIT


def test_an_unknown_place_asks_for_a_zip(app, client):
    answer = message(send(app, client, "Narnia"))
    assert "ZIP" in answer and "19104" in answer
    assert "código postal" in message(send(app, client, "metadona en Narnia"))


def test_fictional_places_say_so(app, client, session):
    make_provider(session, name="Demo Clinic", is_demo=True)
    assert "fictional" in message(send(app, client, "19104"))


def test_the_number_is_never_stored_or_logged(app, client, clinics, caplog, database_url):
    caplog.set_level(logging.DEBUG)
    send(app, client, "19104 methadone")
    send(app, client, "MORE")
    digits = SENDER.lstrip("+")
    for record in caplog.records:
        assert digits not in record.getMessage() and digits not in str(record.__dict__)
        assert "methadone" not in str(record.__dict__)
    assert any(r.getMessage() == "text answered" for r in caplog.records)
    with app.app_context(), db.new_session() as session:
        rows = session.execute(text("SELECT * FROM text_conversations")).all()
        assert len(rows) == 1 and all(digits[-7:] not in str(value) for value in rows[0])


def test_every_answer_fits_three_segments_in_both_languages(app, client, session):
    walk_in = {"accepting_new_patients": True, "walk_in": True, "first_dose_at_first_visit": True,
               "walk_in_hours": "Mon-Fri 6:00-9:00 am; Sat 7:00-9:00 am"}
    for n in range(5):
        make_provider(session, name=f"A Very Long Name Community Treatment Center of the Greater Valley Region {n}",
                      intake_phone="215-555-0111", miles_north=n, report=walk_in, is_demo=True,
                      medications=["buprenorphine", "methadone"])
    for body in ("HELP", "AYUDA", "19104", "MORE", "metadona 19104", "MAS", "overdose 19104", "sobredosis 19104"):
        answer = message(send(app, client, body))
        assert len(answer) <= LIMIT and "1-800-662-4357" in answer, body
        if body not in ("HELP", "AYUDA"):  # the places' answers never lose the demonstration note
            assert "fictional" in answer or "ficticios" in answer, body


def test_a_place_in_several_states_asks_for_the_state(app, client):
    answer = message(send(app, client, "Springfield"))
    assert "several places called Springfield" in answer and "Springfield IL" in answer


def test_a_number_staff_found_not_working_is_replaced_by_the_helpline(app, client, session):
    from locator.models import utcnow

    make_provider(session, name="Dead Line Clinic", phone="215-555-0166", phone_bad_at=utcnow(),
                  report={"accepting_new_patients": True, "wait_days": 1})
    reply = message(send(app, client, "19104"))
    assert "Dead Line Clinic" in reply and "215-555-0166" not in reply and "1-800-662-4357" in reply
