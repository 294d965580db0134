"""issue-token, revoke-token and import-availability, and a token from the command line at work."""

import re

from sqlalchemy import func, select

from locator import db
from locator.models import ApiToken, AvailabilityReport
from tests.factories import make_provider


def issued(result) -> tuple[int, str]:
    token_id = int(re.search(r"Token id (\d+)", result.output).group(1))
    token = next(line for line in result.stdout.splitlines() if re.fullmatch(r"[A-Za-z0-9_-]{43}", line))
    return token_id, token


def reports(app) -> int:
    with app.app_context(), db.new_session() as session:
        return session.scalar(select(func.count()).select_from(AvailabilityReport))


def post(client, provider_id, token, **body):
    return client.post(f"/api/v1/providers/{provider_id}/availability", headers={"Authorization": f"Bearer {token}"},
                       json={"accepting_new_patients": True, **body})


def test_issue_token_prints_the_token_once_with_its_id_and_stores_only_its_hash(app, runner, session):
    provider = make_provider(session)
    result = runner.invoke(args=["issue-token", str(provider.id)])
    assert result.exit_code == 0, result.output
    token_id, token = issued(result)
    assert result.output.count(token) == 1
    assert "will not be shown again" in result.output and f"revoke-token {token_id}" in result.output
    with app.app_context(), db.new_session() as own:
        row = own.get(ApiToken, token_id)
        assert row.provider_id == provider.id and row.token_hash != token and token not in str(vars(row))


def test_a_token_from_the_command_line_reports_at_once_and_revoking_it_stops_it(app, runner, client, session):
    provider = make_provider(session)
    token_id, token = issued(runner.invoke(args=["issue-token", str(provider.id)]))
    assert post(client, provider.id, token, wait_days=2).status_code == 201
    result = runner.invoke(args=["revoke-token", str(token_id)])
    assert result.exit_code == 0 and f"Token {token_id} revoked." in result.output
    assert post(client, provider.id, token).status_code == 401
    assert "already revoked" in runner.invoke(args=["revoke-token", str(token_id)]).output
    assert reports(app) == 1


def test_issue_token_for_staff_makes_a_caseworker_token_for_any_provider(app, runner, client, session):
    first, second = make_provider(session), make_provider(session)
    result = runner.invoke(args=["issue-token", "--staff", "Dana Reyes"])
    assert result.exit_code == 0 and "caseworker 'Dana Reyes'" in result.output
    _, token = issued(result)
    for provider in (first, second):
        assert post(client, provider.id, token).get_json()["reporter_kind"] == "caseworker"


def test_issue_token_refuses_unclear_or_unknown_requests(runner, session):
    provider = make_provider(session)
    assert runner.invoke(args=["issue-token"]).exit_code == 2
    assert runner.invoke(args=["issue-token", str(provider.id), "--staff", "Dana"]).exit_code == 2
    unknown = runner.invoke(args=["issue-token", "424242"])
    assert unknown.exit_code == 1 and "no provider has the id 424242" in unknown.output
    assert runner.invoke(args=["issue-token", "--staff", "   "]).exit_code == 1
    assert runner.invoke(args=["revoke-token", "99"]).exit_code == 1


def test_import_availability_prints_a_summary_and_each_rejected_line(app, runner, session, tmp_path):
    provider = make_provider(session)
    path = tmp_path / "waits.csv"
    path.write_text("provider_id,accepting_new_patients,wait_days,reported_at,reported_by\n"
                    f"{provider.id},yes,4,2026-01-10,caseworker\n{provider.id},yes,999,2026-01-11,\n")
    result = runner.invoke(args=["import-availability", str(path)])
    assert result.exit_code == 0, result.output
    assert "rejected line 3: wait_days: 999 is outside 0 to 365" in result.output
    assert "waits.csv: added 1, unchanged 0, rejected 1" in result.output
    again = runner.invoke(args=["import-availability", str(path)])
    assert "added 0, unchanged 1, rejected 1" in again.output and reports(app) == 1


def test_import_availability_with_a_wrong_header_exits_2_and_writes_nothing(app, runner, session, tmp_path):
    provider = make_provider(session)
    path = tmp_path / "bad.csv"
    path.write_text(f"id,when\n{provider.id},2026-01-10\n")
    result = runner.invoke(args=["import-availability", str(path)])
    assert result.exit_code == 2 and "wrong header" in result.output and "Nothing was imported" in result.output
    assert runner.invoke(args=["import-availability", str(tmp_path / "missing.csv")]).exit_code == 2
    assert reports(app) == 0
