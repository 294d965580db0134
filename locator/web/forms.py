"""Flask-WTF forms (CSRF-protected): the availability report form of providers and caseworkers,
and the public's problem report form.

The form only turns text fields into the JSON body's types; the rules of a report live in
`locator.reports_input.validate_report`, which the API uses too. The token is a password
field: it is never rendered back into the page and never travels in a URL.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from locator import vocabulary
from locator.availability import HOURS_MAX, MAX_WAIT_DAYS, NOTE_MAX
from locator.models import DETAILS_MAX
from locator.tokens import TOKEN_RE
from locator.web.wording import PROBLEM_KINDS as PROBLEM_KIND_LABELS

try:  # WTForms 3.3 deprecates (value, label) tuples for SelectChoice
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - WTForms before 3.3
    def SelectChoice(value, label):
        return (value, label)

YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]
YES_NO_UNSAID = [SelectChoice("", _l("Not saying")), *YES_NO]
TRUTH = {"yes": True, "no": False, "": None}
TOKEN_MESSAGES = {
    "invalid_token": _l("This token is unknown or has been revoked. Ask for a new one if you need to."),
    "wrong_provider": _l("This token reports for another provider. Use the token given for this one."),
}


def check_days(form, field) -> None:
    """An empty value, or a whole number of days from 0 to MAX_WAIT_DAYS (our words, not WTForms')."""
    text = (field.data or "").strip()
    if text and not (text.isascii() and text.isdigit() and int(text) <= MAX_WAIT_DAYS):
        raise ValidationError(_l("Enter a number of days from 0 to %(max)s.", max=MAX_WAIT_DAYS))


class ReportFields(FlaskForm):
    """The fields of an availability report but whether the provider takes new patients (each
    form says whether that one is required). Choices are not checked here (validate_choice=False):
    validate_report says what is wrong, in the catalogue's words, as it does for the API."""

    medication = SelectField(
        _l("For which medication?"), default="", validate_choice=False,
        choices=[SelectChoice("", _l("All the medications we offer")),
                 *[SelectChoice(term.key, _l(term.label)) for term in vocabulary.MEDICATIONS]])
    wait_days = StringField(
        _l("Wait for a first appointment, in days"), validators=[check_days],
        render_kw={"inputmode": "numeric", "pattern": "[0-9]*", "maxlength": 3})
    walk_in = SelectField(_l("Walk-ins welcome?"), choices=YES_NO_UNSAID, default="", validate_choice=False)
    same_day_start = SelectField(_l("Can a new patient start medication the same day?"),
                                 choices=YES_NO_UNSAID, default="", validate_choice=False)
    first_dose_at_first_visit = SelectField(_l("Is the first dose given at the first visit?"),
                                            choices=YES_NO_UNSAID, default="", validate_choice=False)
    walk_in_hours = StringField(
        _l("Walk-in hours (optional)"),
        validators=[Length(max=HOURS_MAX, message=_l("Keep the hours to %(max)s characters or fewer.",
                                                     max=HOURS_MAX))],
        render_kw={"maxlength": HOURS_MAX})
    counseling_required_to_start = SelectField(_l("Is counseling required before the first dose?"),
                                               choices=YES_NO_UNSAID, default="", validate_choice=False)
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Length(max=NOTE_MAX, message=_l("Keep the note to %(max)s characters or fewer.", max=NOTE_MAX))],
        render_kw={"maxlength": NOTE_MAX, "rows": 3})

    def report_body(self) -> dict:
        """The form's values in the API's JSON types, for validate_report."""
        days = (self.wait_days.data or "").strip()
        body = {"medication": self.medication.data or None,
                "accepting_new_patients": TRUTH.get(self.accepting_new_patients.data or ""),
                "wait_days": int(days) if days else None, "walk_in_hours": self.walk_in_hours.data or "",
                "note": self.note.data or ""}
        for name in ("walk_in", "same_day_start", "first_dose_at_first_visit", "counseling_required_to_start"):
            body[name] = TRUTH.get(getattr(self, name).data or "", "?")  # "?": not a choice, refused
        return body


class ReportForm(ReportFields):
    """A whole report: whether the provider takes new patients is required."""

    accepting_new_patients = RadioField(
        _l("Taking new patients now?"), choices=YES_NO, validate_choice=False,
        validators=[InputRequired(message=_l("Choose yes or no."))])


class AvailabilityForm(ReportForm):
    """The report form of providers and caseworkers, who type their token."""

    token = PasswordField(
        _l("Your reporting token"),
        validators=[DataRequired(message=_l("Enter your reporting token."))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"})

    def validate_token(self, field) -> None:
        if field.data and not TOKEN_RE.fullmatch(field.data.strip()):
            raise ValidationError(_l("This is not a reporting token. Copy it exactly as it was given to you."))


class Checkboxes(SelectMultipleField):
    """A choice of several, as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProblemForm(FlaskForm):
    """"Something wrong?" on a provider page. `website` is a trap for robots: hidden from people
    (and from screen readers), so a filled one is not a person's report."""

    kind = RadioField(_l("What is wrong?"), validate_choice=False,
                      choices=[SelectChoice(key, _l(label)) for key, label in PROBLEM_KIND_LABELS.items()],
                      validators=[InputRequired(message=_l("Choose what is wrong."))])
    details = TextAreaField(_l("Details (optional)"), render_kw={"maxlength": DETAILS_MAX, "rows": 4})
    website = StringField(_l("Leave this empty"), render_kw={"autocomplete": "off", "tabindex": "-1"})

    def problem_body(self) -> dict:
        return {"kind": self.kind.data or "", "details": self.details.data or ""}
