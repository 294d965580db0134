"""`SearchQuery`: the validated parameters of a search, shared by /search and /api/v1/search.

`parse_query(args)` takes any mapping with `get` and (optionally) `getlist` (a Werkzeug
MultiDict, a dict of lists, a plain dict) and returns a SearchQuery, or raises `QueryError`
holding one specific message per bad field. Values are vocabulary keys.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from locator import vocabulary

DEFAULT_RADIUS = 25
MIN_RADIUS, MAX_RADIUS = 1, 250
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 20
MAX_PAGE = 1000
MAX_LOCATION = 200
SORTS = ("best", "distance", "wait")
SORTS_ES = {"best": "mejor opción", "distance": "más cerca primero", "wait": "inicio más pronto primero"}
LIST_PARAMS = {"medication": "medications", "payment": "payment", "language": "languages",
               "service": "services", "population": "populations"}
FLAG_PARAMS = ("accepting", "walk_in", "telehealth")


class QueryError(ValueError):
    """One message per bad field: `errors` in English (the API's), `errors_es` in Spanish."""

    def __init__(self, errors: dict[str, str], errors_es: dict[str, str] | None = None):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.errors_es = {**errors, **(errors_es or {})}

    def text(self, lang: str = "en") -> dict[str, str]:
        """The messages in the page's language ("en" or "es")."""
        return self.errors_es if lang == "es" else self.errors


@dataclass(frozen=True)
class SearchQuery:
    location: str = ""
    radius: float = DEFAULT_RADIUS
    medication: tuple[str, ...] = ()
    payment: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    population: tuple[str, ...] = ()
    accepting: bool = False
    walk_in: bool = False
    telehealth: bool = False
    max_wait: int | None = None
    sort: str = "best"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def to_params(self) -> dict:
        """The query as URL parameters (defaults left out), for links that keep the filters."""
        params: dict = {"location": self.location}
        for key, default in _DEFAULTS.items():
            value = getattr(self, key)
            if key == "location" or value == default:
                continue
            if isinstance(value, bool):
                value = "1"
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            params[key] = value
        return params


_DEFAULTS = {f.name: f.default for f in fields(SearchQuery)}


def _values(args, name: str) -> list[str]:
    if hasattr(args, "getlist"):
        raw = args.getlist(name)
    else:
        value = args.get(name)
        raw = value if isinstance(value, (list, tuple)) else ([] if value is None else [value])
    out: list[str] = []
    for item in raw:
        out.extend(part.strip() for part in str(item).split(",") if part.strip())
    return out


def _number(text: str, name: str, low, high, errors, integer=True):
    try:
        value = int(text) if integer else float(text)
    except (TypeError, ValueError):
        errors[name] = (f"must be a {'whole ' if integer else ''}number from {low} to {high}",
                        f"debe ser un número {'entero ' if integer else ''}del {low} al {high}")
        return None
    if value != value or not low <= value <= high:  # value != value: NaN
        errors[name] = (f"must be from {low} to {high}", f"debe estar entre {low} y {high}")
        return None
    return value


def parse_query(args) -> SearchQuery:
    errors: dict[str, tuple[str, str]] = {}  # field: (English, Spanish)
    values: dict = {}
    location = " ".join(str(args.get("location") or "").split())
    if len(location) > MAX_LOCATION:
        errors["location"] = (
            f"is too long: use a ZIP code or a city and state (at most {MAX_LOCATION} characters)",
            f"es demasiado largo: use un código postal (ZIP) o una ciudad y estado (como máximo {MAX_LOCATION} "
            "caracteres)")
    values["location"] = location
    for name, category in LIST_PARAMS.items():
        keys = [k.lower() for k in _values(args, name)]
        cat = vocabulary.CATEGORIES[category]
        unknown = [k for k in keys if k not in cat]
        if unknown:
            errors[name] = (f"unknown value {unknown[0][:40]!r}; choose from {', '.join(cat.keys())}",
                            f"{unknown[0][:40]!r} no es una de las opciones; elija entre: "
                            + ", ".join(t.label("es") for t in cat))
        else:
            values[name] = tuple(k for k in cat.keys() if k in set(keys))
    for name in FLAG_PARAMS:
        raw = (args.get(name) or "").strip().lower()
        if raw in ("1", "true", "yes", "on"):
            values[name] = True
        elif raw not in ("", "0", "false", "no", "off"):
            errors[name] = ("must be 1 (yes) or 0 (no)", "debe ser 1 (sí) o 0 (no)")
    radius = (args.get("radius") or "").strip()
    if radius:
        values["radius"] = _number(radius, "radius", MIN_RADIUS, MAX_RADIUS, errors, integer=False)
    max_wait = (args.get("max_wait") or "").strip()
    if max_wait:
        values["max_wait"] = _number(max_wait, "max_wait", 0, 365, errors)
    sort = (args.get("sort") or "best").strip().lower()
    if sort not in SORTS:
        errors["sort"] = (f"must be one of {', '.join(SORTS)}",
                          f"debe ser una de las opciones de la lista ({', '.join(SORTS_ES[k] for k in SORTS)})")
    values["sort"] = sort
    for name, low, high, default in (("page", 1, MAX_PAGE, 1), ("per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE)):
        raw = (args.get(name) or "").strip()
        values[name] = _number(raw, name, low, high, errors) if raw else default
    if errors:
        raise QueryError({k: en for k, (en, _es) in errors.items()}, {k: es for k, (_en, es) in errors.items()})
    return SearchQuery(**{k: v for k, v in values.items() if v is not None})
