"""Which authorities and pages a viewer may open."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session
from werkzeug.exceptions import BadRequest

from dashboards.data.sessions import read_session
from tracker.access import AccessDenied, Viewer, full_access_ids
from tracker.models import Authority, Contract
from tracker.queries.reference import authority_by_code
from tracker.queries.runs import authority_overview

NO_ACCESS = "You do not have access to this authority."


def authority_for(session: Session, viewer: Viewer, code: str | None) -> Authority:
    """The authority ``code`` if the viewer may see its lines; ``AccessDenied`` otherwise.

    Officers and viewers are refused any code but their own, whether it exists or not, so
    the answer never tells them which other codes exist.
    """
    if code is not None and not isinstance(code, str):  # a request edited to send a list
        raise BadRequest("An authority code is text, e.g. SAL.")
    authority = authority_by_code(session, code) if code else None
    if authority is None or not viewer.sees_lines(authority.id):
        raise AccessDenied(NO_ACCESS)
    return authority


def editable_authority(session: Session, viewer: Viewer, code: str | None) -> Authority:
    authority = authority_for(session, viewer, code)
    viewer.require_edit(authority.id)
    return authority


@dataclass(frozen=True)
class AuthorityChoice:
    code: str
    name: str
    years: tuple[int, ...]  # financial years with an inventory, oldest first
    fy_start_month: int


def visible_authorities(viewer: Viewer) -> list[AuthorityChoice]:
    """The authorities whose pages the viewer may open (by code), with their years."""
    with read_session() as session:
        ids = full_access_ids(session, viewer)
        return [
            AuthorityChoice(r.code, r.name, tuple(y for y, _ in r.trend), r.fy_start_month)
            for r in authority_overview(session, authority_ids=ids)
        ]


def page_missing(viewer: Viewer, path: str) -> str | None:
    """For an admin (who may open every authority), why ``/authority/CODE`` is not there;
    None otherwise. Others are only ever told "access denied" (see :func:`authority_for`)."""
    parts = [p for p in path.split("/") if p]
    if not (viewer.is_admin and len(parts) == 2 and parts[0] == "authority"):
        return None
    with read_session() as session:
        if authority_by_code(session, parts[1]) is not None:
            return None
    return (
        f"There is no authority with the code “{parts[1]}”. "
        "Check the address, or pick an authority from the overview."
    )


def page_forbidden(viewer: Viewer, path: str) -> str | None:
    """Why the viewer may not open the page at ``path`` (a reason), or None if they may."""
    parts = [p for p in path.split("/") if p]
    if len(parts) == 2 and parts[0] == "authority":
        with read_session() as session:
            try:
                authority_for(session, viewer, parts[1])
            except AccessDenied:
                return NO_ACCESS
    if len(parts) == 2 and parts[0] == "contracts":
        with read_session() as session:
            contract = session.get(Contract, int(parts[1])) if parts[1].isdigit() else None
            if contract is None or not viewer.sees_lines(contract.authority_id):
                return "You do not have access to this contract."
    if parts[:1] == ["upload"] and viewer.role not in ("admin", "officer"):
        return "Uploading spend files needs an officer's or an admin's log-in."
    return None
