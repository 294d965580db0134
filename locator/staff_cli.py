"""Flask commands for staff accounts: create-staff, disable-staff.

    flask --app locator create-staff EMAIL --name NAME     the password from standard input when it is
                                                           not a terminal (a pipe), else asked twice
    flask --app locator disable-staff EMAIL
"""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from locator import db
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
            session.commit()
        except StaffError as exc:
            click.echo(f"Error: {exc}.", err=True)
            sys.exit(1)
        click.echo(f"Disabled staff account {account.id} ({account.email}).")


def register(app: Flask) -> None:
    app.cli.add_command(create_staff_command)
    app.cli.add_command(disable_staff_command)
