import xml.etree.ElementTree as ET

from locator.mapsvg import HEIGHT, WIDTH, results_map

NS = "{http://www.w3.org/2000/svg}"


def test_it_draws_one_numbered_dot_per_result_inside_the_frame():
    svg = results_map(39.95, -75.16, 25, [(1, 40.0, -75.1), (2, 39.9, -75.3), (3, 45.0, -60.0)], "Map")
    root = ET.fromstring(svg)
    numbers = [t.text for t in root.iter(f"{NS}text")]
    assert {"1", "2", "3"} <= set(numbers)
    for circle in root.iter(f"{NS}circle"):
        assert 0 <= float(circle.get("cx")) <= WIDTH and 0 <= float(circle.get("cy")) <= HEIGHT


def test_a_result_north_of_the_point_is_drawn_above_it():
    root = ET.fromstring(results_map(39.95, -75.16, 25, [(1, 40.1, -75.16)], "Map"))
    dot = next(g for g in root.iter(f"{NS}g") if g.find(f"{NS}text").text == "1").find(f"{NS}circle")
    assert float(dot.get("cy")) < HEIGHT / 2 and abs(float(dot.get("cx")) - WIDTH / 2) < 0.5


def test_the_title_is_escaped_and_labels_the_image():
    svg = results_map(0, 0, 10, [], "<script>x</script>")
    assert "<script>" not in svg and 'role="img"' in svg
