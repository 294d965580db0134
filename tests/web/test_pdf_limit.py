from tests.factories import make_provider


def test_referral_pdfs_are_rate_limited_per_address(client, session):
    provider = make_provider(session)
    statuses = [client.get(f"/referrals.pdf?ids={provider.id}").status_code for _ in range(11)]
    assert statuses[:10] == [statuses[0]] * 10 and statuses[0] in (200, 503)
    assert statuses[10] == 429
