"""Flask commands for staff accounts and what they did: create-staff, disable-staff, audit.

    flask --app locator create-staff EMAIL --name NAME     the password from standard input when it is
                                                           not a terminal (a pipe), else asked twice
    flask --app locator disable-staff EMAIL
    flask --app locator audit [--since DATE]               the audit log, oldest first, one line each

Creating and disabling an account are audited as the operator's actions.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click
from flask import Flask
from flask.cli import with_appcontext

from locator import audit, db
from locator.staff import PASSWORD_MIN, StaffError, create_staff, disable_staff


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(f"Password (at least {PASSWORD_MIN} characters)", hide_input=True,
                        confirmation_prompt=True)


@click.command("create-staff")
@click.argument("email")
@click.option("--name", required=True, help="The staff member's name, as the desk shows it.")
@with_appcontext
def create_staff_command(email: str, name: str) -> None:
    """Create a staff account for the verification desk."""
    db.migrate(db.get_engine())
    password = _password()
    with db.new_session() as session:
        try:
            account = create_staff(session, email, name, password)
            audit.record(session, "operator", "staff_created", staff_id=account.id)
            session.commit()
        except StaffError as exc:
            click.echo(f"Error: {exc}. No account was created.", err=True)
            sys.exit(1)
        click.echo(f"Created staff account {account.id} for {account.email}.")


@click.command("disable-staff")
@click.argument("email")
@with_appcontext
def disable_staff_command(email: str) -> None:
    """Disable a staff account: it cannot sign in, and its open sessions end."""
    with db.new_session() as session:
        try:
            account = disable_staff(session, email)
            audit.record(session, "operator", "staff_disabled", staff_id=account.id)
            session.commit()
        except StaffError as exc:
            click.echo(f"Error: {exc}.", err=True)
            sys.exit(1)
        click.echo(f"Disabled staff account {account.id} ({account.email}).")


@click.command("audit")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Only entries from this date (YYYY-MM-DD, UTC) on.")
@with_appcontext
def audit_command(since: datetime | None) -> None:
    """Print the audit log: when, who, what, which listing, details (tab-separated)."""
    with db.new_session() as session:
        for line in audit.entries(session, since.replace(tzinfo=UTC) if since else None):
            listing = f"provider {line.provider_id}" if line.provider_id is not None else "-"
            detail = json.dumps(line.detail, sort_keys=True, ensure_ascii=False)
            click.echo("\t".join((line.at.isoformat(timespec="seconds"), line.who, line.action, listing, detail)))


def register(app: Flask) -> None:
    app.cli.add_command(audit_command)
    app.cli.add_command(create_staff_command)
    app.cli.add_command(disable_staff_command)
