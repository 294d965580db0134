"""Template filters (locator.web.filters) and the words of locator.web.wording, one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from locator.ranking import Reason
from locator.search_query import Problem
from locator.web import filters, wording


@pytest.mark.parametrize("phone,href", [("215-555-0100", "tel:+12155550100"),
                                        ("(215) 555-0100 x12", "tel:+12155550100"), ("988", "tel:988"), ("", "tel:")])
def test_a_phone_becomes_a_tel_link_with_the_country_code_for_a_us_number(phone, href):
    assert filters.tel_href(phone) == href


def test_directions_to_a_street_address_name_only_the_destination_point():
    place = SimpleNamespace(latitude=39.95, longitude=-75.19, geocode_precision="address")
    assert filters.directions_url(place) == "https://www.openstreetmap.org/directions?route=%3B39.95000%2C-75.19000"


@pytest.mark.parametrize("precision", ["zip", "city"])
def test_directions_to_a_place_known_only_by_its_zip_look_up_its_street_address(precision):
    place = SimpleNamespace(latitude=39.96, longitude=-75.2, geocode_precision=precision, name="Harbor Clinic",
                            street="3401 Walnut St", city="Philadelphia", state="PA", zip="19104")
    url = filters.directions_url(place)
    assert url == "https://www.openstreetmap.org/search?query=3401+Walnut+St%2C+Philadelphia%2C+PA+19104"
    assert "39.96" not in url  # never the ZIP's point, which can be miles from the door


@pytest.fixture
def spanish(app):
    with app.test_request_context("/?lang=es"):
        app.preprocess_request()
        yield wording.Words()


@pytest.fixture
def english(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        yield wording.Words()


def test_labels_follow_the_order_given_and_skip_unknown_keys(english):
    assert english.labels("payment", ["medicaid", "nonsense", "self_pay"]) == "Medicaid, Cash or self-pay"


def test_labels_and_states_are_worded_in_the_page_language(spanish):
    assert spanish.labels("medications", ["buprenorphine", "methadone"]) == "Buprenorfina, Metadona"
    assert spanish.state_name("PA") == "Pensilvania" and spanish.state_name("XX") == "XX"


def test_templates_word_labels_and_reasons_in_the_language_of_each_render(app):
    from flask import render_template_string
    from flask_babel import force_locale

    page = ("{{ ['medicaid', 'free']|labels('payment') }} / {{ reason|reason }} / {{ 'PA'|state_name }}"
            " / {{ _('Payment') }}")
    with app.test_request_context("/?lang=es"):
        app.preprocess_request()
        spanish = render_template_string(page, reason=Reason("distance", miles=1))
        with force_locale("en"):
            english = render_template_string(page, reason=Reason("distance", miles=1))
    assert spanish == "Medicaid, Gratis / a 1.0 millas / Pensilvania / Pago"
    assert english == "Medicaid, Free of charge / 1.0 mi away / Pennsylvania / Payment"


@pytest.mark.parametrize("reason,text", [
    (Reason("distance", miles=3.24), "3.2 mi away"),
    (Reason("no_report"), "No availability reported yet: call to ask about openings"),
    (Reason("first_dose", days=1, medication="methadone", reported_by="caseworker", age_days=0),
     "About 1 day to a first methadone dose, reported by a caseworker today"),
    (Reason("first_dose", days=3, medication="buprenorphine", reported_by="provider", age_days=1),
     "About 3 days to a first buprenorphine dose, reported by the provider yesterday"),
    (Reason("first_dose", days=0, medication="buprenorphine", hours="Mon–Fri 6–9 am", reported_by="import",
            age_days=9),
     "Can start buprenorphine today: walk-in Mon–Fri 6–9 am, reported by an imported directory 9 days ago"),
    (Reason("first_dose", days=0, medication="naltrexone", reported_by="provider", age_days=0),
     "Can start naltrexone today, reported by the provider today"),
    (Reason("walk_in", hours="Mon–Sat 6–10 am"), "Walk-in hours: Mon–Sat 6–10 am"),
    (Reason("not_accepting", reported_by="provider", age_days=2),
     "Not taking new patients, reported by the provider 2 days ago"),
    (Reason("not_accepting", medication="methadone", reported_by="provider", age_days=2),
     "Not taking new patients for methadone, reported by the provider 2 days ago"),
    (Reason("payment", term="sliding_scale"), "Accepts Sliding fee scale"),
    (Reason("languages", term="es"), "Spanish"),
])
def test_each_reason_is_one_plain_sentence(english, reason, text):
    assert english.reason(reason) == text


def test_reasons_read_in_spanish_on_spanish_pages(spanish):
    assert spanish.reason(Reason("distance", miles=2)) == "a 2.0 millas"
    first_dose = spanish.reason(Reason("first_dose", days=3, medication="methadone", reported_by="caseworker",
                                       age_days=0))
    assert first_dose.startswith("Unos 3 días hasta la primera dosis de metadona")
    assert spanish.reason(Reason("first_dose", days=0, medication="buprenorphine", reported_by="provider",
                                 age_days=0)).startswith("Puede empezar buprenorfina hoy")
    assert spanish.reason(Reason("payment", term="medicaid")) == "Acepta Medicaid"


def test_a_stale_report_names_its_month_and_the_year_only_when_it_is_not_this_one(english):
    this_year = datetime.now(UTC).year
    assert english.reason(Reason("stale_since", since=date(this_year - 1, 3, 10))) == \
        f"Availability not confirmed since March {this_year - 1}"
    assert english.reason(Reason("stale_since", since=date(this_year, 1, 5))) == \
        "Availability not confirmed since January"


def test_a_stale_month_is_in_the_page_language(spanish):
    this_year = datetime.now(UTC).year
    assert "marzo" in spanish.reason(Reason("stale_since", since=date(this_year - 1, 3, 10)))


@pytest.mark.parametrize("problem,text", [
    (Problem("out_of_range", {"low": 1, "high": 250}), "must be from 1 to 250"),
    (Problem("not_a_number", {"low": 0, "high": 365, "whole": True}), "must be a whole number from 0 to 365"),
    (Problem("not_a_number", {"low": 1, "high": 250, "whole": False}), "must be a number from 1 to 250"),
    (Problem("unknown_value", {"value": "aspirin", "category": "medications"}),
     "has an unknown value 'aspirin'; choose from Buprenorphine; Methadone; Naltrexone"),
    (Problem("unknown_sort"), "must be one of Best match; Nearest first; Soonest first dose first"),
])
def test_each_problem_is_worded(english, problem, text):
    assert english.problem(problem) == text


def test_problems_are_worded_in_spanish_with_spanish_choices(spanish):
    text = spanish.problem(Problem("unknown_value", {"value": "aspirin", "category": "medications"}))
    assert "Buprenorfina; Metadona; Naltrexona" in text and "choose" not in text


def test_for_the_api_the_choices_are_the_values_the_parameter_takes(spanish):
    text = spanish.problem(Problem("unknown_value", {"value": "cash", "category": "payment"}), keys=True)
    assert "medicaid, medicare, private" in text and "self_pay" in text and "Tarifa" not in text
    assert spanish.problem(Problem("unknown_sort"), keys=True).endswith("best, distance, soonest")
