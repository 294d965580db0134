""""Something wrong?": problem reports from the public, on every provider page.

    GET/POST /providers/<id>/problem                the form (CSRF-protected, with a robot trap)
    POST     /api/v1/providers/<id>/problems        the same as JSON (no token)

No personal data is asked for or kept: no name, no contact, not the client's address (which is
only counted, as an HMAC, by the rate limit shared by both routes). A robot that fills the
trap field is thanked and nothing is stored. Staff see the reports on the desk (issue: the
verification desk); two or more about a phone or a closing put a caution on the listing
(locator.problems.cautions).
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, jsonify, redirect, render_template, request
from flask_babel import gettext

from locator.db import get_session
from locator.models import find_provider
from locator.problems import ProblemInvalid, add_problem, read_problem
from locator.reports_input import ReportInvalid, parse_json_body
from locator.web.errors import error_response
from locator.web.forms import ProblemForm
from locator.web.i18n import url
from locator.web.ratelimit import problem_limit
from locator.web.wording import Words

bp = Blueprint("problems", __name__)
log = logging.getLogger("locator.problems")
BODY_MAX = 4 * 1024  # 500 characters of details, even each escaped as \uXXXX


def _store(provider_id: int, values: dict) -> dict:
    session = get_session()
    try:
        report = add_problem(session, provider_id, **values)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    log.info("problem report stored", extra={"fields": {"provider_id": provider_id, "kind": report.kind}})
    return {"id": report.id, "provider_id": provider_id, "kind": report.kind, "details": report.details,
            "reported_at": report.reported_at.isoformat()}


@bp.route("/providers/<int:provider_id>/problem", methods=["GET", "POST"])
@problem_limit
def problem_form(provider_id: int):
    if request.method == "POST" and (request.content_length or 0) > 2 * BODY_MAX:
        abort(413)
    provider = find_provider(get_session(), provider_id)
    if provider is None:
        abort(404)
    form = ProblemForm()
    status = 200
    if form.validate_on_submit():
        if (form.website.data or "").strip():  # the robot trap: thank it, keep nothing
            return redirect(url("views.provider_page", provider_id=provider_id, reported=1), 303)
        try:
            values = read_problem(form.problem_body())
        except ProblemInvalid as exc:
            words = Words()
            for name, problem in exc.errors.items():
                getattr(form, name if name in ("kind", "details") else "details").errors.append(words.problem(problem))
            status = 400
        else:
            _store(provider_id, values)
            return redirect(url("views.provider_page", provider_id=provider_id, reported=1), 303)
    elif form.is_submitted():
        status = 400
    return render_template("providers/problem_form.html", provider=provider, form=form), status


@bp.post("/api/v1/providers/<int:provider_id>/problems")
@problem_limit
def api_problem(provider_id: int):
    if (request.content_length or 0) > BODY_MAX:
        return error_response(413, "too_large", gettext("The body is larger than %(n)s bytes.", n=BODY_MAX))
    if find_provider(get_session(), provider_id) is None:
        return error_response(404, "not_found", gettext("No provider has the id %(id)s.", id=provider_id), "id")
    raw = request.stream.read(BODY_MAX + 1)
    if len(raw) > BODY_MAX:
        return error_response(413, "too_large", gettext("The body is larger than %(n)s bytes.", n=BODY_MAX))
    try:
        values = read_problem(parse_json_body(raw))
    except ReportInvalid as exc:
        words = Words()
        errors = {name: words.problem(problem, keys=True) for name, problem in exc.errors.items()}
        return error_response(400, "invalid_parameter", words.gettext("%(field)s %(problem)s", field=exc.field,
                                                                      problem=errors[exc.field]), exc.field,
                              errors=errors)
    return jsonify(_store(provider_id, values)), 201
