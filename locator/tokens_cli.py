"""Flask commands for availability reporting: issue-token, revoke-token, import-availability.

    flask --app locator issue-token PROVIDER_ID      a token that reports for that provider only
    flask --app locator issue-token --staff NAME     a caseworker's token, for any provider
    flask --app locator revoke-token TOKEN_ID
    flask --app locator import-availability PATH     a CSV of reports (docs/availability.md)

A new token is printed once, with its id (for revoke-token); only its hash is stored.
Exit codes: 0 done, 1 unknown provider or token, 2 usage error or unreadable file (nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from locator import db, tokens
from locator.importers.availability_csv import import_availability
from locator.importers.base import FileError


@click.command("issue-token")
@click.argument("provider_id", type=click.IntRange(min=1), required=False)
@click.option("--staff", "staff_name", metavar="NAME", help="Issue a caseworker's token that reports for any provider.")
@with_appcontext
def issue_token_command(provider_id: int | None, staff_name: str | None) -> None:
    """Issue a token for PROVIDER_ID, or for a caseworker with --staff NAME. It is shown once."""
    if (provider_id is None) == (staff_name is None):
        raise click.UsageError("give either PROVIDER_ID or --staff NAME")
    db.create_schema(db.get_engine())
    with db.new_session() as session:
        try:
            issued = tokens.issue(session, provider_id=provider_id, staff_name=staff_name)
            session.commit()
        except (LookupError, ValueError) as exc:
            click.echo(f"Error: {exc}.", err=True)
            sys.exit(1)
    who = f"provider {provider_id}" if provider_id is not None else f"caseworker {staff_name!r} (any provider)"
    click.echo(f"Token id {issued.id} for {who}:")
    click.echo(issued.token)
    click.echo("Copy it now: it will not be shown again (only its hash is stored). "
               f"To revoke it: flask --app locator revoke-token {issued.id}", err=True)


@click.command("revoke-token")
@click.argument("token_id", type=click.IntRange(min=1))
@with_appcontext
def revoke_token_command(token_id: int) -> None:
    """Revoke the token TOKEN_ID at once: it is refused from the next request on."""
    db.create_schema(db.get_engine())
    with db.new_session() as session:
        try:
            changed = tokens.revoke(session, token_id)
            session.commit()
        except LookupError as exc:
            click.echo(f"Error: {exc}.", err=True)
            sys.exit(1)
    click.echo(f"Token {token_id} revoked." if changed else f"Token {token_id} was already revoked.")


@click.command("import-availability")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_availability_command(path: Path) -> None:
    """Import availability reports from the CSV file PATH; bad rows are reported, good rows kept."""
    db.create_schema(db.get_engine())
    with db.new_session() as session:
        try:
            report = import_availability(session, path)
        except FileError as exc:
            click.echo(f"Error: {exc}. Nothing was imported.", err=True)
            sys.exit(2)
    for error in sorted(report.rejected, key=lambda e: e.line):
        click.echo(f"rejected line {error.line}: {error.column}: {error.reason}")
    click.echo(f"{path.name}: added {report.added}, unchanged {report.unchanged}, "
               f"rejected {len(report.rejected_lines)}")


def register(app: Flask) -> None:
    for command in (issue_token_command, revoke_token_command, import_availability_command):
        app.cli.add_command(command)
