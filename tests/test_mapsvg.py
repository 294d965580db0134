"""The map of a search: geometry in locator.mapsvg, drawn by templates/search/_map.html."""

import xml.etree.ElementTree as ET

from flask import render_template

from locator.mapsvg import HEIGHT, WIDTH, results_map

NS = "{http://www.w3.org/2000/svg}"


def draw(app, drawing, title="Map") -> ET.Element:
    with app.test_request_context("/"):
        app.preprocess_request()
        return ET.fromstring(render_template("search/_map.html", m=drawing, title=title))


def test_it_draws_one_numbered_dot_per_result_inside_the_frame(app):
    root = draw(app, results_map(39.95, -75.16, 25, [(1, 40.0, -75.1), (2, 39.9, -75.3), (3, 45.0, -60.0)]))
    numbers = [t.text for t in root.iter(f"{NS}text")]
    assert {"1", "2", "3"} <= set(numbers)
    for circle in root.iter(f"{NS}circle"):
        assert 0 <= float(circle.get("cx")) <= WIDTH and 0 <= float(circle.get("cy")) <= HEIGHT


def test_a_result_north_of_the_point_is_drawn_above_it():
    [dot] = results_map(39.95, -75.16, 25, [(1, 40.1, -75.16)]).dots
    assert dot.y < HEIGHT / 2 and abs(dot.x - WIDTH / 2) < 0.5


def test_the_first_result_is_drawn_last_so_it_is_on_top():
    assert [d.number for d in results_map(0, 0, 10, [(1, 0, 0), (2, 0.01, 0), (3, 0.02, 0)]).dots] == [3, 2, 1]


def test_the_title_is_escaped_and_labels_the_image(app):
    with app.test_request_context("/"):
        app.preprocess_request()
        svg = render_template("search/_map.html", m=results_map(0, 0, 10, []), title="<script>x</script>")
    assert "<script>" not in svg and 'role="img"' in svg and "&lt;script&gt;" in svg
