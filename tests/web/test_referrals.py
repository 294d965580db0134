"""Referral pages: /referrals, /referrals.pdf and /referrals.csv, and the links that build a list."""

from __future__ import annotations

import io
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from locator.importers import import_file, read_providers_csv
from locator.importers.base import RowError
from locator.referrals import MAX_IDS, qr_svg
from locator.web import referral_links
from locator.web import referrals as web_referrals
from tests.factories import make_provider


def seed(session, count: int) -> tuple[list[int], list[str]]:
    ids, phones = [], []
    for n in range(count):
        provider = make_provider(
            session, miles_north=n / 2, phone=f"215-555-01{n:02d}", hours="Mon-Fri 8:00-17:00; Sat 9:00-12:00",
            payment=["medicaid", "private", "self_pay"], medications=["buprenorphine", "naltrexone"], is_demo=True,
            intake_phone="267-555-0199" if n % 3 == 0 else "",
            report={"accepting_new_patients": n % 4 != 1, "wait_days": n, "age_days": 3 + n * 6})
        ids.append(provider.id)
        phones.append(provider.phone)
    return ids, phones


def joined(ids) -> str:
    return ",".join(str(i) for i in ids)


def text(response) -> str:
    return response.get_data(as_text=True)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


class Inputs(HTMLParser):
    """Every <input>, with whether it sits inside a <form>."""

    def __init__(self):
        super().__init__()
        self.forms = 0
        self.inputs: list[tuple[dict, bool]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.forms += 1
        elif tag == "input":
            self.inputs.append((dict(attrs), self.forms > 0))

    def handle_endtag(self, tag):
        if tag == "form":
            self.forms -= 1


@pytest.mark.parametrize("count", [1, 5, 12])
def test_it_renders_a_packet_with_every_phone(client, session, count):
    ids, phones = seed(session, count)
    response = client.get(f"/referrals?ids={joined(ids)}")
    assert response.status_code == 200
    page = text(response)
    assert page.count('class="ref"') == count
    for phone in phones:
        assert phone in page and f"tel:+1{phone.replace('-', '')}" in page
    assert "confirmed" in page and "Ask when you call" in page and "Appointment date" in page
    assert "988" in page and "1-800-662-4357" in page and "911" in page and "Naloxone" in page
    assert "Printed" in page and "referrals.css" in page and "referrals.js" in page


def test_the_packet_keeps_the_order_asked_for(client, session):
    ids, phones = seed(session, 3)
    page = text(client.get(f"/referrals?ids={joined(reversed(ids))}"))
    positions = [page.index(f">{phone}<") for phone in reversed(phones)]
    assert positions == sorted(positions)


def test_unknown_ids_are_named_and_the_others_kept(client, session):
    ids, phones = seed(session, 2)
    response = client.get(f"/referrals?ids={ids[0]},99998,{ids[1]},99999")
    assert response.status_code == 200
    page = text(response)
    assert "99998, 99999" in page and 'role="alert"' in page and "The other providers are kept" in page
    assert phones[0] in page and phones[1] in page
    assert f'href="http://localhost/referrals?ids={ids[0]},{ids[1]}"' in page  # the share link keeps the valid ones


def test_only_unknown_ids_explain_how_to_add(client):
    page = text(client.get("/referrals?ids=4242"))
    assert "4242" in page and "This referral list is empty" in page


def test_an_empty_list_explains_how_to_add_providers(client):
    response = client.get("/referrals")
    assert response.status_code == 200
    page = text(response)
    assert "This referral list is empty" in page and "Add to referral list" in page
    assert 'class="packet' not in page


@pytest.mark.parametrize("path", ["/referrals", "/referrals.pdf", "/referrals.csv"])
def test_too_many_ids_is_a_clear_400(client, path):
    response = client.get(path + "?ids=" + joined(range(1, 52)))
    assert response.status_code == 400
    assert "at most 50 providers" in text(response)


@pytest.mark.parametrize("path", ["/referrals", "/referrals.pdf", "/referrals.csv"])
def test_malformed_ids_are_a_clear_400(client, path):
    response = client.get(path + "?ids=12,twelve,3")
    assert response.status_code == 400
    page = text(response)
    assert "“twelve” is not a provider number" in page and "ids=12,40,7" in page
    assert "988" in page  # the crisis lines are on every page


def test_the_qr_code_encodes_the_live_list(app, client, session):
    ids, _ = seed(session, 2)
    page = text(client.get(f"/referrals?ids={ids[1]},{ids[0]}&lang=es&back=/search%3Flocation%3D19104"))
    with app.test_request_context(f"/referrals?ids={ids[1]},{ids[0]}&lang=es&back=/search&near=19104"):
        live = referral_links.live_url([ids[1], ids[0]])
    assert live == f"http://localhost/referrals?ids={ids[1]},{ids[0]}&lang=es"  # absolute, no `back`, no `near`
    svg = re.search(r'<svg viewBox="[^"]+" class="segno">.*?</svg>', page, re.S).group(0)
    assert svg == qr_svg(live, title=re.search(r"<title>(.*?)</title>", svg).group(1))


def test_the_client_name_field_has_no_name_and_no_form(client, session):
    ids, _ = seed(session, 2)
    page = text(client.get(f"/referrals?ids={joined(ids)}"))
    parser = Inputs()
    parser.feed(page)
    fields = {attrs.get("id"): (attrs, in_form) for attrs, in_form in parser.inputs}
    attrs, in_form = fields["client-name"]
    assert "name" not in attrs and not in_form and attrs.get("autocomplete") == "off"
    assert all("name" not in attrs for attrs, _ in parser.inputs) and "<form" not in page
    assert 'id="client-name-print"' in page


def test_the_page_needs_no_inline_script_or_style(client, session):
    ids, _ = seed(session, 1)
    page = text(client.get(f"/referrals?ids={joined(ids)}"))
    assert "style=" not in page and "<style" not in page
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None


def test_the_manage_links_make_the_next_list(client, session):
    ids, _ = seed(session, 3)
    page = text(client.get(f"/referrals?ids={joined(ids)}&back=/search%3Flocation%3D19104"))
    a, b, c = ids
    assert f'href="/referrals?ids={b},{a},{c}&amp;back=/search?location%3D19104"' in page  # move the first down
    assert f'href="/referrals?ids={a},{c},{b}&amp;back=/search?location%3D19104"' in page  # move the last up
    assert f'href="/referrals?ids={b},{c}&amp;back=/search?location%3D19104"' in page  # remove the first
    assert f'href="/search?location=19104&amp;list={a},{b},{c}"' in page  # back to search, carrying the list


@pytest.mark.parametrize("back", ["https://example.org/x", "//example.org/x", "/admin", "/\\example.org"])
def test_back_never_leads_off_the_site(client, session, back):
    ids, _ = seed(session, 1)
    page = text(client.get("/referrals", query_string={"ids": str(ids[0]), "back": back}))
    assert not re.search(r'href="(https?://(?!localhost/)|//|/\\|/admin)', page)
    assert f'<a href="/?list={ids[0]}">Back to search' in page


def test_both_languages_stand_side_by_side(client, session):
    ids, _ = seed(session, 1)
    page = text(client.get(f"/referrals?ids={ids[0]}&lang=both"))
    assert 'class="packet langs-2"' in page
    assert 'lang="en"' in page and 'lang="es"' in page
    assert "Buprenorphine" in page and "Buprenorfina" in page
    spanish = text(client.get(f"/referrals?ids={ids[0]}&lang=es"))
    assert "Buprenorfina" in spanish and 'class="packet langs-1"' in spanish


def test_each_column_of_a_bilingual_packet_is_in_its_own_language(client, session):
    ids, _ = seed(session, 1)
    page = text(client.get(f"/referrals?ids={ids[0]}&lang=both"))
    english = page[page.index('<div class="head-lang" lang="en">'):page.index('<div class="head-lang" lang="es">')]
    spanish = page[page.index('<div class="head-lang" lang="es">'):]
    assert "Places to start treatment" in english and "Lugares para empezar el tratamiento" not in english
    assert "Lugares para empezar el tratamiento" in spanish.split("</div>")[0]
    assert "Call before you go" not in spanish.split("</div>")[0]


def test_result_cards_and_provider_pages_link_to_the_list(client, session):
    ids, _ = seed(session, 2)
    results = text(client.get(f"/search?location=19104&list={ids[1]}"))
    assert f"/referrals?ids={ids[1]},{ids[0]}&amp;back=/search?location%3D19104%26list%3D{ids[1]}" in results
    assert "Add to referral list" in results
    provider = text(client.get(f"/providers/{ids[0]}"))
    assert f'href="/referrals?ids={ids[0]}&amp;back=/providers/{ids[0]}"' in provider
    bad_list = text(client.get("/search?location=19104&list=zzz"))
    assert f"/referrals?ids={ids[0]}&amp;back=" in bad_list


@pytest.mark.parametrize("query", ["", "&list=4000,9000", "&list=4000,9000&lang=es", "&list=zzz", "&per_page=5",
                                   "&list=" + ",".join(str(n) for n in range(1000, 1020))])
def test_each_card_adds_its_provider_to_the_list_and_comes_back_here(client, session, query):
    from urllib.parse import parse_qs, urlsplit

    ids, _phones = seed(session, 3)
    page = text(client.get(f"/search?location=19104{query}"))
    links = re.findall(r'<p class="add-referral"><a href="([^"]+)"', page)
    assert len(links) == 3
    kept = parse_qs(urlsplit(f"/search?location=19104{query}").query).get("list", [""])[0]
    kept_ids = [int(i) for i in kept.split(",")] if kept.replace(",", "").isdigit() else []
    added = set()
    for link in links:
        parts = urlsplit(unescape(link))
        values = parse_qs(parts.query)
        *before, provider_id = [int(i) for i in values["ids"][0].split(",")]
        assert parts.path == "/referrals" and before == kept_ids and provider_id in ids
        assert values["back"] == [f"/search?location=19104{query}"]
        assert values.get("lang") == (["es"] if "lang=es" in query else None)
        added.add(provider_id)
    assert added == set(ids)


def test_a_full_list_adds_nothing_more(client, session):
    from urllib.parse import parse_qs, urlsplit

    _ids, _phones = seed(session, 1)
    full = ",".join(str(n) for n in range(100, 100 + MAX_IDS))
    page = text(client.get(f"/search?location=19104&list={full}"))
    link = unescape(re.search(r'<p class="add-referral"><a href="([^"]+)"', page).group(1))
    assert parse_qs(urlsplit(link).query)["ids"] == [full]


@pytest.mark.parametrize("count, most_pages", [(1, 1), (5, 1), (12, 2)])
def test_the_pdf_parses_and_has_every_phone(client, session, count, most_pages):
    ids, phones = seed(session, count)
    response = client.get(f"/referrals.pdf?ids={joined(ids)}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages, content = pdf_text(response.data)
    assert 1 <= pages <= most_pages
    for phone in phones:
        assert phone in content
    assert "confirmed" in content and "1-800-662-4357" in content and "988" in content
    assert "Move up" not in content and "Remove" not in content


def test_the_pdf_is_a4_when_asked(client, session):
    ids, _ = seed(session, 1)
    box = PdfReader(io.BytesIO(client.get(f"/referrals.pdf?ids={ids[0]}&paper=a4").data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    box = PdfReader(io.BytesIO(client.get(f"/referrals.pdf?ids={ids[0]}").data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_an_empty_pdf_explains_instead(client):
    response = client.get("/referrals.pdf")
    assert response.status_code == 400 and "This referral list is empty" in text(response)


@pytest.mark.parametrize("kind, words", [("libraries", "Pango"), ("failed", "stopped with an error")])
def test_without_weasyprint_the_pdf_page_offers_printing(client, session, monkeypatch, kind, words):
    ids, _ = seed(session, 2)

    def unavailable(*_args):
        raise web_referrals.PdfUnavailable(kind)

    monkeypatch.setattr(web_referrals, "render_pdf", unavailable)
    response = client.get(f"/referrals.pdf?ids={joined(ids)}")
    assert response.status_code == 503
    page = text(response)
    assert words in page and "Print" in page and f'href="/referrals?ids={joined(ids)}"' in page


def test_a_missing_library_is_reported_not_raised(client, session, monkeypatch):
    ids, _ = seed(session, 1)

    def no_pango():
        raise web_referrals.PdfUnavailable("libraries")

    monkeypatch.setattr(web_referrals, "load_weasyprint", no_pango)
    response = client.get(f"/referrals.pdf?ids={ids[0]}")
    assert response.status_code == 503 and "Pango" in text(response)


def test_the_csv_is_an_attachment_in_the_providers_csv_format(client, session, tmp_path):
    ids, phones = seed(session, 5)
    response = client.get(f"/referrals.csv?ids={ids[3]},{ids[0]},777777")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    lines = text(response).splitlines()
    assert lines[0].startswith("source_id,name,") and len(lines) == 3
    assert phones[3] in lines[1] and phones[0] in lines[2]


def test_the_csv_reimports_with_nothing_rejected(client, session, tmp_path):
    ids, phones = seed(session, 12)
    path = tmp_path / "referrals.csv"
    path.write_bytes(client.get(f"/referrals.csv?ids={joined(ids)}").data)
    records = list(read_providers_csv(path))
    assert not [r for r in records if isinstance(r, RowError)] and len(records) == 12
    report = import_file(session, path, source="referral-list")
    # The same sites from another source join the providers they came from: nothing duplicated.
    assert report.rejected_lines == [] and (report.added, report.merged) == (0, 12)
    assert sorted(r.fields["phone"] for r in records) == sorted(phones)


def test_an_empty_csv_has_only_the_header(client):
    lines = text(client.get("/referrals.csv")).splitlines()
    assert len(lines) == 1 and lines[0].startswith("source_id,")


def test_a_list_made_from_a_search_says_how_far_each_place_is_and_how_exactly(client, session):
    door = make_provider(session, name="Door Clinic", miles_north=2.4, geocode_precision="address")
    area = make_provider(session, name="Zip Clinic", miles_north=3.4, geocode_precision="zip")
    results = text(client.get("/search?location=19104"))
    assert f"ids={door.id}&amp;back=/search?location%3D19104&amp;near=19104" in results
    page = text(client.get(f"/referrals?ids={door.id},{area.id}&near=19104&lang=both"))
    assert "Distances are from 19104, Philadelphia, PA." in page
    assert "Las distancias se miden desde 19104, Philadelphia, PA." in page
    assert "Distance:</span> 2.4 mi<" in page and "Distance:</span> about 3 mi (ZIP area)<" in page
    assert "Distancia:</span> unas 3 millas (zona del código postal)<" in page
    assert f"/referrals.pdf?ids={door.id},{area.id}&amp;near=19104&amp;lang=both" in page  # the QR code's has none


def test_without_a_place_or_with_one_not_found_the_list_shows_no_distances(client, session):
    door = make_provider(session, name="Door Clinic", miles_north=2.4, geocode_precision="address")
    for query in ("", "&near=Nowheresville%2C+OH", "&near=" + "9" * 300):
        page = text(client.get(f"/referrals?ids={door.id}{query}"))
        assert "Distances are from" not in page and "Distance:" not in page and "Door Clinic" in page
