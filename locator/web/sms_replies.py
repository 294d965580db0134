"""The words of text-message answers, in the language of the answer (flask_babel.force_locale),
each at most LIMIT characters: three SMS segments. Every sentence is a msgid of translations/."""

from __future__ import annotations

from flask_babel import gettext

from locator.web.wording import Words

LIMIT = 480
HELPLINE = "1-800-662-4357"


def _emergency() -> str:
    return gettext("Overdose or not breathing: call 911 now and give naloxone if you have it. "
                   "Thinking of suicide: call or text 988.")


def _fit(parts: list[str]) -> str:
    """The parts joined by line breaks, cut to LIMIT characters at a word."""
    text = "\n".join(p for p in parts if p)
    if len(text) <= LIMIT:
        return text
    return text[:LIMIT - 1].rsplit(" ", 1)[0] + "…"


def help_text() -> str:
    return _fit([
        gettext("Text a ZIP code, or a city and state (like Dayton OH), to find treatment with medication for "
                "opioid use. Add a medicine (bupe, methadone) or how you pay (medicaid)."),
        gettext("MORE: more places. ES: en español. STOP: no more texts."),
        gettext("Crisis: call or text 988. National Helpline, free, 24/7: %(number)s.", number=HELPLINE),
        gettext("After a break from opioids your body takes less: a smaller amount can stop your breathing. "
                "Do not mix with benzos or alcohol. Carry naloxone."),
    ])


def stopped() -> str:
    return gettext("You will get no more texts from us. Text HELP for help, or call %(number)s any time.",
                   number=HELPLINE)


def language_set() -> str:
    return gettext("We will answer in English. Text a ZIP code to find treatment.")


def ask_for_place(emergency: bool = False) -> str:
    return _fit([_emergency() if emergency else "",
                 gettext("Text a 5-digit ZIP code (like 19104) to find treatment nearby. HELP for help.")])


def not_found() -> str:
    return gettext("We could not find that place. Please text a 5-digit ZIP code, like 19104.")


def _place_line(w: Words, n: int, result) -> str:
    p = result.provider
    phone = p.intake_phone or p.phone
    if p.phone_bad_at and phone == p.phone:  # staff found it not working, and there is no other line
        phone = gettext("no working number: call 1-800-662-4357")
    where = w.distance(result.distance_miles, result.distance_precision) if result.distance_miles is not None else ""
    facts = ", ".join(part for part in (phone, where) if part)
    return gettext("%(n)s. %(name)s, %(facts)s. %(start)s", n=n, name=p.name, facts=facts,
                   start=w.start(result.availability))


def places(w: Words, results, first: int, emergency: bool = False, more: bool = False) -> str:
    """Up to three places, as many as fit, then how to get more; the state's bridge options when
    few places are near; a note when the places are fictional demonstration data."""
    head = [_emergency()] if emergency else []
    found = results.results
    if not found:
        head.append(gettext("No more places near %(place)s.", place=results.place.label) if more else
                    gettext("We found no place near %(place)s.", place=results.place.label))
    else:
        head.append(gettext("Best places near %(place)s to start soon:", place=results.place.label))
    foot = []
    if found and first + len(found) - 1 < results.total:
        foot.append(gettext("Text MORE for more places."))
    bridge = results.bridges[0] if results.bridges else None
    if bridge is not None:
        foot.append(gettext("Start today: %(name)s, %(phone)s.", name=bridge.name, phone=bridge.phone))
    foot.append(gettext("Helpline 24/7: %(number)s.", number=HELPLINE))
    if any(r.provider.is_demo for r in found) or (bridge is not None and bridge.is_demo):
        foot.append(gettext("Demo data: these places are fictional."))
    lines: list[str] = []
    for n, result in enumerate(found, start=first):
        room = LIMIT - len("\n".join(head + lines + foot)) - 1
        line = _place_line(w, n, result)
        if len(line) > room:
            if lines:
                break  # the next places come with MORE
            line = line[:max(room - 1, 0)].rsplit(" ", 1)[0] + "…"  # one long place: cut it, never the foot
        lines.append(line)
    return _fit(head + lines + foot)


def ambiguous(place: str) -> str:
    return gettext("There are several places called %(place)s. Please text the state too (like Springfield IL), "
                   "or a 5-digit ZIP code.", place=place[:40])
