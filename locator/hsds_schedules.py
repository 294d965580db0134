"""Opening hours as HSDS 3.0 schedule rows: weekly rows when every part reads as "Days HH:MM-HH:MM"
("Mon-Fri 9:00-17:00; Sat 8:00-12:00"), else one row whose description is the whole text."""

from __future__ import annotations

import re

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEGMENT_RE = re.compile(r"^(?P<days>[A-Za-z][A-Za-z ,-]*?)\s+(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})$")


def schedule_rows(hours: str) -> list[dict]:
    """Weekly rows (byday, opens_at, closes_at), each with its own text as description; otherwise
    one row whose description is the whole text; none for no text."""
    hours = " ".join((hours or "").split())
    if not hours:
        return []
    rows = []
    for part in (s.strip() for s in hours.split(";")):
        match = SEGMENT_RE.match(part)
        days = _days(match.group("days")) if match else None
        if not days:
            return [{"description": hours}]
        rows.append({"description": part, "freq": "WEEKLY", "byday": ",".join(days),
                     "opens_at": _time(match.group("opens")), "closes_at": _time(match.group("closes"))})
    return rows


def _days(text: str) -> list[str] | None:
    found: list[int] = []
    for item in (i.strip().lower() for i in text.split(",")):
        ends = [e.strip()[:3] for e in item.split("-")]
        if not 1 <= len(ends) <= 2 or any(e not in DAY_NAMES for e in ends):
            return None
        first, last = DAY_NAMES.index(ends[0]), DAY_NAMES.index(ends[-1])
        found += [(first + n) % 7 for n in range((last - first) % 7 + 1)]
    return [DAY_CODES[d] for d in sorted(set(found))]


def _time(text: str) -> str:
    hour, minute = text.split(":")
    return f"{int(hour):02d}:{minute}:00"
