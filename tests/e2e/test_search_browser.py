"""A person searching, in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def search_for(page, base, location="19104"):
    page.goto(base + "/")
    page.fill("#f-location", location)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_zip_search_shows_ranked_cards_with_reasons_and_crisis_numbers(page, live_server):
    search_for(page, live_server)
    cards = page.locator("ol.results > li.card")
    assert cards.count() >= 5
    first = cards.first.inner_text()
    assert "mi away" in first and re.search(r"\d{3}-555-01\d\d", first)
    crisis = page.locator("aside.crisis").inner_text()
    assert "988" in crisis and "1-800-662-4357" in crisis and "911" in crisis
    assert page.locator("svg.map").count() == 1


def test_changing_a_filter_keeps_the_place_and_narrows_the_results(page, live_server):
    search_for(page, live_server)
    before = page.locator("ol.results > li.card").count()
    page.locator("details.more summary").last.click()
    page.locator("form.search").last.locator("input[name=accepting]").check()
    page.locator("form.search").last.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "accepting=1" in page.url and "location=19104" in page.url
    cards = page.locator("ol.results > li.card")
    assert 0 < cards.count() < before
    for text in cards.all_inner_texts():  # each says how soon a first dose is, or that it takes new patients
        assert "Not taking new patients" not in text
        assert "to a first" in text or "Can start" in text or "Taking new patients" in text


def test_a_provider_page_opens_from_the_results(page, live_server):
    search_for(page, live_server)
    page.locator("ol.results > li.card h3 a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/providers/\d+", page.url)
    assert page.get_by_role("heading", name="What to ask when you call").is_visible()


def test_the_search_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        search_for(page, live_server)
        assert page.locator("ol.results > li.card").count() >= 5
        assert page.locator("#use-location").is_hidden()  # needs JavaScript, so it stays hidden
    finally:
        context.close()


def test_no_request_leaves_this_machine(page, live_server):
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    search_for(page, live_server)
    page.locator("ol.results > li.card h3 a").first.click()
    page.wait_for_load_state()
    assert seen and all(url.startswith(live_server) or url.startswith("data:") for url in seen), seen


@pytest.mark.parametrize("path", ["/", "/?for=someone", "/search?location=19104", "/search?location=Springfield",
                                  "/privacy", "/providers/999999", "/search?location=19104&lang=es",
                                  "/search?location=19104&start_within=0",
                                  "/search?location=19104&start_within=0&lang=es", "/providers/1/availability",
                                  "/providers/1/problem", "/desk/login"])
def test_axe_finds_no_accessibility_violations(page, live_server, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_server + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_axe_finds_no_violations_on_a_provider_page(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(f"{live_server}/providers/{live_server.provider_ids[0]}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_phone_sized_screenshot_fits_without_sideways_scrolling(browser, live_server, artifacts):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    try:
        search_for(page, live_server)
        page.screenshot(path=str(artifacts / "results-375x812.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()


def test_the_language_link_switches_to_spanish(page, live_server):
    search_for(page, live_server)
    page.get_by_role("link", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert "lang=es" in page.url and "location=19104" in page.url
    assert "millas" in page.locator("ol.results").inner_text()
