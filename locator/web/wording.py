"""The words for what the domain returns as data: vocabulary labels, reasons, location errors and
the problems of a query or a report, in the request's language, from the gettext catalogues.

The domain core never words anything: a `Reason` is a kind with its numbers, a `GeocodeError` a
reason with its values, a `Problem` a code with its values. Each is turned into a sentence here
(for templates, the JSON API and the `geocode` command alike), so every sentence a person reads
is a msgid of `translations/`: adding a language never touches Python.
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_date, format_skeleton
from flask_babel import get_locale, gettext, lazy_gettext, ngettext

from locator import vocabulary
from locator.vocabulary import N_

# The search form's fields, as its error summary names them.
FIELDS = {
    "location": lazy_gettext("Where"), "radius": lazy_gettext("Within"), "medication": lazy_gettext("Medicine"),
    "payment": lazy_gettext("Payment"), "language": lazy_gettext("Language"), "service": lazy_gettext("Services"),
    "population": lazy_gettext("Programs for"), "accepting": lazy_gettext("Taking new patients"),
    "walk_in": lazy_gettext("Walk-in"), "telehealth": lazy_gettext("Telehealth"),
    "max_wait": lazy_gettext("Longest wait"), "sort": lazy_gettext("Order"), "page": lazy_gettext("Page"),
    "per_page": lazy_gettext("Results per page"),
}
SORTS = {"best": lazy_gettext("Best match"), "distance": lazy_gettext("Nearest first"),
         "wait": lazy_gettext("Soonest start first")}
REPORTERS = {"provider": lazy_gettext("the provider"), "caseworker": lazy_gettext("a caseworker"),
             "import": lazy_gettext("an imported directory")}
PRECISIONS = {"address": lazy_gettext("street address"), "zip": lazy_gettext("ZIP code area only"),
              "city": lazy_gettext("city only"), "point": lazy_gettext("map point")}
FRESHNESS = {"fresh": lazy_gettext("recent"), "ageing": lazy_gettext("getting old"),
             "stale": lazy_gettext("out of date"), "unknown": lazy_gettext("unknown")}

LOCATION_ERRORS = {
    "ask": N_("Please enter a ZIP code, a city and state (such as Dayton, OH), or a street address."),
    "too_long": N_("That location is too long: please use at most %(limit)s characters."),
    "control_characters": N_("That location contains control characters: please type it again."),
    "not_a_place": N_("Please enter only a place: a ZIP code, a city and state, a street address, "
                      "or latitude,longitude."),
    "zip_digits": N_("A ZIP code has five digits (for example 19104); %(text)s has %(digits)s."),
    "zip_not_found": N_("We could not find the ZIP code %(zip)s. Please check it, or type a city and state instead."),
    "lat_lon_range": N_("Latitude must be between -90 and 90 and longitude between -180 and 180 "
                        "(for example 39.95,-75.16)."),
    "not_in_us": N_("That point is not in the United States. Please enter a US location."),
    "not_in_state": N_("We could not find \"%(text)s\" in %(state)s. Please check the spelling, or try a ZIP code."),
    "state_alone": N_("Please add a city or ZIP code in %(state)s."),
    "state_or_city": N_("Please add a city or ZIP code in %(state)s. Or did you mean \"%(suggestion)s\"?"),
    "ambiguous": N_("There is a %(name)s in %(count)s states. Please choose one, or add the state "
                    "(for example \"%(example)s\")."),
    "ambiguous_many": N_("There is a %(name)s in %(count)s states (the %(listed)s with the most ZIP codes are "
                         "listed). Please choose one, or add the state (for example \"%(example)s\")."),
    "not_found": N_("We could not find a place called \"%(text)s\". Please check the spelling, add the state "
                    "(for example \"Dayton, OH\"), or try a ZIP code."),
    "address_without_zip": N_("We could not place that street address without a ZIP code. Please add its ZIP "
                              "code, or its city and state."),
    "not_understood": N_("We could not understand that location. Please try a ZIP code, or a city and state."),
    "device_unreadable": N_("The location from your device could not be read."),
    "device_out_of_range": N_("The location from your device is out of range."),
}

# What is wrong with one value of a query or a report; shown after the field's name or label.
PROBLEMS = {
    "too_long": N_("is too long: use at most %(limit)s characters"),
    "unknown_value": N_("has an unknown value '%(value)s'; choose from %(choices)s"),
    "not_a_flag": N_("must be 1 (yes) or 0 (no)"),
    "not_a_whole_number": N_("must be a whole number from %(low)s to %(high)s"),
    "not_a_number": N_("must be a number from %(low)s to %(high)s"),
    "out_of_range": N_("must be from %(low)s to %(high)s"),
    "unknown_sort": N_("must be one of %(choices)s"),
    "not_utf8": N_("is not UTF-8 text"),
    "too_deep": N_("is nested too deeply"),
    "not_json": N_("is not valid JSON (line %(line)s, column %(column)s)"),
    "not_json_constant": N_("is not valid JSON: %(value)s is not allowed"),
    "repeated_key": N_("is not valid JSON: the key '%(key)s' is repeated"),
    "not_object": N_("must be a JSON object with the report's fields"),
    "unknown_field": N_("is not a known field; known: %(known)s"),
    "required": N_("is required"),
    "not_boolean": N_("must be true or false"),
    "not_whole_days": N_("must be a whole number of days or null"),
    "not_text": N_("must be text"),
    "control_characters": N_("contains control characters"),
    "invisible_characters": N_("contains invisible or text-direction characters: please type it again"),
}


def label(text: str) -> str:
    """A vocabulary label (English msgid) in the page's language."""
    return gettext(text)


