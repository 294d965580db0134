import re

import pytest

from locator.web.routing import MAX_ID, at_most


@pytest.mark.parametrize("limit", [9, 10, 99, 100, 305, 2147483647])
def test_the_id_pattern_matches_exactly_the_numbers_up_to_its_limit(limit):
    pattern = re.compile(at_most(limit) + r"\Z")
    for n in {n for n in (0, 1, 9, 10, limit // 2, limit - 1, limit) if n <= limit}:
        assert pattern.match(str(n)), n
    for n in (limit + 1, limit + 10, limit * 10, 10**12):
        assert not pattern.match(str(n)), n


def test_a_provider_id_beyond_a_database_integer_is_not_found(client):
    for path in (f"/providers/{MAX_ID + 1}", f"/api/v1/providers/{MAX_ID + 1}/availability",
                 f"/api/v1/providers/{10**30}"):
        assert client.get(path).status_code == 404
