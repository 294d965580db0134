"""The desk's forms (Flask-WTF, CSRF-protected): recording a call, closing or opening a listing
again, resolving problem reports, and a listing's contact email.

The call form carries the availability report's fields (forms.ReportFields): the rules of a
report stay in `reports_input.validate_report`, as for the API and the public form.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired

from locator.calls import REASON_MAX
from locator.desk_models import VERIFIED_FACTS
from locator.web.desk_wording import FACTS, OUTCOMES
from locator.web.forms import YES_NO_UNSAID, Checkboxes, ReportFields, SelectChoice

ANSWERS = ("accepting_new_patients", "wait_days", "walk_in", "same_day_start", "first_dose_at_first_visit",
           "walk_in_hours", "counseling_required_to_start", "note")


class CallForm(ReportFields):
    outcome = RadioField(_l("How did the call go?"), validate_choice=False,
                         choices=[SelectChoice(key, _l(label)) for key, label in OUTCOMES.items()],
                         validators=[InputRequired(message=_l("Choose how the call went."))])
    accepting_new_patients = SelectField(_l("Taking new patients now?"), choices=YES_NO_UNSAID, default="",
                                         validate_choice=False)
    verified = Checkboxes(_l("What did you confirm on this call?"), validate_choice=False,
                          choices=[SelectChoice(key, _l(FACTS[key])) for key in VERIFIED_FACTS])

    def has_answers(self, note: bool = True) -> bool:
        """Whether any availability answer was given (the medication alone is not one; the note
        counts only with `note`: on a call that found the place closed it says why)."""
        return any((getattr(self, name).data or "").strip() for name in ANSWERS if note or name != "note")


class ClosingForm(FlaskForm):
    reason = StringField(_l("Why is it closed?"), render_kw={"maxlength": REASON_MAX})


class ContactForm(FlaskForm):
    contact_email = StringField(_l("Email for confirmation requests (never shown to the public)"),
                                render_kw={"autocomplete": "off", "maxlength": 254})
    contact_language = SelectField(_l("Language of the emails"), validate_choice=False,
                                   choices=[SelectChoice("en", _l("English")), SelectChoice("es", _l("Spanish"))])


class ResolveForm(FlaskForm):
    report = SelectMultipleField(validate_choice=False, coerce=str)
