"""Flask command: send-confirmations, for cron.

    flask --app locator send-confirmations [--older-than DAYS] [--limit N] [--dry-run]

Emails each listing whose availability is older than DAYS (default 14), or was never given, a
one-tap confirmation link and an unsubscribe link (locator.confirmations.due says who), in the
listing's `contact_language`, through the MAIL_* settings. Each email sent is one
ConfirmationRequest row and one audit entry, committed once the server took the message. Prints
what it did by listing id: never an address or a link. Exits 1 when mail is not configured or
the server cannot be reached (what was sent before stays sent).
"""

from __future__ import annotations

import smtplib
import sys

import click
from flask import Flask, current_app, render_template
from flask.cli import with_appcontext
from flask_babel import force_locale, gettext

from locator import confirmations, db
from locator.availability import availability_by_medication, current_availability
from locator.mail import Mailer, MailNotConfigured, MailSettings, message


def _link(endpoint: str, **values) -> str:
    """An absolute address on PUBLIC_URL (there is no request to take a host from)."""
    return current_app.config["PUBLIC_URL"] + current_app.url_map.bind("localhost").build(endpoint, values)


def _language(provider) -> str:
    lang = (provider.contact_language or "en").strip().lower()
    return lang if lang in current_app.config["LANGUAGES"] else "en"


def confirmation_message(provider, request, sender: str):
    """The email to `provider` for `request`, in the listing's language."""
    secret = current_app.config["SECRET_KEY"]
    lang = _language(provider)
    extra = {"lang": lang} if lang != "en" else {}
    confirm_url = _link("confirm.confirm_page", token=confirmations.make_token(secret, request), **extra)
    unsubscribe_url = _link("confirm.unsubscribe",
                            token=confirmations.unsubscribe_token(secret, provider.contact_email), **extra)
    with force_locale(lang):
        body = render_template("mail/confirmation.txt", provider=provider, confirm_url=confirm_url,
                               unsubscribe_url=unsubscribe_url, days=confirmations.TOKEN_DAYS,
                               by_medication=availability_by_medication(provider),
                               for_all=current_availability(provider))
        subject = gettext("Still taking new patients? Please confirm for %(name)s", name=provider.name)
    return message(subject, body, to=provider.contact_email, sender=sender, unsubscribe=unsubscribe_url)


@click.command("send-confirmations")
@click.option("--older-than", "older_than", type=click.IntRange(min=1), default=confirmations.DEFAULT_OLDER_THAN_DAYS,
              show_default=True, help="Ask listings whose availability is older than this many days.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most this many emails.")
@click.option("--dry-run", is_flag=True, help="Say who would be asked; send and write nothing.")
@with_appcontext
def send_confirmations_command(older_than: int, limit: int | None, dry_run: bool) -> None:
    """Email providers a one-tap link to confirm their availability (for cron)."""
    settings = MailSettings.from_config(current_app.config)
    if not dry_run:
        try:
            settings.check()
        except MailNotConfigured as exc:
            click.echo(f"Error: {exc}. Nothing was sent.", err=True)
            sys.exit(1)
    sent = refused = 0
    with db.new_session() as session:
        providers = confirmations.due(session, older_than, limit)
        if dry_run:
            for provider in providers:
                click.echo(f"would ask provider {provider.id} ({provider.name}) in {_language(provider)}")
            click.echo(f"Dry run: {len(providers)} listing(s) would be asked; nothing was sent.")
            return
        with Mailer(settings) as mailer:
            for provider in providers:
                request = confirmations.new_request(session, provider)
                try:
                    mailer.send(confirmation_message(provider, request, settings.sender))
                except smtplib.SMTPRecipientsRefused:
                    session.rollback()
                    refused += 1
                    click.echo(f"refused: provider {provider.id}: the server refused its address", err=True)
                    continue
                except (OSError, smtplib.SMTPException) as exc:
                    session.rollback()
                    click.echo(f"Error: the mail server failed ({type(exc).__name__}): {sent} sent before it.",
                               err=True)
                    sys.exit(1)
                session.commit()
                sent += 1
                click.echo(f"asked provider {provider.id} ({provider.name})")
    click.echo(f"Sent {sent} confirmation emails; {refused} refused.")


def register(app: Flask) -> None:
    app.cli.add_command(send_confirmations_command)
