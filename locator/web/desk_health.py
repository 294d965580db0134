"""What the desk's front page needs to show the data's health (templates/desk/_health.html):
the figures (locator.data_health) and the freshness chart as inline SVG (locator.health_svg),
its words translated here, its percentages in the page's language.

    {% include "desk/_health.html" %} with the context of `health_context(session)`.
"""

from __future__ import annotations

from flask_babel import format_percent, gettext, ngettext
from markupsafe import Markup
from sqlalchemy.orm import Session

from locator.data_health import StateHealth, data_health
from locator.health_svg import ChartWords, freshness_chart


def percent(share: float) -> str:
    """A share (0 to 1) as a whole percentage in the page's language ("45%", "45 %")."""
    return format_percent(share)


def describe(s: StateHealth) -> str:
    return ngettext("%(state)s: %(num)s listing, %(fortnight)s within 14 days, %(two_months)s within 60 days",
                    "%(state)s: %(num)s listings, %(fortnight)s within 14 days, %(two_months)s within 60 days",
                    s.listings, state=s.state, fortnight=percent(s.share_14), two_months=percent(s.share_60))


def chart_words() -> ChartWords:
    return ChartWords(
        title=gettext("Listings with fresh availability, by state"),
        within_14=gettext("within 14 days"),
        within_60=gettext("within 60 days"),
        row=describe,
        empty=gettext("No listings yet."),
    )


def health_context(session: Session) -> dict:
    """`health` (a data_health.Health), `health_chart` (SVG markup, safe to inline) and
    `health_percent` (the percentage formatter, for the table beside the chart)."""
    health = data_health(session)
    # freshness_chart escapes every text it writes, so its result is markup as it stands.
    chart = Markup(freshness_chart(health.states, chart_words(), percent))
    return {"health": health, "health_chart": chart, "health_percent": percent}
