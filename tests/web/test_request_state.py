"""Nothing of one person's request outlives it: two people interleaved on one app never see each
other's language, referral list, filters or typed address, and a typed address is held by no
live object once its request has ended."""

from __future__ import annotations

import gc
import re
import secrets
from contextlib import nullcontext
from html import unescape
from types import FrameType

import pytest

from tests.factories import make_provider


@pytest.fixture
def providers(session):
    report = {"accepting_new_patients": True, "wait_days": 2}
    return [make_provider(session, miles_north=n, medications=["buprenorphine", "methadone"],
                          payment=["medicaid"] if n % 2 else ["private"], report=report).id for n in range(5)]


def person(lang: str, ids: list[int], filters: str, typed: str) -> dict:
    return {"lang": lang, "list": ",".join(map(str, ids)), "filters": filters, "typed": typed}


def visit(client, who: dict, page: str, provider_id: int) -> str:
    lang = f"&lang={who['lang']}" if who["lang"] != "en" else ""
    paths = {
        "search": f"/search?location={who['typed']}&{who['filters']}&list={who['list']}{lang}",
        "api": f"/api/v1/search?location={who['typed']}&{who['filters']}{lang}",
        "provider": f"/providers/{provider_id}?list={who['list']}{lang}",
        "referrals": f"/referrals?ids={who['list']}{lang}",
    }
    response = client.get(paths[page])
    assert response.status_code == 200, (page, response.status_code)
    assert "Set-Cookie" not in response.headers  # nothing of the person is kept in the browser either
    return unescape(response.get_data(as_text=True))


def check_own(page: str, html: str, me: dict, other: dict) -> None:
    if page != "api":
        assert f'<html lang="{me["lang"]}">' in html
    if page in ("search", "provider"):  # the add links carry this person's list, never the other's
        links = re.findall(r'class="add-referral"><a href="/referrals\?ids=([0-9,]+)', html)
        assert links and all(link.startswith(me["list"] + ",") or link == me["list"] for link in links)
    if page == "search":
        assert f'value="{me["typed"]}"' in html and other["typed"] not in html
        mine, theirs = me["filters"].split("=")[1], other["filters"].split("=")[1]
        assert f'value="{mine}" checked' in html and f'value="{theirs}" checked' not in html
    if page == "referrals":
        assert f"ids={me['list']}" in html and f"ids={other['list']}" not in html
    spanish = ("Acepta pacientes nuevos", "Buscar tratamiento", "Medicamentos")
    if me["lang"] == "es":
        assert any(word in html for word in spanish) or page == "api"
    else:
        assert not any(word in html for word in spanish)


@pytest.mark.parametrize("outer_context", [False, True], ids=["request contexts", "inside one app context"])
def test_two_people_interleaved_on_one_app_never_see_each_others_state(app, providers, outer_context):
    first, second = providers[:2], providers[2:4]
    ana = person("es", first, "medication=methadone", "100 Alpha Road, Philadelphia, PA 19104")
    bob = person("en", second, "payment=medicaid", "200 Beta Street, Philadelphia, PA 19103")
    ana_client, bob_client = app.test_client(), app.test_client()
    # An app context held around the requests (a script, a test, a worker that keeps one) is where
    # per-request state kept on `g` or on the context would leak from one person to the next.
    with app.app_context() if outer_context else nullcontext():
        for page in ("search", "api", "provider", "referrals", "search", "provider"):
            for me, other, client in ((ana, bob, ana_client), (bob, ana, bob_client)):
                check_own(page, visit(client, me, page, providers[4]), me, other)


def live_strings_with(head: str, tail: str) -> list[str]:
    """Strings held by any live object (not by this test's frames) that contain head then tail."""
    gc.collect()
    found = []
    objects = gc.get_objects()
    for obj in objects:
        if isinstance(obj, FrameType):
            continue
        for ref in gc.get_referents(obj):
            if isinstance(ref, str) and head in ref and tail in ref and ref.find(tail) == ref.find(head) + len(head):
                found.append(ref[:80])
    del objects
    return found


def test_a_typed_address_is_held_by_no_live_object_once_its_request_has_ended(app, providers):
    head, tail = "Qz" + secrets.token_hex(4), secrets.token_hex(4)  # the address's unique street name
    client = app.test_client()
    for path in ("/search", "/api/v1/search"):
        for extra in ({}, {"medication": "methadone", "sort": "wait"}, {"lang": "es"}):
            response = client.get(path, query_string={"location": f"12 {head}{tail} Street, Philadelphia, PA 19104",
                                                      **extra})
            assert response.status_code == 200
            assert (head + tail) in response.get_data(as_text=True) or path.startswith("/api")
            del response
    client.get("/referrals", query_string={"ids": str(providers[0]),
                                           "back": f"/search?location=12+{head}{tail}+Street+19104"})
    # Werkzeug's test client splits each URL once more after the app has answered (for its
    # cookies), into the same memo the app empties: as the next request of any visitor would,
    # one more request empties it. Under gunicorn nothing splits after the app.
    client.get("/livez")
    assert live_strings_with(head, tail) == []


def test_over_real_http_a_typed_address_is_gone_as_soon_as_the_response_is_sent(app, providers):
    """The same, through a real HTTP server (Werkzeug's, threaded), with no request after."""
    import http.client
    import threading
    import time
    from urllib.parse import quote

    from werkzeug.serving import make_server

    head, tail = "Qz" + secrets.token_hex(4), secrets.token_hex(4)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in ("/search", "/api/v1/search"):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            connection.request("GET", f"{path}?location={quote(f'12 {head}{tail} Street, Philadelphia, PA 19104')}")
            response = connection.getresponse()
            assert response.status == 200 and (head + tail).encode() in response.read()
            connection.close()
            del response, connection
        time.sleep(0.2)  # the server closes the response after its last write
        assert live_strings_with(head, tail) == []
    finally:
        server.shutdown()
        thread.join(timeout=5)
