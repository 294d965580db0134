"""`SearchQuery`: the validated parameters of a search, shared by /search and /api/v1/search.

`parse_query(args)` takes any mapping with `get` and (optionally) `getlist` (a Werkzeug
MultiDict, a dict of lists, a plain dict) and returns a SearchQuery, or raises `QueryError`
holding one `Problem` per bad field: a code and its values, which the web layer words in the
reader's language (locator.web.wording). Values are vocabulary keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from locator import vocabulary
from locator.availability import MAX_WAIT_DAYS

DEFAULT_RADIUS = 25
COUNTY_RADIUS = 50  # a county is wide: a search from its centre starts wider
MIN_RADIUS, MAX_RADIUS = 1, 250
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 20
MAX_PAGE = 1000
MAX_LOCATION = 200
SORTS = ("best", "distance", "soonest", "wait")  # "wait": the old name of "soonest"
LIST_PARAMS = {"medication": "medications", "payment": "payment", "language": "languages",
               "service": "services", "population": "populations"}
FLAG_PARAMS = ("accepting", "walk_in", "telehealth", "no_counseling_required")


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value: a code and the values its message needs.

    codes: too_long (limit), unknown_value (value, category: the vocabulary's), not_a_flag,
    not_a_number (low, high, whole), out_of_range (low, high), unknown_sort.
    """

    code: str
    values: dict = field(default_factory=dict)


class QueryError(ValueError):
    """The query's bad fields, each with its `Problem`, in the order of the parameters."""

    def __init__(self, errors: dict[str, Problem]):
        super().__init__("; ".join(f"{name}: {problem.code}" for name, problem in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class SearchQuery:
    location: str = ""
    radius: float | None = None  # None: not chosen, see `starting_radius`
    medication: tuple[str, ...] = ()
    payment: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    population: tuple[str, ...] = ()
    accepting: bool = False
    walk_in: bool = False
    telehealth: bool = False
    no_counseling_required: bool = False
    max_wait: int | None = None
    start_within: int | None = None  # days to a first dose; 0: today
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


def starting_radius(query: SearchQuery, precision: str | None) -> float:
    """The radius a search starts from: the chosen one, else wider around a county's centre."""
    if query.radius is not None:
        return float(query.radius)
    return float(COUNTY_RADIUS if precision == "county" else DEFAULT_RADIUS)


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
        errors[name] = Problem("not_a_number", {"low": low, "high": high, "whole": integer})
        return None
    if value != value or not low <= value <= high:  # value != value: NaN
        errors[name] = Problem("out_of_range", {"low": low, "high": high})
        return None
    return value


def parse_query(args) -> SearchQuery:
    errors: dict[str, Problem] = {}
    values: dict = {}
    location = " ".join(str(args.get("location") or "").split())
    if len(location) > MAX_LOCATION:
        errors["location"] = Problem("too_long", {"limit": MAX_LOCATION})
    values["location"] = location
    for name, category in LIST_PARAMS.items():
        keys = [k.lower() for k in _values(args, name)]
        cat = vocabulary.CATEGORIES[category]
        unknown = [k for k in keys if k not in cat]
        if unknown:
            errors[name] = Problem("unknown_value", {"value": unknown[0][:40], "category": category})
        else:
            values[name] = tuple(k for k in cat.keys() if k in set(keys))
    for name in FLAG_PARAMS:
        raw = (args.get(name) or "").strip().lower()
        if raw in ("1", "true", "yes", "on"):
            values[name] = True
        elif raw not in ("", "0", "false", "no", "off"):
            errors[name] = Problem("not_a_flag")
    radius = (args.get("radius") or "").strip()
    if radius:
        values["radius"] = _number(radius, "radius", MIN_RADIUS, MAX_RADIUS, errors, integer=False)
    max_wait = (args.get("max_wait") or "").strip()
    if max_wait:
        values["max_wait"] = _number(max_wait, "max_wait", 0, MAX_WAIT_DAYS, errors)
    start_within = (args.get("start_within") or "").strip()
    if start_within:
        values["start_within"] = _number(start_within, "start_within", 0, MAX_WAIT_DAYS, errors)
    sort = (args.get("sort") or "best").strip().lower()
    if sort not in SORTS:
        errors["sort"] = Problem("unknown_sort")
    values["sort"] = sort
    for name, low, high, default in (("page", 1, MAX_PAGE, 1), ("per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE)):
        raw = (args.get(name) or "").strip()
        values[name] = _number(raw, name, low, high, errors) if raw else default
    if errors:
        raise QueryError(errors)
    return SearchQuery(**{k: v for k, v in values.items() if v is not None})
