"""locator.mail against a real SMTP server on the loopback (aiosmtpd), and the `smtp` fixture
that the confirmation tests use to read what arrives."""

from __future__ import annotations

import email
import email.policy
import smtplib
import socket

import pytest
from aiosmtpd.controller import Controller

from locator.config import ConfigError, load_settings
from locator.mail import Mailer, MailNotConfigured, MailSettings, message

REFUSED = "nobody@refused.example"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given, and refuses REFUSED."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content.replace(b"\r\n", b"\n"),
                                                     policy=email.policy.default))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    """A running SMTP server on 127.0.0.1: `.port`, and `.inbox` with what it received."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.inbox = inbox
    yield controller
    controller.stop()


def settings(smtp, **overrides) -> MailSettings:
    return MailSettings(**{"server": "127.0.0.1", "port": smtp.port, "sender": "Locator <updates@locator.example>",
                           **overrides})


def test_it_sends_a_utf8_message_with_its_unsubscribe_header_through_a_real_server(smtp):
    msg = message("¿Sigue aceptando pacientes?", "Hola,\nun enlace: https://x.example/c/1\n",
                  to="clinic@example.org", sender="Locator <updates@locator.example>",
                  unsubscribe="https://x.example/unsubscribe/abc")
    with Mailer(settings(smtp)) as mailer:
        mailer.send(msg)
    [received] = smtp.inbox.messages
    assert smtp.inbox.envelopes == [("updates@locator.example", ["clinic@example.org"])]
    assert received["Subject"] == "¿Sigue aceptando pacientes?"
    assert received["List-Unsubscribe"] == "<https://x.example/unsubscribe/abc>"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["Message-ID"].endswith("@locator.example>")
    assert received.get_content() == "Hola,\nun enlace: https://x.example/c/1\n"


def test_it_sends_a_batch_over_one_connection(smtp):
    with Mailer(settings(smtp)) as mailer:
        for n in range(3):
            mailer.send(message(f"n{n}", "body", to=f"c{n}@example.org", sender="updates@locator.example"))
    assert [m["Subject"] for m in smtp.inbox.messages] == ["n0", "n1", "n2"]


def test_it_adds_an_html_alternative_only_when_given(smtp):
    with Mailer(settings(smtp)) as mailer:
        mailer.send(message("s", "text", to="c@example.org", sender="u@locator.example", html="<p>text</p>"))
    [received] = smtp.inbox.messages
    assert received.get_body(("plain",)).get_content() == "text\n"
    assert received.get_body(("html",)).get_content() == "<p>text</p>\n"


def test_a_refused_recipient_raises_for_that_message_only(smtp):
    with Mailer(settings(smtp)) as mailer:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            mailer.send(message("s", "b", to=REFUSED, sender="u@locator.example"))
        mailer.send(message("s", "b", to="ok@example.org", sender="u@locator.example"))
    assert [to for _, to in smtp.inbox.envelopes] == [["ok@example.org"]]


def test_it_refuses_to_start_without_a_server_or_a_sender():
    with pytest.raises(MailNotConfigured, match="MAIL_SERVER and MAIL_FROM"):
        Mailer(MailSettings(server=""))
    with pytest.raises(MailNotConfigured, match="MAIL_FROM"):
        Mailer(MailSettings(server="127.0.0.1"))


def test_a_server_that_cannot_be_reached_raises_an_os_error():
    with pytest.raises(OSError), Mailer(MailSettings(server="127.0.0.1", port=free_port(), sender="u@x.example")) \
            as mailer:
        mailer.send(message("s", "b", to="c@example.org", sender="u@x.example"))


def test_starttls_is_asked_for_when_mail_use_tls_is_set(smtp):
    # The test server offers no STARTTLS: asking for it must fail rather than send in the clear.
    with pytest.raises(smtplib.SMTPNotSupportedError), Mailer(settings(smtp, use_tls=True)) as mailer:
        mailer.send(message("s", "b", to="c@example.org", sender="u@locator.example"))
    assert smtp.inbox.messages == []


def test_settings_come_from_the_app_config():
    config = {"MAIL_SERVER": "smtp.example.org", "MAIL_PORT": 587, "MAIL_USE_TLS": True, "MAIL_USERNAME": "u",
              "MAIL_PASSWORD": "p", "MAIL_FROM": "a@example.org"}
    assert MailSettings.from_config(config) == MailSettings("smtp.example.org", 587, True, "u", "p", "a@example.org")


def test_mail_settings_are_read_and_checked_at_start():
    settings = load_settings({"LOCATOR_ENV": "testing", "MAIL_SERVER": "smtp.example.org", "MAIL_PORT": "587",
                              "MAIL_USE_TLS": "true", "MAIL_FROM": "Locator <u@example.org>"})
    assert (settings["MAIL_PORT"], settings["MAIL_USE_TLS"]) == (587, True)
    assert settings["MAIL_FROM"] == "Locator <u@example.org>"
    defaults = load_settings({"LOCATOR_ENV": "testing"})
    assert (defaults["MAIL_SERVER"], defaults["MAIL_PORT"], defaults["MAIL_USE_TLS"]) == ("", 25, False)
    for name, value in (("MAIL_PORT", "70000"), ("MAIL_USE_TLS", "perhaps"), ("MAIL_FROM", "not an address")):
        with pytest.raises(ConfigError, match=name):
            load_settings({"LOCATOR_ENV": "testing", name: value})
