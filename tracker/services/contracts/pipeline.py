"""The joint-procurement pipeline over the authorities a user may see as aggregates.

Authorities: ``tracker.access.aggregate_access_ids``, exactly as ``/compare`` and
``/collaboration`` use them -- the user's own and every authority that shares its figures
(``share_in_comparisons``); every authority for an admin. An authority that does not
share contributes nothing to anyone else, not even to a group total. Of a sharing
authority's contracts only aggregates are shown to others: the authority, its suppliers,
its category, the month its contract ends and the value and tonnes a year. Titles are
shown only to those who see the authority's lines.

Grouping and ranking: ``tracker.domain.pipeline``; value and tonnes a year:
``tracker.services.contracts.estimates``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.access import Viewer, aggregate_access_ids
from tracker.domain.pipeline import (
    FROM_MONTHS,
    TO_MONTHS,
    Group,
    Opportunity,
    PipelineContract,
    add_months,
    by_category,
    by_supplier,
    doubtful_end,
    left_out_sentence,
    opportunities,
    window_contracts,
)
from tracker.domain.suppliers import supplier_key
from tracker.importers.contracts.model import FLAG_TEXT
from tracker.models import Authority, Contract, ContractParty
from tracker.services.contracts.estimates import Estimator, SharedReference


@dataclass(frozen=True)
class Pipeline:
    today: dt.date
    from_months: int
    to_months: int
    authorities: tuple[str, ...]  # codes of the authorities drawn on
    contracts: tuple[PipelineContract, ...]
    categories: tuple[Group, ...]
    suppliers: tuple[Group, ...]
    opportunities: tuple[Opportunity, ...]
    # Contracts ending in the window left out because their end date is doubtful:
    # {"total": n, flag: n, ...} (tracker.domain.pipeline.DOUBTFUL_END_FLAGS).
    left_out: dict[str, int]

    @property
    def left_out_text(self) -> str:
        return left_out_sentence(self.left_out, FLAG_TEXT)

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "window_months": [self.from_months, self.to_months],
            "authorities": list(self.authorities),
            "contracts": len(self.contracts),
            "left_out": {
                "doubtful_end_date": self.left_out.get("total", 0),
                "by_reason": {
                    FLAG_TEXT[flag]: n for flag, n in self.left_out.items() if flag != "total"
                },
                "text": self.left_out_text,
            },
            "opportunities": [o.as_dict() for o in self.opportunities],
            "categories": [g.as_dict() for g in self.categories],
            "suppliers": [g.as_dict() for g in self.suppliers],
        }


def _parties(session: Session, ids: list[int]) -> dict[int, tuple[tuple[str, str], ...]]:
    out: dict[int, dict[str, str]] = {}
    rows = session.execute(
        select(ContractParty.contract_id, ContractParty.supplier_id, ContractParty.name)
        .where(ContractParty.contract_id.in_(ids), ContractParty.role == "supplier")
        .order_by(ContractParty.id)
    )
    for cid, sid, name in rows:
        key = f"supplier:{sid}" if sid is not None else f"name:{supplier_key(name)}"
        out.setdefault(cid, {}).setdefault(key, name)
    return {cid: tuple(found.items()) for cid, found in out.items()}


def pipeline(
    session: Session,
    viewer: Viewer,
    *,
    today: dt.date,
    money: Callable[[Decimal, str], str],
    tonnes: Callable[[Decimal], str],
    from_months: int = FROM_MONTHS,
    to_months: int = TO_MONTHS,
) -> Pipeline:
    """Contracts ending in the window across the authorities the viewer may see as
    aggregates, grouped and ranked; ``money`` and ``tonnes`` format the sentences."""
    if not 0 <= from_months <= to_months:
        raise ValueError("the window must run forward: 0 <= from months <= to months")
    ids = aggregate_access_ids(session, viewer)
    authorities = {a.id: a for a in session.scalars(select(Authority).where(Authority.id.in_(ids)))}
    contracts = list(
        session.scalars(
            select(Contract)
            .where(
                Contract.authority_id.in_(ids),
                Contract.status != "cancelled",
                Contract.end_date >= add_months(today, from_months),
                Contract.end_date <= add_months(today, to_months),
            )
            .order_by(Contract.end_date, Contract.id)
        )
    )
    parties = _parties(session, [c.id for c in contracts])
    left_out: dict[str, int] = {}
    estimators: dict[int, Estimator] = {}
    reference = SharedReference(session)
    items = []
    for c in contracts:
        doubts = doubtful_end(c.flags or ())
        if doubts:
            left_out["total"] = left_out.get("total", 0) + 1
            for flag in doubts:
                left_out[flag] = left_out.get(flag, 0) + 1
            continue
        authority = authorities[c.authority_id]
        if c.authority_id not in estimators:
            estimators[c.authority_id] = Estimator(session, authority, reference)
        e = estimators[c.authority_id].estimate(c, Decimal(0), today)
        assert c.end_date is not None
        items.append(
            PipelineContract(
                contract_id=c.id,
                authority_code=authority.code,
                authority_name=authority.name,
                title=(c.title or "") if viewer.sees_lines(c.authority_id) else "",
                category_code=e.category.code,
                category_name=e.category.name,
                supplier_keys=parties.get(c.id, ()),
                end=c.end_date,
                currency=c.currency or authority.currency,
                value_a_year=e.value_a_year,
                kg_a_year=e.kg_a_year,
            )
        )
    current = window_contracts(items, today, from_months, to_months)
    return Pipeline(
        today=today,
        from_months=from_months,
        to_months=to_months,
        authorities=tuple(sorted(a.code for a in authorities.values())),
        contracts=tuple(current),
        categories=tuple(by_category(current)),
        suppliers=tuple(by_supplier(current)),
        opportunities=tuple(opportunities(current, today, money, tonnes)),
        left_out=left_out,
    )
