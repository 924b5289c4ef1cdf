"""Each contract's spend to date, its emissions and the estimate for what is left.

* **Spend to date**: the sum of the payments linked to the contract (``linked`` rows of
  ``contract_spend_link``; ambiguous payments count in no contract).
* **Emissions to date**: the kgCO2e those payments carry in the current inventory run of
  their financial year (the run with the highest id per authority and year); payments in
  a year without an inventory are counted as spend but not as emissions, and said so.
* **Remaining and a year**: ``tracker.services.contracts.estimates``.

Scoped by the viewer: a contract is shown only to those who see its authority's lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tracker.access import AccessDenied, Viewer
from tracker.domain.contract_estimate import VALUE_INCLUDES_VAT
from tracker.models import (
    Authority,
    Contract,
    ContractParty,
    ContractSpendLink,
    LineEmission,
    SpendLine,
)
from tracker.queries.current import current_run_ids
from tracker.services.contracts.estimates import ContractEstimate, Estimator

ZERO = Decimal(0)


@dataclass(frozen=True)
class ToDate:
    linked_lines: int
    spend: Decimal
    kgco2e: Decimal
    lines_without_inventory: int  # linked payments with no current run line
    ambiguous_lines: int
    # linked payments in a currency other than the authority's: in the emissions, not in
    # ``spend`` (which is in the authority's currency; amounts of two are never added)
    other_currency_lines: int = 0


@dataclass(frozen=True)
class ContractInfo:
    """A contract as published (a plain copy of its row)."""

    id: int
    authority_id: int
    source_key: str
    title: str | None
    description: str | None
    buyer_name: str
    classification_scheme: str | None
    classification_code: str | None
    value_amount: Decimal | None
    currency: str | None
    start_date: dt.date | None
    end_date: dt.date | None

    @classmethod
    def of(cls, c: Contract) -> ContractInfo:
        return cls(
            c.id, c.authority_id, c.source_key, c.title, c.description, c.buyer_name,
            c.classification_scheme, c.classification_code, c.value_amount, c.currency,
            c.start_date, c.end_date,
        )  # fmt: skip


@dataclass(frozen=True)
class ContractFigures:
    contract: ContractInfo
    authority_code: str
    suppliers: tuple[str, ...]
    to_date: ToDate
    estimate: ContractEstimate
    currency: str = "GBP"  # the contract's, else (none published) its authority's
    includes_vat: bool = False  # its value is published including VAT (estimates: net)

    def as_dict(self) -> dict[str, Any]:
        c, e, t = self.contract, self.estimate, self.to_date
        return {
            "id": c.id,
            "authority": self.authority_code,
            "title": c.title,
            "buyer": c.buyer_name,
            "suppliers": list(self.suppliers),
            "classification": (
                f"{c.classification_scheme} {c.classification_code}"
                if c.classification_code
                else None
            ),
            "category": e.category.code,
            "category_name": e.category.name,
            "currency": c.currency,
            "value": c.value_amount,
            "start_date": c.start_date.isoformat() if c.start_date else None,
            "end_date": c.end_date.isoformat() if c.end_date else None,
            "spend_to_date": t.spend,
            "linked_payments": t.linked_lines,
            "ambiguous_payments": t.ambiguous_lines,
            "payments_in_another_currency": t.other_currency_lines,
            "kgco2e_to_date": t.kgco2e,
            "payments_without_inventory": t.lines_without_inventory,
            "value_a_year": e.value_a_year,
            "kgco2e_a_year": e.kg_a_year,
            "remaining_value": e.remaining_value,
            "remaining_years": e.remaining_years,
            "remaining_kgco2e": e.remaining_kg,
            "factor": None
            if e.factor is None
            else {
                "code": e.factor.code,
                "kgco2e_per_unit": e.factor.factor,
                "factor_year": e.factor.factor_year,
                "deflator": e.factor.deflator,
            },
            "note": e.note,
        }


def to_date(
    session: Session, contract_ids: list[int], authority_ids: list[int]
) -> dict[int, ToDate]:
    """Spend, emissions and payment counts to date of each contract; spend counts the
    payments in their authority's currency only (the others are counted apart)."""
    if not contract_ids:
        return {}
    link = ContractSpendLink
    emitted = (
        select(LineEmission.spend_line_id, LineEmission.kgco2e)
        .where(LineEmission.run_id.in_(current_run_ids(authority_ids)))
        .subquery("emitted")
    )
    own = SpendLine.currency == Authority.currency
    rows = session.execute(
        select(
            link.contract_id,
            link.status,
            func.count(),
            func.coalesce(func.sum(case((own, SpendLine.amount), else_=0)), 0),
            func.coalesce(func.sum(emitted.c.kgco2e), 0),
            func.count(SpendLine.id) - func.count(emitted.c.spend_line_id),
            func.count(case((~own, 1))),
        )
        .join(SpendLine, SpendLine.id == link.spend_line_id)
        .join(Authority, Authority.id == SpendLine.authority_id)
        .outerjoin(emitted, emitted.c.spend_line_id == link.spend_line_id)
        .where(link.contract_id.in_(contract_ids), link.authority_id.in_(authority_ids))
        .group_by(link.contract_id, link.status)
    ).all()
    out = {cid: ToDate(0, ZERO, ZERO, 0, 0) for cid in contract_ids}
    for cid, status, n, spend, kg, missing, other in rows:
        t = out[cid]
        if status == "linked":
            out[cid] = ToDate(
                n, Decimal(spend), Decimal(kg), int(missing), t.ambiguous_lines, int(other)
            )
        else:
            out[cid] = ToDate(t.linked_lines, t.spend, t.kgco2e, t.lines_without_inventory, n,
                              t.other_currency_lines)  # fmt: skip
    return out


