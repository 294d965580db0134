"""One-tap confirmations by providers, from the link in their email (locator.confirmations).

    GET  /confirm/<token>            three big answers: still taking new patients (about N days
                                     to a first dose), not taking new patients, something changed
    POST /confirm/<token>            `answer` = still_accepting (with `wait_days`), not_accepting,
                                     or changed (the full report form's fields, and `verified`)
    GET  /confirm/<token>/changed    the full report form, filled in with what the listing says
    GET  /confirm/thanks             after an answer
    GET/POST /unsubscribe/<token>    GET asks (mail scanners follow links); POST stops the emails

No sign-in: the signed token is the key. A forged (404), expired or used (410) link says so and
writes nothing. Forms carry a CSRF token. The token is a secret in the path: the request log
shows the route's pattern (`/confirm/<token>`, locator.logs), and no page sends a Referer
(locator.web.security) or may be cached.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from locator import confirmations
from locator.availability import availability_by_medication, current_availability
from locator.db import get_session
from locator.desk_models import VERIFIED_FACTS
from locator.models import find_provider
from locator.reports_input import FIELDS, ReportInvalid, validate_report
from locator.web.desk_wording import FACTS
from locator.web.forms import Checkboxes, ReportForm, SelectChoice, check_days
from locator.web.i18n import url
from locator.web.wording import Words

bp = Blueprint("confirm", __name__)
INVALID_STATUS = {"forged": 404, "expired": 410, "used": 410}


class AnswerForm(FlaskForm):
    """The two one-tap answers: still taking new patients (with the days), or not."""

    answer = HiddenField()
    wait_days = StringField(_l("Days to a first dose"), validators=[check_days],
                            render_kw={"inputmode": "numeric", "pattern": "[0-9]*", "maxlength": 3})


class ChangedForm(ReportForm):
    """The full report form, without a reporting token (the link is the key)."""

    answer = HiddenField(default="changed")
    verified = Checkboxes(_l("Still right (optional)"), validate_choice=True,
                          choices=[SelectChoice(fact, _l(FACTS[fact])) for fact in VERIFIED_FACTS])


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _invalid(reason: str):
    return render_template("confirm/invalid.html", reason=reason), INVALID_STATUS[reason]


def _yes_no(value) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def _prefilled(provider) -> ChangedForm:
    a = current_availability(provider)
    return ChangedForm(formdata=None, accepting_new_patients=_yes_no(a.accepting_new_patients),
                       wait_days="" if a.wait_days is None else str(a.wait_days), walk_in=_yes_no(a.walk_in),
                       same_day_start=_yes_no(a.same_day_start),
                       first_dose_at_first_visit=_yes_no(a.first_dose_at_first_visit),
                       walk_in_hours=a.walk_in_hours,
                       counseling_required_to_start=_yes_no(provider.counseling_required_to_start))


def _usual_wait(provider) -> str:
    """The wait to offer in the one-tap answer: the listing's, else its shortest known."""
    waits = [a.wait_days for a in [current_availability(provider), *availability_by_medication(provider).values()]
             if a.wait_days is not None]
    return str(waits[0]) if waits else ""


def _page(token: str, provider, form: AnswerForm | None = None, status: int = 200):
    form = form or AnswerForm(formdata=None, wait_days=_usual_wait(provider))
    return render_template("confirm/page.html", token=token, provider=provider, form=form,
                           by_medication=availability_by_medication(provider)), status


@bp.get("/confirm/thanks")
def thanks():
    return render_template("confirm/thanks.html", answer=request.args.get("answer", ""))


def _opened(token: str):
    """The unused request and its listing, or the page that says why the link cannot be used."""
    session = get_session()
    try:
        confirmation = confirmations.open_request(session, _secret(), token)
    except confirmations.LinkInvalid as exc:
        return None, None, _invalid(exc.reason)
    provider = find_provider(session, confirmation.provider_id)
    return (confirmation, provider, None) if provider is not None else (None, None, _invalid("forged"))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_page(token: str):
    confirmation, provider, refused = _opened(token)
    if refused:
        return refused
    session = get_session()
    if request.method == "GET":
        return _page(token, provider)
    kind = request.form.get("answer", "")
    if kind == "changed":
        return _changed(token, provider, confirmation)
    if kind not in confirmations.ANSWERS:
        abort(400)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _page(token, provider, form, 400)
    days = (form.wait_days.data or "").strip()
    wait = int(days) if days and kind == "still_accepting" else None
    return _record(session, confirmation, kind, wait_days=wait)


@bp.get("/confirm/<token>/changed")
def changed_form(token: str):
    _confirmation, provider, refused = _opened(token)
    if refused:
        return refused
    return render_template("confirm/changed.html", token=token, provider=provider, form=_prefilled(provider))


def _changed(token: str, provider, confirmation):
    form = ChangedForm()
    if form.validate_on_submit():
        try:
            values = validate_report(form.report_body())
        except ReportInvalid as exc:
            words = Words()
            for name, problem in exc.errors.items():
                getattr(form, name if name in FIELDS else "note").errors.append(words.problem(problem))
        else:
            return _record(get_session(), confirmation, "changed", values=values, verified=form.verified.data)
    return render_template("confirm/changed.html", token=token, provider=provider, form=form), 400


def _record(session, confirmation, kind: str, **answer):
    try:
        confirmations.answer(session, confirmation, kind, **answer)
        session.commit()
    except confirmations.LinkInvalid as exc:  # another click got there first
        session.rollback()
        return _invalid(exc.reason)
    return redirect(url("confirm.thanks", answer=kind), 303)


class UnsubscribeForm(FlaskForm):
    pass


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    try:
        address_hash = confirmations.read_unsubscribe(_secret(), token)
    except confirmations.LinkInvalid as exc:
        return _invalid(exc.reason)
    session = get_session()
    form = UnsubscribeForm()
    if form.validate_on_submit():
        confirmations.opt_out(session, address_hash)
        return render_template("confirm/unsubscribe.html", token=token, form=form, done=True)
    already = confirmations.has_opted_out(session, address_hash)
    return render_template("confirm/unsubscribe.html", token=token, form=form, done=already)
