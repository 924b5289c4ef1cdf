"""Who may see what: the one place the role rules live.

A :class:`Viewer` is the signed-in user as the rest of the code sees it. Every query that
returns authority data takes the ids this module allows, so that authorisation is decided
here on the server and never by what a page chooses to show.

- admin: every authority, in full; manages users and factor sets.
- officer: their own authority, in full; may upload, classify, lock and restate it, and
  confirm its classifications in the sign-off review (the only role that may).
- viewer (leadership): reads their own authority's pages.

Comparisons and collaboration views may also show *aggregates* (never lines, suppliers'
line detail or anything per transaction) of other authorities that have opted in with
``Authority.share_in_comparisons``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from tracker.errors import TrackerError
from tracker.models import Authority
from tracker.models.users import ROLES


class AccessDenied(TrackerError):
    """The user may not see or change what they asked for."""


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    email: str
    role: str
    authority_id: int | None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role != "admin" and self.authority_id is None:
            raise ValueError(f"a {self.role} belongs to one authority")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def sees_lines(self, authority_id: int) -> bool:
        """Whether the user may see this authority's pages, lines and suppliers."""
        return self.is_admin or authority_id == self.authority_id

    def can_edit(self, authority_id: int) -> bool:
        """Whether the user may upload, classify, lock or restate for this authority."""
        return self.is_admin or (self.role == "officer" and authority_id == self.authority_id)

    def can_confirm(self, authority_id: int) -> bool:
        """Whether the user may sign off (confirm) this authority's classifications: its
        own officers only -- a confirmation attests that someone who knows the spend
        checked it, which neither leadership nor an installation's admin can."""
        return self.role == "officer" and authority_id == self.authority_id

    def require_lines(self, authority_id: int) -> None:
        if not self.sees_lines(authority_id):
            raise AccessDenied("You do not have access to this authority.")

    def require_edit(self, authority_id: int) -> None:
        if not self.can_edit(authority_id):
            raise AccessDenied("Your role does not allow changes to this authority.")


def full_access_ids(session: Session, viewer: Viewer) -> list[int]:
    """Ids of the authorities whose pages and lines the user may see."""
    if viewer.is_admin:
        return list(session.scalars(select(Authority.id).order_by(Authority.code)))
    return [viewer.authority_id] if viewer.authority_id is not None else []


def sharing_with(authority_id: int | None) -> Select[Any]:
    """The ids of ``authority_id`` and of every authority that shares its figures: what
    that authority's users may see as aggregates, and what its review suggestions learn
    from."""
    return select(Authority.id).where(
        or_(Authority.share_in_comparisons.is_(True), Authority.id == authority_id)
    )


def aggregate_access_ids(session: Session, viewer: Viewer) -> list[int]:
    """Ids of the authorities whose aggregates the user may see in comparisons: their own
    (all, for admins) and every authority that shares its figures."""
    stmt = select(Authority.id) if viewer.is_admin else sharing_with(viewer.authority_id)
    return list(session.scalars(stmt.order_by(Authority.code)))
