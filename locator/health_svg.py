"""The freshness chart of the desk's front page, drawn on the server as one SVG string: a row per
state, its code, a track for all its listings, a patterned bar for the share with availability
younger than 60 days and a solid bar over it for the share younger than 14 days, then both
percentages as text. No script, nothing loaded from elsewhere; it prints well.

Accessible: `role="img"`, a `<title>` and a `<desc>` that reads every figure. Colour is never the
only cue: the 60-day bar is hatched, the legend names both, and each row says its percentages.
Every word arrives already translated (`ChartWords`, from the web layer); this module only
escapes it. `percent` formats a share (0 to 1) for the reader's language in the rows' labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from locator.data_health import StateHealth

WIDTH, ROW, TOP, LABEL, BAR = 480, 20, 44, 34, 300
DARK, LIGHT, TRACK = "#1c4587", "#c9daf8", "#595959"  # DARK on white 9.6:1, TRACK on white 7:1


@dataclass(frozen=True)
class ChartWords:
    title: str  # "Listings with fresh availability, by state"
    within_14: str  # "within 14 days" (the legend)
    within_60: str  # "within 60 days"
    row: Callable[[StateHealth], str]  # one state's figures as a sentence (its plural is the web layer's)
    empty: str  # "No listings yet."


def whole_percent(share: float) -> str:
    return f"{round(share * 100)}%"


def freshness_chart(states: Sequence[StateHealth], words: ChartWords,
                    percent: Callable[[float], str] = whole_percent) -> str:
    height = TOP + ROW * max(len(states), 1) + 4
    description = "; ".join(words.row(s) for s in states) or words.empty
    parts = [
        f'<svg class="health-chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        'aria-labelledby="health-title health-desc" xmlns="http://www.w3.org/2000/svg" '
        'font-family="sans-serif" font-size="12" fill="#1b1b1b">',
        f'<title id="health-title">{escape(words.title)}</title>',
        f'<desc id="health-desc">{escape(description)}</desc>',
        '<defs><pattern id="health-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{LIGHT}"/>'
        f'<rect width="2" height="6" fill="{DARK}"/></pattern></defs>',
        _legend(words),
    ]
    for n, s in enumerate(states):
        parts.append(_row(TOP + n * ROW, s, percent))
    parts.append("</svg>")
    return "".join(parts)


def _legend(words: ChartWords) -> str:
    return (f'<g><rect x="{LABEL}" y="8" width="14" height="14" fill="{DARK}"/>'
            f'<text x="{LABEL + 20}" y="19">{escape(words.within_14)}</text>'
            f'<rect x="{LABEL + 170}" y="8" width="14" height="14" fill="url(#health-hatch)" stroke="{DARK}"/>'
            f'<text x="{LABEL + 190}" y="19">{escape(words.within_60)}</text></g>')


def _row(y: int, s: StateHealth, percent: Callable[[float], str]) -> str:
    w60, w14 = (f"{round(BAR * share, 1):g}" for share in (s.share_60, s.share_14))
    label = f"{percent(s.share_14)} / {percent(s.share_60)}"
    bars = f'<rect x="{LABEL}" width="{w60}" height="16" fill="url(#health-hatch)" stroke="{DARK}"/>' \
        if s.fresh_60 else ""
    bars += f'<rect x="{LABEL}" width="{w14}" height="16" fill="{DARK}"/>' if s.fresh_14 else ""
    return (f'<g transform="translate(0,{y})"><text x="0" y="13">{escape(s.state)}</text>'
            f'<rect x="{LABEL}" width="{BAR}" height="16" fill="#fff" stroke="{TRACK}"/>{bars}'
            f'<text x="{LABEL + BAR + 8}" y="13" data-state={quoteattr(s.state)}>{escape(label)}</text></g>')
