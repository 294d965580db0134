"""Reading a text message (locator.sms) and keeping a conversation's place (locator.sms_state)."""

from datetime import timedelta

import pytest

from locator.models import TextConversation, utcnow
from locator.sms import read_text
from locator.sms_state import conversation_key, forget, load, save


@pytest.mark.parametrize("body, place, medications, payment, language", [
    ("19104", "19104", (), (), None),
    ("19104 methadone", "19104", ("methadone",), (), None),
    ("Dayton OH bupe medicaid", "Dayton OH", ("buprenorphine",), ("medicaid",), None),
    ("metadona 78701", "78701", ("methadone",), (), "es"),
    ("I need Suboxone near Dayton, OH", "Dayton OH", ("buprenorphine",), (), None),
    ("Necesito metadona cerca de San Juan PR, tengo seguro", "San Juan PR", ("methadone",), ("private",), "es"),
    ("my brother needs vivitrol 45402 cash", "45402", ("naltrexone",), ("self_pay",), None),
    ("Portland OR", "Portland OR", (), (), None), ("Gary IN bupe", "Gary IN", ("buprenorphine",), (), None),
    ("Lansing mi", "Lansing mi", (), (), None), ("Palo Alto CA", "Palo Alto CA", (), (), None),
    ("Medical Lake WA", "Medical Lake WA", (), (), None),
])
def test_it_reads_a_place_medications_payments_and_the_language(body, place, medications, payment, language):
    asked = read_text(body)
    assert (asked.command, asked.place, asked.medications, asked.payment, asked.language) == \
        (None, place, medications, payment, language)


@pytest.mark.parametrize("body, command, language", [
    ("MORE", "more", None), ("más", "more", "es"), ("Mas", "more", "es"), ("help", "help", None),
    ("HELP!", "help", None), ("Ayuda", "help", "es"), ("STOP", "stop", None), ("parar", "stop", "es"),
    ("ES", "es", "es"), ("en", "en", None), ("Español", "es", "es"),
])
def test_commands_are_one_word_in_either_language(body, command, language):
    asked = read_text(body)
    assert (asked.command, asked.language) == (command, language)


@pytest.mark.parametrize("body, place", [
    ("overdose", ""), ("my friend overdosed at 19104", "19104"), ("no respira, 78701", "78701"),
    ("He is not breathing", ""), ("thinking about suicide", "thinking"), ("SOBREDOSIS", ""),
    ("he can\u2019t breathe 19104", "19104"), ("he o.d. 19104", "19104"),
])
def test_words_of_an_emergency_are_seen(body, place):
    asked = read_text(body)
    assert asked.emergency is True and asked.place == place


def test_control_characters_and_long_texts_are_harmless():
    asked = read_text("1910\x004 " + "x" * 5000)
    assert "\x00" not in asked.place and len(asked.place) <= 320


def test_the_key_is_an_hmac_of_the_digits_never_the_number():
    key = conversation_key("secret", "+1 (215) 555-0100")
    assert key == conversation_key("secret", "+12155550100") != conversation_key("other", "+12155550100")
    assert "2155550100" not in key and len(key) == 64


def test_a_conversation_lasts_an_hour_and_expired_ones_are_deleted(session):
    now = utcnow()
    save(session, "a" * 64, now=now, language="es", latitude=1.0, longitude=2.0, page=1)
    assert load(session, "a" * 64, now=now + timedelta(minutes=59)).language == "es"
    assert load(session, "a" * 64, now=now + timedelta(minutes=61)) is None
    save(session, "b" * 64, now=now + timedelta(minutes=61), language="en", page=1)
    assert session.get(TextConversation, "a" * 64) is None  # purged by the next save
    forget(session, "b" * 64)
    assert session.get(TextConversation, "b" * 64) is None
