"""The desk's words: outcomes of a call, verified facts, why a listing is on the worklist, and
what a record refused. Each is a msgid of the catalogue (vocabulary.N_), looked up with
`Words.named(table, key)` in the page's language.
"""

from __future__ import annotations

from locator.vocabulary import N_

OUTCOMES = {"reached": N_("Reached someone"), "no_answer": N_("No answer"),
            "wrong_number": N_("Wrong number or not in service"), "closed": N_("Closed or moved")}
FACTS = {"phone": N_("Phone number"), "address": N_("Address"), "medications": N_("Medications offered"),
         "payment": N_("Payment accepted")}
# "Phone checked 12 days ago by our staff": by fact and by who checked it (VERIFIER_KINDS).
CHECKED = {
    ("phone", "staff"): N_("Phone checked %(when)s by our staff"),
    ("phone", "provider"): N_("Phone checked %(when)s by the provider"),
    ("address", "staff"): N_("Address checked %(when)s by our staff"),
    ("address", "provider"): N_("Address checked %(when)s by the provider"),
    ("medications", "staff"): N_("Medications checked %(when)s by our staff"),
    ("medications", "provider"): N_("Medications checked %(when)s by the provider"),
    ("payment", "staff"): N_("Payment options checked %(when)s by our staff"),
    ("payment", "provider"): N_("Payment options checked %(when)s by the provider"),
}
VERIFIERS = {"staff": N_("our staff"), "provider": N_("the provider")}
REASONS = {"problems": N_("Problem reported"), "stale": N_("Availability older than 60 days"),
           "never_verified": N_("Never verified"), "phone_unverified": N_("Phone never verified")}
CALL_ERRORS = {
    "unknown_outcome": N_("Choose how the call went."),
    "verified_unreached": N_("Facts can only be confirmed on a call that reached someone."),
    "answers_unreached": N_("Availability can only be recorded from a call that reached someone."),
    "unknown_fact": N_("Choose among phone, address, medications and payment."),
    "not_email": N_("Enter an email address, like intake@example.org, or leave it empty."),
    "unknown_language": N_("Choose English or Spanish."),
    "accepting_required": N_("Say whether they take new patients, or leave every answer empty."),
    "reason_required": N_("Say why the listing is closed."),
}
