"""The verification desk's door: staff sign-in (Flask-Login) and the desk's front page.

    GET/POST /desk/login     email and password (CSRF-protected)
    POST     /desk/logout
    GET      /desk           signed-in, enabled staff only: the listings people reported problems with

Every desk page needs a signed-in, enabled account (a disabled one is signed out on its next
request) and, like every page here, is never cached. Failed sign-ins are slowed, an account is
locked for a while after repeated failures, and an address is refused after many attempts:
both answer 429. Sign-in and sign-out are logged with the account's id only: never an email,
a password or a client address. The staff API tokens (locator.tokens) are separate and keep
working.
"""

from __future__ import annotations

import logging
import time

from flask import Blueprint, Flask, abort, redirect, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from locator import staff
from locator.db import get_session
from locator.models import ProblemReport, Provider, StaffAccount
from locator.web.i18n import url
from locator.web.ratelimit import address_key, limiter

bp = Blueprint("desk", __name__, url_prefix="/desk")
log = logging.getLogger("locator.desk")
login_manager = LoginManager()
SIGN_IN_LIMIT = "10 per minute; 60 per hour"
PAGE = 50


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(message=_l("Enter your email.")), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password.")),
                                                         Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})


@login_manager.user_loader
def load_staff(staff_id: str):
    if not staff_id.isdigit():
        return None
    account = get_session().get(StaffAccount, int(staff_id))
    return account if account is not None and account.enabled else None


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
            form.password.errors.append(gettext("The email or the password is wrong."))
            status = 401
        else:
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
    logout_user()
    log.info("staff signed out", extra={"fields": {"staff_id": staff_id}})
    return redirect(url("desk.login"), 303)


@bp.get("")
@login_required
def front():
    session = get_session()
    page = request.args.get("page", "1")
    page = int(page) if page.isascii() and page.isdigit() and 0 < int(page) <= 10_000 else abort(404)
    open_reports = (select(ProblemReport.provider_id, func.count().label("reports"),
                           func.min(ProblemReport.reported_at).label("oldest"))
                    .where(ProblemReport.resolved_at.is_(None)).group_by(ProblemReport.provider_id).subquery())
    rows = session.execute(select(Provider, open_reports.c.reports, open_reports.c.oldest)
                           .join(open_reports, open_reports.c.provider_id == Provider.id)
                           .order_by(open_reports.c.oldest, Provider.id)
                           .limit(PAGE).offset((page - 1) * PAGE)).all()
    total = session.scalar(select(func.count()).select_from(open_reports))
    return render_template("desk/front.html", rows=rows, total=total, page=page, per_page=PAGE)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "desk.login"
    login_manager.login_message = None  # no flash: nothing more in the session cookie
    # No "strong" protection: it would set a cookie-clearing header on every public page that has a
    # session (the CSRF of a form). Sessions are signed, HttpOnly, SameSite=Lax and Secure in production.
    login_manager.session_protection = None
    app.register_blueprint(bp)
