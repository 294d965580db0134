"""The controlled vocabulary: the only list of medications, settings, payment, services,
populations and languages in the project.

Each term has a stable key (used in URLs, the API and providers.csv), a fixed bit (how the
term is stored in the database: a set of terms is one integer), the SAMHSA National Directory
code(s) that mean it, and an English and a Spanish label.

Never renumber a bit: stored rows would change meaning. Add new terms with new bits.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    key: str
    bit: int
    codes: tuple[str, ...]
    en: str
    es: str

    @property
    def mask(self) -> int:
        return 1 << self.bit

    def label(self, lang: str = "en") -> str:
        return self.es if lang == "es" else self.en


class Category:
    """An ordered set of terms of one kind, looked up by key or by SAMHSA code."""

    def __init__(self, name: str, en: str, es: str, terms: list[Term]):
        self.name = name
        self.en = en
        self.es = es
        self.terms = tuple(terms)
        self.by_key = {t.key: t for t in terms}
        self._unmasked: dict[int, tuple[str, ...]] = {}
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

    def label(self, lang: str = "en") -> str:
        return self.es if lang == "es" else self.en

    def mask(self, keys) -> int:
        """The integer that stores these keys; unknown keys raise KeyError."""
        m = 0
        for k in keys:
            m |= self.by_key[k].mask
        return m

    def unmask(self, mask: int) -> list[str]:
        """Keys in vocabulary order for a stored integer (a fresh list; results are memoised)."""
        keys = self._unmasked.get(mask)
        if keys is None:
            keys = self._unmasked[mask] = tuple(t.key for t in self.terms if mask & t.mask)
        return list(keys)

    def from_codes(self, codes) -> list[str]:
        """Keys for a collection of SAMHSA codes (unknown codes are ignored)."""
        found = {self.by_code[c].key for c in codes if c in self.by_code}
        return [t.key for t in self.terms if t.key in found]


def _terms(rows) -> list[Term]:
    return [Term(key, bit, tuple(codes.split()), en, es) for bit, (key, codes, en, es) in enumerate(rows)]


MEDICATIONS = Category("medications", "Medications", "Medicamentos", _terms([
    ("buprenorphine", "BU UB BUM DB BWN BWON BERI BSDM", "Buprenorphine", "Buprenorfina"),
    ("methadone", "METH MU MM DM", "Methadone", "Metadona"),
    ("naltrexone", "NU UN NXN VTRL", "Naltrexone", "Naltrexona"),
]))

# The forms of treatment that matter when choosing; "otp" is the federal certification
# without which a clinic cannot dispense methadone for opioid use disorder.
MEDICATION_FORMS = Category("medication_forms", "Treatment forms", "Formas de tratamiento", _terms([
    ("otp", "OTP SOTP", "Certified opioid treatment program", "Programa certificado de tratamiento de opioides"),
    ("buprenorphine_maintenance", "BUM", "Buprenorphine maintenance", "Mantenimiento con buprenorfina"),
    ("methadone_maintenance", "MM", "Methadone maintenance", "Mantenimiento con metadona"),
    ("buprenorphine_injectable", "BERI", "Injectable buprenorphine (Sublocade)", "Buprenorfina inyectable (Sublocade)"),
    ("naltrexone_injectable", "VTRL", "Injectable naltrexone (Vivitrol)", "Naltrexona inyectable (Vivitrol)"),
    ("detox", "DB DM ODTX", "Supervised withdrawal (detox)", "Desintoxicación supervisada"),
]))

SETTINGS = Category("settings", "Settings", "Tipos de servicio", _terms([
    ("outpatient", "OP ORT OIT OMB", "Outpatient", "Ambulatorio"),
    ("otp", "OTP SOTP", "Opioid treatment program (clinic)", "Programa de tratamiento de opioides (clínica)"),
    ("residential", "RES RS RL", "Residential", "Residencial"),
    ("hospital", "HI HID HIT GH", "Hospital", "Hospital"),
    ("detox", "DT OD RD", "Detox", "Desintoxicación"),
    ("telehealth", "TELE CT", "Telehealth", "Telesalud"),
    ("fqhc", "FQHC", "Community health center (FQHC)", "Centro de salud comunitario (FQHC)"),
]))

# SAMHSA: SF is cash or self-payment, SS is the sliding fee scale.
PAYMENT = Category("payment", "Payment accepted", "Formas de pago", _terms([
    ("medicaid", "MD", "Medicaid", "Medicaid"),
    ("medicare", "MC", "Medicare", "Medicare"),
    ("private", "PI", "Private insurance", "Seguro privado"),
    ("tricare", "MI", "Military insurance (TRICARE)", "Seguro militar (TRICARE)"),
    ("ihs", "ITU", "IHS, tribal or urban Indian health", "IHS, salud tribal o indígena urbana"),
    ("state", "SI", "State health plan", "Plan de salud estatal"),
    ("self_pay", "SF", "Cash or self-pay", "Pago en efectivo o por cuenta propia"),
    ("sliding_scale", "SS", "Sliding fee scale", "Tarifa según ingresos"),
    ("free", "NP", "Free of charge", "Gratis"),
    ("assistance", "PA", "Payment assistance", "Ayuda con el pago"),
]))

SERVICES = Category("services", "Services", "Servicios", _terms([
    ("peer_support", "PEER RC", "Peer support", "Apoyo de pares"),
    ("family_counseling", "FCO", "Family counseling", "Consejería familiar"),
    ("case_management", "CM", "Case management", "Gestión de casos"),
    ("transportation", "TA", "Transportation assistance", "Ayuda con el transporte"),
    ("naloxone", "NOE", "Naloxone and overdose education", "Naloxona y educación sobre sobredosis"),
    ("mental_health", "MHS", "Mental health services", "Servicios de salud mental"),
    ("housing", "HS HH", "Housing services", "Servicios de vivienda"),
    ("employment", "EMP VOC", "Employment help", "Ayuda con el empleo"),
    ("hiv_hepatitis", "HIVT HCT EIH", "HIV and hepatitis testing", "Pruebas de VIH y hepatitis"),
    ("primary_care", "IPC", "Primary care", "Atención primaria"),
]))

POPULATIONS = Category("populations", "People served", "Personas atendidas", _terms([
    ("pregnant", "PW", "Pregnant or postpartum", "Embarazadas o en posparto"),
    ("adolescents", "AD CHLD", "Adolescents", "Adolescentes"),
    ("young_adults", "YAD TAY", "Young adults", "Adultos jóvenes"),
    ("veterans", "VET ADM MF", "Veterans", "Veteranos"),
    ("lgbtq", "GL", "LGBTQ+ people", "Personas LGBTQ+"),
    ("justice_involved", "CJ", "People involved with the justice system", "Personas con casos judiciales"),
    ("seniors", "SE SNR", "Older adults", "Adultos mayores"),
    ("domestic_violence", "DV", "Survivors of domestic violence", "Sobrevivientes de violencia doméstica"),
]))

# Keys are ISO 639-1 codes where one exists. English is assumed everywhere and not listed.
LANGUAGES = Category("languages", "Languages", "Idiomas", _terms([
    ("es", "SP", "Spanish", "Español"),
    ("asl", "AH", "Sign language", "Lengua de señas"),
    ("ar", "F4", "Arabic", "Árabe"),
    ("zh", "F17", "Chinese", "Chino"),
    ("ht", "F19", "Haitian Creole", "Criollo haitiano"),
    ("fa", "F25", "Farsi", "Persa"),
    ("fr", "F28", "French", "Francés"),
    ("de", "F30", "German", "Alemán"),
    ("hi", "F36", "Hindi", "Hindi"),
    ("hmn", "F37", "Hmong", "Hmong"),
    ("ko", "F47", "Korean", "Coreano"),
    ("pl", "F66", "Polish", "Polaco"),
    ("pt", "F67", "Portuguese", "Portugués"),
    ("ru", "F70", "Russian", "Ruso"),
    ("tl", "F81", "Tagalog", "Tagalo"),
    ("vi", "F92", "Vietnamese", "Vietnamita"),
    ("native", "NX N24 N40", "American Indian or Alaska Native languages", "Lenguas indígenas de EE. UU."),
]))

CATEGORIES: dict[str, Category] = {c.name: c for c in (
    MEDICATIONS, MEDICATION_FORMS, SETTINGS, PAYMENT, SERVICES, POPULATIONS, LANGUAGES,
)}

# Intake facts and exclusions from the SAMHSA directory.
ACCEPTS_OUTSIDE_MOUD_CODE = "MOA"  # accepts people on MOUD prescribed elsewhere
NOT_MOUD_CODES = frozenset({"NMOA", "NOOP"})  # does not use MOUD / does not treat OUD

REPORTER_KINDS = {
    "provider": ("the provider", "el proveedor"),
    "caseworker": ("a caseworker", "un trabajador social"),
    "import": ("an imported directory", "un directorio importado"),
}

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
# Spanish names, where they differ from the English ones (as SAMHSA's Spanish pages write them).
US_STATES_ES: dict[str, str] = {
    "DC": "Distrito de Columbia", "HI": "Hawái", "LA": "Luisiana", "NH": "Nuevo Hampshire",
    "NJ": "Nueva Jersey", "NM": "Nuevo México", "NY": "Nueva York", "NC": "Carolina del Norte",
    "ND": "Dakota del Norte", "PA": "Pensilvania", "SC": "Carolina del Sur", "SD": "Dakota del Sur",
    "WV": "Virginia Occidental", "VI": "Islas Vírgenes de los Estados Unidos", "AS": "Samoa Americana",
    "MP": "Islas Marianas del Norte",
}


def state_name(code: str | None, lang: str = "en") -> str:
    """A state's name in `lang` ("en" or "es"); an unknown code is returned as given."""
    code = code or ""
    if lang == "es" and code in US_STATES_ES:
        return US_STATES_ES[code]
    return US_STATES.get(code, code)
