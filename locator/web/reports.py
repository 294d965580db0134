"""Availability reports over the web: the token-authenticated JSON API and the HTML form.

    POST /api/v1/providers/<id>/availability   Authorization: Bearer TOKEN, JSON body (CSRF-exempt)
    GET  /api/v1/providers/<id>/availability   the history, newest first (no token needed)
    GET/POST /providers/<id>/availability      the form; the token is typed in, CSRF-protected

Checks run cheapest first and none writes: 429 (rate limit), 413 (declared length), 401 (no,
unknown or revoked token), 403 (another provider's token), 404 (no such provider), 413 (actual
length), 400 (not JSON, or field errors). Only then is the report added and committed. The
history shows the kind of reporter, never a token id or a caseworker's name.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from locator import tokens
from locator.availability import add_report, days_to_first_dose, freshness, history
from locator.db import get_session
from locator.models import AvailabilityReport, MedicationReport, Provider, find_provider, utcnow
from locator.ranking import best_availability
from locator.reports_input import FIELDS, ReportInvalid, parse_json_body, validate_report
from locator.web.errors import error_response
from locator.web.forms import TOKEN_MESSAGES, AvailabilityForm
from locator.web.i18n import url
from locator.web.ratelimit import bearer_token, report_limits
from locator.web.wording import Words

bp = Blueprint("reports", __name__)
log = logging.getLogger("locator.reports")

BODY_MAX = 4 * 1024  # the JSON body
FORM_BODY_MAX = 8 * 1024  # the form also carries its CSRF token, URL-encoded
HISTORY_MAX = 100


def report_dict(report: AvailabilityReport, current_ids: set[int], now=None) -> dict:
    fresh = freshness(report.reported_at, now or utcnow())
    return {"id": report.id, "reported_at": report.reported_at.isoformat(),
            "reporter_kind": report.reporter_kind,
            "accepting_new_patients": report.accepting_new_patients, "wait_days": report.wait_days,
            "walk_in": report.walk_in, "same_day_start": report.same_day_start,
            "medication": report.medication, "first_dose_at_first_visit": report.first_dose_at_first_visit,
            "walk_in_hours": report.walk_in_hours, "counseling_required_to_start": report.counseling_required_to_start,
            "days_to_first_dose": days_to_first_dose(report.accepting_new_patients, report.wait_days, report.walk_in,
                                                     report.same_day_start, report.first_dose_at_first_visit),
            "note": report.note,
            "freshness": fresh.key, "age_days": fresh.age_days, "current": report.id in current_ids}


def _current_ids(session, provider_id: int) -> set[int]:
    """The reports shown now: the newest for all medications, and the newest naming each."""
    ids = set(session.scalars(select(MedicationReport.report_id).where(MedicationReport.provider_id == provider_id)))
    ids.add(session.scalar(select(Provider.current_report_id).where(Provider.id == provider_id)))
    return ids - {None}


def _store(session, provider_id: int, token, values: dict) -> AvailabilityReport:
    try:
        report = add_report(session, provider_id, reporter_kind=tokens.reporter_kind(token),
                            token_id=token.id, **values)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    log.info("availability report stored",
             extra={"fields": {"provider_id": provider_id, "reporter_kind": report.reporter_kind}})
    return report


def _unauthorized(code: str, message: str):
    response = error_response(401, code, message, "Authorization")
    challenge = 'Bearer realm="availability"'
    if code == "invalid_token":
        challenge += ', error="invalid_token"'
    response.headers["WWW-Authenticate"] = challenge
    return response


def _too_large():
    return error_response(413, "too_large", gettext("The body is larger than %(n)s bytes.", n=BODY_MAX))


def _no_provider(provider_id: int):
    return error_response(404, "not_found", gettext("No provider has the id %(id)s.", id=provider_id), "id")


@bp.post("/api/v1/providers/<int:provider_id>/availability")
@report_limits
def api_report(provider_id: int):
    if (request.content_length or 0) > BODY_MAX:
        return _too_large()
    presented = bearer_token()
    if presented is None:
        return _unauthorized("token_required", gettext("Send your token: Authorization: Bearer TOKEN."))
    session = get_session()
    try:
        token = tokens.verify(session, presented, provider_id)
    except tokens.InvalidToken:
        return _unauthorized("invalid_token", gettext("The token is unknown or has been revoked."))
    except tokens.WrongProvider:
        return error_response(403, "wrong_provider", gettext("This token reports for another provider only."))
    if find_provider(session, provider_id) is None:
        return _no_provider(provider_id)
    raw = request.stream.read(BODY_MAX + 1)  # never more than one byte past the limit
    if len(raw) > BODY_MAX:
        return _too_large()
    try:
        values = validate_report(parse_json_body(raw))
    except ReportInvalid as exc:
        words = Words()
        errors = {name: words.problem(problem) for name, problem in exc.errors.items()}
        return error_response(400, "invalid_parameter", words.gettext("%(field)s %(problem)s", field=exc.field,
                                                                      problem=errors[exc.field]), exc.field,
                              errors=errors)
    report = _store(session, provider_id, token, values)
    body = report_dict(report, _current_ids(session, provider_id))
    location = url_for("reports.api_history", provider_id=provider_id)
    return jsonify(body), 201, {"Location": location}


@bp.get("/api/v1/providers/<int:provider_id>/availability")
def api_history(provider_id: int):
    session = get_session()
    if find_provider(session, provider_id) is None:
        return _no_provider(provider_id)
    current_ids, now = _current_ids(session, provider_id), utcnow()
    reports = [report_dict(r, current_ids, now) for r in history(session, provider_id, limit=HISTORY_MAX)]
    return jsonify(provider_id=provider_id, limit=HISTORY_MAX, reports=reports)


@bp.route("/providers/<int:provider_id>/availability", methods=["GET", "POST"])
@report_limits
def report_form(provider_id: int):
    if request.method == "POST" and (request.content_length or 0) > FORM_BODY_MAX:
        abort(413)
    session = get_session()
    provider = find_provider(session, provider_id)
    if provider is None:
        abort(404)
    form = AvailabilityForm()
    status = 200
    if form.validate_on_submit():
        try:
            values = validate_report(form.report_body())
            token = tokens.verify(session, form.token.data.strip(), provider_id)
        except ReportInvalid as exc:
            words = Words()
            for name, problem in exc.errors.items():
                getattr(form, name if name in FIELDS else "note").errors.append(words.problem(problem))
            status = 400
        except tokens.InvalidToken:
            form.token.errors.append(TOKEN_MESSAGES["invalid_token"])
            status = 403
        except tokens.WrongProvider:
            form.token.errors.append(TOKEN_MESSAGES["wrong_provider"])
            status = 403
        else:
            _store(session, provider_id, token, values)
            return redirect(url("views.provider_page", provider_id=provider_id), 303)
    elif form.is_submitted():
        status = 400
    return render_template("providers/availability_form.html", provider=provider, form=form,
                           availability=best_availability(provider)), status
