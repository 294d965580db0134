"""Flask commands: init-db, import-providers, import-bridges, export-providers, geocode.

Each command is a thin shell over the domain core; exit codes follow the guide: 0 done,
2 the file could not be read (nothing written); `geocode` exits 1 when the place is not found
and 3 when it is ambiguous.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from locator import confirmations_cli, db, locations_cli, staff_cli, tokens_cli
from locator.geocoding import GeocodeError, LocationAmbiguous
from locator.importers import READERS, FileError, import_file

PROGRESS_MIN_BYTES = 1_000_000  # about 3,000 rows of providers.csv


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or migrate the database schema to the newest revision (safe to run again)."""
    db.migrate(db.get_engine())
    with db.new_session() as session:
        click.echo(f"Database ready: {db.provider_count(session)} providers.")


@click.command("import-providers")
@click.argument("path", type=click.Path(path_type=Path))  # a folder for --format hsds
@click.option("--format", "fmt", type=click.Choice(sorted(READERS)), default="csv", show_default=True)
@click.option("--source", default=None,
              help="Source name for matching re-imports (default: the file name for csv, else the format).")
@click.option("--if-empty", is_flag=True, help="Import only when the database holds no provider yet.")
@with_appcontext
def import_providers_command(path: Path, fmt: str, source: str | None, if_empty: bool) -> None:
    """Import providers from PATH: new rows are added, changed rows updated, bad rows reported."""
    db.migrate(db.get_engine())
    if if_empty:
        with db.new_session() as session:
            if db.provider_count(session):
                click.echo("The database already holds providers: nothing imported.")
                return
    geocoder = current_app.extensions["locator.geocoder"]
    source = source or (path.name.split(".")[0] if fmt == "csv" else fmt)
    show_progress = path.is_file() and path.stat().st_size > PROGRESS_MIN_BYTES and sys.stderr.isatty()

    def progress(items):
        with click.progressbar(items, label=f"Importing {path.name}", file=sys.stderr) as bar:
            yield from bar

    with db.new_session() as session:
        try:
            report = import_file(session, path, fmt, source, locate=geocoder.place_provider,
                                 progress=progress if show_progress else None)
        except FileError as exc:
            click.echo(f"Error: {exc}. Nothing was imported.", err=True)
            sys.exit(2)
    db.checkpoint(db.get_engine())
    for error in report.rejected:
        click.echo(f"rejected line {error.line}: {error.column}: {error.reason}")
    for line in report.details():  # notes, skipped rows by reason, unmapped codes
        click.echo(line)
    click.echo(f"{path.name}: {report.summary()}")


@click.command("import-bridges")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--if-empty", is_flag=True, help="Import only when no bridge option is loaded yet.")
@with_appcontext
def import_bridges_command(path: Path, if_empty: bool) -> None:
    """Load the start-today bridge options from PATH (docs/bridges.md): the file is the whole list."""
    from sqlalchemy import func, select

    from locator.importers.bridges_csv import import_bridges
    from locator.models import Bridge

    db.migrate(db.get_engine())
    with db.new_session() as session:
        if if_empty and session.scalar(select(func.count()).select_from(Bridge)):
            click.echo("Bridge options are already loaded: nothing imported.")
            return
        try:
            report = import_bridges(session, path)
        except FileError as exc:
            click.echo(f"Error: {exc}. Nothing was imported.", err=True)
            sys.exit(2)
    for error in report.rejected:
        click.echo(f"rejected line {error.line}: {error.column}: {error.reason}")
    for line in report.details():
        click.echo(line)
    if not (report.added or report.updated or report.unchanged):
        click.echo("No good row: the bridge options were left as they were.")
    click.echo(f"{path.name}: {report.summary()}")


@click.command("export-providers")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "hsds"]), default="csv", show_default=True)
@with_appcontext
def export_providers_command(path: Path, fmt: str) -> None:
    """Write every provider to PATH: providers.csv, or an HSDS 3.0 folder (a .zip if PATH ends so)."""
    from locator.exporters.providers_csv import write_providers_csv

    if fmt == "hsds":
        from locator.exporters.hsds import write_hsds

        with db.new_session() as session:
            count = write_hsds(session, path)
        click.echo(f"Exported {count} providers to {path} (HSDS 3.0).")
        return
    with db.new_session() as session, path.open("w", newline="", encoding="utf-8") as handle:
        count = write_providers_csv(session, handle)
    click.echo(f"Exported {count} providers to {path}.")


@click.command("purge-cache")
@with_appcontext
def purge_cache_command() -> None:
    """Delete expired geocoder answers and text conversations (for cron; the app does it as it goes)."""
    from locator import sms_state
    from locator.geocoding.cache import purge

    with db.new_session() as session:
        count = purge(session)
        conversations = sms_state.purge(session)
        session.commit()
    click.echo(f"Deleted {count} expired geocoder answers and {conversations} expired text conversations.")


@click.command("geocode")
@click.argument("query")
@with_appcontext
def geocode_command(query: str) -> None:
    """Place QUERY: a ZIP, "City, ST", a street address or "lat,lon".

    Prints LAT,LON<TAB>LABEL<TAB>PRECISION (six decimals). Not found or not a valid location:
    the message on stderr, exit 1. Ambiguous: the message on stderr and one candidate per line
    on stdout, exit 3. A street address placed only at its ZIP or city says so on stderr.
    """
    from locator.web.wording import Words  # the words people see on the search form

    service = current_app.extensions["locator.geocoder"]
    try:
        place = service.locate(query, session=db.get_session())  # the session holds remote answers
    except LocationAmbiguous as exc:
        click.echo(Words().location_error(exc), err=True)
        for candidate in exc.candidates:
            click.echo(candidate.label)
        raise click.exceptions.Exit(3) from None
    except GeocodeError as exc:
        click.echo(Words().location_error(exc), err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"{place.latitude:.6f},{place.longitude:.6f}\t{place.label}\t{place.precision}")
    if place.reduced:
        click.echo(f"Precision reduced: the street address was placed at its {place.precision}.", err=True)


def init_app(app: Flask) -> None:
    for command in (init_db_command, import_providers_command, import_bridges_command, export_providers_command,
                    geocode_command, purge_cache_command):
        app.cli.add_command(command)
    tokens_cli.register(app)
    staff_cli.register(app)
    locations_cli.register(app)
    confirmations_cli.register(app)
