"""A listing at the verification desk: calling it and recording what came of it.

    GET  /desk/providers/<id>            the phone, a call script, open problem reports, history, the forms
    POST /desk/providers/<id>            record a call (outcome, availability answers, facts confirmed)
    POST /desk/providers/<id>/status     close the listing (with a reason) or open it again
    POST /desk/providers/<id>/problems   mark open problem reports as checked
    POST /desk/providers/<id>/contact    the email (and its language) for confirmation requests

Signed-in, enabled staff only; every write is CSRF-protected, transactional and audited
(locator.calls). A form with a mistake is shown again with what to fix, answered 400.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request
from flask_login import current_user, login_required

from locator import calls, verification
from locator.availability import availability_by_medication
from locator.db import get_session
from locator.desk_history import listing_history, open_problems
from locator.desk_models import VERIFIED_FACTS
from locator.models import Provider, find_provider
from locator.reports_input import FIELDS, ReportInvalid, note_problem, validate_report
from locator.web.desk_forms import CallForm, ClosingForm, ContactForm, ResolveForm
from locator.web.desk_wording import CALL_ERRORS
from locator.web.i18n import url
from locator.web.wording import Words

bp = Blueprint("desk_listing", __name__, url_prefix="/desk/providers")
BODY_MAX = 16 * 1024


@bp.before_request
@login_required
def _signed_in():
    if request.method == "POST" and (request.content_length or 0) > BODY_MAX:
        abort(413)


def _provider(provider_id: int) -> Provider:
    provider = find_provider(get_session(), provider_id)
    return provider if provider is not None else abort(404)


def _page(provider: Provider, status: int = 200, **forms):
    session = get_session()
    forms.setdefault("call", CallForm(formdata=None))
    forms.setdefault("closing", ClosingForm(formdata=None))
    forms.setdefault("contact", ContactForm(formdata=None, contact_email=provider.contact_email,
                                            contact_language=provider.contact_language))
    forms.setdefault("resolve", ResolveForm(formdata=None))
    return render_template(
        "desk/provider.html", provider=provider, problems=open_problems(session, provider.id),
        history=listing_history(session, provider.id), by_medication=availability_by_medication(provider),
        verified=verification.verified(session, [provider.id]).get(provider.id, {}), facts=VERIFIED_FACTS,
        recorded=request.args.get("recorded") == "1", **forms), status


def _done(provider: Provider):
    get_session().commit()
    return redirect(url("desk_listing.listing", provider_id=provider.id, recorded=1), 303)


def _refused_reason(field) -> bool:
    """Whether the reason for a closing (white space collapsed) cannot be kept; says why on the field."""
    problem = note_problem(" ".join((field.data or "").split()), calls.REASON_MAX)
    if problem is not None:
        field.errors.append(Words().problem(problem))
    return problem is not None


@bp.get("/<int:provider_id>")
def listing(provider_id: int):
    return _page(_provider(provider_id))


@bp.post("/<int:provider_id>")
def record(provider_id: int):
    provider = _provider(provider_id)
    form = CallForm()
    if not form.validate_on_submit():
        return _page(provider, 400, call=form)
    answers = None
    words = Words()
    reached = form.outcome.data == "reached"
    if form.outcome.data == "closed" and _refused_reason(form.note):
        return _page(provider, 400, call=form)
    if form.has_answers(note=reached):
        try:
            answers = validate_report(form.report_body())
        except ReportInvalid as exc:
            for name, problem in exc.errors.items():
                field = name if name in FIELDS else "note"
                message = (words.named(CALL_ERRORS, "accepting_required")
                           if field == "accepting_new_patients" and problem.code == "required"
                           else words.problem(problem))
                getattr(form, field).errors.append(message)
            return _page(provider, 400, call=form)
    try:
        calls.record_call(get_session(), provider, current_user.id, form.outcome.data, answers=answers,
                          verified=form.verified.data or [], reason=form.note.data or "")
    except calls.CallInvalid as exc:
        get_session().rollback()
        field = form.verified if exc.code in ("verified_unreached", "unknown_fact") else form.outcome
        field.errors.append(words.named(CALL_ERRORS, exc.code))
        return _page(provider, 400, call=form)
    return _done(provider)


@bp.post("/<int:provider_id>/status")
def status(provider_id: int):
    provider = _provider(provider_id)
    form = ClosingForm()
    if not form.validate_on_submit():
        return _page(provider, 400, closing=form)
    if request.form.get("action") == "reopen":
        calls.reopen_listing(get_session(), provider, current_user.id)
    elif request.form.get("action") == "close":
        if not (form.reason.data or "").strip():
            form.reason.errors.append(Words().named(CALL_ERRORS, "reason_required"))
        if form.reason.errors or _refused_reason(form.reason):
            return _page(provider, 400, closing=form)
        calls.close_listing(get_session(), provider, current_user.id, form.reason.data)
    else:
        abort(400)
    return _done(provider)


@bp.post("/<int:provider_id>/problems")
def resolve(provider_id: int):
    provider = _provider(provider_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        return _page(provider, 400, resolve=form)
    ids = [int(i) for i in form.report.data or [] if i.isascii() and i.isdigit() and len(i) < 10]
    calls.resolve_problems(get_session(), provider, current_user.id, ids)
    return _done(provider)


@bp.post("/<int:provider_id>/contact")
def contact(provider_id: int):
    provider = _provider(provider_id)
    form = ContactForm()
    if not form.validate_on_submit():
        return _page(provider, 400, contact=form)
    try:
        calls.set_contact_email(get_session(), provider, current_user.id, form.contact_email.data or "",
                                form.contact_language.data or "")
    except calls.CallInvalid as exc:
        get_session().rollback()
        target = form.contact_language if exc.code == "unknown_language" else form.contact_email
        target.errors.append(Words().named(CALL_ERRORS, exc.code))
        return _page(provider, 400, contact=form)
    return _done(provider)
