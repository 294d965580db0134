from tests.factories import make_provider


def test_referral_pdfs_are_rate_limited_per_address(client, session):
    provider = make_provider(session)
    statuses = [client.get(f"/referrals.pdf?ids={provider.id}").status_code for _ in range(11)]
    assert statuses[:10] == [statuses[0]] * 10 and statuses[0] in (200, 503)
    assert statuses[10] == 429


def test_every_view_with_a_limit_is_one_the_limiter_checks(app):
    """Views without a limit skip Flask-Limiter (ratelimit._route_without_limits): a limit added
    any other way than through `report_limits` or `pdf_limit` would then be skipped too."""
    from locator.web import ratelimit

    manager = ratelimit.limiter.limit_manager
    limited = set()
    with app.test_request_context():  # limits are read from the app's settings and the request
        assert not manager.application_limits and not manager.default_limits
        for endpoint, view in app.view_functions.items():
            _, decorated = manager.resolve_limits(app, endpoint, endpoint.rpartition(".")[0] or None)
            if decorated:
                limited.add(endpoint)
                assert view in ratelimit._limited_views, endpoint
    assert limited == {"reports.api_report", "reports.report_form", "referrals.pdf"}
