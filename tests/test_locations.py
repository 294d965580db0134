"""Street-level locations: `import-coordinates` with a geocoded file, and `geocode-providers` against
a local stand-in for a geocoding server (a real HTTP server on loopback)."""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from sqlalchemy import select, update

from locator.geocoding import build_service
from locator.locations import acceptable
from locator.models import GeocodeAttempt, Provider
from tests.factories import make_provider

# Philadelphia: ZIP 19104's point, a door 1 mile from it, and places that are not in reach.
DOOR = (39.9522, -75.1932)
FAR_IN_PA = (40.2732, -76.8867)  # Harrisburg, about 90 miles away
IN_NJ = (39.9259, -75.1196)  # Camden, NJ: near, but in another state


def providers(session):
    made = {
        "zip": make_provider(session, name="Zip Clinic", street="3401 Walnut St Ste 200", geocode_precision="zip"),
        "city": make_provider(session, name="City Clinic", street="10 Market St", geocode_precision="city"),
        "door": make_provider(session, name="Door Clinic", street="500 Spruce St", geocode_precision="address"),
        "far": make_provider(session, name="Far Clinic", street="1 Far Rd", geocode_precision="zip"),
        "nj": make_provider(session, name="Camden Clinic", street="2 River Rd", geocode_precision="zip"),
        "withheld": make_provider(session, name="Quiet Clinic", street="- - -", geocode_precision="zip"),
    }
    return {key: p.id for key, p in made.items()}


def write_csv(path, rows, header="name,street1,zip,latitude,longitude"):
    path.write_text(header + "\n" + "\n".join(",".join(str(v) for v in row) for row in rows) + "\n",
                    encoding="utf-8")
    return path


def place_of(session, pid):
    session.expire_all()
    p = session.get(Provider, pid)
    return p.latitude, p.longitude, p.geocode_precision, p.location_source


def test_import_coordinates_places_matched_providers_at_their_door_and_reports_every_other_row(runner, session,
                                                                                                tmp_path):
    ids = providers(session)
    path = write_csv(tmp_path / "geocoded.csv", [
        ("Zip Clinic", "3401 Walnut Street", "19104", *DOOR),           # line 2: suite dropped, Street = St
        ("", "10 Market St.", "19104", 39.9500, -75.1700),              # line 3: the city-level one
        ("", "500 Spruce St", "19104", 39.9460, -75.1520),              # line 4: already at its address
        ("", "1 Far Rd", "19104", *FAR_IN_PA),                          # line 5: refused, too far
        ("", "2 River Rd", "19104", *IN_NJ),                            # line 6: refused, another state
        ("", "77 Nowhere Ave", "19104", 39.95, -75.19),                 # line 7: no such provider
        ("", "Main Street", "19104", 39.95, -75.19),                    # line 8: no house number
        ("", "12 Twice St", "19104", 39.95, -75.19),                    # line 9 and 10: one address, two points
    ])
    make_provider(session, name="Twice", street="12 Twice St", geocode_precision="zip")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("Twice,12 Twice St,19104,40.05,-75.19\n")
    result = runner.invoke(args=["import-coordinates", str(path)])
    assert result.exit_code == 0, result.output
    assert "geocoded.csv: improved 2, unchanged 1, unmatched 2, ambiguous 1, refused 2" in result.output
    assert "unmatched line 7: no provider at this street address and ZIP" in result.output
    assert "unmatched line 8:" in result.output and "ambiguous line 9:" in result.output
    assert re.search(r"refused line 5: \d+ miles from ZIP 19104", result.output)
    assert "refused line 6: in NJ, not PA" in result.output
    assert place_of(session, ids["zip"]) == (*DOOR, "address", "geocoded.csv")
    assert place_of(session, ids["city"])[2:] == ("address", "geocoded.csv")
    assert place_of(session, ids["door"])[2:] == ("address", "")  # untouched without --overwrite
    assert place_of(session, ids["far"])[2] == "zip" and place_of(session, ids["nj"])[2] == "zip"
    again = runner.invoke(args=["import-coordinates", str(path)])
    assert "improved 0, unchanged 3" in again.output  # never asked to move what is placed
    overwrite = runner.invoke(args=["import-coordinates", str(path), "--overwrite"])
    assert "improved 3" in overwrite.output and place_of(session, ids["door"])[3] == "geocoded.csv"


def test_import_coordinates_reads_a_workbook_with_other_column_names(runner, session, tmp_path):
    ids = providers(session)
    book = openpyxl.Workbook()
    book.active.append(["facility", "address", "postal_code", "lat", "lng", "county"])
    book.active.append(["Zip Clinic", "3401 Walnut St", 19104, DOOR[0], DOOR[1], "Philadelphia"])
    book.save(tmp_path / "extract.xlsx")
    result = runner.invoke(args=["import-coordinates", str(tmp_path / "extract.xlsx")])
    assert result.exit_code == 0 and "improved 1" in result.output
    assert place_of(session, ids["zip"]) == (*DOOR, "address", "extract.xlsx")


def test_import_coordinates_reads_a_suite_after_a_hash_and_reports_impossible_points(runner, session, tmp_path):
    ids = providers(session)
    path = write_csv(tmp_path / "odd.csv", [("Zip Clinic", "3401 Walnut St #200", "19104", *DOOR),
                                            ("City Clinic", "10 Market St", "19104", "nan", "inf"),
                                            ("Far Clinic", "1 Far Rd", "19104", 95, -75.19)])
    result = runner.invoke(args=["import-coordinates", str(path)])
    assert result.exit_code == 0, result.output
    assert "odd.csv: improved 1, unchanged 0, unmatched 2" in result.output
    assert "unmatched line 3: latitude must be within -90 to 90" in result.output
    assert "unmatched line 4: latitude must be within -90 to 90" in result.output
    assert place_of(session, ids["zip"]) == (*DOOR, "address", "odd.csv")


