"""Which authority a published buyer name belongs to (contract_buyer), scoped by role.

A mapping is made once and holds for every later file. An officer or admin may map a name
that nobody has mapped to an authority they may change; only an admin may move a name
that is already mapped to another authority.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.access import AccessDenied, Viewer
from tracker.domain.contracts import buyer_key
from tracker.errors import TrackerError
from tracker.models import Authority, ContractBuyer, ContractFile


def writable_authority(session: Session, viewer: Viewer, code: str) -> Authority:
    """The authority ``code`` if the user may change it; the same refusal whether or not
    a code the user may not change exists (nothing is learnt by guessing codes)."""
    authority = session.scalar(select(Authority).where(Authority.code == code.strip().upper()))
    if authority is None and viewer.is_admin:
        raise TrackerError(f"unknown authority {code!r}")
    if authority is None or not viewer.can_edit(authority.id):
        raise AccessDenied(f"Your role does not allow importing contracts for {code}.")
    return authority


def parse_buyer_option(text: str) -> tuple[str, str]:
    """``"NAME=CODE"`` → (name, code); the name may itself hold '='."""
    name, sep, code = text.rpartition("=")
    if not sep or not name.strip() or not code.strip():
        raise TrackerError(f'--buyer {text!r}: write it as "BUYER NAME=AUTHORITY CODE"')
    return name.strip(), code.strip()


def mapped_buyers(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """buyer key → authority id, for the keys that are mapped."""
    wanted = sorted(set(keys))
    out: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(ContractBuyer.name_key, ContractBuyer.authority_id).where(
                ContractBuyer.name_key.in_(wanted[start : start + 500])
            )
        )
        out.update(rows.all())
    return out


def map_buyer(
    session: Session, viewer: Viewer, name: str, authority: Authority, *, apply: bool = True
) -> bool:
    """Map buyer ``name`` to ``authority``; True when that is new or moves the name (with
    ``apply`` False, only checked). Raises AccessDenied when the user may not."""
    viewer.require_edit(authority.id)
    key = buyer_key(name)
    if not key:
        raise TrackerError(f"buyer name {name!r} has no letters or digits")
    existing = session.scalar(select(ContractBuyer).where(ContractBuyer.name_key == key))
    if existing is not None:
        if existing.authority_id == authority.id:
            return False
        if not viewer.is_admin:
            other = session.get_one(Authority, existing.authority_id)
            named = other.code if viewer.sees_lines(other.id) else "another authority"
            raise AccessDenied(
                f"buyer {name!r} is already mapped to {named}; only an admin may move it."
            )
        if apply:
            existing.authority_id = authority.id
            existing.created_by = viewer.email
        return True
    if apply:
        session.add(
            ContractBuyer(
                name_key=key, name=name[:300], authority_id=authority.id, created_by=viewer.email
            )
        )
        session.flush()
    return True


@dataclass(frozen=True)
class BuyerCount:
    name: str
    contracts: int
    authority_code: str | None  # None: not mapped


def buyer_counts(names: Iterable[str], mapped: dict[str, str]) -> list[BuyerCount]:
    """Contracts per buyer name (spellings of one buyer together, under its most common
    spelling), largest first; ``mapped`` is buyer key → authority code."""
    spellings: dict[str, Counter[str]] = {}
    for name in names:
        spellings.setdefault(buyer_key(name), Counter())[name] += 1
    rows = [
        BuyerCount(
            name=counts.most_common(1)[0][0],
            contracts=sum(counts.values()),
            authority_code=mapped.get(key),
        )
        for key, counts in spellings.items()
    ]
    return sorted(rows, key=lambda r: (-r.contracts, r.name.casefold()))


def buyers_in_file(session: Session, names: Iterable[str]) -> list[BuyerCount]:
    """Contracts per buyer of a parsed file, with the authority each is mapped to
    (admin use: the command line)."""
    names = list(names)
    rows = session.execute(
        select(ContractBuyer.name_key, Authority.code).join(
            Authority, Authority.id == ContractBuyer.authority_id
        )
    )
    codes: dict[str, str] = dict(rows.all())
    return buyer_counts(names, codes)


def unmapped_buyers(session: Session, viewer: Viewer) -> list[BuyerCount]:
    """Buyer names left unmapped by the imports so far (from each file's latest report),
    with their contracts, largest first; names mapped since are left out. Admin only:
    the reports name every buyer of a file."""
    if not viewer.is_admin:
        raise AccessDenied("Only an admin may list the unmapped buyers of every import.")
    latest: dict[str, dict[str, int]] = {}
    for sha256, report in session.execute(
        select(ContractFile.sha256, ContractFile.report).order_by(ContractFile.id)
    ):
        latest[sha256] = dict((report or {}).get("unmapped_buyers") or {})
    totals: Counter[str] = Counter()
    for counts in latest.values():
        totals.update({name: int(n) for name, n in counts.items()})
    mapped = mapped_buyers(session, (buyer_key(n) for n in totals))
    names = [n for n, count in totals.items() if buyer_key(n) not in mapped for _ in range(count)]
    return buyer_counts(names, {})
