"""Changes officers and admins make from the authority page: lock a year, restate it,
restate the target's baseline, confirm a part year complete or withdraw that.

Each function checks ``Viewer.can_edit`` for the authority before touching anything, and
records the signed-in user as the actor in the audit log. Each needs a reason, as the
command line does; without one it raises ``TrackerError`` saying what to give.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from dashboards.data.access import editable_authority
from dashboards.data.sessions import write_session
from dashboards.format import tonnes
from tracker.access import Viewer
from tracker.domain.periods import fy_label
from tracker.domain.status import tonnes_text
from tracker.errors import TrackerError
from tracker.models import Authority
from tracker.services import baselines, completeness, versions
from tracker.services.recalculate import refresh_inventories


def actor_of(viewer: Viewer) -> str:
    return f"dashboard:{viewer.email}"


@contextmanager
def _change(
    viewer: Viewer, code: str, reason: str | None, missing: str
) -> Iterator[tuple[Session, Authority, str]]:
    """One unit of work on an authority the viewer may change, with the reason given
    (``missing`` is the message when there is none)."""
    why = (reason or "").strip()
    if not why:
        raise TrackerError(missing)
    with write_session() as session:
        yield session, editable_authority(session, viewer, code), why


def lock_year(viewer: Viewer, code: str, year: int, reason: str | None) -> str:
    """Lock the year's current inventory; a message for the user. ``AccessDenied`` when the
    viewer may not change this authority; ``TrackerError`` when it is already locked or no
    reason is given."""
    missing = "Give the reason for locking the year (where it was published)."
    with _change(viewer, code, reason, missing) as (session, authority, why):
        lock = versions.lock_year(
            session, authority=authority, year=year, actor=actor_of(viewer), reason=why
        )
        label = fy_label(year, authority.fy_start_month)
        return f"Locked {authority.code} {label} at inventory run {lock.run_id}."


def recalculate(viewer: Viewer, code: str) -> str:
    """Bring the authority's inventories up to date now (the explicit step pages and
    reports leave to officers and admins); a message for the user. ``AccessDenied`` when
    the viewer may not change this authority."""
    with write_session() as session:
        authority = editable_authority(session, viewer, code)
        notes = refresh_inventories(session, authority=authority)
        notes += versions.locked_out_of_date(session, authority)
        return " ".join([f"Recalculated the inventories of {authority.code}.", *notes])


def restate_year(viewer: Viewer, code: str, year: int, reason: str | None) -> str:
    """Recompute a locked year as a new version; needs a reason."""
    missing = "Give the reason for the restatement."
    with _change(viewer, code, reason, missing) as (session, authority, why):
        old, new = versions.restate_year(
            session, authority=authority, year=year, actor=actor_of(viewer), reason=why
        )
        before, after = tonnes(old.total_kgco2e), tonnes(new.total_kgco2e)
        label = fy_label(year, authority.fy_start_month)
        return (
            f"Restated {authority.code} {label}: version {old.version} → {new.version} "
            f"({before} → {after})."
        )


def restate_baseline(viewer: Viewer, code: str, reason: str | None) -> str:
    """Apply the baseline years' current figure to the authority's target."""
    missing = "Give the reason for restating the baseline."
    with _change(viewer, code, reason, missing) as (session, authority, why):
        done = baselines.restate_baseline(
            session, authority=authority, actor=actor_of(viewer), reason=why
        )
        old = "no recorded figure" if done.old_kg is None else tonnes_text(done.old_kg)
        return (
            f"Baseline of {authority.code} restated from {old} to {tonnes_text(done.new_kg)}; "
            "status and progress now use it."
        )


def confirm_year(viewer: Viewer, code: str, year: int, reason: str | None) -> str:
    """Confirm part year ``year`` complete, so that status and trend count it."""
    missing = "Give the reason the part year is complete."
    with _change(viewer, code, reason, missing) as (session, authority, why):
        completeness.confirm_complete(
            session, authority=authority, year=year, reason=why, actor=actor_of(viewer)
        )
        text = completeness.completeness(session, authority)[year].describe()
        return f"Confirmed complete: {text}. Status and trend now count it."


def withdraw_confirmation(viewer: Viewer, code: str, year: int, reason: str | None) -> str:
    """Withdraw the confirmation of ``year``: it is a part year again."""
    missing = "Give the reason for withdrawing the confirmation."
    with _change(viewer, code, reason, missing) as (session, authority, why):
        completeness.withdraw_confirmation(
            session, authority=authority, year=year, reason=why, actor=actor_of(viewer)
        )
        label = fy_label(year, authority.fy_start_month)
        return f"Withdrawn: {label} is a part year again, left out of status and trend."
