"""Search agrees with brute force over random directories and random queries."""

import random
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locator import vocabulary
from locator.availability import add_report, days_ago
from locator.geo import haversine_miles
from locator.models import Provider
from locator.search import search
from locator.search_query import SearchQuery
from tests.brute_force import passes

CENTER = (39.95, -75.16)


@pytest.fixture
def directory(session):
    rng = random.Random(7)
    providers = []
    for n in range(400):
        def some(category, p=0.35):
            return [t.key for t in vocabulary.CATEGORIES[category] if rng.random() < p]
        provider = Provider(
            name=f"Random {n}", state="PA", city="X", zip="19104",
            latitude=CENTER[0] + rng.uniform(-2.5, 2.5), longitude=CENTER[1] + rng.uniform(-3, 3),
            medications=some("medications", 0.5) or ["buprenorphine"], payment=some("payment"),
            services=some("services"), languages=some("languages", 0.1), populations=some("populations"),
            settings=rng.choice([["outpatient"], ["otp", "outpatient"], ["telehealth"], ["outpatient", "telehealth"]]),
            walk_in=rng.choice([True, False, None]))
        session.add(provider)
        providers.append(provider)
    session.flush()
    for provider in providers:
        if rng.random() < 0.7:
            add_report(session, provider.id, reporter_kind=rng.choice(["provider", "caseworker", "import"]),
                       accepting_new_patients=rng.choice([True, False, None]),
                       wait_days=rng.choice([None, 0, 3, 10, 40]), walk_in=rng.choice([True, False, None]),
                       reported_at=days_ago(rng.randint(0, 200)))
    session.commit()
    session.expire_all()
    return session


def subset(category):
    return st.lists(st.sampled_from(vocabulary.CATEGORIES[category].keys()), max_size=2, unique=True).map(tuple)


queries = st.builds(
    SearchQuery, location=st.just("x"), radius=st.sampled_from([1, 5, 25, 60, 150]),
    medication=subset("medications"), payment=subset("payment"), service=subset("services"),
    accepting=st.booleans(), walk_in=st.booleans(), telehealth=st.booleans(),
    max_wait=st.one_of(st.none(), st.sampled_from([0, 5, 30])), sort=st.sampled_from(["best", "distance", "wait"]),
    per_page=st.just(50))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=queries, dlat=st.floats(-2, 2), dlon=st.floats(-2, 2))
def test_results_match_brute_force_lie_within_the_radius_and_satisfy_every_filter(directory, q, dlat, dlon):
    place = SimpleNamespace(latitude=CENTER[0] + dlat, longitude=CENTER[1] + dlon, state="PA")
    found = search(directory, q, place)
    everyone = directory.query(Provider).all()
    expected = {p.id for p in everyone if p.settings != ["telehealth"] and passes(p, q)
                and haversine_miles(place.latitude, place.longitude, p.latitude, p.longitude) <= found.radius_miles}
    ids = [r.provider.id for r in found.results]
    pages = found.pages
    for page in range(2, pages + 1):
        more = search(directory, SearchQuery(**{**q.__dict__, "page": page}), place)
        ids += [r.provider.id for r in more.results]
    assert len(ids) == len(set(ids)) == found.total
    assert set(ids) == expected
    for r in found.results:
        assert r.distance_miles <= found.radius_miles + 1e-9 and passes(r.provider, q)
    if q.sort == "distance":
        distances = [r.distance_miles for r in found.results]
        assert distances == sorted(distances)
    for r in found.telehealth:
        assert "telehealth" in r.provider.settings and r.provider.state == "PA" and passes(r.provider, q)
