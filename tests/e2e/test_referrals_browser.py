"""Referral packets in Chromium: the printed page, the browser's PDF, and the client's name.

As a caseworker would: build a list from a search (links only), open the packet, print it.
Every request the page makes is recorded: none may leave 127.0.0.1 and none may carry the
client's name.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import PROVIDERS

pytestmark = pytest.mark.browser

CLIENT_NAME = "Zebulon Quintessa-Marlowe"
PHONES = [p["phone"] for p in PROVIDERS]


def record_requests(page) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    page.on("request", lambda request: seen.append((request.url, request.post_data or "")))
    return seen


def names(page) -> list[str]:
    return [re.sub(r"^\s*\d+\.\s*", "", text).strip() for text in page.locator(".ref-name").all_inner_texts()]


def five(live_server) -> str:
    return ",".join(str(i) for i in live_server.provider_ids[:5])


def pdf_pages(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_a_list_is_built_from_search_results_with_links_alone(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    seen = record_requests(page)
    page.goto(f"{live_server}/search?location=19104")
    page.get_by_role("link", name=re.compile("Add to referral list")).first.click()
    expect(page.locator(".ref")).to_have_count(1)
    page.get_by_role("link", name=re.compile("Back to search")).click()
    expect(page).to_have_url(re.compile(r"/search\?.*list="))
    page.get_by_role("link", name=re.compile("Add to referral list")).nth(1).click()
    expect(page.locator(".ref")).to_have_count(2)
    first, second = names(page)
    page.get_by_role("link", name=re.compile("Move down")).first.click()
    expect(page.locator(".ref-name").first).to_contain_text(second)
    assert names(page) == [second, first]
    page.get_by_role("link", name=re.compile("Remove")).first.click()
    expect(page.locator(".ref")).to_have_count(1)
    assert names(page) == [first]
    assert {urlsplit(url).hostname for url, _ in seen} == {"127.0.0.1"}
    context.close()


def test_the_printed_five_provider_packet_is_one_page_with_every_phone(live_server, page, artifacts):
    seen = record_requests(page)
    page.set_viewport_size({"width": 720, "height": 1000})  # the printable width of US Letter and A4, at 96 dpi
    page.goto(f"{live_server}/referrals?ids={five(live_server)}")
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "referral-packet-print.png"), full_page=True)
    assert page.locator("header.site").is_hidden() and page.locator(".referral-tools").is_hidden()
    assert page.locator(".packet .qr svg").is_visible()
    today = page.evaluate("new Date().toLocaleDateString('en', {year: 'numeric', month: 'long', day: 'numeric'})")
    assert page.locator("time.printed-on").inner_text() == today  # the reader's date, not the server's
    for paper in ("Letter", "A4"):
        data = page.pdf(format=paper, print_background=True)
        (artifacts / f"referral-packet-chromium-{paper.lower()}.pdf").write_bytes(data)
        pages, text = pdf_pages(data)
        assert pages == 1, f"{paper}: {pages} pages"
        for phone in PHONES[:5]:
            assert phone in text
        assert "confirmed" in text and "988" in text and "1-800-662-4357" in text and "911" in text
    assert {urlsplit(url).hostname for url, _ in seen} == {"127.0.0.1"}


def test_twelve_providers_print_on_two_pages_with_every_phone(live_server, page):
    page.goto(f"{live_server}/referrals?ids={','.join(str(i) for i in live_server.provider_ids)}")
    assert page.locator(".ref").count() == 12
    pages, text = pdf_pages(page.pdf(format="Letter"))
    assert pages == 2
    for phone in PHONES:
        assert phone in text


def test_the_client_name_is_printed_but_never_sent(live_server, page):
    seen = record_requests(page)
    page.goto(f"{live_server}/referrals?ids={five(live_server)}")
    field = page.locator("#client-name")
    assert field.is_visible()
    assert field.get_attribute("name") is None
    assert page.evaluate("document.getElementById('client-name').closest('form') === null")
    assert page.evaluate("document.forms.length") == 0
    field.fill(CLIENT_NAME)
    field.press("Enter")
    assert page.locator("#client-name-print").inner_text() == CLIENT_NAME
    page.emulate_media(media="print")
    assert page.locator("#client-name-print").is_visible()
    _, text = pdf_pages(page.pdf(format="Letter"))
    assert CLIENT_NAME in text
    page.emulate_media(media="screen")
    # Use the page the way a caseworker would after typing the name: reorder, change language, share.
    first, second = live_server.provider_ids[:2]
    page.get_by_role("link", name=re.compile("Move down")).first.click()
    expect(page).to_have_url(re.compile(rf"ids={second},{first},"))
    page.get_by_role("link", name="English + Español").click()
    expect(page).to_have_url(re.compile(r"lang=both"))
    page.go_back()
    page.go_back()
    expect(page).to_have_url(re.compile(rf"ids={first},{second},"))
    assert page.locator("#client-name").input_value() == ""
    for url, body in seen:
        assert CLIENT_NAME not in url and "Zebulon" not in url
        assert "Zebulon" not in body
    assert {urlsplit(url).hostname for url, _ in seen} == {"127.0.0.1"}


def test_copy_and_share_buttons_appear_only_where_the_browser_has_them(live_server, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{live_server}/referrals?ids={five(live_server)}")
    assert page.locator("#print-packet").is_visible()
    copy = page.locator("#copy-link")
    assert copy.is_visible()
    copy.click()
    page.wait_for_function("document.getElementById('share-status').textContent.length > 0")
    link = page.locator("#share-url").get_attribute("href")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert link == f"{live_server}/referrals?ids={five(live_server)}"
    has_share = page.evaluate("typeof navigator.share === 'function'")
    assert page.locator("#share-link").is_visible() == has_share
    context.close()


@pytest.mark.parametrize("query", ["ids={five}", "ids={five}&lang=both", "", "ids=1,abc", "ids=999999"])
def test_axe_finds_no_accessibility_violations(live_server, page, query):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{live_server}/referrals?{query.format(five=five(live_server))}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_list_fits_a_phone_without_sideways_scrolling(live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server}/referrals?ids={five(live_server)}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
