"""The verification desk's door: staff sign-in (Flask-Login) and the desk's front page.

    GET/POST /desk/login     email and password (CSRF-protected)
    POST     /desk/logout
    GET      /desk           the worklist: listings that most need a call (locator.worklist), with
                             filters (state, county, source, medication) and pages
    /desk/providers/<id>     a listing: calling it and recording the call (locator.web.desk_listing)

Every desk page needs a signed-in, enabled account (a disabled one is signed out on its next
request) and, like every page here, is never cached. Failed sign-ins are slowed, an account is
locked for a while after repeated failures, and an address is refused after many attempts:
both answer 429. Sign-in and sign-out are logged with the account's id only: never an email,
a password or a client address. The staff API tokens (locator.tokens) are separate and keep
working.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time

from flask import Blueprint, Flask, abort, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from locator import audit, staff, vocabulary, worklist
from locator.db import get_session
from locator.models import StaffAccount
from locator.text_safety import one_line
from locator.web import desk_listing
from locator.web.desk_health import health_context
from locator.web.i18n import url
from locator.web.ratelimit import address_key, limiter

bp = Blueprint("desk", __name__, url_prefix="/desk")
log = logging.getLogger("locator.desk")
login_manager = LoginManager()
SIGN_IN_LIMIT = "10 per minute; 60 per hour"


WRONG = _l("The email or the password is wrong.")


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(message=_l("Enter your email.")),
                                                Length(max=254, message=WRONG)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password.")),
                                                         Length(max=1024, message=WRONG)],
                             render_kw={"autocomplete": "current-password"})


@login_manager.user_loader
def load_staff(session_id: str):
    """The enabled account a session names, while its nonce is the account's (signing out changes it)."""
    staff_id, _, nonce = session_id.partition(".")
    if not (staff_id.isascii() and staff_id.isdigit() and len(staff_id) < 10 and nonce):
        return None
    account = get_session().get(StaffAccount, int(staff_id))
    if account is None or not account.enabled or not hmac.compare_digest(account.session_nonce, nonce):
        return None
    return account


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, key_func=address_key, methods=["POST"], scope="desk-sign-in")
def login():
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        session = get_session()
        try:
            account = staff.sign_in(session, form.email.data, form.password.data)
        except staff.SignInRefused as exc:
            session.commit()  # the failure counts
            if exc.reason == "locked":
                return render_template("desk/login.html", form=form, locked=True), 429, \
                    {"Retry-After": str(staff.LOCK_MINUTES * 60)}
            time.sleep(staff.delay(exc.account))
            form.password.errors.append(str(WRONG))
            status = 401
        else:
            audit.record(session, "staff", "signed_in", staff_id=account.id)
            session.commit()
            login_user(account)
            log.info("staff signed in", extra={"fields": {"staff_id": account.id}})
            return redirect(url("desk.front"), 303)
    elif form.is_submitted():
        status = 400
    return render_template("desk/login.html", form=form, locked=False), status


@bp.post("/logout")
@login_required
def logout():
    staff_id = current_user.id
    session = get_session()
    current_user.session_nonce = secrets.token_hex(16)  # every copy of this session's cookie ends too
    audit.record(session, "staff", "signed_out", staff_id=staff_id)
    session.commit()
    logout_user()
    log.info("staff signed out", extra={"fields": {"staff_id": staff_id}})
    return redirect(url("desk.login"), 303)


@bp.get("")
@login_required
def front():
    session = get_session()
    page = _whole(request.args.get("page", "1"))
    state = request.args.get("state", "").strip().upper()
    medication = request.args.get("medication", "")
    filters = worklist.Filters(state=state if state in vocabulary.US_STATES else "",
                               county=one_line(request.args.get("county", ""), 100),
                               source=one_line(request.args.get("source", ""), 60),
                               medication=medication if medication in vocabulary.MEDICATIONS.by_key else "")
    query = {key: value for key, value in vars(filters).items() if value}
    return render_template("desk/front.html", work=worklist.worklist(session, filters, page), filters=filters,
                           query=query, sources=worklist.sources(session), states=sorted(vocabulary.US_STATES),
                           medications=vocabulary.MEDICATIONS.keys(), **health_context(session))


def _whole(text: str) -> int:
    """A page number from 1 to 10,000, or 404."""
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= 10_000 else abort(404)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "desk.login"
    login_manager.login_message = None  # no flash: nothing more in the session cookie
    # No "strong" protection: it would set a cookie-clearing header on every public page that has a
    # session (the CSRF of a form). Sessions are signed, HttpOnly, SameSite=Lax and Secure in production.
    login_manager.session_protection = None
    app.register_blueprint(bp)
    app.register_blueprint(desk_listing.bp)
