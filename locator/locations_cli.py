"""Flask commands that place providers at their street address: `geocode-providers` (ask the
configured geocoder) and `import-coordinates` (a file of geocoded addresses). Thin shells over
locator.geocode_providers and locator.locations; each prints a summary, and exits 2 when it
cannot start (no remote geocoder; a file that cannot be read).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from locator import db
from locator.geocode_providers import OUTCOMES, STOPS, GeocodeRun, candidates, geocode, not_asked
from locator.geocoding.remote import US_COUNTRY_CODES
from locator.importers import FileError
from locator.locations import import_coordinates


@click.command("geocode-providers")
@click.option("--source", default=None, help="Only providers of this import source.")
@click.option("--state", default=None, help="Only providers in this state (two letters).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Ask about at most this many.")
@click.option("--overwrite", is_flag=True, help="Also ask about providers already placed at a street address.")
@with_appcontext
def geocode_providers_command(source: str | None, state: str | None, limit: int | None, overwrite: bool) -> None:
    """Place providers known only by their ZIP or city at their street address, with GEOCODER."""
    service = current_app.extensions["locator.geocoder"]
    if service.remote is None:
        click.echo("Error: GEOCODER is offline. Set GEOCODER (and GEOCODER_DOMAIN) to a geocoder you may ask "
                   "thousands of times, such as your own Nominatim, Pelias or Photon.", err=True)
        sys.exit(2)
    geocoder, rate = service.remote.geocoder, current_app.config["GEOCODER_RATE_LIMIT"]
    params = {"country_codes": US_COUNTRY_CODES} if "country_codes" in service.remote.params else {}
    run = GeocodeRun()
    with db.new_session() as session:
        providers, run.skipped = not_asked(session, candidates(session, source, state, overwrite), service.name)
        providers = providers[:limit]
        started = time.monotonic()

        def shown(item) -> str:
            return f"{run.asked / max(time.monotonic() - started, 1e-6):.1f}/s" if item else ""

        items = geocode(session, providers, geocoder, service.name, rate, current_app.config["GEOCODER_TIMEOUT"],
                        params)
        stopped = None
        with click.progressbar(items, length=len(providers), label="Geocoding providers", show_eta=True,
                               show_pos=True, item_show_func=shown, file=sys.stderr) as bar:
            try:
                for provider, outcome, why in bar:
                    run.asked += 1
                    run.counts[outcome] += 1
                    if why:
                        run.refusals.append((provider.id, why))
            except STOPS as exc:
                stopped = exc
    for provider_id, why in run.refusals:
        click.echo(f"provider {provider_id}: {why}")
    names = {"not_found": "not found", "error": "errors"}
    click.echo(f"Asked {run.asked} ({run.skipped} asked before): "
               + ", ".join(f"{names.get(kind, kind)} {run.counts[kind]}" for kind in OUTCOMES) + ".")
    if stopped is not None:
        click.echo(f"Error: the geocoder refused to answer ({type(stopped).__name__}: {stopped}). Stopped; "
                   "run the command again once the key or quota allows it.", err=True)
        sys.exit(1)


@click.command("import-coordinates")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--overwrite", is_flag=True, help="Also replace locations already at a street address.")
@with_appcontext
def import_coordinates_command(path: Path, overwrite: bool) -> None:
    """Place providers at the geocoded street addresses of a CSV or XLSX file."""
    with db.new_session() as session:
        try:
            report = import_coordinates(session, path, overwrite)
            session.commit()
        except FileError as exc:
            session.rollback()
            click.echo(f"Error: {exc}. Nothing was changed.", err=True)
            sys.exit(2)
    for kind, rows in (("unmatched", report.unmatched), ("ambiguous", report.ambiguous),
                       ("refused", report.refused)):
        for line, why in sorted(rows):
            click.echo(f"{kind} line {line}: {why}")
    click.echo(f"{path.name}: improved {report.improved}, unchanged {report.unchanged}, "
               f"unmatched {len(report.unmatched)}, ambiguous {len(report.ambiguous)}, refused {len(report.refused)}")


def register(app: Flask) -> None:
    app.cli.add_command(geocode_providers_command)
    app.cli.add_command(import_coordinates_command)