def labels(category: str, keys) -> str:
    """Labels of a category's keys, in vocabulary order as given, joined with commas."""
    terms = vocabulary.CATEGORIES[category].by_key
    return ", ".join(gettext(terms[k].label) for k in keys if k in terms)


def state_name(code: str | None) -> str:
    return gettext(vocabulary.state_name(code)) if code in vocabulary.US_STATES else (code or "")


def location_error(exc) -> str:
    values = dict(exc.values)
    if "state" in values:
        values["state"] = state_name(values["state"])
    return gettext(LOCATION_ERRORS.get(exc.reason, LOCATION_ERRORS["not_understood"]), **values)


def problem(item) -> str:
    """A search_query.Problem (or a report's) as the words that follow its field's name."""
    code, values = item.code, dict(item.values)
    if code == "not_a_number" and values.pop("whole", False):
        code = "not_a_whole_number"
    values.pop("whole", None)
    if code == "unknown_value":  # the choices as a person reads them, in the page's language
        category = vocabulary.CATEGORIES[values.pop("category")]
        values["choices"] = ", ".join(gettext(term.label) for term in category)
    if code == "unknown_sort":
        values["choices"] = ", ".join(str(label) for label in SORTS.values())
    return gettext(PROBLEMS[code], **values)


def ago(days: int) -> str:
    if days == 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    return ngettext("%(num)s day ago", "%(num)s days ago", days)


def said(reason) -> str:
    """"reported by the provider today", from a reason's reported_by and age_days."""
    who = REPORTERS.get(reason.reported_by or "import", REPORTERS["import"])
    return gettext("reported by %(who)s %(when)s", who=str(who), when=ago(reason.age_days or 0))


def month(day) -> str:
    """The month of a date ("March", or "March 2025" when not this year), in the page's language."""
    locale = get_locale() or "en"
    if day.year == datetime.now(UTC).year:
        return format_date(day, "LLLL", locale=locale)  # the month's name standing alone
    return format_skeleton("yMMMM", day, locale=locale)


def miles(value: float) -> str:
    return gettext("%(miles)s mi away", miles=format(value, ".1f"))


def reason(item) -> str:
    """One search_result reason (locator.ranking.Reason) as a short sentence."""
    kind = item.kind
    if kind == "distance":
        return miles(item.miles)
    if kind == "no_report":
        return gettext("No availability reported yet: call to ask about openings")
    if kind == "stale_since":
        return gettext("Availability not confirmed since %(month)s", month=month(item.since))
    if kind == "not_accepting":
        return gettext("Not taking new patients, %(said)s", said=said(item))
    if kind == "walk_in":
        return gettext("Walk-in: no appointment needed")
    if kind == "same_day_start":
        return gettext("Can start medication the same day")
    if kind == "wait":
        if item.days == 0:
            return gettext("No wait, %(said)s", said=said(item))
        return ngettext("About %(num)s day's wait, %(said)s", "About %(num)s days' wait, %(said)s", item.days,
                        said=said(item))
    if kind == "accepting":
        return gettext("Taking new patients, %(said)s", said=said(item))
    if kind == "payment":
        return gettext("Accepts %(payment)s", payment=label(vocabulary.PAYMENT.by_key[item.term].label))
    return label(vocabulary.CATEGORIES[kind].by_key[item.term].label)  # services, languages, populations


def reasons(items) -> list[str]:
    return [reason(item) for item in items]
