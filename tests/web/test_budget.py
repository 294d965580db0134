"""The results page for 20 results stays light for a slow phone: HTML, CSS and JS together."""

import re

from tests.factories import make_provider

BUDGET = 60 * 1024


def test_a_page_of_twenty_results_weighs_at_most_60_kb(client, session):
    for n in range(25):
        make_provider(session, name=f"Demo Budget Clinic with a fairly long name number {n}", miles_north=n / 3,
                      payment=["medicaid", "medicare", "private", "self_pay", "sliding_scale"],
                      report={"accepting_new_patients": True, "wait_days": n, "walk_in": n % 2 == 0}, is_demo=True)
    page = client.get("/search?location=19104&payment=medicaid&medication=buprenorphine").get_data()
    assert page.count(b'class="card"') == 20
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
    assert assets, "the page names its stylesheet and scripts"
    total = len(page) + sum(len(client.get(a.decode()).get_data()) for a in set(assets))
    print(f"results page with 20 results: {len(page)} bytes of HTML, {total} bytes with CSS and JS")
    assert total <= BUDGET, f"{total} bytes"


def test_the_results_page_works_without_scripts(client, session):
    make_provider(session)
    page = client.get("/search?location=19104").get_data(as_text=True)
    assert re.search(r'<script(?![^>]*\bsrc=)[^>]*>', page) is None  # no inline script
    assert 'class="card"' in page
