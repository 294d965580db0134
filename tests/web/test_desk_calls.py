"""The desk at work: the worklist, a listing's page, recording a call and what the public then sees."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from locator import db
from locator.desk_models import AuditEntry, DeskCall
from locator.models import AvailabilityReport, Provider
from locator.problems import add_problem
from locator.staff import create_staff
from tests.factories import make_provider

PASSWORD = "correct horse battery"

# No `session` fixture in this module: it would hold one app context (and Flask-Login's user in
# its g) across requests. Data is written in a context of its own.


@contextmanager
def database(app):
    with app.app_context():
        with db.new_session() as session:
            yield session


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.fixture
def listing(app):
    with database(app) as session:
        create_staff(session, "ana@example.org", "Ana Ruiz", PASSWORD)
        provider = make_provider(session, name="Kensington Recovery", phone="215-555-0142",
                                 intake_phone="215-555-0199", medications=["buprenorphine", "methadone"])
        add_problem(session, provider.id, "phone", "rang out")
        session.commit()
        return provider.id


@pytest.fixture
def signed_in(client, listing):
    page = client.get("/desk/login").get_data(as_text=True)
    client.post("/desk/login", data={"csrf_token": csrf(page), "email": "ana@example.org", "password": PASSWORD})
    return client


def record(client, provider_id, **fields):
    page = client.get(f"/desk/providers/{provider_id}").get_data(as_text=True)
    return client.post(f"/desk/providers/{provider_id}", data={"csrf_token": csrf(page), **fields})


def test_a_listing_page_needs_a_signed_in_account(client, listing):
    assert client.get(f"/desk/providers/{listing}").status_code == 302
    token = csrf(client.get("/desk/login").get_data(as_text=True))
    response = client.post(f"/desk/providers/{listing}", data={"csrf_token": token, "outcome": "no_answer"})
    assert response.status_code == 302


def test_the_worklist_puts_the_reported_listing_first_and_opens_its_page(signed_in, listing):
    front = signed_in.get("/desk").get_data(as_text=True)
    assert "Kensington Recovery" in front and "Problem reported" in front
    assert f'href="/desk/providers/{listing}"' in front
    page = signed_in.get(f"/desk/providers/{listing}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "tel:+12155550199" in text and "How many days until a new patient can get a first dose?" in text
    assert "rang out" in text


def test_recording_a_reached_call_shows_the_answers_and_checked_dates_to_the_public(app, signed_in, listing):
    response = record(signed_in, listing, outcome="reached", medication="methadone", accepting_new_patients="yes",
                      wait_days="2", first_dose_at_first_visit="yes", walk_in_hours="Mon-Fri 6-9 am",
                      note="Call the intake line first", verified=["phone", "medications"])
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/desk/providers/{listing}?recorded=1")
    public = signed_in.get(f"/providers/{listing}").get_data(as_text=True)
    assert "Phone checked today by our staff" in public and "Medications checked today by our staff" in public
    assert "Call the intake line first" in public
    document = signed_in.get(f"/api/v1/providers/{listing}").get_json()
    assert document["verified"]["phone"] is not None and document["verified"]["address"] is None
    assert document["verified_by"]["medications"] == "staff"
    assert document["availability_by_medication"]["methadone"]["wait_days"] == 2
    with database(app) as session:
        report = session.scalars(select(AvailabilityReport)).one()
        assert (report.reporter_kind, report.medication, report.staff_id) == ("caseworker", "methadone", 1)
        assert session.scalars(select(AuditEntry.action)).all()[-1] == "call_recorded"


def test_a_wrong_number_tells_the_public_to_use_the_intake_line_or_the_helpline(signed_in, listing):
    assert record(signed_in, listing, outcome="wrong_number").status_code == 303
    public = signed_in.get(f"/providers/{listing}").get_data(as_text=True)
    assert "the main number does not work: call the intake line" in public and "1-800-662-4357" in public
    assert signed_in.get(f"/api/v1/providers/{listing}").get_json()["phone_not_working_since"] is not None


def test_closing_takes_the_listing_out_of_search_and_reopening_brings_it_back(signed_in, listing):
    def found():
        return [r["id"] for r in signed_in.get("/api/v1/search?location=19104").get_json()["results"]]

    assert found() == [listing]
    page = signed_in.get(f"/desk/providers/{listing}").get_data(as_text=True)
    empty = signed_in.post(f"/desk/providers/{listing}/status", data={"csrf_token": csrf(page), "action": "close"})
    assert empty.status_code == 400 and "Say why the listing is closed." in empty.get_data(as_text=True)
    closed = signed_in.post(f"/desk/providers/{listing}/status",
                            data={"csrf_token": csrf(page), "action": "close", "reason": "Moved to Camden"})
    assert closed.status_code == 303 and found() == []
    assert "this place has closed" in signed_in.get(f"/providers/{listing}").get_data(as_text=True)
    assert "Moved to Camden" in signed_in.get(f"/desk/providers/{listing}").get_data(as_text=True)
    signed_in.post(f"/desk/providers/{listing}/status", data={"csrf_token": csrf(page), "action": "reopen"})
    assert found() == [listing]


def test_problem_reports_are_resolved_from_the_listing_page(app, signed_in, listing):
    page = signed_in.get(f"/desk/providers/{listing}").get_data(as_text=True)
    report_id = re.search(r'name="report" value="(\d+)"', page).group(1)
    response = signed_in.post(f"/desk/providers/{listing}/problems",
                              data={"csrf_token": csrf(page), "report": [report_id]})
    assert response.status_code == 303
    assert "rang out" not in signed_in.get("/desk").get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({}, "Choose how the call went."),
    ({"outcome": "reached", "wait_days": "3"}, "Say whether they take new patients"),
    ({"outcome": "reached", "accepting_new_patients": "yes", "wait_days": "many"}, "Enter a number of days"),
    ({"outcome": "no_answer", "verified": ["phone"]}, "only be confirmed on a call that reached someone"),
    ({"outcome": "wrong_number", "accepting_new_patients": "yes"}, "only be recorded from a call that reached"),
])
def test_a_call_with_a_mistake_is_shown_again_and_nothing_is_written(app, signed_in, listing, fields, message):
    response = record(signed_in, listing, **fields)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with database(app) as session:
        assert session.scalars(select(DeskCall)).all() == [] and session.scalars(select(AvailabilityReport)).all() == []


def test_a_call_without_the_forms_token_is_refused(app, signed_in, listing):
    response = signed_in.post(f"/desk/providers/{listing}", data={"outcome": "no_answer"})
    assert response.status_code == 400
    with database(app) as session:
        assert session.scalars(select(DeskCall)).all() == []


def test_the_contact_email_is_set_from_the_desk_and_never_shown_to_the_public(app, signed_in, listing):
    page = signed_in.get(f"/desk/providers/{listing}").get_data(as_text=True)
    bad = signed_in.post(f"/desk/providers/{listing}/contact",
                         data={"csrf_token": csrf(page), "contact_email": "nope", "contact_language": "en"})
    assert bad.status_code == 400 and "Enter an email address" in bad.get_data(as_text=True)
    signed_in.post(f"/desk/providers/{listing}/contact",
                   data={"csrf_token": csrf(page), "contact_email": "Intake@Kensington.example",
                         "contact_language": "es"})
    with database(app) as session:
        provider = session.get(Provider, listing)
        assert (provider.contact_email, provider.contact_language) == ("intake@kensington.example", "es")
    assert "kensington.example" not in signed_in.get(f"/providers/{listing}").get_data(as_text=True)
    assert "kensington.example" not in signed_in.get(f"/api/v1/providers/{listing}").get_data(as_text=True)


def test_the_worklist_filters_by_state_and_a_missing_page_is_404(signed_in, listing):
    assert "Kensington Recovery" not in signed_in.get("/desk?state=NJ").get_data(as_text=True)
    assert "Kensington Recovery" in signed_in.get("/desk?state=PA&medication=methadone").get_data(as_text=True)
    assert signed_in.get("/desk?page=0").status_code == 404
    assert signed_in.get("/desk?state=%00&county=" + "x" * 500).status_code == 200


@pytest.mark.parametrize("path", ["/desk?county=%00x", "/desk?source=%00", "/desk?county=Phila%01delphia"])
def test_control_characters_in_the_filters_are_dropped_not_an_error(signed_in, listing, path):
    assert signed_in.get(path).status_code == 200


def test_a_reason_with_control_characters_or_too_long_is_refused(app, signed_in, listing):
    page = signed_in.get(f"/desk/providers/{listing}").get_data(as_text=True)
    for reason in ("closed\x00", "x" * 201):
        response = signed_in.post(f"/desk/providers/{listing}/status",
                                  data={"csrf_token": csrf(page), "action": "close", "reason": reason})
        assert response.status_code == 400
    assert record(signed_in, listing, outcome="closed", note="moved\x00").status_code == 400
    bad_email = signed_in.post(f"/desk/providers/{listing}/contact", data={
        "csrf_token": csrf(page), "contact_email": "a\x00@b.example", "contact_language": "en"})
    assert bad_email.status_code == 400
    with database(app) as session:
        provider = session.get(Provider, listing)
        assert (provider.closed_at, provider.contact_email) == (None, "")


def test_a_number_staff_found_not_working_is_flagged_on_cards_packets_and_texts(app, signed_in, listing):
    record(signed_in, listing, outcome="wrong_number")
    with database(app) as session:
        provider = session.get(Provider, listing)
        provider.intake_phone = ""  # only the main number, which does not work
        session.commit()
    results = signed_in.get("/search?location=19104").get_data(as_text=True)
    assert "this number does not work: call the helpline" in results
    packet = signed_in.get(f"/referrals?ids={listing}").get_data(as_text=True)
    assert "staff found this number not working" in packet


def test_closing_a_closed_listing_again_keeps_the_day_it_was_first_found_closed(app, signed_in, listing):
    page = signed_in.get(f"/desk/providers/{listing}").get_data(as_text=True)
    signed_in.post(f"/desk/providers/{listing}/status", data={"csrf_token": csrf(page), "action": "close",
                                                              "reason": "Moved"})
    with database(app) as session:
        first = session.get(Provider, listing).closed_at
    record(signed_in, listing, outcome="closed", note="Still closed, sign on the door")
    with database(app) as session:
        provider = session.get(Provider, listing)
        assert (provider.closed_at, provider.closed_reason) == (first, "Still closed, sign on the door")
