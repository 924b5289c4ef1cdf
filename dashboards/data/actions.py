"""Changes officers and admins make from the authority page: lock a year, restate it.

Each function checks ``Viewer.can_edit`` for the authority before touching anything, and
records the signed-in user as the actor in the audit log.
"""

from __future__ import annotations

from dashboards.data.access import editable_authority
from dashboards.data.sessions import write_session
from dashboards.format import tonnes
from tracker.access import Viewer
from tracker.errors import TrackerError
from tracker.services import versions


def actor_of(viewer: Viewer) -> str:
    return f"dashboard:{viewer.email}"


def lock_year(viewer: Viewer, code: str, year: int, reason: str | None) -> str:
    """Lock the year's current inventory; a message for the user. ``AccessDenied`` when the
    viewer may not change this authority; ``TrackerError`` when it is already locked or no
    reason is given."""
    if not (reason or "").strip():
        raise TrackerError("Give the reason for locking the year (where it was published).")
    with write_session() as session:
        authority = editable_authority(session, viewer, code)
        lock = versions.lock_year(
            session,
            authority=authority,
            year=year,
            actor=actor_of(viewer),
            reason=reason or "",
        )
        return f"Locked {authority.code} {year} at inventory run {lock.run_id}."


def restate_year(viewer: Viewer, code: str, year: int, reason: str | None) -> str:
    """Recompute a locked year as a new version; needs a reason."""
    if not (reason or "").strip():
        raise TrackerError("Give the reason for the restatement.")
    with write_session() as session:
        authority = editable_authority(session, viewer, code)
        old, new = versions.restate_year(
            session, authority=authority, year=year, actor=actor_of(viewer), reason=reason or ""
        )
        before, after = tonnes(old.total_kgco2e), tonnes(new.total_kgco2e)
        return (
            f"Restated {authority.code} {year}: version {old.version} → {new.version} "
            f"({before} → {after})."
        )
