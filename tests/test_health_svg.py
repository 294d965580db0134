"""The freshness chart (locator.health_svg) and the desk's health partial that inlines it."""

import re
import xml.etree.ElementTree as ET

from flask import render_template
from flask_babel import refresh

from locator import vocabulary
from locator.data_health import StateHealth
from locator.health_svg import ChartWords, freshness_chart
from locator.web.desk_health import health_context
from tests.factories import make_provider

SVG = "{http://www.w3.org/2000/svg}"
WORDS = ChartWords(title="Fresh availability <by state>", within_14="within 14 days", within_60="within 60 days",
                   row=lambda s: f"{s.state}: {s.listings} listings, {round(s.share_14 * 100)}% within 14 days, "
                                 f"{round(s.share_60 * 100)}% within 60 days",
                   empty="No listings yet.")
STATES = [StateHealth("NJ", 4, 1, 3), StateHealth("PA", 200, 0, 50), StateHealth("WY", 3, 3, 3)]


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_it_draws_an_accessible_image_with_a_title_and_a_description_of_every_figure():
    root = parsed(freshness_chart(STATES, WORDS))
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.find(SVG + "title").text == "Fresh availability <by state>"
    desc = root.find(SVG + "desc").text
    assert "NJ: 4 listings, 25% within 14 days, 75% within 60 days" in desc
    assert "PA: 200 listings, 0% within 14 days, 25% within 60 days" in desc
    assert root.get("aria-labelledby") == "health-title health-desc"


def test_it_draws_a_row_per_state_with_its_code_and_percentages():
    root = parsed(freshness_chart(STATES, WORDS))
    rows = root.findall(f"{SVG}g[@transform]")
    assert [row.find(SVG + "text").text for row in rows] == ["NJ", "PA", "WY"]
    labels = {t.get("data-state"): t.text for t in root.iter(SVG + "text") if t.get("data-state")}
    assert labels == {"NJ": "25% / 75%", "PA": "0% / 25%", "WY": "100% / 100%"}


def test_it_sizes_the_bars_by_the_shares():
    root = parsed(freshness_chart([StateHealth("NJ", 4, 1, 3)], WORDS))
    widths = [float(r.get("width")) for r in root.find(f"{SVG}g[@transform]").iter(SVG + "rect")]
    track, within_60, within_14 = widths
    assert (within_60 / track, within_14 / track) == (0.75, 0.25)


def test_it_uses_a_pattern_besides_colour_for_the_sixty_day_bar():
    root = parsed(freshness_chart(STATES, WORDS))
    assert root.find(f"{SVG}defs/{SVG}pattern").get("id") == "health-hatch"
    assert any(r.get("fill") == "url(#health-hatch)" for r in root.find(f"{SVG}g[@transform]").iter(SVG + "rect"))


def test_it_refers_to_nothing_outside_and_runs_no_script():
    svg = freshness_chart(STATES, WORDS)
    assert "<script" not in svg and "href" not in svg
    assert re.findall(r"https?://[^\"]*", svg) == ["http://www.w3.org/2000/svg"]  # the namespace name only


def test_it_escapes_the_words_it_is_given():
    svg = freshness_chart([StateHealth("<&>", 1, 1, 1)], WORDS)
    assert parsed(svg).find(SVG + "desc").text.startswith("<&>: 1 listings")
    assert "<&>" not in svg


def test_it_says_so_when_there_are_no_listings():
    root = parsed(freshness_chart([], WORDS))
    assert root.find(SVG + "desc").text == "No listings yet." and root.findall(f"{SVG}g[@transform]") == []


def test_it_stays_small_for_every_state():
    states = [StateHealth(code, 1000, 333, 667) for code in vocabulary.US_STATES]
    svg = freshness_chart(states, WORDS)
    assert len(states) >= 50 and len(svg.encode()) < 30_000


def render_partial(app, session, lang: str) -> str:
    with app.test_request_context(f"/desk?lang={lang}"):
        refresh()  # the locale of this request, not of the app context the session fixture holds
        return render_template("desk/_health.html", **health_context(session))


def test_it_renders_the_partial_with_the_chart_inline_and_the_figures_as_a_table(app, session):
    make_provider(session, report={"age_days": 10})
    make_provider(session, state="NJ")
    html = render_partial(app, session, "en")
    svg = parsed(html[html.index("<svg"):html.index("</svg>") + len("</svg>")])
    assert svg.get("role") == "img"
    assert svg.find(SVG + "desc").text == ("NJ: 1 listing, 0% within 14 days, 0% within 60 days; "
                                           "PA: 1 listing, 100% within 14 days, 100% within 60 days")
    assert re.search(r'<th scope="row"><abbr title="Pennsylvania">PA</abbr></th><td>1</td>\s*<td>100% \(1\)', html)


def test_it_formats_the_percentages_in_the_pages_language(app, session):
    make_provider(session, report={"age_days": 10})
    assert "<td>100\xa0% (1)</td>" in render_partial(app, session, "es")
