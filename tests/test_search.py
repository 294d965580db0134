from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from locator.availability import add_report, days_ago
from locator.models import utcnow
from locator.search import search
from locator.search_query import SearchQuery
from tests.factories import PHILLY, make_provider

HERE = SimpleNamespace(latitude=PHILLY[0], longitude=PHILLY[1], state="PA", label="19104", precision="zip")


def run(session, **params):
    params.setdefault("location", "19104")
    return search(session, SearchQuery(**params), HERE)


def names(results):
    return [r.provider.name for r in results.results]


def test_walk_in_today_beats_a_30_day_wait_a_mile_closer(session):
    make_provider(session, name="Long wait", miles_north=1,
                  report={"accepting_new_patients": True, "wait_days": 30})
    make_provider(session, name="Walk in", miles_north=2,
                  report={"accepting_new_patients": True, "wait_days": 0, "walk_in": True})
    assert names(run(session))[:2] == ["Walk in", "Long wait"]


def test_a_stale_report_counts_less_than_a_fresh_one(session):
    good = {"accepting_new_patients": True, "wait_days": 0, "walk_in": True}
    make_provider(session, name="Stale", miles_north=1, report=dict(good, age_days=120))
    make_provider(session, name="Fresh", miles_north=1.5, report=dict(good, age_days=2))
    assert names(run(session))[:2] == ["Fresh", "Stale"]


def test_a_caseworker_report_weighs_a_little_below_the_providers_own(session):
    report = {"accepting_new_patients": True, "wait_days": 3, "age_days": 3}
    make_provider(session, name="Caseworker", miles_north=1, report=dict(report, reporter_kind="caseworker"))
    make_provider(session, name="Provider", miles_north=1, report=dict(report, reporter_kind="provider"))
    assert names(run(session))[:2] == ["Provider", "Caseworker"]


def test_not_accepting_ranks_below_unknown(session):
    make_provider(session, name="Closed", miles_north=1, report={"accepting_new_patients": False})
    make_provider(session, name="Unknown", miles_north=1.2)
    assert names(run(session)) == ["Unknown", "Closed"]


def test_telehealth_only_providers_are_a_separate_group(session):
    make_provider(session, name="Clinic", miles_north=1)
    make_provider(session, name="Video", miles_north=50, settings=["telehealth"])
    make_provider(session, name="Video elsewhere", state="NJ", settings=["telehealth"])
    results = run(session)
    assert names(results) == ["Clinic"]
    assert [r.provider.name for r in results.telehealth] == ["Video"]
    assert results.telehealth[0].distance_miles is None


def test_accepting_and_max_wait_never_pass_unknown_availability(session):
    make_provider(session, name="Unknown", miles_north=1)
    make_provider(session, name="Open", miles_north=2, report={"accepting_new_patients": True, "wait_days": 5})
    make_provider(session, name="Closed", miles_north=3, report={"accepting_new_patients": False, "wait_days": 1})
    assert names(run(session, accepting=True)) == ["Open"]
    assert names(run(session, max_wait=7)) == ["Open"]
    assert names(run(session, max_wait=4)) == []


def test_values_of_one_filter_are_any_of_and_filters_are_all_of(session):
    make_provider(session, name="Bupe Medicaid", medications=["buprenorphine"], payment=["medicaid"])
    make_provider(session, name="Methadone Medicare", medications=["methadone"], payment=["medicare"])
    make_provider(session, name="Naltrexone Medicaid", medications=["naltrexone"], payment=["medicaid"])
    both = run(session, medication=("buprenorphine", "methadone"))
    assert sorted(names(both)) == ["Bupe Medicaid", "Methadone Medicare"]
    combined = run(session, medication=("buprenorphine", "methadone"), payment=("medicaid",))
    assert names(combined) == ["Bupe Medicaid"]


def test_walk_in_filter_uses_the_report_over_the_directory(session):
    make_provider(session, name="Directory says walk-in", walk_in=True)
    make_provider(session, name="Report says no", walk_in=True, report={"walk_in": False})
    assert names(run(session, walk_in=True)) == ["Directory says walk-in"]


