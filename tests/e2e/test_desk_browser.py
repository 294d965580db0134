"""In a real browser: the public's problem form, staff sign-in, and recording a call at the desk,
each with axe finding no accessibility violations."""

from __future__ import annotations

import pytest

from locator import db
from locator.staff import create_staff, find

PASSWORD = "correct horse battery"


def axe_clean(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="module")
def staff(live_server):
    with live_server.app.app_context():
        with db.new_session() as session:
            if find(session, "desk@example.org") is None:
                create_staff(session, "desk@example.org", "Desk Tester", PASSWORD)
                session.commit()
    return "desk@example.org"


def sign_in(page, live_server, staff, password=PASSWORD) -> None:
    page.goto(f"{live_server}/desk/login")
    page.get_by_label("Email").fill(staff)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_person_reports_a_dead_number_from_the_provider_page(live_server, page):
    provider_id = live_server.provider_ids[5]
    page.goto(f"{live_server}/providers/{provider_id}")
    page.get_by_role("link", name="Something wrong?").click()
    axe_clean(page)
    page.get_by_role("button", name="Send").click()  # nothing chosen: told what to fix
    assert page.get_by_role("alert").is_visible()
    axe_clean(page)
    page.get_by_label("The phone number does not work").check()
    page.get_by_label("Details (optional)").fill("It rang out twice this morning")
    page.get_by_role("button", name="Send").click()
    assert page.url.startswith(f"{live_server}/providers/{provider_id}")
    assert "our staff will check this listing" in page.get_by_role("status").inner_text()


def test_staff_sign_in_refuses_a_wrong_password_then_opens_the_desk(live_server, page, staff):
    sign_in(page, live_server, staff, password="not the password")
    assert "The email or the password is wrong." in page.content()
    axe_clean(page)
    sign_in(page, live_server, staff)
    assert page.get_by_role("heading", name="Verification desk").is_visible()
    assert page.locator("svg[role=img]").count() == 1
    axe_clean(page)


def test_recording_a_call_updates_the_listing_and_the_public_page(live_server, page, staff):
    sign_in(page, live_server, staff)
    provider_id = live_server.provider_ids[4]  # the methadone clinic
    page.goto(f"{live_server}/desk/providers/{provider_id}")
    axe_clean(page)
    page.get_by_label("Reached someone").check()
    page.get_by_label("For which medication?").select_option("methadone")
    page.get_by_label("Taking new patients now?").select_option("yes")
    page.get_by_label("Wait for a first appointment, in days").fill("2")
    page.get_by_label("Phone number", exact=True).check()
    page.get_by_role("button", name="Save the call").click()
    assert page.get_by_role("status").inner_text() == "Saved."
    assert "Reached someone" in page.locator("table.history").inner_text()
    axe_clean(page)
    page.goto(f"{live_server}/providers/{provider_id}")
    assert "Phone checked today by our staff" in page.content()


def test_a_call_with_a_mistake_is_explained_accessibly(live_server, page, staff):
    sign_in(page, live_server, staff)
    page.goto(f"{live_server}/desk/providers/{live_server.provider_ids[3]}")
    page.get_by_role("button", name="Save the call").click()
    assert "Choose how the call went." in page.get_by_role("alert").first.inner_text()
    axe_clean(page)


def confirmation_link(live_server, provider_index: int) -> str:
    from locator import confirmations
    from locator.models import Provider

    app = live_server.app
    with app.app_context():
        with db.new_session() as session:
            provider = session.get(Provider, live_server.provider_ids[provider_index])
            provider.contact_email = "intake@example.org"
            request = confirmations.new_request(session, provider)
            session.commit()
            return f"{live_server}/confirm/{confirmations.make_token(app.config['SECRET_KEY'], request)}"


def test_a_provider_confirms_in_one_tap_and_the_link_then_stops_working(live_server, page):
    link = confirmation_link(live_server, 6)
    page.goto(link)
    axe_clean(page)
    page.get_by_label("About how many days to a first dose?").fill("3")
    page.get_by_role("button", name="Still taking new patients").click()
    assert page.get_by_role("heading", name="Thank you").is_visible()
    axe_clean(page)
    page.goto(link)
    assert "This link has already been used" in page.content()
    axe_clean(page)
    shown = page.request.get(f"{live_server}/api/v1/providers/{live_server.provider_ids[6]}").json()["availability"]
    assert (shown["wait_days"], shown["reported_by"]) == (3, "provider")


def test_something_changed_opens_the_whole_form_prefilled(live_server, page):
    page.goto(confirmation_link(live_server, 7))
    page.get_by_role("button", name="Something changed").click()
    axe_clean(page)
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Thank you").is_visible()
