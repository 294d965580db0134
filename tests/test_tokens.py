"""Tokens: issued once, stored as a hash, checked in constant time, scoped, revocable."""

import hashlib
import hmac

import pytest
from sqlalchemy import select

from locator import tokens
from locator.models import ApiToken
from tests.factories import make_provider


def test_it_issues_a_random_url_safe_token_and_stores_only_its_sha256(session):
    provider = make_provider(session)
    first = tokens.issue(session, provider_id=provider.id)
    second = tokens.issue(session, provider_id=provider.id)
    session.commit()
    assert first.token != second.token and len(first.token) >= 43
    assert tokens.TOKEN_RE.fullmatch(first.token)
    row = session.get(ApiToken, first.id)
    assert row.token_hash == hashlib.sha256(first.token.encode()).hexdigest()
    stored = [str(v) for r in session.scalars(select(ApiToken)) for v in vars(r).values()]
    assert not any(first.token in value for value in stored)


def test_it_accepts_a_provider_token_for_its_own_provider(session):
    provider = make_provider(session)
    issued = tokens.issue(session, provider_id=provider.id)
    row = tokens.verify(session, issued.token, provider.id)
    assert row.id == issued.id and tokens.reporter_kind(row) == "provider"


def test_it_refuses_a_provider_token_for_another_provider(session):
    own, other = make_provider(session), make_provider(session)
    issued = tokens.issue(session, provider_id=own.id)
    with pytest.raises(tokens.WrongProvider):
        tokens.verify(session, issued.token, other.id)


def test_it_accepts_a_staff_token_for_any_provider_as_a_caseworker(session):
    first, second = make_provider(session), make_provider(session)
    issued = tokens.issue(session, staff_name="  Dana   Reyes ")
    for provider in (first, second):
        assert tokens.reporter_kind(tokens.verify(session, issued.token, provider.id)) == "caseworker"
    assert session.get(ApiToken, issued.id).staff_name == "Dana Reyes"


@pytest.mark.parametrize("presented", [None, "", "short", "x" * 43 + "!", "a" * 500, "ghost-" * 8])
def test_it_refuses_a_missing_malformed_or_unknown_token(session, presented):
    provider = make_provider(session)
    tokens.issue(session, provider_id=provider.id)
    with pytest.raises(tokens.InvalidToken):
        tokens.verify(session, presented, provider.id)


def test_it_refuses_a_revoked_token_and_revoking_twice_is_harmless(session):
    provider = make_provider(session)
    issued = tokens.issue(session, provider_id=provider.id)
    assert tokens.revoke(session, issued.id) is True
    assert tokens.revoke(session, issued.id) is False
    with pytest.raises(tokens.InvalidToken):
        tokens.verify(session, issued.token, provider.id)


def test_it_compares_the_hashes_in_constant_time(session, monkeypatch):
    provider = make_provider(session)
    issued = tokens.issue(session, provider_id=provider.id)
    calls, real = [], hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    tokens.verify(session, issued.token, provider.id)
    digest = hashlib.sha256(issued.token.encode()).hexdigest().encode()
    assert calls == [(digest, digest)]


def test_it_refuses_to_issue_for_an_unknown_provider_or_an_unclear_request(session):
    provider = make_provider(session)
    with pytest.raises(LookupError):
        tokens.issue(session, provider_id=424242)
    with pytest.raises(ValueError):
        tokens.issue(session)
    with pytest.raises(ValueError):
        tokens.issue(session, provider_id=provider.id, staff_name="Dana")
    with pytest.raises(ValueError):
        tokens.issue(session, staff_name="x" * 121)
    with pytest.raises(LookupError):
        tokens.revoke(session, 99)
