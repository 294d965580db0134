"""Availability reports over the web: the token API, the history, the CSRF-protected form,
rate limits, and what never leaks (tokens in URLs or logs, token ids, caseworkers' names)."""

import io
import json
import logging
import re
import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from locator import create_app, db, tokens
from locator.availability import add_report, days_ago
from locator.models import AvailabilityReport, Provider, utcnow
from locator.reports_input import ReportInvalid, validate_report
from tests.factories import make_provider

GOOD = {"accepting_new_patients": True, "wait_days": 3, "walk_in": False, "same_day_start": True,
        "note": "about 3 days, taking Medicaid"}


def issue(session, **who) -> str:
    issued = tokens.issue(session, **who)
    session.commit()
    return issued.token


def post(client, provider_id, body=GOOD, token=None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(f"/api/v1/providers/{provider_id}/availability", data=data, headers=headers,
                       content_type="application/json", **kwargs)


def history(client, provider_id) -> list[dict]:
    return client.get(f"/api/v1/providers/{provider_id}/availability").get_json()["reports"]


def report_count(app) -> int:
    with app.app_context(), db.new_session() as session:
        return session.scalar(select(func.count()).select_from(AvailabilityReport))


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


# ---- the API ----

def test_it_stores_a_report_and_answers_201_with_it(client, session):
    provider = make_provider(session)
    response = post(client, provider.id, token=issue(session, provider_id=provider.id))
    assert response.status_code == 201
    body = response.get_json()
    assert {k: body[k] for k in GOOD} == GOOD
    assert body["reporter_kind"] == "provider" and body["freshness"] == "fresh" and body["current"] is True
    assert response.headers["Location"].endswith(f"/api/v1/providers/{provider.id}/availability")
    assert "token_id" not in body and "staff_name" not in body


def test_it_keeps_every_report_and_lists_the_history_newest_first(client, session):
    provider = make_provider(session, report={"accepting_new_patients": False, "age_days": 30})
    add_report(session, provider.id, reporter_kind="import", accepting_new_patients=True, reported_at=days_ago(90))
    session.commit()
    post(client, provider.id, token=issue(session, provider_id=provider.id))
    reports = history(client, provider.id)
    assert [r["freshness"] for r in reports] == ["fresh", "ageing", "stale"]
    assert [r["current"] for r in reports] == [True, False, False]
    assert [r["reporter_kind"] for r in reports] == ["provider", "provider", "import"]
    assert client.get("/api/v1/providers/424242/availability").status_code == 404


def test_a_staff_token_reports_for_any_provider_as_a_caseworker_without_naming_them(client, session):
    first, second = make_provider(session), make_provider(session)
    token = issue(session, staff_name="Dana Reyes")
    for provider in (first, second):
        assert post(client, provider.id, token=token).get_json()["reporter_kind"] == "caseworker"
    page = client.get(f"/providers/{first.id}").get_data(as_text=True)
    assert "a caseworker" in page
    text = client.get(f"/api/v1/providers/{first.id}/availability").get_data(as_text=True)
    assert "Dana" not in page and "Dana" not in text and "token" not in text


def test_no_token_is_401_with_a_bearer_challenge_and_writes_nothing(app, client, session):
    provider = make_provider(session)
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}):
        response = client.post(f"/api/v1/providers/{provider.id}/availability", json=GOOD, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["error"]["code"] == "token_required"
    assert report_count(app) == 0


def test_an_unknown_or_revoked_token_is_401_and_leaves_the_history_untouched(app, client, session):
    provider = make_provider(session)
    issued = tokens.issue(session, provider_id=provider.id)
    session.commit()
    assert post(client, provider.id, token=issued.token).status_code == 201
    assert post(client, provider.id, token=tokens.new_token()).status_code == 401
    tokens.revoke(session, issued.id)
    session.commit()
    response = post(client, provider.id, token=issued.token)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert len(history(client, provider.id)) == 1


def test_another_providers_token_is_403_and_writes_nothing(app, client, session):
    own, other = make_provider(session), make_provider(session)
    response = post(client, other.id, token=issue(session, provider_id=own.id))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "wrong_provider"
    assert report_count(app) == 0


def test_an_unknown_provider_is_404_for_a_staff_token_and_401_without_one(app, client, session):
    token = issue(session, staff_name="Dana")
    assert post(client, 424242, token=token).status_code == 404
    assert post(client, 424242).status_code == 401


BAD_BODIES = [
    (b"{not json", "body"), (b"\xff\xfe", "body"), (b"", "body"), (b"[1, 2]", "body"), (b"null", "body"),
    ({}, "accepting_new_patients"), ({**GOOD, "accepting_new_patients": "yes"}, "accepting_new_patients"),
    ({**GOOD, "accepting_new_patients": 1}, "accepting_new_patients"), ({**GOOD, "walk_in": "true"}, "walk_in"),
    ({**GOOD, "wait_days": True}, "wait_days"), ({**GOOD, "wait_days": 3.0}, "wait_days"),
    ({**GOOD, "wait_days": "3"}, "wait_days"), ({**GOOD, "wait_days": 366}, "wait_days"),
    ({**GOOD, "wait_days": -1}, "wait_days"), ({**GOOD, "note": "x" * 281}, "note"),
    ({**GOOD, "note": "a\x00b"}, "note"), ({**GOOD, "note": 5}, "note"), ({**GOOD, "colour": "red"}, "colour"),
    (b'{"accepting_new_patients": true, "wait_days": NaN}', "body"),
    (b'{"accepting_new_patients": true, "accepting_new_patients": false}', "body"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
def test_an_invalid_body_is_400_with_field_errors_and_writes_nothing(app, client, session, body, field):
    provider = make_provider(session)
    response = post(client, provider.id, body=body, token=issue(session, provider_id=provider.id))
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "invalid_parameter" and error["field"] == field and field in error["errors"]
    assert error["message"]
    assert report_count(app) == 0


def test_the_body_rules_in_plain_python():
    assert validate_report({"accepting_new_patients": False}) == {
        "accepting_new_patients": False, "walk_in": None, "same_day_start": None, "wait_days": None, "note": "",
        "medication": None, "first_dose_at_first_visit": None, "walk_in_hours": "",
        "counseling_required_to_start": None}
    assert validate_report({**GOOD, "wait_days": None, "note": "  two \n lines "})["note"] == "two lines"
    assert validate_report({**GOOD, "wait_days": 365, "note": "é" * 280})["wait_days"] == 365
    with pytest.raises(ReportInvalid) as caught:
        validate_report({"wait_days": 400, "extra": 1})
    assert set(caught.value.errors) == {"accepting_new_patients", "wait_days", "extra"}


def test_a_body_over_4_kb_is_413_and_writes_nothing(app, client, session):
    provider = make_provider(session)
    token = issue(session, provider_id=provider.id)
    big = json.dumps({**GOOD, "note": "x" * 5000})
    response = post(client, provider.id, body=big, token=token)
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"
    # No Content-Length (chunked): the actual length is checked while reading.
    response = client.post(f"/api/v1/providers/{provider.id}/availability", input_stream=io.BytesIO(big.encode()),
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                    "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert report_count(app) == 0


def test_a_flood_is_answered_429_and_only_the_allowed_reports_are_kept(app, client, session):
    app.config["REPORT_RATE_LIMIT"] = "3 per minute"
    provider = make_provider(session)
    token = issue(session, provider_id=provider.id)
    statuses = [post(client, provider.id, token=token).status_code for _ in range(6)]
    assert statuses == [201, 201, 201, 429, 429, 429]
    response = post(client, provider.id, token=token)
    assert response.get_json()["error"]["code"] == "rate_limited" and "Retry-After" in response.headers
    assert len(history(client, provider.id)) == 3


def test_each_token_has_its_own_limit_and_the_address_caps_them_all(app, session):
    app.config.update(REPORT_RATE_LIMIT="2 per minute", REPORT_ADDRESS_RATE_LIMIT="5 per minute")
    provider = make_provider(session)
    first, second = issue(session, provider_id=provider.id), issue(session, staff_name="Dana")
    here, there = ({"REMOTE_ADDR": "198.51.100.7"}, {"REMOTE_ADDR": "198.51.100.8"})
    client = app.test_client()
    assert [post(client, provider.id, token=first, environ_base=here).status_code for _ in range(3)] == [201, 201, 429]
    assert [post(client, provider.id, token=second, environ_base=here).status_code for _ in range(2)] == [201, 201]
    # The address has now used its 5: made-up tokens from it are stopped before any lookup.
    assert post(client, provider.id, token=tokens.new_token(), environ_base=here).status_code == 429
    assert post(client, provider.id, token=first, environ_base=there).status_code == 429  # the token's own limit
    assert post(client, provider.id, token=tokens.new_token(), environ_base=there).status_code == 401
    assert report_count(app) == 4


def test_the_history_is_not_rate_limited_like_writes(app, client, session):
    app.config["REPORT_RATE_LIMIT"] = "1 per minute"
    provider = make_provider(session)
    assert all(client.get(f"/api/v1/providers/{provider.id}/availability").status_code == 200 for _ in range(5))


# ---- the newest report wins, and it changes the ranking at once ----

def test_two_reports_written_at_the_same_moment_are_both_kept_and_the_last_written_wins(client, session,
                                                                                        monkeypatch):
    provider = make_provider(session)
    token = issue(session, provider_id=provider.id)
    moment = utcnow()
    monkeypatch.setattr("locator.availability.utcnow", lambda: moment)
    first = post(client, provider.id, {**GOOD, "wait_days": 10}, token=token).get_json()
    second = post(client, provider.id, {**GOOD, "wait_days": 20}, token=token).get_json()
    reports = history(client, provider.id)
    assert {r["id"] for r in reports} == {first["id"], second["id"]}
    assert [r["id"] for r in reports if r["current"]] == [second["id"]]


def test_two_reports_arriving_together_are_both_kept_and_the_newest_wins(app, session, monkeypatch):
    """Two workers, two requests at once (on PostgreSQL too): whichever commits first, the newer wins."""
    from locator import availability
    from locator.web import reports as web_reports

    provider = make_provider(session)
    token = issue(session, provider_id=provider.id)
    real_now, real_validate = availability.utcnow, web_reports.validate_report
    clock: dict[str, object] = {}
    barrier = threading.Barrier(2, timeout=10)

    def validate_then_wait(data):  # both requests are checked, then write at the same moment
        values = real_validate(data)
        barrier.wait()
        return values

    monkeypatch.setattr(availability, "utcnow", lambda: clock.get(threading.current_thread().name) or real_now())
    monkeypatch.setattr(web_reports, "validate_report", validate_then_wait)
    statuses = []

    def send(wait):
        statuses.append(post(app.test_client(), provider.id, {**GOOD, "wait_days": wait}, token=token).status_code)

    base = real_now()
    for attempt in range(6):
        names = [f"older-{attempt}", f"newer-{attempt}"]
        clock[names[0]] = base + timedelta(seconds=2 * attempt)
        clock[names[1]] = base + timedelta(seconds=2 * attempt + 1)
        threads = [threading.Thread(target=send, args=(i,), name=name) for i, name in enumerate(names)]
        if attempt % 2:
            threads.reverse()  # the newer report may start first or second
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        session.expire_all()
        assert session.get(Provider, provider.id).current_report.reported_at == clock[names[1]]
    assert statuses == [201] * 12
    assert session.scalar(select(func.count()).select_from(AvailabilityReport)) == 12


def test_a_report_changes_the_providers_rank_and_label_in_search_at_once(client, session):
    near = make_provider(session, name="Near Clinic", miles_north=1,
                         report={"accepting_new_patients": False, "age_days": 70})
    make_provider(session, name="Far Clinic", miles_north=4, report={"accepting_new_patients": True, "wait_days": 7})

    def results():
        return client.get("/api/v1/search?location=19104").get_json()["results"]

    before = results()
    assert [r["name"] for r in before] == ["Far Clinic", "Near Clinic"]
    assert before[1]["availability"]["freshness"] == "stale"
    body = {"accepting_new_patients": True, "wait_days": 0, "walk_in": True, "same_day_start": True, "note": ""}
    assert post(client, near.id, body, token=issue(session, provider_id=near.id)).status_code == 201
    after = results()
    assert [r["name"] for r in after] == ["Near Clinic", "Far Clinic"]
    label = after[0]["availability"]
    assert label["freshness"] == "fresh" and label["reported_by"] == "provider" and label["wait_days"] == 0


# ---- the HTML form ----

def test_the_form_asks_for_the_token_in_a_password_field_and_posts_to_a_plain_address(client, session):
    provider = make_provider(session)
    page = client.get(f"/providers/{provider.id}/availability?lang=es").get_data(as_text=True)
    field = re.search(r"<input[^>]*name=\"token\"[^>]*>", page).group(0)
    assert 'type="password"' in field and 'autocomplete="off"' in field
    assert f'method="post" action="/providers/{provider.id}/availability?lang=es"' in page
    assert 'name="csrf_token"' in page
    detail = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert f'href="/providers/{provider.id}/availability"' in detail
    assert client.get("/providers/424242/availability").status_code == 404


def test_the_form_stores_a_report_and_redirects_to_the_provider_with_303(app, client, session):
    provider = make_provider(session)
    token = issue(session, staff_name="Dana")
    page = client.get(f"/providers/{provider.id}/availability?lang=es").get_data(as_text=True)
    response = client.post(f"/providers/{provider.id}/availability?lang=es", data={
        "csrf_token": csrf_token(page), "accepting_new_patients": "yes", "wait_days": "14", "walk_in": "",
        "same_day_start": "no", "note": "about 14 days, taking Medicaid", "token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/providers/{provider.id}?lang=es"
    [report] = history(client, provider.id)
    assert report["reporter_kind"] == "caseworker" and report["wait_days"] == 14 and report["walk_in"] is None
    assert report["same_day_start"] is False and report["note"] == "about 14 days, taking Medicaid"
    assert "about 14 days, taking Medicaid" in client.get(f"/providers/{provider.id}").get_data(as_text=True)


def test_the_form_without_its_csrf_token_is_refused_with_400_and_writes_nothing(app, client, session):
    provider = make_provider(session)
    token = issue(session, provider_id=provider.id)
    client.get(f"/providers/{provider.id}/availability")
    response = client.post(f"/providers/{provider.id}/availability",
                           data={"accepting_new_patients": "yes", "token": token})
    assert response.status_code == 400 and "text/html" in response.content_type
    assert report_count(app) == 0


def test_the_form_shows_field_errors_accessibly_and_never_echoes_the_token(app, client, session):
    provider = make_provider(session)
    token = issue(session, provider_id=provider.id)
    page = client.get(f"/providers/{provider.id}/availability").get_data(as_text=True)
    response = client.post(f"/providers/{provider.id}/availability", data={
        "csrf_token": csrf_token(page), "wait_days": "400", "note": "x" * 300, "token": token})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and token not in page
    assert re.search(r'<input[^>]*aria-describedby="wait-hint wait_days-error"[^>]*aria-invalid="true"', page) \
        or re.search(r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="wait-hint wait_days-error"', page)
    for field in ("accepting_new_patients", "wait_days", "note"):
        assert f'id="{field}-error"' in page and f'href="#{field}"' in page
    assert report_count(app) == 0


@pytest.mark.parametrize("case", ["revoked", "other provider", "unknown"])
def test_the_form_refuses_a_bad_token_with_403_and_writes_nothing(app, client, session, case):
    provider, other = make_provider(session), make_provider(session)
    issued = tokens.issue(session, provider_id=other.id if case == "other provider" else provider.id)
    if case == "revoked":
        tokens.revoke(session, issued.id)
    session.commit()
    token = tokens.new_token() if case == "unknown" else issued.token
    page = client.get(f"/providers/{provider.id}/availability").get_data(as_text=True)
    response = client.post(f"/providers/{provider.id}/availability", data={
        "csrf_token": csrf_token(page), "accepting_new_patients": "no", "token": token})
    assert response.status_code == 403 and 'id="token-error"' in response.get_data(as_text=True)
    assert report_count(app) == 0


def test_the_form_is_rate_limited_with_an_html_page(app, client, session):
    app.config["REPORT_RATE_LIMIT"] = "2 per minute"
    provider = make_provider(session)
    token = issue(session, provider_id=provider.id)
    page = client.get(f"/providers/{provider.id}/availability").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "accepting_new_patients": "yes", "token": token}
    statuses = [client.post(f"/providers/{provider.id}/availability", data=data).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    response = client.post(f"/providers/{provider.id}/availability", data=data)
    assert "text/html" in response.content_type and "988" in response.get_data(as_text=True)
    assert client.get(f"/providers/{provider.id}/availability").status_code == 200  # reading is not limited
    assert report_count(app) == 2


# ---- what never leaks ----

def test_the_token_and_the_address_never_appear_in_a_url_or_a_log_line(app, client, session, caplog):
    app.config["REPORT_RATE_LIMIT"] = "2 per minute"
    provider = make_provider(session)
    token = issue(session, provider_id=provider.id)
    address = {"REMOTE_ADDR": "203.0.113.77"}
    loggers = [logging.getLogger("locator"), logging.getLogger("flask-limiter")]
    for logger in loggers:
        logger.propagate = True
    locations = []
    try:
        with caplog.at_level(logging.DEBUG):
            for _ in range(3):
                locations.append(post(client, provider.id, token=token, environ_base=address).headers.get("Location"))
            page = client.get(f"/providers/{provider.id}/availability").get_data(as_text=True)
            response = client.post(f"/providers/{provider.id}/availability", environ_base=address, data={
                "csrf_token": csrf_token(page), "accepting_new_patients": "yes", "token": token})
            locations.append(response.headers.get("Location"))
    finally:
        for logger in loggers:
            logger.propagate = False
    text = caplog.text + " ".join(str(getattr(r, "fields", "")) for r in caplog.records)
    assert "availability report stored" in text and "ratelimit exceeded" in text
    assert token not in text and "203.0.113.77" not in text
    assert tokens.hash_token(token) not in text
    assert not any(token in (loc or "") for loc in locations)


def limited_app(database_url, storage):
    """An app counting reports in `storage`, 2 a minute, with one provider and its token."""
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "RATELIMIT_STORAGE_URI": storage,
                      "REPORT_RATE_LIMIT": "2 per minute"})
    with app.app_context():
        db.create_schema(db.get_engine())
        with db.new_session() as session:
            provider = make_provider(session)
            token = issue(session, provider_id=provider.id)
    return app, provider, token


def test_a_redis_backed_limiter_counts_across_requests(database_url):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379", socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379 ({exc}); the memory:// limiter is tested above")
    app, provider, token = limited_app(database_url, "redis://127.0.0.1:6379")
    try:
        client = app.test_client()
        address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.0.1"}
        statuses = [post(client, provider.id, token=token, environ_base=address).status_code for _ in range(3)]
        assert statuses == [201, 201, 429]
        keys = [k.decode() for k in redis.Redis.from_url("redis://127.0.0.1:6379").keys("LIMITS*")]
        assert keys and not any(token in k or address["REMOTE_ADDR"] in k for k in keys)
    finally:
        app.extensions["locator.engine"].dispose()


def test_when_redis_is_down_the_limiter_counts_in_memory_and_says_so_without_client_details(database_url,
                                                                                           capsys):
    app, provider, token = limited_app(database_url, "redis://127.0.0.1:1")
    try:
        client = app.test_client()
        address = {"REMOTE_ADDR": "203.0.113.91"}
        statuses = [post(client, provider.id, token=token, environ_base=address).status_code for _ in range(3)]
        assert statuses == [201, 201, 429]
    finally:
        app.extensions["locator.engine"].dispose()
    logged = capsys.readouterr().err
    falling_back = [json.loads(line) for line in logged.splitlines() if "storage unreachable" in line]
    assert falling_back and falling_back[0]["level"] == "WARNING" and falling_back[0]["logger"] == "flask-limiter"
    assert "203.0.113.91" not in logged and token not in logged


# ---- per medication ----

def test_a_report_for_one_medication_changes_only_that_medication(client, session):
    provider = make_provider(session, medications=["buprenorphine", "methadone"],
                             report={"accepting_new_patients": True, "wait_days": 12, "age_days": 2})
    token = issue(session, provider_id=provider.id)
    body = {"medication": "buprenorphine", "accepting_new_patients": True, "walk_in": True,
            "first_dose_at_first_visit": True, "walk_in_hours": "Mon–Fri 6–9 am", "counseling_required_to_start": False}
    response = post(client, provider.id, body=body, token=token)
    assert response.status_code == 201, response.get_data(as_text=True)
    stored = response.get_json()
    assert stored["medication"] == "buprenorphine" and stored["days_to_first_dose"] == 0 and stored["current"]
    document = client.get(f"/api/v1/providers/{provider.id}").get_json()
    by_medication = document["availability_by_medication"]
    assert by_medication["buprenorphine"]["days_to_first_dose"] == 0
    assert by_medication["buprenorphine"]["walk_in_hours"] == "Mon–Fri 6–9 am"
    assert by_medication["methadone"]["days_to_first_dose"] == 12 and by_medication["methadone"]["wait_days"] == 12
    assert document["availability"]["medication"] == "buprenorphine"  # the best, with none asked
    assert document["counseling_required_to_start"] is False
    search = client.get("/api/v1/search?location=19104&medication=methadone").get_json()
    assert search["results"][0]["availability"]["medication"] == "methadone"
    assert search["results"][0]["availability"]["days_to_first_dose"] == 12
    page = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "Can start buprenorphine today: walk-in Mon–Fri 6–9 am" in page
    assert "How soon a first dose, by medication" in page and "Counseling before a first dose" in page


def test_an_old_client_sending_none_of_the_new_fields_reports_for_all_medications(client, session):
    provider = make_provider(session, medications=["buprenorphine", "naltrexone"])
    response = post(client, provider.id, body={"accepting_new_patients": True, "wait_days": 4},
                    token=issue(session, provider_id=provider.id))
    assert response.status_code == 201
    assert response.get_json()["medication"] is None
    document = client.get(f"/api/v1/providers/{provider.id}").get_json()
    assert {m: a["wait_days"] for m, a in document["availability_by_medication"].items()} == \
        {"buprenorphine": 4, "naltrexone": 4}


@pytest.mark.parametrize("body, field", [
    ({"accepting_new_patients": True, "medication": "aspirin"}, "medication"),
    ({"accepting_new_patients": True, "medication": 3}, "medication"),
    ({"accepting_new_patients": True, "first_dose_at_first_visit": "yes"}, "first_dose_at_first_visit"),
    ({"accepting_new_patients": True, "walk_in_hours": "x" * 101}, "walk_in_hours"),
    ({"accepting_new_patients": True, "walk_in_hours": "6\u202e-9"}, "walk_in_hours"),
    ({"accepting_new_patients": True, "counseling_required_to_start": 0}, "counseling_required_to_start"),
])
def test_bad_new_fields_are_400_naming_the_field(app, client, session, body, field):
    provider = make_provider(session)
    response = post(client, provider.id, body=body, token=issue(session, provider_id=provider.id))
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field
    assert report_count(app) == 0


def test_the_form_reports_one_medication_with_its_walk_in_hours(app, client, session):
    provider = make_provider(session, medications=["buprenorphine", "methadone"])
    token = issue(session, provider_id=provider.id)
    page = client.get(f"/providers/{provider.id}/availability").get_data(as_text=True)
    assert 'name="medication"' in page and 'name="walk_in_hours"' in page
    response = client.post(f"/providers/{provider.id}/availability", data={
        "csrf_token": csrf_token(page), "medication": "methadone", "accepting_new_patients": "yes",
        "wait_days": "2", "first_dose_at_first_visit": "no", "walk_in_hours": "Mon-Sat 6-10 am", "walk_in": "yes",
        "counseling_required_to_start": "", "token": token})
    assert response.status_code == 303
    [report] = history(client, provider.id)
    assert (report["medication"], report["days_to_first_dose"], report["walk_in_hours"]) == \
        ("methadone", 3, "Mon-Sat 6-10 am")
    bad = client.post(f"/providers/{provider.id}/availability", data={
        "csrf_token": csrf_token(page), "medication": "aspirin", "accepting_new_patients": "yes", "token": token})
    assert bad.status_code == 400 and report_count(app) == 1
