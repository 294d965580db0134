"""Honest distances, directions to the door, withheld addresses and listing notes on the pages
and in the API; places at one point ordered by availability, then name."""

from __future__ import annotations

from types import SimpleNamespace

from locator.search import search
from locator.search_query import SearchQuery
from tests.factories import PHILLY, make_provider

HERE = SimpleNamespace(latitude=PHILLY[0], longitude=PHILLY[1], state="PA", label="19104", precision="zip")


def test_a_distance_from_a_zip_point_says_it_is_approximate(client, session):
    make_provider(session, name="Zip Clinic", miles_north=1.2, geocode_precision="zip")
    make_provider(session, name="Door Clinic", miles_north=2.4, geocode_precision="address")
    page = client.get("/search?location=19104&sort=distance").get_data(as_text=True)
    assert "<strong>about 1.2 mi (ZIP area)</strong>" in page and "<strong>2.4 mi</strong>" in page
    assert "about 1.2 mi away (ZIP area)" in page
    spanish = client.get("/search?location=19104&sort=distance&lang=es").get_data(as_text=True)
    assert "unas 1.2 millas (zona del código postal)" in spanish
    results = client.get("/api/v1/search?location=19104&sort=distance").get_json()["results"]
    assert [(r["name"], r["distance_precision"]) for r in results] == [("Zip Clinic", "zip"),
                                                                        ("Door Clinic", "address")]
    assert results[0]["reason_details"][0] == {"kind": "distance", "miles": 1.2, "precision": "zip"}


def test_directions_go_to_the_street_address_when_only_the_zip_point_is_known(client, session):
    provider = make_provider(session, name="Zip Clinic", street="3401 Walnut St", geocode_precision="zip")
    for page in (client.get("/search?location=19104").get_data(as_text=True),
                 client.get(f"/providers/{provider.id}").get_data(as_text=True)):
        assert "openstreetmap.org/search?query=3401+Walnut+St%2C+Philadelphia%2C+PA+19104" in page
        assert "openstreetmap.org/directions" not in page


def test_a_withheld_address_says_so_and_offers_no_directions(client, session):
    provider = make_provider(session, name="Quiet Clinic", street="- - -")
    for path in ("/search?location=19104", f"/providers/{provider.id}", f"/referrals?ids={provider.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "Address not published: call for directions." in page, path
        assert "- - -" not in page and "openstreetmap" not in page, path
    spanish = client.get(f"/providers/{provider.id}?lang=es").get_data(as_text=True)
    assert "Dirección no publicada: llame para saber cómo llegar." in spanish


def test_a_certified_otp_listed_under_methadone_says_to_call_to_confirm(client, session):
    provider = make_provider(session, name="OTP Clinic", medications=["methadone"],
                             data_notes=["methadone_by_certification"])
    for path in ("/search?location=19104", f"/providers/{provider.id}", f"/referrals?ids={provider.id}"):
        page = client.get(path).get_data(as_text=True)
        assert "Certified opioid treatment program: methadone is normally offered; call to confirm." in page, path
    assert "normalmente ofrece metadona" in client.get(f"/providers/{provider.id}?lang=es").get_data(as_text=True)
    assert client.get(f"/api/v1/providers/{provider.id}").get_json()["data_notes"] == ["methadone_by_certification"]


def test_places_at_one_point_come_by_availability_then_name_never_by_id(session):
    point = {"latitude": PHILLY[0] + 0.01, "longitude": PHILLY[1], "geocode_precision": "zip"}
    for name in ("Zeta Clinic", "alpha clinic", "Mid Clinic"):  # created in this order: ids ascend
        make_provider(session, name=name, **point)
    make_provider(session, name="Open Now", report={"accepting_new_patients": True, "walk_in": True}, **point)
    for sort in ("distance", "wait", "best"):
        found = [r.provider.name for r in search(session, SearchQuery(location="19104", sort=sort), HERE).results]
        assert found == ["Open Now", "alpha clinic", "Mid Clinic", "Zeta Clinic"], sort


def test_the_directions_link_names_its_place_to_a_screen_reader(client, session):
    make_provider(session, name="Door Clinic", geocode_precision="address")
    page = client.get("/search?location=19104").get_data(as_text=True)
    assert 'aria-label="Directions to Door Clinic (opens an outside map)">Directions</a>' in page
    spanish = client.get("/search?location=19104&lang=es").get_data(as_text=True)
    assert "Cómo llegar a Door Clinic (abre un mapa externo)" in spanish


def test_a_county_search_starts_at_fifty_miles_and_says_so_in_the_form(client):
    body = client.get("/api/v1/search?location=Cook+County,+IL").get_json()
    assert body["query"]["location"]["precision"] == "county" and body["radius_miles"] >= 50
    page = client.get("/search?location=Cook+County,+IL").get_data(as_text=True)
    assert '<option value="50" selected>' in page and '<option value="25" selected>' not in page


def test_a_far_approximate_distance_is_given_in_whole_miles_and_the_placing_in_words(client, session):
    provider = make_provider(session, name="Zip Clinic", miles_north=3.4, geocode_precision="zip")
    page = client.get("/search?location=19104").get_data(as_text=True)
    assert "<strong>about 3 mi (ZIP area)</strong>" in page and "about 3 mi away (ZIP area)" in page
    provider.geocode_precision, provider.location_source = "address", "state-list-2026.csv"
    session.commit()
    detail = client.get(f"/providers/{provider.id}").get_data(as_text=True)
    assert "from a list of geocoded addresses" in detail and "state-list-2026.csv" not in detail