def test_the_radius_cuts_and_the_search_widens_when_few_match(session):
    for n in range(3):
        make_provider(session, name=f"Near {n}", miles_north=5 + n)
    make_provider(session, name="Far", miles_north=30)
    results = run(session)
    assert "Far" not in names(results) and results.widened is False and results.radius_miles == 25


def test_it_widens_step_by_step_and_says_so(session):
    make_provider(session, name="Far", miles_north=40)
    results = run(session)
    assert names(results) == ["Far"] and results.widened is True and results.radius_miles == 100


def test_widening_stops_at_100_miles(session):
    make_provider(session, name="Very far", miles_north=150)
    results = run(session)
    assert names(results) == [] and results.radius_miles == 100


def test_distance_and_wait_orders(session):
    open_now = {"accepting_new_patients": True}
    make_provider(session, name="Near long wait", miles_north=1, report=dict(open_now, wait_days=20))
    make_provider(session, name="Mid walk-in", miles_north=3, report=dict(open_now, walk_in=True))
    make_provider(session, name="Far short wait", miles_north=6, report=dict(open_now, wait_days=2))
    assert names(run(session, sort="distance")) == ["Near long wait", "Mid walk-in", "Far short wait"]
    assert names(run(session, sort="soonest")) == ["Mid walk-in", "Far short wait", "Near long wait"]
    assert names(run(session, sort="wait")) == names(run(session, sort="soonest"))


# ---- time to a first dose: the promises of docs/ranking.md ----

def test_it_ranks_a_same_day_start_before_a_long_wait_a_little_closer(session):
    make_provider(session, name="Walk-in, 57 days", miles_north=2.9,
                  report={"accepting_new_patients": True, "walk_in": True, "wait_days": 57})
    make_provider(session, name="No wait", miles_north=4.4, report={"accepting_new_patients": True, "wait_days": 0})
    assert names(run(session)) == ["No wait", "Walk-in, 57 days"]


@pytest.mark.parametrize("reporter", ["provider", "caseworker", "import"])
@pytest.mark.parametrize("long_wait, short_wait, few_miles", [(14, 7, 5), (30, 2, 8), (10, 3, 4), (21, 14, 5)])
def test_a_long_wait_never_outranks_a_short_wait_a_few_miles_further(session, long_wait, short_wait, few_miles,
                                                                     reporter):
    report = {"accepting_new_patients": True, "reporter_kind": reporter, "age_days": 2}
    make_provider(session, name="Long", miles_north=0.5, report=dict(report, wait_days=long_wait))
    make_provider(session, name="Short", miles_north=0.5 + few_miles, report=dict(report, wait_days=short_wait))
    assert names(run(session)) == ["Short", "Long"]


def test_a_confirmed_same_day_start_several_miles_away_outranks_unknown_availability_next_door(session):
    make_provider(session, name="Next door", miles_north=0.1)
    make_provider(session, name="Same day", miles_north=12,
                  report={"accepting_new_patients": True, "same_day_start": True, "age_days": 1})
    assert names(run(session)) == ["Same day", "Next door"]


def test_a_stale_start_today_counts_less_than_a_fresh_wait_of_a_few_days(session):
    make_provider(session, name="Stale today", miles_north=1,
                  report={"accepting_new_patients": True, "same_day_start": True, "age_days": 150})
    make_provider(session, name="Fresh 3 days", miles_north=1, report={"accepting_new_patients": True,
                                                                      "wait_days": 3, "age_days": 1})
    assert names(run(session)) == ["Fresh 3 days", "Stale today"]


def test_it_ranks_by_the_medication_asked_for(session):
    clinic = make_provider(session, name="Clinic", miles_north=1, medications=["buprenorphine", "methadone"],
                           report={"accepting_new_patients": True, "wait_days": 21})
    add_report(session, clinic.id, reporter_kind="provider", medication="buprenorphine",
               accepting_new_patients=True, same_day_start=True, reported_at=days_ago(1))
    session.commit()
    make_provider(session, name="Other", miles_north=2, medications=["buprenorphine", "methadone"],
                  report={"accepting_new_patients": True, "wait_days": 5})
    bupe = run(session, medication=("buprenorphine",))
    assert names(bupe) == ["Clinic", "Other"]
    assert bupe.results[0].availability.medication == "buprenorphine"
    assert bupe.results[0].availability.days_to_first_dose == 0
    methadone = run(session, medication=("methadone",))
    assert names(methadone) == ["Other", "Clinic"]
    assert methadone.results[1].availability.days_to_first_dose == 21
    # None asked: the best of what each offers.
    either = run(session)
    assert names(either) == ["Clinic", "Other"] and either.results[0].availability.medication == "buprenorphine"


