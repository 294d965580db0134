"""The reference search answers are checked against, written independently of locator.search:
plain Python over ORM providers. Used by tests/test_search_properties.py and
bench/real_directory_bench.py."""

from __future__ import annotations

from locator.models import Provider
from locator.search_query import SearchQuery


def passes(p: Provider, q: SearchQuery) -> bool:
    """Every filter of `q` holds for `p` (distance aside)."""
    r = p.current_report
    for param, category in (("medication", "medications"), ("payment", "payment"), ("service", "services"),
                            ("language", "languages"), ("population", "populations")):
        wanted = getattr(q, param)
        if wanted and not set(wanted) & set(getattr(p, category)):
            return False
    if q.accepting and not (r and r.accepting_new_patients is True):
        return False
    if q.max_wait is not None and not (r and r.wait_days is not None and r.wait_days <= q.max_wait
                                       and r.accepting_new_patients is not False):
        return False
    walk_in = r.walk_in if r and r.walk_in is not None else p.walk_in
    if q.walk_in and walk_in is not True:
        return False
    return not (q.telehealth and "telehealth" not in p.settings)
