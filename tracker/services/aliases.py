"""Other names an authority publishes its spend under, for the organisation check on
import (``tracker.domain.organisation``): a file naming one of them is the authority's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import TrackerError
from tracker.models import Authority, AuthorityAlias
from tracker.services.versions import record

MAX_ALIAS = 200


def aliases(session: Session, authority: Authority) -> list[str]:
    """The authority's aliases, in alphabetical order."""
    return list(
        session.scalars(
            select(AuthorityAlias.name)
            .where(AuthorityAlias.authority_id == authority.id)
            .order_by(AuthorityAlias.name)
        )
    )


def _clean(name: str) -> str:
    return " ".join(name.split())


def _stored(session: Session, authority: Authority, name: str) -> AuthorityAlias | None:
    """The stored alias that is ``name`` but for case and spacing."""
    wanted = _clean(name).casefold()
    rows = session.scalars(
        select(AuthorityAlias).where(AuthorityAlias.authority_id == authority.id)
    )
    return next((row for row in rows if row.name.casefold() == wanted), None)


def add_alias(session: Session, authority: Authority, name: str, *, actor: str) -> bool:
    """Record ``name`` (spacing tidied) as another name of the authority; recorded in the
    audit log. Returns False when it was already recorded (in any case)."""
    cleaned = _clean(name)
    if not cleaned:
        raise TrackerError("An alias needs a name, e.g. 'Salford CC'.")
    if len(cleaned) > MAX_ALIAS:
        raise TrackerError(f"An alias is at most {MAX_ALIAS} characters ({len(cleaned)} given).")
    if cleaned.casefold() in (authority.name.casefold(), authority.code.casefold()):
        raise TrackerError(
            f"{cleaned!r} is {authority.code}'s own name or code: it needs no alias."
        )
    if _stored(session, authority, cleaned) is not None:
        return False
    session.add(AuthorityAlias(authority_id=authority.id, name=cleaned, created_by=actor))
    record(
        session, actor=actor, action="alias add", authority=authority, details={"alias": cleaned}
    )
    session.flush()
    return True


def remove_alias(session: Session, authority: Authority, name: str, *, actor: str) -> str:
    """Remove the alias ``name`` (in any case); recorded in the audit log. Returns the
    alias as it was stored."""
    row = _stored(session, authority, name)
    if row is None:
        known = aliases(session, authority)
        listed = ", ".join(repr(a) for a in known) if known else "none"
        raise TrackerError(f"{authority.code} has no alias {_clean(name)!r} (aliases: {listed}).")
    removed = row.name
    session.delete(row)
    record(
        session, actor=actor, action="alias remove", authority=authority, details={"alias": removed}
    )
    session.flush()
    return removed
