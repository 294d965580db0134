"""Start today: places that can give a first dose today, telehealth buprenorphine of the state,
then the state's bridge options; bridge options also whenever few places are near."""

from __future__ import annotations

from pathlib import Path

from locator.importers.bridges_csv import import_bridges
from tests.factories import make_provider

ROOT = Path(__file__).resolve().parents[2]
TODAY = {"accepting_new_patients": True, "walk_in": True, "first_dose_at_first_visit": True,
         "walk_in_hours": "Mon-Fri 6-9 am"}


def city(session):
    make_provider(session, name="Walk-in Today", miles_north=4, report=TODAY)
    make_provider(session, name="Week Wait", miles_north=1, report={"accepting_new_patients": True, "wait_days": 7})
    make_provider(session, name="Unknown Next Door", miles_north=0.2)
    make_provider(session, name="Video Bupe", settings=["telehealth"], state="PA")
    import_bridges(session, ROOT / "data" / "bridges.csv")


def test_start_today_lists_todays_places_then_telehealth_then_bridges(client, session):
    city(session)
    page = client.get("/search?location=19104&start_within=0").get_data(as_text=True)
    assert "Places that can start you today" in page
    assert "Walk-in Today" in page and "Week Wait" not in page and "Unknown Next Door" not in page
    assert "Can start buprenorphine today: walk-in Mon-Fri 6-9 am" in page
    order = [page.index(text) for text in ("Walk-in Today", "Video Bupe", "Other ways to start today in Pennsylvania",
                                           "Pennsylvania 24/7 Telehealth Start Line (fictional)",
                                           "Pennsylvania Emergency Department Bridge Program (fictional)")]
    assert order == sorted(order)
    assert "fictional demonstration listings" in page and "While you wait for your first dose" in page
    assert "Xanax" in page and "naloxone" in page
    assert 'href="tel:+18885550' in page


def test_a_city_with_enough_places_shows_no_bridges_unless_asked(client, session):
    city(session)
    page = client.get("/search?location=19104").get_data(as_text=True)
    assert "Other ways to start" not in page


def test_a_thin_rural_search_shows_the_states_bridges(client, session):
    import_bridges(session, ROOT / "data" / "bridges.csv")
    make_provider(session, name="Lone Clinic", miles_north=0)
    page = client.get("/search?location=19104").get_data(as_text=True)
    assert "Lone Clinic" in page and "Other ways to start soon in Pennsylvania" in page
    spanish = client.get("/search?location=19104&lang=es").get_data(as_text=True)
    assert "Otras formas de empezar pronto en Pensilvania" in spanish and "Mientras espera su primera dosis" in spanish


def test_the_api_carries_bridges_with_kind_and_phone(client, session):
    city(session)
    body = client.get("/api/v1/search?location=19104&start_within=0").get_json()
    assert [r["name"] for r in body["results"]] == ["Walk-in Today"]
    assert body["results"][0]["availability"]["days_to_first_dose"] == 0
    assert [r["name"] for r in body["telehealth"]] == ["Video Bupe"]
    kinds = [b["kind"] for b in body["bridges"]]
    assert kinds[0] == "telehealth_line" and "ed_bridge" in kinds and all(b["phone"] for b in body["bridges"])
    assert all(b["state"] == "PA" and b["demo"] for b in body["bridges"])
    assert client.get("/api/v1/search?location=19104").get_json()["bridges"] == []


def test_the_referral_packet_can_include_the_states_bridges(client, session):
    city(session)
    page = client.get("/search?location=19104&start_within=0").get_data(as_text=True)
    assert "/referrals?bridges=PA" in page or "bridges=PA" in page
    packet = client.get("/referrals?ids=1&bridges=PA").get_data(as_text=True)
    assert "Ways to start today, even when places have a wait" in packet
    assert "Pennsylvania 24/7 Telehealth Start Line (fictional)" in packet
    bad = client.get("/referrals?ids=1&bridges=ZZ").get_data(as_text=True)
    assert "Ways to start today" not in bad
    alone = client.get("/referrals?ids=&bridges=PA").get_data(as_text=True)  # no place added yet
    assert "This referral list is empty" not in alone and "Pennsylvania Treatment Access Line" in alone
    assert "bridges=PA" not in alone.split('id="share-url"')[1].split("</a>")[0]  # not in the share link
