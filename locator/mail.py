"""Email: building a plain-text message and sending it through the configured SMTP server, with
the standard library's `email` and `smtplib` only. No Flask.

    settings = MailSettings.from_config(app.config)      # MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, ...
    with Mailer(settings) as mailer:                     # one connection for a whole batch
        mailer.send(message("Subject", "body", to=..., sender=settings.sender, unsubscribe=url))

`MAIL_USE_TLS` asks for STARTTLS (certificate and host name checked); port 465 is TLS from
the first byte. A refused recipient raises `smtplib.SMTPRecipientsRefused` (that message only);
a server that cannot be reached or hangs up raises `OSError` / `smtplib.SMTPException`. Nothing
here logs: an address is never written anywhere but the message.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any, Mapping

TIMEOUT = 30  # seconds for the SMTP server to answer each step
# One address, plainly: no spaces, commas, angle brackets, quotes or control characters (which
# could make a header name two recipients or smuggle a line).
ADDRESS = re.compile(r"^[^@\s,;<>\"'\x00-\x1f\x7f]{1,64}@[^@\s,;<>\"'\x00-\x1f\x7f]{1,189}"
                     r"\.[^@\s,;<>\"'\x00-\x1f\x7f]{2,}$")


def normal_address(text: str) -> str:
    """An email address in lower case, without surrounding spaces, or ValueError (the value is
    not repeated in the message: it may be someone's address)."""
    address = text.strip().lower()
    if len(address) > 254 or not ADDRESS.match(address):
        raise ValueError("is not an email address")
    return address


class MailNotConfigured(RuntimeError):
    """MAIL_SERVER or MAIL_FROM is not set."""


@dataclass(frozen=True)
class MailSettings:
    server: str
    port: int = 25
    use_tls: bool = False
    username: str = ""
    password: str = ""
    sender: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        return cls(server=config.get("MAIL_SERVER") or "", port=int(config.get("MAIL_PORT") or 25),
                   use_tls=bool(config.get("MAIL_USE_TLS")), username=config.get("MAIL_USERNAME") or "",
                   password=config.get("MAIL_PASSWORD") or "", sender=config.get("MAIL_FROM") or "")

    def check(self) -> None:
        missing = [name for name, value in (("MAIL_SERVER", self.server), ("MAIL_FROM", self.sender)) if not value]
        if missing:
            raise MailNotConfigured(f"{' and '.join(missing)} must be set to send email")
        if self.username and not (self.use_tls or self.port == 465):
            raise MailNotConfigured("MAIL_USERNAME is set without MAIL_USE_TLS (or port 465): the password "
                                    "would cross the network in clear")


def message(subject: str, body: str, *, to: str, sender: str, unsubscribe: str | None = None,
            html: str | None = None) -> EmailMessage:
    """A UTF-8 message (quoted-printable when needed), with a List-Unsubscribe header when an
    unsubscribe address is given, and an HTML alternative when `html` is."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=domain)
    msg["Auto-Submitted"] = "auto-generated"  # no vacation replies
    if unsubscribe:
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


class Mailer:
    """An SMTP connection, opened on the first message and closed when the block ends."""

    def __init__(self, settings: MailSettings):
        settings.check()
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.port == 465:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.server, s.port, timeout=TIMEOUT,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.server, s.port, timeout=TIMEOUT)
            if s.use_tls:
                smtp.starttls(context=ssl.create_default_context())
        if s.username:
            smtp.login(s.username, s.password)
        return smtp

    def send(self, msg: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(msg)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass  # the server already hung up: nothing left to close politely
            self._smtp = None
