"""API tokens for availability reports: issue, hash, verify, revoke. Plain Python, no Flask.

A token is `secrets.token_urlsafe(32)` (43 characters, 256 bits). It is shown once, when it is
issued; only its SHA-256 (hex) is stored. `verify()` looks the hash up and compares it again
with `hmac.compare_digest`, so the comparison takes the same time whatever the token.
A provider token reports for its own provider only (`WrongProvider`); a staff token, held by a
caseworker, reports for any provider. A revoked or unknown token is an `InvalidToken`.
Nothing here commits: the caller owns the transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from locator.models import ApiToken, find_provider, utcnow

TOKEN_BYTES = 32
STAFF_NAME_MAX = 120
# What a token we issued can look like; anything else is refused before hashing.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,100}")


class InvalidToken(Exception):
    """No token, an unknown one, or a revoked one (HTTP 401)."""


class WrongProvider(Exception):
    """A valid provider token presented for another provider (HTTP 403)."""


@dataclass(frozen=True)
class IssuedToken:
    id: int
    token: str  # the only time the token exists in clear
    provider_id: int | None
    staff_name: str | None


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def reporter_kind(token: ApiToken) -> str:
    """The kind of reporter a token speaks for (vocabulary.REPORTER_KINDS)."""
    return "provider" if token.provider_id is not None else "caseworker"


def issue(session: Session, *, provider_id: int | None = None, staff_name: str | None = None) -> IssuedToken:
    """Store a new token's hash for one provider or for a named caseworker; return the token."""
    if (provider_id is None) == (staff_name is None):
        raise ValueError("give either a provider id or a staff name, not both")
    if staff_name is not None:
        staff_name = " ".join(staff_name.split())
        if not staff_name or len(staff_name) > STAFF_NAME_MAX:
            raise ValueError(f"the staff name must have 1 to {STAFF_NAME_MAX} characters")
    elif find_provider(session, provider_id) is None:
        raise LookupError(f"no provider has the id {provider_id}")
    token = new_token()
    row = ApiToken(token_hash=hash_token(token), provider_id=provider_id, staff_name=staff_name)
    session.add(row)
    session.flush()
    return IssuedToken(row.id, token, provider_id, staff_name)


def revoke(session: Session, token_id: int) -> bool:
    """Revoke a token by its id; False when it was already revoked. LookupError when unknown."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise LookupError(f"no token has the id {token_id}")
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.flush()
    return True


def authenticate(session: Session, presented: str | None) -> ApiToken:
    """The live token matching `presented`, or InvalidToken."""
    if not presented or not TOKEN_RE.fullmatch(presented):
        raise InvalidToken("no valid token was given")
    digest = hash_token(presented)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    # The lookup is by hash (an attacker cannot steer it); compare again in constant time.
    if row is None or not hmac.compare_digest(row.token_hash.encode(), digest.encode()):
        raise InvalidToken("the token is unknown or revoked")
    if row.revoked_at is not None:
        raise InvalidToken("the token is unknown or revoked")
    return row


def verify(session: Session, presented: str | None, provider_id: int) -> ApiToken:
    """The token, if it may report for `provider_id`; InvalidToken (401) or WrongProvider (403)."""
    row = authenticate(session, presented)
    if row.provider_id is not None and row.provider_id != provider_id:
        raise WrongProvider("this token reports for another provider")
    return row
