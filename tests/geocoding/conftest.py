"""Fixtures for geocoding tests: the gazetteer, an offline service, and a remote service whose
geopy adapter is a script (canned JSON or an exception per call), as geopy's own tests do."""

from __future__ import annotations

import pytest
from geopy.adapters import BaseSyncAdapter

from locator.geocoding import build_service, get_gazetteer

REMOTE_SETTINGS = {
    "GEOCODER": "nominatim",
    "GEOCODER_DOMAIN": "geocoder.invalid",  # a private server: no 1-request-per-second pause
    "GEOCODER_USER_AGENT": "moud-locator-tests (tests@example.org)",
    "GEOCODER_API_KEY": "",
    "GEOCODER_TIMEOUT": 3.0,
    "GEOCODE_CACHE_DAYS": 30,
    "SECRET_KEY": "geocoder-tests-secret-key-0123456789",
}


def nominatim_answer(lat: float, lon: float, name: str) -> list[dict]:
    return [{"lat": str(lat), "lon": str(lon), "display_name": name, "place_id": 1}]


class ScriptedAdapter(BaseSyncAdapter):
    """Answers each request with the next item of `script`: JSON, or an exception to raise."""

    def __init__(self, script: Script, *, proxies=None, ssl_context=None):
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.script = script

    def get_json(self, url, *, timeout, headers):
        self.script.calls.append({"url": url, "timeout": timeout, "headers": headers})
        if not self.script.answers:
            raise AssertionError("the remote geocoder was called more often than scripted")
        answer = self.script.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def get_text(self, url, *, timeout, headers):
        raise AssertionError("the service asks for JSON only")


class Script:
    def __init__(self):
        self.answers: list = []
        self.calls: list[dict] = []

    def then(self, *answers) -> Script:
        self.answers.extend(answers)
        return self


@pytest.fixture(scope="session")
def gazetteer():
    return get_gazetteer()


@pytest.fixture
def offline():
    return build_service({"GEOCODER": "offline"})


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def remote(script):
    """A service with GEOCODER=nominatim whose every request is answered by `script`."""
    return build_service(REMOTE_SETTINGS,
                         adapter_factory=lambda **kwargs: ScriptedAdapter(script, **kwargs))