def _suppliers(session: Session, contract_ids: list[int]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(ContractParty.contract_id, ContractParty.name)
        .where(ContractParty.contract_id.in_(contract_ids), ContractParty.role == "supplier")
        .order_by(ContractParty.id)
    )
    for cid, name in rows:
        out.setdefault(cid, []).append(name)
    return {cid: tuple(names) for cid, names in out.items()}


def contract_figures(
    session: Session,
    viewer: Viewer,
    *,
    authority_id: int,
    today: dt.date,
    limit: int | None = None,
) -> list[ContractFigures]:
    """Figures of an authority's contracts, latest ending first (the viewer must see its
    lines)."""
    viewer.require_lines(authority_id)
    authority = session.get(Authority, authority_id)
    if authority is None:
        raise AccessDenied("You do not have access to this authority.")
    return authority_contracts(session, authority, today=today, limit=limit)


def authority_contracts(
    session: Session, authority: Authority, *, today: dt.date, limit: int | None = None
) -> list[ContractFigures]:
    """Every contract of ``authority`` with its figures, latest ending first. Not scoped:
    for callers that have checked access already (the workbook)."""
    stmt = (
        select(Contract)
        .where(Contract.authority_id == authority.id)
        .order_by(Contract.end_date.desc().nulls_last(), Contract.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return _figures(session, authority, list(session.scalars(stmt)), today)


def one_contract(
    session: Session, viewer: Viewer, *, contract_id: int, today: dt.date
) -> ContractFigures:
    """One contract's figures; AccessDenied when it is not the viewer's to see (or absent)."""
    contract = session.get(Contract, contract_id)
    if contract is None or not viewer.sees_lines(contract.authority_id):
        raise AccessDenied("You do not have access to this contract.")
    authority = session.get(Authority, contract.authority_id)
    assert authority is not None
    return _figures(session, authority, [contract], today)[0]


def _figures(
    session: Session, authority: Authority, contracts: list[Contract], today: dt.date
) -> list[ContractFigures]:
    if not contracts:
        return []
    ids = [c.id for c in contracts]
    dated = to_date(session, ids, [authority.id])
    names = _suppliers(session, ids)
    estimator = Estimator(session, authority)
    return [
        ContractFigures(
            ContractInfo.of(c),
            authority.code,
            names.get(c.id, ()),
            dated[c.id],
            estimator.estimate(c, dated[c.id].spend, today),
            c.currency or authority.currency,
            VALUE_INCLUDES_VAT in (c.flags or ()),
        )
        for c in contracts
    ]
