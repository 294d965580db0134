"""`flask --app locator geocode QUERY`: where a query lands, for people and for scripts.

Prints `LAT,LON<TAB>LABEL<TAB>PRECISION` (six decimals) and exits 0. Not found or not a valid
location: the message on stderr, exit 1. Ambiguous: the message on stderr and one candidate per
line on stdout, exit 3. A street address placed only at its ZIP or city says so on stderr.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from locator.geocoding.places import GeocodeError, LocationAmbiguous


@click.command("geocode")
@click.argument("query")
@with_appcontext
def geocode_command(query: str) -> None:
    """Place QUERY: a ZIP, "City, ST", a street address or "lat,lon"."""
    service = current_app.extensions["locator.geocoder"]
    session = None
    if "locator.sessionmaker" in current_app.extensions:  # the remote-answer cache
        from locator.db import get_session

        session = get_session()
    try:
        place = service.locate(query, session=session)
    except LocationAmbiguous as exc:
        click.echo(exc.message, err=True)
        for candidate in exc.candidates:
            click.echo(candidate.label)
        raise click.exceptions.Exit(3) from None
    except GeocodeError as exc:
        click.echo(exc.message, err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(f"{place.latitude:.6f},{place.longitude:.6f}\t{place.label}\t{place.precision}")
    if place.reduced:
        click.echo(f"Precision reduced: the street address was placed at its {place.precision}.", err=True)
