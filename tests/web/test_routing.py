"""Provider ids in addresses: ASCII digits only, and an id beyond the database's is not found."""

import pytest

from locator.models import MAX_ID
from tests.factories import make_provider


@pytest.mark.parametrize("path", ["/providers/{}", "/api/v1/providers/{}", "/api/v1/providers/{}/availability",
                                  "/providers/{}/availability"])
def test_ids_in_other_digits_are_not_ids(client, session, path):
    provider = make_provider(session)
    assert client.get(path.format(provider.id)).status_code == 200
    # full-width, Arabic-Indic and mathematical digits: the same number, not ASCII
    for zero in ("０", "٠", "𝟎"):
        other = "".join(chr(ord(zero) + int(d)) for d in str(provider.id))
        assert client.get(path.format(other)).status_code == 404


@pytest.mark.parametrize("number", [MAX_ID + 1, 9_999_999_999, 10**30])
def test_an_id_beyond_a_database_integer_is_not_found(client, number):
    for path in (f"/providers/{number}", f"/api/v1/providers/{number}", f"/api/v1/providers/{number}/availability"):
        assert client.get(path).status_code == 404
