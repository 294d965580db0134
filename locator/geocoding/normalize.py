"""Text rules for place queries: cleaning, tokens, state names, city keys and query shapes.

The build script (scripts/build_gazetteer.py) and the running service use the same functions,
so "st. louis" typed by a person and "Saint Louis" in the data meet at one key: `saintlouis`.

- `clean()` rejects what cannot be a place (control characters, markup and SQL punctuation,
  over-long text) with `InvalidLocation`, and returns one tidy line.
- `tokens()` lower-cases, strips accents, joins initials ("D.C." -> "dc") and splits on
  anything that is not a letter or a digit; apostrophes vanish ("O'Fallon" -> "ofallon").
- `split_state()` finds a state at the end: USPS code, full name, or a common abbreviation.
- `city_key()` expands St/Ste/Ft/Mt/N/S/E/W ... and joins the words without spaces, so
  "Winston-Salem", "Winston Salem" and "winstonsalem" are one key; a last "Co" or "Cnty" is
  "County" ("Cook Co" is Cook County).
"""

from __future__ import annotations

import re
import unicodedata

from locator.geocoding.places import InvalidLocation
from locator.vocabulary import US_STATES

MAX_LENGTH = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_FORBIDDEN = re.compile(r"[<>{}\[\];=`\\|^~*$@]")
_INITIALS = re.compile(r"\b([a-z])\.\s?(?=[a-z]\.)")
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc]")
_NON_WORD = re.compile(r"[^a-z0-9]+")

ZIP_ONLY = re.compile(r"^(\d{5})(?:[-\s]?\d{4})?$")
POINT = re.compile(
    r"^\(?\s*([+-]?\d{1,3}(?:\.\d+)?)\s*°?\s*([nsNS])?\s*(?:,\s*|\s+)"
    r"([+-]?\d{1,3}(?:\.\d+)?)\s*°?\s*([ewEW])?\s*\)?$")
_HOUSE_NUMBER = re.compile(r"^\d+[a-z]?(?:[-/]\d+[a-z]?)?$")
_ZIP_TOKEN = re.compile(r"^\d{5}$")

EXPANSIONS = {
    "st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "mtn": "mountain",
    "pt": "point", "n": "north", "s": "south", "e": "east", "w": "west", "spgs": "springs",
    "spg": "spring", "hts": "heights", "hgts": "heights", "jct": "junction", "vlg": "village",
    "bch": "beach", "ctr": "center", "centre": "center", "lk": "lake", "twp": "township",
    "fls": "falls", "crk": "creek", "cyn": "canyon", "vly": "valley", "hbr": "harbor",
    "harbour": "harbor", "sn": "san", "isl": "island", "is": "island", "cty": "city", "nyc": "newyork",
}
_COUNTY_WORDS = frozenset(("co", "cnty"))  # only last: "Co Spgs" is Colorado Springs
# Abbreviations people write for states, beyond the USPS codes and names in US_STATES.
_STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO",
    "conn": "CT", "del": "DE", "fla": "FL", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS",
    "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mont": "MT", "neb": "NE",
    "nebr": "NE", "nev": "NV", "okla": "OK", "ore": "OR", "oreg": "OR", "penn": "PA",
    "penna": "PA", "tenn": "TN", "tex": "TX", "wash": "WA", "wis": "WI", "wisc": "WI",
    "wyo": "WY", "w va": "WV", "wva": "WV", "d c": "DC", "dist of columbia": "DC",
    "n carolina": "NC", "s carolina": "SC", "n dakota": "ND", "s dakota": "SD",
    "w virginia": "WV", "virgin islands": "VI", "usvi": "VI", "cnmi": "MP",
}
_COUNTRY_SUFFIXES = (("united", "states", "of", "america"), ("united", "states"), ("usa",), ("us",))
STREET_WORDS = frozenset(
    "st street ave avenue av rd road blvd boulevard dr drive ln lane way ct court pl place pkwy "
    "parkway hwy highway route rte rt cir circle ter terrace trl trail sq square loop row pike "
    "tpke turnpike plz plaza expy expressway fwy freeway broadway aly alley path walk xing "
    "crossing apt suite ste unit fl floor bldg".split())


def clean(query: object) -> str:
    """One tidy line, or InvalidLocation saying what is wrong with the text."""
    if not isinstance(query, str):
        raise InvalidLocation("ask")
    if len(query) > MAX_LENGTH:
        raise InvalidLocation("too_long", limit=MAX_LENGTH)
    if _CONTROL.search(query):
        raise InvalidLocation("control_characters")
    text = query if query.isascii() else _unicode_clean(query)
    if _FORBIDDEN.search(text):
        raise InvalidLocation("not_a_place")
    text = " ".join(text.split())
    if not text:
        raise InvalidLocation("ask")
    return text


def _unicode_clean(text: str) -> str:
    # NFKC turns full-width digits and letters into plain ones; format characters (zero-width
    # joiners, direction marks, BOM) are invisible, so they are dropped.
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def tokens(text: str) -> tuple[str, ...]:
    text = text.lower()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(ch))
    text = _INITIALS.sub(r"\1", text)
    text = _APOSTROPHES.sub("", text)
    return tuple(_NON_WORD.sub(" ", text).split())


def city_key(words: tuple[str, ...] | list[str]) -> str:
    if len(words) > 1 and words[-1] in _COUNTY_WORDS:
        return "".join(EXPANSIONS.get(word, word) for word in words[:-1]) + "county"
    return "".join(EXPANSIONS.get(word, word) for word in words)


def _state_phrases() -> dict[str, str]:
    phrases = {" ".join(tokens(name)): code for code, name in US_STATES.items()}
    phrases.update({code.lower(): code for code in US_STATES})
    phrases.update(_STATE_ABBREVIATIONS)
    return phrases


STATE_PHRASES = _state_phrases()


def split_state(words: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """(words before the state, its USPS code) or (words, None) when none ends the query."""
    for size in (4, 3, 2, 1):
        if len(words) >= size:
            code = STATE_PHRASES.get(" ".join(words[-size:]))
            if code:
                return words[:-size], code
    return words, None


def strip_country(words: tuple[str, ...]) -> tuple[str, ...]:
    for suffix in _COUNTRY_SUFFIXES:
        if len(words) > len(suffix) and words[-len(suffix):] == suffix:
            return words[: -len(suffix)]
    return words


def is_zip_token(word: str) -> bool:
    return bool(_ZIP_TOKEN.match(word))


def looks_like_address(words: tuple[str, ...], text: str) -> bool:
    """A house number, then a street: "123 Main St", "4 Elm, Dayton", "12 Oak Hill Dayton OH"."""
    if len(words) < 2 or not _HOUSE_NUMBER.match(words[0]) or not words[1][0].isalpha():
        return False
    if len(words[0]) == 5 and text[5:6] == ",":  # "19104, Philadelphia, PA": a ZIP first
        return False
    alpha = [word for word in words[1:] if word.isalpha()]
    return bool(STREET_WORDS.intersection(words[1:])) or "," in text or len(alpha) >= 3


def cache_key(text: str) -> str:
    """The normalised query a remote answer is cached under (hashed before it is stored)."""
    return " ".join(tokens(text))
