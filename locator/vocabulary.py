"""The controlled vocabulary: the only list of medications, settings, payment, services,
populations and languages in the project.

Each term has a stable key (used in URLs, the API and providers.csv), a fixed bit (how the
term is stored in the database: a set of terms is one integer), the SAMHSA National Directory
code(s) that mean it, and its English label. Labels are marked with `N_` so that Babel
extracts them: the web layer translates them through the catalogues in `translations/`
(`gettext(term.label)`); no other language lives in this module.

Never renumber a bit: stored rows would change meaning. Add new terms with new bits.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Marks an English message for the catalogue; the web layer translates it when shown."""
    return message


@dataclass(frozen=True)
class Term:
    key: str
    bit: int
    codes: tuple[str, ...]
    label: str  # English, a msgid of the catalogue

    @property
    def mask(self) -> int:
        return 1 << self.bit


class Category:
    """An ordered set of terms of one kind, looked up by key or by SAMHSA code."""

    def __init__(self, name: str, label: str, terms: list[Term]):
        self.name = name
        self.label = label  # English, a msgid of the catalogue
        self.terms = tuple(terms)
        self.by_key = {t.key: t for t in terms}
        self.masks = tuple((t.mask, t.key) for t in terms)  # in vocabulary order
        self.by_code: dict[str, Term] = {}
        for t in terms:
            for code in t.codes:
                self.by_code.setdefault(code, t)
        bits = [t.bit for t in terms]
        assert len(set(bits)) == len(bits) and max(bits) < 63, f"bad bits in {name}"
        assert len(self.by_key) == len(terms), f"duplicate keys in {name}"

    def __iter__(self):
        return iter(self.terms)

    def __contains__(self, key: object) -> bool:
        return key in self.by_key

    def keys(self) -> list[str]:
        return [t.key for t in self.terms]

    def mask(self, keys) -> int:
        """The integer that stores these keys; unknown keys raise KeyError."""
        m = 0
        for k in keys:
            m |= self.by_key[k].mask
        return m

    def unmask(self, mask: int) -> list[str]:
        """Keys in vocabulary order for a stored integer."""
        return [key for bit, key in self.masks if mask & bit] if mask else []

    def from_codes(self, codes) -> list[str]:
        """Keys for a collection of SAMHSA codes (unknown codes are ignored)."""
        found = {self.by_code[c].key for c in codes if c in self.by_code}
        return [t.key for t in self.terms if t.key in found]


def _terms(rows) -> list[Term]:
    return [Term(key, bit, tuple(codes.split()), label) for bit, (key, codes, label) in enumerate(rows)]


MEDICATIONS = Category("medications", N_("Medications"), _terms([
    ("buprenorphine", "BU UB BUM DB BWN BWON BERI BSDM", N_("Buprenorphine")),
    ("methadone", "METH MU MM DM", N_("Methadone")),
    ("naltrexone", "NU UN NXN VTRL", N_("Naltrexone")),
]))

# The forms of treatment that matter when choosing; "otp" is the federal certification
# without which a clinic cannot dispense methadone for opioid use disorder.
MEDICATION_FORMS = Category("medication_forms", N_("Treatment forms"), _terms([
    ("otp", "OTP SOTP", N_("Certified opioid treatment program")),
    ("buprenorphine_maintenance", "BUM", N_("Buprenorphine maintenance")),
    ("methadone_maintenance", "MM", N_("Methadone maintenance")),
    ("buprenorphine_injectable", "BERI", N_("Injectable buprenorphine (Sublocade)")),
    ("naltrexone_injectable", "VTRL", N_("Injectable naltrexone (Vivitrol)")),
    ("detox", "DB DM ODTX", N_("Supervised withdrawal (detox)")),
]))

SETTINGS = Category("settings", N_("Settings"), _terms([
    ("outpatient", "OP ORT OIT OMB", N_("Outpatient")),
    ("otp", "OTP SOTP", N_("Opioid treatment program (clinic)")),
    ("residential", "RES RS RL", N_("Residential")),
    ("hospital", "HI HID HIT GH", N_("Hospital")),
    ("detox", "DT OD RD", N_("Detox")),
    ("telehealth", "TELE CT", N_("Telehealth")),
    ("fqhc", "FQHC", N_("Community health center (FQHC)")),
]))

# SAMHSA: SF is cash or self-payment, SS is the sliding fee scale.
PAYMENT = Category("payment", N_("Payment accepted"), _terms([
    ("medicaid", "MD", N_("Medicaid")),
    ("medicare", "MC", N_("Medicare")),
    ("private", "PI", N_("Private insurance")),
    ("tricare", "MI", N_("Military insurance (TRICARE)")),
    ("ihs", "ITU", N_("IHS, tribal or urban Indian health")),
    ("state", "SI", N_("State health plan")),
    ("self_pay", "SF", N_("Cash or self-pay")),
    ("sliding_scale", "SS", N_("Sliding fee scale")),
    ("free", "NP", N_("Free of charge")),
    ("assistance", "PA", N_("Payment assistance")),
]))

