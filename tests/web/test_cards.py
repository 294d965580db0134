"""One card, one availability wording: templates/macros/provider.html renders every result card
(results and the telehealth group) and the availability status on cards, the provider page and
the referral packet alike."""

from __future__ import annotations

import re

from tests.factories import make_provider

STATUS = re.compile(r'<p class="availability [a-z]+">.*?</p>', re.S)


def statuses(html: str) -> list[str]:
    return [" ".join(s.split()) for s in STATUS.findall(html)]


def test_a_status_reads_the_same_on_a_card_the_provider_page_and_the_packet(client, session):
    provider = make_provider(session, walk_in=True, report={"accepting_new_patients": True, "wait_days": 3,
                                                             "age_days": 20, "reporter_kind": "caseworker"})
    for lang in ("", "&lang=es"):
        card = statuses(client.get(f"/search?location=19104{lang}").get_data(as_text=True))
        page = statuses(client.get(f"/providers/{provider.id}?x=1{lang}").get_data(as_text=True))
        packet = statuses(client.get(f"/referrals?ids={provider.id}{lang}").get_data(as_text=True))
        assert len(card) == len(page) == len(packet) == 1
        assert card == page == packet
    assert "Unos 3 días hasta la primera dosis de buprenorfina" in card[0]


def test_the_english_status_says_what_when_and_how_fresh(client, session):
    provider = make_provider(session, report={"accepting_new_patients": True, "wait_days": 3, "age_days": 20})
    [status] = statuses(client.get(f"/providers/{provider.id}").get_data(as_text=True))
    assert "<strong>About 3 days to a first buprenorphine dose</strong>" in status
    assert '<span class="fresh">(getting old: confirmed ' in status
    never = make_provider(session)
    [status] = statuses(client.get(f"/providers/{never.id}").get_data(as_text=True))
    assert "Availability unknown" in status and "never confirmed: call to ask" in status


def test_results_and_the_telehealth_group_use_the_same_card(client, session):
    make_provider(session, name="Clinic <b>", name2="A & B", city="<Town>", is_demo=True)
    make_provider(session, name="Video", settings=["telehealth"], miles_north=80)
    html = client.get("/search?location=19104").get_data(as_text=True)
    cards = re.findall(r'<li class="card">.*?</li>\n?(?=<li class="card">|\s*</[ou]l>)', html, re.S)
    assert len(cards) == 2
    near, video = cards
    for card in cards:
        assert "<h3><a href=\"/providers/" in card and 'class="add-referral"' in card
        assert "Medications:" in card and 'class="availability unknown"' in card
    assert "Clinic &lt;b&gt;" in near and "A &amp; B" in near and "&lt;Town&gt;, PA 19104" in near
    assert 'class="tag">fictional<' in near and "openstreetmap.org/directions" in near
    assert " mi</strong>" in near and " mi</strong>" not in video  # telehealth serves the state: no distance
    assert "openstreetmap" not in video
