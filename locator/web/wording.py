"""The words for what the domain returns as data: vocabulary labels, reasons, location errors and
the problems of a query or a report, in one language, from the gettext catalogues.

The domain core never words anything: a `Reason` is a kind with its numbers, a `GeocodeError` a
reason with its values, a `Problem` a code with its values. `Words` turns each into a sentence
(for templates, the JSON API and the `geocode` command alike), so every sentence a person reads
is a msgid of `translations/`: adding a language never touches Python.

A `Words` holds one language's catalogue, looked up once through Flask-Babel's public
`get_translations()` when it is made: a page or an API answer words hundreds of things, and
Flask-Babel looks the request's catalogue up again on each of its own `gettext` calls. Make one
per page or answer (templates get one per render, `locator.web.i18n`); never keep one longer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_date, format_skeleton
from flask_babel import get_locale, get_translations

from locator import vocabulary
from locator.vocabulary import N_
from locator.web.desk_wording import CHECKED

# The search form's fields, as its error summary names them.
FIELDS = {
    "location": N_("Where"), "radius": N_("Within"), "medication": N_("Medicine"), "payment": N_("Payment"),
    "language": N_("Language"), "service": N_("Services"), "population": N_("Programs for"),
    "accepting": N_("Taking new patients"), "walk_in": N_("Walk-in"), "telehealth": N_("Telehealth"),
    "no_counseling_required": N_("No counseling required to start"), "start_within": N_("First dose within"),
    "max_wait": N_("Longest wait"), "sort": N_("Order"), "page": N_("Page"), "per_page": N_("Results per page"),
}
# The orders offered ("wait", the old name of "soonest", still works but is not offered).
SORTS = {"best": N_("Best match"), "distance": N_("Nearest first"), "soonest": N_("Soonest first dose first")}
BRIDGE_KINDS = {"telehealth_line": N_("24/7 telehealth start line"),
                "ed_bridge": N_("Emergency department bridge program"),
                "access_line": N_("Treatment access line"), "mobile": N_("Mobile treatment unit")}
REPORTERS = {"provider": N_("the provider"), "caseworker": N_("a caseworker"), "import": N_("an imported directory")}
PRECISIONS = {"address": N_("street address"), "zip": N_("ZIP code area only"), "city": N_("city only"),
              "point": N_("map point")}
DATA_NOTES = {
    "methadone_by_certification": N_("Certified opioid treatment program: methadone is normally offered; "
                                     "call to confirm."),
    "marked_no_moud": N_("The directory also marks this place as not offering medication for opioid use "
                         "disorder: call to confirm."),
}
# A distance (as a card shows it, as a reason) by how exactly the provider is placed.
APPROXIMATE = ("zip", "city")
DISTANCES = {"zip": (N_("about %(miles)s mi (ZIP area)"), N_("about %(miles)s mi away (ZIP area)")),
             "city": (N_("about %(miles)s mi (city area)"), N_("about %(miles)s mi away (city area)")),
             None: (N_("%(miles)s mi"), N_("%(miles)s mi away"))}
FRESHNESS = {"fresh": N_("recent"), "ageing": N_("getting old"), "stale": N_("out of date"), "unknown": N_("unknown")}

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
    "not_found": N_("We could not find a place called \"%(text)s\". Please check the spelling, add the state "
                    "(for example \"Dayton, OH\"), or try a ZIP code."),
    "address_without_zip": N_("We could not place that street address without a ZIP code. Please add its ZIP "
                              "code, or its city and state."),
    "not_understood": N_("We could not understand that location. Please try a ZIP code, or a city and state."),
    "device_unreadable": N_("The location from your device could not be read."),
    "device_out_of_range": N_("The location from your device is out of range."),
    "ambiguous_largest": N_("There is a %(name)s in %(count)s states (the %(listed)s largest are listed). Please "
                            "choose one, or add the state (for example \"%(example)s\")."),
    "did_you_mean": N_("We could not find \"%(text)s\". Did you mean %(suggestion)s? Please choose a place, or "
                       "check the spelling."),
    "zip_leading_zero": N_("A ZIP code has five digits. Did you mean %(suggestion)s?"),
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
    "unknown_kind": N_("has an unknown value '%(value)s'; choose from %(choices)s"),
}
PROBLEM_KINDS = {
    "phone": N_("The phone number does not work"), "closed": N_("It has closed or moved"),
    "not_accepting": N_("It is not taking new patients"),
    "medication": N_("It does not offer a medication listed here"),
    "payment": N_("It does not take a payment listed here"), "other": N_("Something else"),
}


class Words:
    """One language's words: `gettext`, `ngettext`, and the wording of the domain's data."""

    def __init__(self):
        self.translations = get_translations()
        self.locale = get_locale() or "en"

    def gettext(self, message: str, **values) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        values.setdefault("num", n)
        return self.translations.ngettext(singular, plural, n) % values

    def label(self, text: str) -> str:
        """A vocabulary label (its English msgid) in this language."""
        return self.translations.gettext(text)

    def labels(self, category: str, keys) -> str:
        """Labels of a category's keys, in the order given, joined with commas; unknown keys left out."""
        terms = vocabulary.CATEGORIES[category].by_key
        return ", ".join(self.label(terms[k].label) for k in keys if k in terms)

    def state_name(self, code: str | None) -> str:
        return self.label(vocabulary.US_STATES[code]) if code in vocabulary.US_STATES else (code or "")

    def named(self, table: dict, key: str) -> str:
        """A key's label from one of this module's tables (FIELDS, SORTS, REPORTERS ...)."""
        return self.label(table[key]) if key in table else key

    def location_error(self, exc) -> str:
        values = dict(exc.values)
        if "state" in values:
            values["state"] = self.state_name(values["state"])
        return self.gettext(LOCATION_ERRORS.get(exc.reason, LOCATION_ERRORS["not_understood"]), **values)

    def problem(self, item, keys: bool = False) -> str:
        """A search_query.Problem (or a report's) as the words that follow its field's name. The
        choices a value may take are listed as a person reads them on a page, or as the values
        the parameter takes (`keys`, for the API)."""
        code, values = item.code, dict(item.values)
        if code == "not_a_number" and values.pop("whole", False):
            code = "not_a_whole_number"
        values.pop("whole", None)
        if code == "unknown_value":
            category = vocabulary.CATEGORIES[values.pop("category")]
            values["choices"] = ", ".join(category.keys()) if keys else "; ".join(
                self.label(term.label) for term in category)
        if code == "unknown_kind":
            values["choices"] = ", ".join(PROBLEM_KINDS) if keys else "; ".join(
                self.label(label) for label in PROBLEM_KINDS.values())
        if code == "unknown_sort":
            values["choices"] = ", ".join(SORTS) if keys else "; ".join(self.label(label) for label in SORTS.values())
        return self.gettext(PROBLEMS[code], **values)

    def ago(self, days: int) -> str:
        if days == 0:
            return self.gettext("today")
        if days == 1:
            return self.gettext("yesterday")
        return self.ngettext("%(num)s day ago", "%(num)s days ago", days)

    def checked(self, fact: str, verified, now: datetime | None = None) -> str:
        """"Phone checked 12 days ago by our staff", of a verification.Verified."""
        days = max(0, ((now or datetime.now(UTC)) - verified.at).days)
        return self.gettext(CHECKED[(fact, verified.kind)], when=self.ago(days))

    def said(self, reason) -> str:
        """"reported by the provider today", from a reason's reported_by and age_days."""
        return self.gettext("reported by %(who)s %(when)s", who=self.named(REPORTERS, reason.reported_by or "import"),
                            when=self.ago(reason.age_days or 0))

    def date(self, moment, length: str = "medium") -> str:
        """A date ("Nov 20, 2026", "20 nov 2026"), of a UTC datetime or a date."""
        return format_date(moment, length, locale=self.locale)

    def month(self, day) -> str:
        """The month of a date ("March", or "March 2025" when not this year)."""
        if day.year == datetime.now(UTC).year:
            return format_date(day, "LLLL", locale=self.locale)  # the month's name standing alone
        return format_skeleton("yMMMM", day, locale=self.locale)

    def distance(self, value: float, precision: str | None = None, away: bool = False) -> str:
        """A distance as a card shows it ("3.2 mi", "about 3 mi (ZIP area)"), or as a reason
        (`away`: "3.2 mi away"). One from a ZIP's or city's point is "about", in whole miles
        from 2 miles on: a tenth of a mile would claim a precision it does not have."""
        approximate = precision in APPROXIMATE
        miles = format(round(value)) if approximate and value >= 2 else format(value, ".1f")
        return self.gettext(DISTANCES[precision if approximate else None][away], miles=miles)

    def reason(self, item) -> str:
        """One search result reason (locator.ranking.Reason) as a short sentence."""
        kind = item.kind
        if kind == "distance":
            return self.distance(item.miles, item.precision, away=True)
        if kind == "no_report":
            return self.gettext("No availability reported yet: call to ask about openings")
        if kind == "stale_since":
            return self.gettext("Availability not confirmed since %(month)s", month=self.month(item.since))
        if kind == "not_accepting":
            if item.medication:
                return self.gettext("Not taking new patients for %(medication)s, %(said)s",
                                    medication=self.medication(item.medication), said=self.said(item))
            return self.gettext("Not taking new patients, %(said)s", said=self.said(item))
        if kind == "first_dose":
            return self.gettext("%(start)s, %(said)s", start=self.first_dose(item.days, item.medication, item.hours),
                                said=self.said(item))
        if kind == "walk_in":
            if item.hours:
                return self.gettext("Walk-in hours: %(hours)s", hours=item.hours)
            return self.gettext("Walk-in: no appointment needed")
        if kind == "accepting":
            return self.gettext("Taking new patients, %(said)s", said=self.said(item))
        if kind == "payment":
            return self.gettext("Accepts %(payment)s", payment=self.label(vocabulary.PAYMENT.by_key[item.term].label))
        return self.label(vocabulary.CATEGORIES[kind].by_key[item.term].label)  # services, languages, populations

    def medication(self, key: str) -> str:
        """A medication's name inside a sentence ("buprenorphine", "metadona")."""
        return self.label(vocabulary.MEDICATIONS.by_key[key].label).lower()

    def first_dose(self, days: int, medication: str | None, hours: str | None = None) -> str:
        """"Can start buprenorphine today: walk-in 6-9 am", "About 5 days to a first methadone dose"."""
        if days == 0:
            if medication is None:
                return self.gettext("Can start medication today")
            if hours:
                return self.gettext("Can start %(medication)s today: walk-in %(hours)s",
                                    medication=self.medication(medication), hours=hours)
            return self.gettext("Can start %(medication)s today", medication=self.medication(medication))
        if medication is None:
            return self.ngettext("About %(num)s day to a first dose", "About %(num)s days to a first dose", days)
        return self.ngettext("About %(num)s day to a first %(medication)s dose",
                             "About %(num)s days to a first %(medication)s dose", days,
                             medication=self.medication(medication))

    def start(self, a) -> str:
        """The headline of an availability (locator.availability.Availability): how soon a first
        dose is, or else whether it takes new patients."""
        if a.updated_at is None:
            return self.gettext("Availability unknown")
        if a.accepting_new_patients is False:
            if a.medication and not a.for_all:
                return self.gettext("Not taking new patients for %(medication)s",
                                    medication=self.medication(a.medication))
            return self.gettext("Not taking new patients")
        days = a.days_to_first_dose
        if days is not None:
            return self.first_dose(days, a.medication, a.walk_in_hours if a.walk_in else None)
        if a.accepting_new_patients:
            return self.gettext("Taking new patients")
        return self.gettext("Availability unknown")

    def reasons(self, items) -> list[str]:
        return [self.reason(item) for item in items]
