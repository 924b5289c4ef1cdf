"""Supplier KPIs per authority and for the group, per financial year, and the contracts
above the PPN 006 threshold without a Carbon Reduction Plan on record.

Figures come from each authority's current inventory run of each year (its supplier
totals, excluded spend left out; spend without a supplier counts in the totals, never as
covered), with a supplier's commitments in force at some time in that year. Which
authorities appear is decided by tracker.access exactly as /compare decides it: the
viewer's own authority (every authority for an admin) and those sharing their figures,
as aggregates; the group is pooled over those. Contracts are authority data: only those
of the authorities whose lines the viewer may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.access import Viewer, aggregate_access_ids, full_access_ids
from tracker.domain.codes import LineStatus
from tracker.domain.contract_estimate import net_value
from tracker.domain.periods import fy_label
from tracker.domain.supplier_kpis import (
    Commitment,
    Share,
    above_ppn006,
    covered_suppliers,
    pooled,
    ppn006_not_assessed,
    share,
    value_a_year_with_vat,
)
from tracker.models import (
    Authority,
    Contract,
    ContractParty,
    InventoryRun,
    RunSupplierTotal,
    Supplier,
    SupplierCommitment,
)
from tracker.queries.current import current_run_ids

PLAN_OR_SBT = ("carbon-reduction-plan", "science-based-target")
SBT = ("science-based-target",)


@dataclass(frozen=True)
class KpiRow:
    authority_code: str | None  # None: the group
    authority_name: str
    fy_year: int
    year_label: str
    authorities: int
    plan_or_sbt: Share
    sbt: Share
    currency: str = "GBP"  # the spend's: a group row pools the authorities of one currency

    def as_dict(self) -> dict[str, object]:
        return {
            "authority": self.authority_code,
            "currency": self.currency,
            "name": self.authority_name,
            "year": self.fy_year,
            "year_label": self.year_label,
            "authorities": self.authorities,
            "spend": self.plan_or_sbt.spend,
            "kgco2e": self.plan_or_sbt.kgco2e,
            "spend_with_plan_or_sbt": self.plan_or_sbt.spend_covered,
            "kgco2e_with_plan_or_sbt": self.plan_or_sbt.kgco2e_covered,
            "spend_share_plan_or_sbt": self.plan_or_sbt.spend_share,
            "kgco2e_share_plan_or_sbt": self.plan_or_sbt.kgco2e_share,
            "spend_share_sbt": self.sbt.spend_share,
            "kgco2e_share_sbt": self.sbt.kgco2e_share,
        }


def commitments_by_supplier(session: Session) -> dict[int, list[Commitment]]:
    """Every commitment on record, under the surviving supplier."""
    survivor = func.coalesce(Supplier.merged_into_id, Supplier.id)
    out: dict[int, list[Commitment]] = defaultdict(list)
    for sid, kind, made_on, ended_on in session.execute(
        select(survivor, SupplierCommitment.kind, SupplierCommitment.made_on,
               SupplierCommitment.ended_on)
        .join(Supplier, Supplier.id == SupplierCommitment.supplier_id)
    ):  # fmt: skip
        out[sid].append(Commitment(kind, made_on, ended_on))
    return dict(out)


def supplier_kpis(session: Session, viewer: Viewer, *, fy_year: int | None = None) -> list[KpiRow]:
    """Each authority's rows by year, then the group's (pooled) rows by year, over the
    authorities the viewer may see as aggregates (as /compare)."""
    return kpi_rows(session, aggregate_access_ids(session, viewer), fy_year=fy_year)


def kpi_rows(
    session: Session, ids: Sequence[int], *, fy_year: int | None = None, group: bool = True
) -> list[KpiRow]:
    """The rows of the authorities ``ids`` (the caller has decided they may be shown),
    then, with ``group``, the pooled rows of each year and currency (spend in pounds and
    in dollars is never added up)."""
    if not ids:
        return []
    latest_sq = current_run_ids(ids, fy_year).subquery("latest")
    t = RunSupplierTotal
    survivor = func.coalesce(Supplier.merged_into_id, t.supplier_id)
    stmt = (
        select(InventoryRun.authority_id, InventoryRun.fy_year, InventoryRun.period_start,
               InventoryRun.period_end, survivor, func.sum(t.spend), func.sum(t.kgco2e))
        .select_from(t)
        .join(latest_sq, latest_sq.c.run_id == t.run_id)
        .join(InventoryRun, InventoryRun.id == t.run_id)
        .outerjoin(Supplier, Supplier.id == t.supplier_id)
        .where(t.status != LineStatus.EXCLUDED)
        .group_by(InventoryRun.authority_id, InventoryRun.fy_year, InventoryRun.period_start,
                  InventoryRun.period_end, survivor)
    )  # fmt: skip
    per_run: dict[tuple[int, int], list[tuple[int | None, Decimal, Decimal]]] = defaultdict(list)
    periods: dict[tuple[int, int], tuple[dt.date, dt.date]] = {}
    for aid, year, start, end, sid, spend, kg in session.execute(stmt):
        per_run[(aid, year)].append((sid, Decimal(spend or 0), Decimal(kg or 0)))
        periods[(aid, year)] = (start, end)
    commitments = commitments_by_supplier(session)
    authorities = {
        a.id: a for a in session.scalars(select(Authority).where(Authority.id.in_(list(ids))))
    }
    rows: list[KpiRow] = []
    by_year: dict[tuple[int, str], list[tuple[Share, Share]]] = defaultdict(list)
    for (aid, year), items in sorted(
        per_run.items(), key=lambda kv: (authorities[kv[0][0]].code, kv[0][1])
    ):
        start, end = periods[(aid, year)]
        main = share(items, covered_suppliers(commitments, PLAN_OR_SBT, start, end))
        sbt = share(items, covered_suppliers(commitments, SBT, start, end))
        a = authorities[aid]
        label = fy_label(year, a.fy_start_month)
        rows.append(KpiRow(a.code, a.name, year, label, 1, main, sbt, a.currency))
        by_year[(year, a.currency)].append((main, sbt))
    if not group:
        return rows
    months = {a.fy_start_month for a in authorities.values()}
    group_month = months.pop() if len(months) == 1 else 1
    several = len({currency for _year, currency in by_year}) > 1
    for year, currency in sorted(by_year):
        pairs = by_year[(year, currency)]
        name = f"Group (pooled, {currency})" if several else "Group (pooled)"
        rows.append(
            KpiRow(None, name, year, fy_label(year, group_month), len(pairs),
                   pooled(p[0] for p in pairs), pooled(p[1] for p in pairs), currency)
        )  # fmt: skip
    return rows


@dataclass(frozen=True)
class UnplannedContract:
    contract_id: int
    authority_code: str
    title: str | None
    supplier_id: int | None
    supplier_name: str
    value: Decimal
    value_a_year_incl_vat: Decimal
    start_date: dt.date | None
    end_date: dt.date | None

    def as_dict(self) -> dict[str, object]:
        return {
            "contract_id": self.contract_id,
            "authority": self.authority_code,
            "title": self.title,
            "supplier_id": self.supplier_id,
            "supplier": self.supplier_name,
            "value": self.value,
            "value_a_year_incl_vat": self.value_a_year_incl_vat,
            "start_date": self.start_date,
            "end_date": self.end_date,
        }


def contracts_without_plan(
    session: Session, viewer: Viewer, *, today: dt.date
) -> list[UnplannedContract]:
    """Contracts in force or to come (not ended before ``today``, not cancelled), in
    pounds, above £5m a year including VAT, whose supplier has no Carbon Reduction Plan in
    force today; largest first."""
    return unplanned_contracts(session, full_access_ids(session, viewer), today=today)


def _unplanned_rows(
    session: Session, ids: Sequence[int], today: dt.date
) -> list[tuple[Contract, str, int | None, str]]:
    """(contract, authority code, supplier, supplier name as published) of the contracts
    of ``ids`` in force or to come, in pounds, with a value, whose supplier has no Carbon
    Reduction Plan in force today."""
    if not ids:
        return []
    commitments = commitments_by_supplier(session)
    planned = covered_suppliers(commitments, ("carbon-reduction-plan",), today, today)
    survivor = func.coalesce(Supplier.merged_into_id, ContractParty.supplier_id)
    stmt = (
        select(Contract, Authority.code, survivor, ContractParty.name)
        .join(Authority, Authority.id == Contract.authority_id)
        .join(ContractParty, ContractParty.contract_id == Contract.id)
        .outerjoin(Supplier, Supplier.id == ContractParty.supplier_id)
        .where(Contract.authority_id.in_(list(ids)))
        .where(Contract.status != "cancelled")
        .where(Contract.value_amount.is_not(None))
        .where(func.coalesce(Contract.currency, "GBP") == "GBP")
        .where((Contract.end_date.is_(None)) | (Contract.end_date >= today))
    )
    return [
        (contract, code, sid, name)
        for contract, code, sid, name in session.execute(stmt)
        if sid is None or sid not in planned
    ]


def unplanned_contracts(
    session: Session, ids: Sequence[int], *, today: dt.date
) -> list[UnplannedContract]:
    """:func:`contracts_without_plan` for the authorities ``ids`` (the caller's scope)."""
    out = []
    for contract, code, sid, party_name in _unplanned_rows(session, ids, today):
        value = Decimal(contract.value_amount or 0)  # as published
        net = net_value(value, contract.flags)
        a_year = value_a_year_with_vat(net, contract.start_date, contract.end_date)
        if not above_ppn006(a_year):
            continue
        assert a_year is not None
        out.append(
            UnplannedContract(contract.id, code, contract.title, sid, party_name, value, a_year,
                              contract.start_date, contract.end_date)
        )  # fmt: skip
    out.sort(key=lambda c: (-c.value_a_year_incl_vat, c.authority_code, c.contract_id))
    return out


def contracts_not_assessed(session: Session, viewer: Viewer, *, today: dt.date) -> int:
    """How many contracts :func:`contracts_without_plan` could not assess: over £5m in
    total incl. VAT, without a plan, but with no period to annualise their value over
    (``tracker.domain.supplier_kpis.ppn006_not_assessed``); each contract once."""
    return not_assessed_contracts(session, full_access_ids(session, viewer), today=today)


def not_assessed_contracts(session: Session, ids: Sequence[int], *, today: dt.date) -> int:
    """:func:`contracts_not_assessed` for the authorities ``ids`` (the caller's scope)."""
    return len(
        {
            contract.id
            for contract, _code, _sid, _name in _unplanned_rows(session, ids, today)
            if ppn006_not_assessed(
                net_value(Decimal(contract.value_amount or 0), contract.flags),
                contract.start_date,
                contract.end_date,
            )
        }
    )