def test_start_within_keeps_only_known_first_doses_within_the_days(session):
    make_provider(session, name="Today", miles_north=3, report={"accepting_new_patients": True, "walk_in": True,
                                                                "first_dose_at_first_visit": True})
    make_provider(session, name="Tomorrow", miles_north=2,
                  report={"accepting_new_patients": True, "wait_days": 0, "first_dose_at_first_visit": False})
    make_provider(session, name="Week", miles_north=1, report={"accepting_new_patients": True, "wait_days": 7})
    make_provider(session, name="Unknown", miles_north=0.5)
    make_provider(session, name="Closed", miles_north=0.5, report={"accepting_new_patients": False, "wait_days": 0})
    assert names(run(session, start_within=0)) == ["Today"]
    assert names(run(session, start_within=1, sort="soonest")) == ["Today", "Tomorrow"]
    assert names(run(session, start_within=7, sort="distance")) == ["Week", "Tomorrow", "Today"]


def test_soonest_puts_known_first_doses_first_then_unknown_then_closed(session):
    make_provider(session, name="Closed", miles_north=0.2, report={"accepting_new_patients": False})
    make_provider(session, name="Unknown", miles_north=0.4)
    make_provider(session, name="Ten days", miles_north=9, report={"accepting_new_patients": True, "wait_days": 10})
    make_provider(session, name="Two days", miles_north=12, report={"accepting_new_patients": True, "wait_days": 2})
    assert names(run(session, sort="soonest")) == ["Two days", "Ten days", "Unknown", "Closed"]


def test_no_counseling_required_keeps_only_places_known_not_to_require_it(session):
    make_provider(session, name="Required", counseling_required_to_start=True)
    make_provider(session, name="Not required", counseling_required_to_start=False)
    make_provider(session, name="Unknown")
    assert names(run(session, no_counseling_required=True)) == ["Not required"]


def test_results_carry_their_reasons_as_data_in_the_order_a_person_weighs_them(session):
    make_provider(session, name="A", miles_north=3.2, payment=["medicaid", "private"], services=["peer_support"],
                  report={"accepting_new_patients": True, "wait_days": 2, "age_days": 3})
    result = run(session, payment=("medicaid",), service=("peer_support", "housing")).results[0]
    assert [r.kind for r in result.reasons] == ["distance", "first_dose", "payment", "services"]
    distance, first_dose, payment, service = result.reasons
    assert distance.miles == pytest.approx(3.2, abs=0.05)
    assert (first_dose.days, first_dose.medication, first_dose.reported_by, first_dose.age_days) == \
        (2, "buprenorphine", "provider", 3)
    assert (payment.term, service.term) == ("medicaid", "peer_support")


def test_a_stale_report_says_since_when(session):
    make_provider(session, report={"accepting_new_patients": True, "age_days": 100})
    reasons = run(session).results[0].reasons
    stale = [r for r in reasons if r.kind == "stale_since"]
    assert len(stale) == 1 and stale[0].since == (utcnow() - timedelta(days=100)).date()


def test_not_taking_new_patients_says_only_that_after_the_distance(session):
    make_provider(session, miles_north=1, walk_in=True, report={"accepting_new_patients": False, "age_days": 5})
    reasons = run(session).results[0].reasons
    assert [r.kind for r in reasons] == ["distance", "not_accepting"] and reasons[1].age_days == 5


def test_no_report_asks_to_call_and_telehealth_has_no_distance(session):
    make_provider(session, name="Video", settings=["telehealth"])
    results = run(session)
    assert [r.kind for r in results.telehealth[0].reasons] == ["no_report"]


