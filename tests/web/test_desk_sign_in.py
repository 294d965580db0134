"""Staff sign-in to the verification desk: accounts from the command line, sessions, lockout."""

from __future__ import annotations

import logging
import re

import pytest

from locator.problems import add_problem
from locator.staff import StaffError, create_staff, sign_in
from tests.factories import make_provider

PASSWORD = "correct horse battery"


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def dana(session):
    account = create_staff(session, "Dana@Example.org", "Dana Reyes", PASSWORD)
    session.commit()
    return account


def sign_in_as(client, email="dana@example.org", password=PASSWORD):
    page = client.get("/desk/login").get_data(as_text=True)
    return client.post("/desk/login", data={"csrf_token": csrf(page), "email": email, "password": password})


def test_the_desk_needs_a_signed_in_account(client):
    response = client.get("/desk")
    assert response.status_code == 302 and "/desk/login" in response.headers["Location"]


def test_a_right_password_opens_the_desk_and_sign_out_closes_it(client, session, dana):
    provider = make_provider(session, name="Reported Clinic")
    add_problem(session, provider.id, "phone", "disconnected")
    session.commit()
    response = sign_in_as(client)
    assert response.status_code == 303 and response.headers["Location"].endswith("/desk")
    desk = client.get("/desk")
    page = desk.get_data(as_text=True)
    assert desk.status_code == 200 and "Dana Reyes" in page and "Reported Clinic" in page
    assert desk.headers["Cache-Control"] == "no-store"
    out = client.post("/desk/logout", data={"csrf_token": csrf(page)})
    assert out.status_code == 303 and client.get("/desk").status_code == 302


def test_a_wrong_password_or_email_is_refused_alike(client, dana):
    assert sign_in_as(client, password="wrong password!").status_code == 401
    wrong_email = sign_in_as(client, email="nobody@example.org")
    assert wrong_email.status_code == 401
    assert "The email or the password is wrong." in wrong_email.get_data(as_text=True)
    assert client.get("/desk").status_code == 302


def test_repeated_failures_lock_the_account_for_a_while_with_429(client, session, dana):
    for _ in range(5):
        assert sign_in_as(client, password="not the password").status_code == 401
    locked = sign_in_as(client)  # even the right password, while locked
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_many_attempts_from_one_address_are_refused_with_429(app, client, session, dana):
    statuses = [sign_in_as(client, email=f"guess{n}@example.org").status_code for n in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(app, client, runner):
    # No session fixture here: it would hold one app context (and its g) across these requests.
    assert runner.invoke(args=["create-staff", "dana@example.org", "--name", "Dana"], input=PASSWORD).exit_code == 0
    sign_in_as(client)
    assert client.get("/desk").status_code == 200
    assert runner.invoke(args=["disable-staff", "dana@example.org"]).exit_code == 0
    assert client.get("/desk").status_code == 302
    assert sign_in_as(client).status_code == 401


def test_sign_in_and_out_are_logged_without_email_password_or_address(client, dana, caplog):
    caplog.set_level(logging.INFO)
    sign_in_as(client)
    text = " ".join(str(r.__dict__) for r in caplog.records)
    assert "staff signed in" in text
    assert "dana@example.org" not in text.lower() and PASSWORD not in text and "127.0.0.1" not in text


def test_accounts_need_an_email_a_name_and_a_long_password(session):
    for email, name, password in (("not-an-email", "X", PASSWORD), ("a@b.org", "", PASSWORD),
                                  ("a@b.org", "A", "short")):
        with pytest.raises(StaffError):
            create_staff(session, email, name, password)
    create_staff(session, "a@b.org", "A", PASSWORD)
    with pytest.raises(StaffError):
        create_staff(session, "A@B.org", "A again", PASSWORD)
    assert sign_in(session, "a@b.org", PASSWORD).password_hash.startswith("scrypt:")


def test_the_commands_read_the_password_from_a_pipe(runner, session):
    result = runner.invoke(args=["create-staff", "lee@example.org", "--name", "Lee"], input=PASSWORD + "\n")
    assert result.exit_code == 0 and "Created staff account" in result.output and PASSWORD not in result.output
    short = runner.invoke(args=["create-staff", "kim@example.org", "--name", "Kim"], input="short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    assert runner.invoke(args=["disable-staff", "lee@example.org"]).exit_code == 0
    assert runner.invoke(args=["disable-staff", "nobody@example.org"]).exit_code == 1


def test_a_copy_of_a_signed_out_session_cookie_opens_nothing(client, dana):
    sign_in_as(client)
    desk = client.get("/desk")
    copied = client.get_cookie("session").value
    client.post("/desk/logout", data={"csrf_token": csrf(desk.get_data(as_text=True))})
    client.set_cookie("session", copied)
    assert client.get("/desk").status_code == 302