def test_import_coordinates_refuses_a_file_without_the_columns_it_needs(runner, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [("x", "1 A St", "19104")], header="name,street,zip")
    result = runner.invoke(args=["import-coordinates", str(path)])
    assert result.exit_code == 2 and "missing column(s) latitude or lat; longitude or lon or lng" in result.stderr


class StandIn(BaseHTTPRequestHandler):
    """A Nominatim stand-in: answers from `answers` by the address asked, and records each request."""

    answers: dict
    asked: list

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)["q"][0]
        type(self).asked.append((time.monotonic(), query))
        answer = next((value for key, value in self.answers.items() if query.startswith(key)), [])
        if answer in ("fail", "quota"):
            self.send_response(503 if answer == "fail" else 402)
            self.end_headers()
            return
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def nominatim(lat, lon, kind="building"):
    return [{"lat": str(lat), "lon": str(lon), "display_name": "somewhere", "addresstype": kind, "place_id": 1}]


@pytest.fixture
def stand_in(app):
    StandIn.asked, StandIn.answers = [], {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = {"GEOCODER": "nominatim", "GEOCODER_DOMAIN": f"http://127.0.0.1:{server.server_port}",
                "GEOCODER_USER_AGENT": "moud-locator-tests (tests@example.org)", "GEOCODER_API_KEY": "",
                "GEOCODER_TIMEOUT": 3.0, "SECRET_KEY": "x" * 32}
    app.config.update(GEOCODER_RATE_LIMIT=5.0)
    app.extensions["locator.geocoder"] = build_service(settings)
    yield StandIn
    server.shutdown()


def test_geocode_providers_asks_politely_refuses_far_answers_and_never_asks_twice(runner, session, stand_in):
    ids = providers(session)
    stand_in.answers = {"3401 Walnut St Ste 200": nominatim(*DOOR), "1 Far Rd": nominatim(*FAR_IN_PA),
                        "10 Market St": nominatim(39.95, -75.16, "postcode"), "2 River Rd": "fail"}
    result = runner.invoke(args=["geocode-providers", "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "Asked 3 (0 asked before): improved 1, unchanged 0, not found 1, refused 1, errors 0" in result.output
    assert re.search(rf"provider {ids['far']}: \d+ miles from ZIP 19104 \(at most 25\)", result.output)
    times = [t for t, _ in stand_in.asked]
    # 5 a second at most (measured where the requests arrive, so allow for a late first one)
    assert all(b - a >= 0.15 for a, b in itertools.pairwise(times)) and times[-1] - times[0] >= 0.38
    assert place_of(session, ids["zip"]) == (*DOOR, "address", "geocoder:nominatim")
    rest = runner.invoke(args=["geocode-providers"])  # resumes: only the ones not asked yet
    # the one placed at its door is done; the postcode answer and the refusal are not asked again
    assert "Asked 1 (2 asked before): improved 0, unchanged 0, not found 0, refused 0, errors 1" in rest.output
    assert [q for _, q in stand_in.asked].count("2 River Rd, Philadelphia, PA 19104") == 1
    assert not any("- - -" in q for _, q in stand_in.asked)  # a withheld street is never asked
    stand_in.answers["2 River Rd"] = nominatim(*IN_NJ)
    retry = runner.invoke(args=["geocode-providers"])  # what failed is asked again, and nothing else
    assert "Asked 1 (2 asked before):" in retry.output and "refused 1" in retry.output
    assert "in NJ, not PA" in retry.output and len(stand_in.asked) == 5
    assert session.scalar(select(Provider.geocode_precision).where(Provider.id == ids["door"])) == "address"


def test_a_limit_counts_only_what_is_still_to_ask_and_another_geocoder_asks_again(runner, session, stand_in):
    providers(session)
    asked_each_run = []
    for _ in range(4):  # none of the answers places anyone: each run must still move on
        before = len(stand_in.asked)
        assert runner.invoke(args=["geocode-providers", "--limit", "1"]).exit_code == 0
        asked_each_run.append([q for _, q in stand_in.asked[before:]])
    assert [len(run) for run in asked_each_run] == [1, 1, 1, 1]
    assert len({run[0] for run in asked_each_run}) == 4
    session.execute(update(GeocodeAttempt).values(geocoder="photon"))  # as if another geocoder had answered
    session.commit()
    again = runner.invoke(args=["geocode-providers"])
    assert "Asked 4 (0 asked before)" in again.output


def test_an_exhausted_quota_stops_the_run_and_says_so(runner, session, stand_in):
    providers(session)
    stand_in.answers = {"": "quota"}
    result = runner.invoke(args=["geocode-providers"])
    assert result.exit_code == 1 and len(stand_in.asked) == 1
    assert "Asked 0 (0 asked before)" in result.output and "GeocoderQuotaExceeded" in result.stderr


def test_geocode_providers_needs_a_remote_geocoder(runner):
    result = runner.invoke(args=["geocode-providers"])
    assert result.exit_code == 2 and "GEOCODER is offline" in result.stderr


def test_a_door_on_a_state_line_is_accepted_but_a_town_across_the_river_is_not():
    kansas_city_mo = SimpleNamespace(state="MO", zip="64114", latitude=38.9621, longitude=-94.5959)
    assert acceptable(kansas_city_mo, 38.9650, -94.6080) is None  # State Line Rd: its nearest ZIP is in KS
    philadelphia = SimpleNamespace(state="PA", zip="19104", latitude=39.9597, longitude=-75.2024)
    assert acceptable(philadelphia, *IN_NJ) == "in NJ, not PA"
