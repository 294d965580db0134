"""Start-today bridge options: the ways to a first dose today that are not a clinic near the
person (emergency-department bridge programs, 24/7 telehealth start lines, state access lines,
mobile units), by state. Plain Python over a Session; the list is loaded with `import-bridges`.

Search shows them (`wanted`) when a person must start today (`start_within=0`) or when few
places are near (fewer than `THIN` results): the bridge options of the place's state, in the
order of BRIDGE_KINDS (a telehealth start line first: it can start buprenorphine from anywhere).
"""

from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from locator.models import BRIDGE_KINDS, Bridge

THIN = 3  # fewer results than this: bridge options are shown too


def wanted(start_within: int | None, total: int) -> bool:
    return start_within == 0 or total < THIN


def bridges_for(session: Session, state: str | None) -> list[Bridge]:
    """The state's bridge options, telehealth lines first, then by name."""
    if not state:
        return []
    order = case(*[(Bridge.kind == kind, n) for n, kind in enumerate(BRIDGE_KINDS)], else_=len(BRIDGE_KINDS))
    return list(session.scalars(select(Bridge).where(Bridge.state == state).order_by(order, Bridge.name)))


def bridge_dict(bridge: Bridge) -> dict:
    """A bridge option as the API gives it."""
    return {"name": bridge.name, "kind": bridge.kind, "phone": bridge.phone, "hours": bridge.hours,
            "medications": bridge.medications, "notes": bridge.notes, "url": bridge.url, "state": bridge.state,
            "verified_on": bridge.verified_on.isoformat() if bridge.verified_on else None, "demo": bridge.is_demo}