def test_pages_and_totals(session):
    for n in range(7):
        make_provider(session, miles_north=n)
    results = run(session, per_page=3, page=3, sort="distance")
    assert (results.total, results.pages, len(results.results)) == (7, 3, 1)


@pytest.fixture
def statements(session):
    seen = []
    engine = session.get_bind()

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_loading_fifty_results_takes_a_fixed_small_number_of_statements(session, statements):
    for n in range(60):
        make_provider(session, miles_north=n / 10, report={"wait_days": n % 9})
    session.expire_all()
    statements.clear()
    results = run(session, per_page=50)
    for result in results.results:
        assert result.provider.name and result.availability is not None
    assert len(results.results) == 50
    assert len(statements) <= 4


def test_a_wide_search_far_north_reads_by_latitude_and_longitude_and_still_finds_everyone(session):
    from locator.geo import bounding_box, cells_covering
    from locator.search import MAX_CELLS

    fairbanks = SimpleNamespace(latitude=64.84, longitude=-147.72, state="AK", label="99701", precision="zip")
    assert len(cells_covering(bounding_box(fairbanks.latitude, fairbanks.longitude, 250))) > MAX_CELLS
    make_provider(session, name="Glennallen", latitude=62.11, longitude=-145.55, state="AK", zip="99588")
    make_provider(session, name="Anchorage", latitude=61.22, longitude=-149.90, state="AK", zip="99501")
    found = search(session, SearchQuery(location="99701", radius=250), fairbanks)
    assert names(found) == ["Glennallen"] and 195 < found.results[0].distance_miles < 205  # Anchorage: 259 mi


def test_a_county_starts_wider_and_a_chosen_radius_still_wins(session):
    for n in range(3):
        make_provider(session, name=f"Across the county {n}", miles_north=35 + n)
    county = SimpleNamespace(latitude=PHILLY[0], longitude=PHILLY[1], state="PA",
                             precision="county")
    wide = search(session, SearchQuery(location="Philadelphia County, PA"), county)
    assert wide.radius_miles == 50 and wide.widened is False and len(wide.results) == 3
    chosen = search(session, SearchQuery(location="Philadelphia County, PA", radius=10), county)
    assert chosen.start_miles == 10 and chosen.widened is True


def test_places_at_one_point_come_in_byte_order_of_their_names_on_every_database(session):
    for name in ("AB Clinic", "Ábaco Clinic", "a-b clinic", "A Clinic"):
        make_provider(session, name=name, miles_north=2)
    assert names(run(session, sort="distance")) == ["A Clinic", "a-b clinic", "AB Clinic", "Ábaco Clinic"]


def test_the_worked_example_of_docs_ranking_holds(session):
    make_provider(session, name="A", miles_north=12, report={"accepting_new_patients": True, "walk_in": True,
                                                             "first_dose_at_first_visit": True})
    make_provider(session, name="B", miles_north=1, report={"accepting_new_patients": True, "wait_days": 21})
    make_provider(session, name="C", miles_north=0.3)
    results = run(session, medication=("buprenorphine",))
    assert names(results) == ["A", "C", "B"]
    assert [round(r.score, 2) for r in results.results] == [0.85, 0.47, 0.25]


def test_a_directory_same_day_flag_does_not_turn_a_dated_wait_into_today(session):
    make_provider(session, name="Flagged", same_day_start=True, walk_in=True,
                  report={"accepting_new_patients": True, "wait_days": 21})
    result = run(session).results[0]
    assert result.availability.days_to_first_dose == 21
    assert names(run(session, start_within=0)) == []


def test_the_card_leads_with_the_medication_search_ranked_by_even_on_a_tie(session):
    from locator.ranking import best_availability

    clinic = make_provider(session, name="Tie", medications=["buprenorphine", "methadone"])
    add_report(session, clinic.id, reporter_kind="import", medication="buprenorphine", accepting_new_patients=True,
               wait_days=17, reported_at=days_ago(1))
    add_report(session, clinic.id, reporter_kind="caseworker", medication="methadone", accepting_new_patients=True,
               wait_days=16, reported_at=days_ago(1))
    session.commit()
    ranked = run(session).results[0].availability.medication
    session.expire_all()
    assert best_availability(clinic).medication == ranked