SERVICES = Category("services", N_("Services"), _terms([
    ("peer_support", "PEER RC", N_("Peer support")),
    ("family_counseling", "FCO", N_("Family counseling")),
    ("case_management", "CM", N_("Case management")),
    ("transportation", "TA", N_("Transportation assistance")),
    ("naloxone", "NOE", N_("Naloxone and overdose education")),
    ("mental_health", "MHS", N_("Mental health services")),
    ("housing", "HS HH", N_("Housing services")),
    ("employment", "EMP VOC", N_("Employment help")),
    ("hiv_hepatitis", "HIVT HCT EIH", N_("HIV and hepatitis testing")),
    ("primary_care", "IPC", N_("Primary care")),
]))

POPULATIONS = Category("populations", N_("People served"), _terms([
    ("pregnant", "PW", N_("Pregnant or postpartum")),
    ("adolescents", "AD CHLD", N_("Adolescents")),
    ("young_adults", "YAD TAY", N_("Young adults")),
    ("veterans", "VET ADM MF", N_("Veterans")),
    ("lgbtq", "GL", N_("LGBTQ+ people")),
    ("justice_involved", "CJ", N_("People involved with the justice system")),
    ("seniors", "SE SNR", N_("Older adults")),
    ("domestic_violence", "DV", N_("Survivors of domestic violence")),
]))

# Keys are ISO 639-1 codes where one exists. English is assumed everywhere and not listed.
LANGUAGES = Category("languages", N_("Languages"), _terms([
    ("es", "SP", N_("Spanish")),
    ("asl", "AH", N_("Sign language")),
    ("ar", "F4", N_("Arabic")),
    ("zh", "F17", N_("Chinese")),
    ("ht", "F19", N_("Haitian Creole")),
    ("fa", "F25", N_("Farsi")),
    ("fr", "F28", N_("French")),
    ("de", "F30", N_("German")),
    ("hi", "F36", N_("Hindi")),
    ("hmn", "F37", N_("Hmong")),
    ("ko", "F47", N_("Korean")),
    ("pl", "F66", N_("Polish")),
    ("pt", "F67", N_("Portuguese")),
    ("ru", "F70", N_("Russian")),
    ("tl", "F81", N_("Tagalog")),
    ("vi", "F92", N_("Vietnamese")),
    ("native", "NX N24 N40", N_("American Indian or Alaska Native languages")),
]))

CATEGORIES: dict[str, Category] = {c.name: c for c in (
    MEDICATIONS, MEDICATION_FORMS, SETTINGS, PAYMENT, SERVICES, POPULATIONS, LANGUAGES,
)}

# Intake facts and exclusions from the SAMHSA directory.
ACCEPTS_OUTSIDE_MOUD_CODE = "MOA"  # accepts people on MOUD prescribed elsewhere
NOT_MOUD_CODES = frozenset({"NMOA", "NOOP"})  # does not use MOUD / does not treat OUD

# Who said what a report says, trusted in this order (locator.ranking.REPORTER_TRUST).
REPORTER_KINDS = ("provider", "caseworker", "import")

US_STATES: dict[str, str] = {
    "AL": N_("Alabama"), "AK": N_("Alaska"), "AZ": N_("Arizona"), "AR": N_("Arkansas"), "CA": N_("California"),
    "CO": N_("Colorado"), "CT": N_("Connecticut"), "DE": N_("Delaware"), "DC": N_("District of Columbia"),
    "FL": N_("Florida"), "GA": N_("Georgia"), "HI": N_("Hawaii"), "ID": N_("Idaho"), "IL": N_("Illinois"),
    "IN": N_("Indiana"), "IA": N_("Iowa"), "KS": N_("Kansas"), "KY": N_("Kentucky"), "LA": N_("Louisiana"),
    "ME": N_("Maine"), "MD": N_("Maryland"), "MA": N_("Massachusetts"), "MI": N_("Michigan"), "MN": N_("Minnesota"),
    "MS": N_("Mississippi"), "MO": N_("Missouri"), "MT": N_("Montana"), "NE": N_("Nebraska"), "NV": N_("Nevada"),
    "NH": N_("New Hampshire"), "NJ": N_("New Jersey"), "NM": N_("New Mexico"), "NY": N_("New York"),
    "NC": N_("North Carolina"), "ND": N_("North Dakota"), "OH": N_("Ohio"), "OK": N_("Oklahoma"), "OR": N_("Oregon"),
    "PA": N_("Pennsylvania"), "RI": N_("Rhode Island"), "SC": N_("South Carolina"), "SD": N_("South Dakota"),
    "TN": N_("Tennessee"), "TX": N_("Texas"), "UT": N_("Utah"), "VT": N_("Vermont"), "VA": N_("Virginia"),
    "WA": N_("Washington"), "WV": N_("West Virginia"), "WI": N_("Wisconsin"), "WY": N_("Wyoming"),
    "PR": N_("Puerto Rico"), "GU": N_("Guam"), "VI": N_("U.S. Virgin Islands"), "AS": N_("American Samoa"),
    "MP": N_("Northern Mariana Islands"),
}


def state_name(code: str | None) -> str:
    """A state's English name (a msgid of the catalogue); an unknown code is returned as given."""
    code = code or ""
    return US_STATES.get(code, code)
