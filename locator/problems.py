"""Problem reports from the public: "the number does not work", "it closed", ... Plain Python
over a Session, no Flask.

`read_problem(data)` checks a report (a JSON object, or the form's fields as one): `kind`, one of
PROBLEM_KINDS, and optional `details` (at most DETAILS_MAX characters; control and invisible
characters refused), and returns the values or raises `ProblemInvalid` with one `Problem` per
field (worded by the web layer). `add_problem` stores one; nothing about the sender is kept.
`cautions` says which listings people have warned about: two or more open reports of a phone
that does not work, or of a place closed or moved, within CAUTION_DAYS, until staff check them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from locator.models import DETAILS_MAX, PROBLEM_KINDS, ProblemReport, utcnow
from locator.reports_input import ReportInvalid, read_text, unknown_fields
from locator.search_query import Problem

CAUTION_DAYS = 30
CAUTION_KINDS = ("phone", "closed")
CAUTION_REPORTS = 2
FIELDS = ("kind", "details")


class ProblemInvalid(ReportInvalid):
    """The report's fields that are wrong, each with its Problem (codes as ReportInvalid's)."""


@dataclass(frozen=True)
class Caution:
    kind: str  # phone or closed: the kind most reported
    since: date  # the day of the newest of those reports


def read_problem(data: object) -> dict:
    try:
        errors = unknown_fields(data, FIELDS)
    except ReportInvalid as exc:
        raise ProblemInvalid(exc.errors) from None
    kind = data.get("kind")
    if kind is None or kind == "":
        errors["kind"] = Problem("required")
    elif not isinstance(kind, str) or kind not in PROBLEM_KINDS:
        errors["kind"] = Problem("unknown_kind", {"value": str(kind)[:40]})
    text = read_text(data, "details", DETAILS_MAX, errors)
    if errors:
        raise ProblemInvalid(errors)
    return {"kind": kind, "details": text}


def add_problem(session: Session, provider_id: int, kind: str, details: str = "",
                reported_at: datetime | None = None) -> ProblemReport:
    """Store a report (the caller commits)."""
    report = ProblemReport(provider_id=provider_id, kind=kind, details=details, reported_at=reported_at or utcnow())
    session.add(report)
    session.flush()
    return report


def cautions(session: Session, provider_ids, now: datetime | None = None) -> dict[int, Caution]:
    """The providers among `provider_ids` people have warned about (one statement)."""
    ids = sorted(set(provider_ids))
    if not ids:
        return {}
    since = (now or utcnow()) - timedelta(days=CAUTION_DAYS)
    rows = session.execute(
        select(ProblemReport.provider_id, ProblemReport.kind, func.count(), func.max(ProblemReport.reported_at))
        .where(ProblemReport.provider_id.in_(ids), ProblemReport.kind.in_(CAUTION_KINDS),
               ProblemReport.resolved_at.is_(None), ProblemReport.reported_at >= since)
        .group_by(ProblemReport.provider_id, ProblemReport.kind))
    out: dict[int, Caution] = {}
    for provider_id, kind, count, newest in rows:
        if count >= CAUTION_REPORTS and (provider_id not in out or kind == "closed"):
            out[provider_id] = Caution(kind, newest.date())
    return out
