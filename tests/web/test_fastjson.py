"""JSON responses by orjson give the documents Flask's own provider gives."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from locator.web.fastjson import OrjsonProvider


@dataclass
class _Point:
    lat: float
    lon: float


DOCUMENT = {
    "zeta": 1, "alpha": [1, 2.5, None, True], "name": "Clínica Esperanza",
    "when": datetime(2026, 11, 22, 8, 30, tzinfo=UTC), "day": date(2026, 11, 22), "amount": Decimal("12.50"),
    "id": uuid.UUID(int=7), "point": _Point(40.7, -74.0), "safe": Markup("<b>ok</b>"), 3: "an int key",
}


def _app(debug: bool = False) -> Flask:
    app = Flask(__name__)
    app.debug = debug
    app.json = OrjsonProvider(app)
    app.json.sort_keys = False
    return app


def test_it_writes_what_flasks_provider_writes():
    ours = _app()
    flasks = DefaultJSONProvider(ours)
    flasks.sort_keys = False
    with ours.app_context():
        body = ours.json.response(DOCUMENT).get_data()
        expected = flasks.response(DOCUMENT).get_data()
    assert json.loads(body) == json.loads(expected)
    assert json.loads(body)["when"] == "Sun, 22 Nov 2026 08:30:00 GMT"  # Flask's dates, not orjson's
    assert body.endswith(b"\n") and b"\n" not in body[:-1]  # compact, one line


def test_it_keeps_the_order_the_fields_were_built_in():
    app = _app()
    with app.app_context():
        body = app.json.response({"zeta": 1, "alpha": 2}).get_data()
    assert body == b'{"zeta":1,"alpha":2}\n'


def test_debug_responses_are_indented_and_options_go_to_the_standard_encoder():
    app = _app(debug=True)
    with app.app_context():
        assert b'\n  "a": 1' in app.json.response({"a": 1}).get_data()
        assert app.json.dumps({"a": 1}, indent=4) == '{\n    "a": 1\n}'
        assert app.json.dumps({"a": "é"}) == '{"a":"é"}'


def test_the_api_answers_with_it(client):
    response = client.get("/api/v1/search?location=99999")
    assert response.mimetype == "application/json" and response.get_json() is not None
