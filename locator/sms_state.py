"""Where a text-message conversation is, so that MORE can give the next places.

The state (the place searched, the medications and payments asked for, the page sent, the
language) is kept for an hour under an HMAC-SHA256 of the sender's number, keyed with the app's
SECRET_KEY: the number itself is never stored, and without the key the stored hash cannot be
tied back to a number by trying all of them. Expired conversations are deleted whenever one is
read (every inbound text), and by `flask --app locator purge-cache`. Plain Python over a Session.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from locator.models import TextConversation, utcnow

TTL = timedelta(hours=1)


def conversation_key(secret: str, number: str) -> str:
    """The HMAC of a sender's number (its digits, so "+1 (215) 555-0100" and "+12155550100" agree)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return hmac.new(secret.encode(), digits.encode(), hashlib.sha256).hexdigest()


def purge(session: Session, now: datetime | None = None) -> int:
    """Delete the expired conversations (the caller commits); how many there were."""
    return session.execute(delete(TextConversation).where(TextConversation.expires_at <= (now or utcnow()))).rowcount


def load(session: Session, key: str, now: datetime | None = None) -> TextConversation | None:
    """The conversation under `key`, if it has not expired; every expired one is deleted first."""
    purge(session, now)
    session.commit()
    return session.get(TextConversation, key)


def save(session: Session, key: str, now: datetime | None = None, **values) -> None:
    """Keep (or move on) the conversation for another hour. Commits. Two texts from one new number
    at once: the second write wins."""
    conversation = TextConversation(key=key, expires_at=(now or utcnow()) + TTL, **values)
    try:
        session.merge(conversation)
        session.commit()
    except IntegrityError:  # the other text inserted the row between our read and our insert
        session.rollback()
        session.merge(conversation)
        session.commit()


def forget(session: Session, key: str) -> None:
    session.execute(delete(TextConversation).where(TextConversation.key == key))
    session.commit()
