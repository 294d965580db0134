"""Text messages: what a person texted, read as a request. Plain Python, no Flask (the webhook
is locator.web.sms; the conversation's paging state is locator.sms_state).

`read_text(body)` gives a `TextRequest`: a command (more, help, stop, or a language: es, en),
whether it names an emergency, the language its words are in when they tell ("metadona" is
Spanish), the medications and payments it names in plain words ("bupe", "suboxone",
"medicaid", "seguro"), and what is left, which is the place ("19104", "Dayton OH").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from locator.vocabulary import US_STATES

MEDICATION_WORDS = {
    "buprenorphine": {"buprenorphine", "buprenorfina", "bupe", "bup", "bupre", "suboxone", "subutex", "sublocade",
                      "zubsolv", "brixadi"},
    "methadone": {"methadone", "metadona", "methadose", "metadone"},
    "naltrexone": {"naltrexone", "naltrexona", "vivitrol"},
}
PAYMENT_WORDS = {
    "medicaid": {"medicaid", "medi-cal"}, "medicare": {"medicare"},
    "private": {"insurance", "seguro", "aseguranza", "private"}, "tricare": {"tricare"},
    "self_pay": {"cash", "efectivo", "selfpay"}, "sliding_scale": {"sliding"}, "free": {"free", "gratis"},
}
COMMANDS = {"more": {"more", "mas", "next", "siguiente"}, "help": {"help", "ayuda", "info", "?"},
            "stop": {"stop", "parar", "stopall", "unsubscribe", "cancel", "end", "quit", "alto", "baja"},
            "es": {"es", "espanol", "spanish"}, "en": {"en", "english", "ingles"}}
EMERGENCY = re.compile(r"(?i)\b(overdos\w*|od|o\.d\.|sobredosis|not breathing|no respira\w*|can'?t breathe|"
                       r"suicid\w*|kill myself|matarme|quitarme la vida|dying|muriendo)(?!\w)")
SPANISH = {"metadona", "buprenorfina", "naltrexona", "ayuda", "mas", "parar", "sobredosis", "seguro", "gratis",
           "necesito", "cerca", "hola", "quiero", "tratamiento", "efectivo", "busco", "aseguranza",
           "respira", "siguiente", "clinica", "medicina", "espanol", "baja"}
FILLER = {"near", "in", "at", "around", "for", "me", "i", "need", "want", "looking", "find", "a", "the", "please",
          "treatment", "clinic", "doctor", "cerca", "de", "en", "por", "favor", "necesito", "quiero", "busco",
          "tratamiento", "clinica", "medico", "hola", "hi", "hello", "to", "start", "empezar", "y", "and", "or",
          "o", "with", "con", "take", "takes", "accepts", "acepta", "pay", "pagar", "no", "have", "has", "got",
          "tengo", "tiene", "my", "mi", "su", "he", "she", "is", "it", "esta", "someone", "alguien", "about"}
MAX_BODY = 320  # characters read; a longer text is cut (a place is short)


@dataclass(frozen=True)
class TextRequest:
    command: str | None = None  # more, help, stop, es, en
    emergency: bool = False
    language: str | None = None  # "es" when the words are Spanish, None when they do not tell
    place: str = ""
    medications: tuple[str, ...] = ()
    payment: tuple[str, ...] = ()


ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")


def _clean(text: str) -> str:
    """Accents and control characters out, spaces collapsed; the case is kept (a place is given
    to the geocoder as it was written)."""
    text = unicodedata.normalize("NFKD", (text or "")[:MAX_BODY])
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch)[0] != "C")
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,;:!¡¿.]+", text) if w]


def read_text(body: str) -> TextRequest:
    text = _clean(body)
    plain = text.lower()
    words = _words(plain)
    language = "es" if any(w in SPANISH for w in words) else None
    if len(words) == 1 or plain.strip("?!. ") in COMMANDS["help"]:
        word = words[0] if words else plain.strip()
        command = next((name for name, spellings in COMMANDS.items() if word in spellings), None)
        if command is not None:
            return TextRequest(command=command, language="es" if command == "es" else language)
    emergency = bool(EMERGENCY.search(plain))
    medications, payment, place = [], [], []
    for original in _words(EMERGENCY.sub(" ", text) if emergency else text):
        word = original.lower()
        if place and word.upper() in US_STATES and len(word) == 2:  # "Portland OR": a state, not a word
            place.append(original)
            continue
        medication = next((key for key, spellings in MEDICATION_WORDS.items() if word in spellings), None)
        paid = next((key for key, spellings in PAYMENT_WORDS.items() if word in spellings), None)
        if medication:
            medications.append(medication)
        elif paid:
            payment.append(paid)
        elif word not in FILLER:
            place.append(original)
    zip_code = next((w for w in place if ZIP.match(w)), None)  # a ZIP says it all, whatever else was said
    return TextRequest(None, emergency, language, zip_code or " ".join(place),
                       tuple(dict.fromkeys(medications)), tuple(dict.fromkeys(payment)))
