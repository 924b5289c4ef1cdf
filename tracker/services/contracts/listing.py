"""An authority's contracts, a page at a time, scoped by role (like its spend lines)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from factors.classification import load_cpv_crosswalk, load_unspsc_crosswalk
from tracker.access import Viewer, full_access_ids
from tracker.domain.contract_estimate import division_code
from tracker.models import Authority, Contract, ContractParty

PAGE_SIZE = 25
STATUS_WORDS = {"planned": "planned", "awarded": "awarded", "cancelled": "cancelled"}


@dataclass(frozen=True)
class ContractRow:
    id: int
    authority_code: str
    title: str
    suppliers: list[str]
    value: Decimal | None
    currency: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    category: str  # in words
    flags: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "authority": self.authority_code,
            "title": self.title,
            "suppliers": self.suppliers,
            "value": self.value,
            "currency": self.currency,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "status": self.status,
            "category": self.category,
            "flags": self.flags,
        }


@dataclass(frozen=True)
class ContractPage:
    rows: list[ContractRow]
    total: int
    page: int  # 1-based, clamped to the last page
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def category_words(scheme: str | None, code: str | None) -> str:
    """The contract's category in words: its CPV division or UNSPSC segment title.

    >>> category_words("CPV", "90511000")
    'Sewage, refuse, cleaning and environmental services'
    >>> category_words(None, None)
    'not classified'
    """
    division = division_code(scheme, code)
    if division is None:
        return "not classified" if not code else f"not mapped ({scheme} {code})"
    table = _crosswalk(scheme or "")
    mapping = table.get(division)
    return mapping.title if mapping else f"not mapped ({scheme} {code})"


@cache
def _crosswalk(scheme: str) -> dict[str, Any]:
    return dict(load_cpv_crosswalk() if scheme.upper() == "CPV" else load_unspsc_crosswalk())


def list_contracts(
    session: Session,
    viewer: Viewer,
    *,
    authority_id: int | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    status: str | None = None,
) -> ContractPage:
    """Contracts of ``authority_id`` (or of every authority the user sees in full), the
    ones ending soonest first, then those without an end date. Raises AccessDenied for an
    authority the user may not see."""
    if authority_id is not None:
        viewer.require_lines(authority_id)
        ids = [authority_id]
    else:
        ids = full_access_ids(session, viewer)
    where: list[ColumnElement[bool]] = [Contract.authority_id.in_(ids)]
    if status:
        where.append(Contract.status == status)
    total = session.scalar(select(func.count(Contract.id)).where(*where)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    query = (
        select(Contract, Authority.code, Authority.currency)
        .join(Authority, Authority.id == Contract.authority_id)
        .where(*where)
        .order_by(Contract.end_date.is_(None), Contract.end_date, Contract.id)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    found = session.execute(query).all()
    suppliers: dict[int, list[str]] = {}
    contract_ids = [c.id for c, _, _ in found]
    for contract_id, name in session.execute(
        select(ContractParty.contract_id, ContractParty.name)
        .where(ContractParty.contract_id.in_(contract_ids))
        .order_by(ContractParty.id)
    ):
        suppliers.setdefault(contract_id, []).append(name)
    rows = [
        ContractRow(
            id=c.id,
            authority_code=code,
            title=c.title or _first_line(c.description) or "(untitled)",
            suppliers=suppliers.get(c.id, []),
            value=c.value_amount,
            currency=c.currency or own,  # none published: the authority's
            start_date=c.start_date,
            end_date=c.end_date,
            status=STATUS_WORDS.get(c.status, c.status),
            category=category_words(c.classification_scheme, c.classification_code),
            flags=list(c.flags or []),
        )
        for c, code, own in found
    ]
    return ContractPage(rows=rows, total=total, page=page, page_size=page_size)


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:200] or None
