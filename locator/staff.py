"""Staff accounts for the verification desk: creating, disabling, and checking a sign-in.
Plain Python over a Session; passwords are hashed with Werkzeug's scrypt and never kept.

A wrong password counts against the account: from the FAILURES_BEFORE_LOCK-th failure in a
row it is locked for LOCK_MINUTES (a sign-in then fails with `locked`, whatever the password),
and every failure is answered a little later than the one before (`delay`). A right password
resets the count. A disabled account cannot sign in, and its open sessions end (Flask-Login
asks `is_active` on every request).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from locator.mail import normal_address
from locator.models import StaffAccount, utcnow

PASSWORD_MIN = 12
FAILURES_BEFORE_LOCK = 5
LOCK_MINUTES = 15
# A hash to check against when the email is unknown, so that a wrong email takes as long as a
# wrong password (no telling which accounts exist).
_NOBODY = generate_password_hash("no account has this password", method="scrypt")


class StaffError(ValueError):
    """A staff account cannot be created or changed: the message says why (for the operator)."""


class SignInRefused(Exception):
    """`reason`: wrong (email or password), locked (too many failures), disabled."""

    def __init__(self, reason: str, account: StaffAccount | None = None):
        super().__init__(reason)
        self.reason, self.account = reason, account


def find(session: Session, email: str) -> StaffAccount | None:
    return session.scalar(select(StaffAccount).where(StaffAccount.email == email.strip().lower()))


def create_staff(session: Session, email: str, name: str, password: str) -> StaffAccount:
    """Add an account (the caller commits)."""
    try:
        email = normal_address(email)
    except ValueError:
        raise StaffError(f"{email.strip()!r} is not an email address") from None
    if not name.strip():
        raise StaffError("a name is required")
    if len(password) < PASSWORD_MIN:
        raise StaffError(f"the password must have at least {PASSWORD_MIN} characters")
    if find(session, email) is not None:
        raise StaffError(f"{email} already has an account")
    account = StaffAccount(email=email, name=" ".join(name.split())[:120],
                           password_hash=generate_password_hash(password, method="scrypt"))
    session.add(account)
    session.flush()
    return account


def disable_staff(session: Session, email: str) -> StaffAccount:
    account = find(session, email)
    if account is None:
        raise StaffError(f"no account has the email {email.strip().lower()}")
    account.enabled = False
    return account


def sign_in(session: Session, email: str, password: str, now: datetime | None = None) -> StaffAccount:
    """The account, or SignInRefused; counts failures and locks (the caller commits)."""
    now = now or utcnow()
    account = find(session, email) if len(email) <= 254 else None
    if account is None:
        check_password_hash(_NOBODY, password)
        raise SignInRefused("wrong")
    if account.locked_until is not None and account.locked_until > now:
        raise SignInRefused("locked", account)
    if not check_password_hash(account.password_hash, password):
        account.failed_sign_ins += 1
        if account.failed_sign_ins >= FAILURES_BEFORE_LOCK:
            account.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        raise SignInRefused("wrong", account)
    if not account.enabled:
        raise SignInRefused("disabled", account)
    account.failed_sign_ins, account.locked_until = 0, None
    if not account.session_nonce:  # an account made before sessions carried one
        account.session_nonce = secrets.token_hex(16)
    return account


def delay(account: StaffAccount | None) -> float:
    """Seconds to wait before answering a failed sign-in: a little more for each failure in a row."""
    return min(2.0, 0.1 * (account.failed_sign_ins if account else 1))
